"""The email outbox: one row per email, written with the change that causes it (ADR 0003, ADR 0014)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailCategory(models.TextChoices):
    TRANSACTIONAL = "transactional", "About something you did or need to do"
    DIGEST = "digest", "Digest or reminder you can switch off"


class OutboundEmail(models.Model):
    """One email to one person: written in the transaction that causes it, delivered after commit.

    ``dedupe_key`` names (event, object, recipient), so repeating the cause never makes a second row.
    The row is the audit of what we told whom; see ADR 0003 for the delivery states.
    """

    dedupe_key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=80, help_text="Name of the template folder under templates/emails/.")
    category = models.CharField(max_length=20, choices=EmailCategory.choices, default=EmailCategory.TRANSACTIONAL)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The exact message (MIME, with a fixed Message-ID) built once when queued: every attempt sends the same
    # bytes, so a receiving server can recognise a repeat, and the row records precisely what was sent.
    raw_message = models.BinaryField(default=b"", editable=False)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EmailStatus.values), name="outbox_status_valid"),
        ]
        verbose_name = "outbound email"

    def __str__(self):
        return f"{self.subject} → {self.to_email}"
