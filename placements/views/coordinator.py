"""The host coordinator's work queue: proposed matches to approve or decline (by their decide-by date), offers
waiting for the student, places to check, confirm, host or cancel, and the application behind each. Own
organisation only: anything else is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from placements.forms.host import CompletionForm, HostCancelForm, HostDeclineForm, PlacementChecksForm
from placements.models import Placement
from placements.selectors.application_detail import application_for_host
from placements.services import host_cancellation, host_deadlines, host_decisions, pre_placement
from placements.workflow import HOLDS_PLACE, InvalidTransition, StaleTransition, Status

coordinator_required = role_required(Role.COORDINATOR)
PAGE_SIZE = 25


def _run_or_explain(form, action) -> bool:
    """Run ``action`` (a service call); if the rules or the workflow refuse it, say why on ``form`` instead.
    Returns whether it ran."""
    try:
        action()
    except ValidationError as error:
        form.add_error(None, error)
    except (InvalidTransition, StaleTransition) as error:
        form.add_error(None, str(error))
    else:
        return True
    return False


def _queue(request):
    return (
        host_decisions.proposed_for(request.user)
        .select_related("application", "cohort__opportunity__site")
        # Most urgent first: the decide-by date, then the start date.
        .order_by(
            F("decide_by").asc(nulls_last=True),
            "cohort__start_date",
            "cohort__opportunity__title",
            "application__last_name",
            "pk",
        )
    )


def _accepted(request):
    return (
        Placement.objects.filter(
            cohort__opportunity__organisation_id=request.user.organisation_id,
            released_at__isnull=True,
            application__status=Status.ACCEPTED,
        )
        .select_related("application", "cohort__opportunity")
        .order_by("cohort__start_date", "pk")
    )


def _offers(request):
    """Offers sent and waiting for the student's answer, soonest deadline first."""
    return (
        Placement.objects.filter(
            cohort__opportunity__organisation_id=request.user.organisation_id,
            released_at__isnull=True,
            application__status=Status.OFFERED,
        )
        .select_related("application", "cohort__opportunity")
        .order_by("offer_expires_at", "pk")
    )


@coordinator_required
def coordinator_home(request):
    today = timezone.localdate()
    page = Paginator(_queue(request), PAGE_SIZE).get_page(request.GET.get("page"))
    for placement in page:
        placement.age_on_start = placement.application.age_on(placement.cohort.start_date)
        placement.due_soon = host_deadlines.is_due_soon(placement.decide_by, today)
    offers = Paginator(_offers(request), PAGE_SIZE).get_page(request.GET.get("offers_page"))
    accepted = Paginator(_accepted(request), PAGE_SIZE).get_page(request.GET.get("accepted_page"))
    hosting = Paginator(_hosting(request), PAGE_SIZE).get_page(request.GET.get("hosting_page"))
    return render(
        request,
        "placements/coordinator/home.html",
        {"page": page, "offers": offers, "accepted": accepted, "hosting": hosting, "today": today},
    )


@coordinator_required
def coordinator_application(request, pk):
    """The application behind a match or a place: what a host needs to decide, without widening participation."""
    application = application_for_host(request.user, pk)
    if application is None:
        raise Http404
    today = timezone.localdate()
    for placement in application.placement_history:
        placement.age_on_start = application.age_on(placement.cohort.start_date)
        placement.is_current = placement.released_at is None
        placement.due_soon = host_deadlines.is_due_soon(placement.decide_by, today)
    current = next((p for p in application.placement_history if p.is_current), None)
    return render(
        request,
        "placements/coordinator/application.html",
        {
            "application": application,
            "current": current,
            "status": application.status,
            "can_cancel": current is not None and application.status in HOLDS_PLACE,
            "today": today,
        },
    )


def _cancellable(request):
    return Placement.objects.filter(
        cohort__opportunity__organisation_id=request.user.organisation_id,
        released_at__isnull=True,
        application__status__in=HOLDS_PLACE,
    ).select_related("application__student", "application__round", "cohort__opportunity__organisation")


@coordinator_required
def placement_cancel(request, pk):
    placement = get_object_or_404(_cancellable(request), pk=pk)
    form = HostCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cancelled = _run_or_explain(
            form,
            lambda: host_cancellation.placement_cancel_by_host(
                actor=request.user,
                placement=placement,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            ),
        )
        if cancelled:
            messages.success(
                request,
                f"Place cancelled. We have emailed {placement.application.first_name} "
                f"{placement.application.last_name}, and the place is free for another student.",
            )
            return redirect("placements:coordinator-home")
    return render(request, "placements/coordinator/cancel.html", {"placement": placement, "form": form})


def _hosting(request):
    return (
        Placement.objects.filter(
            cohort__opportunity__organisation_id=request.user.organisation_id,
            released_at__isnull=True,
            application__status__in=(Status.CONFIRMED, Status.IN_PROGRESS),
        )
        .select_related("application", "cohort__opportunity")
        .order_by("cohort__start_date", "pk")
    )


@coordinator_required
@require_POST
def placement_attendance(request, pk):
    placement = get_object_or_404(_hosting(request), pk=pk)
    try:
        pre_placement.placement_record_attendance(
            actor=request.user, placement=placement, attended=request.POST.get("attended") == "yes"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (InvalidTransition, StaleTransition) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Attendance recorded.")
    return redirect("placements:coordinator-home")


@coordinator_required
def placement_complete(request, pk):
    placement = get_object_or_404(_hosting(request), pk=pk)
    form = CompletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        completed = _run_or_explain(
            form,
            lambda: pre_placement.placement_complete(
                actor=request.user, placement=placement, feedback=form.cleaned_data["feedback"]
            ),
        )
        if completed:
            messages.success(request, "Placement completed. The student can now download their certificate.")
            return redirect("placements:coordinator-home")
    return render(request, "placements/coordinator/complete.html", {"placement": placement, "form": form})


@coordinator_required
def placement_checks(request, pk):
    placement = get_object_or_404(
        _accepted(request).select_related("application__guardian_consent", "cohort__opportunity__site"), pk=pk
    )
    items = {item: pre_placement.CHECKLIST[item] for item in pre_placement.required_items(placement)}
    form = PlacementChecksForm(
        request.POST if request.method == "POST" else None,
        items=items,
        initial={"checks": list(placement.checks), "joining_instructions": placement.joining_instructions},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pre_placement.placement_update_checks(
                actor=request.user,
                placement=placement,
                ticked=set(form.cleaned_data["checks"]),
                joining_instructions=form.cleaned_data["joining_instructions"],
            )
            # What was ticked is saved either way; a confirm with something missing says what, next to it.
            if "confirm" in request.POST and form.ready_to_confirm():
                pre_placement.placement_confirm(actor=request.user, placement=placement)
                messages.success(request, "Placement confirmed. We have sent the student their joining instructions.")
                return redirect("placements:coordinator-home")
        except ValidationError as error:
            form.add_error(None, error)
        except (InvalidTransition, StaleTransition) as error:
            form.add_error(None, str(error))
        else:
            if not form.errors:
                messages.success(request, "Checklist saved.")
                return redirect("placements:placement-checks", pk=placement.pk)
    return render(
        request,
        "placements/coordinator/checks.html",
        {
            "placement": placement,
            "form": form,
            "missing": pre_placement.missing_items(placement),
            "age_on_start": placement.application.age_on(placement.cohort.start_date),
            "consent_present": pre_placement.guardian_consent_present(placement),
        },
    )


@coordinator_required
@require_POST
def matches_approve(request):
    # ASCII digits only, and short enough for a bigint: "²".isdigit() is true but int("²") raises.
    ids = [int(pk) for pk in request.POST.getlist("placement") if pk.isascii() and pk.isdigit() and len(pk) < 19]
    if not ids:
        messages.error(request, "Select at least one match to approve")
        return redirect("placements:coordinator-home")
    approved, problems = 0, []
    waiting = list(_queue(request).filter(pk__in=ids))
    if len(waiting) < len(set(ids)):
        # Decided by a colleague, released at its decide-by date, or not ours: say so rather than nothing.
        gone = len(set(ids)) - len(waiting)
        problems.append(
            f"{gone} of the matches you chose {'is' if gone == 1 else 'are'} no longer waiting for a decision."
        )
    for placement in waiting:
        try:
            host_decisions.placement_approve(actor=request.user, placement=placement)
            approved += 1
        except (ValidationError, PermissionDenied, InvalidTransition, StaleTransition) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            problems.append(f"{placement.application.first_name} {placement.application.last_name}: {text}")
    if approved:
        messages.success(
            request,
            f"{approved} offer{'s' if approved != 1 else ''} sent. Students have "
            f"{host_decisions.OFFER_DAYS} days to accept.",
        )
    for problem in problems:
        messages.error(request, problem)
    return redirect("placements:coordinator-home")


@coordinator_required
def match_decline(request, pk):
    placement = get_object_or_404(_queue(request), pk=pk)
    form = HostDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        declined = _run_or_explain(
            form,
            lambda: host_decisions.placement_decline(
                actor=request.user,
                placement=placement,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            ),
        )
        if declined:
            messages.success(request, "Match declined. We will look for another student for this place.")
            return redirect("placements:coordinator-home")
    return render(request, "placements/coordinator/decline.html", {"placement": placement, "form": form})
