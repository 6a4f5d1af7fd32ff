"""Matching runs: create one, run it once, write the outcome in one transaction.

A run is claimed with a conditional UPDATE (pending -> running), so a task delivered twice runs once.
Two runs of a round never overlap: the round row is locked for the whole run (SELECT ... FOR UPDATE on
PostgreSQL) and a partial unique index allows one "running" run per round. Provisional matches are
recomputed each run; offers and accepted places are frozen (see matching_snapshot).
"""

import time
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from placements import matching
from placements.explanations import match_lost, match_moved
from placements.models import (
    Application,
    MatchingRun,
    MatchResult,
    Placement,
    Round,
    RunKind,
    RunStatus,
    StatusChange,
)
from placements.models.placements import decide_by_for
from placements.services.bulk import in_chunks, insert_rows
from placements.services.matching_snapshot import Snapshot, take_snapshot
from placements.workflow import Status

PLACEMENT_FIELDS = ("application_id", "cohort_id", "created_at", "decide_by")
STATUS_CHANGE_FIELDS = ("application_id", "from_status", "to_status", "reason", "created_at")


class RunInProgress(Exception):
    """Another run of the same round holds the lock: try again once it has finished."""


def ensure_can_run_matching(actor: User | None) -> None:
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("Only site administrators start matching runs.")


def matching_run_create(
    *, actor: User | None, round_: Round, dry_run: bool = False, kind: str = RunKind.MANUAL
) -> MatchingRun:
    """Record a run to be executed (by the Celery task, or the command line). ``actor`` None means the system."""
    ensure_can_run_matching(actor)
    return MatchingRun.objects.create(
        round=round_, kind=kind, dry_run=dry_run, started_by=actor, seed=round_.lottery_seed
    )


def matching_run_execute(*, run_id: int) -> MatchingRun:
    """Run a pending run exactly once: snapshot, solve, and (unless a dry run) write placements and results."""
    try:
        with transaction.atomic():
            claimed = MatchingRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
                status=RunStatus.RUNNING, started_at=timezone.now()
            )
    except IntegrityError:
        raise RunInProgress("Another run of this round is in progress; this one will run after it.") from None
    run = MatchingRun.objects.select_related("round").get(pk=run_id)
    if not claimed:
        return run  # already run (or running): a repeat is harmless
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            # The round lock serialises runs of a round (the partial unique index is the second guard).
            Round.objects.select_for_update().filter(pk=run.round_id).first()
            started = time.perf_counter()
            snapshot = take_snapshot(run.round, lock=not run.dry_run)
            timings["snapshot"] = _ms(started)
            started = time.perf_counter()
            result = matching.solve(snapshot.instance)
            timings["solve"] = _ms(started)
            started = time.perf_counter()
            created = released = 0
            if not run.dry_run:
                created, released = _write(run, snapshot, result)
            timings["write"] = _ms(started)
            _finish(run, snapshot, result, created, released, timings)
    except Exception as error:  # noqa: BLE001 — recorded on the run, then re-raised for the task's retry policy
        MatchingRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    run.refresh_from_db()
    return run


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _finish(run, snapshot: Snapshot, result: matching.Result, created: int, released: int, timings) -> None:
    stats = result.stats
    applicants = len(snapshot.instance.applicants)
    wp_applicants = sum(1 for a in snapshot.application_ids.values() if snapshot.wp_tier.get(a, 0) > 0)
    matched_ids = [snapshot.application_ids[a] for a, offer in result.assignment.items() if offer]
    wp_matched = sum(1 for a in matched_ids if snapshot.wp_tier.get(a, 0) > 0)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED,
        finished_at=timezone.now(),
        input_hash=snapshot.input_hash,
        applicants=applicants,
        offers=sum(1 for o in snapshot.instance.offers if o.capacity > 0),
        matched=stats.matched,
        percent_matched=stats.percent_matched,
        average_rank=stats.average_rank,
        wp_share_of_applicants=round(100 * wp_applicants / applicants, 1) if applicants else None,
        wp_share_of_matched=round(100 * wp_matched / len(matched_ids), 1) if matched_ids else None,
        placements_created=created,
        placements_released=released,
        timings_ms={**dict(stats.timings_ms), **timings},
    )


def _write(run: MatchingRun, snapshot: Snapshot, result: matching.Result) -> tuple[int, int]:
    """Apply the new provisional matches: release the ones that changed, create the new ones, record why."""
    now = timezone.now()
    decide_by = decide_by_for(now, run.round)  # every new match gets the host's decide-by date
    to_release: list[int] = []  # application ids whose provisional placement goes
    to_create: list[tuple] = []
    newly_matched: list[int] = []  # ready -> matched
    unmatched: list[int] = []  # matched -> ready
    moved: list[int] = []  # matched -> matched elsewhere
    why: dict[int, str] = {}  # application id -> what its timeline says about the match it lost
    for applicant_id, offer_id in result.assignment.items():
        application_id = snapshot.application_ids[applicant_id]
        new_cohort = snapshot.cohort_ids[offer_id] if offer_id else None
        old_cohort = snapshot.current_cohort.get(application_id)
        if new_cohort == old_cohort:
            continue
        if old_cohort is not None:
            to_release.append(application_id)
        if new_cohort is not None:
            to_create.append((application_id, new_cohort, now, decide_by))
        if old_cohort is None:
            newly_matched.append(application_id)
        elif new_cohort is None:
            unmatched.append(application_id)
            why[application_id] = _why_lost(result, applicant_id, f"C{old_cohort}")
        else:
            moved.append(application_id)

    if moved:
        why.update(_why_moved(snapshot, result, set(moved)))

    Placement.objects.filter(application_id__in=to_release, released_at__isnull=True).update(
        released_at=now, release_reason="rematched"
    )
    insert_rows(Placement, PLACEMENT_FIELDS, to_create)
    _bulk_move(newly_matched, Status.READY_FOR_MATCHING, Status.MATCHED, run, "Matched to a placement", now)
    _bulk_move(unmatched, Status.MATCHED, Status.READY_FOR_MATCHING, run, why, now)
    insert_rows(
        StatusChange,
        STATUS_CHANGE_FIELDS,
        ((a, Status.MATCHED, Status.MATCHED, f"{why[a]} (run {run.pk})", now) for a in moved),
    )
    insert_rows(
        MatchResult, ("run_id", "application_id", "cohort_id", "rank", "explanations"), _results(run, snapshot, result)
    )
    return len(to_create), len(to_release)


def _explained(result: matching.Result, applicant_id: str, offer_id: str):
    return next((item for item in result.explanations.get(applicant_id, ()) if item.offer == offer_id), None)


def _why_lost(result: matching.Result, applicant_id: str, old_offer: str) -> str:
    """The run's own reason the applicant could not keep ``old_offer`` (see explanations.match_lost)."""
    item = _explained(result, applicant_id, old_offer)
    return match_lost(item.reason if item else None, item.rule if item else None)


def _why_moved(snapshot: Snapshot, result: matching.Result, application_ids: set[int]) -> dict[int, str]:
    """For each application moved to another cohort: up its list (a place came free) or down (and why)."""
    why = {}
    for applicant in snapshot.instance.applicants:
        application_id = snapshot.application_ids[applicant.id]
        if application_id not in application_ids:
            continue
        old_offer = f"C{snapshot.current_cohort[application_id]}"
        order = [offer for offer, _ in applicant.prefs]
        new_offer = result.assignment[applicant.id]
        if old_offer not in order:
            why[application_id] = match_moved(up=None)
        elif order.index(new_offer) < order.index(old_offer):
            why[application_id] = match_moved(up=True)
        else:
            item = _explained(result, applicant.id, old_offer)
            why[application_id] = match_moved(
                up=False, reason=item.reason if item else None, rule=item.rule if item else None
            )
    return why


def _bulk_move(ids: list[int], source: Status, target: Status, run, reason: str | dict[int, str], now) -> None:
    if not ids:
        return
    for chunk in in_chunks(ids):
        moved = Application.objects.filter(pk__in=chunk, status=source).update(status=target)
        if moved != len(chunk):  # the rows are locked by the snapshot, so this means a bug, not a race
            raise RuntimeError(f"Expected to move {len(chunk)} applications from {source} to {target}, moved {moved}")
    reasons = reason if isinstance(reason, dict) else dict.fromkeys(ids, reason)
    insert_rows(
        StatusChange, STATUS_CHANGE_FIELDS, ((a, source, target, f"{reasons[a]} (run {run.pk})", now) for a in ids)
    )


def _results(run: MatchingRun, snapshot: Snapshot, result: matching.Result):
    """One MatchResult per applicant, with explanations and waitlist positions for the choices above."""
    waitlists = waitlist_positions(snapshot.instance, result)
    for applicant in snapshot.instance.applicants:
        offer_id = result.assignment[applicant.id]
        rank = next((i for i, (o, _) in enumerate(applicant.prefs, start=1) if o == offer_id), None)
        explanations = []
        for item in result.explanations.get(applicant.id, ()):
            entry = {"cohort": snapshot.cohort_ids[item.offer], "rank": item.rank, "reason": item.reason}
            if item.rule:
                entry["rule"] = item.rule
            position = waitlists.get((applicant.id, item.offer))
            if position:
                entry["waitlist"] = position
            explanations.append(entry)
        yield (
            run.pk,
            snapshot.application_ids[applicant.id],
            snapshot.cohort_ids[offer_id] if offer_id else None,
            rank,
            explanations,
        )


def waitlist_positions(instance: matching.Instance, result: matching.Result) -> dict[tuple[str, str], int]:
    """For each (applicant, offer they rank above their match and are eligible for): their place in that offer's
    queue of such applicants, best first. Position 1 is next in line if a seat comes free."""
    offers = {offer.id: offer for offer in instance.offers}
    queues: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for applicant in instance.applicants:
        assigned = result.assignment[applicant.id]
        for offer_id, score in applicant.prefs:
            if offer_id == assigned:
                break
            offer = offers.get(offer_id)
            if offer is not None and offer.capacity > 0 and matching.ineligibility_reason(applicant, offer) is None:
                queues[offer_id].append((-score, applicant.lottery, applicant.id))
    positions = {}
    for offer_id, queue in queues.items():
        queue.sort()
        for position, (_, _, applicant_id) in enumerate(queue, start=1):
            positions[(applicant_id, offer_id)] = position
    return positions


def matching_instance_export(*, round_: Round) -> dict:
    """The round as the interchange format (MATCHING_FORMAT.md), for auditors and the CLI.

    Cohorts with no seats left are left out (the format requires capacity >= 1): they admit nobody, so the
    CLI's answer is the same as the run's.
    """
    instance = take_snapshot(round_).instance
    open_offers = [offer for offer in instance.offers if offer.capacity > 0]
    kept = {offer.id for offer in open_offers}
    applicants = [
        matching.Applicant(
            id=a.id,
            age=a.age,
            dbs_checked=a.dbs_checked,
            vaccinations=a.vaccinations,
            available_from=a.available_from,
            available_to=a.available_to,
            lottery=a.lottery,
            prefs=tuple(p for p in a.prefs if p[0] in kept),
        )
        for a in instance.applicants
    ]
    return matching.instance_to_dict(
        matching.Instance(offers=open_offers, applicants=applicants, match_date=instance.match_date)
    )
