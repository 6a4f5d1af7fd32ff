"""Seats on a session: an employer's block, taken or given back by conditional UPDATE (ADR 0016)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from training.models import AttendeeStatus, Booking, Session, SessionStatus
from training.permissions import ensure_can_book_seats, ensure_can_cancel_booking
from training.services.seat_counts import seats_give_back, seats_left, seats_take
from training.services.waitlist import waitlist_fill

SESSION_FULL = "This session is full."
FEWER_SEATS_LEFT = "Only {left} seats are left on this session."
ONE_SEAT_LEFT = "Only 1 seat is left on this session."


def fewer_seats_left(left: int) -> str:
    return ONE_SEAT_LEFT if left == 1 else FEWER_SEATS_LEFT.format(left=left)


BOOKING_CLOSED = "Bookings for this session have closed."
SESSION_NOT_OPEN = "This session is not taking bookings."
SEATS_AT_LEAST_ONE = "Book at least one seat."
CANCEL_CLOSED = "Seats can only be cancelled up to the booking cut-off."
CANCEL_TOO_MANY = "This booking holds only {held} seats."
UNNAME_FIRST = "{named} people are named in this booking's seats: remove names before cancelling their seats."


def seats_book(*, actor: User, session: Session, count: int) -> Booking:
    """An employer's coordinator takes ``count`` seats on ``session`` for its staff, or is told it is full."""
    ensure_can_book_seats(actor)
    if count < 1:
        raise ValidationError({"count": SEATS_AT_LEAST_ONE}, code="count")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(SESSION_NOT_OPEN, code="not_open")
    if timezone.now() >= session.booking_cutoff:
        raise ValidationError(BOOKING_CLOSED, code="closed")
    with transaction.atomic():
        if not seats_take(session_id=session.pk, count=count):
            left = seats_left(session_id=session.pk)
            if left <= 0:
                raise ValidationError(SESSION_FULL, code="full")
            raise ValidationError(fewer_seats_left(left), code="full")
        return Booking.objects.create(session=session, employer_id=actor.organisation_id, booked_by=actor, seats=count)


def seats_cancel(*, actor: User, booking: Booking, count: int | None = None) -> Booking:
    """Give back ``count`` (default all) of a booking's seats, up to the session's booking cut-off."""
    ensure_can_cancel_booking(actor, booking)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
        count = booking.seats if count is None else count
        if booking.seats == 0 or count == 0:
            return booking  # already cancelled: a repeat is harmless
        if count < 0 or count > booking.seats:
            raise ValidationError(CANCEL_TOO_MANY.format(held=booking.seats), code="too_many")
        if timezone.now() >= booking.session.booking_cutoff:
            raise ValidationError(CANCEL_CLOSED, code="closed")
        named = booking.attendees.exclude(status=AttendeeStatus.CANCELLED).count()
        if booking.seats - count < named:
            raise ValidationError(UNNAME_FIRST.format(named=named), code="named")
        seats_release(booking=booking, count=count)
    return booking


def seats_release(*, booking: Booking, count: int) -> Booking:
    """Give back ``count`` seats of a booking (locked by the caller) and offer them to the waiting list at once.

    Internal: the caller has checked who may do this and when. Runs in the caller's transaction.
    """
    seats_give_back(session_id=booking.session_id, count=count)
    booking.seats -= count
    if booking.seats == 0:
        booking.cancelled_at = timezone.now()
    booking.save(update_fields=["seats", "cancelled_at"])
    waitlist_fill(session_id=booking.session_id)
    return booking
