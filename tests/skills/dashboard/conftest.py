"""Submitted assessments made straight in the database (levels cached as assessment_submit stores them)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from skills.models import Assessment
from skills.services import department_key
from tests import factories
from tests.skills.conftest import domains, v1  # noqa: F401  (fixtures)
from tests.training.conftest import room, suite  # noqa: F401  (fixtures)
from training.models import Audience, CatalogueEntry, Equipment, Topic

LONDON = ZoneInfo("Europe/London")
KEYS = ("identity", "communication", "learning", "technical", "information", "creation")
# In the second quarter of 2026 and the first.
NOW = datetime(2026, 5, 10, 12, tzinfo=LONDON)
BEFORE = datetime(2026, 2, 10, 12, tzinfo=LONDON)


def sitting(person, version, *, when=NOW, levels=None, group="nurses_midwives", team="Ward 7", shared=False):
    levels = levels if levels is not None else dict.fromkeys(KEYS, 2)
    return Assessment.objects.create(
        person=person,
        framework_version=version,
        submitted_at=when,
        staff_group=group,
        department=team,
        department_key=department_key(team),
        levels=levels,
        shared_with_employer=shared,
        shared_at=when if shared else None,
    )


def staff(organisation, count, start=0):
    return [
        factories.StaffMemberFactory(
            email=f"person{n}@example.test", organisation=organisation, first_name=f"Person{n}"
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def digital_entry(college):
    return CatalogueEntry.objects.create(
        college=college,
        title="Using digital care records",
        topic=Topic.DIGITAL,
        audiences=[Audience.CARE_STAFF, Audience.CLINICAL_SUPPORT_STAFF],
        learning_outcomes="Record care on a tablet.",
        duration_minutes=120,
        min_participants=2,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        equipment_needed=[Equipment.HOSPITAL_BEDS],
        cpd_hours=Decimal("2"),
        price_or_funding="Free",
    )
