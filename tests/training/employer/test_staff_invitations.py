"""A care provider's coordinator invites its staff from a CSV of addresses (the existing accounts page), so it
has people to name in seats; bad rows are reported, not sent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation, Role

pytestmark = pytest.mark.django_db


def test_a_care_provider_coordinator_invites_staff_from_a_list(client, care_provider_coordinator, care_provider):
    client.force_login(care_provider_coordinator)
    upload = SimpleUploadedFile("staff.csv", b"email\ncarer.one@elm.example\nnot an address\n", "text/csv")
    response = client.post(
        reverse("accounts:invitation-upload"), {"organisation": care_provider.pk, "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert "1 invitation sent" in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "carer.one@elm.example",
        Role.STAFF,
        care_provider,
    )
