"""A college with a simulation suite, its coordinator and facilitators; an employer coordinator who books."""

from datetime import date, time
from decimal import Decimal

import pytest

from tests import factories
from training.models import Audience, CatalogueEntry, Equipment, Room, Suite, Topic
from training.services.sessions import london

DAY = date(2027, 6, 15)


@pytest.fixture
def facilitators(college):
    return [factories.TutorFactory(email=f"facilitator{n}@example.test", organisation=college) for n in range(2)]


@pytest.fixture
def suite(college):
    return Suite.objects.create(college=college, name="Sim ward", postcode="E1 1AA")


@pytest.fixture
def room(suite):
    return Room.objects.create(
        suite=suite, name="Ward 1", capacity=12, equipment=[Equipment.MANIKINS, Equipment.HOSPITAL_BEDS]
    )


@pytest.fixture
def other_room(suite):
    return Room.objects.create(suite=suite, name="Home-care flat", capacity=6, equipment=[Equipment.HOME_CARE_FLAT])


@pytest.fixture
def entry(college):
    return CatalogueEntry.objects.create(
        college=college,
        title="Moving and handling",
        topic=Topic.MOVING_AND_HANDLING,
        audiences=[Audience.CARE_STAFF],
        learning_outcomes="Use a hoist safely.",
        duration_minutes=180,
        min_participants=2,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        equipment_needed=[Equipment.HOISTS],
        cpd_hours=Decimal("3"),
        price_or_funding="Free (LSIP funded)",
    )


def at(hour: int, minute: int = 0, day: date = DAY):
    return london(day, time(hour, minute))
