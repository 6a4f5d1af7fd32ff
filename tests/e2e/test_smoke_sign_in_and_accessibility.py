"""Smoke journey: public pages, sign-up and sign-in in a real browser on a phone-sized screen, with axe-core."""

import pytest

from tests.e2e.helpers import assert_accessible
from tests.factories import TEST_PASSWORD, StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_accessibility_violations(page):
    for path, heading in [("/", None), ("/accounts/signup/", "Create an account"), ("/accounts/login/", "Sign in")]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en-GB"
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert_accessible(page)


def test_form_errors_are_summarised_and_accessible(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible() and "Enter your email address" in summary.inner_text()
    assert_accessible(page)


def test_student_signs_in_with_the_keyboard_and_sees_their_account(page):
    StudentFactory(email="kim@example.test", first_name="Kim")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("kim@example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-application/")  # a student starts on their application
    assert page.locator("h1").inner_text() == "My application"
    assert_accessible(page)
    page.goto("/accounts/")
    assert page.locator("h1").inner_text() == "Your account"
    assert "kim@example.test" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Sign in").first.is_visible()


def test_nothing_is_loaded_from_another_site(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/accounts/signup/")
    page.wait_for_load_state("networkidle")
    outside = [url for url in requests if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert requests and not outside, outside
