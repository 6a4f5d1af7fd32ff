"""The student's answer to an offer. Accepting takes a seat with a conditional UPDATE, so a cohort is never
over-booked however many students accept at once (the CHECK constraint booked <= capacity backs it up)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from placements.models import Application, Cohort, Placement
from placements.services.applications import ensure_owns_application
from placements.services.backfill import placement_release
from placements.services.finder_listing import listings_refresh_on_commit
from placements.services.host_notifications import host_coordinators_tell
from placements.services.workflow import application_transition
from placements.workflow import HOLDS_PLACE, Status

PLACEMENT_FULL = "Sorry, this placement is now full. Another student accepted the last place just before you."
OFFER_EXPIRED = "This offer has expired, so the place has gone to someone else."
NO_OFFER = "You do not have an offer to answer."
OVERLAPS = "You already have a placement on some of these dates. Cancel that one first if you want this one."


def current_placement(application: Application) -> Placement | None:
    return (
        application.placements.select_related("cohort__opportunity__organisation")
        .filter(released_at__isnull=True)
        .first()
    )


def offer_accept(
    *, actor: User, application: Application, emergency_contact_name: str = "", emergency_contact_phone: str = ""
) -> Placement:
    """Accept the offer before its deadline: book the seat, keep the emergency contact, move to accepted."""
    ensure_owns_application(actor, application)
    placement = current_placement(application)
    if application.status != Status.OFFERED or placement is None:
        raise ValidationError(NO_OFFER, code="no_offer")
    if placement.offer_expires_at and placement.offer_expires_at <= timezone.now():
        raise ValidationError(OFFER_EXPIRED, code="expired")
    cohort = placement.cohort
    overlapping = Placement.objects.filter(
        application__student=actor,
        application__status__in=HOLDS_PLACE,
        released_at__isnull=True,
        cohort__start_date__lte=cohort.end_date,
        cohort__end_date__gte=cohort.start_date,
    ).exclude(pk=placement.pk)
    if overlapping.exists():
        raise ValidationError(OVERLAPS, code="overlaps")
    with transaction.atomic():
        booked = Cohort.objects.filter(pk=cohort.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
        if not booked:
            raise ValidationError(PLACEMENT_FULL, code="full")
        listings_refresh_on_commit([cohort.opportunity_id])  # its last place may be gone from the finder
        Placement.objects.filter(pk=placement.pk).update(accepted_at=timezone.now(), booked_seat=True)
        if emergency_contact_name or emergency_contact_phone:
            Application.objects.filter(pk=application.pk).update(
                emergency_contact_name=emergency_contact_name.strip(),
                emergency_contact_phone=emergency_contact_phone.strip(),
            )
        application_transition(
            application=application,
            to=Status.ACCEPTED,
            actor=actor,
            expected=Status.OFFERED,
            reason=f"Accepted {cohort}",
        )
        _tell_coordinators(placement, "coordinator_offer_accepted")
    return placement


def offer_decline(*, actor: User, application: Application, reason: str = "") -> Placement:
    """Decline the offer: the place is released and a backfill run offers it to the next applicant in line."""
    ensure_owns_application(actor, application)
    placement = current_placement(application)
    if application.status != Status.OFFERED or placement is None:
        raise ValidationError(NO_OFFER, code="no_offer")
    with transaction.atomic():
        application_transition(
            application=application,
            to=Status.DECLINED,
            actor=actor,
            expected=Status.OFFERED,
            reason=reason or "Declined the offer",
        )
        # Like an expired offer or a host's decline: the place goes back and a backfill run looks for the next student.
        placement_release(placement=placement, reason="declined_by_student")
        _tell_coordinators(placement, "coordinator_offer_declined")
    return placement


def _tell_coordinators(placement: Placement, template: str) -> None:
    host_coordinators_tell(placement=placement, template=template)
