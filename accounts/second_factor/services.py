"""Rules of two-factor sign-in: who must use it, setting it up, checking a code, recovery codes, resets.

* Everyone except students (and guardians, who have no account) must verify a second factor in the session
  before any page but signing out, these pages and the public pages: tutors, coordinators, site admins, health
  and care staff, planning partners, anyone with ``is_staff`` or ``is_superuser``, and any role added later
  (the rule names the exempt roles, not the covered ones, so a new role is covered until someone decides
  otherwise).
* The session is verified only by a code checked here (django-otp's session key); signing in with a password
  never sets it, so a session that signed in before the factor was set up still has to enter a code.
* Failed codes: django-otp's throttling per device (an increasing delay), and at most
  ``SECOND_FACTOR_FAILURE_LIMIT`` failures for one person from one IP address in
  ``SECOND_FACTOR_COOLOFF_MINUTES`` minutes, as for passwords (ADR 0008).
"""

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.second_factor.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    SecondFactorEvent,
    SecondFactorEventKind,
    SecondFactorFailure,
    recovery_code_hash,
)
from accounts.signin import client_ip

# Roles never asked for a second factor: students see only their own data. Every other role must.
EXEMPT_ROLES = (Role.STUDENT,)
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"


def second_factor_required(user) -> bool:
    """Must ``user`` verify a second factor before reaching pages beyond their own account?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.role not in EXEMPT_ROLES


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_second_factor(user) -> bool:
    """Has ``user`` set up an authenticator app (recovery codes come with it)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


# --- Setting up ---------------------------------------------------------------------------------------------


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept unconfirmed until a code from it is entered.

    The same pending secret is shown again on reload (so a person who has scanned it once is not confused);
    a confirmed device is not touched until the new one is confirmed.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_secret_for_reading(device: TOTPDevice) -> str:
    """The secret in groups of four, easier to type."""
    secret = totp_secret_base32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_provisioning_uri(device: TOTPDevice) -> str:
    return device.config_url


def totp_qr_svg(device: TOTPDevice) -> str:
    """The QR code of the set-up link as SVG markup with no style attribute or script (our CSP allows neither)."""
    import segno

    qr = segno.make(totp_provisioning_uri(device), error="m")
    svg = qr.svg_inline(
        scale=5,
        dark="#212b32",
        light="#ffffff",
        title="QR code for your authenticator app",
        svgclass="app-qr-code",
        lineclass=None,
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


@dataclass(frozen=True)
class SetUpResult:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, code: str) -> SetUpResult | None:
    """Confirm the pending app with a code from it; replace any older app; issue recovery codes; verify the session.

    Returns None (and counts a failure) when the code is wrong.
    """
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
    if device is None or not _check(request, device, code):
        return None
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
    kind = SecondFactorEventKind.REPLACED if replaced.exists() else SecondFactorEventKind.SET_UP
    replaced.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    SecondFactorEvent.objects.create(kind=kind, person=user, actor=user)
    codes = _recovery_codes_issue(user=user)
    session_verify(request, device)
    return SetUpResult(device=device, recovery_codes=codes)


def _recovery_codes_issue(*, user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code_hash=recovery_code_hash(c)) for c in codes)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes (shown once); the old ones stop working."""
    codes = _recovery_codes_issue(user=user)
    SecondFactorEvent.objects.create(kind=SecondFactorEventKind.RECOVERY_CODES_ISSUED, person=user, actor=user)
    return codes


def _new_recovery_code() -> str:
    """Ten characters from an alphabet without look-alikes (about 50 bits), shown as ``abcde-fghij``."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


# --- Checking a code ------------------------------------------------------------------------------------------


def _recent_failures(request):
    since = timezone.now() - timedelta(minutes=settings.SECOND_FACTOR_COOLOFF_MINUTES)
    return SecondFactorFailure.objects.filter(user=request.user, ip_address=client_ip(request), at__gte=since)


def failures_paused(request) -> bool:
    """Too many wrong codes for this person from this address lately: checking stops for a while."""
    return _recent_failures(request).count() >= settings.SECOND_FACTOR_FAILURE_LIMIT


def _failure_count(request) -> None:
    since = timezone.now() - timedelta(minutes=settings.SECOND_FACTOR_COOLOFF_MINUTES)
    SecondFactorFailure.objects.filter(user=request.user, at__lt=since).delete()
    SecondFactorFailure.objects.create(user=request.user, ip_address=client_ip(request))


def _failures_clear(request) -> None:
    SecondFactorFailure.objects.filter(user=request.user, ip_address=client_ip(request)).delete()


def _check(request, device, code: str) -> bool:
    if failures_paused(request):
        return False
    if not device.verify_is_allowed()[0]:
        # django-otp's delay after a wrong code: the code is not checked (so not counted); the page says to wait.
        request.second_factor_must_wait = True
        return False
    if device.verify_token(code):
        _failures_clear(request)
        return True
    _failure_count(request)
    return False


def looks_like_recovery_code(code: str) -> bool:
    normalised = "".join(ch for ch in code if ch.isalnum())
    return not normalised.isdigit()


def second_factor_verify(*, request, code: str) -> bool:
    """Check a code from the app, or a recovery code; on success the session is verified."""
    user = request.user
    code = (code or "").strip()
    if looks_like_recovery_code(code):
        device = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
        kind = SecondFactorEventKind.RECOVERY_CODE_USED
    else:
        code = "".join(code.split())
        device = confirmed_totp_device(user)
        kind = None
    if device is None:
        if not failures_paused(request):
            _failure_count(request)
        return False
    if not _check(request, device, code):
        return False
    if kind:
        SecondFactorEvent.objects.create(kind=kind, person=user, actor=user)
    session_verify(request, device)
    return True


def session_verify(request, device) -> None:
    """Mark this session as verified by ``device``, under a new session key (no fixation across the step)."""
    request.session.cycle_key()
    otp_login(request, device)


def session_is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", lambda: False)())


# --- A site admin's reset ----------------------------------------------------------------------------------


@transaction.atomic
def second_factor_reset(*, actor: User, person: User) -> None:
    """Remove ``person``'s app and recovery codes (they set up again at their next sign-in), record who did it
    and email the person. Their sessions verified by the old app stop being verified at their next request.
    """
    from notifications.outbox import absolute_url, email_enqueue

    if not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionError("Only a site admin can reset someone's two-factor sign-in.")
    TOTPDevice.objects.filter(user=person).delete()
    RecoveryCodeDevice.objects.filter(user=person).delete()
    event = SecondFactorEvent.objects.create(kind=SecondFactorEventKind.RESET, person=person, actor=actor)
    email_enqueue(
        dedupe_key=f"second_factor_reset:{event.pk}",
        template="second_factor_reset",
        to_email=person.email,
        recipient=person,
        context={
            "sign_in_url": absolute_url(reverse("accounts:login")),
            "reset_at": event.at,
        },
    )
