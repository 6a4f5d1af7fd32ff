"""The employer's pages: who sees what (404 to anyone else), every form refuses hostile input with a message."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    EmployerTrainingPolicy,
    SelfBooking,
    Session,
    WaitlistEntry,
)
from training.services.employer import attendee_name
from training.services.seats import seats_book, seats_cancel
from training.services.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

HOSTILE_COUNTS = ["", "abc", "-1", "0", "2.5", "99999999999999999999999", "1e3", "<script>"]


@pytest.fixture
def booking(care_provider_coordinator, session):
    return seats_book(actor=care_provider_coordinator, session=session, count=2)


@pytest.fixture
def signed_in(client, care_provider_coordinator):
    client.force_login(care_provider_coordinator)
    return client


def test_the_home_page_shows_bookings_waiting_and_empty_states(signed_in, booking):
    page = signed_in.get(reverse("training:employer-home")).content.decode()
    assert "Moving and handling" in page and "2 seats not named yet" in page
    assert "You are not waiting for seats on any session" in page and "No past sessions yet" in page
    assert reverse("training:catalogue") in page and reverse("training:employer-record") in page


def test_booking_three_seats_confirms_what_happens_next(signed_in, session):
    response = signed_in.post(reverse("training:booking-create", args=[session.pk]), {"count": "3"}, follow=True)
    booking = Booking.objects.get(session=session)
    assert booking.seats == 3 and response.redirect_chain[-1][0] == reverse(
        "training:booking-detail", args=[booking.pk]
    )
    page = response.content.decode()
    assert "3 seats booked. Name the people who will go before bookings close at" in page
    response = signed_in.post(reverse("training:booking-create", args=[session.pk]), {"count": "1"}, follow=True)
    assert "1 seat added to your booking" in response.content.decode()
    assert Booking.objects.get(session=session).seats == 4


@pytest.mark.parametrize("count", HOSTILE_COUNTS)
def test_booking_refuses_hostile_seat_counts_with_a_message(signed_in, session, count):
    response = signed_in.post(reverse("training:booking-create", args=[session.pk]), {"count": count})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Booking.objects.exists()


def test_asking_for_more_seats_than_are_left_offers_the_waiting_list(
    signed_in, session, coordinator, care_provider_coordinator
):
    seats_book(actor=coordinator, session=session, count=3)
    response = signed_in.post(reverse("training:booking-create", args=[session.pk]), {"count": "2"})
    page = response.content.decode()
    assert "Only 1 seat is left" in page
    assert "Join the waiting list" in page
    response = signed_in.post(
        reverse("training:booking-create", args=[session.pk]), {"action": "wait", "wait-count": "2"}, follow=True
    )
    assert "You are on the waiting list for 2 seats" in response.content.decode()
    entry = WaitlistEntry.objects.get()
    assert (entry.seats, entry.employer_id) == (2, care_provider_coordinator.organisation_id)


def test_a_full_session_offers_only_the_waiting_list_and_waits_once(signed_in, session, coordinator):
    seats_book(actor=coordinator, session=session, count=4)
    page = signed_in.get(reverse("training:booking-create", args=[session.pk])).content.decode()
    assert "This session is full: join the waiting list" in page and "Book seats</button>" not in page
    url = reverse("training:booking-create", args=[session.pk])
    signed_in.post(url, {"action": "wait", "wait-count": "1"})
    response = signed_in.post(url, {"action": "wait", "wait-count": "1"})
    assert "already on the waiting list" in response.content.decode()
    for hostile in ("0", "abc", "500000"):
        assert "nhsuk-error-summary" in signed_in.post(url, {"action": "wait", "wait-count": hostile}).content.decode()
    assert WaitlistEntry.objects.count() == 1


def test_booking_after_the_cutoff_says_bookings_have_closed(signed_in, session):
    Session.objects.filter(pk=session.pk).update(booking_cutoff=timezone.now() - timedelta(hours=1))
    page = signed_in.get(reverse("training:booking-create", args=[session.pk])).content.decode()
    assert "Bookings closed at" in page
    response = signed_in.post(reverse("training:booking-create", args=[session.pk]), {"count": "1"})
    assert response.status_code == 200 and not Booking.objects.exists()


def test_naming_and_removing_staff_on_the_booking_page(signed_in, booking, carers):
    url = reverse("training:booking-detail", args=[booking.pk])
    page = signed_in.get(url).content.decode()
    assert "Carer0 Jones" in page and "2 not named yet" in page
    response = signed_in.post(url, {"person": carers[0].pk}, follow=True)
    assert "Carer0 Jones is booked on this session" in response.content.decode()
    attendee = Attendee.objects.get(person=carers[0])
    response = signed_in.post(url, {"remove": attendee.pk}, follow=True)
    assert "is no longer booked on this session" in response.content.decode()
    assert Attendee.objects.get(pk=attendee.pk).status == AttendeeStatus.CANCELLED


@pytest.mark.parametrize("person", ["", "abc", "-1", "99999999999999999999999", "staff_member"])
def test_naming_refuses_hostile_input_and_other_peoples_staff(request, signed_in, booking, person):
    if person == "staff_member":
        person = request.getfixturevalue("staff_member").pk  # the trust's, not the care provider's
    response = signed_in.post(reverse("training:booking-detail", args=[booking.pk]), {"person": person})
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    assert not Attendee.objects.exists()


@pytest.mark.parametrize("remove", ["", "abc", "99999999999999999999999", "other"])
def test_removing_refuses_hostile_input_and_other_bookings_names(
    request, signed_in, booking, remove, coordinator, session, staff_member
):
    if remove == "other":
        theirs = seats_book(actor=coordinator, session=session, count=1)
        remove = attendee_name(actor=coordinator, booking=theirs, person=staff_member).pk
    response = signed_in.post(reverse("training:booking-detail", args=[booking.pk]), {"remove": remove}, follow=True)
    assert response.status_code == 200 and "no longer named in this booking" in response.content.decode()
    assert not Attendee.objects.filter(status=AttendeeStatus.CANCELLED).exists()


def test_cancelling_seats_asks_how_many_and_refuses_named_ones(signed_in, booking, carers, care_provider_coordinator):
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    url = reverse("training:booking-cancel-seats", args=[booking.pk])
    assert "You can cancel up to 1 unnamed seat." in signed_in.get(url).content.decode()
    for hostile in HOSTILE_COUNTS + ["2"]:
        response = signed_in.post(url, {"count": hostile})
        assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode(), hostile
    response = signed_in.post(url, {"count": "1"}, follow=True)
    assert "1 seat cancelled" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).seats == 1


def test_leaving_the_waiting_list(signed_in, session, coordinator, care_provider_coordinator, other_trust_coordinator):
    seats_book(actor=coordinator, session=session, count=4)
    mine = waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    theirs = waitlist_join(actor=other_trust_coordinator, session=session, seats=1)
    assert signed_in.post(reverse("training:waitlist-withdraw", args=[theirs.pk])).status_code == 404
    assert signed_in.get(reverse("training:waitlist-withdraw", args=[mine.pk])).status_code == 405
    response = signed_in.post(reverse("training:waitlist-withdraw", args=[mine.pk]), follow=True)
    assert "You have left the waiting list" in response.content.decode()
    assert signed_in.post(reverse("training:waitlist-withdraw", args=[mine.pk])).status_code == 302  # a repeat
    assert WaitlistEntry.objects.get(pk=theirs.pk).status == "waiting"


def test_the_policy_page_saves_and_refuses_nonsense(signed_in, care_provider, care_provider_coordinator):
    url = reverse("training:employer-policy")
    page = signed_in.get(url).content.decode()
    assert "Yes, with approval" in page
    assert "nhsuk-error-summary" in signed_in.post(url, {"self_booking": "always"}).content.decode()
    assert "nhsuk-error-summary" in signed_in.post(url, {}).content.decode()
    signed_in.post(url, {"self_booking": SelfBooking.WITH_APPROVAL})
    policy = EmployerTrainingPolicy.objects.get(employer=care_provider)
    assert (policy.self_booking, policy.updated_by) == (SelfBooking.WITH_APPROVAL, care_provider_coordinator)
    assert "Last changed" in signed_in.get(url).content.decode()


@pytest.fixture
def self_booked(care_provider, care_staff_member, session):
    EmployerTrainingPolicy.objects.create(employer=care_provider, self_booking=SelfBooking.WITH_APPROVAL)
    Session.objects.filter(pk=session.pk).update(seats_taken=1)
    held = Booking.objects.create(session=session, employer=care_provider, booked_by=care_staff_member, seats=1)
    return Attendee.objects.create(
        session=session, booking=held, person=care_staff_member, status=AttendeeStatus.AWAITING_APPROVAL
    )


def test_approvals_list_and_decide(signed_in, self_booked):
    page = signed_in.get(reverse("training:employer-approvals")).content.decode()
    assert self_booked.person.get_full_name() in page and "1 request waiting" in page
    url = reverse("training:approval-decide", args=[self_booked.pk])
    assert "nhsuk-error-summary" in signed_in.post(url, {"decision": "maybe"}).content.decode()
    long_reason = {"decision": "decline", "reason": "x" * 501}
    assert "nhsuk-error-summary" in signed_in.post(url, long_reason).content.decode()
    response = signed_in.post(url, {"decision": "approve"}, follow=True)
    assert "Approved." in response.content.decode()
    response = signed_in.post(url, {"decision": "approve"}, follow=True)  # a repeat: still fine
    assert response.status_code == 200
    response = signed_in.post(url, {"decision": "decline"})
    assert "was approved" in response.content.decode()
    assert Attendee.objects.get(pk=self_booked.pk).status == AttendeeStatus.BOOKED


def test_declining_from_the_page(signed_in, self_booked, session):
    url = reverse("training:approval-decide", args=[self_booked.pk])
    response = signed_in.post(url, {"decision": "decline", "reason": "Short-staffed."}, follow=True)
    assert "Declined." in response.content.decode()
    assert Session.objects.get(pk=session.pk).seats_taken == 0


# --- other employers, colleges, staff: 404 on every object ------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_trust_coordinator", "coordinator", "college_coordinator", "care_staff_member", "tutor", "student"]
)
def test_nobody_else_reaches_the_employers_objects(client, request, who, booking, self_booked, session):
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("training:booking-detail", args=[booking.pk]),
        reverse("training:booking-cancel-seats", args=[booking.pk]),
        reverse("training:approval-decide", args=[self_booked.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"count": "1", "person": "1", "decision": "approve"}).status_code == 404, url
    assert Booking.objects.get(pk=booking.pk).seats == 2
    assert Attendee.objects.get(pk=self_booked.pk).status == AttendeeStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("who", ["college_coordinator", "care_staff_member", "tutor", "student", "partner"])
def test_only_employer_coordinators_open_the_booking_page(client, request, who, session):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("training:booking-create", args=[session.pk])).status_code == 404
    assert client.post(reverse("training:booking-create", args=[session.pk]), {"count": "1"}).status_code == 404
    assert not Booking.objects.exists()


def test_an_nhs_trust_coordinator_books_too(client, coordinator, session):
    client.force_login(coordinator)
    assert client.get(reverse("training:booking-create", args=[session.pk])).status_code == 200
    client.post(reverse("training:booking-create", args=[session.pk]), {"count": "1"})
    assert Booking.objects.get().employer_id == coordinator.organisation_id


def test_inactive_or_college_coordinators_do_not_see_the_home(client, college_coordinator):
    client.force_login(college_coordinator)
    assert client.get(reverse("training:employer-home")).status_code == 404
    outsider = factories.CoordinatorFactory(organisation=factories.CareProviderFactory(), is_active=False)
    client.force_login(outsider)
    assert client.get(reverse("training:employer-home")).status_code != 200


def test_leaving_a_waiting_list_that_already_gave_seats_says_so(
    signed_in, session, coordinator, care_provider_coordinator
):
    booking = seats_book(actor=coordinator, session=session, count=4)
    mine = waitlist_join(actor=care_provider_coordinator, session=session, seats=1)
    seats_cancel(actor=coordinator, booking=booking, count=1)
    response = signed_in.post(reverse("training:waitlist-withdraw", args=[mine.pk]), follow=True)
    assert "You were given seats from the waiting list" in response.content.decode()
    assert WaitlistEntry.objects.get(pk=mine.pk).status == "booked"
