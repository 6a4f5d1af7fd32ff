"""The host coordinator's work queue: proposed matches to approve or decline. Own organisation only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from placements.forms.host import HostDeclineForm
from placements.services import host_decisions
from placements.workflow import InvalidTransition, StaleTransition

coordinator_required = role_required(Role.COORDINATOR)
PAGE_SIZE = 25


def _queue(request):
    return (
        host_decisions.proposed_for(request.user)
        .select_related("application", "cohort__opportunity__site")
        .order_by("cohort__start_date", "cohort__opportunity__title", "application__last_name", "pk")
    )


@coordinator_required
def coordinator_home(request):
    page = Paginator(_queue(request), PAGE_SIZE).get_page(request.GET.get("page"))
    for placement in page:
        placement.age_on_start = placement.application.age_on(placement.cohort.start_date)
    return render(request, "placements/coordinator/home.html", {"page": page})


@coordinator_required
@require_POST
def matches_approve(request):
    ids = [int(pk) for pk in request.POST.getlist("placement") if pk.isdigit()]
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
