import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, User
from notifications.models import OutboundEmail


def _token(invitation: Invitation) -> str:
    email = OutboundEmail.objects.get(template="staff_invitation", dedupe_key__endswith=f":{invitation.pk}")
    return re.search(r"/accounts/invitations/accept/([^/\s]+)/", email.body_text).group(1)


def _invite(client, actor, **data):
    client.force_login(actor)
    return client.post(reverse("accounts:invitation-create"), data)


@pytest.mark.django_db
def test_coordinator_invites_a_colleague_who_joins_with_a_single_use_link(client, coordinator):
    response = _invite(
        client, coordinator, email="New.Person@nhs.net", role=Role.COORDINATOR, organisation=coordinator.organisation.pk
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@nhs.net" and invitation.invited_by == coordinator
    token = _token(invitation)
    assert invitation.token_hash != token  # only a hash is stored

    client.logout()
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    assert "Join Trust X" in client.get(url).content.decode()
    joined = client.post(
        url,
        {
            "first_name": "New",
            "last_name": "Person",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert joined.status_code == 302
    user = User.objects.get(email="new.person@nhs.net")
    assert user.role == Role.COORDINATOR and user.organisation == coordinator.organisation and user.email_verified

    client.logout()
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, first_name="A", last_name="B", password="a-long-passphrase-9")


@pytest.mark.django_db
def test_coordinator_cannot_invite_to_another_organisation(client, coordinator, other_trust):
    response = _invite(client, coordinator, email="x@nhs.net", role=Role.COORDINATOR, organisation=other_trust.pk)
    assert response.status_code == 200
    assert "Select an organisation from the list" in response.content.decode()
    assert not Invitation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=coordinator, email="x@nhs.net", organisation=other_trust, role=Role.COORDINATOR
        )


@pytest.mark.django_db
def test_tutors_can_only_be_invited_to_colleges(client, site_admin, trust):
    response = _invite(client, site_admin, email="t@nhs.net", role=Role.TUTOR, organisation=trust.pk)
    assert "Only colleges have tutors" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_site_admin_invites_a_tutor_to_any_college(client, site_admin, college):
    _invite(client, site_admin, email="t@college.ac.uk", role=Role.TUTOR, organisation=college.pk)
    assert Invitation.objects.get().organisation == college


@pytest.mark.django_db
def test_a_second_invitation_while_one_is_waiting_is_refused(client, coordinator):
    data = {"email": "x@nhs.net", "role": Role.COORDINATOR, "organisation": coordinator.organisation.pk}
    _invite(client, coordinator, **data)
    again = _invite(client, coordinator, **data)
    assert "already has an invitation waiting" in again.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_expired_and_revoked_links_do_not_work(client, coordinator):
    invitation = services.invitation_create(
        actor=coordinator, email="x@nhs.net", organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    token = _token(invitation)
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    services.invitation_revoke(actor=coordinator, invitation=invitation)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_other_trust_coordinator_cannot_see_or_revoke_invitations(client, coordinator, other_trust_coordinator):
    invitation = services.invitation_create(
        actor=coordinator, email="x@nhs.net", organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    client.force_login(other_trust_coordinator)
    assert "x@nhs.net" not in client.get(reverse("accounts:invitation-list")).content.decode()
    response = client.post(reverse("accounts:invitation-revoke", kwargs={"pk": invitation.pk}))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
def test_invitation_for_an_address_that_already_has_an_account_cannot_be_accepted(coordinator, student):
    invitation = services.invitation_create(
        actor=coordinator, email=student.email, organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    with pytest.raises(ValidationError, match="already uses this email"):
        services.invitation_accept(
            token=_token(invitation), first_name="A", last_name="B", password="a-long-passphrase-9"
        )
    student.refresh_from_db()
    assert student.role == Role.STUDENT
