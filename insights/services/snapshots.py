"""Taking snapshots: the monthly one (claimed once per month by a unique constraint) and one a site admin asks for."""

import logging
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.jobs import enqueue
from insights import figures, skills_figures, training_figures
from insights.models import Snapshot, SnapshotKind, SnapshotStatus, SnapshotTheme, Theme
from insights.permissions import ensure_can_take_snapshot
from insights.selectors import facts, skills_facts, training_facts

logger = logging.getLogger(__name__)

ALREADY_RUNNING = "A snapshot is already being taken. Wait for it to finish, then try again."


def snapshot_request(*, actor) -> Snapshot:
    """A site admin asks for a snapshot now: a pending row, and the job started after commit. One at a time."""
    ensure_can_take_snapshot(actor)
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(kind=SnapshotKind.ON_DEMAND, taken_by=actor)
    except IntegrityError:
        raise ValidationError(ALREADY_RUNNING, code="already_running") from None
    transaction.on_commit(lambda: enqueue("insights.tasks.take_snapshot_task", snapshot.pk))
    return snapshot


def snapshot_take_monthly(*, now=None) -> Snapshot | None:
    """This month's snapshot, taken once however often beat runs the job; None if it exists already.

    A failed monthly snapshot is claimed again (conditional update), so a crash does not lose the month.
    """
    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(kind=SnapshotKind.MONTHLY, month=month, status=SnapshotStatus.RUNNING)
    except IntegrityError:
        claimed = Snapshot.objects.filter(kind=SnapshotKind.MONTHLY, month=month, status=SnapshotStatus.FAILED).update(
            status=SnapshotStatus.RUNNING, error=""
        )
        if not claimed:
            return None
        snapshot = Snapshot.objects.get(kind=SnapshotKind.MONTHLY, month=month)
    return _take(snapshot)


def snapshot_run(*, snapshot_id: int) -> Snapshot | None:
    """Run a pending snapshot; a repeat (or a second worker) finds nothing to claim and does nothing."""
    if not Snapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.PENDING).update(status=SnapshotStatus.RUNNING):
        return None
    return _take(Snapshot.objects.get(pk=snapshot_id))


def _take(snapshot: Snapshot) -> Snapshot:
    started = time.monotonic()
    try:
        with transaction.atomic():
            # One consistent read of every table the figures come from.
            taken_at = timezone.now()
            periods, documents = snapshot_documents()
            SnapshotTheme.objects.bulk_create(
                SnapshotTheme(snapshot=snapshot, theme=theme, data=data) for theme, data in documents.items()
            )
            snapshot.periods = [p.as_dict() for p in periods]
            snapshot.taken_at = taken_at
            snapshot.status = SnapshotStatus.SUCCEEDED
            snapshot.duration_ms = int((time.monotonic() - started) * 1000)
            snapshot.save(update_fields=["periods", "taken_at", "status", "duration_ms"])
    except Exception as error:
        logger.exception("Insights snapshot %s failed", snapshot.pk)
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        snapshot.refresh_from_db()
        return snapshot
    logger.info("Insights snapshot %s took %s ms", snapshot.pk, snapshot.duration_ms)
    return snapshot


def snapshot_documents():
    """Every figure of every theme, computed now: (periods, {theme: document})."""
    round_list = facts.rounds()
    starts = {r["id"]: r["placements_from"] for r in round_list}
    periods, who = figures.who_gets_in(
        rounds=round_list,
        applications=facts.application_facts(starts),
        places=facts.place_facts(),
        colleges=facts.colleges(),
        timings=facts.timings(round_list),
    )
    training_periods, training = training_figures.training_document(**training_facts.training_facts())
    skills_periods, skills = skills_figures.skills_document(**skills_facts.skills_facts())
    # A period appears once however many themes count something in it.
    every_period = {p.key: p for p in [*periods, *training_periods, *skills_periods]}
    return figures.ordered_periods(every_period.values()), {
        Theme.WHO_GETS_IN: who,
        Theme.SUPPLY_DEMAND: {"demand": figures.demand(facts.vacancy_facts())},
        Theme.TRAINING: training,
        Theme.SKILLS: skills,
    }
