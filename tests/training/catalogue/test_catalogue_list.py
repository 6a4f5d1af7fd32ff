"""The public catalogue: what it lists, its filters, distance, the empty state and hostile query strings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.training.catalogue.helpers import make_entry, make_room, make_session, soon
from training.models import Audience, CancelledReason, CatalogueEntry, Session, SessionStatus, Suite, Topic

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("training:catalogue")


def _titles(response):
    return [session.entry.title for session in response.context["page"]]


@pytest.fixture
def room(college):
    return make_room(college)


def test_lists_future_scheduled_and_closed_sessions_of_fresh_entries_soonest_first(client, college, room):
    today = timezone.localdate()
    make_session(make_entry(college, title="Later"), room, soon(20))
    make_session(make_entry(college, title="Cut-off passed"), room, soon(2), booking_cutoff=timezone.now())
    make_session(make_entry(college, title="Sooner"), room, soon(10))
    make_session(make_entry(college, title="Closed"), room, soon(15), status=SessionStatus.CLOSED)
    make_session(
        make_entry(college, title="Cancelled"),
        room,
        soon(12),
        status=SessionStatus.CANCELLED,
        cancelled_reason=CancelledReason.BY_COLLEGE,
    )
    make_session(make_entry(college, title="Past"), room, timezone.now() - timedelta(days=1))
    make_session(make_entry(college, title="Stale", last_confirmed_on=today - timedelta(days=61)), room, soon(11))
    make_session(make_entry(college, title="Just fresh", last_confirmed_on=today - timedelta(days=60)), room, soon(25))
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert _titles(response) == ["Cut-off passed", "Sooner", "Closed", "Later", "Just fresh"]
    page = response.content.decode()
    assert "Closed to bookings" in page and "Bookings closed" in page
    assert "5 sessions, soonest first" in page


def test_a_card_says_when_where_who_seats_cpd_cost_and_step_free(client, college, room):
    college.borough = "Tower Hamlets"
    college.save()
    entry = make_entry(college, title="Hoists", audiences=[Audience.CARE_STAFF, Audience.STUDENTS])
    full = make_session(entry, room, soon(10, 9, 30), hours=3, seats=6)
    Session.objects.filter(pk=full.pk).update(seats_taken=6)
    make_session(entry, make_room(college, postcode="E2 0AA", step_free=True), soon(11), seats=6)
    page = client.get(CATALOGUE).content.decode()
    assert "Hoists" in page and "College A" in page and "(Tower Hamlets)" in page
    assert "9:30am to 12:30pm (3 hours)" in page
    assert "Care staff, Students" in page
    assert "Full – join the waiting list" in page and "6 of 6" in page
    assert "Free (LSIP funded)" in page and "Moving and handling" in page
    assert reverse("training:session-detail", kwargs={"pk": full.pk}) in page
    assert ">Yes<" in page and ">No<" in page


def test_each_filter_works_and_they_combine(client, college, other_college, room):
    other_college.borough = "Hackney"
    other_college.save()
    make_session(make_entry(college, title="Care hoists"), room, soon(10))
    make_session(
        make_entry(
            college, title="Reception skills", topic=Topic.COMMUNICATION, audiences=[Audience.NON_CLINICAL_STAFF]
        ),
        room,
        soon(30),
    )
    hackney_room = make_room(other_college, postcode="E8 1AA", step_free=True)
    make_session(
        make_entry(other_college, title="Insight day", topic=Topic.CAREERS, audiences=[Audience.STUDENTS]),
        hackney_room,
        soon(20),
    )
    make_session(
        make_entry(
            other_college,
            title="Support worker basics",
            topic=Topic.COMMUNICATION,
            audiences=[Audience.CARE_STAFF, Audience.CLINICAL_SUPPORT_STAFF],
        ),
        hackney_room,
        soon(40),
    )
    assert _titles(client.get(CATALOGUE, {"audience": "students"})) == ["Insight day"]
    assert _titles(client.get(CATALOGUE, {"audience": ["students", "non_clinical_staff"]})) == [
        "Insight day",
        "Reception skills",
    ]
    assert _titles(client.get(CATALOGUE, {"audience": "care_staff"})) == ["Care hoists", "Support worker basics"]
    assert _titles(client.get(CATALOGUE, {"topic": "communication"})) == ["Reception skills", "Support worker basics"]
    assert _titles(client.get(CATALOGUE, {"borough": "Hackney"})) == ["Insight day", "Support worker basics"]
    assert _titles(client.get(CATALOGUE, {"step_free": "on"})) == ["Insight day", "Support worker basics"]
    day = (soon(20)).date()
    around = {
        "from_date_day": day.day - 0,
        "from_date_month": day.month,
        "from_date_year": day.year,
    }
    assert _titles(client.get(CATALOGUE, around)) == ["Insight day", "Reception skills", "Support worker basics"]
    until = soon(30).date()
    assert _titles(
        client.get(
            CATALOGUE, {**around, "to_date_day": until.day, "to_date_month": until.month, "to_date_year": until.year}
        )
    ) == ["Insight day", "Reception skills"]
    combined = {"topic": "communication", "borough": "Hackney", "audience": "care_staff", "step_free": "on"}
    assert _titles(client.get(CATALOGUE, combined)) == ["Support worker basics"]
    assert _titles(client.get(CATALOGUE, {"topic": "careers", "audience": "care_staff"})) == []


def test_a_to_date_includes_the_whole_london_day(client, college, room):
    make_session(make_entry(college, title="Evening"), room, soon(10, 21, 30))
    day = soon(10).date()
    params = {"to_date_day": day.day, "to_date_month": day.month, "to_date_year": day.year}
    assert _titles(client.get(CATALOGUE, params)) == ["Evening"]
    params.update(from_date_day=day.day, from_date_month=day.month, from_date_year=day.year)
    assert _titles(client.get(CATALOGUE, params)) == ["Evening"]


def test_near_a_postcode_sorts_nearest_first_and_limits_the_distance(client, college):
    make_session(make_entry(college, title="Croydon"), make_room(college, postcode="CR0 1AA"), soon(5))
    make_session(make_entry(college, title="Camberwell"), make_room(college, postcode="SE5 9RS"), soon(9))
    make_session(make_entry(college, title="Hackney"), make_room(college, postcode="E9 6SR"), soon(7))
    make_session(make_entry(college, title="Nowhere known"), make_room(college, postcode=""), soon(6))
    response = client.get(CATALOGUE, {"postcode": "se15 4aa"})
    assert _titles(response) == ["Camberwell", "Hackney", "Croydon", "Nowhere known"]
    distances = [s.distance_km for s in response.context["page"]][:3]
    assert distances == sorted(distances) and distances[0] < 4
    page = response.content.decode()
    assert "nearest first" in page and "About" in page and "km" in page and "Not known" in page
    assert _titles(client.get(CATALOGUE, {"postcode": "SE15", "within_km": "5"})) == ["Camberwell"]


def test_suites_written_without_save_are_located_when_someone_searches_by_distance(client, college):
    room = make_room(college, postcode="SE5 9RS")
    Suite.objects.filter(pk=room.suite_id).update(latitude=None, longitude=None)
    make_session(make_entry(college, title="Camberwell"), room, soon(9))
    assert _titles(client.get(CATALOGUE, {"postcode": "SE15", "within_km": "5"})) == ["Camberwell"]
    assert Suite.objects.get(pk=room.suite_id).latitude is not None


def test_no_match_says_so_and_offers_to_clear_the_filters(client, college, room):
    make_session(make_entry(college), room, soon(10))
    page = client.get(CATALOGUE, {"topic": "dementia"}).content.decode()
    assert "No sessions match your search" in page
    assert f'href="{CATALOGUE}"' in page and "Clear filters" in page


def test_pages_of_25(client, college, room):
    entry = make_entry(college)
    creator = factories.CoordinatorFactory(organisation=college)
    for n in range(30):
        make_session(entry, room, soon(5 + n), creator=creator)
    first = client.get(CATALOGUE)
    assert len(first.context["page"]) == 25 and "Page 2 of 2" in first.content.decode()
    assert len(client.get(CATALOGUE, {"page": "2"}).context["page"]) == 5


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "We could not find that postcode"),
        ({"postcode": "SE5" * 1700}, "postcode", "Enter a real postcode"),
        ({"within_km": "5"}, "postcode", "Enter a postcode to search by distance"),
        ({"within_km": "99999"}, "within_km", "Select a valid choice"),
        ({"audience": "surgeons"}, "audience", "Select a valid choice"),
        ({"topic": "<script>"}, "topic", "Select a valid choice"),
        ({"borough": "Atlantis"}, "borough", "Select a valid choice"),
        ({"from_date_day": "31", "from_date_month": "2", "from_date_year": "2027"}, "from_date", "real date"),
        ({"from_date_day": "1", "from_date_month": "1", "from_date_year": "99999"}, "from_date", "real date"),
        ({"to_date_day": "31", "to_date_month": "12", "to_date_year": "9999"}, "to_date", "2100 or earlier"),
        ({"from_date_day": "9" * 40, "from_date_month": "1", "from_date_year": "2027"}, "from_date", "real date"),
        ({"from_date_day": "1", "from_date_year": "2027"}, "from_date", "Date must include a month"),
        (
            {
                "from_date_day": "10",
                "from_date_month": "7",
                "from_date_year": "2027",
                "to_date_day": "1",
                "to_date_month": "7",
                "to_date_year": "2027",
            },
            "to_date",
            "same as or after",
        ),
    ],
)
def test_bad_filters_get_a_message_next_to_the_field_never_an_error_page(client, params, field, message):
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("page", ["999999999999999999999", "9" * 5000, "-3", "abc", "1.5", "0", "\x00"])
def test_odd_page_numbers_show_a_page_of_results(client, college, room, page):
    make_session(make_entry(college, title="Only one"), room, soon(10))
    response = client.get(CATALOGUE, {"page": page})
    assert response.status_code == 200 and _titles(response) == ["Only one"]


def test_an_entry_confirmed_today_but_with_no_future_session_is_not_listed(client, college):
    make_entry(college, title="No sessions yet")
    assert CatalogueEntry.objects.count() == 1
    assert _titles(client.get(CATALOGUE)) == []
