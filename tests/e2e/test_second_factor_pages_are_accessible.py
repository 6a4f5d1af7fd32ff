"""A new coordinator sets up two-factor sign-in in a browser (QR code and typed secret, recovery codes), signs in
again with a real code and with a recovery code; a site admin resets a lost factor. Every page passes axe-core
on a phone-sized screen and stays within the strict CSP (the QR code is inline SVG without style)."""

import pytest

from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import AdminFactory, CoordinatorFactory
from tests.two_factor import code_from_secret, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_sign_in_with_a_code_or_a_recovery_code_and_a_reset(page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    coordinator = CoordinatorFactory(email="lead@trust.nhs.uk")
    sign_in(page, coordinator.email, second_factor=False)
    assert "/accounts/two-factor/set-up/" in page.url
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert_accessible(page)

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in page.locator("main").inner_text()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # after a wrong code, django-otp makes the next try wait a second
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code", exact=True).fill(code_from_secret(secret))
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Save your recovery codes"
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_url("**/host/")

    page.goto("/accounts/two-factor/manage/")
    assert "10 recovery codes left" in page.locator("main").inner_text()
    assert_accessible(page)

    # Next time: the password, then a code from the app.
    sign_in(page, coordinator.email, second_factor=False)
    assert page.locator("h1").inner_text() == "Enter the code from your authenticator app"
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill(fresh_code(TOTPDevice.objects.get(user=coordinator)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/host/")

    # A lost phone: a recovery code instead.
    sign_in(page, coordinator.email, second_factor=False)
    page.get_by_text("I have lost my phone or cannot use the app").click()
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/host/")

    # No codes left: a site admin resets the factor.
    admin = AdminFactory(email="it.admin@example.test")
    sign_in(page, admin.email)
    page.goto("/admin/second_factor/secondfactorevent/")
    assert_accessible(page)
    page.get_by_role("link", name="Reset someone's two-factor sign-in").click()
    assert_accessible(page)
    page.get_by_label("Email address of the person who lost their phone").fill(coordinator.email)
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, reset their two-factor sign-in").click()
    assert "Two-factor sign-in reset for lead@trust.nhs.uk" in page.locator("body").inner_text()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()

    sign_in(page, coordinator.email, second_factor=False)
    assert "/accounts/two-factor/set-up/" in page.url
