import re

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD, StudentFactory

WRONG = "The email address or password is not right"


@pytest.mark.django_db
def test_login_with_email_and_password(client):
    StudentFactory(email="sam@example.test")
    response = client.post(reverse("accounts:login"), {"username": "SAM@example.test", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("placements:student-home")


@pytest.mark.django_db
def test_unknown_email_and_wrong_password_get_the_same_message(client):
    StudentFactory(email="sam@example.test")
    unknown = client.post(reverse("accounts:login"), {"username": "nobody@example.test", "password": "x" * 12})
    wrong = client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": "x" * 12})
    assert WRONG in unknown.content.decode() and WRONG in wrong.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_username_for_fifteen_minutes(client, settings):
    StudentFactory(email="sam@example.test")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": "wrong-password"})
    locked = client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert settings.AXES_COOLOFF_TIME == 0.25


@pytest.mark.django_db
def test_lock_is_per_username_so_classmates_on_the_same_network_can_still_sign_in(client):
    StudentFactory(email="sam@example.test")
    StudentFactory(email="kim@example.test")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "sam@example.test", "password": "wrong-password"})
    ok = client.post(reverse("accounts:login"), {"username": "kim@example.test", "password": TEST_PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post(client):
    client.force_login(StudentFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_does_not_reveal_accounts_and_mails_through_the_outbox(client):
    user = StudentFactory(email="sam@example.test")
    known = client.post(reverse("accounts:password-reset"), {"email": "sam@example.test"})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    email = OutboundEmail.objects.get()
    assert email.recipient == user and email.template == "password_reset"
    link = re.search(r"(/accounts/reset/\S+/)", email.body_text).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase")
    assert "expired or has already been used" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client):
    user = StudentFactory()
    client.force_login(user)
    bad = client.post(
        reverse("accounts:password-change"),
        {"old_password": "nope", "new_password1": "another-passphrase-1", "new_password2": "another-passphrase-1"},
    )
    assert bad.status_code == 200
    good = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-passphrase-1",
            "new_password2": "another-passphrase-1",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-passphrase-1")


def test_passwords_are_hashed_with_argon2_in_real_settings():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
