"""The demo staff's known authenticator secret, for ``make run`` only (ADR 0015).

``seed_demo`` gives every demo login that must use two-factor sign-in (everyone but the students) an
authenticator app holding ``DEMO_TOTP_SECRET``, and only with ``DEBUG=True``: with ``DEBUG=False`` it refuses,
and demo staff set up their own app at their first sign-in like anybody else.

To sign in as demo staff, add the secret to any authenticator app, or print the current code:

    .venv/bin/python -m accounts.demo_totp
"""

import base64
import sys
import time

# 20 bytes in base32, as an authenticator app takes it typed in. Known to everyone: demo data only.
DEMO_TOTP_SECRET = "DEMOSTAFFSECRETFORMAKERUNONLY234"


def demo_totp_key() -> bytes:
    return base64.b32decode(DEMO_TOTP_SECRET)


def demo_totp_code(at: float | None = None) -> str:
    """The code an authenticator app holding the demo secret shows now (or at time ``at``)."""
    from django_otp.oath import TOTP

    generator = TOTP(demo_totp_key(), step=30, t0=0, digits=6)
    if at is not None:
        generator.time = at
    return f"{generator.token():06d}"


class DemoSecondFactorRefused(Exception):
    pass


def seed_demo_second_factor(logins) -> list[str]:
    """Give each demo login that needs a second factor a confirmed app with the demo secret; their emails.

    Refuses with ``DEBUG=False``: a known secret must never protect a real deployment.
    """
    from binascii import hexlify

    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.second_factor.services import TOTP_DEVICE_NAME, second_factor_required

    if not settings.DEBUG:
        raise DemoSecondFactorRefused(
            "Refusing to give demo staff a known two-factor secret with DEBUG=False: they set up their own app."
        )
    key = hexlify(demo_totp_key()).decode()
    done = []
    for user in User.objects.filter(email__in=[email for email, *_ in logins]).order_by("email"):
        if not second_factor_required(user):
            continue
        TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
        TOTPDevice.objects.update_or_create(user=user, key=key, defaults={"name": TOTP_DEVICE_NAME, "confirmed": True})
        done.append(user.email)
    return done


def main() -> int:
    code = demo_totp_code()
    left = 30 - int(time.time()) % 30
    print(f"{code}  (demo staff code, changes in {left} seconds; secret {DEMO_TOTP_SECRET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
