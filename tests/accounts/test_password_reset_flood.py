"""PENTEST: anyone can ask for a password reset for any address, so the number of reset emails must be capped.

Before: one a minute per account, without end (1,440 a day into someone's inbox, by a stranger, signed out).
Now: still one a minute, and at most ``PASSWORD_RESET_EMAILS_PER_HOUR`` (accounts/services.py) an hour. The page
looks the same either way, and the work done is the same whether or not the address has an account (see
test_no_account_enumeration_by_timing.py).
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import PASSWORD_RESET_EMAILS_PER_HOUR
from notifications.models import OutboundEmail
from tests.factories import StudentFactory


@pytest.mark.django_db
def test_a_stranger_cannot_flood_an_inbox_with_password_reset_emails(client):
    victim = StudentFactory(email="victim@example.test")
    start = timezone.now()
    for minute in range(0, 60, 3):  # every three minutes for an hour
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minute)):
            page = client.post(reverse("accounts:password-reset"), {"email": victim.email})
        assert page.status_code == 302
    sent = OutboundEmail.objects.filter(template="password_reset", to_email=victim.email).count()
    assert sent == PASSWORD_RESET_EMAILS_PER_HOUR


@pytest.mark.django_db
def test_after_an_hour_the_owner_can_ask_again(client):
    victim = StudentFactory(email="victim@example.test")
    for _ in range(PASSWORD_RESET_EMAILS_PER_HOUR):
        client.post(reverse("accounts:password-reset"), {"email": victim.email})
        for email in OutboundEmail.objects.exclude(dedupe_key__startswith="old:"):  # as if a minute apart
            OutboundEmail.objects.filter(pk=email.pk).update(dedupe_key=f"old:{email.pk}")
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    client.post(reverse("accounts:password-reset"), {"email": victim.email})
    assert OutboundEmail.objects.filter(template="password_reset").count() == PASSWORD_RESET_EMAILS_PER_HOUR + 1
