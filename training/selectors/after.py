"""Reads for around and after a session: the sessions a college marks attendance on, and its utilisation.

``utilisation_for_college`` is a handful of aggregate queries whatever the number of sessions (no loop over
sessions in Python), so the partner reports of step 11 can reuse it for many colleges.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from training.models import Attendance, Attendee, AttendeeStatus, Booking, Room, Session, SessionStatus
from training.permissions import can_manage_suite

LONDON = ZoneInfo("Europe/London")


def sessions_for_college_coordinator(user) -> QuerySet[Session]:
    """Sessions in the user's college's rooms, if the user manages that college's suites; none otherwise."""
    college = getattr(user, "organisation", None)
    if college is None or not can_manage_suite(user, college):
        return Session.objects.none()
    return Session.objects.filter(room__suite__college=college).select_related("entry", "room__suite__college")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s month to ``last``'s, in order."""
    months, month = [], month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = add_months(month, 1)
    return months


def _half_up(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def hours_available(room: Room, month: date) -> int:
    """The room's weekly hours spread over the month's days, rounded to the nearest hour."""
    days = calendar.monthrange(month.year, month.month)[1]
    return int(_half_up(Decimal(room.hours_available_per_week * days) / 7))


def _hours(duration: timedelta | None) -> Decimal:
    if not duration:
        return Decimal(0)
    return _half_up(Decimal(duration.total_seconds()) / 3600, "0.1")


def percent(part: Decimal | int, whole: Decimal | int) -> int | None:
    return int(_half_up(Decimal(part) * 100 / Decimal(whole))) if whole else None


@dataclass
class UtilisationRow:
    room: Room | None
    month: date | None
    hours_available: int = 0
    hours_booked: Decimal = Decimal(0)
    seats_offered: int = 0
    seats_filled: int = 0
    no_shows: int = 0
    sessions: int = 0
    employers: list[str] = field(default_factory=list)

    @property
    def utilisation(self) -> int | None:
        """Hours booked as a percentage of hours available (None when the room had no hours)."""
        return percent(self.hours_booked, self.hours_available)


@dataclass
class Utilisation:
    months: list[date]
    rows: list[UtilisationRow]
    total: UtilisationRow


def utilisation_for_college(college, months: list[date]) -> Utilisation:
    """Per room of ``college`` and per calendar month (London) of ``months``: hours available and booked, seats
    offered and filled, no-shows and the employers that booked. Cancelled sessions count for nothing.

    A session counts in the month it starts in; its hours are real elapsed time, so a session across a clock
    change counts the hours it really lasted.
    """
    months = sorted({month_start(month) for month in months})
    rooms = list(Room.objects.filter(suite__college=college).select_related("suite").order_by("suite__name", "name"))
    if not months:
        return Utilisation(months=[], rows=[], total=UtilisationRow(room=None, month=None))
    begins = datetime.combine(months[0], time(0), tzinfo=LONDON)
    ends = datetime.combine(add_months(months[-1], 1), time(0), tzinfo=LONDON)
    sessions = Session.objects.filter(room__suite__college=college, starts_at__gte=begins, starts_at__lt=ends).exclude(
        status=SessionStatus.CANCELLED
    )
    in_month = TruncMonth("starts_at", output_field=DateField(), tzinfo=LONDON)
    booked = {
        (row["room_id"], row["month"]): row
        for row in sessions.annotate(month=in_month)
        .values("room_id", "month")
        .annotate(
            duration=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())),
            seats_offered=Sum("seats"),
            sessions=Count("pk"),
        )
        .order_by()
    }
    people = {
        (row["room_id"], row["month"]): row
        for row in Attendee.objects.filter(session__in=sessions, status=AttendeeStatus.BOOKED)
        .annotate(
            room_id=F("session__room_id"),
            month=TruncMonth("session__starts_at", output_field=DateField(), tzinfo=LONDON),
        )
        .values("room_id", "month")
        .annotate(filled=Count("pk"), no_shows=Count("pk", filter=Q(attendance=Attendance.DID_NOT_ATTEND)))
        .order_by()
    }
    employers: dict[tuple[int, date], set[str]] = defaultdict(set)
    for room_id, month, name in (
        Booking.objects.filter(session__in=sessions, seats__gt=0)
        .annotate(month=TruncMonth("session__starts_at", output_field=DateField(), tzinfo=LONDON))
        .values_list("session__room_id", "month", "employer__name")
        .distinct()
        .order_by()
    ):
        employers[(room_id, month)].add(name)

    rows, total = [], UtilisationRow(room=None, month=None)
    for room in rooms:
        for month in months:
            key = (room.pk, month)
            sessions_row, people_row = booked.get(key, {}), people.get(key, {})
            row = UtilisationRow(
                room=room,
                month=month,
                hours_available=hours_available(room, month),
                hours_booked=_hours(sessions_row.get("duration")),
                seats_offered=sessions_row.get("seats_offered") or 0,
                seats_filled=people_row.get("filled", 0),
                no_shows=people_row.get("no_shows", 0),
                sessions=sessions_row.get("sessions", 0),
                employers=sorted(employers.get(key, ()), key=str.lower),
            )
            rows.append(row)
            total.hours_available += row.hours_available
            total.hours_booked += row.hours_booked
            total.seats_offered += row.seats_offered
            total.seats_filled += row.seats_filled
            total.no_shows += row.no_shows
            total.sessions += row.sessions
    total.employers = sorted({name for names in employers.values() for name in names}, key=str.lower)
    return Utilisation(months=months, rows=rows, total=total)
