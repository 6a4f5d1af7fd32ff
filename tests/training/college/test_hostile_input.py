"""Hostile and mistaken input gives a message on the form, never a server error."""

import pytest
from django.urls import reverse

from tests.training.college.test_session_create import form
from training.models import CatalogueEntry, Room, Session, Suite

pytestmark = pytest.mark.django_db

CREATE = "training:college-session-create"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seats": "-3"}, "The number of seats must be 1 or more"),
        ({"seats": "99999999999999999999999"}, "The number of seats must be 500 or fewer"),
        ({"seats": "lots"}, "Enter the number of seats as a whole number"),
        ({"seats": "12"}, "The room holds 12 people"),  # fine: the room holds 12
        ({"seats": "13"}, "The room holds 12 people, so the session can have at most 12 seats."),
        ({"min_participants": "9", "seats": "8"}, "The minimum cannot be more than the number of seats."),
        ({"repeat_weeks": "27"}, "The number of weeks must be 26 or fewer"),
        ({"repeat_weeks": "-1"}, "The number of weeks must be 0 or more"),
        ({"cutoff_days": "1e9"}, "Enter the days before the start as a whole number"),
        ({"date_day": "31", "date_month": "2"}, "Date must be a real date"),
        ({"date_day": "x"}, "Date must be a real date"),
        ({"date_day": ""}, "Date must include a day"),
        ({"date_year": "2020"}, "The session must start in the future."),
        ({"date_day": "31", "date_month": "12", "date_year": "9999", "repeat_weeks": "26"}, "up to 2 years ahead"),
        (
            {"cutoff_date_day": "31", "cutoff_date_month": "12", "cutoff_date_year": "9999", "cutoff_time": "17:00"},
            "up to 2 years ahead",
        ),
        (
            {"cutoff_date_day": "1", "cutoff_date_month": "1", "cutoff_date_year": "0001", "cutoff_time": "17:00"},
            "which has already passed",
        ),
        ({"start": "25:00"}, "Enter a time in 24-hour format"),
        ({"start": "nine"}, "Enter a time in 24-hour format"),
        ({"end": "08:00"}, "The end time must be after the start time"),
        ({"end": "09:00"}, "The end time must be after the start time"),
        ({"entry": "999999"}, "Choose a catalogue entry"),
        ({"entry": "x' OR 1=1"}, "Choose a catalogue entry"),
        ({"room": ""}, "Choose a room"),
        ({"facilitators": ["999999"]}, "Choose facilitators from the list"),
        ({"cutoff_date_day": "1", "cutoff_date_month": "1", "cutoff_date_year": "2027"}, "Enter both the date"),
        (
            {"cutoff_date_day": "20", "cutoff_date_month": "6", "cutoff_date_year": "2027", "cutoff_time": "17:00"},
            "Bookings must close before the session starts.",
        ),
        (
            {"date_day": "28", "date_month": "3", "date_year": "2027", "start": "01:30", "end": "03:00"},
            "The clocks go forward on Sunday 28 March 2027, so 01:30 does not exist that day.",
        ),
        (
            {"date_day": "31", "date_month": "10", "date_year": "2027", "start": "01:15", "end": "03:00"},
            "The clocks go back on Sunday 31 October 2027, so 01:15 happens twice that day.",
        ),
        (
            {
                "date_day": "24",
                "date_month": "10",
                "date_year": "2027",
                "start": "01:15",
                "end": "03:00",
                "repeat_weeks": "2",
            },
            "The clocks go back on Sunday 31 October 2027",
        ),
    ],
)
def test_the_session_form_explains_each_mistake(client, college_coordinator, entry, room, changes, message):
    client.force_login(college_coordinator)
    response = client.post(reverse(CREATE), form(entry, room, **changes))
    if changes == {"seats": "12"}:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("suite-create", {"name": "", "postcode": "E1 1AA"}, "Enter the name of the suite"),
        ("suite-create", {"name": "Sim", "postcode": "NOT A POSTCODE"}, "Enter a real postcode"),
        ("suite-create", {"name": "Sim", "postcode": "ZZ9 9ZZ"}, "We could not find that postcode"),
        ("suite-create", {"name": "x" * 201, "postcode": "E1 1AA"}, "Use 200 characters or fewer"),
        ("entry-create", {"title": "T", "duration_minutes": "-5"}, "The length must be 15 or more"),
        ("entry-create", {"title": "T", "cpd_hours": "2.25"}, "Use whole or half hours"),
        ("entry-create", {"title": "T", "cpd_hours": "101"}, "CPD hours must be 100 or fewer"),
        ("entry-create", {"title": "T", "cpd_hours": "-1"}, "CPD hours cannot be negative"),
        ("entry-create", {"title": "T", "min_participants": "9", "max_participants": "3"}, "cannot be more than"),
        ("entry-create", {"title": "T", "audiences": ["students"]}, "Enter the youngest age for students"),
        ("entry-create", {"title": "T", "audiences": ["students"], "min_age": "12"}, "must be 14 or more"),
        ("entry-create", {"title": "T", "audiences": ["aliens"]}, "Select a valid choice"),
        ("entry-create", {"title": "T", "participants_per_facilitator": "0"}, "must be 1 or more"),
        ("entry-create", {}, "Enter a title"),
    ],
)
def test_suite_and_entry_forms_explain_each_mistake(client, college_coordinator, name, data, message):
    client.force_login(college_coordinator)
    response = client.post(reverse(f"training:{name}"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suite.objects.exists() and not CatalogueEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "R", "capacity": "0", "hours_available_per_week": "35"}, "The number of people must be 1 or more"),
        ({"name": "R", "capacity": "501", "hours_available_per_week": "35"}, "must be 500 or fewer"),
        ({"name": "R", "capacity": "6", "hours_available_per_week": "169"}, "The hours a week must be 168 or fewer"),
        ({"name": "R", "capacity": "6", "hours_available_per_week": "0"}, "The hours a week must be 1 or more"),
        ({"name": "R", "capacity": "6", "equipment": ["laser"]}, "Select a valid choice"),
    ],
)
def test_the_room_form_explains_each_mistake(client, college_coordinator, suite, data, message):
    client.force_login(college_coordinator)
    response = client.post(reverse("training:room-create", args=[suite.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Room.objects.exists()


def test_an_empty_post_shows_every_required_field(client, college_coordinator, entry, room):
    client.force_login(college_coordinator)
    response = client.post(reverse(CREATE), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a catalogue entry" in page and "Choose a room" in page and "Enter a date" in page


def test_repeating_a_create_post_is_refused_as_a_clash_not_a_duplicate(client, college_coordinator, entry, room):
    client.force_login(college_coordinator)
    assert client.post(reverse(CREATE), form(entry, room)).status_code == 302
    response = client.post(reverse(CREATE), form(entry, room))
    assert response.status_code == 200 and "The room is already booked" in response.content.decode()
    assert Session.objects.count() == 1


def test_a_huge_page_number_or_bad_filter_still_answers(client, college_coordinator, session):
    client.force_login(college_coordinator)
    assert client.get(reverse("training:college-sessions"), {"page": "99999999999999"}).status_code == 200
    response = client.get(reverse("training:college-sessions"), {"room": "abc", "since_day": "31", "since_month": "2"})
    assert response.status_code == 200
    assert client.get(reverse("training:entry-list"), {"page": "-1"}).status_code == 200
    assert client.get(reverse(CREATE), {"entry": "9" * 40}).status_code == 200
    for year in ("0001", "9999"):
        query = {"since_day": "31", "since_month": "12", "since_year": year}
        assert client.get(reverse("training:college-sessions"), query).status_code == 200
