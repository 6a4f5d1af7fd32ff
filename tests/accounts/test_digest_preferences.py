"""Anyone signed in can switch digests and optional reminders off (and on again); transactional emails stay."""

import pytest
from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:email-preferences")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["student", "tutor", "coordinator"])
def test_the_account_page_offers_the_switch_and_says_what_cannot_be_switched_off(client, personas, persona):
    client.force_login(personas[persona])
    page = client.get(reverse("accounts:home")).content.decode()
    assert f'action="{URL}"' in page
    assert 'name="digest_emails"' in page and "checked" in page
    assert "You cannot switch these off" in page


@pytest.mark.django_db
def test_switching_digests_off_and_on_again(client, coordinator):
    client.force_login(coordinator)

    response = client.post(URL, {}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:home"), 302)]
    assert User.objects.get(pk=coordinator.pk).digest_emails is False
    page = response.content.decode()
    assert "We will not send you digests or reminders" in page and "checked" not in page

    response = client.post(URL, {"digest_emails": "on"}, follow=True)
    assert User.objects.get(pk=coordinator.pk).digest_emails is True
    assert "We will send you digests and reminders" in response.content.decode()


@pytest.mark.django_db
def test_a_change_only_touches_the_signed_in_persons_preferences(client, student, tutor):
    client.force_login(student)
    client.post(URL, {})
    assert User.objects.get(pk=student.pk).digest_emails is False
    assert User.objects.get(pk=tutor.pk).digest_emails is True


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_changes(client, student):
    response = client.post(URL, {})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert User.objects.get(pk=student.pk).digest_emails is True


@pytest.mark.django_db
def test_the_preferences_address_only_accepts_a_form_post(client, student):
    client.force_login(student)
    assert client.get(URL).status_code == 405
