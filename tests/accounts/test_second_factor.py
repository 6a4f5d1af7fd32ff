"""Two-factor sign-in (ADR 0015): who is asked, setting up, codes, recovery codes, throttling and resets."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    SecondFactorEvent,
    SecondFactorEventKind,
    recovery_code_hash,
)
from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD
from tests.two_factor import authenticator_for, code_from_secret, fresh_code, totp_code

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/two-factor/set-up/"
VERIFY = "/accounts/two-factor/"


def _sign_in_with_password(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def _set_up(client, next_url=""):
    page = client.get(SET_UP + (f"?next={next_url}" if next_url else ""))
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    response = client.post(SET_UP, {"code": code_from_secret(secret), "next": next_url})
    return page, response


def _allow_device_again(user):
    """django-otp makes a device wait after a failure (1 s, 2 s, 4 s, ...); a test does not wait."""
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    RecoveryCodeDevice.objects.filter(user=user).update(throttling_failure_timestamp=None, throttling_failure_count=0)


@pytest.mark.parametrize("persona", ["tutor", "coordinator", "admin", "staff", "partner"])
def test_everyone_who_sees_other_peoples_data_must_set_up_a_second_factor(client, personas, persona):
    user = personas[persona]
    _sign_in_with_password(client, user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url.startswith(SET_UP)


def test_students_are_never_asked(client, student):
    _sign_in_with_password(client, student)
    assert client.get(reverse("placements:student-home")).status_code == 200
    assert client.get(SET_UP).status_code == 404
    assert client.get(VERIFY).status_code == 404


def test_set_up_shows_a_qr_code_on_our_page_and_the_secret_then_recovery_codes_once(client, tutor):
    _sign_in_with_password(client, tutor)
    page, response = _set_up(client, next_url="/tutor/")
    html = page.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg and "<script" not in svg  # the CSP allows neither
    assert 'autocomplete="one-time-code"' in html

    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=tutor).confirmed
    # Stored hashed only: no code appears anywhere in the table.
    stored = list(RecoveryCode.objects.filter(device__user=tutor).values_list("code_hash", flat=True))
    assert sorted(stored) == sorted(recovery_code_hash(c) for c in codes)
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    # The session is verified: the staff page opens.
    assert client.get("/tutor/").status_code == 200
    assert SecondFactorEvent.objects.filter(person=tutor, kind=SecondFactorEventKind.SET_UP, actor=tutor).exists()


def test_a_wrong_code_at_set_up_confirms_nothing(client, coordinator):
    _sign_in_with_password(client, coordinator)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    assert client.get(reverse("placements:coordinator-home")).url.startswith(SET_UP)


def test_a_session_signed_in_before_the_factor_existed_cannot_skip_it(client, tutor):
    client.force_login(tutor, second_factor=False)  # signed in with a password only
    authenticator_for(tutor)  # the factor is set up elsewhere (another browser)
    response = client.get("/tutor/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    # Nor can it replace the factor with a password alone.
    assert client.get(SET_UP).url.startswith(VERIFY)
    assert client.post(SET_UP, {"code": "123456"}).url.startswith(VERIFY)


def test_a_code_from_the_app_finishes_signing_in_and_goes_to_the_page_asked_for(client, tutor):
    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    bounced = client.get("/tutor/")
    assert bounced.url == f"{VERIFY}?next=%2Ftutor%2F"
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/tutor/"})
    assert response.status_code == 302 and response.url == "/tutor/"
    assert client.get("/tutor/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(client, tutor):
    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.url == reverse("placements:tutor-home")


def test_verifying_gives_the_session_a_new_key(client, tutor):
    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    before = client.session.session_key
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.session.session_key != before


def test_a_code_works_once(client, tutor):
    device = authenticator_for(tutor)
    code = totp_code(device)
    _sign_in_with_password(client, tutor)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = type(client)()
    _sign_in_with_password(other, tutor)
    _allow_device_again(tutor)
    assert other.post(VERIFY, {"code": code}).status_code == 200  # the same code again: refused


def test_a_recovery_code_works_once_and_is_recorded(client, coordinator):
    _sign_in_with_password(client, coordinator)
    _, response = _set_up(client)
    code = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())[0]

    later = type(client)()
    _sign_in_with_password(later, coordinator)
    assert later.post(VERIFY, {"code": code.upper()}).status_code == 302  # case does not matter
    assert later.get(reverse("placements:coordinator-home")).status_code == 200
    assert RecoveryCode.objects.filter(device__user=coordinator).count() == 9
    assert SecondFactorEvent.objects.filter(person=coordinator, kind=SecondFactorEventKind.RECOVERY_CODE_USED).exists()

    again = type(client)()
    _sign_in_with_password(again, coordinator)
    response = again.post(VERIFY, {"code": code})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()


def test_wrong_codes_are_throttled_per_person_and_address(client, tutor, settings):
    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    for _ in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        _allow_device_again(tutor)
        client.post(VERIFY, {"code": "000000"})
    _allow_device_again(tutor)
    response = client.post(VERIFY, {"code": fresh_code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()

    # The same person from another address is not held up by the guesser's failures.
    elsewhere = type(client)(REMOTE_ADDR="203.0.113.9")
    _sign_in_with_password(elsewhere, tutor)
    assert elsewhere.post(VERIFY, {"code": fresh_code(device)}, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_pause_ends_after_the_cool_off(client, tutor, settings):
    from accounts.second_factor.models import SecondFactorFailure

    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    for _ in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        _allow_device_again(tutor)
        client.post(VERIFY, {"code": "000000"})
    SecondFactorFailure.objects.update(
        at=timezone.now() - timedelta(minutes=settings.SECOND_FACTOR_COOLOFF_MINUTES + 1)
    )
    _allow_device_again(tutor)
    assert client.post(VERIFY, {"code": fresh_code(device)}).status_code == 302


def test_django_otp_throttles_a_device_after_a_failure(client, tutor):
    device = authenticator_for(tutor)
    _sign_in_with_password(client, tutor)
    client.post(VERIFY, {"code": "000000"})
    # Right away, even the right code waits for the device's delay, and the page says so.
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 200 and "Wait a few seconds" in response.content.decode()


def test_new_recovery_codes_replace_the_old(client, tutor):
    _sign_in_with_password(client, tutor)
    _, first = _set_up(client)
    old = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", first.content.decode())
    response = client.post(reverse("accounts:second_factor:recovery-codes-new"))
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())
    assert len(new) == 10 and not set(old) & set(new)
    assert RecoveryCode.objects.filter(device__user=tutor).count() == 10


def test_replacing_the_app_needs_a_verified_session_and_the_old_app_stops_working(client, tutor):
    old = authenticator_for(tutor)
    client.force_login(tutor)
    _set_up(client)
    devices = TOTPDevice.objects.filter(user=tutor, confirmed=True)
    assert devices.count() == 1 and devices.get().pk != old.pk
    assert SecondFactorEvent.objects.filter(person=tutor, kind=SecondFactorEventKind.REPLACED).exists()


def test_a_request_that_is_not_a_get_is_refused_before_verifying(client, coordinator):
    client.force_login(coordinator, second_factor=False)
    response = client.post(reverse("accounts:invitation-create"), {"email": "new@example.test", "role": "coordinator"})
    assert response.status_code == 302 and response.url == SET_UP


def test_signing_out_and_public_pages_need_no_code(client, coordinator):
    client.force_login(coordinator, second_factor=False)
    for name in ("home", "privacy", "accessibility", "cookies"):
        assert client.get(reverse(name)).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# --- A site admin resets a lost factor --------------------------------------------------------------------


def test_a_site_admin_resets_a_lost_factor_audited_and_the_person_is_emailed(client, site_admin, tutor):
    authenticator_for(tutor)
    tutors_browser = type(client)()
    tutors_browser.force_login(tutor)
    assert tutors_browser.get("/tutor/").status_code == 200

    client.force_login(site_admin)
    reset = reverse("admin:second_factor_reset")
    confirm = client.post(reset, {"email": tutor.email})
    assert confirm.status_code == 200 and "Yes, reset their two-factor sign-in" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=tutor).exists()  # nothing happens before confirming
    done = client.post(reset, {"email": tutor.email, "confirm": "yes"})
    assert done.status_code == 302

    assert not TOTPDevice.objects.filter(user=tutor).exists()
    assert not RecoveryCodeDevice.objects.filter(user=tutor).exists()
    event = SecondFactorEvent.objects.get(kind=SecondFactorEventKind.RESET)
    assert (event.person, event.actor) == (tutor, site_admin)
    email = OutboundEmail.objects.get(template="second_factor_reset")
    assert email.to_email == tutor.email and "reset your two-factor sign-in" in email.body_text
    # The tutor's verified session is verified no longer: next time, set up again.
    assert tutors_browser.get("/tutor/").url.startswith(SET_UP)
    # The record is in the site admin.
    listing = client.get(reverse("admin:second_factor_secondfactorevent_changelist"))
    assert listing.status_code == 200 and tutor.email in listing.content.decode()


def test_only_a_site_admin_can_reset_and_never_their_own(client, site_admin, coordinator):
    authenticator_for(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("admin:second_factor_reset"), {"email": site_admin.email, "confirm": "yes"})
    assert response.status_code == 302 and "/admin/login/" in response.url

    authenticator_for(site_admin)
    client.force_login(site_admin)
    response = client.post(reverse("admin:second_factor_reset"), {"email": site_admin.email, "confirm": "yes"})
    assert response.status_code == 200 and "ask another site admin" in response.content.decode()
    assert TOTPDevice.objects.filter(user=site_admin).exists()


def test_nobody_can_read_a_secret_in_the_site_admin():
    assert not admin.site.is_registered(TOTPDevice)
    assert not any(model.__name__ == "RecoveryCode" for model in admin.site._registry)


def test_the_site_admin_itself_needs_a_verified_session(client, site_admin):
    client.force_login(site_admin, second_factor=False)
    assert client.get(reverse("admin:index")).url.startswith(SET_UP)
    assert client.get(reverse("coordinator:index")).url.startswith(SET_UP)


def test_both_admin_sites_check_the_second_factor_themselves(client, settings, site_admin, coordinator):
    """Defence in depth: without the middleware, /admin/ and /coordinator/ still send an unverified session to
    set up, and accept a verified one."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "SecondFactorRequiredMiddleware" not in m]
    for user, url in ((site_admin, reverse("admin:index")), (coordinator, reverse("coordinator:index"))):
        client.force_login(user, second_factor=False)
        assert client.get(url).url.startswith(SET_UP), url
        client.force_login(user)
        assert client.get(url).status_code == 200, url


def test_an_unverified_session_cannot_get_new_recovery_codes(client, tutor):
    authenticator_for(tutor)
    client.force_login(tutor, second_factor=False)
    response = client.post(reverse("accounts:second_factor:recovery-codes-new"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert not RecoveryCodeDevice.objects.filter(user=tutor).exists()


def test_an_account_deleted_takes_its_second_factor_and_its_record_with_it(client, site_admin, tutor):
    from accounts.second_factor.models import SecondFactorFailure

    authenticator_for(tutor)
    client.force_login(tutor)
    client.post(reverse("accounts:second_factor:recovery-codes-new"))
    SecondFactorEvent.objects.create(kind=SecondFactorEventKind.RESET, person=tutor, actor=site_admin)
    SecondFactorFailure.objects.create(user=tutor, ip_address="192.0.2.1")
    tutor.delete()
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert not SecondFactorEvent.objects.exists() and not SecondFactorFailure.objects.exists()


def test_an_admin_who_leaves_is_no_longer_named_in_a_reset_they_made(site_admin, tutor):
    event = SecondFactorEvent.objects.create(kind=SecondFactorEventKind.RESET, person=tutor, actor=site_admin)
    site_admin.delete()
    event.refresh_from_db()
    assert event.actor is None and event.person == tutor


def test_your_account_links_to_two_factor_sign_in_for_staff_only(client, tutor, student):
    client.force_login(tutor)
    assert reverse("accounts:second_factor:manage") in client.get(reverse("accounts:home")).content.decode()
    client.force_login(student)
    assert reverse("accounts:second_factor:manage") not in client.get(reverse("accounts:home")).content.decode()
