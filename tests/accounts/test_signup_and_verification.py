import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.tokens import email_verification_token
from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD, StudentFactory

GOOD = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Example.test",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def _link(email: OutboundEmail) -> str:
    return re.search(r"https?://\S+(/accounts/verify/\S+/)", email.body_text).group(1)


@pytest.mark.django_db
def test_student_signs_up_and_gets_a_verification_email(client):
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302 and response.url == reverse("accounts:signup-done")
    user = User.objects.get(email="ada@example.test")
    assert user.role == Role.STUDENT and not user.email_verified
    email = OutboundEmail.objects.get(recipient=user)
    assert email.template == "student_verify_email" and "Confirm your email address" in email.subject
    assert "&amp;" not in email.body_text


@pytest.mark.django_db
def test_sign_up_with_a_taken_email_looks_the_same_and_tells_the_owner(client):
    owner = StudentFactory(email="ada@example.test")
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302 and response.url == reverse("accounts:signup-done")
    assert User.objects.filter(email="ada@example.test").count() == 1
    assert OutboundEmail.objects.get(recipient=owner).template == "account_exists_notice"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"first_name": ""}, "first_name", "Enter your first name"),
        ({"password2": "something-else-entirely"}, "password2", "The passwords do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
    ],
)
def test_sign_up_errors_are_shown_next_to_the_field_and_input_is_kept(client, changes, field, message):
    response = client.post(reverse("accounts:signup"), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    if field != "first_name":
        assert 'value="Ada"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_verification_link_works_once(client):
    client.post(reverse("accounts:signup"), GOOD)
    link = _link(OutboundEmail.objects.get())
    response = client.get(link)
    assert response.status_code == 302
    assert User.objects.get().email_verified
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not email_verification_token.check_token(User.objects.get(), token)  # spent
    again = client.get(link)
    assert again.status_code == 400 and "expired or has already been used" in again.content.decode()
    client.force_login(User.objects.get())
    assert "already confirmed" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_tampered_verification_link_is_refused(client):
    client.post(reverse("accounts:signup"), GOOD)
    link = _link(OutboundEmail.objects.get())
    assert client.get(link[:-3] + "xx/").status_code == 400
    assert client.get("/accounts/verify/zzzz/abc-def/").status_code == 400
    assert not User.objects.get().email_verified


@pytest.mark.django_db
def test_resend_sends_one_email_however_often_it_is_clicked(client):
    client.post(reverse("accounts:signup"), GOOD)
    user = User.objects.get()
    OutboundEmail.objects.all().delete()
    client.force_login(user)
    client.post(reverse("accounts:verify-email-resend"))
    client.post(reverse("accounts:verify-email-resend"))
    assert OutboundEmail.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db
def test_unverified_student_sees_how_to_confirm_on_their_account_page(client):
    user = StudentFactory(email_verified_at=None)
    client.force_login(user)
    assert "Confirm your email address" in client.get(reverse("accounts:home")).content.decode()


@pytest.mark.django_db
def test_signed_in_user_visiting_sign_up_goes_to_their_account(client):
    client.force_login(StudentFactory())
    assert client.get(reverse("accounts:signup")).url == reverse("accounts:home")


def test_password_in_factories_is_strong_enough():
    assert len(TEST_PASSWORD) >= 10
