"""Each retention period of the privacy notice, enforced: data one day older than its period goes, data one day
younger stays (ADR 0009). Services take ``now``, so no clock is frozen."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import Invitation, User
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import email_enqueue
from placements.models import (
    AgeBand,
    AnonymisedApplication,
    AnonymisedReason,
    Application,
    GuardianConsent,
    Placement,
    StatusChange,
    WideningParticipation,
)
from placements.services import retention
from placements.workflow import Status
from tests.factories import AdminFactory, CohortFactory, CoordinatorFactory, RoundFactory, StudentFactory
from tests.placements.helpers import make_application
from tests.placements.personal_data_scan import assert_nothing_left

DAY = timedelta(days=1)


def days(name: str) -> timedelta:
    return timedelta(days=settings.RETENTION[name])


@pytest.fixture
def now():
    return timezone.now()


# --- Unverified accounts ---


@pytest.mark.django_db
def test_unverified_account_goes_a_day_after_its_period_and_stays_a_day_before(now):
    older = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") - DAY)
    younger = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") + DAY)
    verified = StudentFactory(date_joined=now - days("unverified_accounts") - DAY)
    email_enqueue(
        dedupe_key=f"student_verify_email:user:{older.pk}",
        template="student_verify_email",
        to_email=older.email,
        recipient=older,
        context={"verify_url": "https://example.test/verify", "valid_hours": 2},
    )

    assert retention.unverified_accounts_delete(now=now) == 1

    assert set(User.objects.values_list("pk", flat=True)) == {younger.pk, verified.pk}
    assert not OutboundEmail.objects.filter(to_email=older.email).exists()
    assert retention.unverified_accounts_delete(now=now) == 0


# --- Inactive accounts: warned, then deleted ---


def _inactive_for(delta: timedelta, now, factory=StudentFactory, **fields):
    return factory(last_login=now - delta, date_joined=now - delta - 10 * DAY, **fields)


@pytest.mark.django_db
def test_inactive_account_is_warned_a_warning_period_before_its_deletion_and_only_once(now):
    due_in = days("inactive_accounts") - days("inactive_account_warning")
    warned = _inactive_for(due_in + DAY, now)
    not_yet = _inactive_for(due_in - DAY, now)
    never_signed_in = StudentFactory(last_login=None, date_joined=now - due_in - DAY)
    admin = _inactive_for(days("inactive_accounts") * 2, now, factory=AdminFactory)

    assert retention.inactive_accounts_warn(now=now) == 2
    assert retention.inactive_accounts_warn(now=now) == 0

    emails = OutboundEmail.objects.filter(template=retention.WARNING_TEMPLATE)
    assert set(emails.values_list("recipient", flat=True)) == {warned.pk, never_signed_in.pk}
    assert not emails.filter(recipient__in=[not_yet, admin]).exists()
    email = emails.get(recipient=warned)
    # Warned late (a day into the warning period), so the deletion date moves to a full warning period from now.
    delete_on = timezone.localdate(
        max(warned.last_login + days("inactive_accounts"), now + days("inactive_account_warning"))
    )
    assert f"{delete_on.day} {delete_on:%B %Y}" in email.subject and "sign in before" in email.body_text
    assert "2 years" in email.body_text


@pytest.mark.django_db
def test_inactive_account_goes_a_day_after_its_period_once_warned_long_enough(now):
    inactive = days("inactive_accounts")
    older = _inactive_for(inactive + DAY, now)
    younger = _inactive_for(inactive - DAY, now)
    unwarned = _inactive_for(inactive + DAY, now)
    warned_lately = _inactive_for(inactive + DAY, now)
    coordinator = _inactive_for(inactive + DAY, now, factory=CoordinatorFactory)
    retention.inactive_accounts_warn(now=now)
    warning_age = {
        older: days("inactive_account_warning") + DAY,
        younger: days("inactive_account_warning") + DAY,
        warned_lately: days("inactive_account_warning") - DAY,
        coordinator: days("inactive_account_warning") + DAY,
    }
    for person, age in warning_age.items():
        OutboundEmail.objects.filter(recipient=person).update(created_at=now - age)
    OutboundEmail.objects.filter(recipient=unwarned).delete()

    assert retention.inactive_accounts_delete(now=now, dry_run=True) == 2
    assert retention.inactive_accounts_delete(now=now) == 2

    remaining = set(User.objects.values_list("pk", flat=True))
    assert remaining == {younger.pk, unwarned.pk, warned_lately.pk}
    # The account that was never warned is warned now, with a full warning period to go.
    assert retention.inactive_accounts_warn(now=now) == 1
    assert retention.inactive_accounts_delete(now=now) == 0


@pytest.mark.django_db
def test_signing_in_again_starts_a_new_stretch_that_needs_a_new_warning(now):
    person = _inactive_for(days("inactive_accounts") + DAY, now)
    retention.inactive_accounts_warn(now=now)
    OutboundEmail.objects.filter(recipient=person).update(created_at=now - days("inactive_account_warning") - DAY)
    User.objects.filter(pk=person.pk).update(last_login=now - days("inactive_accounts") + 5 * DAY)

    assert retention.inactive_accounts_delete(now=now + 6 * DAY) == 0
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_someone_signing_in_while_the_job_runs_keeps_their_account(now, monkeypatch):
    person = _inactive_for(days("inactive_accounts") + DAY, now)
    retention.inactive_accounts_warn(now=now)
    OutboundEmail.objects.filter(recipient=person).update(created_at=now - days("inactive_account_warning") - DAY)
    selected = retention._warned_long_enough

    def then_sign_in(people, *, now):
        chosen = selected(people, now=now)
        User.objects.filter(pk=person.pk).update(last_login=now)
        return chosen

    monkeypatch.setattr(retention, "_warned_long_enough", then_sign_in)
    assert retention.inactive_accounts_delete(now=now) == 0
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_an_inactive_student_with_an_application_is_erased_keeping_anonymous_counts(now, college):
    student = _inactive_for(days("inactive_accounts") + DAY, now, organisation=college)
    application = make_application(student, age=17, phone="07700 900111")
    retention.inactive_accounts_warn(now=now)
    OutboundEmail.objects.filter(recipient=student).update(created_at=now - days("inactive_account_warning") - DAY)

    assert retention.inactive_accounts_delete(now=now) == 1

    assert not User.objects.filter(pk=student.pk).exists()
    kept = AnonymisedApplication.objects.get()
    assert kept.round_id == application.round_id and kept.reason == AnonymisedReason.ACCOUNT_DELETED
    assert_nothing_left(student.email, "07700 900111", application.reference)


# --- Applications of closed rounds ---


def _round_ended(last_day: date, name: str):
    return RoundFactory(
        name=name,
        applications_open_on=last_day - timedelta(days=120),
        applications_close_on=last_day - timedelta(days=90),
        matching_on=last_day - timedelta(days=85),
        outcomes_by=last_day - timedelta(days=80),
        placements_from=last_day - timedelta(days=60),
        placements_to=last_day,
    )


@pytest.fixture
def closed_rounds(now, college):
    today = timezone.localdate(now)
    older = _round_ended(today - days("closed_round_applications") - DAY, "Older round")
    younger = _round_ended(today - days("closed_round_applications") + DAY, "Younger round")
    return older, younger


def _placed_application(round_, college, *, secret: str, **fields):
    student = StudentFactory(organisation=college)
    application = make_application(student, round_=round_, **fields)
    Application.objects.filter(pk=application.pk).update(status=Status.COMPLETED, submitted_at=timezone.now())
    WideningParticipation.objects.filter(application=application).update(care_experienced="yes", young_carer="yes")
    cohort = CohortFactory(start_date=round_.placements_from, end_date=round_.placements_from + 4 * DAY)
    placement = Placement.objects.create(application=application, cohort=cohort, host_feedback=f"Feedback {secret}")
    StatusChange.objects.create(application=application, to_status=Status.COMPLETED, reason="Finished")
    GuardianConsent.objects.create(
        application=application,
        guardian_email=application.guardian_email,
        token_hash=f"hash-{application.pk}",
        expires_at=timezone.now(),
        given_at=timezone.now(),
        guardian_name=f"Guardian {secret}",
    )
    email_enqueue(
        dedupe_key=f"guardian_offer_made:placement:{placement.pk}:application:{application.pk}",
        template="guardian_consent_confirmed",
        to_email=application.guardian_email,
        context={"application": application, "student_name": f"Student {secret}"},
    )
    email_enqueue(
        dedupe_key=f"coordinator_offer_accepted:placement:{placement.pk}:user:1",
        template="guardian_consent_confirmed",
        to_email="coordinator@example.test",
        context={"application": application, "student_name": f"Student {secret}"},
    )
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_applications_go_a_day_after_their_rounds_period_leaving_counts_and_nothing_personal(
    now, college, closed_rounds
):
    older_round, younger_round = closed_rounds
    older = _placed_application(
        older_round,
        college,
        secret="Older",
        age=16,
        phone="07700 900222",
        access_needs="Hearing loop",
        home_district="SE5",
    )
    younger = _placed_application(younger_round, college, secret="Younger", age=17, guardian_email="carer@example.test")

    assert retention.closed_round_applications_anonymise(now=now, dry_run=True) == 1
    assert Application.objects.count() == 2
    assert retention.closed_round_applications_anonymise(now=now) == 1
    assert retention.closed_round_applications_anonymise(now=now) == 0

    assert list(Application.objects.values_list("pk", flat=True)) == [younger.pk]
    kept = AnonymisedApplication.objects.get()
    assert (kept.round, kept.final_status, kept.profession_areas, kept.college) == (
        older_round,
        Status.COMPLETED,
        ["nursing"],
        college,
    )
    assert (kept.home_district, kept.age_band, kept.wp_tier, kept.reason) == (
        "SE5",
        AgeBand.UNDER_16,
        2,
        AnonymisedReason.RETENTION,
    )
    # The student keeps their account for later rounds; everything about the old application is gone.
    assert User.objects.filter(pk=older.student_id).exists()
    assert_nothing_left(
        "parent@example.test", "07700 900222", "Hearing loop", "Feedback Older", "Guardian Older", older.reference
    )
    assert_nothing_left("Student Older")
    assert OutboundEmail.objects.filter(to_email="carer@example.test").count() == 1


@pytest.mark.django_db
def test_anonymising_walks_in_batches(now, college, closed_rounds, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    older_round, _ = closed_rounds
    for _ in range(5):
        make_application(StudentFactory(organisation=college), round_=older_round)

    assert retention.closed_round_applications_anonymise(now=now) == 5
    assert AnonymisedApplication.objects.count() == 5 and not Application.objects.exists()


# --- Email text ---


def _email(key: str, *, age: timedelta, now, status=EmailStatus.SENT, recipient=None, to="someone@example.test"):
    email = email_enqueue(
        dedupe_key=key,
        template="student_verify_email",
        to_email=to,
        recipient=recipient,
        context={"verify_url": "https://example.test/verify/secret-link", "valid_hours": 2},
    )
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=now - age, status=status)
    return email.pk


@pytest.mark.django_db
def test_email_text_goes_a_day_after_its_period_and_the_record_of_sending_stays(now, student):
    period = days("email_bodies")
    older = _email("a", age=period + DAY, now=now, recipient=student, to=student.email)
    younger = _email("b", age=period - DAY, now=now, recipient=student, to=student.email)
    failed = _email("c", age=period + DAY, now=now, status=EmailStatus.FAILED, recipient=student)
    failed_younger = _email("c2", age=period - DAY, now=now, status=EmailStatus.FAILED, recipient=student)
    waiting = _email("d", age=period + DAY, now=now, status=EmailStatus.PENDING, recipient=student)
    invitation = _email("student_invitation:college:1:email:x@example.test", age=period + DAY, now=now)
    guardian = _email("guardian_consent_confirmed:application:99", age=period + DAY, now=now)

    assert retention.email_bodies_purge(now=now, dry_run=True) == 4
    assert retention.email_bodies_purge(now=now) == 4
    assert retention.email_bodies_purge(now=now) == 0

    rows = {e.pk: e for e in OutboundEmail.objects.all()}
    assert set(rows) == {older, younger, failed_younger, waiting, guardian}
    for pk in (older, guardian):
        assert (rows[pk].body_text, rows[pk].body_html, bytes(rows[pk].raw_message)) == ("", "", b"")
        assert rows[pk].subject and rows[pk].to_email and rows[pk].template
    for pk in (younger, failed_younger, waiting):
        assert "secret-link" in rows[pk].body_text and b"secret-link" in bytes(rows[pk].raw_message)
    assert invitation not in rows and failed not in rows


# --- Sign-in records ---


@pytest.mark.django_db
def test_sign_in_records_go_a_day_after_their_period(now):
    period = days("sign_in_logs")
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for age, name in ((period + DAY, "older"), (period - DAY, "younger")):
            extra = {"failures_since_start": 1} if model is AccessAttempt else {}
            row = model.objects.create(
                username=f"{name}@example.test", ip_address="203.0.113.9", user_agent="x", **extra
            )
            model.objects.filter(pk=row.pk).update(attempt_time=now - age)

    assert retention.sign_in_logs_purge(now=now) == 3

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["younger@example.test"]


@pytest.mark.django_db
def test_expired_sessions_go_and_live_ones_stay(now):
    store = SessionStore()
    store.create()
    live = store.session_key
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=now - DAY)

    assert retention.expired_sessions_delete(now=now) == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live]


# --- Expired links ---


@pytest.mark.django_db
def test_unused_links_go_a_day_after_their_period_from_expiry(now, trust, college):
    period = days("expired_tokens")

    def invitation(name, **fields):
        fields.setdefault("expires_at", now - period - DAY)
        return Invitation.objects.create(
            email=f"{name}@example.test", organisation=trust, role="coordinator", token_hash=name, **fields
        )

    older = invitation("older")
    younger = invitation("younger", expires_at=now - period + DAY)
    accepted = invitation("accepted", accepted_at=now - 2 * period)
    revoked = invitation("revoked", expires_at=now + DAY, revoked_at=now - period - DAY)

    def consent(expired_for, **fields):
        application = make_application(StudentFactory(organisation=college), age=16)
        return GuardianConsent.objects.create(
            application=application,
            guardian_email="parent@example.test",
            token_hash=f"consent-{application.pk}",
            expires_at=now - expired_for,
            **fields,
        )

    consent_older = consent(period + DAY)
    consent_younger = consent(period - DAY)
    consent_given = consent(period + DAY, given_at=now - 2 * period)

    assert retention.expired_tokens_delete(now=now) == 3

    assert set(Invitation.objects.all()) == {younger, accepted}
    assert set(GuardianConsent.objects.all()) == {consent_younger, consent_given}
    assert not Invitation.objects.filter(pk__in=[older.pk, revoked.pk]).exists()
    assert Application.objects.filter(pk=consent_older.application_id).exists()


# --- The job as a whole ---


@pytest.mark.django_db
def test_enforce_runs_every_rule_a_dry_run_changes_nothing_and_the_command_reports(now, capsys):
    older = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") - DAY)

    counts = retention.retention_enforce(now=now, dry_run=True)
    assert set(counts) == set(retention.RULES) and counts["unverified_accounts_deleted"] == 1
    assert User.objects.filter(pk=older.pk).exists()

    call_command("enforce_retention", "--dry-run")
    assert f"Would change {1:>7}  unverified accounts deleted" in capsys.readouterr().out
    assert User.objects.filter(pk=older.pk).exists()

    call_command("enforce_retention")
    assert f"Changed {1:>7}  unverified accounts deleted" in capsys.readouterr().out
    assert not User.objects.filter(pk=older.pk).exists()


@pytest.mark.django_db
def test_a_batch_something_still_protects_is_skipped_and_the_rest_goes_on(now, monkeypatch):
    from django.db.models import ProtectedError

    monkeypatch.setattr(retention, "BATCH_SIZE", 1)
    first = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") - DAY)
    second = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") - DAY)
    real_delete = retention.accounts_delete

    def protected_first(*, user_ids):
        if first.pk in user_ids:
            raise ProtectedError("a later model protects this account", set())
        return real_delete(user_ids=user_ids)

    monkeypatch.setattr(retention, "accounts_delete", protected_first)
    assert retention.unverified_accounts_delete(now=now) == 1
    assert set(User.objects.values_list("pk", flat=True)) == {first.pk}
    assert not User.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
def test_periods_come_from_settings(now):
    older = StudentFactory(email_verified_at=None, date_joined=now - 3 * DAY)
    with override_settings(RETENTION={**settings.RETENTION, "unverified_accounts": 2}):
        assert retention.unverified_accounts_delete(now=now) == 1
    assert not User.objects.filter(pk=older.pk).exists()


@pytest.mark.django_db
def test_the_task_runs_every_rule(now):
    from placements.tasks import enforce_retention_task

    older = StudentFactory(email_verified_at=None, date_joined=now - days("unverified_accounts") - DAY)
    counts = enforce_retention_task.run()
    assert set(counts) == set(retention.RULES) and counts["unverified_accounts_deleted"] == 1
    assert not User.objects.filter(pk=older.pk).exists()


def test_the_job_runs_nightly_in_london_time():
    from celery.schedules import crontab

    from placements.tasks import enforce_retention_task

    entry = settings.CELERY_BEAT_SCHEDULE["enforce-retention"]
    assert entry["task"] == enforce_retention_task.name
    assert isinstance(entry["schedule"], crontab) and entry["schedule"].hour == {3}
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_every_period_is_a_whole_number_of_days():
    assert set(settings.RETENTION) == {
        "unverified_accounts",
        "inactive_accounts",
        "inactive_account_warning",
        "closed_round_applications",
        "email_bodies",
        "sign_in_logs",
        "expired_tokens",
    }
    assert all(isinstance(value, int) and value > 0 for value in settings.RETENTION.values())
    assert settings.RETENTION["inactive_account_warning"] < settings.RETENTION["inactive_accounts"]
    documented = (Path(settings.BASE_DIR) / ".env.example").read_text()
    for name, value in settings.RETENTION.items():
        assert f"RETENTION_{name.upper()}_DAYS={value}" in documented
