"""A room, and a facilitator, are never in two overlapping sessions; times are London's across the clock changes."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from tests import factories
from tests.training.conftest import at
from training.models import Facilitation, Session
from training.services.sessions import FACILITATOR_TAKEN, ROOM_TAKEN, london, session_create

pytestmark = pytest.mark.django_db


def make(actor, entry, room, start, end, facilitators=()):
    return session_create(
        actor=actor, entry=entry, room=room, starts_at=start, ends_at=end, facilitators=list(facilitators)
    )


def test_college_coordinator_creates_a_session(college_coordinator, entry, room, facilitators):
    session = make(college_coordinator, entry, room, at(9), at(12), facilitators)
    assert session.seats == 8 and session.seats_taken == 0 and session.booking_cutoff == at(9)
    assert set(session.facilitators.all()) == set(facilitators)
    assert Facilitation.objects.filter(session=session, starts_at=at(9), ends_at=at(12)).count() == 2


def test_overlapping_session_in_the_same_room_is_refused(college_coordinator, entry, room):
    make(college_coordinator, entry, room, at(9), at(12))
    with pytest.raises(ValidationError) as error:
        make(college_coordinator, entry, room, at(11, 59), at(13))
    assert error.value.messages == [ROOM_TAKEN] and error.value.code == "room_taken"
    assert Session.objects.count() == 1


def test_session_inside_another_is_refused(college_coordinator, entry, room):
    make(college_coordinator, entry, room, at(9), at(17))
    with pytest.raises(ValidationError, match="room is already booked"):
        make(college_coordinator, entry, room, at(10), at(11))


def test_touching_end_to_start_is_allowed(college_coordinator, entry, room, facilitators):
    make(college_coordinator, entry, room, at(9), at(12), facilitators)
    make(college_coordinator, entry, room, at(12), at(15), facilitators)
    make(college_coordinator, entry, room, at(6), at(9), facilitators)
    assert Session.objects.count() == 3


def test_a_cancelled_session_frees_its_room(college_coordinator, entry, room):
    first = make(college_coordinator, entry, room, at(9), at(12))
    Session.objects.filter(pk=first.pk).update(status="cancelled")
    make(college_coordinator, entry, room, at(9), at(12))


def test_facilitator_cannot_run_two_overlapping_sessions(college_coordinator, entry, room, other_room, facilitators):
    make(college_coordinator, entry, room, at(9), at(12), facilitators[:1])
    with pytest.raises(ValidationError) as error:
        make(college_coordinator, entry, other_room, at(11), at(13), facilitators)
    assert error.value.messages == [FACILITATOR_TAKEN]
    make(college_coordinator, entry, other_room, at(11), at(13), facilitators[1:])  # the other one is free


def test_other_college_coordinator_cannot_create_a_session(other_college_coordinator, entry, room):
    with pytest.raises(PermissionDenied):
        make(other_college_coordinator, entry, room, at(9), at(12))


@pytest.mark.parametrize("persona", ["student", "staff_member", "coordinator", "tutor", "other_college_tutor"])
def test_only_the_college_coordinator_creates_sessions(persona, request, entry, room):
    with pytest.raises(PermissionDenied):
        make(request.getfixturevalue(persona), entry, room, at(9), at(12))
    assert Session.objects.count() == 0


def test_facilitators_must_belong_to_the_college(college_coordinator, other_college_tutor, entry, room):
    with pytest.raises(ValidationError, match="must all belong to your college"):
        make(college_coordinator, entry, room, at(9), at(12), [other_college_tutor])


def test_naive_and_backwards_times_are_refused(college_coordinator, entry, room):
    from datetime import datetime

    with pytest.raises(ValidationError, match="time zone"):
        make(college_coordinator, entry, room, datetime(2027, 6, 15, 9), at(12))
    with pytest.raises(ValidationError, match="end after it starts"):
        make(college_coordinator, entry, room, at(12), at(12))


@pytest.mark.parametrize(
    ("night", "hours"),
    [(date(2027, 3, 28), 2), (date(2027, 10, 31), 4), (date(2027, 6, 13), 3)],
    ids=["clocks-go-forward", "clocks-go-back", "ordinary-sunday"],
)
def test_clock_change_nights_give_the_right_duration(college_coordinator, entry, room, night, hours):
    session = make(college_coordinator, entry, room, london(night, time(0, 30)), london(night, time(3, 30)))
    session.refresh_from_db()
    assert session.ends_at - session.starts_at == timedelta(hours=hours)
    local = session.starts_at.astimezone(london(night, time(0)).tzinfo)
    assert (local.hour, local.minute) == (0, 30)


def test_the_hour_after_the_clocks_go_back_overlaps(college_coordinator, entry, room):
    """01:00-02:00 BST and 01:00-02:00 GMT on 31 October 2027 are different hours, so both fit."""
    night = date(2027, 10, 31)
    make(college_coordinator, entry, room, london(night, time(1)), london(night, time(1, 59)))
    second = london(night, time(1)).replace(fold=1).astimezone(UTC)  # add minutes in UTC, not wall-clock
    make(college_coordinator, entry, room, second, second + timedelta(minutes=59))
    with pytest.raises(ValidationError, match="room is already booked"):
        make(college_coordinator, entry, room, second, second + timedelta(minutes=30))


@pytest.mark.postgres
def test_postgres_refuses_an_overlapping_room_even_without_the_service(college_coordinator, entry, room):
    assert connection.vendor == "postgresql"
    first = make(college_coordinator, entry, room, at(9), at(12))
    fields = dict(entry=entry, room=room, booking_cutoff=at(8), seats=4, created_by=college_coordinator)
    with pytest.raises(IntegrityError, match="training_session_room_no_overlap"), transaction.atomic():
        Session.objects.create(starts_at=at(11), ends_at=at(13), **fields)
    Session.objects.create(starts_at=first.ends_at, ends_at=at(14), **fields)  # touching is fine


@pytest.mark.postgres
def test_postgres_refuses_an_overlapping_facilitator_even_without_the_service(
    college_coordinator, entry, room, other_room, facilitators
):
    make(college_coordinator, entry, room, at(9), at(12), facilitators[:1])
    other = make(college_coordinator, entry, other_room, at(12), at(15))
    with pytest.raises(IntegrityError, match="training_facilitation_no_overlap"), transaction.atomic():
        Facilitation.objects.create(session=other, facilitator=facilitators[0], starts_at=at(11), ends_at=at(15))
    Facilitation.objects.create(session=other, facilitator=facilitators[0], starts_at=at(12), ends_at=at(15))


@pytest.mark.postgres
def test_postgres_turns_a_lost_race_into_the_same_message(college_coordinator, entry, room, monkeypatch):
    """If two creations pass the check at once, the constraint decides and the loser reads the same sentence."""
    from training.services import sessions as services

    make(college_coordinator, entry, room, at(9), at(12))
    monkeypatch.setattr(services, "sessions_overlapping", lambda **kwargs: Session.objects.none())
    with pytest.raises(ValidationError) as error:
        make(college_coordinator, entry, room, at(10), at(11))
    assert error.value.messages == [ROOM_TAKEN]


def test_a_coordinator_of_a_host_that_is_not_a_college_has_no_suite(coordinator, trust):
    from training.permissions import can_manage_suite

    assert not can_manage_suite(coordinator, trust)
    assert not can_manage_suite(factories.CoordinatorFactory(organisation=trust), trust)


def test_a_time_in_the_repeated_hour_is_compared_as_an_instant(college_coordinator, entry, room):
    """01:30 the second time (GMT) is after 01:45 the first time (BST), though the clock reads earlier."""
    night = date(2027, 10, 31)
    with pytest.raises(ValidationError, match="end after it starts"):
        make(college_coordinator, entry, room, london(night, time(1, 30)).replace(fold=1), london(night, time(1, 45)))
