"""Reads for the public simulation-training catalogue: one query for a page of sessions plus a count, whatever
the size of the catalogue (as the placement finder: placements.selectors.opportunities)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from placements import geography
from placements.distance import distance_sq_from
from training.models import STALE_AFTER, Session, SessionStatus

LONDON = ZoneInfo("Europe/London")
# Sessions people can still see in the catalogue: closed ones are labelled (they run, but take no bookings).
LISTED = (SessionStatus.SCHEDULED, SessionStatus.CLOSED)


@dataclass(frozen=True)
class CatalogueQuery:
    audiences: tuple[str, ...] = ()
    topic: str = ""
    borough: str = ""
    from_date: date | None = None
    to_date: date | None = None
    near: geography.Point | None = None
    within_km: float | None = None
    step_free: bool = False


def london_midnight(day: date) -> datetime:
    """The first moment of ``day`` in London, so date filters mean London days whatever the season."""
    return datetime.combine(day, time(0), tzinfo=LONDON)


def fresh_since(today: date) -> date:
    """The oldest ``last_confirmed_on`` an entry may have and still be listed (CatalogueEntry.is_stale)."""
    return today - STALE_AFTER


def sessions_for_catalogue(query: CatalogueQuery, *, now: datetime | None = None) -> QuerySet[Session]:
    """Scheduled or closed sessions still to start whose catalogue entry is not stale, filtered, soonest first.

    With ``near``, annotated with ``distance_sq`` (km², equirectangular, from the suite's postcode district) and
    sorted nearest first; suites without a known location come last.
    """
    now = now or timezone.now()
    qs = Session.objects.filter(
        status__in=LISTED,
        starts_at__gt=now,
        entry__last_confirmed_on__gte=fresh_since(timezone.localdate(now)),
    ).select_related("entry", "entry__college", "room", "room__suite")
    if query.audiences:
        # The JSON list as text ('["care_staff", "students"]') holds each chosen value in quotes; this reads the
        # same on SQLite and PostgreSQL (SQLite has no JSON containment lookup).
        audiences_text = Cast("entry__audiences", TextField())
        qs = qs.alias(audiences_text=audiences_text)
        any_of = Q()
        for audience in query.audiences:
            any_of |= Q(audiences_text__contains=f'"{audience}"')
        qs = qs.filter(any_of)
    if query.topic:
        qs = qs.filter(entry__topic=query.topic)
    if query.borough:
        qs = qs.filter(entry__college__borough__iexact=query.borough)
    if query.from_date:
        qs = qs.filter(starts_at__gte=london_midnight(query.from_date))
    if query.to_date:
        qs = qs.filter(starts_at__lt=london_midnight(query.to_date + timedelta(days=1)))
    if query.step_free:
        qs = qs.filter(room__step_free_access=True)
    if query.near is None:
        return qs.order_by("starts_at", "pk")
    qs = qs.annotate(
        distance_sq=distance_sq_from(query.near, latitude="room__suite__latitude", longitude="room__suite__longitude")
    )
    if query.within_km:
        qs = qs.filter(distance_sq__lte=query.within_km**2)
    return qs.order_by(F("distance_sq").asc(nulls_last=True), "starts_at", "pk")


def session_for_public(pk: int) -> Session | None:
    """Any session by id, with what its public page shows (cancelled, past and stale ones too: the page says so)."""
    return Session.objects.select_related("entry", "entry__college", "room", "room__suite").filter(pk=pk).first()


def duration_words(minutes: int) -> str:
    """180 -> "3 hours"; 90 -> "1 hour 30 minutes"; 45 -> "45 minutes"."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
