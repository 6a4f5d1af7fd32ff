"""Two-factor sign-in in tests (ADR 0015): a real authenticator device per person and real codes from its key.

``client.force_login(user)`` (patched in tests/conftest.py) signs in with the password step skipped, as Django's
does, and then passes the second factor for roles that need one, with a real code checked by the device; pass
``second_factor=False`` for a session that has signed in but not entered a code. A test that signs in through
the password form calls ``complete_second_factor(client, user)``; browser journeys call
``pass_second_factor(page, email)`` after the password form.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor.services import second_factor_required


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app holding ``device``'s key shows now (or ``offset_steps`` steps away)."""
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def code_from_secret(secret: str) -> str:
    """The code for a base32 secret as shown on the set-up page (spaces allowed)."""
    import base64

    clean = "".join(secret.split()).upper()
    key = base64.b32decode(clean + "=" * (-len(clean) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    return f"{totp.token():06d}"


def authenticator_for(user) -> TOTPDevice:
    """The person's confirmed authenticator app, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def fresh_code(device: TOTPDevice) -> str:
    """A code the device will accept now: a code is single use, so a second sign-in within the same 30 seconds
    would otherwise be refused (as it is for a real person)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return totp_code(device)


def verify_client_session(client, user) -> TOTPDevice:
    """Mark ``client``'s signed-in session as verified by a real code from the user's device."""
    device = authenticator_for(user)
    assert device.verify_token(fresh_code(device)), "the device refused its own code"
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def complete_second_factor(client, user) -> None:
    """After signing in with a password through the form: enter a code from the person's app, or set one up
    from the secret the set-up page shows, as the person would. Students need neither."""
    import re

    if not second_factor_required(user):
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        response = client.post("/accounts/two-factor/", {"code": fresh_code(authenticator_for(user))})
        assert response.status_code == 302, "the code was refused"
        return
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    response = client.post("/accounts/two-factor/set-up/", {"code": code_from_secret(secret)})
    assert response.status_code == 200 and "Save your recovery codes" in response.content.decode()


def force_login_with_second_factor(original):
    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        if second_factor and second_factor_required(user):
            verify_client_session(self, user)

    return force_login


def pass_second_factor(page, email: str) -> None:
    """In a browser, after the password: set up the app from the page's own secret, or enter a code."""
    from accounts.models import User

    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/set-up/" in page.url:
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("Code", exact=True).fill(code_from_secret(secret))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="I have saved my recovery codes").click()
    elif "/accounts/two-factor/" in page.url:
        device = authenticator_for(User.objects.get(email=email))
        page.get_by_label("Code", exact=True).fill(fresh_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
