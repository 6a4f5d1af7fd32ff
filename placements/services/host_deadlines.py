"""Decide-by dates: no student waits on a silent host.

Each proposed match gets a decide-by date (``HOST_DECISION_WORKING_DAYS`` working days, see
``Placement.decide_by``). Two working days before it, the host's coordinators get one chaser; the day after
it, the match is released with the reason "the host did not reply in time", the student goes back into the
pool (not to that placement again) and a backfill run is queued.

Both jobs are safe to run late, twice or at the same time: the chaser claims each match with a conditional
UPDATE before it is counted in an email, and the release is a conditional status change.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.outbox import absolute_url, email_enqueue
from placements.models import Placement
from placements.models.placements import RELEASED_HOST_NO_REPLY
from placements.services.backfill import placement_release
from placements.services.host_notifications import host_coordinators
from placements.services.workflow import application_transition
from placements.workflow import StaleTransition, Status
from placements.working_days import add_working_days

CHASE_WORKING_DAYS_BEFORE = 2
# What the student reads on their timeline.
NO_REPLY = "The host did not reply in time, so this match was released. You stay in the next matching runs."


def undecided_matches() -> QuerySet[Placement]:
    """Proposed matches still waiting for the host's decision."""
    return Placement.objects.filter(released_at__isnull=True, application__status=Status.MATCHED)


def is_due_soon(decide_by: date | None, today: date | None = None) -> bool:
    """True from the chaser's day (two working days before the decide-by date) onwards."""
    today = today or timezone.localdate()
    return decide_by is not None and decide_by <= add_working_days(today, CHASE_WORKING_DAYS_BEFORE)


def host_decisions_chase(*, today: date | None = None) -> int:
    """Email each host's coordinators once about their matches whose decide-by date is two working days away or
    nearer. Returns how many matches were chased."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, CHASE_WORKING_DAYS_BEFORE)
    due = (
        undecided_matches()
        .filter(decision_chased_at__isnull=True, decide_by__gte=today, decide_by__lte=horizon)
        .values_list("pk", "cohort__opportunity__organisation_id")
        .order_by("pk")
    )
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for pk, organisation_id in due:
        by_organisation[organisation_id].append(pk)
    chased = 0
    for organisation_id, ids in by_organisation.items():
        chased += _chase_organisation(organisation_id, ids, today)
    return chased


def _chase_organisation(organisation_id: int, ids: list[int], today: date) -> int:
    now = timezone.now()
    with transaction.atomic():
        # Claim each match: a concurrent run that got there first makes our UPDATE change no row.
        claimed = [
            pk
            for pk in ids
            if Placement.objects.filter(pk=pk, decision_chased_at__isnull=True).update(decision_chased_at=now)
        ]
        if not claimed:
            return 0
        first_deadline = min(
            Placement.objects.filter(pk__in=claimed).values_list("decide_by", flat=True), default=today
        )
        for coordinator in host_coordinators(organisation_id):
            email_enqueue(
                # Each match is claimed once, so the first claimed id names this batch uniquely.
                dedupe_key=f"coordinator_decisions_due:placement:{claimed[0]}:user:{coordinator.pk}",
                template="coordinator_decisions_due",
                to_email=coordinator.email,
                recipient=coordinator,
                context={
                    "count": len(claimed),
                    "decide_by": first_deadline,
                    "organisation": coordinator.organisation,
                    "queue_url": absolute_url(reverse("placements:coordinator-home")),
                    "support_email": settings.SUPPORT_EMAIL,
                },
            )
    return len(claimed)


def match_release_undecided(*, placement: Placement, today: date | None = None) -> bool:
    """Release one match whose decide-by date has passed: back to the pool, with the reason, and a backfill run.

    Returns False if the host decided first (the conditional status change decides who wins).
    """
    today = today or timezone.localdate()
    if placement.released_at or placement.decide_by is None or placement.decide_by >= today:
        return False
    try:
        with transaction.atomic():
            application_transition(
                application=placement.application,
                to=Status.READY_FOR_MATCHING,
                actor=None,
                expected=Status.MATCHED,
                reason=NO_REPLY,
            )
            if not placement_release(placement=placement, reason=RELEASED_HOST_NO_REPLY):
                raise StaleTransition()
    except StaleTransition:
        return False
    return True


def matches_release_undecided(*, today: date | None = None) -> int:
    """Release every match whose decide-by date has passed, and tell each host's coordinators how many of theirs
    went (one email per host and run, in the same transaction as the releases). Returns how many were released."""
    today = today or timezone.localdate()
    due = (
        undecided_matches()
        .filter(decide_by__lt=today)
        .select_related("application__round", "cohort__opportunity")
        .order_by("pk")
    )
    by_organisation: dict[int, list[Placement]] = defaultdict(list)
    for placement in due:
        by_organisation[placement.cohort.opportunity.organisation_id].append(placement)
    released = 0
    for organisation_id, placements in by_organisation.items():
        with transaction.atomic():
            gone = [p for p in placements if match_release_undecided(placement=p, today=today)]
            if gone:
                _tell_host_of_releases(organisation_id, gone)
        released += len(gone)
    return released


def _tell_host_of_releases(organisation_id: int, placements: list[Placement]) -> None:
    for coordinator in host_coordinators(organisation_id):
        email_enqueue(
            dedupe_key=f"coordinator_matches_released:placement:{placements[0].pk}:user:{coordinator.pk}",
            template="coordinator_matches_released",
            to_email=coordinator.email,
            recipient=coordinator,
            context={
                "count": len(placements),
                "decide_by": max(p.decide_by for p in placements),
                "organisation": coordinator.organisation,
                "queue_url": absolute_url(reverse("placements:coordinator-home")),
                "support_email": settings.SUPPORT_EMAIL,
            },
        )
