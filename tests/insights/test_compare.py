"""Comparing two snapshots: each snapshot suppressed as its own page, a change only between two shown figures.

The world (tests/insights/conftest.py) as the earlier snapshot counts it, by area of interest: nursing 14 applicants
(8 completed, 6 not placed), midwifery 8 (5 completed, 1 did not attend, 2 declined); places: 20 nursing (8 taken),
10 midwifery (6 taken). Before the later snapshot, 5 more nursing applicants complete and a second nursing cohort
of 10 places fills.
"""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from insights.comparison import NOT_IN_SNAPSHOT, Side, change, compare_tables
from insights.models import Snapshot
from insights.services.snapshots import snapshot_take_monthly
from insights.tables import funnel_table
from placements.models import Opportunity
from placements.workflow import Status
from tests import factories
from tests.insights.conftest import LONDON, application


@pytest.fixture
def two_snapshots(world):
    earlier = snapshot_take_monthly(now=datetime(2026, 7, 1, 9, tzinfo=LONDON))
    for _ in range(5):
        application(world["round"], Status.COMPLETED, world["college_a"], ["nursing"])
    # A second cohort at the trust's nursing opportunity, in the same round's summer.
    factories.CohortFactory(
        opportunity=Opportunity.objects.get(profession_area="nursing"),
        start_date=date(2026, 6, 15),
        end_date=date(2026, 6, 19),
        application_deadline=date(2026, 5, 1),
        capacity=10,
        booked=10,
    )
    later = snapshot_take_monthly(now=datetime(2026, 8, 1, 9, tzinfo=LONDON))
    assert earlier.taken_at <= later.taken_at
    return earlier, later


def _rows(client, table, **query) -> list[list[str]]:
    response = client.get(reverse("insights:compare-csv", args=[table]), query)
    assert response.status_code == 200 and response.streaming
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def _by_figure(rows) -> dict[tuple[str, str], list[str]]:
    return {(row[0], row[1]): row[2:] for row in rows[1:]}


def test_the_comparison_shows_both_snapshots_and_the_hand_counted_change(client, partner, two_snapshots):
    earlier, later = two_snapshots
    client.force_login(partner)
    key = earlier.periods[0]["key"]
    assert key.startswith("round:") and key == later.periods[0]["key"]
    rows = _rows(client, "funnel", period=key, breakdown="profession")
    assert rows[0][:2] == ["Area of interest (first listed)", "Figure"]
    assert rows[0][2].startswith("Earlier: ") and rows[0][3].startswith("Later: ") and rows[0][4] == "Change"
    figures = _by_figure(rows)
    # Nursing: 14 -> 19 applicants, every part of "offered" shown in both, so offered and accepted move by 5 too.
    assert figures["Nursing", "Applicants"] == ["14", "19", "up 5"]
    assert figures["Nursing", "Offered a place"] == ["8", "13", "up 5"]
    assert figures["Nursing", "Completed"] == ["8", "13", "up 5"]
    assert figures["Nursing", "Not placed"] == ["6", "6", "no change"]
    assert figures["Nursing", "Offer acceptance rate"] == ["100%", "100%", "no change"]
    # Midwifery did not change, but its 1 and 2 are hidden in both: no change is given from a hidden figure.
    assert figures["Midwifery", "Applicants"] == ["8", "8", "no change"]
    assert figures["Midwifery", "Did not attend"] == ["fewer than 5", "fewer than 5", "not shown"]
    assert figures["Midwifery", "Offered a place"] == ["not shown", "not shown", "not shown"]
    assert figures["All applicants", "Applicants"] == ["22", "27", "up 5"]
    assert figures["All applicants", "Completed"] == ["13", "18", "up 5"]
    # Nothing of 1 to 4 anywhere but the words "fewer than 5"; every change is of two shown figures.
    assert not {cell for row in rows for cell in row[2:4]} & {"1", "2", "3", "4"}

    places = _by_figure(_rows(client, "places", period=key, breakdown="profession"))
    # Midwifery's 4 places not taken is small in both, so the figures round it are hidden in both.
    assert places["Nursing", "Places offered"] == ["20", "30", "up 10"]
    assert places["Nursing", "Places taken"] == ["hidden", "hidden", "not shown"]
    assert places["Midwifery", "Places not taken"] == ["fewer than 5", "fewer than 5", "not shown"]
    assert places["All places", "Places offered"] == ["30", "40", "up 10"]
    assert places["All places", "Places taken"] == ["14", "24", "up 10"]
    # 14 of 30 is 46.7%, 24 of 40 is 60%.
    assert places["All places", "Fill rate"] == ["46.7%", "60%", "up 13.3 percentage points"]

    page = client.get(reverse("insights:compare"), {"period": key}).content.decode()
    assert "Applicants: 22 in the earlier snapshot and 27 in the later one (up 5)." in page
    assert "Places offered: 30 in the earlier snapshot and 40 in the later one (up 10)." in page
    assert "Why a past period can differ between snapshots" in page
    assert "compare/funnel.csv?" in page and "compare/places.csv?" in page


@pytest.mark.parametrize("breakdown", ("profession", "borough", "icb", "college", "age_band", "host_kind"))
def test_each_snapshot_reads_exactly_as_on_its_own_page(client, partner, two_snapshots, breakdown):
    """Every figure of either snapshot on the compare page is the figure its own who-gets-in table shows (the same
    suppression, boroughs and boards together), so comparing publishes nothing the single pages do not."""
    earlier, later = two_snapshots
    client.force_login(partner)
    key = earlier.periods[0]["key"]
    for table in ("funnel", "places"):
        compared = _by_figure(_rows(client, table, period=key, breakdown=breakdown))
        for column, snapshot in ((0, earlier), (1, later)):
            query = {"snapshot": snapshot.pk, "period": key, "breakdown": breakdown}
            response = client.get(reverse("insights:who-gets-in-csv", args=[table]), query)
            single = list(csv.reader(io.StringIO(response.getvalue().decode())))
            for row in single[1:]:
                for heading, cell in zip(single[0][1:], row[1:], strict=True):
                    assert compared[row[0], heading][column] == cell, (table, snapshot.pk, row[0], heading)


def test_the_two_most_recent_snapshots_are_compared_by_default(client, partner, two_snapshots):
    earlier, later = two_snapshots
    client.force_login(partner)
    response = client.get(reverse("insights:compare"))
    assert response.context["earlier"] == earlier and response.context["later"] == later
    assert response.context["form"]["earlier"].value() == earlier.pk


def test_the_same_snapshot_twice_says_so(client, partner, two_snapshots):
    earlier, _ = two_snapshots
    client.force_login(partner)
    same = {"earlier": earlier.pk, "later": earlier.pk}
    page = client.get(reverse("insights:compare"), same).content.decode()
    assert "You chose the same snapshot twice" in page and "<table" not in page
    assert client.get(reverse("insights:compare-csv", args=["funnel"]), same).status_code == 404


def test_snapshots_chosen_the_wrong_way_round_are_put_in_order(client, partner, two_snapshots):
    earlier, later = two_snapshots
    client.force_login(partner)
    response = client.get(reverse("insights:compare"), {"earlier": later.pk, "later": earlier.pk})
    assert response.context["earlier"] == earlier and response.context["later"] == later
    assert "shown the other way round" in response.content.decode()


def test_one_snapshot_is_not_enough(client, partner, world):
    snapshot_take_monthly()
    client.force_login(partner)
    assert "Comparing needs two finished snapshots" in client.get(reverse("insights:compare")).content.decode()
    assert client.get(reverse("insights:compare-csv", args=["funnel"])).status_code == 404


def test_an_unknown_table_is_not_found(client, partner, two_snapshots):
    client.force_login(partner)
    for slug in ("wp", "people", "FUNNEL"):
        assert client.get(reverse("insights:compare-csv", args=[slug])).status_code == 404


HOSTILE = [
    {"earlier": "abc", "later": "<script>alert(1)</script>"},
    {"earlier": "99999999999999999999999", "later": "-1"},
    {"period": "round:-1", "breakdown": "password"},
    {"period": "<script>alert(1)</script>", "breakdown": "\x00"},
    {"earlier": ["1", "2"], "later": ["2", "1"], "period": ["x", "y"]},
    {"breakdown": "college_id"},
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_or_stale_query_strings_fall_back_to_the_default(client, partner, two_snapshots, query):
    client.force_login(partner)
    for url in (reverse("insights:compare"), reverse("insights:compare-csv", args=["places"])):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        assert b"<script>alert" not in response.getvalue()


@pytest.mark.parametrize("visitor", ("coordinator", "college_coordinator", "care_coordinator", "tutor", "staff"))
def test_only_londons_readers_compare(client, personas, two_snapshots, visitor):
    client.force_login(personas[visitor])
    assert client.get(reverse("insights:compare")).status_code == 404
    assert client.get(reverse("insights:compare-csv", args=["funnel"])).status_code == 404


def test_comparing_takes_a_bounded_number_of_queries(client, partner, two_snapshots, django_assert_max_num_queries):
    earlier, later = two_snapshots
    for _ in range(30):
        # Older ones, so the two compared stay among the snapshots offered.
        older = earlier.taken_at - timedelta(days=1)
        Snapshot.objects.create(kind="on_demand", status="succeeded", taken_at=older, periods=earlier.periods)
    client.force_login(partner)
    query = {"earlier": earlier.pk, "later": later.pk}
    for url in (reverse("insights:compare"), reverse("insights:compare-csv", args=["funnel"])):
        with django_assert_max_num_queries(8):
            assert client.get(url, query).status_code == 200


def test_a_change_needs_both_figures_shown():
    assert change("8", "13", rate=False) == "up 5"
    assert change("13", "8", rate=False) == "down 5"
    assert change("8", "8", rate=False) == "no change"
    for hidden in ("fewer than 5", "hidden", "not shown", NOT_IN_SNAPSHOT):
        assert change(hidden, "8", rate=False) == "not shown"
        assert change("8", hidden, rate=False) == "not shown"
    assert change("46.7%", "60%", rate=True) == "up 13.3 percentage points"
    assert change("50%", "49%", rate=True) == "down 1 percentage point"
    assert change("not shown", "60%", rate=True) == "not shown"


def test_a_breakdown_an_older_snapshot_did_not_count_is_not_read_as_zero():
    counts = {"Nursing": [5, 0, 0, 0, 5, 0, 0]}
    later = Side(label="later", table=funnel_table(counts, "profession"))
    earlier = Side(label="earlier", table=funnel_table({}, "profession"), counted=False)
    table = compare_tables(earlier, later, caption="c", dimension="profession")
    assert table.rows[0] == ["Nursing", "Applicants", NOT_IN_SNAPSHOT, "10", "not shown"]
    # Counted but with nobody in the group: zero, and the change is a real one.
    earlier = Side(label="earlier", table=funnel_table({}, "profession"))
    table = compare_tables(earlier, later, caption="c", dimension="profession")
    assert table.rows[0] == ["Nursing", "Applicants", "0", "10", "up 10"]


def test_boards_are_suppressed_with_their_boroughs_as_on_the_single_page():
    """3 completed in Southwark is hidden on the borough table; alone, the boards' table would show 8 and 6 and give
    it back (8 - 5 from Lambeth); built as who gets in builds it, the boards hide it too."""
    from insights.views.compare import _side

    boroughs = {"Southwark": [3, 0, 0, 0, 6, 0, 0], "Lambeth": [5, 0, 0, 0, 5, 0, 0], "Camden": [6, 0, 0, 0, 6, 0, 0]}
    boards = {"South East London": [8, 0, 0, 0, 11, 0, 0], "North Central London": [6, 0, 0, 0, 6, 0, 0]}
    document = {"funnel": {"round:1": {"borough": boroughs, "icb": boards}}}
    side = _side(Snapshot(), document, "round:1", "funnel", "icb")
    assert side.table.rows == funnel_table(boards, "icb", boroughs=boroughs).rows
    assert side.table.rows[1] == [
        "South East London",
        "19",
        "not shown",
        "not shown",
        "hidden",
        "0",
        "hidden",
        "not shown",
    ]
