"""PENTEST: a stranger cannot block a staff invitation by signing up first with the invitee's address.

Anyone may sign up as a student with any address; the account stays unverified because only the address's owner
gets the link. Before the fix, such an account made the owner's staff invitation fail ("An account already uses
this email address"), and a password reset only gave them the stranger's student account. The invitation link,
which arrived in the owner's inbox, proves the address: it replaces an unverified student account that was never
proved. A verified account still blocks the invitation, as before.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Role, User
from notifications.models import OutboundEmail

PASSWORD = "a-long-passphrase-9"


def _accept_url(invitation) -> str:
    email = OutboundEmail.objects.get(template="staff_invitation", dedupe_key__endswith=f":{invitation.pk}")
    return re.search(r"(/accounts/invitations/accept/[^/\s]+/)", email.body_text).group(1)


def _sign_up(email: str, password: str) -> None:
    Client().post(
        reverse("accounts:signup"),
        {"first_name": "Not", "last_name": "Them", "email": email, "password1": password, "password2": password},
    )


@pytest.mark.django_db
def test_a_strangers_unverified_sign_up_does_not_block_the_invitation(client, coordinator):
    _sign_up("new.colleague@nhs.net", "strangers-password-1")
    stranger = User.objects.get(email="new.colleague@nhs.net")
    assert stranger.role == Role.STUDENT and not stranger.email_verified

    invitation = services.invitation_create(
        actor=coordinator, email="new.colleague@nhs.net", organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    joined = client.post(
        _accept_url(invitation),
        {"first_name": "New", "last_name": "Colleague", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert joined.status_code == 302
    user = User.objects.get(email="new.colleague@nhs.net")
    assert user.role == Role.COORDINATOR and user.organisation == coordinator.organisation
    assert user.check_password(PASSWORD) and not user.check_password("strangers-password-1")
    assert not User.objects.filter(pk=stranger.pk).exists()


@pytest.mark.django_db
def test_a_verified_account_with_the_address_still_blocks_the_invitation(client, coordinator, student):
    assert student.email_verified
    invitation = services.invitation_create(
        actor=coordinator, email=student.email, organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    refused = client.post(
        _accept_url(invitation),
        {"first_name": "New", "last_name": "Colleague", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert refused.status_code == 200
    assert "An account already uses this email address" in refused.content.decode()
    assert User.objects.get(email=student.email).role == Role.STUDENT
