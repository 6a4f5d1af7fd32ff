"""Journey: a trust coordinator opens the application behind a match from the queue, then cancels a place."""

import re

import pytest

from notifications.models import OutboundEmail
from placements.models import Application
from placements.workflow import Status
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_the_application_before_deciding_then_cancels_a_place(page, demo_data):
    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    page.wait_for_url("**/host/")
    assert "Decide by" in page.locator("main").inner_text()

    page.get_by_role("link", name=re.compile(r"Mo Demo\s*: read the application")).click()
    assert page.locator("h1").inner_text() == "Mo Demo"
    main = page.locator("main").inner_text()
    for heading in ("Why health or care", "Their choices", "Checks and support", "Age on the first day"):
        assert heading in main
    assert "background" not in main.lower() and "free school meals" not in main.lower()
    assert_accessible(page)

    page.get_by_role("link", name="Back to your matches and placements").click()
    page.get_by_role("link", name=re.compile(r"Cancel place\s*of Ada Demo")).click()
    assert page.locator("h1").inner_text() == "Cancel this place"
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the place and tell the student").click()
    assert "Choose why you are cancelling" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Not enough staff to supervise the placement").check()
    page.get_by_label("Message to the student").fill("Our ward manager is away that week. Sorry, Ada.")
    page.get_by_role("button", name="Cancel the place and tell the student").click()
    assert "Place cancelled" in page.locator("main").inner_text()
    assert Application.objects.get(first_name="Ada").status == Status.CANCELLED_BY_HOST
    email = OutboundEmail.objects.get(template="student_placement_cancelled_by_host", recipient__first_name="Ada")
    assert "ward manager is away" in email.body_text
    assert_accessible(page)
