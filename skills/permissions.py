"""Who may do what with skills assessments: ``can_*`` predicates and the ``ensure_*`` guards services call.

For now only health and care staff (Role.STAFF) with an employer assess themselves, and a person's
assessment is theirs alone: nobody else opens it (employers will read counts of 5 or more, never answers,
unless the person shares them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Role

NOT_STAFF = "Only health and care staff can take the digital skills self-assessment."
NOT_YOURS = "You can only change your own assessment."


def can_assess_self(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.STAFF
        and user.organisation_id is not None
        # Joined with a code: not until the work email is confirmed (invited staff confirmed it by the link).
        and user.email_verified_at is not None
    )


def can_view_assessment(user, assessment) -> bool:
    return can_assess_self(user) and assessment.person_id == user.pk


def can_change_assessment(user, assessment) -> bool:
    """Answers change only while the sitting is open; sharing changes after it is submitted."""
    return can_view_assessment(user, assessment)


def ensure_can_assess_self(user) -> None:
    if not can_assess_self(user):
        raise PermissionDenied(NOT_STAFF)


def ensure_can_change_assessment(user, assessment) -> None:
    if not can_change_assessment(user, assessment):
        raise PermissionDenied(NOT_YOURS)


# --- The employer's dashboard: an NHS trust's or care provider's coordinators, for their own organisation only.


def can_view_employer_dashboard(user) -> bool:
    from accounts.models import EMPLOYER_KINDS

    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and user.organisation_id is not None
        and user.organisation_kind in EMPLOYER_KINDS
    )
