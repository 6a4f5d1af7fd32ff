"""Sessions for catalogue tests, written straight to the table (test data; demo data goes through services)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from tests import factories
from training.models import Audience, CatalogueEntry, Room, Session, Suite, Topic
from training.services.sessions import london


def soon(days: int, hour: int = 10, minute: int = 0):
    """``days`` from today at ``hour`` London time."""
    return london(timezone.localdate() + timedelta(days=days), time(hour, minute))


def make_entry(college, **fields) -> CatalogueEntry:
    values = {
        "title": "Moving and handling",
        "topic": Topic.MOVING_AND_HANDLING,
        "audiences": [Audience.CARE_STAFF],
        "learning_outcomes": "Use a hoist safely.",
        "duration_minutes": 180,
        "min_participants": 2,
        "max_participants": 8,
        "facilitators_per_participant": Decimal("0.25"),
        "cpd_hours": Decimal("3"),
        "price_or_funding": "Free (LSIP funded)",
    }
    values.update(fields)
    return CatalogueEntry.objects.create(college=college, **values)


def make_room(college, *, postcode="E1 1AA", step_free=False, name="Ward 1") -> Room:
    suite = Suite.objects.create(college=college, name=f"Suite at {postcode}", postcode=postcode, address="1 Main St")
    return Room.objects.create(suite=suite, name=name, capacity=12, step_free_access=step_free)


def make_session(entry, room, starts_at, *, hours=3, seats=8, creator=None, **fields) -> Session:
    creator = creator or factories.CoordinatorFactory(organisation=entry.college)
    return Session.objects.create(
        entry=entry,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        booking_cutoff=fields.pop("booking_cutoff", starts_at - timedelta(days=2)),
        min_participants=fields.pop("min_participants", entry.min_participants),
        seats=seats,
        created_by=creator,
        **fields,
    )
