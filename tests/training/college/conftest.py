"""A college's suite with sessions, for the college coordinator's pages."""

from datetime import timedelta

import pytest

from tests.training.conftest import at
from training.services.sessions import session_create


@pytest.fixture
def session(college_coordinator, entry, room, facilitators):
    return session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=at(9),
        ends_at=at(12),
        facilitators=facilitators,
        seats=8,
        booking_cutoff=at(9) - timedelta(days=2),
    )
