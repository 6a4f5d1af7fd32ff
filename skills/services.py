"""Changes to skills assessments. Each checks permission first, validates, then writes in one transaction.

A repeat is harmless: starting twice resumes the open sitting, submitting twice keeps the first time.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from skills import scoring
from skills.models import Answer, Assessment, Domain, Response, StaffGroup, Statement
from skills.permissions import ensure_can_assess_self, ensure_can_change_assessment
from skills.selectors import current_framework, open_assessment_for

NO_FRAMEWORK = "The self-assessment is not available yet. Try again later."
ALREADY_SUBMITTED = "You have already sent this assessment. Start a new one to answer again."
NOT_SUBMITTED = "Send your assessment before you share it."
WRONG_DOMAIN = "That part of the assessment does not exist."
UNKNOWN_ANSWER = "Choose one of the answers given."
UNANSWERED = "Select an answer for '{text}'"
INCOMPLETE = "Answer every question before you send your assessment. {count} still to answer."


def assessment_start(*, actor) -> Assessment:
    """Start a new sitting on the newest framework version, or resume the one the person has open."""
    ensure_can_assess_self(actor)
    existing = open_assessment_for(actor)
    if existing is not None:
        return existing
    version = current_framework()
    if version is None:
        raise ValidationError(NO_FRAMEWORK, code="no_framework")
    try:
        with transaction.atomic():
            return Assessment.objects.create(person=actor, framework_version=version)
    except IntegrityError:
        # Two tabs pressed "Start" at once: the other request made the open sitting; resume it.
        return open_assessment_for(actor)


def assessment_answer_domain(
    *, actor, assessment: Assessment, domain: Domain, answers: Mapping[int, str], require_all: bool = True
) -> list[Response]:
    """Save the answers to one domain's statements (statement id -> Answer value); with ``require_all``,
    every statement of the domain must be answered. Answers left blank keep any earlier answer."""
    ensure_can_change_assessment(actor, assessment)
    if assessment.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    if domain.framework_version_id != assessment.framework_version_id:
        raise ValidationError(WRONG_DOMAIN, code="wrong_domain")
    statements = {s.pk: s for s in Statement.objects.filter(domain=domain)}
    errors = {}
    for statement_id, answer in answers.items():
        if statement_id not in statements:
            raise ValidationError(WRONG_DOMAIN, code="wrong_statement")
        if answer and answer not in Answer.values:
            errors[statement_id] = ValidationError(UNKNOWN_ANSWER, code="unknown_answer")
    given = {pk: answer for pk, answer in answers.items() if answer}
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.submitted_at is not None:
            raise ValidationError(ALREADY_SUBMITTED, code="submitted")
        if require_all:
            earlier = set(
                Response.objects.filter(assessment=locked, statement__domain=domain).values_list(
                    "statement_id", flat=True
                )
            )
            for pk, statement in statements.items():
                if pk not in given and pk not in earlier and pk not in errors:
                    errors[pk] = ValidationError(UNANSWERED.format(text=statement.text), code="required")
        if errors:
            raise ValidationError(errors)
        saved = []
        for pk, answer in given.items():
            response, _ = Response.objects.update_or_create(
                assessment=locked, statement_id=pk, defaults={"answer": answer}
            )
            saved.append(response)
    return saved


def unanswered_count(assessment: Assessment) -> int:
    total = Statement.objects.filter(domain__framework_version=assessment.framework_version_id).count()
    return total - Response.objects.filter(assessment=assessment).count()


def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    """Send the sitting: every statement answered; the first submission time stands."""
    ensure_can_change_assessment(actor, assessment)
    if assessment.is_submitted:
        return assessment
    missing = unanswered_count(assessment)
    if missing:
        raise ValidationError(INCOMPLETE.format(count=missing), code="incomplete")
    Assessment.objects.filter(pk=assessment.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now(), levels=levels_of(assessment)
    )
    assessment.refresh_from_db()
    return assessment


def assessment_share(*, actor, assessment: Assessment, share: bool) -> Assessment:
    """The person shares (or stops sharing) this result with their employer's coordinators."""
    ensure_can_change_assessment(actor, assessment)
    if not assessment.is_submitted:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    Assessment.objects.filter(pk=assessment.pk).update(
        shared_with_employer=share, shared_at=timezone.now() if share else None
    )
    assessment.refresh_from_db()
    return assessment


# --- About your work (the employer dashboard's staff group and department), and the stored levels.

UNKNOWN_STAFF_GROUP = "Select the staff group you work in"
DEPARTMENT_MISSING = "Enter your team or department"
DEPARTMENT_TOO_LONG = "Team or department must be 80 characters or fewer"


def department_key(department: str) -> str:
    """What departments are grouped by: trimmed, inner spaces collapsed, case-folded ("Ward 7 " = "ward 7")."""
    return " ".join(department.split()).casefold()[:80]


def assessment_about_work(*, actor, assessment: Assessment, staff_group: str, department: str) -> Assessment:
    """The person says which staff group and team they work in, before answering (changeable until submitted)."""
    ensure_can_change_assessment(actor, assessment)
    if assessment.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    department = " ".join((department or "").split())
    errors = {}
    if staff_group not in StaffGroup.values:
        errors["staff_group"] = ValidationError(UNKNOWN_STAFF_GROUP, code="staff_group")
    if not department:
        errors["department"] = ValidationError(DEPARTMENT_MISSING, code="required")
    elif len(department) > 80:
        errors["department"] = ValidationError(DEPARTMENT_TOO_LONG, code="max_length")
    if errors:
        raise ValidationError(errors)
    updated = Assessment.objects.filter(pk=assessment.pk, submitted_at__isnull=True).update(
        staff_group=staff_group, department=department, department_key=department_key(department)
    )
    if not updated:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    assessment.refresh_from_db()
    return assessment


def levels_of(assessment: Assessment) -> dict[str, int]:
    """domain key -> level of this sitting, by the scoring rule (stored on submit; two queries)."""
    statements = Statement.objects.filter(domain__framework_version=assessment.framework_version_id).values_list(
        "domain__key", "pk", "level"
    )
    answers = dict(Response.objects.filter(assessment=assessment).values_list("statement_id", "answer"))
    return scoring.levels_from_answers(statements, answers)
