"""At the booking cut-off a session below its minimum is cancelled with everyone told once; otherwise it runs:
its waiting list lapses, places nobody approved are released, and the college gets the final list."""

from datetime import timedelta

import pytest

from notifications.models import OutboundEmail
from tests import factories
from tests.training.after.helpers import hold_seats, make_session, name_people, seats_taken, staff, student_place
from tests.training.conftest import at
from training.models import (
    AttendeeStatus,
    Booking,
    CancelledReason,
    Facilitation,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from training.services.cutoff import session_check_cutoff, sessions_check_cutoffs
from training.tasks import check_session_cutoffs_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(college_coordinator, entry, room, facilitators):
    session = make_session(college_coordinator, entry, room, at(9), minimum=3, seats=8)
    for facilitator in facilitators:
        Facilitation.objects.create(session=session, facilitator=facilitator, starts_at=at(9), ends_at=at(12))
    return session


@pytest.fixture
def after_cutoff(session):
    return session.booking_cutoff + timedelta(minutes=1)


def sent(template):
    return sorted(OutboundEmail.objects.filter(template=template).values_list("to_email", flat=True))


def waiting(session, coordinator, seats=2, person=None):
    return WaitlistEntry.objects.create(
        session=session, employer_id=coordinator.organisation_id, requested_by=coordinator, seats=seats, person=person
    )


def test_below_the_minimum_the_session_is_cancelled_and_everyone_told_once(
    session, after_cutoff, care_provider, care_provider_coordinator, other_trust_coordinator, student
):
    booking = hold_seats(session, care_provider_coordinator, 1)
    [carer] = name_people(booking, staff(care_provider, 1))
    place = student_place(session, student)
    entry = waiting(session, other_trust_coordinator)

    assert sessions_check_cutoffs(now=after_cutoff) == 1
    assert sessions_check_cutoffs(now=after_cutoff) == 0  # a second run finds nothing to do

    session.refresh_from_db()
    assert (session.status, session.cancelled_reason) == (SessionStatus.CANCELLED, CancelledReason.BELOW_MINIMUM)
    assert session.cancelled_at is not None and session.cutoff_checked_at == after_cutoff
    assert session.seats_taken == 0
    assert not Facilitation.objects.filter(session=session).exists()
    for attendee in (carer, place):
        attendee.refresh_from_db()
        assert attendee.status == AttendeeStatus.CANCELLED
    booking.refresh_from_db()
    assert booking.seats == 0 and booking.cancelled_at is not None
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LAPSED
    assert sent("attendee_session_cancelled") == sorted([carer.person.email, student.email])
    assert sent("booker_session_cancelled") == [care_provider_coordinator.email]
    assert sent("requester_session_cancelled") == [other_trust_coordinator.email]
    assert sent("coordinator_session_final_list") == []
    assert OutboundEmail.objects.count() == 4


def test_at_the_minimum_the_session_runs_and_its_waiting_list_lapses(
    session,
    after_cutoff,
    college,
    care_provider,
    care_provider_coordinator,
    other_trust_coordinator,
    other_college_coordinator,
    college_coordinator,
    staff_member,
    student,
):
    booking = hold_seats(session, care_provider_coordinator, 3)
    carers = name_people(booking, staff(care_provider, 2))
    student_place(session, student)
    entry = waiting(session, other_trust_coordinator)
    self_waiting = waiting(session, other_trust_coordinator, seats=1, person=staff_member)
    second_college_coordinator = factories.CoordinatorFactory(email="sim2@example.test", organisation=college)

    for _ in range(2):
        sessions_check_cutoffs(now=after_cutoff)

    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED and session.cutoff_checked_at == after_cutoff
    assert session.seats_taken == 4
    assert Facilitation.objects.filter(session=session).count() == 2
    for waited in (entry, self_waiting):
        waited.refresh_from_db()
        assert waited.status == WaitlistStatus.LAPSED and waited.resolved_at == after_cutoff
    assert sent("booker_waitlist_closed") == [other_trust_coordinator.email] * 2
    assert sent("coordinator_session_final_list") == sorted(
        [college_coordinator.email, second_college_coordinator.email]
    )
    assert sent("attendee_session_cancelled") == []
    final = OutboundEmail.objects.filter(template="coordinator_session_final_list").first()
    assert care_provider.name in final.body_text and "3 seats, 1 not named" in final.body_text
    for carer in carers:
        assert carer.person.last_name in final.body_text
    assert "Students: 1" in final.body_text
    assert other_college_coordinator.email not in sent("coordinator_session_final_list")


def test_places_nobody_approved_are_released_without_filling_from_the_waiting_list(
    session, after_cutoff, care_provider, care_provider_coordinator, other_trust_coordinator, care_staff_member
):
    booking = hold_seats(session, care_provider_coordinator, 3)
    name_people(booking, staff(care_provider, 3))
    own = hold_seats(session, care_staff_member, 1)  # a self-booked place waiting for a manager
    [awaiting] = name_people(own, [care_staff_member], status=AttendeeStatus.AWAITING_APPROVAL)
    entry = waiting(session, other_trust_coordinator, seats=1)
    assert seats_taken(session) == 4

    for _ in range(2):
        sessions_check_cutoffs(now=after_cutoff)

    awaiting.refresh_from_db()
    own.refresh_from_db()
    assert awaiting.status == AttendeeStatus.CANCELLED and awaiting.cancelled_at == after_cutoff
    assert own.seats == 0 and own.cancelled_at == after_cutoff
    assert seats_taken(session) == 3
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LAPSED and entry.booking is None
    assert Booking.objects.filter(session=session).count() == 2
    assert sent("attendee_place_not_approved_in_time") == [care_staff_member.email]
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_places_awaiting_approval_do_not_count_towards_the_minimum(
    session, after_cutoff, care_provider, care_provider_coordinator, care_staff_member
):
    booking = hold_seats(session, care_provider_coordinator, 2)
    name_people(booking, staff(care_provider, 2))
    own = hold_seats(session, care_staff_member, 1)
    name_people(own, [care_staff_member], status=AttendeeStatus.AWAITING_APPROVAL)

    assert session_check_cutoff(session_id=session.pk, now=after_cutoff) == "cancelled"
    assert care_staff_member.email in sent("attendee_session_cancelled")
    assert sent("attendee_place_not_approved_in_time") == []


def test_sessions_before_their_cut_off_or_cancelled_are_left_alone(
    session, after_cutoff, college_coordinator, entry, other_room
):
    assert session_check_cutoff(session_id=session.pk, now=session.booking_cutoff - timedelta(seconds=1)) is None
    cancelled = make_session(college_coordinator, entry, other_room, at(9), minimum=3, seats=6)
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    assert session_check_cutoff(session_id=cancelled.pk, now=after_cutoff) is None
    assert Session.objects.get(pk=cancelled.pk).cutoff_checked_at is None
    assert OutboundEmail.objects.count() == 0


def test_a_session_closed_to_bookings_is_still_decided_at_its_cut_off(session, after_cutoff):
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    assert session_check_cutoff(session_id=session.pk, now=after_cutoff) == "cancelled"


def test_the_job_decides_sessions_whose_cut_off_has_passed(college_coordinator, entry, room):
    past = make_session(college_coordinator, entry, room, at(9) - timedelta(days=400), minimum=1)
    assert check_session_cutoffs_task.apply().get() == 1
    past.refresh_from_db()
    assert past.status == SessionStatus.CANCELLED and past.cutoff_checked_at is not None
