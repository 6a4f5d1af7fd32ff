"""Sign-in throttling on top of django-axes: who counts as the same person, and when sign-in stops.

The rules (ADR "Sign-in lockout"):

* The email address is the username, normalised the way accounts store it (trimmed, lower case, NFKC), for both
  signing in and counting failures: ``Victim@x``, ``vIctim@x`` and `` victim@x `` are one account and one count.
* 5 failures for one account from one IP address within 15 minutes stop sign-in to that account from that
  address for 15 minutes (``AXES_FAILURE_LIMIT``, counted by axes on ``[username, ip_address]``). The owner
  elsewhere is unaffected, and is emailed a link that lifts the lock at once.
* ``SIGN_IN_FAILURES_PER_IP`` failures (default 50) from one IP address within 15 minutes, whatever the accounts,
  stop sign-in from that address: one person cannot try a few passwords on each of many accounts. The limit is
  high because a college's students share one address; someone who opens an unlock link on their device gets
  past this limit from then on (a signed cookie naming their account), so a guesser on the same network cannot
  keep a real user out.
"""

import unicodedata
from dataclasses import dataclass

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.core import signing
from django.db.models import Max, Sum
from django.utils.crypto import constant_time_compare, salted_hmac

UNLOCK_COOKIE = "signin_unlocked"
UNLOCK_COOKIE_SALT = "accounts.signin.unlocked-cookie"
UNLOCK_TOKEN_SALT = "accounts.signin.unlock-link"


def normalise_username(value) -> str:
    """The form of an email address that sign-in and its failure count agree on."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().lower()


def axes_username(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the normalised address from the credentials, or from the posted form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else None
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get(field)
    if value is None:
        return None
    # AccessAttempt.username holds 255 characters; nobody's address is longer than 254.
    return normalise_username(value)[:255]


def client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the address that sent the request.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appends the address it received from to
    X-Forwarded-For, so the client is that many entries from the right; anything further left was written by
    the client and is not trusted. With no proxy, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def unlocked_username(request) -> str | None:
    """The account this browser was given the right to sign in for by an unlock link, if any."""
    if UNLOCK_COOKIE not in request.COOKIES:
        return None
    return request.get_signed_cookie(
        UNLOCK_COOKIE,
        default=None,
        salt=UNLOCK_COOKIE_SALT,
        max_age=settings.SIGN_IN_UNLOCK_COOKIE_DAYS * 24 * 60 * 60,
    )


def remember_unlock(response, *, username: str) -> None:
    response.set_signed_cookie(
        UNLOCK_COOKIE,
        normalise_username(username),
        salt=UNLOCK_COOKIE_SALT,
        max_age=settings.SIGN_IN_UNLOCK_COOKIE_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _state_digest(email: str, unlocked_at) -> str:
    # The link names the address by a keyed digest: signed data is only encoded, and links end up in logs. It also
    # hashes when a link last lifted the locks, like a password reset token hashes last_login: a link works once.
    state = f"{normalise_username(email)}|{unlocked_at.isoformat() if unlocked_at else ''}"
    return salted_hmac(UNLOCK_TOKEN_SALT, state, algorithm="sha256").hexdigest()[:20]


@dataclass(frozen=True)
class UnlockToken:
    user_pk: int
    # The newest failure record when the link was sent: the link lifts locks recorded up to it, not later ones.
    last_attempt_pk: int


def make_unlock_token(user) -> str:
    """A link token for ``user``: valid for ``SIGN_IN_UNLOCK_VALID_HOURS``, once, and only while the address is
    theirs. It lifts only the locks that were there when it was sent: axes keeps one row per account, address and
    browser (a failure during the lock updates it), so the link remembers the newest row then, not a time."""
    newest = AccessAttempt.objects.aggregate(newest=Max("pk"))["newest"] or 0
    payload = {"u": user.pk, "a": _state_digest(user.email, user.sign_in_unlocked_at), "r": newest}
    return signing.dumps(payload, salt=UNLOCK_TOKEN_SALT)


def read_unlock_token(token: str, *, state_of) -> UnlockToken | None:
    """What the token says, or None if it is forged, expired, already used or the address has changed.

    ``state_of(pk)`` returns the active user's ``(email, sign_in_unlocked_at)``, or None.
    """
    try:
        data = signing.loads(token, salt=UNLOCK_TOKEN_SALT, max_age=settings.SIGN_IN_UNLOCK_VALID_HOURS * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(key), int) for key in ("u", "r")):
        return None
    state = state_of(data["u"])
    if not state or not state[0] or not constant_time_compare(_state_digest(*state), str(data.get("a"))):
        return None
    return UnlockToken(user_pk=data["u"], last_attempt_pk=data["r"])


def failures_from_ip(request) -> int:
    """Failed sign-ins from the request's IP address, for any account, within the cool-off period."""
    if not getattr(request, "axes_ip_address", None):
        return 0
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInLockHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-IP limit, which an unlock link on this browser lifts for its owner."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.is_ip_locked(request, credentials)

    def is_ip_locked(self, request, credentials=None) -> bool:
        username = axes_username(request, credentials)
        if username and unlocked_username(request) == username:
            return False
        return failures_from_ip(request) >= settings.SIGN_IN_FAILURES_PER_IP

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_ip_locked(request, credentials):
            # Answer with the lockout page, as axes does for its own limit; the signal says it was the address.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.sign_in_locked_by_ip = True
            user_locked_out.send(
                "accounts.signin", request=request, username=axes_username(request, credentials), ip_address=None
            )
