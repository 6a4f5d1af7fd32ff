"""What an employer's coordinator may see: its own bookings, waiting list entries, approvals and training record.

Everything here is scoped to the coordinator's organisation; the views turn "not in here" into 404.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, User
from training.models import (
    Attendance,
    Attendee,
    AttendeeStatus,
    Booking,
    EmployerTrainingPolicy,
    SelfBooking,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)

LONDON = ZoneInfo("Europe/London")
HOLDS_SEAT = (AttendeeStatus.BOOKED, AttendeeStatus.AWAITING_APPROVAL)
# The people an employer's coordinator can name in a seat: its staff and its coordinators.
NAMEABLE_ROLES = (Role.STAFF, Role.COORDINATOR)


def _attendees_counted(**conditions) -> Coalesce:
    """How many of a booking's attendees meet ``conditions``, as a subquery per booking row.

    A subquery, not a join with GROUP BY: a page of 25 bookings then counts 25 bookings' attendees, where the
    grouped join counted every booking the employer ever made before it could sort and cut the page (issue 15).
    """
    counted = (
        Attendee.objects.filter(booking_id=OuterRef("pk"), **conditions)
        .order_by()
        .values("booking_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def bookings_for_employer(user: User) -> QuerySet[Booking]:
    """The coordinator's organisation's bookings, with the session, where it is and how many seats have names."""
    return (
        Booking.objects.filter(employer_id=user.organisation_id)
        .select_related("session__entry", "session__room__suite__college")
        .annotate(named=_attendees_counted(status__in=HOLDS_SEAT))
    )


def upcoming_bookings_for_employer(user: User) -> QuerySet[Booking]:
    return (
        bookings_for_employer(user)
        .filter(seats__gt=0, session__ends_at__gt=timezone.now())
        .order_by("session__starts_at", "pk")
    )


def past_bookings_for_employer(user: User) -> QuerySet[Booking]:
    return (
        bookings_for_employer(user)
        .filter(seats__gt=0, session__ends_at__lte=timezone.now())
        .annotate(attended=_attendees_counted(attendance=Attendance.ATTENDED))
        .order_by("-session__starts_at", "-pk")
    )


def booking_for_employer(user: User, pk: int) -> Booking | None:
    return bookings_for_employer(user).filter(pk=pk).first()


def attendees_for_booking(booking: Booking) -> QuerySet[Attendee]:
    return (
        booking.attendees.filter(status__in=HOLDS_SEAT)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def staff_to_name_for_booking(booking: Booking) -> QuerySet[User]:
    """People the employer can name in this booking: its active staff and coordinators without a place already."""
    taken = Attendee.objects.filter(session_id=booking.session_id).exclude(status=AttendeeStatus.CANCELLED)
    return (
        User.objects.filter(organisation_id=booking.employer_id, is_active=True, role__in=NAMEABLE_ROLES)
        .exclude(pk__in=taken.values("person_id"))
        .order_by("last_name", "first_name", "email")
    )


def waitlist_for_employer(user: User) -> QuerySet[WaitlistEntry]:
    """The coordinator's organisation's open waiting-list blocks (staff's own entries are theirs to manage)."""
    return (
        WaitlistEntry.objects.filter(
            employer_id=user.organisation_id,
            person__isnull=True,
            status=WaitlistStatus.WAITING,
            session__starts_at__gt=timezone.now(),
        )
        .select_related("session__entry", "session__room__suite__college")
        .order_by("session__starts_at", "pk")
    )


def approvals_for_employer(user: User) -> QuerySet[Attendee]:
    """Staff's own bookings waiting for a coordinator at their employer to approve them, oldest request first."""
    return (
        Attendee.objects.filter(
            booking__employer_id=user.organisation_id,
            status=AttendeeStatus.AWAITING_APPROVAL,
            session__status=SessionStatus.SCHEDULED,
        )
        .select_related("person", "booking", "session__entry", "session__room__suite__college")
        .order_by("created_at", "pk")
    )


def training_policy_for_employer(user: User) -> EmployerTrainingPolicy:
    """The organisation's policy, or an unsaved default (staff cannot book for themselves)."""
    policy = (
        EmployerTrainingPolicy.objects.filter(employer_id=user.organisation_id).select_related("updated_by").first()
    )
    return policy or EmployerTrainingPolicy(employer_id=user.organisation_id, self_booking=SelfBooking.OFF)


def training_record_for_employer(
    user: User, *, person: str = "", date_from=None, date_to=None, topic: str = ""
) -> QuerySet[Attendee]:
    """The employer's staff who attended a session (from its bookings): who, what, when and CPD hours.

    ``date_from`` and ``date_to`` are London dates, inclusive.
    """
    rows = Attendee.objects.filter(
        booking__employer_id=user.organisation_id,
        attendance=Attendance.ATTENDED,
    ).exclude(session__status=SessionStatus.CANCELLED)
    person = (person or "").strip()
    if person:
        rows = rows.filter(
            Q(person__first_name__icontains=person)
            | Q(person__last_name__icontains=person)
            | Q(person__email__icontains=person)
        )
    if date_from:
        rows = rows.filter(session__starts_at__gte=_london_midnight(date_from))
    if date_to:
        rows = rows.filter(session__starts_at__lt=_london_midnight(date_to, days_after=1))
    if topic:
        rows = rows.filter(session__entry__topic=topic)
    return rows.select_related("person", "session__entry", "session__room__suite__college").order_by(
        "-session__starts_at", "person__last_name", "person__first_name", "pk"
    )


def _london_midnight(day, days_after: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days_after), time(0), tzinfo=LONDON)


def sessions_bookable_by_employer() -> QuerySet[Session]:
    """Sessions an employer may open the booking page for: any that exists (the page says when it is closed)."""
    return Session.objects.select_related("entry", "room__suite__college")


def attendee_in_booking(booking: Booking, pk: int) -> Attendee | None:
    return booking.attendees.filter(pk=pk, status__in=HOLDS_SEAT).select_related("person", "booking").first()


def approval_for_employer(user: User, pk: int) -> Attendee | None:
    """One of the organisation's staff's own bookings, whatever its status (a repeat decision shows the outcome)."""
    return (
        Attendee.objects.filter(pk=pk, booking__employer_id=user.organisation_id)
        .select_related("person", "booking", "session__entry", "session__room__suite__college")
        .first()
    )


def waitlist_entry_for_employer(user: User, pk: int) -> WaitlistEntry | None:
    return (
        WaitlistEntry.objects.filter(pk=pk, employer_id=user.organisation_id, person__isnull=True)
        .select_related("session__entry")
        .first()
    )
