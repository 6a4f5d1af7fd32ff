"""Journey: a coordinator moves the dates of a cohort a student holds a place in; the portal asks first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Cohort
from placements.workflow import Status
from tests import factories
from tests.e2e.helpers import assert_accessible, sign_in
from tests.placements.services.test_cohort_changes import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_sees_who_a_date_change_affects_and_confirms_it(page, live_server):
    today = timezone.localdate()
    coordinator = factories.CoordinatorFactory(email="lead@trust.nhs.uk")
    round_ = factories.RoundFactory(
        placements_from=today + timedelta(days=28), placements_to=today + timedelta(days=120)
    )
    opportunity = factories.OpportunityFactory(
        site=factories.SiteFactory(organisation=coordinator.organisation), title="Shadow a ward nurse"
    )
    start = today + timedelta(days=42)
    cohort = factories.CohortFactory(
        opportunity=opportunity, start_date=start, end_date=start + timedelta(days=4), capacity=4
    )
    place(cohort, round_, Status.CONFIRMED, "Cyra")

    sign_in(page, "lead@trust.nhs.uk")
    page.wait_for_url("**/host/")

    page.goto(f"/coordinator/placements/cohort/{cohort.pk}/change/")
    new_start = start + timedelta(days=7)
    page.locator("#id_start_date").fill(new_start.isoformat())
    page.locator("#id_end_date").fill((new_start + timedelta(days=4)).isoformat())
    page.locator("input[name=_save]").click()

    page.get_by_role("heading", name="Check who this change affects").wait_for()
    table = page.get_by_role("table", name="Students affected, and what happens to them")
    assert "Cyra Doe" in table.inner_text() and "Confirmed" in table.inner_text()
    assert Cohort.objects.get(pk=cohort.pk).start_date == start
    assert_accessible(page)

    page.get_by_role("button", name="Save and email 1 student").click()
    page.wait_for_url("**/coordinator/placements/cohort/")
    assert Cohort.objects.get(pk=cohort.pk).start_date == new_start
    assert OutboundEmail.objects.filter(template="student_placement_changed").count() == 1
