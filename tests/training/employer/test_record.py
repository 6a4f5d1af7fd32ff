"""The training record: who attended what, when and the CPD hours, filtered; the CSV is exactly those rows.

Also the list pages' query counts with 2,000 attendees.
"""

import csv
import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role, User
from training.models import Attendance, Attendee, Booking, CatalogueEntry, Session, Topic
from training.services.sessions import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(care_provider, care_provider_coordinator, college_coordinator, entry, room, other_room, carers):
    """Carer0 went to moving and handling (3 hours) and dementia care (1.5 hours); Carer1 did not attend."""
    dementia = CatalogueEntry.objects.create(
        college=entry.college,
        title="Dementia care",
        topic=Topic.DEMENTIA,
        duration_minutes=90,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        cpd_hours=Decimal("1.5"),
    )
    first = _past_session(entry, room, date(2026, 3, 10), college_coordinator)
    second = _past_session(dementia, other_room, date(2026, 5, 20), college_coordinator)
    for session in (first, second):
        booking = Booking.objects.create(
            session=session, employer=care_provider, booked_by=care_provider_coordinator, seats=2
        )
        Attendee.objects.create(session=session, booking=booking, person=carers[0], attendance=Attendance.ATTENDED)
        Attendee.objects.create(
            session=session, booking=booking, person=carers[1], attendance=Attendance.DID_NOT_ATTEND
        )
    return first, second


def _past_session(entry, room, day, actor):
    return Session.objects.create(
        entry=entry,
        room=room,
        starts_at=london(day, time(9)),
        ends_at=london(day, time(12)),
        booking_cutoff=london(day - timedelta(days=2), time(9)),
        seats=8,
        seats_taken=2,
        created_by=actor,
    )


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_record_shows_only_attended_sessions_with_hours(client, care_provider_coordinator, attended):
    client.force_login(care_provider_coordinator)
    page = client.get(reverse("training:employer-record")).content.decode()
    assert "2 sessions attended, 4.5 CPD hours" in page
    assert "Carer0 Jones" in page and "Carer1 Jones" not in page


def test_filters_by_person_date_range_and_topic(client, care_provider_coordinator, attended):
    client.force_login(care_provider_coordinator)
    url = reverse("training:employer-record")
    assert "1 session attended, 1.5 CPD hours" in client.get(url, {"topic": Topic.DEMENTIA}).content.decode()
    between = {
        "date_from_day": "1",
        "date_from_month": "3",
        "date_from_year": "2026",
        "date_to_day": "10",
        "date_to_month": "3",
        "date_to_year": "2026",
    }
    assert "1 session attended, 3 CPD hours" in client.get(url, between).content.decode()
    assert "0 sessions attended" in client.get(url, {"person": "Carer1"}).content.decode()
    assert "2 sessions attended" in client.get(url, {"person": "carer0@"}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"topic": "not-a-topic"},
        {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
        {"date_from_day": "x", "date_from_month": "", "date_from_year": "99999999999"},
        {
            "date_from_day": "1",
            "date_from_month": "6",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2026",
        },
        {"person": "x" * 5000},
        {"page": "-1"},
        {"page": "99999999999999999999"},
    ],
)
def test_hostile_filters_give_a_page_not_an_error(client, care_provider_coordinator, attended, query):
    client.force_login(care_provider_coordinator)
    assert client.get(reverse("training:employer-record"), query).status_code == 200
    assert client.get(reverse("training:employer-record-export"), query).status_code == 200


def test_the_csv_is_the_filtered_rows_streamed_with_formulae_neutralised(
    client, care_provider_coordinator, attended, carers
):
    User.objects.filter(pk=carers[0].pk).update(first_name='=HYPERLINK("http://evil")', last_name="+1")
    client.force_login(care_provider_coordinator)
    response = client.get(reverse("training:employer-record-export"), {"topic": Topic.MOVING_AND_HANDLING})
    assert response.streaming and response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="training-record-')
    table = rows(response)
    assert table[0] == [
        "First name",
        "Last name",
        "Email",
        "Session",
        "Topic",
        "College",
        "Date",
        "Start",
        "End",
        "CPD hours",
    ]
    assert table[1:] == [
        [
            '\'=HYPERLINK("http://evil")',
            "'+1",
            "carer0@example.test",
            "Moving and handling",
            "Moving and handling",
            attended[0].room.suite.college.name,
            "10 March 2026",
            "9am",
            "midday",
            "3",
        ],
    ]


def test_another_employer_sees_none_of_the_record(client, other_trust_coordinator, attended):
    client.force_login(other_trust_coordinator)
    assert "0 sessions attended" in client.get(reverse("training:employer-record")).content.decode()
    assert len(rows(client.get(reverse("training:employer-record-export")))) == 1


# --- bounded queries: 2,000 attendees --------------------------------------------------------------------------


@pytest.fixture
def busy_employer(care_provider, care_provider_coordinator, college_coordinator, entry, room):
    """40 sessions (20 past, 20 to come), each with a 50-seat booking and 50 named staff: 2,000 attendees."""
    people = User.objects.bulk_create(
        User(
            email=f"bulk{n}@example.test",
            first_name=f"Person{n}",
            last_name="Bulk",
            role=Role.STAFF,
            organisation=care_provider,
            organisation_kind=care_provider.kind,
        )
        for n in range(100)
    )
    sessions = Session.objects.bulk_create(
        Session(
            entry=entry,
            room=room,
            starts_at=london(day, time(9)),
            ends_at=london(day, time(12)),
            booking_cutoff=london(day - timedelta(days=2), time(9)),
            seats=50,
            seats_taken=50,
            created_by=college_coordinator,
        )
        for day in [date(2026, 1, 5) + timedelta(days=n) for n in range(20)]
        + [date(2027, 7, 5) + timedelta(days=n) for n in range(20)]
    )
    bookings = Booking.objects.bulk_create(
        Booking(session=s, employer=care_provider, booked_by=care_provider_coordinator, seats=50) for s in sessions
    )
    Attendee.objects.bulk_create(
        Attendee(
            session=b.session,
            booking=b,
            person=people[(i + n) % 100],
            attendance=Attendance.ATTENDED if b.session.starts_at.year == 2026 else Attendance.UNMARKED,
        )
        for i, b in enumerate(bookings)
        for n in range(50)
    )
    assert Attendee.objects.count() == 2000
    return bookings


# Measured: home 10, record 6, approvals 5 (session, user, second factor, policy, counts, pages).
@pytest.mark.parametrize(
    ("name", "most"),
    [("training:employer-home", 11), ("training:employer-record", 7), ("training:employer-approvals", 6)],
)
def test_list_pages_do_a_bounded_number_of_queries(
    client, care_provider_coordinator, busy_employer, django_assert_max_num_queries, name, most
):
    client.force_login(care_provider_coordinator)
    with django_assert_max_num_queries(most):
        response = client.get(reverse(name), {"page": "2"})
    assert response.status_code == 200


def test_the_booking_page_with_fifty_names_does_a_bounded_number_of_queries(
    client, care_provider_coordinator, busy_employer, django_assert_max_num_queries
):
    client.force_login(care_provider_coordinator)
    with django_assert_max_num_queries(8):  # measured: 7
        response = client.get(reverse("training:booking-detail", args=[busy_employer[-1].pk]))
    assert response.content.decode().count("Person") >= 50


def test_the_export_streams_a_thousand_rows_in_a_bounded_number_of_queries(
    client, care_provider_coordinator, busy_employer, django_assert_max_num_queries
):
    client.force_login(care_provider_coordinator)
    with django_assert_max_num_queries(5):  # measured: 4, whatever the number of rows
        table = rows(client.get(reverse("training:employer-record-export")))
    assert len(table) == 1 + 1000
