"""Journey: a trust coordinator approves a proposed match, then checks and confirms an accepted placement."""

import pytest

from notifications.models import OutboundEmail
from placements.models import Application
from placements.workflow import Status
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_approves_a_match_completes_the_checklist_and_confirms(page, demo_data):
    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    page.wait_for_url("**/host/")

    page.get_by_role("link", name="Placements").first.click()
    assert page.locator("h1").inner_text() == "Matches to approve"
    page.get_by_label("Select Mo Demo").check()
    page.get_by_role("button", name="Approve selected and send offers").click()
    assert "1 offer sent" in page.locator("main").inner_text()
    assert Application.objects.get(first_name="Mo").status == Status.OFFERED
    assert_accessible(page)

    page.get_by_role("link", name="Checks and confirm for Ada Demo").click()
    page.get_by_label("Identity seen (photo ID or college ID)").check()
    page.get_by_label("Joining instructions").fill("Main reception, 8:45am. Ask for the ward manager, Sam.")
    page.get_by_role("button", name="Save and confirm placement").click()
    assert "Placement confirmed" in page.locator("main").inner_text()
    assert Application.objects.get(first_name="Ada").status == Status.CONFIRMED
    # Other demo students were confirmed earlier, through the same service: this one is Ada's.
    email = OutboundEmail.objects.get(template="student_placement_confirmed", recipient__first_name="Ada")
    assert "ward manager, Sam" in email.body_text
    assert_accessible(page)
