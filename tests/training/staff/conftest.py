"""Sessions relative to now (the services read the clock), employers' policies and places of each kind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from training.models import Attendee, AttendeeStatus, Audience, EmployerTrainingPolicy, SelfBooking
from training.services.seat_counts import seats_take
from training.services.sessions import session_create


def set_policy(employer, self_booking):
    EmployerTrainingPolicy.objects.update_or_create(employer=employer, defaults={"self_booking": self_booking})


@pytest.fixture
def make_session(college_coordinator, entry, room):
    """A session starting ``days`` from now (negative: in the past) at 10:00 London-ish, three hours long."""

    def make(days=14, seats=4, hours=3, cutoff_days=2, target_room=None):
        starts = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
        return session_create(
            actor=college_coordinator,
            entry=entry,
            room=target_room or room,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            facilitators=[],
            seats=seats,
            booking_cutoff=starts - timedelta(days=cutoff_days),
        )

    return make


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture
def open_to_everyone(entry):
    entry.audiences = [Audience.CARE_STAFF, Audience.NON_CLINICAL_STAFF, Audience.STUDENTS]
    entry.save(update_fields=["audiences"])
    return entry


@pytest.fixture
def self_booking_on(trust, care_provider):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    set_policy(care_provider, SelfBooking.WITHOUT_APPROVAL)


def student_place(student, session) -> Attendee:
    """A student's first-come seat, taken straight from the session (the student area's service does this)."""
    assert seats_take(session_id=session.pk, count=1)
    return Attendee.objects.create(session=session, person=student, added_by=student, status=AttendeeStatus.BOOKED)
