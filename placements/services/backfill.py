"""Backfill: when a place is released, re-run matching over the remaining market.

Removing applicants or adding seats never moves anyone down in the applicant-optimal stable matching,
so a re-run only moves people up, and the next applicant in line takes the seat. We do not chain
"offer to the top of the waitlist" instead: that is stable but not applicant-optimal.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.jobs import enqueue
from placements.models import Cohort, MatchingRun, Placement, Round, RunKind, RunStatus
from placements.services.finder_listing import listings_refresh_on_commit

logger = logging.getLogger(__name__)


def request_backfill(*, round_: Round) -> MatchingRun:
    """Queue one backfill run for the round (after commit); releases that arrive before it starts share it."""
    pending = MatchingRun.objects.filter(round=round_, kind=RunKind.BACKFILL, status=RunStatus.PENDING).first()
    if pending:
        return pending
    run = MatchingRun.objects.create(round=round_, kind=RunKind.BACKFILL, seed=round_.lottery_seed)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    try:
        enqueue("placements.tasks.run_matching_task", run_id)
    except Exception:  # noqa: BLE001 — broker down: sweep_pending_runs_task enqueues it later
        logger.warning("Could not enqueue backfill run %s", run_id, exc_info=True)


def placement_release(*, placement: Placement, reason: str, backfill: bool = True) -> bool:
    """Give up a placement's seat (returning a booked seat to the cohort) and queue a backfill run.

    Must run inside the transaction that changes the application's status. Returns False if it was already released.
    """
    released = Placement.objects.filter(pk=placement.pk, released_at__isnull=True).update(
        released_at=timezone.now(), release_reason=reason
    )
    if not released:
        return False
    if placement.booked_seat:
        Cohort.objects.filter(pk=placement.cohort_id, booked__gt=0).update(booked=F("booked") - 1)
        listings_refresh_on_commit(cohort_ids=[placement.cohort_id])  # a full cohort may be open again
    if backfill:
        request_backfill(round_=placement.application.round)
    return True
