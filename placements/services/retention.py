"""The privacy notice's retention periods, kept by code: one function per rule (ADR 0009).

Every period is a number of days in ``settings.RETENTION``; the privacy notice renders the same numbers. Each
function takes ``now`` (so a test, or a dry run, can ask what would go at a given moment), works in batches of
``BATCH_SIZE`` rows so a backlog of 100,000 never sits in memory, is safe to run twice, and returns how many rows
it removed, anonymised or emailed (or, with ``dry_run``, would have).

Data exactly at its limit stays: a row goes once it is older than the period, not when it reaches it.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, ProtectedError, Q, QuerySet, RestrictedError
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role, User
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import absolute_url, email_enqueue
from placements.models import AnonymisedReason, Application, GuardianConsent
from placements.services.personal_data import accounts_delete, applications_anonymise, student_erase
from placements.templatetags.retention import days_in_words

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
WARNING_TEMPLATE = "account_inactive_warning"
WARNING_KEY_PREFIX = f"{WARNING_TEMPLATE}:user:"


def period(name: str) -> timedelta:
    return timedelta(days=settings.RETENTION[name])


def _in_batches(queryset: QuerySet, handle: Callable[[list], int], *, dry_run: bool) -> int:
    """Call ``handle`` with the ids of ``queryset`` in ascending batches; return the sum of what it reports.

    A dry run counts the ids instead. Walking by id (not re-running the query from the start) means a row that
    cannot go never loops forever.
    """
    done, batch = 0, queryset.order_by("pk")
    while True:
        ids = list(batch.values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return done
        done += len(ids) if dry_run else _guarded(handle, ids)
        batch = queryset.filter(pk__gt=ids[-1]).order_by("pk")


def _guarded(handle: Callable[[list], int], ids: list) -> int:
    """One batch in its own transaction: a row something else still protects is logged and skipped (tomorrow's run
    tries again), instead of stopping every other rule."""
    try:
        with transaction.atomic():
            return handle(ids)
    except (ProtectedError, RestrictedError, IntegrityError):
        logger.exception("Retention could not remove ids %s..%s; skipped this batch", ids[0], ids[-1])
        return 0


def _delete(model):
    def handle(ids: list) -> int:
        return model.objects.filter(pk__in=ids).delete()[1].get(model._meta.label, 0)

    return handle


# --- Accounts ---


def unverified_accounts_delete(*, now: datetime, dry_run: bool = False) -> int:
    """Delete student accounts whose email address was never confirmed, once older than their period."""
    stale = User.objects.filter(
        role=Role.STUDENT,
        email_verified_at__isnull=True,
        date_joined__lt=now - period("unverified_accounts"),
        applications__isnull=True,
    )
    return _in_batches(stale, lambda ids: accounts_delete(user_ids=ids), dry_run=dry_run)


def _with_last_active(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(last_active=Coalesce("last_login", "date_joined", output_field=DateTimeField()))


def _warning_key(user_id: int, last_active: datetime) -> str:
    # Names the stretch of inactivity it warns about: signing in starts a new stretch, which needs a new warning.
    return f"{WARNING_KEY_PREFIX}{user_id}:{int(last_active.timestamp())}"


# The inactivity rule covers every account except site admins, who are reviewed by hand: deleting the last one
# would lock everyone out of the admin.
def _inactive(*, before: datetime) -> QuerySet:
    return _with_last_active(User.objects.exclude(role=Role.ADMIN).exclude(is_superuser=True)).filter(
        last_active__lt=before
    )


def inactive_accounts_warn(*, now: datetime, dry_run: bool = False) -> int:
    """Email everyone whose account will be deleted for inactivity within the warning period; once per stretch.

    The email gives the date: the end of the inactivity period, or a full warning period from now if this
    warning is late (the job was off), since deletion waits for a warning that old.
    """
    due = _inactive(before=now - (period("inactive_accounts") - period("inactive_account_warning")))

    def handle(ids: list[int]) -> int:
        people = list(_with_last_active(User.objects.filter(pk__in=ids)))
        keys = {person.pk: _warning_key(person.pk, person.last_active) for person in people}
        already = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        if dry_run:
            return sum(key not in already for key in keys.values())
        sent = 0
        for person in people:
            if keys[person.pk] in already:
                continue
            delete_on = max(person.last_active + period("inactive_accounts"), now + period("inactive_account_warning"))
            with transaction.atomic():
                email_enqueue(
                    dedupe_key=keys[person.pk],
                    template=WARNING_TEMPLATE,
                    to_email=person.email,
                    recipient=person,
                    context={
                        "person": person,
                        "last_active": person.last_active,
                        "delete_on": delete_on,
                        "login_url": absolute_url(reverse("accounts:login")),
                    },
                )
            sent += 1
        return sent

    # ``handle`` itself knows a dry run: only it can tell who was warned already.
    return _in_batches(due, handle, dry_run=False)


def _warned_long_enough(people: list[User], *, now: datetime) -> list[User]:
    keys = {_warning_key(person.pk, person.last_active): person for person in people}
    warned = OutboundEmail.objects.filter(
        dedupe_key__in=keys, created_at__lte=now - period("inactive_account_warning")
    ).values_list("dedupe_key", flat=True)
    return [keys[key] for key in warned]


def inactive_accounts_delete(*, now: datetime, dry_run: bool = False) -> int:
    """Delete accounts nobody has signed in to for their period, if warned at least the warning period ago.

    Students go through erasure (open applications withdrawn, anonymous counts kept); staff accounts are deleted
    with the emails to them, their sign-in records and their invitations.
    """
    stale = _inactive(before=now - period("inactive_accounts"))

    def handle(ids: list[int]) -> int:
        people = _warned_long_enough(list(_with_last_active(User.objects.filter(pk__in=ids))), now=now)
        if dry_run:
            return len(people)
        reason = f"Account deleted: nobody signed in to it for {days_in_words(settings.RETENTION['inactive_accounts'])}"
        deleted = 0
        for person in people:
            deleted += _guarded(lambda ids, person=person: _inactive_account_delete(person, reason=reason), [person.pk])
        return deleted

    # ``handle`` itself knows a dry run: only it can tell who was warned long enough ago.
    return _in_batches(stale, handle, dry_run=False)


def _inactive_account_delete(person: User, *, reason: str) -> int:
    # Someone who signs in while the job runs keeps their account.
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None or (locked.last_login or locked.date_joined) != person.last_active:
        return 0
    if locked.role == Role.STUDENT:
        student_erase(user=locked, reason=reason)
    else:
        accounts_delete(user_ids=[locked.pk])
    return 1


# --- Applications ---


def closed_round_applications_anonymise(*, now: datetime, dry_run: bool = False) -> int:
    """Anonymise every application of a round whose last placement date is older than the period."""
    last_day = timezone.localdate(now) - period("closed_round_applications")
    closed = Application.objects.filter(round__placements_to__lt=last_day)

    def handle(ids: list[int]) -> int:
        with transaction.atomic():
            applications = (
                Application.objects.select_for_update(of=("self",))
                .filter(pk__in=ids)
                .select_related("round", "widening_participation")
            )
            return applications_anonymise(applications=applications, reason=AnonymisedReason.RETENTION)

    return _in_batches(closed, handle, dry_run=dry_run)


# --- Emails ---


def _emails_older_than(now: datetime) -> QuerySet:
    return OutboundEmail.objects.filter(created_at__lt=now - period("email_bodies"))


def email_bodies_purge(*, now: datetime, dry_run: bool = False) -> int:
    """Blank the text of sent emails older than the period, and delete older failed ones and those to people
    without an account (invitations) that no application needs.

    A sent email's row stays, without its text, as the record of what we told whom; it goes with the account
    or the application. Emails still waiting to be sent are left alone.
    """
    old = _emails_older_than(now).exclude(status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
    unneeded = Q(status=EmailStatus.FAILED) | Q(recipient__isnull=True) & ~Q(dedupe_key__contains=":application:")
    deleted = _in_batches(old.filter(unneeded), _delete(OutboundEmail), dry_run=dry_run)
    with_text = (
        old.filter(status=EmailStatus.SENT).exclude(unneeded).exclude(body_text="", body_html="", raw_message=b"")
    )

    def blank(ids: list[int]) -> int:
        return OutboundEmail.objects.filter(pk__in=ids).update(body_text="", body_html="", raw_message=b"")

    return deleted + _in_batches(with_text, blank, dry_run=dry_run)


# --- Sign-in records ---


def sign_in_logs_purge(*, now: datetime, dry_run: bool = False) -> int:
    """Delete sign-in records (failed attempts, lockouts, sign-ins) older than the period."""
    cutoff = now - period("sign_in_logs")
    return sum(
        _in_batches(model.objects.filter(attempt_time__lt=cutoff), _delete(model), dry_run=dry_run)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def expired_sessions_delete(*, now: datetime, dry_run: bool = False) -> int:
    """Delete sign-in sessions that have expired (Django never does by itself): no period, they are useless."""
    return _in_batches(Session.objects.filter(expire_date__lt=now), _delete(Session), dry_run=dry_run)


# --- Links ---


def expired_tokens_delete(*, now: datetime, dry_run: bool = False) -> int:
    """Delete staff invitations and guardian-consent requests nobody used, once expired (or revoked) for longer
    than the period. Used ones stay: an accepted invitation records how someone joined, a given consent is
    evidence kept with its application."""
    cutoff = now - period("expired_tokens")
    invitations = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    )
    consents = GuardianConsent.objects.filter(given_at__isnull=True, expires_at__lt=cutoff)
    return _in_batches(invitations, _delete(Invitation), dry_run=dry_run) + _in_batches(
        consents, _delete(GuardianConsent), dry_run=dry_run
    )


# Order matters a little: warn before deleting, so a deletion run never sees an account the same run warned.
RULES = {
    "unverified_accounts_deleted": unverified_accounts_delete,
    "inactive_accounts_warned": inactive_accounts_warn,
    "inactive_accounts_deleted": inactive_accounts_delete,
    "closed_round_applications_anonymised": closed_round_applications_anonymise,
    "email_bodies_purged": email_bodies_purge,
    "sign_in_logs_deleted": sign_in_logs_purge,
    "expired_sessions_deleted": expired_sessions_delete,
    "expired_tokens_deleted": expired_tokens_delete,
}


def retention_enforce(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Apply every retention rule once; log and return how many rows each touched (or would touch)."""
    now = now or timezone.now()
    counts = {name: rule(now=now, dry_run=dry_run) for name, rule in RULES.items()}
    logger.info(
        "Retention %s: %s",
        "dry run" if dry_run else "enforced",
        " ".join(f"{name}={count}" for name, count in counts.items()),
        extra={"retention": counts, "dry_run": dry_run},
    )
    return counts
