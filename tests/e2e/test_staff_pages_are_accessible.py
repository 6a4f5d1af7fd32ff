"""Every staff page, with demo data in every status, passes axe-core on a phone-sized screen."""

import pytest

from placements.models import Application, Placement
from placements.workflow import Status
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tutor_coordinator_and_student_pages_have_no_accessibility_violations(page, demo_data):
    sign_in(page, "tutor@demo.test", DEMO_PASSWORD)
    page.goto("/tutor/")
    assert page.locator("h1").inner_text() == "My students"
    assert_accessible(page)
    page.get_by_role("link", name="Endorse").first.click()
    assert_accessible(page)
    ended = Application.objects.get(student__email="demo.cancelledhost@demo.test")  # college A, host cancelled
    page.goto(f"/tutor/applications/{ended.pk}/")
    assert "The host cancelled" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/tutor/applications/{ended.pk}/endorse/")
    assert "has ended" in page.locator("main").inner_text()
    assert_accessible(page)

    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    page.goto("/host/")
    assert page.locator("h1").inner_text() == "Matches to approve"
    assert_accessible(page)
    accepted = Placement.objects.filter(application__status=Status.ACCEPTED).first()
    page.goto(f"/host/placements/{accepted.pk}/checks/")
    assert_accessible(page)
    page.goto(f"/host/applications/{accepted.application_id}/")
    assert page.locator("h1").inner_text() == f"{accepted.application.first_name} {accepted.application.last_name}"
    assert_accessible(page)
    hosting = Placement.objects.filter(application__status=Status.IN_PROGRESS).first()
    page.goto(f"/host/placements/{hosting.pk}/complete/")
    assert_accessible(page)
    page.goto(f"/host/placements/{hosting.pk}/cancel/")
    assert page.locator("h1").inner_text() == "Cancel this place"
    assert_accessible(page)
    page.goto("/accounts/invitations/")
    assert_accessible(page)

    sign_in(page, "demo.completed@demo.test", DEMO_PASSWORD)
    page.goto("/my-application/")
    assert_accessible(page)
    page.goto("/my-application/certificate/")
    assert page.locator("h1").inner_text() == "Certificate of completion"
    assert_accessible(page)

    sign_in(page, "student@demo.test", DEMO_PASSWORD)
    page.goto("/my-application/")
    assert "You have an offer" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Accept this placement").click()
    assert page.locator("h1").inner_text() == "Accept your placement"
    assert_accessible(page)
