"""Journey: a planning partner opens the reports from the menu, compares work experience places with vacancies by
integrated care board, downloads that table, and reads who gets in by borough. axe-core on every page;
screenshots at 390 and 1280 px."""

import csv
import io
from pathlib import Path

import pytest

from insights.geography import DATA
from insights.services.snapshots import snapshot_take_monthly
from insights.services.vacancies import vacancies_import
from tests.e2e.helpers import DESKTOP, SCREENSHOTS, assert_accessible_and_shoot, sign_in
from tests.factories import PartnerFactory
from tests.insights.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "insights"


def check(page, name):
    """Accessible, photographed, and left at desktop width: the report pages are read on a desktop."""
    assert_accessible_and_shoot(page, SHOTS / name, back_to=DESKTOP)


def test_partner_compares_places_with_vacancies_and_downloads_the_table(page):
    build_world()
    partner = PartnerFactory(email="analyst@icb.test", first_name="Pat")
    for name, sector in (("example-vacancies.csv", "nhs"), ("example-care-vacancies.csv", "care")):
        content = (DATA / name).read_bytes().replace(b"2026-09", b"2026-06")
        vacancies_import(actor=partner, content=content, sector=sector)
    snapshot_take_monthly()

    sign_in(page, partner.email)
    page.wait_for_url(lambda url: "/accounts/" not in url or "partner" in url)
    page.goto("/accounts/")
    page.get_by_role("link", name="Planning reports").first.click()
    assert page.locator("h1").inner_text() == "Planning reports"
    page.get_by_label("Break down by").select_option("icb")
    page.get_by_role("button", name="Show these figures").click()
    assert "South East London" in page.locator("table").inner_text()
    check(page, "summary")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as a spreadsheet (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][0] == "Integrated care board"
    assert ["South East London", "20", "hidden", "247.7", "67.5"] in rows

    page.get_by_role("link", name="Who gets in").first.click()
    page.get_by_label("Break down by").select_option("borough")
    page.get_by_role("button", name="Show these figures").click()
    assert page.locator("h1").inner_text() == "Who gets in"
    assert "fewer than 5" in page.content()
    check(page, "who-gets-in")

    page.goto("/insights/vacancies/upload/")
    check(page, "vacancy-upload")
