"""A person decides: the host's coordinator approves a proposed match (it becomes an offer) or declines it
with a coded reason (the place goes back to the pool and a backfill run looks for the next applicant)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from placements.models import Cohort, HostDeclineReason, Placement
from placements.permissions import ensure_can_manage_opportunity
from placements.services.backfill import request_backfill
from placements.services.guardian_notifications import guardian_offer_notify
from placements.services.student_notifications import student_tell
from placements.services.workflow import application_transition
from placements.workflow import Status

OFFER_DAYS = 5
NOT_PROPOSED = "This match is no longer waiting for a decision."
NO_ROOM = "{cohort} has no room left: every place is offered or taken. Decline this match, or add places first."
OTHER_NEEDS_NOTE = "Say why, in a few words, when the reason is 'Other'."


def seats_held(cohort: Cohort) -> int:
    """Seats taken (accepted) plus seats promised (offers not yet answered)."""
    offered = Placement.objects.filter(
        cohort=cohort, released_at__isnull=True, booked_seat=False, application__status=Status.OFFERED
    ).count()
    return cohort.booked + offered


def placement_approve(*, actor: User, placement: Placement, offer_days: int = OFFER_DAYS) -> Placement:
    """Turn a proposed match into an offer the student must answer within ``offer_days``; emails the student."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    application = placement.application
    if application.status != Status.MATCHED or placement.released_at:
        raise ValidationError(NOT_PROPOSED, code="not_proposed")
    with transaction.atomic():
        # Lock the cohort so two coordinators approving at once cannot both promise its last seat.
        cohort = Cohort.objects.select_for_update().get(pk=placement.cohort_id)
        if seats_held(cohort) >= cohort.capacity:
            raise ValidationError(NO_ROOM.format(cohort=cohort), code="no_room")
        now = timezone.now()
        Placement.objects.filter(pk=placement.pk).update(
            offered_at=now, offer_expires_at=now + timedelta(days=offer_days)
        )
        application_transition(
            application=application,
            to=Status.OFFERED,
            actor=actor,
            expected=Status.MATCHED,
            reason=f"Offered {cohort} by {cohort.opportunity.organisation}",
        )
        placement.refresh_from_db()
        student_tell(application=application, placement=placement, cohort=cohort, template="student_offer_made")
        guardian_offer_notify(application=application, placement=placement, cohort=cohort)
    return placement


def placement_decline(*, actor: User, placement: Placement, reason: str, note: str = "") -> Placement:
    """Decline a proposed match with a coded reason; the student stays in the pool for other placements."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    if reason not in HostDeclineReason.values:
        raise ValidationError({"reason": "Choose a reason"}, code="reason")
    if reason == HostDeclineReason.OTHER and not note.strip():
        raise ValidationError({"note": OTHER_NEEDS_NOTE}, code="note")
    application = placement.application
    if application.status != Status.MATCHED or placement.released_at:
        raise ValidationError(NOT_PROPOSED, code="not_proposed")
    with transaction.atomic():
        released = Placement.objects.filter(pk=placement.pk, released_at__isnull=True).update(
            released_at=timezone.now(),
            release_reason="declined_by_host",
            host_decline_reason=reason,
            host_decline_note=note.strip()[:500],
        )
        if not released:
            raise ValidationError(NOT_PROPOSED, code="not_proposed")
        application_transition(
            application=application,
            to=Status.READY_FOR_MATCHING,
            actor=actor,
            expected=Status.MATCHED,
            reason=f"The host could not take this match: {HostDeclineReason(reason).label}",
        )
        request_backfill(round_=application.round)
    placement.refresh_from_db()
    return placement


def proposed_for(actor: User):
    """Proposed matches waiting for this coordinator's organisation to decide."""
    return Placement.objects.filter(
        Q(cohort__opportunity__organisation_id=actor.organisation_id),
        released_at__isnull=True,
        application__status=Status.MATCHED,
    )
