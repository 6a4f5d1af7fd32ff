"""The /health/ page people open in a browser: plain English, accessible, within the site's CSP."""

import pytest

from operations.services import heartbeat_record
from tests.e2e.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_service_status_page_reads_well_when_working_and_when_not(page):
    page.goto("/health/")
    assert page.locator("h1").inner_text() == "Service status"
    assert "Part of the service is not working" in page.content()
    assert page.locator("tr", has_text="beat").locator("td").first.inner_text() == "Not working"
    assert_accessible(page)

    heartbeat_record()
    page.goto("/health/")
    assert "Everything is working." in page.content()
    assert_accessible(page)
