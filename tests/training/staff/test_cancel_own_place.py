"""A person cancels their own place up to the cut-off; where the seat goes depends on who holds it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.training.staff.conftest import set_policy, student_place
from training.models import Attendee, AttendeeStatus, Booking, SelfBooking, Session, WaitlistEntry, WaitlistStatus
from training.services.seats import seats_book
from training.services.staff import CANCEL_CLOSED, attendee_cancel_own, attendee_self_book
from training.services.waitlist import waitlist_join

pytestmark = pytest.mark.django_db


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


def test_a_self_booked_seat_goes_to_the_waiting_list(
    client, staff_member, trust, coordinator, care_provider_coordinator, session
):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    mine = attendee_self_book(actor=staff_member, session=session)
    seats_book(actor=coordinator, session=session, count=3)
    waiting = waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    client.force_login(staff_member)
    page = client.get(reverse("training:my-place-cancel", args=[mine.pk]))
    assert page.status_code == 200 and "You booked this place yourself" in page.text
    response = client.post(reverse("training:my-place-cancel", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == AttendeeStatus.CANCELLED and mine.cancelled_at
    assert mine.booking.seats == 0 and mine.booking.cancelled_at
    assert waiting.status == WaitlistStatus.BOOKED and waiting.booking.seats == 1
    assert seats_taken(session) == 4
    # A repeat (double click, back button) changes nothing.
    assert client.post(reverse("training:my-place-cancel", args=[mine.pk])).status_code == 302
    assert seats_taken(session) == 4 and Booking.objects.filter(seats__gt=0).count() == 2


def test_a_seat_in_the_employers_block_stays_with_the_employer_and_the_booker_is_told(
    staff_member, coordinator, session
):
    booking = seats_book(actor=coordinator, session=session, count=2)
    named = Attendee.objects.create(session=session, booking=booking, person=staff_member, added_by=coordinator)
    attendee_cancel_own(actor=staff_member, attendee=named)
    named.refresh_from_db()
    booking.refresh_from_db()
    assert named.status == AttendeeStatus.CANCELLED
    assert booking.seats == 2 and seats_taken(session) == 2
    told = OutboundEmail.objects.get(template="booker_named_seat_freed")
    assert told.to_email == coordinator.email
    assert reverse("training:booking-detail", args=[booking.pk]) in told.body_text
    attendee_cancel_own(actor=staff_member, attendee=named)
    assert OutboundEmail.objects.filter(template="booker_named_seat_freed").count() == 1


def test_a_students_seat_goes_back_to_the_session_and_on_to_the_waiting_list(
    client, student, open_to_everyone, coordinator, care_provider_coordinator, session
):
    place = student_place(student, session)
    seats_book(actor=coordinator, session=session, count=3)
    waiting = waitlist_join(actor=care_provider_coordinator, session=session, seats=2)
    client.force_login(student)
    assert "goes back to the session" in client.get(reverse("training:my-place-cancel", args=[place.pk])).text
    client.post(reverse("training:my-place-cancel", args=[place.pk]))
    place.refresh_from_db()
    waiting.refresh_from_db()
    assert place.status == AttendeeStatus.CANCELLED
    # One seat freed: the entry gets it and keeps waiting for its second.
    assert (waiting.status, waiting.seats, waiting.booking.seats) == (WaitlistStatus.WAITING, 1, 1)
    assert seats_taken(session) == 4


def test_a_students_seat_given_back_with_nobody_waiting_frees_a_seat(student, open_to_everyone, session):
    place = student_place(student, session)
    attendee_cancel_own(actor=student, attendee=place)
    attendee_cancel_own(actor=student, attendee=place)
    assert seats_taken(session) == 0


def test_after_the_cut_off_the_place_cannot_be_cancelled_here(client, staff_member, trust, make_session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    session = make_session(days=10)
    mine = attendee_self_book(actor=staff_member, session=session)
    Session.objects.filter(pk=session.pk).update(booking_cutoff=session.starts_at - timedelta(days=20))
    mine.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        attendee_cancel_own(actor=staff_member, attendee=mine)
    assert error.value.messages == [CANCEL_CLOSED]
    client.force_login(staff_member)
    page = client.get(reverse("training:my-place-cancel", args=[mine.pk]))
    assert "Bookings for this session have closed" in page.text and "Cancel my place" not in page.text
    response = client.post(reverse("training:my-place-cancel", args=[mine.pk]))
    assert response.status_code == 200 and seats_taken(session) == 1


def test_nobody_else_can_cancel_a_place(
    client, staff_member, other_trust_staff_member, coordinator, student, trust, session
):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    mine = attendee_self_book(actor=staff_member, session=session)
    for other in (other_trust_staff_member, coordinator, student):
        with pytest.raises(PermissionDenied):
            attendee_cancel_own(actor=other, attendee=mine)
        client.force_login(other)
        assert client.get(reverse("training:my-place-cancel", args=[mine.pk])).status_code == 404
        assert client.post(reverse("training:my-place-cancel", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.status == AttendeeStatus.BOOKED
    assert not WaitlistEntry.objects.exists()
