"""An employer's side of simulation training: its block of seats, naming staff in them, approvals, its policy.

Seats themselves move only through ``training.services.seats`` (conditional UPDATEs). Naming and approving happen
with the booking row locked, so two coordinators naming people at once can never name more people than seats.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User
from notifications.outbox import absolute_url, email_enqueue
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    EmployerTrainingPolicy,
    SelfBooking,
    Session,
    SessionStatus,
)
from training.permissions import (
    ensure_can_book_seats,
    ensure_can_cancel_booking,
    ensure_can_decide_approval,
    ensure_can_set_training_policy,
)
from training.selectors.employer import NAMEABLE_ROLES
from training.services.seat_counts import seats_left, seats_take
from training.services.seats import (
    BOOKING_CLOSED,
    SEATS_AT_LEAST_ONE,
    SESSION_FULL,
    SESSION_NOT_OPEN,
    fewer_seats_left,
    seats_book,
    seats_release,
)

NAMING_CLOSED = "Names can only be changed up to the booking cut-off."
ALL_SEATS_NAMED = "Every seat in this booking has a name. Book more seats, or remove a name first."
NOT_YOUR_PERSON = "You can only name active staff and coordinators at your own organisation."
ALREADY_ON_SESSION = "{name} already has a place on this session."
BOOKING_CANCELLED = "This booking has no seats left."
NOT_AWAITING = "This request has already been decided."
APPROVAL_CLOSED = "Bookings for this session have closed, so this request can no longer be approved."
ALREADY_APPROVED = "This request was approved. To free the seat, remove the name from the booking instead."
ALREADY_DECLINED = "This request was declined, so it cannot be approved now."
UNKNOWN_POLICY = "Choose whether your staff can book for themselves."


def _is_open(session: Session) -> bool:
    return session.status == SessionStatus.SCHEDULED and timezone.now() < session.booking_cutoff


def booking_existing_block(*, employer_id: int, session_id: int) -> Booking | None:
    """The employer's coordinator-made block on a session that still holds seats (not a member of staff's own)."""
    return (
        Booking.objects.filter(
            employer_id=employer_id, session_id=session_id, seats__gt=0, booked_by__role=Role.COORDINATOR
        )
        .order_by("created_at", "pk")
        .first()
    )


def booking_make(*, actor: User, session: Session, count: int) -> tuple[Booking, bool]:
    """Book ``count`` seats for the actor's employer: added to its existing block on the session, or a new one.

    Returns the booking and whether seats were added to an existing one.
    """
    ensure_can_book_seats(actor)
    existing = booking_existing_block(employer_id=actor.organisation_id, session_id=session.pk)
    if existing is None:
        return seats_book(actor=actor, session=session, count=count), False
    return booking_add_seats(actor=actor, booking=existing, count=count), True


def booking_add_seats(*, actor: User, booking: Booking, count: int) -> Booking:
    """Take ``count`` more seats on the booking's session into the same booking (one transaction, booking locked)."""
    ensure_can_cancel_booking(actor, booking)
    if count < 1:
        raise ValidationError({"count": SEATS_AT_LEAST_ONE}, code="count")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        session = Session.objects.get(pk=booking.session_id)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError(SESSION_NOT_OPEN, code="not_open")
        if timezone.now() >= session.booking_cutoff:
            raise ValidationError(BOOKING_CLOSED, code="closed")
        if not seats_take(session_id=session.pk, count=count):
            left = seats_left(session_id=session.pk)
            if left <= 0:
                raise ValidationError(SESSION_FULL, code="full")
            raise ValidationError(fewer_seats_left(left), code="full")
        booking.seats += count
        booking.cancelled_at = None
        booking.save(update_fields=["seats", "cancelled_at"])
    booking.session = session
    return booking


def _place_context(attendee: Attendee, session: Session) -> dict:
    return {
        "attendee": attendee,
        "session": session,
        "entry": session.entry,
        "room": session.room,
        "suite": session.room.suite,
        "college": session.room.suite.college,
        "link": absolute_url(reverse("training:my-training")),
    }


def _session_for_email(session_id: int) -> Session:
    return Session.objects.select_related("entry", "room__suite__college").get(pk=session_id)


def attendee_name(*, actor: User, booking: Booking, person: User) -> Attendee:
    """Name ``person`` (staff or a coordinator of the booking's employer) in an unnamed seat, up to the cut-off.

    The booking row is locked while counting, so two coordinators naming at once never name more people than seats.
    The person is emailed the date, time and place.
    """
    ensure_can_cancel_booking(actor, booking)
    if not (person.is_active and person.role in NAMEABLE_ROLES and person.organisation_id == booking.employer_id):
        raise ValidationError({"person": NOT_YOUR_PERSON}, code="not_your_person")
    try:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            session = _session_for_email(booking.session_id)
            if not _is_open(session):
                raise ValidationError(NAMING_CLOSED, code="closed")
            if booking.seats == 0:
                raise ValidationError(BOOKING_CANCELLED, code="cancelled")
            if booking.attendees.exclude(status=AttendeeStatus.CANCELLED).count() >= booking.seats:
                raise ValidationError(ALL_SEATS_NAMED, code="all_named")
            places = Attendee.objects.filter(session=session, person=person)
            if places.exclude(status=AttendeeStatus.CANCELLED).exists():
                raise ValidationError(ALREADY_ON_SESSION.format(name=person.get_full_name()), code="already_named")
            attendee = Attendee.objects.create(
                session=session, booking=booking, person=person, added_by=actor, status=AttendeeStatus.BOOKED
            )
            email_enqueue(
                dedupe_key=f"training-attendee-{attendee.pk}-booked",
                template="attendee_place_booked",
                to_email=person.email,
                recipient=person,
                context=_place_context(attendee, session),
            )
    except IntegrityError as error:  # the same person named at the same moment through another booking
        raise ValidationError(ALREADY_ON_SESSION.format(name=person.get_full_name()), code="already_named") from error
    return attendee


def attendee_unname(*, actor: User, attendee: Attendee) -> Attendee:
    """Take a person's name out of a booked seat, up to the cut-off; the seat stays with the employer, unnamed.

    The person is emailed that their place was cancelled. A repeat does nothing.
    """
    if attendee.booking_id is None:
        raise PermissionDenied("Only places in an employer's booking can be removed here.")
    ensure_can_cancel_booking(actor, attendee.booking)
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=attendee.booking_id)
        attendee = Attendee.objects.select_related("person").get(pk=attendee.pk)
        if attendee.status == AttendeeStatus.CANCELLED:
            return attendee
        session = _session_for_email(attendee.session_id)
        if timezone.now() >= session.booking_cutoff:
            raise ValidationError(NAMING_CLOSED, code="closed")
        attendee.status, attendee.cancelled_at = AttendeeStatus.CANCELLED, timezone.now()
        attendee.save(update_fields=["status", "cancelled_at"])
        email_enqueue(
            dedupe_key=f"training-attendee-{attendee.pk}-cancelled",
            template="attendee_place_cancelled",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context=_place_context(attendee, session),
        )
    return attendee


def attendee_approve(*, actor: User, attendee: Attendee) -> Attendee:
    """Approve a member of staff's own booking (made under "with approval"); they are emailed. A repeat does nothing."""
    ensure_can_decide_approval(actor, attendee)
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=attendee.booking_id)
        attendee = Attendee.objects.select_related("person").get(pk=attendee.pk)
        if attendee.status == AttendeeStatus.BOOKED:
            return attendee
        if attendee.status == AttendeeStatus.CANCELLED:
            raise ValidationError(ALREADY_DECLINED, code="declined")
        session = _session_for_email(attendee.session_id)
        if not _is_open(session):
            raise ValidationError(APPROVAL_CLOSED, code="closed")
        attendee.status = AttendeeStatus.BOOKED
        attendee.approved_by, attendee.approved_at = actor, timezone.now()
        attendee.save(update_fields=["status", "approved_by", "approved_at"])
        email_enqueue(
            dedupe_key=f"training-attendee-{attendee.pk}-approved",
            template="attendee_place_approved",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context=_place_context(attendee, session),
        )
    return attendee


def attendee_decline(*, actor: User, attendee: Attendee, reason: str = "") -> Attendee:
    """Decline a member of staff's own booking: their place is cancelled, its seat goes back (to the waiting list
    first) and they are emailed, with the reason if given. A repeat does nothing."""
    ensure_can_decide_approval(actor, attendee)
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=attendee.booking_id)
        attendee = Attendee.objects.select_related("person").get(pk=attendee.pk)
        if attendee.status == AttendeeStatus.CANCELLED:
            return attendee
        if attendee.status == AttendeeStatus.BOOKED:
            raise ValidationError(ALREADY_APPROVED, code="approved")
        attendee.status, attendee.cancelled_at = AttendeeStatus.CANCELLED, timezone.now()
        attendee.save(update_fields=["status", "cancelled_at"])
        if booking.seats > 0:
            seats_release(booking=booking, count=1)
        session = _session_for_email(attendee.session_id)
        email_enqueue(
            dedupe_key=f"training-attendee-{attendee.pk}-declined",
            template="attendee_place_declined",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context={**_place_context(attendee, session), "reason": reason},
        )
    return attendee


def training_policy_set(*, actor: User, employer: Organisation, self_booking: str) -> EmployerTrainingPolicy:
    """Set whether the employer's staff may book sessions for themselves; records who changed it."""
    ensure_can_set_training_policy(actor, employer)
    if self_booking not in SelfBooking.values:
        raise ValidationError({"self_booking": UNKNOWN_POLICY}, code="self_booking")
    policy, _ = EmployerTrainingPolicy.objects.update_or_create(
        employer=employer, defaults={"self_booking": self_booking, "updated_by": actor}
    )
    return policy
