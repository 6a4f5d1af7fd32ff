"""Waiting lists: when a session is full an employer (or one of its staff) waits; freed seats go oldest first.

``waitlist_fill`` runs inside the transaction that freed the seats (``training.services.seats.seats_release``), with
the session row locked, so two releases cannot hand the same seat to two employers, and a repeat finds nothing to do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from notifications.outbox import absolute_url, email_enqueue
from training.models import (
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
from training.permissions import can_book_seats
from training.services.seat_counts import seats_left, seats_take

NOT_ALLOWED = "Only a training coordinator at your organisation, or staff it lets book for themselves, can join."
ALREADY_WAITING = "Your organisation is already on the waiting list for this session."
WAIT_AT_LEAST_ONE = "Ask for at least one seat."
WAIT_TOO_MANY = "A session has only {seats} seats."
NOT_FULL = "This session still has seats: book them instead."
CLOSED = "Bookings for this session have closed, so its waiting list has too."
NOT_YOURS = "Only the person or organisation on the waiting list can leave it."


def _self_booking(employer_id: int) -> str:
    policy = EmployerTrainingPolicy.objects.filter(employer_id=employer_id).values_list("self_booking", flat=True)
    return policy.first() or SelfBooking.OFF


def _may_wait(actor: User, person: User | None) -> bool:
    if person is None:
        return can_book_seats(actor)
    return (
        person.pk == actor.pk
        and actor.is_active
        and actor.role == Role.STAFF
        and actor.organisation_id is not None
        and _self_booking(actor.organisation_id) != SelfBooking.OFF
    )


def waitlist_join(*, actor: User, session: Session, seats: int, person: User | None = None) -> WaitlistEntry:
    """Put the actor's employer (or, with ``person`` = the actor, one of its staff) on a full session's waiting list."""
    if not _may_wait(actor, person):
        raise PermissionDenied(NOT_ALLOWED)
    if seats < 1:
        raise ValidationError({"seats": WAIT_AT_LEAST_ONE}, code="seats")
    if seats > session.seats:
        raise ValidationError({"seats": WAIT_TOO_MANY.format(seats=session.seats)}, code="seats")
    if session.status != SessionStatus.SCHEDULED or timezone.now() >= session.booking_cutoff:
        raise ValidationError(CLOSED, code="closed")
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        if seats_left(session_id=session.pk) >= seats:
            raise ValidationError(NOT_FULL, code="not_full")
        waiting = WaitlistEntry.objects.filter(
            session=session, employer_id=actor.organisation_id, status=WaitlistStatus.WAITING
        )
        if (waiting.filter(person=person) if person else waiting.filter(person__isnull=True)).exists():
            raise ValidationError(ALREADY_WAITING, code="already_waiting")
        return WaitlistEntry.objects.create(
            session=session, employer_id=actor.organisation_id, person=person, requested_by=actor, seats=seats
        )


def waitlist_withdraw(*, actor: User, entry: WaitlistEntry) -> WaitlistEntry:
    """Leave the waiting list; a repeat (or an entry already given seats) changes nothing."""
    mine = entry.person_id == actor.pk if entry.person_id else can_book_seats(actor)
    if not (mine and actor.organisation_id == entry.employer_id):
        raise PermissionDenied(NOT_YOURS)
    WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
        status=WaitlistStatus.WITHDRAWN, resolved_at=timezone.now()
    )
    entry.refresh_from_db()
    return entry


def waitlist_fill(*, session_id: int) -> list[Booking]:
    """Give a session's free seats to its waiting list, oldest first; each gets what it asked for, or what is left.

    Call inside the transaction that freed the seats. An entry given fewer seats than it asked for keeps waiting
    for the rest. Each requester is emailed once per booking they are given.
    """
    session = Session.objects.select_for_update().select_related("entry").get(pk=session_id)
    if session.status != SessionStatus.SCHEDULED or timezone.now() >= session.booking_cutoff:
        return []
    given = []
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to ``person`` below.
    entries = WaitlistEntry.objects.select_for_update(of=("self",)).filter(
        session_id=session_id, status=WaitlistStatus.WAITING
    )
    for entry in entries.select_related("requested_by", "person").order_by("created_at", "pk"):
        free = seats_left(session_id=session_id)
        if free <= 0:
            break
        count = min(entry.seats, free)
        if entry.person_id and not seats_take(session_id=session_id, count=1):
            break
        if not entry.person_id and not seats_take(session_id=session_id, count=count):
            break
        count = 1 if entry.person_id else count
        booking = Booking.objects.create(
            session_id=session_id, employer_id=entry.employer_id, booked_by=entry.requested_by, seats=count
        )
        if entry.person_id:
            needs_approval = _self_booking(entry.employer_id) == SelfBooking.WITH_APPROVAL
            Attendee.objects.create(
                session_id=session_id,
                booking=booking,
                person=entry.person,
                added_by=entry.person,
                status=AttendeeStatus.AWAITING_APPROVAL if needs_approval else AttendeeStatus.BOOKED,
            )
        if count < entry.seats:
            entry.seats -= count  # still waiting for the rest
        else:
            entry.status, entry.resolved_at = WaitlistStatus.BOOKED, timezone.now()
        entry.booking = booking
        entry.save(update_fields=["seats", "status", "resolved_at", "booking"])
        email_enqueue(
            dedupe_key=f"training-waitlist-{entry.pk}-booking-{booking.pk}",
            template="booker_waitlist_seats_given",
            to_email=entry.requested_by.email,
            recipient=entry.requested_by,
            context={
                "session": session,
                "entry": session.entry,
                "seats": count,
                "for_self": bool(entry.person_id),
                "link": absolute_url(reverse("training:my-training" if entry.person_id else "training:employer-home")),
            },
        )
        given.append(booking)
    return given
