"""A member of staff books one seat for themselves, as their employer's policy allows."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import OutboundEmail
from tests import factories
from tests.training.staff.conftest import set_policy
from training.models import Attendee, AttendeeStatus, Audience, Booking, SelfBooking, Session, WaitlistEntry
from training.permissions import can_self_book
from training.services.seats import seats_book
from training.services.staff import (
    ALREADY_ON_SESSION,
    BOOKING_CLOSED,
    SESSION_NOT_OPEN,
    STUDENTS_ONLY,
    attendee_self_book,
)

pytestmark = pytest.mark.django_db


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


def test_policy_off_means_no_self_booking_and_the_page_is_404(client, staff_member, session):
    assert not can_self_book(staff_member)
    with pytest.raises(PermissionDenied):
        attendee_self_book(actor=staff_member, session=session)
    client.force_login(staff_member)
    assert client.get(reverse("training:self-book", args=[session.pk])).status_code == 404
    assert client.post(reverse("training:self-book", args=[session.pk])).status_code == 404
    assert seats_taken(session) == 0


@pytest.mark.parametrize("who", ["coordinator", "student", "tutor", "partner", "college_coordinator"])
def test_only_staff_members_can_self_book(client, personas, trust, session, who):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    assert not can_self_book(personas[who])
    client.force_login(personas[who])
    assert client.post(reverse("training:self-book", args=[session.pk])).status_code == 404


def test_without_approval_the_place_is_booked_and_the_person_emailed(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    client.force_login(staff_member)
    page = client.get(reverse("training:self-book", args=[session.pk]))
    assert page.status_code == 200 and "Book my place" in page.text
    response = client.post(reverse("training:self-book", args=[session.pk]), {"action": "book"})
    assert response.status_code == 302 and response.url == reverse("training:my-training")
    attendee = Attendee.objects.get(person=staff_member)
    assert attendee.status == AttendeeStatus.BOOKED
    assert (attendee.booking.seats, attendee.booking.booked_by, attendee.booking.employer) == (1, staff_member, trust)
    assert seats_taken(session) == 1
    sent = OutboundEmail.objects.filter(template="attendee_place_booked")
    assert list(sent.values_list("to_email", flat=True)) == [staff_member.email]
    assert not OutboundEmail.objects.filter(template="coordinator_training_approval_requested").exists()


def test_with_approval_the_place_waits_and_the_employers_coordinators_are_asked(
    staff_member, trust, coordinator, other_trust_coordinator, session
):
    set_policy(trust, SelfBooking.WITH_APPROVAL)
    second = factories.CoordinatorFactory(organisation=trust)
    factories.CoordinatorFactory(organisation=trust, is_active=False)
    attendee = attendee_self_book(actor=staff_member, session=session)
    assert attendee.status == AttendeeStatus.AWAITING_APPROVAL
    assert seats_taken(session) == 1
    asked = OutboundEmail.objects.filter(template="coordinator_training_approval_requested")
    assert sorted(asked.values_list("to_email", flat=True)) == sorted([coordinator.email, second.email])
    assert reverse("training:employer-approvals") in asked.first().body_text
    assert OutboundEmail.objects.filter(template="attendee_place_awaiting_approval", to_email=staff_member.email)


def test_care_staff_book_under_their_own_employers_policy(care_staff_member, care_provider, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    assert not can_self_book(care_staff_member)
    set_policy(care_provider, SelfBooking.WITHOUT_APPROVAL)
    attendee = attendee_self_book(actor=care_staff_member, session=session)
    assert attendee.booking.employer == care_provider


def test_a_second_booking_of_the_same_session_is_refused_and_takes_no_seat(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    attendee_self_book(actor=staff_member, session=session)
    with pytest.raises(ValidationError) as error:
        attendee_self_book(actor=staff_member, session=session)
    assert error.value.messages == [ALREADY_ON_SESSION]
    client.force_login(staff_member)
    response = client.post(reverse("training:self-book", args=[session.pk]), {"action": "book"})
    assert response.status_code == 200 and ALREADY_ON_SESSION in response.text
    assert seats_taken(session) == 1 and Booking.objects.count() == 1
    assert OutboundEmail.objects.filter(template="attendee_place_booked").count() == 1


def test_past_the_cut_off_closed_or_cancelled_sessions_are_refused(staff_member, trust, make_session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    late = make_session(days=1, cutoff_days=2)
    with pytest.raises(ValidationError) as error:
        attendee_self_book(actor=staff_member, session=late)
    assert error.value.messages == [BOOKING_CLOSED]
    closed = make_session(days=20)
    Session.objects.filter(pk=closed.pk).update(status="closed")
    closed.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        attendee_self_book(actor=staff_member, session=closed)
    assert error.value.messages == [SESSION_NOT_OPEN]
    assert not Attendee.objects.exists()


def test_a_students_only_session_is_not_for_staff(staff_member, trust, entry, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    entry.audiences = [Audience.STUDENTS]
    entry.save()
    session.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        attendee_self_book(actor=staff_member, session=session)
    assert error.value.messages == [STUDENTS_ONLY]


def test_a_full_session_offers_the_waiting_list(client, staff_member, trust, coordinator, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    seats_book(actor=coordinator, session=session, count=4)
    with pytest.raises(ValidationError) as error:
        attendee_self_book(actor=staff_member, session=session)
    assert error.value.error_list[0].code == "full"
    client.force_login(staff_member)
    page = client.get(reverse("training:self-book", args=[session.pk]))
    assert "Join the waiting list" in page.text
    response = client.post(reverse("training:self-book", args=[session.pk]), {"action": "waitlist"})
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.person, entry.seats, entry.employer) == (staff_member, 1, trust)
    again = client.post(reverse("training:self-book", args=[session.pk]), {"action": "waitlist"})
    assert again.status_code == 200 and "already on the waiting list" in again.text
    assert WaitlistEntry.objects.count() == 1


def test_hostile_posts_give_a_page_not_an_error(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    client.force_login(staff_member)
    url = reverse("training:self-book", args=[session.pk])
    assert client.post(url, {"action": "x" * 5000}).status_code == 302  # anything but "waitlist" books
    assert client.post(url, {"action": "waitlist"}).status_code == 200  # not full: told to book instead
    assert client.post(reverse("training:self-book", args=[999999])).status_code == 404
    Session.objects.filter(pk=session.pk).update(status="cancelled")
    assert client.get(url).status_code == 404


def test_the_person_is_not_told_of_a_place_when_the_transaction_fails(staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    Session.objects.filter(pk=session.pk).update(booking_cutoff=session.starts_at - timedelta(days=400))
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        attendee_self_book(actor=staff_member, session=session)
    assert not OutboundEmail.objects.exists() and seats_taken(session) == 0


def test_the_page_says_so_when_the_person_already_has_a_place(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITH_APPROVAL)
    attendee_self_book(actor=staff_member, session=session)
    client.force_login(staff_member)
    page = client.get(reverse("training:self-book", args=[session.pk]))
    assert "You already have a place on this session, waiting for approval" in page.text
    assert "Ask for a place" not in page.text
