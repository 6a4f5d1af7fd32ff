"""A session with 4 seats (bookings close two days before), and staff at the care provider to name in seats."""

from datetime import timedelta

import pytest

from tests import factories
from tests.training.conftest import at
from training.services.sessions import session_create


@pytest.fixture
def session(college_coordinator, entry, room):
    return session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=at(9),
        ends_at=at(12),
        facilitators=[],
        seats=4,
        booking_cutoff=at(9) - timedelta(days=2),
    )


@pytest.fixture
def carers(care_provider):
    return [
        factories.StaffMemberFactory(
            email=f"carer{n}@example.test", first_name=f"Carer{n}", last_name="Jones", organisation=care_provider
        )
        for n in range(3)
    ]
