"""A student locked out after too many guesses gets back in with the emailed link, in a real browser; the
pages on the way are accessible, and the browser accepts our Permissions-Policy and never shows a private page
from its cache after sign-out."""

import re

import pytest

from notifications.models import OutboundEmail
from tests.e2e.helpers import assert_accessible, submit_password
from tests.factories import TEST_PASSWORD, StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_locked_out_by_guesses_uses_the_emailed_link_and_signs_in(page):
    policy_errors = []
    page.on("console", lambda message: "Permissions-Policy" in message.text and policy_errors.append(message.text))
    StudentFactory(email="kim@example.test", first_name="Kim")
    for variant in ["kim@example.test", "Kim@example.test", "KIM@example.test", "kIm@example.test", "kim@Example.test"]:
        submit_password(page, variant, "not-my-password")
    assert page.locator("h1").inner_text() == "Too many attempts to sign in"
    assert_accessible(page)
    submit_password(page, "kim@example.test", TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Too many attempts to sign in"

    email = OutboundEmail.objects.get(template="sign_in_unlock")
    page.goto(re.search(r"https?://\S+?(/accounts/unlock/\S+/)", email.body_text).group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Unlock and sign in").click()
    page.wait_for_url("**/accounts/login/")
    assert "unlocked on this device" in page.content()
    submit_password(page, "kim@example.test", TEST_PASSWORD)
    page.wait_for_url("**/my-application/")
    assert not policy_errors, policy_errors


def test_after_signing_out_back_does_not_show_the_private_page(page):
    StudentFactory(email="kim@example.test", first_name="Kim")
    submit_password(page, "kim@example.test", TEST_PASSWORD)
    page.wait_for_url("**/my-application/")
    response = page.goto("/accounts/")
    assert "no-store" in response.headers["cache-control"] and "camera=()" in response.headers["permissions-policy"]
    assert "kim@example.test" in page.content()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    page.go_back()
    page.wait_for_load_state()
    assert "kim@example.test" not in page.content()


def test_the_ask_for_a_link_page_is_accessible(page):
    page.goto("/accounts/unlock/")
    assert page.locator("h1").inner_text() == "Get a link to sign in"
    page.get_by_role("button", name="Send the link").click()
    assert "Enter your email address" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Email address").fill("nobody@example.test")
    page.get_by_role("button", name="Send the link").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page)
