"""An employer's services: add seats, name and unname staff, approve and decline staff's own bookings, policy.

Each refuses other employers, college coordinators and staff (PermissionDenied), and refuses after the cut-off.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import OutboundEmail
from tests import factories
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
from training.services.employer import (
    ALL_SEATS_NAMED,
    ALREADY_APPROVED,
    ALREADY_DECLINED,
    ALREADY_ON_SESSION,
    NAMING_CLOSED,
    NOT_YOUR_PERSON,
    attendee_approve,
    attendee_decline,
    attendee_name,
    attendee_unname,
    booking_add_seats,
    booking_make,
    training_policy_set,
)
from training.services.seats import BOOKING_CLOSED, ONE_SEAT_LEFT, seats_book, seats_cancel
from training.services.waitlist import waitlist_join

pytestmark = pytest.mark.django_db


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


def close_bookings(session):
    Session.objects.filter(pk=session.pk).update(booking_cutoff=timezone.now() - timedelta(minutes=1))
    session.refresh_from_db()


@pytest.fixture
def booking(care_provider_coordinator, session):
    return seats_book(actor=care_provider_coordinator, session=session, count=2)


@pytest.fixture
def self_booked(care_provider, care_staff_member, session):
    """What the staff area's self-booking makes under "with approval": a 1-seat booking holding a waiting place."""
    EmployerTrainingPolicy.objects.create(employer=care_provider, self_booking=SelfBooking.WITH_APPROVAL)
    Session.objects.filter(pk=session.pk).update(seats_taken=1)
    held = Booking.objects.create(session=session, employer=care_provider, booked_by=care_staff_member, seats=1)
    return Attendee.objects.create(
        session=session,
        booking=held,
        person=care_staff_member,
        added_by=care_staff_member,
        status=AttendeeStatus.AWAITING_APPROVAL,
    )


# --- booking seats: a second booking adds to the first ------------------------------------------------------------


def test_a_second_booking_adds_seats_to_the_existing_block(care_provider_coordinator, session):
    first, added = booking_make(actor=care_provider_coordinator, session=session, count=1)
    assert added is False
    again, added = booking_make(actor=care_provider_coordinator, session=session, count=2)
    assert added is True and again.pk == first.pk
    assert Booking.objects.get(pk=first.pk).seats == 3
    assert seats_taken(session) == 3
    assert Booking.objects.filter(session=session).count() == 1


def test_adding_more_seats_than_are_left_changes_nothing(care_provider_coordinator, coordinator, session):
    booking_make(actor=care_provider_coordinator, session=session, count=1)
    seats_book(actor=coordinator, session=session, count=2)
    with pytest.raises(ValidationError) as error:
        booking_make(actor=care_provider_coordinator, session=session, count=2)
    assert error.value.messages == [ONE_SEAT_LEFT]
    assert Booking.objects.get(employer=care_provider_coordinator.organisation).seats == 1
    assert seats_taken(session) == 3


def test_adding_seats_after_the_cutoff_is_refused(care_provider_coordinator, booking, session):
    close_bookings(session)
    with pytest.raises(ValidationError) as error:
        booking_add_seats(actor=care_provider_coordinator, booking=booking, count=1)
    assert error.value.messages == [BOOKING_CLOSED]
    assert Booking.objects.get(pk=booking.pk).seats == 2


@pytest.mark.parametrize("who", ["other_trust_coordinator", "college_coordinator", "care_staff_member", "coordinator"])
def test_only_the_booking_employer_adds_seats(request, who, booking):
    with pytest.raises(PermissionDenied):
        booking_add_seats(actor=request.getfixturevalue(who), booking=booking, count=1)
    assert Booking.objects.get(pk=booking.pk).seats == 2


# --- naming staff -------------------------------------------------------------------------------------------------


def test_naming_a_person_books_them_and_emails_date_time_place_and_calendar_link(
    care_provider_coordinator, booking, carers
):
    attendee = attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    assert (attendee.status, attendee.added_by, attendee.booking) == (
        AttendeeStatus.BOOKED,
        care_provider_coordinator,
        booking,
    )
    email = OutboundEmail.objects.get(template="attendee_place_booked")
    assert email.to_email == carers[0].email
    assert "Moving and handling" in email.subject and "15 June 2027" in email.subject
    assert "Tuesday 15 June 2027, 9am to midday" in email.body_text
    assert "Ward 1, Sim ward" in email.body_text
    assert "/training/my/" in email.body_text


def test_names_stop_at_the_number_of_seats(care_provider_coordinator, booking, carers):
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[1])
    with pytest.raises(ValidationError) as error:
        attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[2])
    assert error.value.messages == [ALL_SEATS_NAMED]
    assert booking.attendees.count() == 2


def test_a_person_has_one_place_per_session(care_provider_coordinator, booking, carers, session):
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    with pytest.raises(ValidationError) as error:
        attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    assert error.value.messages == [ALREADY_ON_SESSION.format(name=carers[0].get_full_name())]


def test_coordinators_can_name_themselves_but_not_people_of_another_organisation(
    care_provider_coordinator, booking, staff_member, other_trust_coordinator
):
    attendee_name(actor=care_provider_coordinator, booking=booking, person=care_provider_coordinator)
    for stranger in (staff_member, other_trust_coordinator):
        with pytest.raises(ValidationError) as error:
            attendee_name(actor=care_provider_coordinator, booking=booking, person=stranger)
        assert error.value.messages == [NOT_YOUR_PERSON]
    inactive = factories.StaffMemberFactory(organisation=care_provider_coordinator.organisation, is_active=False)
    with pytest.raises(ValidationError):
        attendee_name(actor=care_provider_coordinator, booking=booking, person=inactive)


def test_naming_after_the_cutoff_is_refused(care_provider_coordinator, booking, carers, session):
    close_bookings(session)
    with pytest.raises(ValidationError) as error:
        attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    assert error.value.messages == [NAMING_CLOSED]
    assert not Attendee.objects.exists()


@pytest.mark.parametrize("who", ["other_trust_coordinator", "college_coordinator", "care_staff_member", "coordinator"])
def test_only_the_booking_employer_names_staff(request, who, booking, carers):
    with pytest.raises(PermissionDenied):
        attendee_name(actor=request.getfixturevalue(who), booking=booking, person=carers[0])
    assert not Attendee.objects.exists()


def test_removing_a_name_keeps_the_seat_and_tells_the_person_once(care_provider_coordinator, booking, carers, session):
    attendee = attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    attendee_unname(actor=care_provider_coordinator, attendee=attendee)
    attendee_unname(actor=care_provider_coordinator, attendee=attendee)
    attendee.refresh_from_db()
    assert attendee.status == AttendeeStatus.CANCELLED and attendee.cancelled_at is not None
    assert Booking.objects.get(pk=booking.pk).seats == 2 and seats_taken(session) == 2
    assert OutboundEmail.objects.filter(template="attendee_place_cancelled", to_email=carers[0].email).count() == 1
    # The seat can take a name again, the same person's included.
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])


def test_removing_a_name_after_the_cutoff_is_refused(care_provider_coordinator, booking, carers, session):
    attendee = attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    close_bookings(session)
    with pytest.raises(ValidationError) as error:
        attendee_unname(actor=care_provider_coordinator, attendee=attendee)
    assert error.value.messages == [NAMING_CLOSED]


@pytest.mark.parametrize("who", ["other_trust_coordinator", "college_coordinator", "care_staff_member"])
def test_only_the_booking_employer_removes_names(request, who, care_provider_coordinator, booking, carers):
    attendee = attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    with pytest.raises(PermissionDenied):
        attendee_unname(actor=request.getfixturevalue(who), attendee=attendee)
    assert Attendee.objects.get(pk=attendee.pk).status == AttendeeStatus.BOOKED


# --- cancelling seats: the waiting list gets them, oldest first, one email each -----------------------------------


def test_cancelled_seats_go_to_the_oldest_waiting_employer_with_one_email(
    care_provider_coordinator, coordinator, other_trust_coordinator, session
):
    booking, _ = booking_make(actor=care_provider_coordinator, session=session, count=4)
    older = waitlist_join(actor=other_trust_coordinator, session=session, seats=2)
    WaitlistEntry.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    newer = waitlist_join(actor=coordinator, session=session, seats=2)
    seats_cancel(actor=care_provider_coordinator, booking=booking, count=2)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.status == WaitlistStatus.BOOKED and older.booking.seats == 2
    assert newer.status == WaitlistStatus.WAITING
    sent = OutboundEmail.objects.filter(template="booker_waitlist_seats_given")
    assert list(sent.values_list("to_email", flat=True)) == [other_trust_coordinator.email]
    seats_cancel(actor=care_provider_coordinator, booking=booking, count=0)  # nothing to do, nothing sent
    assert sent.count() == 1 and seats_taken(session) == 4


# --- approvals ----------------------------------------------------------------------------------------------------


def test_approving_books_the_person_records_who_and_is_harmless_to_repeat(
    care_provider_coordinator, self_booked, care_staff_member
):
    attendee_approve(actor=care_provider_coordinator, attendee=self_booked)
    attendee_approve(actor=care_provider_coordinator, attendee=self_booked)
    self_booked.refresh_from_db()
    assert self_booked.status == AttendeeStatus.BOOKED
    assert self_booked.approved_by == care_provider_coordinator and self_booked.approved_at is not None
    approved = OutboundEmail.objects.filter(template="attendee_place_approved")
    assert list(approved.values_list("to_email", flat=True)) == [care_staff_member.email]
    with pytest.raises(ValidationError) as error:
        attendee_decline(actor=care_provider_coordinator, attendee=self_booked)
    assert error.value.messages == [ALREADY_APPROVED]


def test_declining_releases_the_seat_to_the_waiting_list_and_is_harmless_to_repeat(
    care_provider_coordinator, coordinator, self_booked, session, care_staff_member
):
    seats_book(actor=coordinator, session=session, count=3)
    waiting = waitlist_join(actor=coordinator, session=session, seats=1)
    attendee_decline(actor=care_provider_coordinator, attendee=self_booked, reason="Rota is full that week.")
    attendee_decline(actor=care_provider_coordinator, attendee=self_booked, reason="again")
    self_booked.refresh_from_db()
    assert self_booked.status == AttendeeStatus.CANCELLED
    assert self_booked.booking.seats == 0 and self_booked.booking.cancelled_at is not None
    waiting.refresh_from_db()
    assert waiting.status == WaitlistStatus.BOOKED
    assert seats_taken(session) == 4
    declined = OutboundEmail.objects.filter(template="attendee_place_declined")
    assert list(declined.values_list("to_email", flat=True)) == [care_staff_member.email]
    assert "Rota is full that week." in declined.get().body_text
    with pytest.raises(ValidationError) as error:
        attendee_approve(actor=care_provider_coordinator, attendee=self_booked)
    assert error.value.messages == [ALREADY_DECLINED]


def test_declining_without_a_waiting_list_frees_the_seat(care_provider_coordinator, self_booked, session):
    attendee_decline(actor=care_provider_coordinator, attendee=self_booked)
    assert seats_taken(session) == 0


def test_approving_after_the_cutoff_is_refused(care_provider_coordinator, self_booked, session):
    close_bookings(session)
    with pytest.raises(ValidationError):
        attendee_approve(actor=care_provider_coordinator, attendee=self_booked)
    assert Attendee.objects.get(pk=self_booked.pk).status == AttendeeStatus.AWAITING_APPROVAL


@pytest.mark.parametrize(
    "who", ["other_trust_coordinator", "coordinator", "college_coordinator", "care_staff_member", "site_admin"]
)
def test_only_the_persons_employer_decides(request, who, self_booked, session):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        attendee_approve(actor=actor, attendee=self_booked)
    with pytest.raises(PermissionDenied):
        attendee_decline(actor=actor, attendee=self_booked)
    assert Attendee.objects.get(pk=self_booked.pk).status == AttendeeStatus.AWAITING_APPROVAL
    assert seats_taken(session) == 1


# --- policy -------------------------------------------------------------------------------------------------------


def test_the_policy_records_who_changed_it(care_provider_coordinator, care_provider):
    policy = training_policy_set(
        actor=care_provider_coordinator, employer=care_provider, self_booking=SelfBooking.WITHOUT_APPROVAL
    )
    assert (policy.self_booking, policy.updated_by) == (SelfBooking.WITHOUT_APPROVAL, care_provider_coordinator)
    training_policy_set(actor=care_provider_coordinator, employer=care_provider, self_booking=SelfBooking.OFF)
    assert EmployerTrainingPolicy.objects.get(employer=care_provider).self_booking == SelfBooking.OFF
    with pytest.raises(ValidationError):
        training_policy_set(actor=care_provider_coordinator, employer=care_provider, self_booking="always")


@pytest.mark.parametrize("who", ["other_trust_coordinator", "college_coordinator", "care_staff_member", "site_admin"])
def test_only_the_employers_coordinator_sets_its_policy(request, who, care_provider):
    with pytest.raises(PermissionDenied):
        training_policy_set(
            actor=request.getfixturevalue(who), employer=care_provider, self_booking=SelfBooking.WITHOUT_APPROVAL
        )
    assert not EmployerTrainingPolicy.objects.exists()
