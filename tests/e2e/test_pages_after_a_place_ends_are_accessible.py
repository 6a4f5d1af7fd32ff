"""The pages changed for what happens when a place ends pass axe-core: a host's record of an ended match, the
student's cancel page that says the host will be told, and the privacy notice with staff and partner accounts."""

from io import StringIO

import pytest
from django.core.management import call_command

from placements.models import Application, Placement
from placements.workflow import Status
from tests.e2e.conftest import assert_accessible
from tests.two_factor import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("placements-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    pass_second_factor(page, email)  # staff: a real code from their app (ADR 0015)


def test_ended_match_cancel_page_and_privacy_notice_have_no_accessibility_violations(page, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    _sign_in(page, "coordinator@demo.test")
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
    _sign_in(page, accepted.student.email)
    page.goto("/my-application/withdraw/")
    assert page.locator("h1").inner_text() == "Cancel your place"
    assert "We will email" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto("/privacy/")
    assert "If you are health and care staff or a planning partner" in page.locator("main").inner_text()
    assert_accessible(page)
