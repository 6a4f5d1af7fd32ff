"""Full sessions keep a waiting list; seats given back go to it at once, oldest first, each requester emailed once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import OutboundEmail
from tests import factories
from tests.training.conftest import at
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    EmployerTrainingPolicy,
    SelfBooking,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from training.services.seats import UNNAME_FIRST, seats_book, seats_cancel
from training.services.sessions import session_create
from training.services.waitlist import (
    ALREADY_WAITING,
    NOT_FULL,
    waitlist_fill,
    waitlist_join,
    waitlist_withdraw,
)

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
        seats=4,
        booking_cutoff=at(9) - timedelta(days=2),
    )


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


def test_freed_seats_go_to_the_oldest_entry_first(
    coordinator, other_trust_coordinator, care_provider_coordinator, session
):
    booking = seats_book(actor=coordinator, session=session, count=4)
    first = waitlist_join(actor=care_provider_coordinator, session=session, seats=2)
    second = waitlist_join(actor=other_trust_coordinator, session=session, seats=1)
    seats_cancel(actor=coordinator, booking=booking, count=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.BOOKED and first.booking.seats == 2
    assert first.booking.employer_id == care_provider_coordinator.organisation_id
    assert second.status == WaitlistStatus.WAITING
    assert seats_taken(session) == 4
    sent = OutboundEmail.objects.filter(template="booker_waitlist_seats_given")
    assert list(sent.values_list("to_email", flat=True)) == [care_provider_coordinator.email]


def test_an_entry_given_fewer_seats_than_it_asked_for_keeps_waiting_for_the_rest(
    coordinator, care_provider_coordinator, session
):
    booking = seats_book(actor=coordinator, session=session, count=4)
    entry = waitlist_join(actor=care_provider_coordinator, session=session, seats=3)
    seats_cancel(actor=coordinator, booking=booking, count=1)
    entry.refresh_from_db()
    assert (entry.status, entry.seats, entry.booking.seats) == (WaitlistStatus.WAITING, 2, 1)
    seats_cancel(actor=coordinator, booking=booking, count=2)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED
    assert (
        sum(Booking.objects.filter(employer=care_provider_coordinator.organisation).values_list("seats", flat=True))
        == 3
    )
    assert OutboundEmail.objects.filter(template="booker_waitlist_seats_given").count() == 2


def test_filling_twice_gives_nothing_twice(coordinator, care_provider_coordinator, session):
    booking = seats_book(actor=coordinator, session=session, count=4)
    waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    seats_cancel(actor=coordinator, booking=booking, count=1)
    assert waitlist_fill(session_id=session.pk) == []
    assert Booking.objects.filter(employer=care_provider_coordinator.organisation).count() == 1
    assert seats_taken(session) == 4


def test_a_session_with_seats_has_no_waiting_list(care_provider_coordinator, session):
    with pytest.raises(ValidationError) as error:
        waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    assert error.value.messages == [NOT_FULL]


def test_an_employer_waits_once(coordinator, care_provider_coordinator, session):
    seats_book(actor=coordinator, session=session, count=4)
    waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    with pytest.raises(ValidationError) as error:
        waitlist_join(actor=care_provider_coordinator, session=session, seats=2)
    assert error.value.messages == [ALREADY_WAITING]


def test_staff_wait_for_themselves_only_if_their_employer_lets_them(coordinator, care_staff_member, session):
    seats_book(actor=coordinator, session=session, count=4)
    with pytest.raises(PermissionDenied):
        waitlist_join(actor=care_staff_member, session=session, seats=1, person=care_staff_member)
    EmployerTrainingPolicy.objects.create(
        employer=care_staff_member.organisation, self_booking=SelfBooking.WITH_APPROVAL
    )
    entry = waitlist_join(actor=care_staff_member, session=session, seats=1, person=care_staff_member)
    booking = Booking.objects.get(employer=coordinator.organisation)
    seats_cancel(actor=coordinator, booking=booking, count=1)
    place = Attendee.objects.get(person=care_staff_member)
    assert place.status == AttendeeStatus.AWAITING_APPROVAL and place.booking.seats == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED


def test_a_coordinator_cannot_remove_another_employers_entry(
    coordinator, other_trust_coordinator, care_provider_coordinator, session
):
    seats_book(actor=coordinator, session=session, count=4)
    entry = waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    with pytest.raises(PermissionDenied):
        waitlist_withdraw(actor=other_trust_coordinator, entry=entry)
    assert waitlist_withdraw(actor=care_provider_coordinator, entry=entry).status == WaitlistStatus.WITHDRAWN
    assert waitlist_withdraw(actor=care_provider_coordinator, entry=entry).status == WaitlistStatus.WITHDRAWN


def test_named_seats_cannot_be_cancelled_from_under_people(coordinator, staff_member, session):
    booking = seats_book(actor=coordinator, session=session, count=2)
    Attendee.objects.create(session=session, booking=booking, person=staff_member, added_by=coordinator)
    with pytest.raises(ValidationError) as error:
        seats_cancel(actor=coordinator, booking=booking, count=2)
    assert error.value.messages == [UNNAME_FIRST.format(named=1)]
    seats_cancel(actor=coordinator, booking=booking, count=1)
    assert seats_taken(session) == 1


def test_nobody_waits_for_a_factory_made_stranger(session):
    stranger = factories.StudentFactory(email="nobody@example.test")
    with pytest.raises(PermissionDenied):
        waitlist_join(actor=stranger, session=session, seats=1)
    assert not WaitlistEntry.objects.exists()
