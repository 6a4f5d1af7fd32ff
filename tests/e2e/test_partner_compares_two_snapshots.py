"""Journey: a planning partner compares two snapshots of the same round, by area of interest, and downloads the
applicants comparison; choosing the same snapshot twice says so. axe-core on every page; screenshots at 390 and
1280 px."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from insights.services.snapshots import snapshot_take_monthly
from placements.models import Opportunity
from placements.workflow import Status
from tests.e2e.helpers import DESKTOP, SCREENSHOTS, assert_accessible_and_shoot, sign_in
from tests.factories import CohortFactory, PartnerFactory
from tests.insights.conftest import LONDON, application, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "insights"


def test_partner_compares_two_snapshots(page):
    world = build_world()
    partner = PartnerFactory(email="analyst@icb.test", first_name="Pat")
    snapshot_take_monthly(now=datetime(2026, 7, 1, 9, tzinfo=LONDON))
    # Before the next snapshot: 5 more nursing applicants complete, and a second nursing cohort of 10 fills.
    for _ in range(5):
        application(world["round"], Status.COMPLETED, world["college_a"], ["nursing"])
    CohortFactory(
        opportunity=Opportunity.objects.get(profession_area="nursing"),
        start_date=date(2026, 6, 15),
        end_date=date(2026, 6, 19),
        application_deadline=date(2026, 5, 1),
        capacity=10,
        booked=10,
    )
    snapshot_take_monthly(now=datetime(2026, 8, 1, 9, tzinfo=LONDON))

    sign_in(page, partner.email)
    page.goto("/insights/")
    page.get_by_role("link", name="Compare two snapshots").click()
    assert page.locator("h1").inner_text() == "Compare two snapshots"
    page.get_by_label("Period (in both snapshots)").select_option(label="Summer 2026")
    page.get_by_role("button", name="Compare these snapshots").click()
    assert "Applicants: 22 in the earlier snapshot and 27 in the later one (up 5)." in page.content()
    assert_accessible_and_shoot(page, SHOTS / "compare", back_to=DESKTOP)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the applicants comparison (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert ["All applicants", "Applicants"] == rows[-7][:2] and rows[-7][2:] == ["22", "27", "up 5"]

    later = page.get_by_label("Later snapshot").input_value()
    page.get_by_label("Earlier snapshot").select_option(later)
    page.get_by_role("button", name="Compare these snapshots").click()
    assert "You chose the same snapshot twice" in page.content()
    assert_accessible_and_shoot(page, SHOTS / "compare-same-twice", back_to=DESKTOP)
