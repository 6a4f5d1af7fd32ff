"""The email outbox: write a row with the change that causes it, deliver it after commit.

PostgreSQL (not the broker) is the record of what must be sent. A Celery task delivers a row
after commit; if the broker is down, the beat sweep finds the row later. Delivery claims the
row with a conditional UPDATE, so two workers can never both send it.
"""

import logging
import random
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from accounts.models import EmailCategory, EmailStatus, OutboundEmail, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
# A row left in "sending" longer than this belonged to a worker that died mid-send.
STALE_CLAIM_AFTER = timedelta(minutes=10)


def email_enqueue(
    *,
    dedupe_key: str,
    template: str,
    to_email: str,
    context: dict,
    recipient: User | None = None,
    category: str = EmailCategory.TRANSACTIONAL,
) -> OutboundEmail:
    """Render ``templates/emails/<template>/`` and store it once per ``dedupe_key``; deliver after commit.

    Must be called inside the transaction that makes the change, so a rollback sends nothing.
    """
    existing = OutboundEmail.objects.filter(dedupe_key=dedupe_key).first()
    if existing:
        return existing
    context = {"site_url": settings.SITE_URL, "recipient": recipient, **context}
    subject = _render_plain(f"emails/{template}/subject.txt", context)
    email = OutboundEmail(
        dedupe_key=dedupe_key,
        template=template,
        category=category,
        recipient=recipient,
        to_email=to_email,
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}",
        body_text=_render_plain(f"emails/{template}/body.txt", context).strip() + "\n",
        body_html=render_to_string(f"emails/{template}/body.html", context),
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # A concurrent transaction wrote the same event first: theirs is the one that counts.
        return OutboundEmail.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return email


def _render_plain(template_name: str, context: dict) -> str:
    """Plain-text templates must not HTML-escape: "Health & Care" stays as written."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _enqueue_delivery(email_id: int) -> None:
    from accounts.tasks import deliver_email_task

    try:
        deliver_email_task.delay(email_id)
    except Exception:  # noqa: BLE001 — broker down: the sweep will deliver it
        logger.warning("Could not enqueue email %s; the outbox sweep will deliver it", email_id, exc_info=True)


def _claim(email_id: int) -> bool:
    now = timezone.now()
    due = Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    return bool(
        OutboundEmail.objects.filter(due, pk=email_id).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def backoff_delay(attempt: int) -> timedelta:
    """Exponential backoff with full jitter: up to 30 s, 1 min, 2 min, ... for attempts 1, 2, 3..."""
    ceiling = BACKOFF_BASE_SECONDS * (2 ** (attempt - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def email_deliver(*, email_id: int, connection=None) -> str:
    """Send one outbox row if it is due and nobody else holds it. Returns the row's status afterwards."""
    if not _claim(email_id):
        return OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers={"X-Outbox-Id": str(email.pk)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        _send(message, connection)
    except Exception as error:  # noqa: BLE001 — any transport failure is retried
        failed = email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.FAILED if failed else EmailStatus.PENDING,
            next_attempt_at=timezone.now() + backoff_delay(email.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("Email %s attempt %s failed: %s", email.pk, email.attempts, error)
        return EmailStatus.FAILED if failed else EmailStatus.PENDING
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
    return EmailStatus.SENT


# One open mail connection per worker process, reused across deliveries: opening an SMTP session per
# message would cap a worker at a few dozen emails a second.
_shared: dict = {}


def _send(message, connection=None) -> None:
    if connection is not None:
        connection.send_messages([message])
        return
    key = repr(settings.MAILERS.get("default"))
    mailer = _shared.get(key)
    try:
        if mailer is None:
            mailer = _shared[key] = mailers.default
            mailer.open()
        mailer.send_messages([message])
    except (smtplib.SMTPException, OSError):
        # The server may have closed an idle session: drop it and try once on a fresh one.
        _close_shared()
        mailer = _shared[key] = mailers.default
        mailer.open()
        mailer.send_messages([message])


def _close_shared() -> None:
    for mailer in _shared.values():
        try:
            mailer.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken session is best effort
            pass
    _shared.clear()


def emails_due(*, limit: int = 500) -> list[int]:
    """Ids of rows waiting to be sent now, or abandoned mid-send by a dead worker."""
    now = timezone.now()
    due = Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    return list(OutboundEmail.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def email_resend(*, email: OutboundEmail) -> None:
    """Give a failed email a fresh set of attempts (site admins, from the outbox admin)."""
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
