"""iCalendar feeds (RFC 5545, written by the ``icalendar`` library): a person's training places and a room's sessions.

Calendar apps (Outlook, Google, Apple) cannot sign in, so the address itself is the key: a token from
``secrets.token_urlsafe(32)`` (256 random bits) in the URL. Making a new one replaces the old, whose address then
answers 404.

Token look-up, our decision: the token is found by equality on its unique index (``PersonCalendar.token``,
``Room.calendar_token``), not compared in Python. We keep the token itself, not a hash of it, because the person's
page shows their address again on every visit. Any timing difference in an index look-up could at most hint at how
a guess sorts against stored tokens; with 2**256 possible tokens and nothing served until all 43 characters match,
that gives an attacker nothing usable, and the feed holds no more than the person's own page does.

Times are written in UTC (``DTSTART:20271031T013000Z``): an instant, so the calendar app shows it in its own zone
and the clock changes (the repeated hour of the last Sunday of October) cannot shift it. Each event's UID is
stable (one per place, one per session) so updates replace the event; a cancelled place or session stays in the
feed as ``STATUS:CANCELLED`` for ``KEEP_CANCELLED`` so calendars remove it, then drops out.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User
from notifications.outbox import absolute_url
from training.models import AttendeeStatus, PersonCalendar, Room, SessionStatus
from training.permissions import ensure_can_manage_suite
from training.selectors.staff import attendees_for_calendar, sessions_for_room_calendar

KEEP_CANCELLED = timedelta(days=30)
PRODID = "-//Health & Care Work Experience Portal//Simulation training//EN"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def person_calendar_get_or_create(*, person: User) -> PersonCalendar:
    """The person's feed secret, made on first use."""
    calendar = PersonCalendar.objects.filter(person=person).first()
    if calendar is not None:
        return calendar
    try:
        with transaction.atomic():
            return PersonCalendar.objects.create(person=person, token=_new_token())
    except IntegrityError:  # two first visits at once: the other one made it
        return PersonCalendar.objects.get(person=person)


def person_calendar_renew(*, actor: User) -> PersonCalendar:
    """A new secret for the actor's own feed; the old address stops working at once."""
    calendar = person_calendar_get_or_create(person=actor)
    calendar.token = _new_token()
    calendar.save(update_fields=["token"])
    return calendar


def room_calendar_renew(*, actor: User, room: Room) -> Room:
    """A new secret for a room's feed (the college's coordinator only); the old address stops working at once."""
    ensure_can_manage_suite(actor, room.suite.college)
    room.calendar_token = _new_token()
    room.save(update_fields=["calendar_token"])
    return room


def feed_urls(path: str) -> dict[str, str]:
    """The https:// address of a feed and its webcal:// twin (which asks the calendar app to subscribe)."""
    https = absolute_url(path)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Ask calendar apps to look again every few hours (most do so at their own pace anyway).
    calendar.add("refresh-interval", timedelta(hours=4), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT4H")
    return calendar


def _where(session) -> str:
    suite = session.room.suite
    parts = [f"{session.room.name}, {suite.name}", suite.address.replace("\n", ", ").strip(), suite.postcode]
    return ", ".join(part for part in parts if part)


def _event(*, uid: str, session, summary: str, description: str, status: str, sequence: int, now) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", _where(session))
    event.add("description", description)
    event.add("url", absolute_url(reverse("training:session-detail", args=[session.pk])))
    event.add("status", status)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    return event


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def person_calendar_ics(*, calendar: PersonCalendar) -> bytes:
    """The person's places: booked ones confirmed, those awaiting approval tentative, cancelled ones for 30 days."""
    now = timezone.now()
    feed = _calendar("Simulation training")
    host = _uid_host()
    for attendee in attendees_for_calendar(calendar.person, cancelled_since=now - KEEP_CANCELLED):
        session = attendee.session
        cancelled = attendee.status == AttendeeStatus.CANCELLED or session.status == SessionStatus.CANCELLED
        if cancelled:
            status, prefix = "CANCELLED", "Cancelled: "
        elif attendee.status == AttendeeStatus.AWAITING_APPROVAL:
            status, prefix = "TENTATIVE", "Waiting for approval: "
        else:
            status, prefix = "CONFIRMED", ""
        entry = session.entry
        description = "\n\n".join(
            part
            for part in (
                f"Run by {entry.college.name}.",
                f"What you will learn:\n{entry.learning_outcomes.strip()}" if entry.learning_outcomes.strip() else "",
                f"Session details: {absolute_url(reverse('training:session-detail', args=[session.pk]))}",
                f"Your training: {absolute_url(reverse('training:my-training'))}",
            )
            if part
        )
        feed.add_component(
            _event(
                uid=f"training-place-{attendee.pk}@{host}",
                session=session,
                summary=f"{prefix}{entry.title}",
                description=description,
                status=status,
                sequence=2 if cancelled else (0 if status == "TENTATIVE" else 1),
                now=now,
            )
        )
    return feed.to_ical()


def room_calendar_ics(*, room: Room) -> bytes:
    """A room's sessions that are not cancelled, with seats taken and no one's name."""
    now = timezone.now()
    feed = _calendar(f"{room.name}, {room.suite.name}")
    host = _uid_host()
    for session in sessions_for_room_calendar(room):
        closed = " (closed to bookings)" if session.status == SessionStatus.CLOSED else ""
        description = (
            f"{session.seats_taken} of {session.seats} seats taken{closed}.\n\n"
            f"Session details: {absolute_url(reverse('training:session-detail', args=[session.pk]))}"
        )
        feed.add_component(
            _event(
                uid=f"training-session-{session.pk}@{host}",
                session=session,
                summary=session.entry.title,
                description=description,
                status="CONFIRMED",
                sequence=0,
                now=now,
            )
        )
    return feed.to_ical()
