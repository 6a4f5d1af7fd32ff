"""The pages changed for what happens when a place ends pass axe-core: a host's record of an ended match, the
student's cancel page that says the host will be told, and the privacy notice with staff and partner accounts."""

import pytest

from placements.models import Application, Placement
from placements.workflow import Status
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ended_match_cancel_page_and_privacy_notice_have_no_accessibility_violations(page, demo_data):
    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    ended = (
        Placement.objects.filter(
            released_at__isnull=False,
            cohort__opportunity__organisation__members__email="coordinator@demo.test",
        )
        .exclude(application__placements__released_at__isnull=True)
        .first()
    )
    assert ended is not None, "the demo data has a match that ended with this host"
    page.goto(f"/host/applications/{ended.application_id}/")
    assert "no longer has a match or a place with you" in page.locator("main").inner_text()
    assert_accessible(page)

    accepted = Application.objects.filter(status=Status.ACCEPTED).select_related("student").first()
    sign_in(page, accepted.student.email, DEMO_PASSWORD)
    page.goto("/my-application/withdraw/")
    assert page.locator("h1").inner_text() == "Cancel your place"
    assert "We will email" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto("/privacy/")
    assert "If you are health and care staff or a planning partner" in page.locator("main").inner_text()
    assert_accessible(page)
