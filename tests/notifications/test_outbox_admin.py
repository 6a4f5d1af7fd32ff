"""The outbox in the site admin shows what was sent to whom, but never a link that would let the reader act as
the recipient (password reset, sign-in unlock, invitation, email verification, guardian consent)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.admin import LINK_HIDDEN, without_secret_links
from notifications.models import OutboundEmail
from tests.factories import UserFactory

SITE = "http://127.0.0.1:8000"
SECRET_LINKS = [
    f"{SITE}/accounts/reset/MjQ/cz3x1a-0123456789abcdef0123456789abcdef/",
    f"{SITE}/accounts/verify/MjQ/cz3x1a-0123456789abcdef/",
    f"{SITE}/accounts/unlock/AbCdEf0123456789AbCdEf0123456789AbCdEf01234/",
    f"{SITE}/accounts/invitations/accept/AbCdEf0123456789AbCdEf0123456789AbCdEf01234/",
    f"{SITE}/consent/AbCdEf0123456789AbCdEf0123456789AbCdEf01234/",
]
PLAIN_LINKS = [f"{SITE}/opportunities/", f"{SITE}/accounts/login/", f"{SITE}/my-application/", "https://www.nhs.uk/"]


@pytest.mark.parametrize("link", SECRET_LINKS)
@pytest.mark.parametrize("template", ["Reset it: {}", "Reset it: {}.", '<a href="{}">Reset</a>', "({})"])
def test_single_use_links_are_hidden(link, template):
    shown = without_secret_links(template.format(link))
    assert link not in shown and link.rstrip("/").rsplit("/", 1)[-1] not in shown
    assert shown == template.format(LINK_HIDDEN)


@pytest.mark.parametrize("link", PLAIN_LINKS)
def test_other_links_are_shown(link):
    assert without_secret_links(f"See {link}.") == f"See {link}."


@pytest.mark.django_db
def test_a_reader_of_the_outbox_sees_the_email_without_its_key(client, student):
    body = f"Hello,\n\nReset your password: {SECRET_LINKS[0]}\n\nOr see {PLAIN_LINKS[0]}\n"
    email = OutboundEmail.objects.create(
        dedupe_key="test:reset",
        template="password_reset",
        recipient=student,
        to_email=student.email,
        subject="Reset your password",
        body_text=body,
        body_html=f'<p><a href="{SECRET_LINKS[0]}">Reset your password</a></p>',
        raw_message=f"Content-Type: text/plain\n\n{body}".encode(),
    )
    reader = UserFactory(email="support@example.test", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_outboundemail"))
    client.force_login(reader)
    page = client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk])).content.decode()
    assert "cz3x1a-0123456789abcdef0123456789abcdef" not in page
    assert "Reset your password" in page and PLAIN_LINKS[0] in page and LINK_HIDDEN in page
