"""The host coordinator's work queue: proposed matches to approve or decline. Own organisation only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from placements.forms.host import CompletionForm, HostDeclineForm, PlacementChecksForm
from placements.models import Placement
from placements.services import host_decisions, pre_placement
from placements.workflow import InvalidTransition, StaleTransition, Status

coordinator_required = role_required(Role.COORDINATOR)
PAGE_SIZE = 25


def _queue(request):
    return (
        host_decisions.proposed_for(request.user)
        .select_related("application", "cohort__opportunity__site")
        .order_by("cohort__start_date", "cohort__opportunity__title", "application__last_name", "pk")
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


@coordinator_required
def coordinator_home(request):
    page = Paginator(_queue(request), PAGE_SIZE).get_page(request.GET.get("page"))
    for placement in page:
        placement.age_on_start = placement.application.age_on(placement.cohort.start_date)
    accepted = Paginator(_accepted(request), PAGE_SIZE).get_page(request.GET.get("accepted_page"))
    hosting = Paginator(_hosting(request), PAGE_SIZE).get_page(request.GET.get("hosting_page"))
    return render(
        request,
        "placements/coordinator/home.html",
        {"page": page, "accepted": accepted, "hosting": hosting, "today": timezone.localdate()},
    )


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
        try:
            pre_placement.placement_complete(
                actor=request.user, placement=placement, feedback=form.cleaned_data["feedback"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except (InvalidTransition, StaleTransition) as error:
            form.add_error(None, str(error))
        else:
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
            if "confirm" in request.POST:
                pre_placement.placement_confirm(actor=request.user, placement=placement)
                messages.success(request, "Placement confirmed. We have sent the student their joining instructions.")
                return redirect("placements:coordinator-home")
        except ValidationError as error:
            form.add_error(None, error)
        except (InvalidTransition, StaleTransition) as error:
            form.add_error(None, str(error))
        else:
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
    for placement in _queue(request).filter(pk__in=ids):
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
        try:
            host_decisions.placement_decline(
                actor=request.user,
                placement=placement,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except (InvalidTransition, StaleTransition) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Match declined. We will look for another student for this place.")
            return redirect("placements:coordinator-home")
    return render(request, "placements/coordinator/decline.html", {"placement": placement, "form": form})
