"""With 5,000 sessions in the database the college's pages do a bounded number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests import factories
from tests.training.conftest import at
from training.models import Attendee, Booking, CatalogueEntry, Facilitation, Room, Session, WaitlistEntry

pytestmark = pytest.mark.django_db

SESSIONS = 5_000


@pytest.fixture
def busy_college(college_coordinator, entry, room, other_room, facilitators, coordinator):
    rooms = [room, other_room] + [
        Room.objects.create(suite=room.suite, name=f"Room {n}", capacity=10) for n in range(8)
    ]
    entries = [entry] + [
        CatalogueEntry.objects.create(
            college=entry.college,
            title=f"Entry {n}",
            topic=entry.topic,
            duration_minutes=60,
            max_participants=6,
            facilitators_per_participant=entry.facilitators_per_participant,
        )
        for n in range(30)
    ]
    start = at(9)
    Session.objects.bulk_create(
        Session(
            entry=entries[n % len(entries)],
            room=rooms[n % len(rooms)],
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=50),
            booking_cutoff=start,
            seats=6,
            seats_taken=n % 7 if n % 7 <= 6 else 0,
            created_by=college_coordinator,
        )
        for n in range(SESSIONS)
    )
    first = Session.objects.order_by("starts_at").first()
    Facilitation.objects.bulk_create(
        Facilitation(session=first, facilitator=f, starts_at=first.starts_at, ends_at=first.ends_at)
        for f in facilitators
    )
    staff = [factories.StaffMemberFactory(organisation=coordinator.organisation) for _ in range(4)]
    for n in range(3):
        booking = Booking.objects.create(
            session=first, employer=coordinator.organisation, booked_by=coordinator, seats=2
        )
        for person in staff[n : n + 1]:
            Attendee.objects.create(session=first, booking=booking, person=person)
    WaitlistEntry.objects.create(session=first, employer=coordinator.organisation, requested_by=coordinator, seats=1)
    return first


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("college-home", {}),
        ("college-sessions", {}),
        ("college-sessions", {"status": "scheduled", "since_day": "1", "since_month": "7", "since_year": "2027"}),
        ("college-sessions", {"page": "40"}),
        ("entry-list", {}),
        ("college-session-create", {}),
    ],
)
def test_list_pages_do_a_bounded_number_of_queries(
    client, college_coordinator, busy_college, django_assert_max_num_queries, name, query
):
    client.force_login(college_coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(f"training:{name}"), query)
    assert response.status_code == 200


def test_the_session_page_does_a_bounded_number_of_queries(
    client, college_coordinator, busy_college, django_assert_max_num_queries
):
    client.force_login(college_coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("training:college-session", args=[busy_college.pk]))
    assert response.status_code == 200
    assert response.context["session"].live_bookings[0].unnamed == 1
