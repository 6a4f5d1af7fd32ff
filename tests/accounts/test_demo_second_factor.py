"""Demo staff sign in with a known authenticator secret in `make run`, never with DEBUG=False (ADR 0015)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, LOGINS, seed_accounts
from accounts.demo_totp import DemoSecondFactorRefused, demo_totp_code, seed_demo_second_factor

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_with_debug_every_demo_login_but_the_students_gets_the_known_secret(settings):
    settings.DEBUG = True
    seed_accounts()
    emails = seed_demo_second_factor(LOGINS)
    assert set(emails) == {email for email, role, *_ in LOGINS if role != "student"}
    assert not TOTPDevice.objects.filter(user__role="student").exists()
    device = TOTPDevice.objects.get(user__email="coordinator@demo.test")
    assert device.confirmed and device.verify_token(demo_totp_code())
    # Running it again keeps one app each.
    seed_demo_second_factor(LOGINS)
    assert TOTPDevice.objects.filter(user__email="coordinator@demo.test").count() == 1


def test_without_debug_it_refuses(settings):
    settings.DEBUG = False
    seed_accounts()
    with pytest.raises(DemoSecondFactorRefused):
        seed_demo_second_factor(LOGINS)
    assert not TOTPDevice.objects.exists()


def test_a_demo_coordinator_signs_in_with_the_password_and_the_printed_code(client, settings):
    settings.DEBUG = True
    seed_accounts()
    seed_demo_second_factor(LOGINS)
    client.post(reverse("accounts:login"), {"username": "coordinator@demo.test", "password": DEMO_PASSWORD})
    assert client.get(reverse("placements:coordinator-home")).url.startswith("/accounts/two-factor/")
    printed = subprocess.run(
        [sys.executable, "-m", "accounts.demo_totp"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    code = re.match(r"(\d{6}) ", printed).group(1)
    if code != demo_totp_code():  # the 30-second step turned between the two
        code = demo_totp_code()
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    assert client.get(reverse("placements:coordinator-home")).status_code == 200
