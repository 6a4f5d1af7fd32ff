"""The student's application: start, save, submit, guardian consent, withdraw."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from notifications.outbox import absolute_url, email_enqueue, name_as_data
from placements.models import (
    Application,
    ApplicationChoice,
    GuardianConsent,
    Opportunity,
    Round,
    RoutedPreference,
    StatusChange,
)
from placements.models.applications import MAX_CHOICES
from placements.services import routing
from placements.services.backfill import placement_release
from placements.services.host_notifications import host_coordinators_tell
from placements.services.workflow import application_transition
from placements.workflow import EDITABLE, HOLDS_PLACE, WITHDRAWABLE, Status

CONSENT_VALID_DAYS = 14
NOT_VERIFIED = "Confirm your email address before you apply. We sent you a link when you signed up."
ROUND_CLOSED = "Applications for this round are closed."
NOT_EDITABLE = "Your application can no longer be changed: matching has started."
TOO_MANY_CHOICES = f"You can choose up to {MAX_CHOICES} placements. Remove one before adding another."
ALREADY_CHOSEN = "This placement is already one of your choices."
CONSENT_UNUSABLE = "This consent link has expired or has already been used."
# When a student withdraws or cancels from these, the host's coordinators are emailed.
HOST_TOLD_OF_CANCELLATION = HOLDS_PLACE | {Status.OFFERED}


def ensure_owns_application(actor: User, application: Application) -> None:
    if actor.pk != application.student_id:
        raise PermissionDenied("This is not your application.")


def application_start(*, student: User, round_: Round) -> Application:
    """The student's application for the round, created on first use (a double click makes one)."""
    if student.role != Role.STUDENT:
        raise PermissionDenied("Only students apply.")
    if not student.email_verified:
        raise ValidationError(NOT_VERIFIED, code="not_verified")
    existing = Application.objects.filter(student=student, round=round_).first()
    if existing:
        return existing
    if not round_.is_open():
        raise ValidationError(ROUND_CLOSED, code="round_closed")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                student=student,
                round=round_,
                first_name=student.first_name,
                last_name=student.last_name,
                college=student.organisation if student.organisation_id else None,
            )
            StatusChange.objects.create(
                application=application, to_status=Status.DRAFT, actor=student, reason="Application started"
            )
    except IntegrityError:
        return Application.objects.get(student=student, round=round_)
    return application


def ensure_editable(actor: User, application: Application) -> None:
    ensure_owns_application(actor, application)
    if application.status not in EDITABLE:
        raise ValidationError(NOT_EDITABLE, code="not_editable")


def choice_add(*, actor: User, application: Application, opportunity: Opportunity) -> ApplicationChoice:
    """Add ``opportunity`` as the student's next-ranked choice."""
    ensure_editable(actor, application)
    with transaction.atomic():
        # Lock the application so two tabs adding at once cannot both take rank N.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        choices = list(application.choices.all())
        if any(c.opportunity_id == opportunity.pk for c in choices):
            raise ValidationError(ALREADY_CHOSEN, code="duplicate")
        if len(choices) >= MAX_CHOICES:
            raise ValidationError(TOO_MANY_CHOICES, code="too_many")
        return ApplicationChoice.objects.create(application=application, opportunity=opportunity, rank=len(choices) + 1)


def choice_remove(*, actor: User, application: Application, choice_id: int) -> None:
    ensure_editable(actor, application)
    with transaction.atomic():
        application.choices.filter(pk=choice_id).delete()
        _renumber(application, [c.pk for c in application.choices.order_by("rank")])


def choice_move(*, actor: User, application: Application, choice_id: int, direction: int) -> None:
    """Move a choice one place up (direction -1) or down (+1)."""
    ensure_editable(actor, application)
    with transaction.atomic():
        order = [c.pk for c in application.choices.select_for_update().order_by("rank")]
        if choice_id not in order:
            return
        index = order.index(choice_id)
        target = index + direction
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            _renumber(application, order)


def _renumber(application: Application, ordered_ids: list[int]) -> None:
    # Ranks are unique and 1-5, so rewrite the rows in their new order rather than shuffling ranks in place.
    opportunity_ids = dict(ApplicationChoice.objects.filter(pk__in=ordered_ids).values_list("pk", "opportunity_id"))
    ApplicationChoice.objects.filter(application=application).delete()
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, opportunity_id=opportunity_ids[pk], rank=rank)
        for rank, pk in enumerate(ordered_ids, start=1)
    )


def application_submit(*, actor: User, application: Application) -> Application:
    """Submit: build the routed list, ask for guardian consent if under 18, confirm by email. Once only."""
    ensure_owns_application(actor, application)
    if application.status != Status.DRAFT:
        return application  # a second click or a second tab: already done, nothing more to do
    if not application.round.is_open():
        raise ValidationError(ROUND_CLOSED, code="round_closed")
    problems = routing.check_choices(application)
    if problems:
        raise ValidationError(
            [f"{p.opportunity.title}: you cannot be placed here because {p.message}." for p in problems],
            code="ineligible_choice",
        )
    with transaction.atomic():
        application_transition(application=application, to=Status.SUBMITTED, actor=actor, expected=Status.DRAFT)
        Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now())
        _replace_preferences(application)
        _email_student(application, "student_application_received")
        _notify_tutors(application)
        if application.needs_guardian_consent:
            _request_consent(application, actor)
        else:
            application_transition(
                application=application,
                to=Status.READY_FOR_MATCHING,
                actor=None,
                reason="Aged 18 or over: no guardian consent needed",
            )
    application.refresh_from_db()
    return application


def application_resubmit_answers(*, actor: User, application: Application) -> None:
    """After an edit to a submitted application (matching has not taken it yet): rebuild its routed list, and keep
    guardian consent in step with the answers.

    * Now under 18 with no consent given (a corrected date of birth): back to waiting for consent, and the guardian
      is asked, once. Matching only takes applications ready for matching, so no place is offered meanwhile.
    * While consent is awaited, a new or changed guardian address gets a new link and the link sent to the old
      address stops working; a date of birth corrected to 18 or over needs no consent, and the link stops working.
    """
    ensure_editable(actor, application)
    if application.status == Status.DRAFT:
        return
    with transaction.atomic():
        _replace_preferences(application)
        if application.status == Status.READY_FOR_MATCHING and application.needs_guardian_consent:
            if not GuardianConsent.objects.filter(application=application, given_at__isnull=False).exists():
                application_transition(
                    application=application,
                    to=Status.AWAITING_CONSENT,
                    actor=actor,
                    expected=Status.READY_FOR_MATCHING,
                    reason="Date of birth changed to under 18: consent needed from a parent or guardian",
                )
        if application.status != Status.AWAITING_CONSENT:
            return
        pending = GuardianConsent.objects.filter(application=application, given_at__isnull=True).first()
        if not application.needs_guardian_consent:
            if pending:
                pending.delete()
            application_transition(
                application=application,
                to=Status.READY_FOR_MATCHING,
                actor=None,
                reason="Aged 18 or over: no guardian consent needed",
            )
            return
        address = application.guardian_email.strip().lower()
        if address and (pending is None or pending.guardian_email.lower() != address):
            _send_consent_link(application)
            _email_student(application, "student_consent_requested")


def _replace_preferences(application: Application) -> None:
    RoutedPreference.objects.filter(application=application).delete()
    RoutedPreference.objects.bulk_create(routing.build_preferences(application))


def _email_student(application: Application, template: str, **context) -> None:
    student = application.student
    email_enqueue(
        dedupe_key=f"{template}:application:{application.pk}:user:{student.pk}",
        template=template,
        to_email=student.email,
        recipient=student,
        context={
            "application": application,
            "dashboard_url": absolute_url(reverse("placements:student-home")),
            **context,
        },
    )


def _notify_tutors(application: Application) -> None:
    if not application.college_id:
        return
    for tutor in User.objects.filter(role=Role.TUTOR, organisation_id=application.college_id, is_active=True):
        email_enqueue(
            dedupe_key=f"tutor_student_submitted:application:{application.pk}:user:{tutor.pk}",
            template="tutor_student_submitted",
            to_email=tutor.email,
            recipient=tutor,
            context={"application": application, "student_name": f"{application.first_name} {application.last_name}"},
        )


def _request_consent(application: Application, actor: User) -> None:
    _send_consent_link(application)
    application_transition(
        application=application,
        to=Status.AWAITING_CONSENT,
        actor=None,
        reason="Under 18: consent requested from a parent or guardian",
    )
    _email_student(application, "student_consent_requested")


def _send_consent_link(application: Application) -> None:
    """A new single-use consent link to the guardian address on the application; any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    GuardianConsent.objects.update_or_create(
        application=application,
        defaults={
            "guardian_email": application.guardian_email,
            "token_hash": _hash(token),
            "requested_at": timezone.now(),
            "expires_at": timezone.now() + timedelta(days=CONSENT_VALID_DAYS),
            "given_at": None,
        },
    )
    consent_url = absolute_url(reverse("placements:guardian-consent", kwargs={"token": token}))
    email_enqueue(
        dedupe_key=f"guardian_consent_request:application:{application.pk}:{_hash(token)[:12]}",
        template="guardian_consent_request",
        to_email=application.guardian_email,
        context={
            "application": application,
            "consent_url": consent_url,
            "valid_days": CONSENT_VALID_DAYS,
            # The guardian does not know us, and the student typed this: quoted as data, never in the subject.
            "student_name": name_as_data(application.first_name),
        },
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def consent_for_token(token: str) -> GuardianConsent | None:
    consent = (
        GuardianConsent.objects.select_related("application__round", "application__student")
        .filter(token_hash=_hash(token))
        .first()
    )
    if consent is None or consent.given_at or consent.expires_at <= timezone.now():
        return None
    return consent


def guardian_consent_give(*, token: str, guardian_name: str, relationship: str) -> Application:
    """Record consent once (a single-use, expiring link) and release the application for matching."""
    with transaction.atomic():
        consent = consent_for_token(token)
        if consent is None:
            raise ValidationError(CONSENT_UNUSABLE, code="unusable")
        claimed = GuardianConsent.objects.filter(
            pk=consent.pk, given_at__isnull=True, expires_at__gt=timezone.now()
        ).update(given_at=timezone.now(), guardian_name=guardian_name.strip(), relationship=relationship.strip())
        if not claimed:
            raise ValidationError(CONSENT_UNUSABLE, code="unusable")
        application = consent.application
        if application.status == Status.AWAITING_CONSENT:
            application_transition(
                application=application,
                to=Status.READY_FOR_MATCHING,
                actor=None,
                reason=f"Consent given by {guardian_name.strip()} ({relationship.strip()})",
            )
        _email_student(application, "student_consent_received")
        email_enqueue(
            dedupe_key=f"guardian_consent_confirmed:application:{application.pk}",
            template="guardian_consent_confirmed",
            to_email=consent.guardian_email,
            context={"application": application, "student_name": name_as_data(application.first_name)},
        )
    return application


def application_withdraw(*, actor: User, application: Application, reason: str) -> Application:
    """The student withdraws (or cancels an accepted place) at any time, with a reason."""
    ensure_owns_application(actor, application)
    if application.status not in WITHDRAWABLE:
        raise ValidationError("This application has already ended.", code="ended")
    target = (
        Status.CANCELLED_BY_STUDENT
        if application.status in (Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS)
        else Status.WITHDRAWN
    )
    was = Status(application.status)
    with transaction.atomic():
        application_transition(application=application, to=target, actor=actor, reason=reason)
        for placement in application.placements.filter(released_at__isnull=True).select_related(
            "application__round", "cohort__opportunity"
        ):
            placement_release(placement=placement, reason="withdrawn_by_student")
            if was in HOST_TOLD_OF_CANCELLATION:
                # The host has promised or given this seat: they plan staff around it, so they hear at once.
                host_coordinators_tell(
                    placement=placement,
                    template="coordinator_place_cancelled_by_student",
                    had_accepted=was in HOLDS_PLACE,
                )
        _email_student(application, "student_application_withdrawn", reason=reason)
    return application
