"""Before the first day: the host's pre-placement checklist, then "confirm placement" (only when complete),
which sends the student their joining instructions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from placements.models import Placement
from placements.permissions import ensure_can_manage_opportunity
from placements.services.student_notifications import student_tell
from placements.services.workflow import application_transition
from placements.workflow import Status

CHECKLIST = {
    "identity_seen": "Identity seen (photo ID or college ID)",
    "occupational_health_cleared": "Occupational health cleared, where the placement needs it",
    "dbs_checked": "DBS status checked",
}
NOT_ACCEPTED = "Only placements the student has accepted can be checked and confirmed."
INCOMPLETE = "Finish the checklist first: {items}."


def required_items(placement: Placement) -> list[str]:
    """What must be done before confirming this placement (DBS only where the opportunity needs it)."""
    opportunity = placement.cohort.opportunity
    items = ["identity_seen"]
    if opportunity.requires_occupational_health:
        items.append("occupational_health_cleared")
    if opportunity.requires_dbs:
        items.append("dbs_checked")
    return items


def guardian_consent_present(placement: Placement) -> bool:
    application = placement.application
    age = application.age_on(placement.cohort.start_date)
    if age is not None and age >= 18:
        return True
    consent = getattr(application, "guardian_consent", None)
    return bool(consent and consent.given_at)


def missing_items(placement: Placement) -> list[str]:
    missing = [CHECKLIST[item] for item in required_items(placement) if item not in placement.checks]
    if not guardian_consent_present(placement):
        missing.append("Parent or guardian consent (the student is under 18)")
    if not placement.joining_instructions.strip():
        missing.append("Joining instructions")
    return missing


def placement_update_checks(*, actor: User, placement: Placement, ticked: set[str], joining_instructions: str) -> None:
    """Record which checks are done (who and when, per item) and the joining instructions."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    if placement.application.status != Status.ACCEPTED or placement.released_at:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    now = timezone.now().isoformat()
    checks = {item: placement.checks.get(item) or {"by": actor.pk, "at": now} for item in CHECKLIST if item in ticked}
    Placement.objects.filter(pk=placement.pk).update(checks=checks, joining_instructions=joining_instructions.strip())
    placement.checks, placement.joining_instructions = checks, joining_instructions.strip()


def placement_confirm(*, actor: User, placement: Placement) -> Placement:
    """Confirm a fully checked placement and email the student their joining instructions."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    application = placement.application
    if application.status != Status.ACCEPTED or placement.released_at:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    missing = missing_items(placement)
    if missing:
        raise ValidationError(INCOMPLETE.format(items="; ".join(missing)), code="incomplete")
    with transaction.atomic():
        application_transition(
            application=application,
            to=Status.CONFIRMED,
            actor=actor,
            expected=Status.ACCEPTED,
            reason="Pre-placement checks complete; placement confirmed",
        )
        Placement.objects.filter(pk=placement.pk).update(confirmed_at=timezone.now())
        cohort = placement.cohort
        student_tell(
            application=application, placement=placement, cohort=cohort, template="student_placement_confirmed"
        )
    placement.refresh_from_db()
    return placement


NOT_STARTED = "You can record attendance from the first day of the placement."
NOT_FINISHED = "You can mark the placement completed once its last day has come."


def placement_record_attendance(*, actor: User, placement: Placement, attended: bool, today=None) -> Placement:
    """On the day: attended (in progress) or did not attend. Recorded with who and when."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    today = today or timezone.localdate()
    if today < placement.cohort.start_date:
        raise ValidationError(NOT_STARTED, code="not_started")
    application = placement.application
    target = Status.IN_PROGRESS if attended else Status.DID_NOT_ATTEND
    application_transition(
        application=application,
        to=target,
        actor=actor,
        expected=Status.CONFIRMED,
        reason="Attended the first day" if attended else "Did not attend",
    )
    return placement


def placement_complete(*, actor: User, placement: Placement, feedback: str, today=None) -> Placement:
    """After the last day: completed, with the host's short feedback; the student can download a certificate."""
    ensure_can_manage_opportunity(actor, placement.cohort.opportunity)
    today = today or timezone.localdate()
    if today < placement.cohort.end_date:
        raise ValidationError(NOT_FINISHED, code="not_finished")
    with transaction.atomic():
        application_transition(
            application=placement.application,
            to=Status.COMPLETED,
            actor=actor,
            expected=Status.IN_PROGRESS,
            reason="Placement completed",
        )
        Placement.objects.filter(pk=placement.pk).update(completed_at=timezone.now(), host_feedback=feedback.strip())
    placement.refresh_from_db()
    return placement
