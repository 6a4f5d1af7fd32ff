"""Journey: a college's coordinator follows the link on their home page to the planning reports and reads their
own college's applicants (and nobody else's). axe-core on every page; screenshots at 390 and 1280 px."""

import pytest
from django.urls import reverse

from insights.services.snapshots import snapshot_take_monthly
from tests.e2e.helpers import DESKTOP, SCREENSHOTS, assert_accessible_and_shoot, sign_in
from tests.factories import CoordinatorFactory
from tests.insights.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "insights"


def test_college_coordinator_reads_its_own_figures(page):
    world = build_world()
    coordinator = CoordinatorFactory(email="placements@riverside.test", organisation=world["college_a"])
    snapshot_take_monthly()

    sign_in(page, coordinator.email)
    page.goto(reverse("placements:coordinator-home"))
    page.get_by_role("link", name="Your figures in the planning reports").click()
    assert page.locator("h1").inner_text() == "Planning reports"
    text = page.locator("main").inner_text()
    assert "These are the figures of Riverside College only" in text and "Camden" not in text
    assert_accessible_and_shoot(page, SHOTS / "college-summary", back_to=DESKTOP)

    page.get_by_role("link", name="Who gets in").first.click()
    table = page.locator("table").first.inner_text()
    assert "Riverside College" in table and "Camden" not in page.locator("main").inner_text()
    assert "Widening participation" not in page.content()
    assert_accessible_and_shoot(page, SHOTS / "college-who-gets-in", back_to=DESKTOP)
