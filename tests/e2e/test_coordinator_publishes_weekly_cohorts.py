"""Journey: a trust coordinator publishes an opportunity with weekly cohorts; a student finds it."""

from datetime import timedelta

import pytest

from placements.models import Cohort, Opportunity
from tests.e2e.helpers import assert_accessible, next_monday, sign_in
from tests.factories import CoordinatorFactory, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_creates_an_opportunity_with_weekly_cohorts_and_students_find_it(page, live_server):
    coordinator = CoordinatorFactory(email="lead@trust.nhs.uk")
    SiteFactory(organisation=coordinator.organisation, name="Camberwell Hospital", postcode="SE5 9RS")

    sign_in(page, "lead@trust.nhs.uk")
    page.wait_for_url("**/host/")

    page.goto("/coordinator/placements/opportunity/add/")
    page.get_by_label("Title").fill("Radiography taster week")
    page.get_by_label("Profession area").select_option("allied_health")
    page.get_by_label("Description").fill("A week in the imaging department.")
    page.get_by_label("What you will do").fill("Watch X-rays and scans, meet radiographers.")
    page.get_by_label("Site").select_option(label="Camberwell Hospital")
    page.get_by_label("Status").select_option("published")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/coordinator/placements/opportunity/")
    opportunity = Opportunity.objects.get(title="Radiography taster week")
    assert opportunity.organisation == coordinator.organisation

    page.locator(f"input[name=_selected_action][value='{opportunity.pk}']").check()
    page.locator("select[name=action]").select_option(label="Create weekly cohorts…")
    page.locator("div.actions button[name=index]").first.click()
    first, last = next_monday(3), next_monday(5)
    page.get_by_label("First start date").fill(first.isoformat())
    page.get_by_label("Last start date").fill(last.isoformat())
    page.get_by_label("Places in each cohort").fill("3")
    page.get_by_role("button", name="Create cohorts").click()
    page.wait_for_url("**/coordinator/placements/opportunity/**")
    cohorts = list(Cohort.objects.filter(opportunity=opportunity).order_by("start_date"))
    assert [c.start_date for c in cohorts] == [first, first + timedelta(weeks=1), last]
    assert all(c.capacity == 3 and c.end_date == c.start_date + timedelta(days=4) for c in cohorts)

    page.context.clear_cookies()  # now an anonymous visitor
    page.goto("/opportunities/?postcode=SE5")
    assert page.get_by_role("link", name="Radiography taster week").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Radiography taster week").click()
    assert page.locator("h1").inner_text() == "Radiography taster week"
    assert "Create an account to apply" in page.content()
    assert_accessible(page)
