"""Reads for a person's own training places (staff and students) and for the calendar feeds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from training.models import (
    Attendee,
    AttendeeStatus,
    PersonCalendar,
    Room,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)

# How far back the feeds reach: a year of past training stays in the person's calendar.
FEED_HISTORY = timedelta(days=365)
CANCELLED_SHOWN = 25


def places_of(person: User) -> QuerySet[Attendee]:
    """Every place the person holds or held, with what a page or feed shows about its session."""
    return Attendee.objects.filter(person=person).select_related(
        "session", "session__entry", "session__entry__college", "session__room", "session__room__suite"
    )


def place_of(person: User, pk) -> Attendee | None:
    """One of the person's own places; None for anyone else's (the view answers 404)."""
    return places_of(person).filter(pk=pk).first()


def place_on(person: User, session: Session) -> Attendee | None:
    """The person's live place on ``session``, if they have one."""
    return places_of(person).filter(session=session).exclude(status=AttendeeStatus.CANCELLED).first()


def places_for_person(person: User, now: datetime | None = None) -> dict[str, QuerySet[Attendee]]:
    """The person's places split for their page: upcoming (held, not ended), past (held, ended), cancelled."""
    now = now or timezone.now()
    mine = places_of(person)
    live = Q(session__status__in=[SessionStatus.SCHEDULED, SessionStatus.CLOSED])
    held = mine.filter(live, status__in=[AttendeeStatus.BOOKED, AttendeeStatus.AWAITING_APPROVAL])
    return {
        "upcoming": held.filter(session__ends_at__gt=now).order_by("session__starts_at", "pk"),
        "past": held.filter(session__ends_at__lte=now, status=AttendeeStatus.BOOKED).order_by(
            "-session__starts_at", "-pk"
        ),
        "cancelled": mine.filter(Q(status=AttendeeStatus.CANCELLED) | Q(session__status=SessionStatus.CANCELLED))
        .filter(session__starts_at__gte=now - FEED_HISTORY)
        .order_by("-session__starts_at", "-pk")[:CANCELLED_SHOWN],
    }


def waitlist_for_person(person: User, now: datetime | None = None) -> QuerySet[WaitlistEntry]:
    """The person's own waiting-list entries still waiting, on sessions that have not closed."""
    now = now or timezone.now()
    return (
        WaitlistEntry.objects.filter(person=person, status=WaitlistStatus.WAITING, session__booking_cutoff__gt=now)
        .select_related("session", "session__entry", "session__entry__college", "session__room__suite")
        .order_by("session__starts_at", "pk")
    )


def attendees_for_calendar(person: User, *, cancelled_since: datetime) -> QuerySet[Attendee]:
    """The places in a person's feed: held ones from the last year on, and ones cancelled since ``cancelled_since``."""
    held = Q(status__in=[AttendeeStatus.BOOKED, AttendeeStatus.AWAITING_APPROVAL]) & ~Q(
        session__status=SessionStatus.CANCELLED
    )
    cancelled = Q(status=AttendeeStatus.CANCELLED, cancelled_at__gte=cancelled_since) | Q(
        session__status=SessionStatus.CANCELLED, session__cancelled_at__gte=cancelled_since
    )
    return (
        places_of(person)
        .filter(held | cancelled, session__starts_at__gte=timezone.now() - FEED_HISTORY)
        .order_by("session__starts_at", "pk")
    )


def sessions_for_room_calendar(room: Room) -> QuerySet[Session]:
    return (
        Session.objects.filter(room=room, starts_at__gte=timezone.now() - FEED_HISTORY)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("entry", "room", "room__suite")
        .order_by("starts_at", "pk")
    )


# What secrets.token_urlsafe makes. Anything else (a NUL byte, 5 kB of text) is no feed, and never reaches the
# database, which would refuse a NUL with an error rather than find nothing.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,128}")


def person_calendar_by_token(token: str) -> PersonCalendar | None:
    """An active person's feed whose secret is ``token`` (how it is looked up: training.services.calendars)."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    return PersonCalendar.objects.filter(token=token, person__is_active=True).select_related("person").first()


def room_by_calendar_token(token: str) -> Room | None:
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    return Room.objects.filter(calendar_token=token).select_related("suite").first()
