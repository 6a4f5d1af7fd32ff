"""The employer's bookings list counts names and attendance per booking (a subquery per row, issue 15): the same
figures as before, and the same number of queries at 40 bookings and at 400."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from accounts.models import Role, User
from training.models import Attendance, Attendee, AttendeeStatus, Booking, Session
from training.selectors.employer import past_bookings_for_employer, upcoming_bookings_for_employer
from training.services.sessions import london

pytestmark = pytest.mark.django_db


def _sessions(entry, room, creator, days):
    return Session.objects.bulk_create(
        Session(
            entry=entry,
            room=room,
            starts_at=london(day, time(9)),
            ends_at=london(day, time(12)),
            booking_cutoff=london(day - timedelta(days=2), time(9)),
            seats=8,
            seats_taken=4,
            created_by=creator,
        )
        for day in days
    )


def _people(employer, count, prefix="p"):
    return User.objects.bulk_create(
        User(
            email=f"{prefix}{n}@example.test",
            first_name=f"Person{n}",
            last_name="Counted",
            role=Role.STAFF,
            organisation=employer,
            organisation_kind=employer.kind,
        )
        for n in range(count)
    )


def test_named_counts_seats_held_and_attended_counts_who_came(
    care_provider, care_provider_coordinator, college_coordinator, entry, room
):
    past, future, empty = _sessions(
        entry, room, college_coordinator, [date(2026, 1, 5), date(2027, 7, 5), date(2027, 7, 6)]
    )
    people = _people(care_provider, 4)
    coordinator = care_provider_coordinator
    held = Booking.objects.create(session=future, employer=care_provider, booked_by=coordinator, seats=4)
    went = Booking.objects.create(session=past, employer=care_provider, booked_by=coordinator, seats=4)
    Booking.objects.create(session=empty, employer=care_provider, booked_by=coordinator, seats=2)
    statuses = [AttendeeStatus.BOOKED, AttendeeStatus.AWAITING_APPROVAL, AttendeeStatus.CANCELLED]
    for person, status in zip(people, statuses, strict=False):
        Attendee.objects.create(session=future, booking=held, person=person, status=status)
    marks = [Attendance.ATTENDED, Attendance.ATTENDED, Attendance.DID_NOT_ATTEND, Attendance.UNMARKED]
    for person, mark in zip(people, marks, strict=True):
        Attendee.objects.create(session=past, booking=went, person=person, attendance=mark)

    upcoming = {b.session_id: b.named for b in upcoming_bookings_for_employer(coordinator)}
    assert upcoming == {future.pk: 2, empty.pk: 0}  # booked and awaiting approval hold a seat; cancelled does not
    (booking,) = past_bookings_for_employer(coordinator)
    assert (booking.named, booking.attended) == (4, 2)


@pytest.fixture
def bookings(care_provider, care_provider_coordinator, college_coordinator, entry, room):
    """``make(n)``: n sessions (half past, half to come) each booked with 4 seats and 3 named people."""
    people = _people(care_provider, 30)

    def make(count):
        first = date(2026, 1, 5) + timedelta(days=Session.objects.count())
        days = [first + timedelta(days=n) for n in range(count // 2)]
        days += [date(2027, 7, 5) + timedelta(days=Session.objects.count() + n) for n in range(count - len(days))]
        made = Booking.objects.bulk_create(
            Booking(session=s, employer=care_provider, booked_by=care_provider_coordinator, seats=4)
            for s in _sessions(entry, room, college_coordinator, days)
        )
        Attendee.objects.bulk_create(
            Attendee(session_id=b.session_id, booking=b, person=people[(i + n) % 30], attendance=Attendance.ATTENDED)
            for i, b in enumerate(made)
            for n in range(3)
        )

    return make


def test_the_bookings_list_does_the_same_queries_at_40_bookings_and_at_400(
    client, care_provider_coordinator, bookings, django_assert_max_num_queries
):
    client.force_login(care_provider_coordinator)
    url = reverse("training:employer-home")
    bookings(40)
    client.get(url)
    with django_assert_max_num_queries(11) as small:  # session, user, second factor, 3 counts, 2 pages, policy...
        page = client.get(url, {"page": "2", "past_page": "1"})
    assert page.status_code == 200 and "3 named" in page.content.decode()
    bookings(360)
    with django_assert_max_num_queries(len(small)) as large:
        page = client.get(url, {"page": "2", "past_page": "3"})
    assert page.status_code == 200 and "3 named" in page.content.decode()
    assert len(large) == len(small)
