"""Employers book blocks of seats; a session never has more participants than seats."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tests.training.conftest import at
from training.models import Booking, Session
from training.services.seats import SESSION_FULL, seats_book, seats_cancel
from training.services.sessions import session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(college_coordinator, entry, room):
    return session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=at(9),
        ends_at=at(12),
        facilitators=[],
        seats=5,
        booking_cutoff=at(9) - timedelta(days=2),
    )


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


def test_trust_coordinator_books_a_block(coordinator, trust, session):
    booking = seats_book(actor=coordinator, session=session, count=3)
    assert (booking.employer, booking.booked_by, booking.seats) == (trust, coordinator, 3)
    assert seats_taken(session) == 3


def test_care_provider_coordinator_books_the_last_seats(care_provider_coordinator, coordinator, session):
    seats_book(actor=coordinator, session=session, count=3)
    seats_book(actor=care_provider_coordinator, session=session, count=2)
    assert seats_taken(session) == 5


def test_a_full_session_says_so(coordinator, other_trust_coordinator, session):
    seats_book(actor=coordinator, session=session, count=5)
    with pytest.raises(ValidationError) as error:
        seats_book(actor=other_trust_coordinator, session=session, count=1)
    assert error.value.messages == [SESSION_FULL] and error.value.code == "full"
    assert seats_taken(session) == 5 and Booking.objects.count() == 1


def test_asking_for_more_than_is_left_says_how_many_are_left(coordinator, other_trust_coordinator, session):
    seats_book(actor=coordinator, session=session, count=3)
    with pytest.raises(ValidationError) as error:
        seats_book(actor=other_trust_coordinator, session=session, count=3)
    assert error.value.messages == ["Only 2 seats are left on this session."] and error.value.code == "full"
    assert seats_taken(session) == 3


def test_the_database_refuses_more_participants_than_seats(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=-1)


def test_booking_closes_at_the_cut_off(coordinator, session):
    Session.objects.filter(pk=session.pk).update(booking_cutoff=timezone.now())
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        seats_book(actor=coordinator, session=session, count=1)


@pytest.mark.parametrize(
    "persona", ["student", "staff_member", "tutor", "college_coordinator", "other_college_coordinator", "partner"]
)
def test_only_employer_coordinators_book(persona, request, session):
    with pytest.raises(PermissionDenied):
        seats_book(actor=request.getfixturevalue(persona), session=session, count=1)
    assert seats_taken(session) == 0


def test_cancelling_gives_seats_back_and_a_repeat_is_harmless(coordinator, session):
    booking = seats_book(actor=coordinator, session=session, count=3)
    booking = seats_cancel(actor=coordinator, booking=booking, count=1)
    assert booking.seats == 2 and seats_taken(session) == 2 and booking.cancelled_at is None
    booking = seats_cancel(actor=coordinator, booking=booking)
    assert booking.seats == 0 and booking.cancelled_at is not None and seats_taken(session) == 0
    seats_cancel(actor=coordinator, booking=booking)
    assert seats_taken(session) == 0


def test_cannot_cancel_more_than_held_or_after_the_cut_off(coordinator, session):
    booking = seats_book(actor=coordinator, session=session, count=2)
    with pytest.raises(ValidationError, match="holds only 2 seats"):
        seats_cancel(actor=coordinator, booking=booking, count=3)
    Session.objects.filter(pk=session.pk).update(booking_cutoff=timezone.now())
    with pytest.raises(ValidationError, match="up to the booking cut-off"):
        seats_cancel(actor=coordinator, booking=booking, count=1)
    assert seats_taken(session) == 2


def test_another_employer_cannot_cancel_the_booking(coordinator, other_trust_coordinator, staff_member, session):
    booking = seats_book(actor=coordinator, session=session, count=2)
    for outsider in (other_trust_coordinator, staff_member):
        with pytest.raises(PermissionDenied):
            seats_cancel(actor=outsider, booking=booking)
    assert seats_taken(session) == 2
