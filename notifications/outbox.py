"""The email outbox: write a row with the change that causes it, deliver it after commit.

PostgreSQL (not the broker) is the record of what must be sent. A Celery task delivers a row
after commit; if the broker is down, the beat sweep finds the row later. Delivery claims the
row with a conditional UPDATE, so two workers can never both send it.
"""

import logging
import random
import smtplib
import unicodedata
import uuid
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy
from email.utils import make_msgid
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from config.jobs import enqueue
from notifications.models import EmailCategory, EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
# A row left in "sending" longer than this belonged to a worker that died mid-send.
STALE_CLAIM_AFTER = timedelta(minutes=10)
# Emails per delivery task: enough to amortise the task and the mail session, small enough to spread over workers.
BATCH_SIZE = 50


def email_enqueue(
    *,
    dedupe_key: str,
    template: str,
    to_email: str,
    context: dict,
    recipient: AbstractBaseUser | None = None,
    category: str = EmailCategory.TRANSACTIONAL,
) -> OutboundEmail:
    """Render ``templates/emails/<template>/`` and store it once per ``dedupe_key``; deliver after commit.

    Must be called inside the transaction that makes the change, so a rollback sends nothing.
    """
    existing = OutboundEmail.objects.filter(dedupe_key=dedupe_key).first()
    if existing:
        return existing
    email = _compose(
        dedupe_key=dedupe_key,
        template=template,
        to_email=to_email,
        context=context,
        recipient=recipient,
        category=category,
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # A concurrent transaction wrote the same event first: theirs is the one that counts.
        return OutboundEmail.objects.get(dedupe_key=dedupe_key)
    _schedule_delivery(email.pk)
    return email


def _compose(*, dedupe_key, template, to_email, context, recipient, category) -> OutboundEmail:
    """The unsaved outbox row: subject, text and HTML rendered, and the exact MIME bytes built."""
    context = {"site_url": settings.SITE_URL, "recipient": recipient, **context}
    subject = _render_plain(f"emails/{template}/subject.txt", context)
    email = OutboundEmail(
        dedupe_key=dedupe_key,
        template=template,
        category=category,
        recipient=recipient,
        to_email=to_email,
        subject=_fit_subject(f"{settings.EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}"),
        body_text=_render_plain(f"emails/{template}/body.txt", context).strip() + "\n",
        body_html=render_to_string(f"emails/{template}/body.html", context),
    )
    email.raw_message = _build(email).message(policy=email_policy.SMTP).as_bytes()
    return email


def _fit_subject(subject: str) -> str:
    """Subjects quote names people choose (organisations, sites, opportunities): cut to fit the column, with an
    ellipsis, rather than fail to write the row and, with it, the change that sends it."""
    limit = OutboundEmail._meta.get_field("subject").max_length
    return subject if len(subject) <= limit else subject[: limit - 1].rstrip() + "…"


class _Rehearsal(Exception):
    """Rolls back a row written only to take the time that writing it takes."""


def email_enqueue_in_constant_work(
    *,
    dedupe_key: str,
    template: str,
    to_email: str,
    context: dict,
    recipient: AbstractBaseUser | None,
    max_per_hour: int | None = None,
) -> OutboundEmail | None:
    """``email_enqueue`` for an email whose sending must not show in the response time, because it would tell a
    stranger whether an address has an account (password reset, unlock links, "you already have an account").

    ``recipient=None`` means there is no account. Every case does the same work (one look-up, render and build,
    one insert) and keeps the row only for a real recipient the first time within the dedupe window; otherwise
    the insert is rolled back and nothing is sent. Returns the stored row, or None.

    ``max_per_hour``: also nothing is sent once that many of ``template`` went to ``to_email`` in the last hour
    (counted in every case, so the count does not show in the time either): anyone can ask for these emails.
    """
    existing = OutboundEmail.objects.filter(dedupe_key=dedupe_key).first()
    keep = recipient is not None and existing is None
    if max_per_hour is not None:
        recent = OutboundEmail.objects.filter(
            template=template, to_email=to_email, created_at__gte=timezone.now() - timedelta(hours=1)
        ).count()
        keep = keep and recent < max_per_hour
    email = _compose(
        dedupe_key=dedupe_key if keep else f"rehearsal:{uuid.uuid4()}",
        template=template,
        to_email=to_email,
        context=context,
        recipient=recipient,
        category=EmailCategory.TRANSACTIONAL,
    )
    try:
        with transaction.atomic():
            email.save()
            if not keep:
                raise _Rehearsal
    except _Rehearsal:
        return existing
    except IntegrityError:
        return OutboundEmail.objects.get(dedupe_key=dedupe_key)
    _schedule_delivery(email.pk)
    return email


def absolute_url(path: str) -> str:
    """A link for an email: the site's public address plus ``path``."""
    return f"{settings.SITE_URL}{path}"


# Characters a name may keep when quoted to someone else; everything else (dots, slashes, @, digits, symbols,
# newlines) becomes a space, so a "name" cannot read or auto-link as a web or email address in a mail client.
NAME_PUNCTUATION = " -'’"
NAME_AS_DATA_MAX_LENGTH = 40


def name_as_data(value: str) -> str:
    """A name someone typed about themselves, fit to quote as data in an email to somebody else.

    Letters, accents, spaces, hyphens and apostrophes only, on one line, at most 40 characters. Use it inside
    quotation marks in the body ('a student who gave their name as "…"') and never in a subject line.
    """
    kept = "".join(
        char if unicodedata.category(char)[0] in "LM" or char in NAME_PUNCTUATION else " "
        for char in unicodedata.normalize("NFKC", value or "")
    )
    name = " ".join(kept.split())
    if len(name) > NAME_AS_DATA_MAX_LENGTH:
        name = name[: NAME_AS_DATA_MAX_LENGTH - 1].rstrip() + "…"
    return name or "(no name)"


def _render_plain(template_name: str, context: dict) -> str:
    """Plain-text templates must not HTML-escape: "Health & Care" stays as written."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


class _DeliveryBatch:
    """The emails one transaction wrote: published as a few tasks after it commits, not one task each."""

    def __init__(self):
        self.ids: list[int] = []

    def flush(self) -> None:
        for start in range(0, len(self.ids), BATCH_SIZE):
            _enqueue_delivery(self.ids[start : start + BATCH_SIZE])


def _schedule_delivery(email_id: int) -> None:
    """Deliver after the surrounding transaction commits (at once when there is none)."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_outbox_batch", None)
    # A rolled-back savepoint drops its callbacks; then this batch is dead and a new one starts.
    if batch is not None and any(func == batch.flush for _, func, _ in connection.run_on_commit):
        batch.ids.append(email_id)
        return
    batch = connection._outbox_batch = _DeliveryBatch()
    batch.ids.append(email_id)
    transaction.on_commit(batch.flush)


def _enqueue_delivery(email_ids: list[int]) -> None:
    try:
        enqueue("notifications.tasks.deliver_emails_task", email_ids)
    except Exception:  # noqa: BLE001 — broker down: the sweep will deliver them
        logger.warning("Could not enqueue emails %s; the outbox sweep will deliver them", email_ids, exc_info=True)


def _due(now) -> Q:
    return Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )


def _claim(email_ids: list[int]) -> list[OutboundEmail]:
    """Take the due rows among ``email_ids`` for this worker (one UPDATE); rows someone else holds are skipped."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(_due(now), pk__in=email_ids).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return []
    return list(OutboundEmail.objects.filter(pk__in=email_ids, status=EmailStatus.SENDING, claimed_at=now))


def backoff_delay(attempt: int) -> timedelta:
    """Exponential backoff with full jitter: up to 30 s, 1 min, 2 min, ... for attempts 1, 2, 3..."""
    ceiling = BACKOFF_BASE_SECONDS * (2 ** (attempt - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def email_deliver(*, email_id: int, connection=None) -> str:
    """Send one outbox row if it is due and nobody else holds it. Returns the row's status afterwards."""
    return emails_deliver(email_ids=[email_id], connection=connection).get(email_id) or (
        OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
    )


def emails_deliver(*, email_ids: list[int], connection=None) -> dict[int, str]:
    """Send the due rows among ``email_ids`` over one mail session; returns {id: status} for those it claimed.

    Each row is marked sent right after the server accepts it, so a crash loses at most the mark of one message
    (the duplicate window in ADR 0003), never a message.
    """
    outcomes = {}
    for email in _claim(email_ids):
        outcomes[email.pk] = _deliver_claimed(email, connection)
    return outcomes


def _build(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers={
            "Message-ID": make_msgid(domain=urlparse(settings.SITE_URL).hostname or "localhost"),
            "X-Outbox-Key": email.dedupe_key[:200],
        },
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def _deliver_claimed(email: OutboundEmail, connection) -> str:
    try:
        _send(email, connection)
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


def _send(email: OutboundEmail, connection=None) -> None:
    if connection is not None:
        connection.send_messages([_build_from_row(email)])
        return
    key = repr(settings.MAILERS.get("default"))
    try:
        _send_on(_shared_mailer(key), email)
    except (smtplib.SMTPException, OSError):
        # The server may have closed an idle session: drop it and try once on a fresh one.
        _close_shared()
        _send_on(_shared_mailer(key), email)


def _shared_mailer(key: str):
    mailer = _shared.get(key)
    if mailer is None:
        mailer = _shared[key] = mailers.default
        mailer.open()
    return mailer


def _send_on(mailer, email: OutboundEmail) -> None:
    """SMTP gets the stored bytes as they are; other transports (console, files, tests) get an equivalent message."""
    if isinstance(mailer, SMTPBackend) and email.raw_message:
        if mailer.connection is None:
            mailer.open()
        mailer.connection.sendmail(settings.DEFAULT_FROM_EMAIL, [email.to_email], bytes(email.raw_message))
    else:
        mailer.send_messages([_build_from_row(email)])


def _build_from_row(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message for non-SMTP transports, carrying the stored Message-ID so every transport agrees."""
    message = _build(email)
    if email.raw_message:
        stored = message_from_bytes(bytes(email.raw_message))
        message.extra_headers["Message-ID"] = stored["Message-ID"]
    return message


def _close_shared() -> None:
    for mailer in _shared.values():
        try:
            mailer.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken session is best effort
            pass
    _shared.clear()


def emails_due(*, limit: int = 5000) -> list[int]:
    """Ids of rows waiting to be sent now, or abandoned mid-send by a dead worker."""
    due = OutboundEmail.objects.filter(_due(timezone.now())).order_by("next_attempt_at")
    return list(due.values_list("pk", flat=True)[:limit])


def email_resend(*, email: OutboundEmail) -> None:
    """Give a failed email a fresh set of attempts (site admins, from the outbox admin)."""
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    _schedule_delivery(email.pk)
