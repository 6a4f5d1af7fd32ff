"""The demo staff member and planning partner sign in to honest homes of their own; a trust coordinator invites
staff from a list. Every page passes axe-core on a phone-sized screen."""

import pytest

from accounts.demo import seed_accounts
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_and_partner_reach_their_own_homes_and_a_coordinator_invites_staff_from_a_list(page, tmp_path):
    seed_accounts()

    sign_in(page, "staff@demo.test", DEMO_PASSWORD)
    assert page.url.endswith("/accounts/staff/")
    assert page.locator("h1").inner_text() == "Your training and skills"
    assert page.get_by_role("link", name="Check your digital and data skills").is_visible()
    assert page.get_by_role("link", name="Your training").is_visible()
    assert_accessible(page)

    sign_in(page, "partner@demo.test", DEMO_PASSWORD)
    assert page.url.endswith("/insights/")
    assert page.locator("h1").inner_text() == "Planning reports"
    assert "no page here shows a person" in page.locator("main").inner_text()
    assert_accessible(page)

    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    page.goto("/accounts/invitations/")
    page.get_by_role("link", name="Invite health and care staff from a list (CSV file)").click()
    assert page.locator("h1").inner_text() == "Invite health and care staff from a list"
    page.get_by_role("button", name="Upload and send invitations").click()
    assert "Choose a CSV file to upload" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    staff_list = tmp_path / "staff.csv"
    staff_list.write_text("email\nward.sister@nhs.example\nnot an address\n")
    page.get_by_label("CSV file of work email addresses").set_input_files(staff_list)
    page.get_by_role("button", name="Upload and send invitations").click()
    assert "1 invitation sent" in page.locator("main").inner_text()
    assert "not an email address" in page.locator("table").inner_text()
    assert_accessible(page)
