"""The student's journey: dashboard, the application form, check your answers, submit, withdraw, their data."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from nhsuk.templatetags.nhsuk import nhsuk_error_href
from placements import application_steps, digital_skills, explanations
from placements.forms.student_actions import (
    AcceptOfferForm,
    DeclineOfferForm,
    DeleteAccountForm,
    GuardianConsentForm,
    WithdrawForm,
)
from placements.models import Application, Opportunity, Placement
from placements.selectors.applications import (
    application_ended_without_place_for,
    application_for_dashboard,
    applications_of,
    current_round,
)
from placements.services import applications as services
from placements.services import offers, personal_data, routing
from placements.workflow import EDITABLE, HOLDS_PLACE, WITHDRAWABLE, InvalidTransition, StaleTransition, Status

student_required = role_required(Role.STUDENT)


def _current_application(request) -> Application:
    """The signed-in student's application in the current round; 404 if they have none."""
    round_ = current_round()
    application = applications_of(request.user).filter(round=round_).first() if round_ else None
    if application is None:
        raise Http404
    return application


@student_required
def student_home(request):
    round_ = current_round()
    application = application_for_dashboard(request.user, round_) if round_ else None
    context = {
        "round": round_,
        "application": application,
        "today": timezone.localdate(),
        "past_applications": applications_of(request.user).exclude(round=round_) if round_ else [],
        # Left without a place: first-come simulation and insight sessions at colleges (training, step 9).
        "can_book_training_places": application_ended_without_place_for(request.user) is not None,
    }
    if application:
        context.update(
            sections=application_steps.sections_for(application),
            editable=application.status in EDITABLE,
            withdrawable=application.status in WITHDRAWABLE,
            placement=offers.current_placement(application),
            holds_place=application.status in HOLDS_PLACE or application.status == Status.COMPLETED,
            skills=digital_skills.report(application.digital_skills) if application.digital_skills else [],
            explanation=_explanation(application),
        )
    return render(request, "placements/student/home.html", context)


def _explanation(application: Application) -> list[str]:
    if application.status not in (Status.READY_FOR_MATCHING, Status.MATCHED, Status.OFFERED, Status.UNSUCCESSFUL):
        return []
    result = explanations.latest_result(application)
    return explanations.explain_result(result) if result else []


@student_required
@require_POST
def application_start(request):
    round_ = current_round()
    if round_ is None:
        raise Http404
    try:
        application = services.application_start(student=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("placements:student-home")
    step = application_steps.first_incomplete(application) or application_steps.STEPS[0]
    return redirect("placements:application-step", slug=step.slug)


@student_required
def application_step(request, slug):
    step = application_steps.BY_SLUG.get(slug)
    application = _current_application(request)
    if step is None or not step.applies_to(application):
        raise Http404
    if application.status not in EDITABLE:
        messages.error(request, services.NOT_EDITABLE)
        return redirect("placements:student-home")
    instance = application_steps.form_instance(step, application)
    form = step.form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        Application.objects.filter(pk=application.pk).update(last_step=step.slug)
        application.refresh_from_db()
        if application.status != Status.DRAFT:
            try:
                services.application_resubmit_answers(actor=request.user, application=application)
            except (ValidationError, InvalidTransition, StaleTransition) as problem:
                # Matching took the application between loading this page and saving it.
                messages.error(request, _message(problem))
                return redirect("placements:student-home")
            application.refresh_from_db()
            missing = application_steps.first_incomplete(application)
            if missing:
                # A change can ask a new question: a date of birth corrected to under 18 needs a guardian's address.
                messages.success(
                    request,
                    "Your changes are saved. As you are under 18, give your parent or guardian's email address: we "
                    "ask them for consent before you can be matched."
                    if missing.slug == "guardian"
                    else f"Your changes are saved. One more page to answer: {missing.title}.",
                )
                return redirect("placements:application-step", slug=missing.slug)
            messages.success(request, "Your changes are saved.")
            return redirect("placements:application-review")
        if "save_and_exit" in request.POST:
            messages.success(request, "Your answers are saved. Come back at any time, from any device.")
            return redirect("placements:student-home")
        following = application_steps.next_step(application, step)
        return (
            redirect("placements:application-step", slug=following.slug)
            if following
            else redirect("placements:application-review")
        )
    context = {
        "form": form,
        "step": step,
        "application": application,
        "step_number": application_steps.section_number(step),
        "step_count": len(application_steps.SECTIONS),
    }
    if step.slug == "interests":
        context["choices"] = _choices_with_eligibility(application)
    return render(request, "placements/student/step.html", context)


def _choices_with_eligibility(application: Application) -> list[dict]:
    """Each choice with why the student cannot be placed there (on the answers given) or what they have not
    answered yet that decides it."""
    problems = {p.opportunity.pk: p.message for p in routing.check_choices(application)}
    unanswered = {u.opportunity.pk: u for u in routing.unanswered_requirements(application)}
    return [
        {
            "choice": choice,
            "problem": problems.get(choice.opportunity_id),
            "unanswered": unanswered.get(choice.opportunity_id),
        }
        for choice in application.choices.select_related("opportunity__organisation")
    ]


@student_required
@require_POST
def choice_add(request, opportunity_pk):
    opportunity = get_object_or_404(Opportunity.objects.visible_to_students(), pk=opportunity_pk)
    round_ = current_round()
    try:
        application = services.application_start(student=request.user, round_=round_) if round_ else None
        if application is None:
            raise Http404
        services.choice_add(actor=request.user, application=application, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opportunity.get_absolute_url())
    problem = next((p.message for p in routing.check_choices(application) if p.opportunity.pk == opportunity.pk), None)
    if problem:
        # Added, because a changed answer may fix it; but not a success, and the choices page says why.
        messages.warning(
            request,
            f"‘{opportunity.title}’ is now one of your choices, but you cannot be placed there because {problem}. "
            "Remove it or change your answers.",
        )
    else:
        messages.success(request, f"‘{opportunity.title}’ is now one of your choices.")
    return redirect("placements:application-step", slug="interests")


@student_required
@require_POST
def choice_change(request, choice_pk):
    application = _current_application(request)
    if not application.choices.filter(pk=choice_pk).exists():
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.choice_remove(actor=request.user, application=application, choice_id=choice_pk)
        elif action in ("up", "down"):
            services.choice_move(
                actor=request.user, application=application, choice_id=choice_pk, direction=-1 if action == "up" else 1
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("placements:application-step", slug="interests")


@student_required
def application_review(request):
    application = _current_application(request)
    sections = application_steps.sections_for(application)
    incomplete = [section for section in sections if section.blocks_submission]
    problems = routing.check_choices(application) if application.status == Status.DRAFT else []
    errors = []
    if request.method == "POST":
        if incomplete:
            errors = [
                {"text": f"Complete ‘{section.title}’ before you submit", "href": _answer_href(application, section)}
                for section in incomplete
            ]
        elif not problems:  # ineligible choices are already listed, once, each linking to the choices page
            try:
                services.application_submit(actor=request.user, application=application)
            except ValidationError as error:
                errors = [{"text": message, "href": ""} for message in error.messages]
            except (InvalidTransition, StaleTransition):
                pass  # submitted already, in another tab: the dashboard shows where it stands
            else:
                messages.success(request, f"Application submitted. Your reference is {application.reference}.")
                return redirect("placements:student-home")
    return render(
        request,
        "placements/student/review.html",
        {
            "application": application,
            "sections": sections,
            "incomplete": incomplete,
            "errors": errors,
            "editable": application.status in EDITABLE,
            "choices": application.choices.select_related("opportunity__organisation"),
            "problems": problems,
        },
    )


def _answer_href(application: Application, section) -> str:
    """The page, and the first question on it, that the student still has to answer in ``section``."""
    page = section.first_to_do
    url = reverse("placements:application-step", kwargs={"slug": page.slug})
    field = application_steps.form_field(section.first_missing_field) if section.first_missing_field else None
    if not field:
        return url
    form = page.form_class(instance=application_steps.form_instance(page, application))
    return url + nhsuk_error_href(form[field]) if field in form.fields else url


@student_required
def application_withdraw(request):
    application = _current_application(request)
    if application.status not in WITHDRAWABLE:
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, InvalidTransition, StaleTransition) as problem:
            messages.error(request, _message(problem))
        else:
            messages.success(request, "Your application has been withdrawn.")
        return redirect("placements:student-home")
    return render(
        request,
        "placements/student/withdraw.html",
        {
            "application": application,
            "form": form,
            "placement": offers.current_placement(application),
            "holds_place": application.status in HOLDS_PLACE,
            # The service emails the host's coordinators from these statuses: the page says so before the student acts.
            "host_told": application.status in services.HOST_TOLD_OF_CANCELLATION,
        },
    )


def guardian_consent(request, token):
    consent = services.consent_for_token(token)
    if consent is None:
        return render(request, "placements/guardian/consent_unusable.html", status=404)
    form = GuardianConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_consent_give(
                token=token,
                guardian_name=form.cleaned_data["guardian_name"],
                relationship=form.cleaned_data["relationship"],
            )
        except ValidationError:
            return render(request, "placements/guardian/consent_unusable.html", status=404)
        return render(request, "placements/guardian/consent_done.html", {"application": consent.application})
    return render(
        request,
        "placements/guardian/consent.html",
        {"consent": consent, "application": consent.application, "form": form},
    )


@student_required
def data_export(request):
    """Download everything we hold about the signed-in student, as JSON."""
    payload = json.dumps(personal_data.student_data_export(user=request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(payload, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@student_required
def account_delete(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        personal_data.student_erase(user=request.user)
        logout(request)
        messages.success(request, "Your account and your personal data have been deleted.")
        return redirect("home")
    return render(request, "placements/student/account_delete.html", {"form": form})


@student_required
def offer_accept(request):
    """Confirm acceptance, giving an emergency contact for the host."""
    application = _current_application(request)
    placement = offers.current_placement(application)
    if application.status != Status.OFFERED or placement is None:
        raise Http404
    form = AcceptOfferForm(
        request.POST if request.method == "POST" else None,
        initial={
            "emergency_contact_name": application.emergency_contact_name,
            "emergency_contact_phone": application.emergency_contact_phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            offers.offer_accept(actor=request.user, application=application, **form.cleaned_data)
        except (ValidationError, InvalidTransition, StaleTransition) as problem:
            messages.error(request, _message(problem))
        else:
            messages.success(request, "You have accepted your placement. The host will be in touch about checks.")
        return redirect("placements:student-home")
    return render(request, "placements/student/offer_accept.html", {"placement": placement, "form": form})


@student_required
def offer_decline(request):
    application = _current_application(request)
    placement = offers.current_placement(application)
    if application.status != Status.OFFERED or placement is None:
        raise Http404
    form = DeclineOfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            offers.offer_decline(actor=request.user, application=application, reason=form.cleaned_data["reason"])
        except (ValidationError, InvalidTransition, StaleTransition) as problem:
            messages.error(request, _message(problem))
        else:
            messages.success(request, "You have declined the offer. The place will go to someone else.")
        return redirect("placements:student-home")
    return render(request, "placements/student/offer_decline.html", {"placement": placement, "form": form})


def _message(problem: Exception) -> str:
    return " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)


@student_required
def certificate(request):
    """A printable certificate of completion for the student's completed placement."""
    placement = (
        Placement.objects.filter(
            application__student=request.user, application__status=Status.COMPLETED, released_at__isnull=True
        )
        .select_related("application", "cohort__opportunity__organisation", "cohort__opportunity__site")
        .order_by("-completed_at")
        .first()
    )
    if placement is None:
        raise Http404
    return render(request, "placements/student/certificate.html", {"placement": placement})
