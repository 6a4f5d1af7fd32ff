"""With 5,000 sessions the catalogue does a small fixed number of queries, whichever page and filters."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.training.catalogue.helpers import make_entry, make_room, soon
from training.models import Audience, Session, Topic

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("training:catalogue")
SESSIONS = 5000
# Suites still to locate (postcode searches only), a count, and one page of sessions with everything a card needs.
MAX_QUERIES = 3


@pytest.fixture
def five_thousand_sessions(college, other_college):
    creator = factories.CoordinatorFactory(organisation=college)
    rooms = [make_room(college, postcode=p, name=f"Room {p}") for p in ("E1 1AA", "SE5 9RS", "N1 1AA", "CR0 1AA")]
    rooms += [make_room(other_college, postcode=p, step_free=True) for p in ("E8 1AA", "W2 1AA")]
    entries = [
        make_entry(college, title=f"Entry {n}", topic=topic, audiences=[audience])
        for n, (topic, audience) in enumerate(
            [
                (Topic.MOVING_AND_HANDLING, Audience.CARE_STAFF),
                (Topic.DEMENTIA, Audience.CARE_STAFF),
                (Topic.COMMUNICATION, Audience.NON_CLINICAL_STAFF),
                (Topic.CAREERS, Audience.STUDENTS),
            ]
        )
    ]
    first = soon(3, 8)
    sessions = []
    for n in range(SESSIONS):
        room = rooms[n % len(rooms)]
        # Two-hour slots per room, never overlapping (PostgreSQL's exclusion constraint is on).
        starts_at = first + timedelta(hours=2 * (n // len(rooms)))
        sessions.append(
            Session(
                entry=entries[n % len(entries)],
                room=room,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                booking_cutoff=starts_at - timedelta(days=1),
                seats=8,
                seats_taken=n % 9,
                created_by=creator,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    return sessions


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"postcode": "SE15 4AA"},
        {"postcode": "SE15", "within_km": "20", "topic": "dementia"},
        {"audience": ["care_staff", "students"], "step_free": "on", "borough": "Southwark"},
    ],
)
def test_the_list_does_a_fixed_number_of_queries_at_5000_sessions(
    client, five_thousand_sessions, params, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CATALOGUE, params)
    assert len(response.context["page"]) == 25
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(CATALOGUE, {**params, "page": "150"})


def test_page_150_costs_no_more_queries_than_page_1(client, five_thousand_sessions):
    assert response_total(client) == SESSIONS
    for params in ({}, {"postcode": "SE15 4AA"}):
        assert _count(client, {**params, "page": "150"}) <= _count(client, {**params, "page": "1"})


def test_signed_in_visitors_stay_bounded_too(
    client, five_thousand_sessions, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(MAX_QUERIES + 3):  # the session, the user, the second-factor check
        response = client.get(CATALOGUE, {"postcode": "E1", "page": "150"})
    assert response.status_code == 200 and len(response.context["page"]) == 25


def response_total(client) -> int:
    return client.get(CATALOGUE).context["page"].paginator.count
