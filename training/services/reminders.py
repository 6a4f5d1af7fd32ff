"""Reminders before a session: each booked person two days ahead; a booker with unnamed seats before the cut-off.

No job looks for "exactly N days from now": each selects everything inside its window with no outbox row yet
(the dedupe key names what was sent), so a late, repeated or overlapping run sends each email once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.outbox import absolute_url, email_enqueue
from training.models import Attendee, AttendeeStatus, Booking, SessionStatus

REMIND_ATTENDEES_WITHIN = timedelta(days=2)
REMIND_UNNAMED_WITHIN = timedelta(days=3)
RUNNING = (SessionStatus.SCHEDULED, SessionStatus.CLOSED)
CHUNK = 500


def unsent_only[T](items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The items whose email (named by ``key(item)``) is not in the outbox yet: one query per chunk, not per item."""
    items = list(items)
    keys = [key(item) for item in items]
    sent: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        sent.update(OutboundEmail.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    return [item for item, item_key in zip(items, keys, strict=True) if item_key not in sent]


def _attendee_key(attendee: Attendee) -> str:
    return f"training-reminder-attendee-{attendee.pk}"


def _booking_key(booking: Booking) -> str:
    return f"training-reminder-unnamed-booking-{booking.pk}"


def attendees_remind(*, now: datetime | None = None) -> int:
    """Tell each booked person on a session starting within 2 days where to go and what to bring, once."""
    now = now or timezone.now()
    due = Attendee.objects.filter(
        status=AttendeeStatus.BOOKED,
        person__is_active=True,
        session__status__in=RUNNING,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMIND_ATTENDEES_WITHIN,
    ).select_related("person", "session__entry", "session__room__suite")
    due = unsent_only(due, _attendee_key)
    link = absolute_url(reverse("training:my-training"))
    for attendee in due:
        session = attendee.session
        email_enqueue(
            dedupe_key=_attendee_key(attendee),
            template="attendee_session_reminder",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context={
                "attendee": attendee,
                "session": session,
                "entry": session.entry,
                "room": session.room,
                "suite": session.room.suite,
                "cancel_url": link,
            },
        )
    return len(due)


def bookers_remind_unnamed(*, now: datetime | None = None) -> int:
    """Tell the booker of seats nobody is named in yet, once, when the cut-off is 3 days away or less."""
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            seats__gt=0,
            booked_by__is_active=True,
            session__status=SessionStatus.SCHEDULED,
            session__booking_cutoff__gt=now,
            session__booking_cutoff__lte=now + REMIND_UNNAMED_WITHIN,
        )
        .annotate(named=Count("attendees", filter=~Q(attendees__status=AttendeeStatus.CANCELLED)))
        .filter(seats__gt=F("named"))
        .select_related("booked_by", "session__entry", "session__room__suite")
    )
    due = unsent_only(due, _booking_key)
    for booking in due:
        session = booking.session
        email_enqueue(
            dedupe_key=_booking_key(booking),
            template="booker_seats_unnamed_reminder",
            to_email=booking.booked_by.email,
            recipient=booking.booked_by,
            context={
                "booking": booking,
                "unnamed": booking.seats - booking.named,
                "session": session,
                "entry": session.entry,
                "room": session.room,
                "suite": session.room.suite,
                "link": absolute_url(reverse("training:booking-detail", args=[booking.pk])),
            },
        )
    return len(due)


def sessions_remind(*, now: datetime | None = None) -> int:
    """The daily reminders job: both kinds. Returns how many emails were queued."""
    now = now or timezone.now()
    return attendees_remind(now=now) + bookers_remind_unnamed(now=now)
