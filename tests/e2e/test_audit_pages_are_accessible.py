"""The site admin's audit pages pass axe-core with no serious or critical violation and no CSP report, as every
other admin page does: an application's audit trail, an endorsement's history and a matching policy's history
(in /admin/ and in the coordinator's own /coordinator/)."""

import pytest
from django.urls import reverse

from placements.models import Endorsement, MatchingPolicy
from placements.services.matching_policy import matching_policy_update
from tests.e2e.helpers import serious_violations, sign_in
from tests.placements.test_audit import _full_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _blocking(page) -> list[str]:
    return [f"{page.url}: {v}" for v in serious_violations(page)]


def test_audit_trail_and_history_pages_have_no_serious_accessibility_violation(
    page, site_admin, college, coordinator, tutor
):
    reports = []
    page.on("console", lambda message: "Content Security Policy" in message.text and reports.append(message.text))
    application = _full_story(college, coordinator, tutor)
    policy = MatchingPolicy.objects.create(organisation=coordinator.organisation)
    matching_policy_update(actor=coordinator, policy=policy, endorsement_weight=3)
    endorsement = Endorsement.objects.get(application=application)

    sign_in(page, site_admin.email)
    failures = []
    page.goto(reverse("admin:placements_application_change", args=[application.pk]))
    page.get_by_role("link", name="Audit trail").click()
    assert page.locator("h1").inner_text() == f"Audit trail for application {application.reference}"
    assert page.get_by_role(
        "cell", name="Declined the match: Dates no longer available (code “dates_unavailable”)"
    ).is_visible()
    page.screenshot(path="/tmp/audit_trail.png", full_page=True)
    failures += _blocking(page)
    for url in (
        reverse("admin:placements_endorsement_history", args=[endorsement.pk]),
        reverse("admin:placements_matchingpolicy_history", args=[policy.pk]),
    ):
        page.goto(url)
        failures += _blocking(page)

    sign_in(page, coordinator.email)
    page.goto(reverse("coordinator:placements_matchingpolicy_history", args=[policy.pk]))
    assert "Endorsement weight" in page.locator("#change-history").inner_text()
    page.screenshot(path="/tmp/audit_policy.png", full_page=True)
    failures += _blocking(page)
    assert not failures, "\n".join(failures)
    assert not reports, reports
