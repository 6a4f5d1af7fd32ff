"""The employer's digital skills dashboard: counts of 5 or more people, never a person's answers."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from accounts.access import role_required
from accounts.models import Role
from skills.dashboard import Quarter, dashboard_for
from skills.permissions import can_view_employer_dashboard

coordinator_required = role_required(Role.COORDINATOR)


@coordinator_required
def dashboard(request):
    # A college's coordinators run suites and employ no staff learners: 404, like every outsider.
    if not can_view_employer_dashboard(request.user):
        raise Http404
    asked = request.GET.get("period")
    period = Quarter.parse(asked) if isinstance(asked, str) else None
    board = dashboard_for(request.user.organisation, period=period)
    unknown_period = bool(asked) and period is None
    if period is not None and period not in board.quarters:
        # A quarter with no results is still a fair question: show it (all zero), with the list to choose from.
        unknown_period = False
    return render(
        request,
        "skills/employer/dashboard.html",
        {"board": board, "unknown_period": unknown_period, "level_numbers": range(5)},
    )
