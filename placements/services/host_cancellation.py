"""A host cancels a place it gave (accepted, confirmed or under way), with a coded reason: the student is told,
the seat goes back to the cohort and a backfill run looks for the next applicant."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.outbox import absolute_url
from placements.models import HostCancelReason, Placement
from placements.permissions import ensure_can_manage_opportunity
from placements.services.backfill import placement_release
from placements.services.student_notifications import student_tell
from placements.services.workflow import application_transition
from placements.taxonomy import OpportunityKind
from placements.workflow import HOLDS_PLACE, Status

# A place the host can still take back: the student has accepted it, it is confirmed, or it is under way.
CANCELLABLE = HOLDS_PLACE
NOT_CANCELLABLE = "Only a place the student has accepted, or one that is confirmed or under way, can be cancelled."
CHOOSE_REASON = "Choose why you are cancelling"
OTHER_NEEDS_NOTE = "Say why, in a few words, when the reason is 'Other'"


def can_cancel_placement(placement: Placement) -> bool:
    return placement.released_at is None and placement.application.status in CANCELLABLE


def placement_cancel_by_host(*, actor: User, placement: Placement, reason: str, note: str = "") -> Placement:
    """Cancel the place with a coded reason; release the seat, queue a backfill run and email the student."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    if reason not in HostCancelReason.values:
        raise ValidationError({"reason": CHOOSE_REASON}, code="reason")
    note = note.strip()[:500]
    if reason == HostCancelReason.OTHER and not note:
        raise ValidationError({"note": OTHER_NEEDS_NOTE}, code="note")
    application = placement.application
    if not can_cancel_placement(placement):
        raise ValidationError(NOT_CANCELLABLE, code="not_cancellable")
    label = HostCancelReason(reason).label
    with transaction.atomic():
        application_transition(
            application=application,
            to=Status.CANCELLED_BY_HOST,
            actor=actor,
            expected=Status(application.status),
            reason=f"The host cancelled the placement: {label}",
        )
        if not placement_release(placement=placement, reason="cancelled_by_host"):
            raise ValidationError(NOT_CANCELLABLE, code="not_cancellable")
        Placement.objects.filter(pk=placement.pk).update(host_cancel_reason=reason, host_cancel_note=note)
        placement.refresh_from_db()
        cohort = placement.cohort
        kinds = "&".join(f"kind={kind}" for kind in (OpportunityKind.SIMULATION, OpportunityKind.VIRTUAL))
        student_tell(
            application=application,
            placement=placement,
            cohort=cohort,
            template="student_placement_cancelled_by_host",
            reason=label,
            note=note,
            cancelled_on=timezone.localdate(),
            support_email=settings.SUPPORT_EMAIL,
            options_url=absolute_url(f"{reverse('placements:opportunity-list')}?{kinds}"),
        )
    return placement
