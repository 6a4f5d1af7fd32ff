"""Journey: a student accepts their offer on a phone; after the placement they open their certificate."""

import pytest
from django.utils import timezone

from placements.models import Application, Placement
from placements.services import pre_placement
from placements.workflow import Status
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_accepts_the_offer_and_later_downloads_the_certificate(page, demo_data):
    sign_in(page, "student@demo.test", DEMO_PASSWORD)
    page.wait_for_url("**/my-application/")

    page.goto("/my-application/")
    page.get_by_role("link", name="Accept this placement").click()
    page.get_by_role("button", name="Accept this placement").click()
    assert "Enter the name of someone we can contact" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Emergency contact's name").fill("Pat Okafor")
    page.get_by_label("Emergency contact's phone number").fill("07700 900982")
    page.get_by_role("button", name="Accept this placement").click()
    assert "You have accepted your placement" in page.locator("main").inner_text()
    application = Application.objects.get(student__email="student@demo.test")
    assert application.status == Status.ACCEPTED and application.emergency_contact_name == "Pat Okafor"

    # The host confirms, records attendance and completes the placement (their pages have their own journey).
    from accounts.models import User

    host = User.objects.get(email="coordinator@demo.test")
    placement = Placement.objects.get(application=application, released_at__isnull=True)
    pre_placement.placement_update_checks(
        actor=host, placement=placement, ticked={"identity_seen"}, joining_instructions="Reception at 9am."
    )
    pre_placement.placement_confirm(actor=host, placement=placement)
    pre_placement.placement_record_attendance(
        actor=host, placement=placement, attended=True, today=placement.cohort.start_date
    )
    pre_placement.placement_complete(
        actor=host,
        placement=placement,
        feedback="Kind, curious and punctual.",
        today=max(placement.cohort.end_date, timezone.localdate()),
    )

    page.goto("/my-application/")
    page.get_by_role("link", name="View and print your certificate").click()
    assert page.locator("h1").inner_text() == "Certificate of completion"
    assert "Amara" in page.locator("main").inner_text() and "Kind, curious and punctual." in page.content()
    assert_accessible(page)
