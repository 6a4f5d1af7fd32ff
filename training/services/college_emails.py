"""Emails a college's changes send: a session moved (date, time or room) or cancelled. Outbox only, in the caller's
transaction, one dedupe key per change and person, so a repeat sends nothing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from notifications.outbox import absolute_url, email_enqueue
from training.models import Attendee, AttendeeStatus, Booking, Room, Session, WaitlistEntry


def _common(session: Session) -> dict:
    return {"session": session, "entry": session.entry, "room": session.room, "suite": session.room.suite}


def tell_session_moved(*, session: Session, old_starts_at, old_room_id: int) -> int:
    """Email every attendee and every booking's booker that the session's date, time or room changed."""
    session = Session.objects.select_related("entry", "room__suite").get(pk=session.pk)
    old_room = session.room if old_room_id == session.room_id else Room.objects.get(pk=old_room_id)
    # One key per change: the old and new time and room, and the moment of the change (A->B->A->B is 3 changes).
    change = f"{old_starts_at:%Y%m%dT%H%M}-{old_room_id}-{session.starts_at:%Y%m%dT%H%M}-{session.room_id}"
    change = f"{change}-{timezone.now():%Y%m%dT%H%M%S%f}"
    context = {**_common(session), "old_starts_at": old_starts_at, "old_room": old_room}
    sent = 0
    attendees = Attendee.objects.filter(session=session).exclude(status=AttendeeStatus.CANCELLED)
    for attendee in attendees.select_related("person"):
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-moved-{change}-attendee-{attendee.pk}",
            template="attendee_session_changed",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context={**context, "link": absolute_url(reverse("training:my-training"))},
        )
        sent += 1
    for booking in Booking.objects.filter(session=session, seats__gt=0).select_related("booked_by", "employer"):
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-moved-{change}-booking-{booking.pk}",
            template="booker_session_changed",
            to_email=booking.booked_by.email,
            recipient=booking.booked_by,
            context={
                **context,
                "booking": booking,
                "link": absolute_url(reverse("training:booking-detail", args=[booking.pk])),
            },
        )
        sent += 1
    return sent


def tell_session_cancelled(
    *, session: Session, attendees: list[Attendee], bookings: list[Booking], waiting: list[WaitlistEntry]
) -> int:
    """Email each attendee, each booking's booker and each waiting requester that the session is cancelled, and why."""
    context = {**_common(session), "reason": session.get_cancelled_reason_display()}
    catalogue = absolute_url(reverse("training:catalogue"))
    sent = 0
    for attendee in attendees:
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-cancelled-attendee-{attendee.pk}",
            template="attendee_session_cancelled",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context={**context, "student": attendee.booking_id is None, "link": catalogue},
        )
        sent += 1
    for booking in bookings:
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-cancelled-booking-{booking.pk}",
            template="booker_session_cancelled",
            to_email=booking.booked_by.email,
            recipient=booking.booked_by,
            context={**context, "seats": booking.seats, "link": catalogue},
        )
        sent += 1
    for entry in waiting:
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-cancelled-waitlist-{entry.pk}",
            template="requester_session_cancelled",
            to_email=entry.requested_by.email,
            recipient=entry.requested_by,
            context={**context, "seats": entry.seats, "for_self": bool(entry.person_id), "link": catalogue},
        )
        sent += 1
    return sent
