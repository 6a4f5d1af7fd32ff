"""Dated simulation sessions: creating them without double-booking a room or a facilitator (ADR 0016).

No double booking, on both databases: PostgreSQL's exclusion constraints refuse a room or a facilitator in two
overlapping sessions (an IntegrityError here becomes the same ValidationError as the check); on SQLite, whose
transactions start IMMEDIATE (one writer at a time), the check below runs inside the transaction that inserts,
with the room row locked (``select_for_update``, a real lock on PostgreSQL). Seats move only by conditional
UPDATE backed by CheckConstraints.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from training.models import CatalogueEntry, Facilitation, Room, Session
from training.permissions import ensure_can_manage_suite
from training.selectors import sessions_overlapping

LONDON = ZoneInfo("Europe/London")

ROOM_TAKEN = "The room is already booked for another session at that time."
FACILITATOR_TAKEN = "A facilitator is already running another session at that time."
ENDS_BEFORE_START = "The session must end after it starts."
NAIVE_TIME = "Give the time with its time zone (Europe/London)."
WRONG_COLLEGE = "The catalogue entry, room and facilitators must all belong to your college."
CUTOFF_AFTER_START = "The booking cut-off must be before the session starts."
TOO_MANY_SEATS = "A session cannot have more seats than the room holds."


def london(day, at: time) -> datetime:
    """The aware datetime for a wall-clock time in London on ``day`` (the clock changes are the zone's business)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def _aware(value: datetime, field: str) -> datetime:
    if timezone.is_naive(value):
        raise ValidationError({field: NAIVE_TIME}, code="naive")
    # In UTC: Python compares and adds aware datetimes that share a tzinfo by wall clock, ignoring ``fold``,
    # so in London's repeated hour 01:30 (second time) would count as before 01:59 (first time).
    return value.astimezone(UTC)


def session_create(
    *,
    actor: User,
    entry: CatalogueEntry,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    facilitators: list[User],
    seats: int | None = None,
    booking_cutoff: datetime | None = None,
    min_participants: int | None = None,
) -> Session:
    """A dated session of ``entry`` in ``room``; refused if the room or a facilitator is busy at any moment of it."""
    college = room.suite.college
    ensure_can_manage_suite(actor, college)
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ENDS_BEFORE_START}, code="ends_before_start")
    facilitators = list(facilitators)
    if entry.college_id != college.pk or any(f.organisation_id != college.pk for f in facilitators):
        raise ValidationError(WRONG_COLLEGE, code="wrong_college")
    seats = min(entry.max_participants, room.capacity) if seats is None else seats
    if seats > room.capacity:
        raise ValidationError({"seats": TOO_MANY_SEATS}, code="too_many_seats")
    booking_cutoff = starts_at if booking_cutoff is None else _aware(booking_cutoff, "booking_cutoff")
    if booking_cutoff > starts_at:
        raise ValidationError({"booking_cutoff": CUTOFF_AFTER_START}, code="cutoff_after_start")
    try:
        with transaction.atomic():
            Room.objects.select_for_update().get(pk=room.pk)
            list(User.objects.select_for_update().filter(pk__in=[f.pk for f in facilitators]).order_by("pk"))
            if sessions_overlapping(starts_at=starts_at, ends_at=ends_at, room=room).exists():
                raise ValidationError(ROOM_TAKEN, code="room_taken")
            if sessions_overlapping(starts_at=starts_at, ends_at=ends_at, facilitators=facilitators).exists():
                raise ValidationError(FACILITATOR_TAKEN, code="facilitator_taken")
            session = Session.objects.create(
                entry=entry,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                booking_cutoff=booking_cutoff,
                min_participants=entry.min_participants if min_participants is None else min_participants,
                seats=seats,
                created_by=actor,
            )
            Facilitation.objects.bulk_create(
                Facilitation(session=session, facilitator=f, starts_at=starts_at, ends_at=ends_at) for f in facilitators
            )
    except IntegrityError as error:  # PostgreSQL's exclusion constraints: someone got there first
        message = str(error)
        if "training_session_room_no_overlap" in message:
            raise ValidationError(ROOM_TAKEN, code="room_taken") from error
        if "training_facilitation_no_overlap" in message:
            raise ValidationError(FACILITATOR_TAKEN, code="facilitator_taken") from error
        raise
    return session
