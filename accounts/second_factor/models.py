"""Recovery codes (hashed, single use) and the record of changes to a person's second factor.

The authenticator app itself is django-otp's ``TOTPDevice`` (its secret must be readable to check a code, as in
every TOTP service). django-otp's own static device keeps its tokens in plain text, so recovery codes are a
device of ours that keeps only a SHA-256 of each code: a code is 80 random bits, so a hash without a salt is
enough, and a database leak does not give anyone a way in.
"""

import hashlib

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin


def recovery_code_hash(code: str) -> str:
    """The stored form of a recovery code; spaces, dashes and case do not matter."""
    normalised = "".join(ch for ch in str(code).lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A person's set of recovery codes. Each code works once; failures are throttled like the app's codes."""

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        # Deleting the row is what makes the code single use: two requests racing with it cannot both succeed.
        used, _ = self.codes.filter(code_hash=recovery_code_hash(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False

    class Meta(Device.Meta):
        verbose_name = "recovery code set"


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, related_name="codes", on_delete=models.CASCADE)
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique")]

    def __str__(self):
        return "A recovery code (stored hashed)"


class SecondFactorEventKind(models.TextChoices):
    SET_UP = "set_up", "Set up an authenticator app"
    REPLACED = "replaced", "Replaced their authenticator app"
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", "Got new recovery codes"
    RECOVERY_CODE_USED = "recovery_code_used", "Signed in with a recovery code"
    RESET = "reset", "Second factor reset by a site admin"


class SecondFactorEvent(models.Model):
    """Who changed whose second factor, and when. Deleted with the person's account; an admin who made a change
    and has left is no longer named."""

    kind = models.CharField(max_length=30, choices=SecondFactorEventKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="second_factor_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="second_factor_changes_made",
        help_text="Who did it: the person themselves, or the site admin who reset it.",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "two-factor sign-in change"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d %B %Y %H:%M})"


class SecondFactorFailure(models.Model):
    """A wrong code, counted per person and address (``SECOND_FACTOR_FAILURE_LIMIT``). Rows older than the
    cool-off are deleted whenever that person fails again or succeeds, so nothing here outlives 15 minutes by much.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ip_address", "at"], name="second_factor_failure_recent")]

    def __str__(self):
        return f"A wrong code ({self.at:%d %B %Y %H:%M})"
