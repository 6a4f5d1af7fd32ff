"""Sign-up does the same work whether or not the address already has an account.

Hashing the password is the slow step (Argon2, tens of milliseconds); when only the new-account path hashed,
the response time told an attacker which addresses are registered. Counting the work is exact where a stopwatch
on a shared CI machine is not, so these tests count hashes and outbox rows on both paths.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.factories import StudentFactory

SIGN_UP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting every password it hashes."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def _sign_up(client, email):
    """Hashes and outbox rows made by one sign-up, after the account factory's own hashing."""
    before_hashes, before_rows = CountingHasher.calls, OutboundEmail.objects.count()
    response = client.post(reverse("accounts:signup"), {**SIGN_UP, "email": email})
    assert response.status_code == 302 and response.url == reverse("accounts:signup-done")
    return CountingHasher.calls - before_hashes, OutboundEmail.objects.count() - before_rows


@pytest.mark.django_db
def test_sign_up_hashes_once_and_queues_one_email_whether_or_not_the_address_is_taken(client, counting_hasher):
    StudentFactory(email="taken@example.test")
    new = _sign_up(client, "new@example.test")
    taken = _sign_up(client, "Taken@Example.test")
    assert new == taken == (1, 1)


@pytest.mark.django_db
def test_the_new_account_keeps_the_hash_made_before_the_address_was_checked(client, counting_hasher):
    _sign_up(client, "new@example.test")
    from accounts.models import User

    user = User.objects.get(email="new@example.test")
    assert user.password.startswith("counting_md5$") and user.check_password(SIGN_UP["password1"])
