"""A college's pages around and after its sessions: the attendance register and room utilisation (+ CSV)."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from placements.resources import neutralise_formula
from training.forms.after import AttendanceForm, UtilisationMonthsForm, month_label
from training.models import Attendance
from training.permissions import can_manage_suite
from training.selectors.after import Utilisation, sessions_for_college_coordinator, utilisation_for_college
from training.services.attendance import attendance_mark, attendance_window, attendees_to_mark

coordinator_required = role_required(Role.COORDINATOR)

UTILISATION_COLUMNS = [
    "Room",
    "Month",
    "Hours available",
    "Hours booked",
    "Utilisation",
    "Seats offered",
    "Seats filled",
    "No-shows",
    "Employers who booked",
]


@coordinator_required
def college_attendance(request, pk):
    """The register: every booked person, Attended or Did not attend; open from the start of the session."""
    session = get_object_or_404(sessions_for_college_coordinator(request.user), pk=pk)
    closed = attendance_window(session)
    attendees = list(attendees_to_mark(session))
    posted = request.method == "POST" and not closed
    form = AttendanceForm(request.POST if posted else None, attendees=attendees)
    if posted and form.is_valid():
        try:
            attendance_mark(actor=request.user, session=session, marks=form.marks())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            attended = sum(1 for mark in form.marks().values() if mark == Attendance.ATTENDED)
            messages.success(
                request,
                f"Attendance saved. {attended} {'person' if attended == 1 else 'people'} attended; "
                "each gets their certificate by email.",
            )
            return redirect("training:college-attendance", pk=session.pk)
    elif request.method == "POST" and closed:
        messages.error(request, closed)
    return render(
        request,
        "training/after/attendance.html",
        {"session": session, "form": form, "closed": closed, "attendees": attendees},
    )


def _college_or_404(request):
    college = request.user.organisation
    if college is None or not can_manage_suite(request.user, college):
        raise Http404
    return college


def _number(value: Decimal | int) -> str:
    return f"{Decimal(value).normalize():f}"


def _rate(rate: int | None, hours_booked: Decimal) -> str:
    if rate is None:
        return "Not available"
    return "Less than 1%" if rate == 0 and hours_booked > 0 else f"{rate}%"


def utilisation_table(utilisation: Utilisation) -> tuple[list[list[str]], list[str]]:
    """The report's rows and its totals row, as the text both the page and the CSV show."""

    def cells(row, room: str, month: str, employers: str) -> list[str]:
        rate = row.utilisation
        return [
            room,
            month,
            _number(row.hours_available),
            _number(row.hours_booked),
            _rate(rate, row.hours_booked),
            _number(row.seats_offered),
            _number(row.seats_filled),
            _number(row.no_shows),
            employers,
        ]

    rows = [
        cells(
            row, f"{row.room.suite.name}: {row.room.name}", month_label(row.month), ", ".join(row.employers) or "None"
        )
        for row in utilisation.rows
    ]
    months = utilisation.months
    span = f"{month_label(months[0])} to {month_label(months[-1])}" if months else ""
    count = len(utilisation.total.employers)
    total = cells(utilisation.total, "Total", span, f"{count} employer{'s' if count != 1 else ''}")
    return rows, total


@coordinator_required
def college_utilisation(request):
    """Per room and month: hours available and booked, seats offered and filled, no-shows, employers who booked."""
    college = _college_or_404(request)
    form = UtilisationMonthsForm(request.GET, today=timezone.localdate())
    months = form.months()
    rows, total = utilisation_table(utilisation_for_college(college, months))
    return render(
        request,
        "training/after/utilisation.html",
        {
            "college": college,
            "form": form,
            "months": months,
            "columns": UTILISATION_COLUMNS,
            "rows": [list(zip(UTILISATION_COLUMNS, row, strict=True)) for row in rows],
            "total": list(zip(UTILISATION_COLUMNS, total, strict=True)),
            "span": total[1],
            "query_string": request.GET.urlencode(),
        },
    )


@coordinator_required
def college_utilisation_export(request):
    """Exactly the report's table as CSV, spreadsheet formulae neutralised; a bad month choice goes to the page."""
    college = _college_or_404(request)
    form = UtilisationMonthsForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return redirect(f"{reverse('training:college-utilisation')}?{request.GET.urlencode()}")
    months = form.months()
    rows, total = utilisation_table(utilisation_for_college(college, months))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"utilisation-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(UTILISATION_COLUMNS)
    for row in [*rows, total]:
        writer.writerow([neutralise_formula(cell) for cell in row])
    return response
