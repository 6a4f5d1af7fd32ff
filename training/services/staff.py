"""A person's own training places: booking a seat for themselves, cancelling it, rating their confidence.

Staff members sit in a seat of their employer's booking (a self-booked seat is a one-seat booking they made);
students sit in a seat taken straight from the session (``booking`` is null). Seats only move through
``training.services.seat_counts`` / ``seats_release`` (conditional UPDATEs); whenever a seat is freed the waiting
list gets it in the same transaction. Locks are taken booking -> attendee -> session, the order the employer's
services use, so two of them cannot deadlock.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from notifications.outbox import absolute_url, email_enqueue, name_as_data
from training.models import (
    Attendance,
    Attendee,
    AttendeeStatus,
    Audience,
    Booking,
    EmployerTrainingPolicy,
    SelfBooking,
    Session,
    SessionStatus,
)
from training.permissions import ensure_can_self_book
from training.services.seat_counts import seats_give_back, seats_take
from training.services.seats import seats_release
from training.services.waitlist import waitlist_fill

SESSION_NOT_OPEN = "This session is not taking bookings."
BOOKING_CLOSED = "Bookings for this session have closed."
SESSION_FULL = "This session is full. You can join the waiting list: if a place comes free, it is yours."
ALREADY_ON_SESSION = "You already have a place on this session."
STUDENTS_ONLY = "This session is for students, not staff."
NOT_YOUR_PLACE = "Only the person in this place can change it."
CANCEL_CLOSED = "Places can only be cancelled up to the booking cut-off. Tell the college if you cannot go."
SESSION_CANCELLED = "The college cancelled this session, so there is no place to cancel."
CONFIDENCE_CHOOSE = "Choose how confident you feel, from 1 to 5"
CONFIDENCE_BEFORE_CLOSED = "You can only say how confident you feel before the session until it starts."
CONFIDENCE_AFTER_NOT_YET = (
    "You can say how confident you feel after the session once the college marks you as attended."
)
CONFIDENCE_CANCELLED = "This place was cancelled."

STAFF_AUDIENCES = {Audience.CARE_STAFF, Audience.NON_CLINICAL_STAFF, Audience.CLINICAL_SUPPORT_STAFF}
BEFORE, AFTER = "before", "after"


def self_booking_needs_approval(employer_id: int) -> bool:
    """Does this employer ask a coordinator to approve places its staff book for themselves?"""
    policy = EmployerTrainingPolicy.objects.filter(employer_id=employer_id).values_list("self_booking", flat=True)
    return policy.first() == SelfBooking.WITH_APPROVAL


def attendee_self_book(*, actor: User, session: Session) -> Attendee:
    """A staff member takes one seat for themselves (a one-seat booking for their employer); emails them, and the
    employer's coordinators when the policy asks for approval. Full: raises ``full`` (offer the waiting list)."""
    ensure_can_self_book(actor)
    if not STAFF_AUDIENCES & set(session.entry.audiences):
        raise ValidationError(STUDENTS_ONLY, code="students_only")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(SESSION_NOT_OPEN, code="not_open")
    if timezone.now() >= session.booking_cutoff:
        raise ValidationError(BOOKING_CLOSED, code="closed")
    needs_approval = self_booking_needs_approval(actor.organisation_id)
    try:
        with transaction.atomic():
            # One booking at a time per person: a double-clicked button cannot take two seats.
            User.objects.select_for_update().filter(pk=actor.pk).first()
            mine = Attendee.objects.filter(session=session, person=actor).exclude(status=AttendeeStatus.CANCELLED)
            if mine.exists():
                raise ValidationError(ALREADY_ON_SESSION, code="already_booked")
            if not seats_take(session_id=session.pk, count=1):
                raise ValidationError(SESSION_FULL, code="full")
            booking = Booking.objects.create(
                session=session, employer_id=actor.organisation_id, booked_by=actor, seats=1
            )
            attendee = Attendee.objects.create(
                session=session,
                booking=booking,
                person=actor,
                added_by=actor,
                status=AttendeeStatus.AWAITING_APPROVAL if needs_approval else AttendeeStatus.BOOKED,
            )
            _tell_about_self_booking(attendee, session, needs_approval)
    except IntegrityError as error:  # the once-per-session constraint: a second request got there first
        raise ValidationError(ALREADY_ON_SESSION, code="already_booked") from error
    return attendee


def _tell_about_self_booking(attendee: Attendee, session: Session, needs_approval: bool) -> None:
    person = attendee.person
    context = {
        "session": session,
        "entry": session.entry,
        "person_name": name_as_data(person.get_full_name()),
        "link": absolute_url(reverse("training:my-training")),
    }
    email_enqueue(
        dedupe_key=f"training-attendee-{attendee.pk}-self-booked",
        template="attendee_place_awaiting_approval" if needs_approval else "attendee_place_booked",
        to_email=person.email,
        recipient=person,
        context=context,
    )
    if not needs_approval:
        return
    coordinators = User.objects.filter(
        organisation_id=person.organisation_id, role=Role.COORDINATOR, is_active=True
    ).order_by("pk")
    for coordinator in coordinators:
        email_enqueue(
            dedupe_key=f"training-attendee-{attendee.pk}-approval-requested-{coordinator.pk}",
            template="coordinator_training_approval_requested",
            to_email=coordinator.email,
            recipient=coordinator,
            context={**context, "link": absolute_url(reverse("training:employer-approvals"))},
        )


def attendee_cancel_own(*, actor: User, attendee: Attendee) -> Attendee:
    """The person gives up their own place, up to the cut-off. A self-booked seat goes back (and on to the waiting
    list); a seat in the employer's block stays with the employer (its booker is told); a student's seat goes back
    to the session and on to the waiting list. A repeat changes nothing."""
    if attendee.person_id != actor.pk or actor.role not in (Role.STAFF, Role.STUDENT):
        raise PermissionDenied(NOT_YOUR_PLACE)
    with transaction.atomic():
        booking = None
        if attendee.booking_id is not None:
            booking = Booking.objects.select_for_update().get(pk=attendee.booking_id)
        attendee = Attendee.objects.select_for_update().select_related("session", "session__entry").get(pk=attendee.pk)
        if attendee.status == AttendeeStatus.CANCELLED:
            return attendee  # a repeat is harmless
        session = attendee.session
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(SESSION_CANCELLED, code="session_cancelled")
        if timezone.now() >= session.booking_cutoff:
            raise ValidationError(CANCEL_CLOSED, code="closed")
        attendee.status, attendee.cancelled_at = AttendeeStatus.CANCELLED, timezone.now()
        attendee.save(update_fields=["status", "cancelled_at"])
        if booking is None:
            seats_give_back(session_id=session.pk, count=1)
            waitlist_fill(session_id=session.pk)
        elif booking.seats == 1 and booking.booked_by_id == actor.pk:
            seats_release(booking=booking, count=1)
        else:
            _tell_booker_seat_free(attendee, booking, session)
    return attendee


def _tell_booker_seat_free(attendee: Attendee, booking: Booking, session: Session) -> None:
    booker = User.objects.get(pk=booking.booked_by_id)
    if not booker.is_active:
        return
    email_enqueue(
        dedupe_key=f"training-attendee-{attendee.pk}-cancelled-tell-booker",
        template="booker_named_seat_freed",
        to_email=booker.email,
        recipient=booker,
        context={
            "session": session,
            "entry": session.entry,
            "link": absolute_url(reverse("training:booking-detail", args=[booking.pk])),
        },
    )


def confidence_window(attendee: Attendee, now=None) -> str | None:
    """Which rating the person may give now: "before" until the session starts, "after" once attended."""
    now = now or timezone.now()
    if attendee.status == AttendeeStatus.CANCELLED or attendee.session.status == SessionStatus.CANCELLED:
        return None
    if now < attendee.session.starts_at:
        return BEFORE
    if attendee.attendance == Attendance.ATTENDED:
        return AFTER
    return None


def attendee_rate_confidence(*, actor: User, attendee: Attendee, when: str, value) -> Attendee:
    """Save how confident the person feels (1 to 5) before the session (until it starts) or after (once attended)."""
    if attendee.person_id != actor.pk:
        raise PermissionDenied(NOT_YOUR_PLACE)
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"confidence": CONFIDENCE_CHOOSE}, code="confidence")
    if attendee.status == AttendeeStatus.CANCELLED or attendee.session.status == SessionStatus.CANCELLED:
        raise ValidationError(CONFIDENCE_CANCELLED, code="cancelled")
    window = confidence_window(attendee)
    if when == BEFORE and window != BEFORE:
        raise ValidationError(CONFIDENCE_BEFORE_CLOSED, code="before_closed")
    if when == AFTER and window != AFTER:
        raise ValidationError(CONFIDENCE_AFTER_NOT_YET, code="after_not_yet")
    if when not in (BEFORE, AFTER):
        raise ValidationError(CONFIDENCE_CHOOSE, code="when")
    field = "confidence_before" if when == BEFORE else "confidence_after"
    Attendee.objects.filter(pk=attendee.pk).update(**{field: value})
    setattr(attendee, field, value)
    return attendee
