"""A college coordinator's rules for what the college publishes: suites, rooms and catalogue entries.

Every service checks permission first (``ensure_can_manage_suite``), so no page, task or admin path can skip it.
Dated sessions are in ``college_sessions`` (adding and changing them) and ``college_cancellations`` (closing and
cancelling them).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import Organisation, User
from training.models import CatalogueEntry, Room, Suite
from training.permissions import ensure_can_manage_suite

SUITE_FIELDS = ("name", "address", "postcode")
ROOM_FIELDS = ("name", "capacity", "equipment", "step_free_access", "hours_available_per_week")
ENTRY_FIELDS = (
    "title",
    "topic",
    "audiences",
    "learning_outcomes",
    "duration_minutes",
    "min_participants",
    "max_participants",
    "facilitators_per_participant",
    "equipment_needed",
    "cpd_hours",
    "price_or_funding",
    "min_age",
)


def _apply(instance, fields: tuple[str, ...], values: dict):
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def suite_create(*, actor: User, college: Organisation, **values) -> Suite:
    """A new simulation suite at one of the actor's college's sites."""
    ensure_can_manage_suite(actor, college)
    return _apply(Suite(college=college), SUITE_FIELDS, values)


def suite_update(*, actor: User, suite: Suite, **values) -> Suite:
    ensure_can_manage_suite(actor, suite.college)
    return _apply(suite, SUITE_FIELDS, values)


def room_create(*, actor: User, suite: Suite, **values) -> Room:
    """A new bookable room in one of the actor's college's suites."""
    ensure_can_manage_suite(actor, suite.college)
    return _apply(Room(suite=suite), ROOM_FIELDS, values)


def room_update(*, actor: User, room: Room, **values) -> Room:
    """Change a room; its sessions keep their seats (a smaller room only limits new and changed sessions)."""
    ensure_can_manage_suite(actor, room.suite.college)
    return _apply(room, ROOM_FIELDS, values)


def entry_create(*, actor: User, college: Organisation, **values) -> CatalogueEntry:
    ensure_can_manage_suite(actor, college)
    return _apply(CatalogueEntry(college=college, last_confirmed_on=timezone.localdate()), ENTRY_FIELDS, values)


def entry_update(*, actor: User, entry: CatalogueEntry, **values) -> CatalogueEntry:
    """Change an entry; saving it also confirms it is accurate today (its sessions show in the catalogue again)."""
    ensure_can_manage_suite(actor, entry.college)
    entry.last_confirmed_on = timezone.localdate()
    return _apply(entry, ENTRY_FIELDS, values)


def entry_confirm(*, actor: User, entry: CatalogueEntry, today: date | None = None) -> CatalogueEntry:
    """Record that the entry is still accurate today; a repeat the same day changes nothing."""
    ensure_can_manage_suite(actor, entry.college)
    today = today or timezone.localdate()
    CatalogueEntry.objects.filter(pk=entry.pk).exclude(last_confirmed_on=today).update(last_confirmed_on=today)
    entry.last_confirmed_on = today
    return entry
