"""A college coordinator's dated sessions: adding them (with weekly repeats) and changing them.

Every service checks permission first (``ensure_can_manage_suite``); a session's times, room and facilitators only
change under the locks and overlap checks ``session_create`` uses (ADR 0016), with its ``Facilitation`` rows moved
in the same transaction. Closing and cancelling are in ``college_cancellations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from placements.templatetags.wording import weekday
from training.models import CatalogueEntry, Facilitation, Room, Session, SessionStatus
from training.permissions import ensure_can_manage_suite
from training.selectors import sessions_overlapping
from training.services import college_emails
from training.services.sessions import (
    ENDS_BEFORE_START,
    FACILITATOR_TAKEN,
    LONDON,
    ROOM_TAKEN,
    london,
    session_create,
)
from training.services.waitlist import waitlist_fill

MAX_WEEKS = 26
MAX_CUTOFF_DAYS = 90
# Far enough for any real timetable; it also keeps date arithmetic (repeats, cut-offs) away from year 9999.
MAX_AHEAD = timedelta(days=2 * 366)

NOT_IN_FUTURE = "The session must start in the future."
TOO_FAR_AHEAD = "Sessions can be added up to 2 years ahead."
CUTOFF_PASSED = "Bookings would close at {when}, which has already passed. Choose a later date or fewer days before."
CUTOFF_AFTER_START = "Bookings must close before the session starts."
WEEKS_OUT_OF_RANGE = f"Repeat for 0 to {MAX_WEEKS} more weeks."
CLOCKS_GO_FORWARD = "The clocks go forward on {day}, so {time} does not exist that day. Choose another time."
CLOCKS_GO_BACK = "The clocks go back on {day}, so {time} happens twice that day. Choose a time outside 1am to 2am."
WEEK_CLASHES = "{day}: {reason}{who} Nothing has been created: change the time, room or facilitators and try again."
SEATS_BELOW_TAKEN = "{taken} seats are already taken, so the session needs at least {taken} seats."
SEATS_OVER_ROOM = "The room holds {capacity} people, so the session can have at most {capacity} seats."
SEATS_AT_LEAST_ONE = "A session needs at least 1 seat."
MINIMUM_OVER_SEATS = "The minimum cannot be more than the number of seats."
NOT_CHANGEABLE = "A cancelled session cannot be changed."
ALREADY_STARTED = "This session has already started, so it can no longer be changed or cancelled."
WRONG_COLLEGE = "The room and facilitators must belong to your college."


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def wall_clock_problem(day: date, at: time) -> str | None:
    """Why ``at`` on ``day`` is not one clear moment in London (the clock-change hours), or None."""
    first = london(day, at)
    if _utc(first).astimezone(LONDON).replace(tzinfo=None) != first.replace(tzinfo=None):
        return CLOCKS_GO_FORWARD.format(day=weekday(day), time=at.strftime("%H:%M"))
    if first.utcoffset() != first.replace(fold=1).utcoffset():
        return CLOCKS_GO_BACK.format(day=weekday(day), time=at.strftime("%H:%M"))
    return None


@dataclass(frozen=True, slots=True)
class Cutoff:
    """When bookings close: ``days_before`` the start (at the same time of day), or a fixed London date and time
    (moved on a week for each weekly repeat)."""

    days_before: int | None = 2
    at: datetime | None = None

    def for_session(self, starts_at: datetime, week: int) -> datetime:
        if self.at is not None:
            local = self.at.astimezone(LONDON)
            return london(local.date() + timedelta(weeks=week), local.time())
        local = starts_at.astimezone(LONDON)
        return london(local.date() - timedelta(days=self.days_before or 0), local.time())


def _busy_facilitators(starts_at, ends_at, facilitators, exclude_pk=None) -> list[User]:
    return [
        f
        for f in facilitators
        if sessions_overlapping(starts_at=starts_at, ends_at=ends_at, facilitators=[f], exclude_pk=exclude_pk).exists()
    ]


def sessions_create_weekly(
    *,
    actor: User,
    entry: CatalogueEntry,
    room: Room,
    first_day: date,
    start: time,
    end: time,
    facilitators: list[User],
    seats: int | None = None,
    cutoff: Cutoff = Cutoff(),
    min_participants: int | None = None,
    repeat_weeks: int = 0,
) -> list[Session]:
    """``entry`` in ``room`` on ``first_day`` from ``start`` to ``end`` (London), and the same for ``repeat_weeks``
    more weeks: all of them or none. A clash names the date and whether the room or which facilitator is busy."""
    ensure_can_manage_suite(actor, room.suite.college)
    if not 0 <= repeat_weeks <= MAX_WEEKS:
        raise ValidationError({"repeat_weeks": WEEKS_OUT_OF_RANGE}, code="weeks")
    if end <= start:
        raise ValidationError({"end": ENDS_BEFORE_START}, code="ends_before_start")
    seats = min(entry.max_participants, room.capacity) if seats is None else seats
    _check_seats(seats=seats, room=room, min_participants=min_participants)
    if first_day > timezone.localdate() + MAX_AHEAD:
        raise ValidationError({"date": TOO_FAR_AHEAD}, code="too_far")
    now = timezone.now()
    if london(first_day, start) <= now:
        raise ValidationError({"date": NOT_IN_FUTURE}, code="past")
    days = [first_day + timedelta(weeks=week) for week in range(repeat_weeks + 1)]
    for day in days:
        for field, at in (("start", start), ("end", end)):
            problem = wall_clock_problem(day, at)
            if problem:
                raise ValidationError({field: problem}, code="clock_change")
    first_cutoff = cutoff.for_session(london(first_day, start), 0)
    if first_cutoff > london(first_day, start):
        raise ValidationError({"cutoff": CUTOFF_AFTER_START}, code="cutoff_after_start")
    if first_cutoff <= now:
        raise ValidationError({"cutoff": CUTOFF_PASSED.format(when=_when(first_cutoff))}, code="cutoff_passed")
    created = []
    with transaction.atomic():
        for week, day in enumerate(days):
            starts_at, ends_at = london(day, start), london(day, end)
            try:
                created.append(
                    session_create(
                        actor=actor,
                        entry=entry,
                        room=room,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        facilitators=facilitators,
                        seats=seats,
                        booking_cutoff=cutoff.for_session(starts_at, week),
                        min_participants=min_participants,
                    )
                )
            except ValidationError as error:
                raise _clash(error, day, starts_at, ends_at, facilitators) from error
    return created


def _when(moment: datetime) -> str:
    from placements.templatetags.wording import deadline

    return deadline(moment.astimezone(LONDON))


def _clash(error: ValidationError, day, starts_at, ends_at, facilitators, exclude_pk=None) -> ValidationError:
    code = getattr(error, "code", None)
    if code not in ("room_taken", "facilitator_taken"):
        return error
    who = ""
    if code == "facilitator_taken":
        busy = _busy_facilitators(_utc(starts_at), _utc(ends_at), facilitators, exclude_pk)
        if busy:
            who = " Busy: " + ", ".join(f.get_full_name() for f in busy) + "."
    reason = ROOM_TAKEN if code == "room_taken" else FACILITATOR_TAKEN
    return ValidationError(WEEK_CLASHES.format(day=weekday(day), reason=reason, who=who), code=code)


def _check_seats(*, seats: int, room: Room, min_participants: int | None, taken: int = 0) -> None:
    if seats < 1:
        raise ValidationError({"seats": SEATS_AT_LEAST_ONE}, code="seats")
    if seats > room.capacity:
        raise ValidationError({"seats": SEATS_OVER_ROOM.format(capacity=room.capacity)}, code="too_many_seats")
    if seats < taken:
        raise ValidationError({"seats": SEATS_BELOW_TAKEN.format(taken=taken)}, code="below_taken")
    if min_participants is not None and min_participants > seats:
        raise ValidationError({"min_participants": MINIMUM_OVER_SEATS}, code="minimum")


def session_update(
    *,
    actor: User,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    room: Room,
    facilitators: list[User],
    seats: int,
    booking_cutoff: datetime,
    min_participants: int | None = None,
) -> Session:
    """Change a session's times, room, facilitators, seats or cut-off, never into a clash and never below the seats
    taken. Runs the overlap checks under ``session_create``'s locks, moves the ``Facilitation`` rows' copied times
    in the same transaction, offers added seats to the waiting list, and, when the date, time or room changes,
    emails every attendee and every booking's booker (outbox, one key per change and person)."""
    college = session.room.suite.college
    ensure_can_manage_suite(actor, college)
    facilitators = list(facilitators)
    if room.suite.college_id != college.pk or any(f.organisation_id != college.pk for f in facilitators):
        raise ValidationError(WRONG_COLLEGE, code="wrong_college")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at) or timezone.is_naive(booking_cutoff):
        raise ValueError("session_update needs aware datetimes")
    starts_at, ends_at, booking_cutoff = _utc(starts_at), _utc(ends_at), _utc(booking_cutoff)
    if ends_at <= starts_at:
        raise ValidationError({"end": ENDS_BEFORE_START}, code="ends_before_start")
    if booking_cutoff > starts_at:
        raise ValidationError({"cutoff": CUTOFF_AFTER_START}, code="cutoff_after_start")
    try:
        with transaction.atomic():
            locked = Session.objects.select_for_update().get(pk=session.pk)
            if locked.status == SessionStatus.CANCELLED:
                raise ValidationError(NOT_CHANGEABLE, code="cancelled")
            if timezone.now() >= locked.starts_at:
                raise ValidationError(ALREADY_STARTED, code="started")
            moved = (locked.starts_at, locked.ends_at, locked.room_id) != (starts_at, ends_at, room.pk)
            if moved and starts_at <= timezone.now():
                raise ValidationError({"date": NOT_IN_FUTURE}, code="past")
            if starts_at > timezone.now() + MAX_AHEAD:
                raise ValidationError({"date": TOO_FAR_AHEAD}, code="too_far")
            minimum = locked.min_participants if min_participants is None else min_participants
            _check_seats(seats=seats, room=room, min_participants=minimum, taken=locked.seats_taken)
            Room.objects.select_for_update().get(pk=room.pk)
            list(User.objects.select_for_update().filter(pk__in=[f.pk for f in facilitators]).order_by("pk"))
            overlapping = sessions_overlapping(starts_at=starts_at, ends_at=ends_at, exclude_pk=locked.pk, room=room)
            if overlapping.exists():
                raise ValidationError(ROOM_TAKEN, code="room_taken")
            if sessions_overlapping(
                starts_at=starts_at, ends_at=ends_at, facilitators=facilitators, exclude_pk=locked.pk
            ).exists():
                raise _clash(
                    ValidationError(FACILITATOR_TAKEN, code="facilitator_taken"),
                    starts_at.astimezone(LONDON).date(),
                    starts_at,
                    ends_at,
                    facilitators,
                    exclude_pk=locked.pk,
                )
            # Seats never below those taken, even by a booking made after the lock above: the UPDATE says so.
            changed = Session.objects.filter(pk=locked.pk, seats_taken__lte=seats).update(
                starts_at=starts_at,
                ends_at=ends_at,
                room=room,
                seats=seats,
                booking_cutoff=booking_cutoff,
                min_participants=minimum,
            )
            if changed != 1:
                raise ValidationError({"seats": SEATS_BELOW_TAKEN.format(taken=locked.seats_taken)}, code="below")
            keep = {f.pk for f in facilitators}
            Facilitation.objects.filter(session_id=locked.pk).exclude(facilitator_id__in=keep).delete()
            Facilitation.objects.filter(session_id=locked.pk).update(starts_at=starts_at, ends_at=ends_at)
            already = set(Facilitation.objects.filter(session_id=locked.pk).values_list("facilitator_id", flat=True))
            Facilitation.objects.bulk_create(
                Facilitation(session_id=locked.pk, facilitator_id=pk, starts_at=starts_at, ends_at=ends_at)
                for pk in sorted(keep - already)
            )
            if seats > locked.seats:
                waitlist_fill(session_id=locked.pk)
            session.refresh_from_db()
            if moved:
                college_emails.tell_session_moved(
                    session=session, old_starts_at=locked.starts_at, old_room_id=locked.room_id
                )
    except IntegrityError as error:  # PostgreSQL's exclusion constraints: someone got there first
        message = str(error)
        if "training_session_room_no_overlap" in message:
            raise ValidationError(ROOM_TAKEN, code="room_taken") from error
        if "training_facilitation_no_overlap" in message:
            raise ValidationError(FACILITATOR_TAKEN, code="facilitator_taken") from error
        raise
    return session
