"""Cancelling a session: facilitators freed, everyone booked or waiting told once, nothing left holding seats."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from tests import factories
from tests.training.conftest import at
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    CancelledReason,
    Facilitation,
    Session,
    SessionStatus,
    WaitlistStatus,
)
from training.services.college_cancellations import session_cancel, session_close
from training.services.seats import seats_book
from training.services.sessions import session_create
from training.services.waitlist import waitlist_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session(college_coordinator, coordinator, care_provider_coordinator, staff_member, session):
    booking = seats_book(actor=coordinator, session=session, count=7)
    Attendee.objects.create(session=session, booking=booking, person=staff_member, added_by=coordinator)
    Attendee.objects.create(session=session, person=factories.StudentFactory(email="pupil@example.test"))
    from training.services.seat_counts import seats_take

    assert seats_take(session_id=session.pk, count=1)
    waitlist_join(actor=care_provider_coordinator, session=session, seats=2)
    return session


def test_cancelling_frees_the_facilitators_for_another_session_at_that_time(
    college_coordinator, session, entry, other_room, facilitators
):
    session_cancel(actor=college_coordinator, session=session, reason=CancelledReason.BY_COLLEGE)
    assert not Facilitation.objects.filter(session=session).exists()
    # On PostgreSQL the facilitator exclusion constraint (no status condition) would refuse this otherwise.
    other = session_create(
        actor=college_coordinator,
        entry=entry,
        room=other_room,
        starts_at=at(9),
        ends_at=at(12),
        facilitators=facilitators,
    )
    assert set(other.facilitators.all()) == set(facilitators)


def test_cancelling_tells_everyone_once_and_releases_everything(
    college_coordinator, coordinator, care_provider_coordinator, staff_member, full_session
):
    session_cancel(actor=college_coordinator, session=full_session, reason=CancelledReason.BY_COLLEGE)
    full_session.refresh_from_db()
    assert full_session.status == SessionStatus.CANCELLED and full_session.seats_taken == 0
    assert full_session.cancelled_reason == CancelledReason.BY_COLLEGE and full_session.cancelled_at
    assert set(Attendee.objects.values_list("status", flat=True)) == {AttendeeStatus.CANCELLED}
    assert list(Booking.objects.values_list("seats", flat=True)) == [0]
    assert Booking.objects.get().cancelled_at is not None
    assert full_session.waitlist.get().status == WaitlistStatus.LAPSED
    sent = sorted(OutboundEmail.objects.values_list("template", "to_email"))
    assert sent == [
        ("attendee_session_cancelled", "pupil@example.test"),
        ("attendee_session_cancelled", staff_member.email),
        ("booker_session_cancelled", coordinator.email),
        ("requester_session_cancelled", care_provider_coordinator.email),
    ]
    body = OutboundEmail.objects.get(template="booker_session_cancelled").body_text
    assert "Why: Cancelled by the college." in body and "/training/" in body and "7 seats" in body
    session_cancel(actor=college_coordinator, session=full_session, reason=CancelledReason.BY_COLLEGE)
    assert OutboundEmail.objects.count() == 4


def test_the_system_cancels_below_the_minimum_without_an_actor(staff_member, full_session):
    session_cancel(actor=None, session=full_session, reason=CancelledReason.BELOW_MINIMUM)
    full_session.refresh_from_db()
    assert full_session.cancelled_reason == CancelledReason.BELOW_MINIMUM
    body = OutboundEmail.objects.get(to_email=staff_member.email).body_text
    assert "Too few people had booked by the cut-off" in body


def test_a_started_session_cannot_be_cancelled_by_the_college(college_coordinator, session):
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now(), booking_cutoff=timezone.now())
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="already started"):
        session_cancel(actor=college_coordinator, session=session, reason=CancelledReason.BY_COLLEGE)


def test_the_cancel_page_says_who_will_be_told_and_needs_a_tick(client, college_coordinator, full_session):
    client.force_login(college_coordinator)
    url = reverse("training:college-session-cancel", args=[full_session.pk])
    page = client.get(url).content.decode()
    assert "we email the 2 people booked on it" in page
    assert "we email the 1 booking of 1 employer and cancel their seats" in page
    assert "we tell the 1 on the waiting list" in page
    response = client.post(url, {})
    assert response.status_code == 200 and "Tick the box to confirm" in response.content.decode()
    assert Session.objects.get(pk=full_session.pk).status == SessionStatus.SCHEDULED
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert Session.objects.get(pk=full_session.pk).status == SessionStatus.CANCELLED
    assert client.post(url, {"confirm": "on"}).status_code == 302  # a repeat: "already cancelled"
    assert OutboundEmail.objects.count() == 4


def test_closing_stops_bookings_but_keeps_the_session(client, college_coordinator, coordinator, session):
    client.force_login(college_coordinator)
    url = reverse("training:college-session-close", args=[session.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    session_close(actor=college_coordinator, session=session)  # a repeat is harmless
    with pytest.raises(ValidationError):
        seats_book(actor=coordinator, session=session, count=1)


def test_the_session_page_shows_the_roster(client, college_coordinator, staff_member, care_provider, full_session):
    client.force_login(college_coordinator)
    page = client.get(reverse("training:college-session", args=[full_session.pk])).content.decode()
    assert staff_member.get_full_name() in page
    assert "6 seats not named yet" in page
    assert care_provider.name in page  # waiting
    assert "Mark attendance" not in page  # not started yet
    Session.objects.filter(pk=full_session.pk).update(starts_at=timezone.now(), booking_cutoff=timezone.now())
    page = client.get(reverse("training:college-session", args=[full_session.pk])).content.decode()
    assert reverse("training:college-attendance", args=[full_session.pk]) in page
