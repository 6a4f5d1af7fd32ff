"""Journey: a planning partner reads the simulation-training report by college and the digital-skills report by staff
group, and downloads a table of each. axe-core on both pages; screenshots at 390 and 1280 px."""

import csv
import io
from pathlib import Path

import pytest

from insights.services.snapshots import snapshot_take_monthly
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, PartnerFactory
from tests.insights.test_skills_theme import build_may
from tests.insights.test_training_theme import build_march
from tests.two_factor import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "insights"


def check(page, name):
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_partner_reads_training_and_skills_reports(page):
    build_march()
    build_may()
    partner = PartnerFactory(email="analyst@lsip.test", first_name="Sam")
    snapshot_take_monthly()

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(partner.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, partner.email)

    page.goto("/insights/simulation-training/")
    assert page.locator("h1").inner_text() == "Simulation training"
    page.get_by_label("Break down by").select_option("college")
    page.get_by_role("button", name="Show these figures").click()
    assert "Riverside College" in page.locator("table").first.inner_text()
    check(page, "simulation-training")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the people trained table (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert ["Riverside College", "10", "8", "fewer than 5", "fewer than 5", "30"] in rows

    page.get_by_role("link", name="Digital skills: levels per domain by employer kind and staff group").click()
    assert page.locator("h1").inner_text() == "Digital skills"
    # The training report's period (academic year 2026 to 2027) has no checks: the page says so.
    assert "Nobody completed a digital skills check in Academic year 2026 to 2027" in page.content()
    page.get_by_label("Period").select_option(label="Academic year 2025 to 2026")
    page.get_by_label("Break down by").select_option("staff_group")
    page.get_by_role("button", name="Show these figures").click()
    assert "Nurses and midwives" in page.content()
    check(page, "digital-skills")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the people counted table (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][0] == "Staff group" and ["All people", "28"] == rows[-1][:2]
