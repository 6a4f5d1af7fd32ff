"""PENTEST: an unlock link should work once.

It used to clear every failure on the account each time it was pressed, for 24 hours: whoever held a copy (a
forwarded email, a shared computer's history) could guess five passwords, press it, and guess five more, without
end. Now the token hashes ``User.sign_in_unlocked_at``, which pressing it sets, so it works once; and it
lifts only the locks that were there when it was sent (it remembers the newest failure record then: axes keeps one
row per account, address and browser, and a failure during the lock updates that row, so a time would not do).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD, StudentFactory

LOGIN = reverse("accounts:login")
ATTACKER = "203.0.113.9"
HOME = "192.0.2.44"


def sign_in(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def unlock_path(email: OutboundEmail) -> str:
    return re.search(r"https?://\S+?(/accounts/unlock/\S+/)", email.body_text).group(1)


@pytest.fixture
def owner(db):
    return StudentFactory(email="victim@example.test")


@pytest.mark.django_db
def test_a_copy_of_an_unlock_link_cannot_buy_more_guesses(owner):
    Client().post(reverse("accounts:sign-in-unlock-request"), {"email": owner.email})
    link = unlock_path(OutboundEmail.objects.get(template="sign_in_unlock"))

    attacker = Client()
    for _ in range(5):
        sign_in(attacker, owner.email, "wrong-guess", ATTACKER)
    assert sign_in(attacker, owner.email, "another-guess", ATTACKER).status_code == 429
    pressed = attacker.post(link, REMOTE_ADDR=ATTACKER)
    assert pressed.status_code == 302  # the page looks the same: it says nothing about what it cleared
    assert sign_in(attacker, owner.email, TEST_PASSWORD, ATTACKER).status_code == 429, "the link worked a second time"


@pytest.mark.django_db
def test_the_link_still_clears_the_failures_that_made_it_necessary(owner):
    attacker, victim = Client(), Client()
    for _ in range(5):
        sign_in(attacker, owner.email, "wrong-guess", HOME)
    assert sign_in(victim, owner.email, TEST_PASSWORD, HOME).status_code == 429
    notice = OutboundEmail.objects.get(template="sign_in_unlock")
    victim.post(unlock_path(notice), REMOTE_ADDR=HOME)
    assert sign_in(victim, owner.email, TEST_PASSWORD, HOME).status_code == 302


@pytest.mark.django_db
def test_an_unlock_link_works_once(owner):
    victim = Client()
    for _ in range(5):
        sign_in(victim, owner.email, "wrong-guess", HOME)
    link = unlock_path(OutboundEmail.objects.get(template="sign_in_unlock"))
    assert victim.get(link, REMOTE_ADDR=HOME).status_code == 200
    assert victim.post(link, REMOTE_ADDR=HOME).status_code == 302
    owner.refresh_from_db()
    assert owner.sign_in_unlocked_at is not None

    again = Client().post(link, REMOTE_ADDR=ATTACKER)
    assert again.status_code == 404 and "work once" in again.content.decode()
    assert Client().get(link).status_code == 404


@pytest.mark.django_db
def test_a_password_reset_retires_the_unlock_links_sent_before_it(owner):
    from accounts.services import sign_in_unlock, user_for_unlock_token
    from accounts.signin import make_unlock_token

    token = make_unlock_token(owner)
    assert user_for_unlock_token(token) == owner
    sign_in_unlock(user=owner)
    assert user_for_unlock_token(token) is None


@pytest.mark.django_db
def test_an_owner_locked_again_after_using_their_link_gets_a_new_one_within_the_hour(owner):
    victim = Client()
    for _ in range(5):
        sign_in(Client(), owner.email, "wrong-guess", HOME)
    first = OutboundEmail.objects.get(template="sign_in_unlock")
    victim.post(unlock_path(first), REMOTE_ADDR=HOME)
    assert sign_in(victim, owner.email, TEST_PASSWORD, HOME).status_code == 302

    for _ in range(5):
        sign_in(Client(), owner.email, "wrong-again", HOME)
    assert OutboundEmail.objects.filter(template="sign_in_unlock").count() == 2
    second = OutboundEmail.objects.filter(template="sign_in_unlock").latest("pk")
    locked_out = Client()
    assert sign_in(locked_out, owner.email, TEST_PASSWORD, HOME).status_code == 429
    assert locked_out.post(unlock_path(second), REMOTE_ADDR=HOME).status_code == 302
    assert sign_in(locked_out, owner.email, TEST_PASSWORD, HOME).status_code == 302

    for _ in range(5):
        sign_in(Client(), owner.email, "wrong-once-more", HOME)
    assert OutboundEmail.objects.filter(template="sign_in_unlock").count() == 3
    for _ in range(5):  # locked again from elsewhere while the third link is unused: no fourth email this hour
        sign_in(Client(), owner.email, "from-elsewhere", ATTACKER)
    assert OutboundEmail.objects.filter(template="sign_in_unlock").count() == 3
