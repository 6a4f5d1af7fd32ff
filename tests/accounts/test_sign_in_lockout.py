"""Sign-in lockout: one count per account however the address is typed, a limit per IP address across accounts,
and a real owner who can always get in (an emailed unlock link, or a password reset)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.signin import client_ip, normalise_username
from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD, StudentFactory

LOGIN = reverse("accounts:login")
ATTACKER = "203.0.113.9"
COLLEGE = "198.51.100.1"
HOME = "192.0.2.44"


def sign_in(client, username, password, ip=COLLEGE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def owner(db):
    return StudentFactory(email="victim@example.test")


def _unlock_path(email: OutboundEmail) -> str:
    return re.search(r"https?://\S+?(/accounts/unlock/\S+/)", email.body_text).group(1)


@pytest.mark.parametrize(
    "typed", ["Victim@Example.test", " victim@example.test ", "VICTIM@EXAMPLE.TEST", "vIctim@example.TEST"]
)
def test_every_way_of_typing_an_address_is_one_username(typed):
    assert normalise_username(typed) == "victim@example.test"


@pytest.mark.django_db
def test_changing_the_letter_case_or_adding_spaces_does_not_buy_more_guesses(client, owner):
    for variant in ["Victim@example.test", "vIctim@example.test", " victim@EXAMPLE.test ", "VICTIM@example.test"]:
        assert sign_in(client, variant, "wrong-guess-1", ip=ATTACKER).status_code == 200
    fifth = sign_in(client, "victiM@example.test", "wrong-guess-2", ip=ATTACKER)
    assert fifth.status_code == 429
    right_password = sign_in(client, "VicTim@Example.Test", TEST_PASSWORD, ip=ATTACKER)
    assert right_password.status_code == 429 and not signed_in(client)


@pytest.mark.django_db
def test_a_guesser_elsewhere_does_not_lock_the_owner_out(owner):
    attacker, victim = Client(), Client()
    for _ in range(8):
        sign_in(attacker, "victim@example.test", "wrong-guess", ip=ATTACKER)
    assert sign_in(attacker, "victim@example.test", TEST_PASSWORD, ip=ATTACKER).status_code == 429
    assert sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=HOME).status_code == 302
    assert signed_in(victim)


@pytest.mark.django_db
def test_one_address_cannot_try_a_few_passwords_on_many_accounts(settings):
    settings.SIGN_IN_FAILURES_PER_IP = 12
    StudentFactory(email="kim@example.test")
    sprayer, classmate, elsewhere = Client(), Client(), Client()
    for number in range(11):
        answer = sign_in(sprayer, f"person{number}@example.test", "Summer2026!", ip=ATTACKER)
        assert answer.status_code == 200, number
    # The twelfth failure is answered with the lockout page, as axes answers the fifth on one account.
    stopped = sign_in(sprayer, "person99@example.test", "Summer2026!", ip=ATTACKER)
    assert stopped.status_code == 429
    assert "too many failed attempts to sign in from your network" in stopped.content.decode()
    # Everyone at that address waits; the same account from another address does not.
    assert sign_in(classmate, "kim@example.test", TEST_PASSWORD, ip=ATTACKER).status_code == 429
    assert sign_in(elsewhere, "kim@example.test", TEST_PASSWORD, ip=HOME).status_code == 302


@pytest.mark.django_db
def test_the_default_per_address_limit_lets_a_busy_college_morning_through(settings):
    # 30 students each mistyping once from the college's one address is not an attack.
    assert settings.SIGN_IN_FAILURES_PER_IP >= 50 > settings.AXES_FAILURE_LIMIT
    for number in range(30):
        StudentFactory(email=f"learner{number}@example.test")
        sign_in(Client(), f"learner{number}@example.test", "typo-password", ip=COLLEGE)
    late = Client()
    StudentFactory(email="late@example.test")
    assert sign_in(late, "late@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 302


@pytest.mark.django_db
def test_the_owner_is_emailed_once_and_their_link_lets_them_in_from_the_locked_network(owner):
    attacker, victim = Client(), Client()
    for _ in range(9):
        sign_in(attacker, "Victim@example.test", "wrong-guess", ip=COLLEGE)
    notice = OutboundEmail.objects.get(template="sign_in_unlock")
    assert notice.recipient == owner and "Someone tried to sign in to your account" in notice.subject
    assert sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 429

    page = victim.get(_unlock_path(notice), REMOTE_ADDR=COLLEGE)
    assert page.status_code == 200 and "Unlock and sign in" in page.content.decode()
    assert sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 429  # GET did nothing
    unlocked = victim.post(_unlock_path(notice), REMOTE_ADDR=COLLEGE)
    assert unlocked.status_code == 302 and unlocked.url == LOGIN
    assert sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 302
    assert signed_in(victim)


@pytest.mark.django_db
def test_an_owner_behind_a_locked_network_asks_for_a_link_and_gets_past_the_address_limit(settings, owner):
    settings.SIGN_IN_FAILURES_PER_IP = 6
    sprayer, victim = Client(), Client()
    for number in range(6):
        sign_in(sprayer, f"person{number}@example.test", "Summer2026!", ip=COLLEGE)
    locked = sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=COLLEGE)
    assert locked.status_code == 429
    assert not OutboundEmail.objects.exists()  # a locked address emails nobody by itself
    ask = reverse("accounts:sign-in-unlock-request") + "?email=victim%40example.test"
    assert ask in locked.content.decode().replace("&amp;", "&")

    sent = victim.post(reverse("accounts:sign-in-unlock-request"), {"email": "Victim@Example.test"})
    assert "Check your email" in sent.content.decode()
    link = OutboundEmail.objects.get(template="sign_in_unlock", recipient=owner)
    assert "Your link to sign in" in link.subject
    victim.post(_unlock_path(link), REMOTE_ADDR=COLLEGE)
    assert sign_in(victim, "victim@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 302
    # The cookie names one account: the sprayer gains nothing from the owner's link.
    assert sign_in(sprayer, "person1@example.test", "Summer2026!", ip=COLLEGE).status_code == 429


@pytest.mark.django_db
def test_asking_for_a_link_for_an_unknown_address_looks_the_same_and_sends_nothing(client, owner):
    known = client.post(reverse("accounts:sign-in-unlock-request"), {"email": "victim@example.test"})
    unknown = client.post(reverse("accounts:sign-in-unlock-request"), {"email": "nobody@example.test"})
    assert known.content == unknown.content.replace(b"nobody@example.test", b"victim@example.test")
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_asking_again_and_again_sends_one_email_an_hour(client, owner):
    for _ in range(5):
        client.post(reverse("accounts:sign-in-unlock-request"), {"email": "victim@example.test"})
    assert OutboundEmail.objects.filter(template="sign_in_unlock").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["not-a-token", "eyJ1IjoxfQ:1abc:forged"])
def test_a_forged_unlock_link_does_nothing(client, owner, token):
    response = client.post(reverse("accounts:sign-in-unlock", kwargs={"token": token}))
    assert response.status_code == 404 and "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_an_unlock_link_stops_working_when_the_address_changes(client, owner):
    from accounts.services import user_for_unlock_token
    from accounts.signin import make_unlock_token

    token = make_unlock_token(owner)
    assert user_for_unlock_token(token) == owner
    owner.email = "new.address@example.test"
    owner.save()
    assert user_for_unlock_token(token) is None


@pytest.mark.django_db
def test_an_unlock_link_expires(client, owner, settings):
    import time
    from unittest import mock

    from accounts.services import user_for_unlock_token
    from accounts.signin import make_unlock_token

    token = make_unlock_token(owner)
    later = time.time() + settings.SIGN_IN_UNLOCK_VALID_HOURS * 3600 + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert user_for_unlock_token(token) is None


@pytest.mark.django_db
def test_resetting_the_password_lifts_the_lock(client, owner):
    for _ in range(5):
        sign_in(Client(), "victim@example.test", "wrong-guess", ip=COLLEGE)
    assert sign_in(Client(), "victim@example.test", TEST_PASSWORD, ip=COLLEGE).status_code == 429
    client.post(reverse("accounts:password-reset"), {"email": "victim@example.test"})
    reset = OutboundEmail.objects.get(template="password_reset")
    link = re.search(r"(/accounts/reset/\S+/)", reset.body_text).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert sign_in(client, "victim@example.test", "brand-new-passphrase", ip=COLLEGE).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),
        (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7"}, "198.51.100.7"),
        (2, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"),
        (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(rf, settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(rf.get("/", **meta)) == expected


@pytest.mark.django_db
def test_an_unlock_link_does_not_carry_the_address(owner):
    import base64

    from accounts.signin import make_unlock_token

    token = make_unlock_token(owner)
    decoded = base64.urlsafe_b64decode(token.split(":")[0] + "==")
    assert b"victim" not in decoded and b"example" not in decoded
