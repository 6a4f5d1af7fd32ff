"""Colleges and hosts read the summary and who gets in filtered to their own organisation (ADR 0019).

The world (tests/insights/conftest.py): Riverside College's 16 applicants (8 completed, 6 not placed, 2 declined),
Camden College's 6 (5 completed, 1 did not attend); Southwark Trust's 20 nursing places (8 taken), Camden Care's
10 midwifery places (6 taken).
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.models import Organisation
from insights.models import Snapshot
from insights.permissions import LONDON, InsightsScope, insights_scope
from insights.services.snapshots import snapshot_take_monthly
from tests import factories


@pytest.fixture
def snapshot(world):
    return snapshot_take_monthly()


@pytest.fixture
def riverside_coordinator(world):
    return factories.CoordinatorFactory(email="riverside@example.test", organisation=world["college_a"])


@pytest.fixture
def camden_college_coordinator(world):
    return factories.CoordinatorFactory(email="camden.college@example.test", organisation=world["college_b"])


@pytest.fixture
def trust_coordinator(world):
    return factories.CoordinatorFactory(
        email="southwark@example.test", organisation=Organisation.objects.get(name="Southwark Trust")
    )


@pytest.fixture
def care_coordinator(world):
    return factories.CoordinatorFactory(
        email="camden.care@example.test", organisation=Organisation.objects.get(name="Camden Care")
    )


def _csv(client, table, **query) -> list[list[str]]:
    response = client.get(reverse("insights:who-gets-in-csv", args=[table]), query)
    assert response.status_code == 200
    assert response.streaming  # issue 15: downloads stream
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def _key_figures(page: str) -> dict[str, str]:
    pattern = r'<dt class="nhsuk-summary-list__key">(.*?)</dt><dd class="nhsuk-summary-list__value">(.*?)</dd>'
    return dict(re.findall(pattern, page))


def test_whose_figures_each_reader_reads(personas, db):
    assert insights_scope(personas["partner"]) == LONDON
    assert insights_scope(personas["admin"]) == LONDON
    college = personas["college_coordinator"]
    assert insights_scope(college) == InsightsScope(organisation_id=college.organisation_id, applicants=True)
    for host in ("coordinator", "care_coordinator"):
        user = personas[host]
        assert insights_scope(user) == InsightsScope(organisation_id=user.organisation_id, applicants=False)
    for nobody in ("tutor", "student", "staff"):
        assert insights_scope(personas[nobody]) is None


def test_a_college_sees_its_own_applicants_and_never_another_colleges(
    client, snapshot, riverside_coordinator, camden_college_coordinator
):
    key = snapshot.periods[0]["key"]
    client.force_login(riverside_coordinator)
    # Whatever breakdown is asked for, a college's table is its own row.
    rows = _csv(client, "funnel", period=key, breakdown="profession")
    # Riverside: 16 applicants; the 2 who declined are fewer than 5, so the 6 not placed beside them are hidden too
    # and "offered" (which adds the 2 in) is not shown; "accepted" adds up completed only, so 8.
    assert rows == [
        [
            "College",
            "Applicants",
            "Offered a place",
            "Accepted",
            "Completed",
            "Did not attend",
            "Not placed",
            "Offer acceptance rate",
        ],
        ["Riverside College", "16", "not shown", "8", "8", "0", "hidden", "not shown"],
        ["All applicants", "16", "not shown", "8", "8", "0", "hidden", "not shown"],
    ]
    page = client.get(reverse("insights:who-gets-in"), {"period": key, "breakdown": "college"}).content.decode()
    assert "These are the figures of Riverside College only" in page
    assert "Camden College" not in page and "Camden" not in page.split("</header>", 1)[1]
    # Not computable per college, so not shown: widening participation and the medians are London's.
    assert "Widening participation" not in page and "How long decisions take" not in page
    assert client.get(reverse("insights:who-gets-in-csv", args=["wp"]), {"period": key}).status_code == 404
    assert client.get(reverse("insights:who-gets-in-csv", args=["wp-factors"])).status_code == 404
    summary = client.get(reverse("insights:summary"), {"period": key}).content.decode()
    assert _key_figures(summary) == {
        "Applicants": "16",
        "Offered a place": "not shown",
        "Accepted": "8",
        "Offer acceptance rate": "not shown",
        "Completed": "8",
        # Riverside hosts no places.
        "Places offered": "0",
        "Fill rate (places taken out of places offered)": "not shown",
    }
    assert "Places beside vacancies" not in summary and "Camden" not in summary.split("</header>", 1)[1]
    # The summary's vacancy table is London's: an organisation has no table to download there.
    assert client.get(reverse("insights:summary-csv"), {"period": key}).status_code == 404

    client.force_login(camden_college_coordinator)
    rows = _csv(client, "funnel", period=key, breakdown="college")
    # Camden College: 6 applicants, 5 completed and 1 who did not attend: the 1 is fewer than 5, the 5 hidden.
    assert rows[1:] == [
        ["Camden College", "6", "not shown", "not shown", "hidden", "fewer than 5", "0", "not shown"],
        ["All applicants", "6", "not shown", "not shown", "hidden", "fewer than 5", "0", "not shown"],
    ]
    page = client.get(reverse("insights:who-gets-in"), {"period": key}).content.decode()
    assert "Riverside" not in page


def test_a_host_sees_the_places_at_its_own_sites_and_no_applicants(
    client, snapshot, trust_coordinator, care_coordinator
):
    key = snapshot.periods[0]["key"]
    client.force_login(trust_coordinator)
    rows = _csv(client, "places", period=key, breakdown="profession")
    assert rows == [
        ["Kind of host", "Places offered", "Places taken", "Places not taken", "Fill rate"],
        ["NHS trust", "20", "8", "12", "40%"],
        ["All places", "20", "8", "12", "40%"],
    ]
    assert client.get(reverse("insights:who-gets-in-csv", args=["funnel"]), {"period": key}).status_code == 404
    page = client.get(reverse("insights:who-gets-in"), {"period": key}).content.decode()
    assert "These are the figures of Southwark Trust only" in page and "Places offered at your sites" in page
    assert "Applicants:" not in page and "College" not in page.split("</header>", 1)[1]
    summary = client.get(reverse("insights:summary"), {"period": key}).content.decode()
    assert _key_figures(summary) == {"Places offered": "20", "Fill rate (places taken out of places offered)": "40%"}

    client.force_login(care_coordinator)
    # Camden Care: 10 places, 6 taken: the 4 not taken is small, so the 6 is hidden too (and its total line's).
    rows = _csv(client, "places", period=key)
    assert rows[1:] == [
        ["Social-care provider", "10", "hidden", "fewer than 5", "not shown"],
        ["All places", "10", "hidden", "fewer than 5", "not shown"],
    ]
    page = client.get(reverse("insights:who-gets-in"), {"period": key}).content.decode()
    assert "Camden Care only" in page and "Southwark" not in page.split("</header>", 1)[1]


def test_a_host_without_places_reads_nothing_to_count(client, snapshot, personas):
    client.force_login(personas["coordinator"])  # a trust of its own, with no cohorts
    rows = _csv(client, "places")
    assert rows == [["Kind of host", "Places offered", "Places taken", "Places not taken", "Fill rate"]]
    assert "Nothing to count in this period" in client.get(reverse("insights:who-gets-in")).content.decode()


@pytest.mark.parametrize("visitor", ("tutor", "student", "staff"))
def test_tutors_students_and_staff_read_no_insights(client, personas, snapshot, visitor):
    client.force_login(personas[visitor])
    for url in (
        reverse("insights:summary"),
        reverse("insights:who-gets-in"),
        reverse("insights:who-gets-in-csv", args=["funnel"]),
        reverse("insights:compare"),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("visitor", ("coordinator", "college_coordinator", "care_coordinator"))
def test_organisations_do_not_read_londons_other_pages(client, personas, snapshot, visitor):
    client.force_login(personas[visitor])
    for name in ("insights:training", "insights:skills", "insights:compare", "insights:snapshots"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("insights:compare-csv", args=["funnel"])).status_code == 404


HOSTILE = [
    {"breakdown": "college_id"},
    {"breakdown": "icb", "period": "<script>alert(1)</script>"},
    {"snapshot": "-1"},
    {"period": ["round:1", "round:2"], "breakdown": ["host_kind", "college"]},
    {"breakdown": "\x00"},
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_strings_show_an_organisation_its_own_row(client, snapshot, riverside_coordinator, query):
    client.force_login(riverside_coordinator)
    for table in ("funnel", "places"):
        response = client.get(reverse("insights:who-gets-in-csv", args=[table]), query)
        assert response.status_code == 200
        text = response.getvalue().decode()
        assert "Camden" not in text and "<script" not in text
    for name in ("insights:who-gets-in", "insights:summary"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        assert b"<script>alert" not in response.content and b"Camden College" not in response.content


def test_organisation_pages_answer_in_a_bounded_number_of_queries(
    client, snapshot, riverside_coordinator, trust_coordinator, django_assert_max_num_queries
):
    for _ in range(30):
        Snapshot.objects.create(
            kind="on_demand", status="succeeded", taken_at=snapshot.taken_at, periods=snapshot.periods
        )
    for user in (riverside_coordinator, trust_coordinator):
        client.force_login(user)
        for url in (
            reverse("insights:summary"),
            reverse("insights:who-gets-in"),
            reverse("insights:who-gets-in-csv", args=["places"]),
        ):
            with django_assert_max_num_queries(8):
                assert client.get(url).status_code == 200


def test_coordinators_find_their_figures_from_their_home_page(client, personas, db):
    for visitor in ("coordinator", "college_coordinator", "care_coordinator"):
        client.force_login(personas[visitor])
        page = client.get(reverse("placements:coordinator-home")).content.decode()
        assert f'href="{reverse("insights:summary")}"' in page, visitor
