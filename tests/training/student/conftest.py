"""A student left without a place, a college's insight day open to students, and sessions of it."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from placements.models import Application
from placements.workflow import Status
from tests.factories import RoundFactory
from tests.placements.helpers import make_application
from training.models import Audience, CatalogueEntry, Session, Topic
from training.services.sessions import london, session_create


def in_days(days: int, hour: int = 10):
    return london(timezone.localdate() + timedelta(days=days), time(hour))


@pytest.fixture
def round_(db):
    return RoundFactory(name="Summer 2027")


def application_for(student, round_, *, status=Status.UNSUCCESSFUL, age=17, **fields) -> Application:
    """``student``'s application in ``round_`` at ``status``, free from today for 100 days unless told."""
    today = timezone.localdate()
    fields.setdefault("available_from", today)
    fields.setdefault("available_to", today + timedelta(days=100))
    application = make_application(student, round_=round_, age=age, **fields)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.fixture
def unplaced(student, round_):
    return application_for(student, round_)


@pytest.fixture
def insight_day(college):
    return CatalogueEntry.objects.create(
        college=college,
        title="Careers in health and care: insight day",
        topic=Topic.CAREERS,
        audiences=[Audience.STUDENTS],
        learning_outcomes="Meet nurses, paramedics and carers; try the sim ward.",
        duration_minutes=240,
        min_participants=1,
        max_participants=12,
        facilitators_per_participant=Decimal("0.1"),
        min_age=16,
    )


def make_session(actor, entry, room, *, days=20, hour=10, seats=8, cutoff_days_before=1) -> Session:
    starts_at = in_days(days, hour)
    return session_create(
        actor=actor,
        entry=entry,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        facilitators=[],
        seats=seats,
        booking_cutoff=starts_at - timedelta(days=cutoff_days_before),
    )


@pytest.fixture
def student_session(college_coordinator, insight_day, room):
    return make_session(college_coordinator, insight_day, room)
