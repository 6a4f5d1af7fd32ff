"""The application behind a match, as a host coordinator or the student's tutor may read it.

Widening-participation answers live in their own table and are never selected here. Tutors do not see
occupational-health notes (the host needs them for its checks; the college does not).
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import User
from placements.models import Application, ApplicationChoice, Placement, StatusChange
from placements.selectors.tutor import HIDDEN_FROM_TUTORS, applications_for_tutor

_CHOICES = Prefetch(
    "choices", queryset=ApplicationChoice.objects.select_related("opportunity__organisation").order_by("rank")
)


def _placements(queryset) -> Prefetch:
    return Prefetch(
        "placements",
        queryset=queryset.select_related("cohort__opportunity__organisation", "cohort__opportunity__site").order_by(
            "-created_at", "-pk"
        ),
        to_attr="placement_history",
    )


def applications_for_host(user: User) -> QuerySet[Application]:
    """Applications with a current or past placement in the coordinator's organisation; nothing for anyone else."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return Application.objects.none()
    ours = Placement.objects.filter(cohort__opportunity__organisation_id=user.organisation_id)
    return Application.objects.filter(Exists(ours.filter(application=OuterRef("pk"))))


def application_for_host(user: User, pk: int) -> Application | None:
    """One application for its host's coordinator, with their own placements (not other hosts') and choices."""
    ours = Placement.objects.filter(cohort__opportunity__organisation_id=user.organisation_id)
    return (
        applications_for_host(user)
        .filter(pk=pk)
        .select_related("round", "college", "endorsement")
        .prefetch_related(_CHOICES, _placements(ours))
        .first()
    )


def application_for_tutor(user: User, pk: int) -> Application | None:
    """One of the tutor's own college's applications, with every placement and the timeline."""
    return (
        applications_for_tutor(user)
        .defer(*HIDDEN_FROM_TUTORS)
        .filter(pk=pk)
        .select_related("college")
        .prefetch_related(
            _CHOICES,
            _placements(Placement.objects.all()),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "pk")),
        )
        .first()
    )
