"""PENTEST: the "send the link again" button cannot be used to flood someone's inbox.

Anyone can sign up with someone else's address; the account stays unverified, but its "send a new link" button
sent a verification email to that address once a minute, for ever (1,440 a day). Now at most
``VERIFICATION_EMAILS_PER_DAY`` go in a day, and the page says so instead of claiming another was sent.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import VERIFICATION_EMAILS_PER_DAY
from notifications.models import OutboundEmail
from tests.factories import StudentFactory


@pytest.fixture
def unverified(db):
    return StudentFactory(email="someone.else@example.test", email_verified_at=None)


def _press_resend(client, minutes_later: int):
    from unittest import mock

    later = timezone.now() + timedelta(minutes=minutes_later)
    with mock.patch("django.utils.timezone.now", return_value=later):
        return client.post(reverse("accounts:verify-email-resend"), follow=True)


@pytest.mark.django_db
def test_pressing_resend_every_minute_sends_a_few_emails_a_day_not_hundreds(client, unverified):
    client.force_login(unverified)
    pages = [_press_resend(client, minutes) for minutes in range(0, 60 * 3, 2)]  # every two minutes for 3 hours
    sent = OutboundEmail.objects.filter(template="student_verify_email", to_email=unverified.email).count()
    assert sent == VERIFICATION_EMAILS_PER_DAY
    last = pages[-1].content.decode()
    assert "We have sent a new link" not in last
    assert f"We have sent you {VERIFICATION_EMAILS_PER_DAY} links in the last day" in last


@pytest.mark.django_db
def test_a_new_day_allows_a_new_link(client, unverified):
    client.force_login(unverified)
    for minutes in range(0, VERIFICATION_EMAILS_PER_DAY * 2, 2):
        _press_resend(client, minutes)
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(hours=25))
    page = _press_resend(client, VERIFICATION_EMAILS_PER_DAY * 2 + 1)
    assert "We have sent a new link" in page.content.decode()
    assert OutboundEmail.objects.filter(template="student_verify_email").count() == VERIFICATION_EMAILS_PER_DAY + 1
