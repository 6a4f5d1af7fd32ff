"""Celery tasks for placements: thin, take ids, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from placements.models import MatchingRun, Round, RunKind, RunStatus
from placements.services import digests, host_deadlines, reminders, retention
from placements.services.finder_listing import listings_refresh_changed
from placements.services.matching_runs import RunInProgress, matching_run_create, matching_run_execute


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError, RunInProgress),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def run_matching_task(run_id: int) -> str:
    return matching_run_execute(run_id=run_id).status


@shared_task(acks_late=True, ignore_result=True)
def schedule_nightly_matching_task() -> int:
    """Start tonight's run for every round between opening and its outcome date; once a night, however often."""
    today = timezone.localdate()
    started = 0
    for round_ in Round.objects.filter(applications_open_on__lte=today, outcomes_by__gte=today):
        if MatchingRun.objects.filter(round=round_, kind=RunKind.NIGHTLY, created_at__date=today).exists():
            continue
        run = matching_run_create(actor=None, round_=round_, kind=RunKind.NIGHTLY)
        transaction.on_commit(lambda run_id=run.pk: run_matching_task.delay(run_id))
        started += 1
    return started


@shared_task(acks_late=True, ignore_result=True)
def sweep_pending_runs_task() -> int:
    """Enqueue runs still pending a few minutes after they were created (their first enqueue was lost)."""
    stale = MatchingRun.objects.filter(status=RunStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=5))
    ids = list(stale.values_list("pk", flat=True)[:100])
    for run_id in ids:
        run_matching_task.delay(run_id)
    return len(ids)


# --- Scheduled emails (see placements/services/reminders.py): each selects what is due and not yet sent. ---

RETRY_TRANSIENT = {
    "acks_late": True,
    "ignore_result": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY_TRANSIENT)
def remind_expiring_offers_task() -> int:
    return reminders.offers_remind_expiring()


@shared_task(**RETRY_TRANSIENT)
def expire_offers_task() -> int:
    return reminders.offers_expire()


@shared_task(**RETRY_TRANSIENT)
def remind_placement_start_task() -> int:
    return reminders.placements_remind_start()


@shared_task(**RETRY_TRANSIENT)
def request_placement_feedback_task() -> int:
    return reminders.placements_request_feedback()


@shared_task(**RETRY_TRANSIENT)
def send_round_outcomes_task() -> int:
    """Answer every unplaced applicant of each round whose outcome date has arrived."""
    today = timezone.localdate()
    return sum(
        reminders.round_send_outcomes(round_=round_, today=today)
        for round_ in reminders.rounds_awaiting_outcomes(today=today)
    )


@shared_task(**RETRY_TRANSIENT)
def send_coordinator_digest_task() -> int:
    return digests.coordinators_send_daily_digest()


@shared_task(**RETRY_TRANSIENT)
def send_tutor_digest_task() -> int:
    return digests.tutors_send_weekly_digest()


@shared_task(**RETRY_TRANSIENT)
def send_capacity_nudge_task() -> int:
    return digests.coordinators_send_capacity_nudge()


@shared_task(**RETRY_TRANSIENT)
def chase_host_decisions_task() -> int:
    """Remind hosts' coordinators of matches whose decide-by date is two working days away (see host_deadlines)."""
    return host_deadlines.host_decisions_chase()


@shared_task(**RETRY_TRANSIENT)
def release_undecided_matches_task() -> int:
    """Release matches whose decide-by date has passed: the student goes back into the next run."""
    return host_deadlines.matches_release_undecided()


@shared_task(**RETRY_TRANSIENT)
def enforce_retention_task() -> dict[str, int]:
    """Nightly: delete, anonymise or purge whatever has outlived the privacy notice's periods (ADR 0009)."""
    return retention.retention_enforce()


@shared_task(**RETRY_TRANSIENT)
def refresh_finder_listings_task() -> int:
    """Work out every opportunity's finder listing again and write the ones that differ: the safety net for a
    refresh lost between a writer's commit and its on-commit refresh (a process killed in between). So a listing is
    wrong for at most the schedule's 15 minutes (config/settings/base.py), and even then the finder's figures are
    live: at worst an opportunity is missing from the list or out of place in its order (one with no open dates
    left is never shown). One read of every opportunity (about 5,000 in London), then one UPDATE of the few."""
    return listings_refresh_changed()
