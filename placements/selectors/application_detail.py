"""The application behind a match, as a host coordinator or the student's tutor may read it.

Widening-participation answers live in their own table and are never selected here. Tutors do not see
occupational-health notes (the host needs them for its checks; the college does not).

A host reads the student's answers (statement, choices, checks, health notes, support needs) only while it holds
a current placement for the application: matched, offered, accepted, confirmed or in progress with them. Once that
ends (declined, released, expired, cancelled, withdrawn, or the placement is over) the host keeps what its own
records need: the student's name, reference, age on each first day, and each placement's dates and what happened.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import User
from placements.models import Application, ApplicationChoice, Placement, StatusChange
from placements.selectors.tutor import HIDDEN_FROM_TUTORS, applications_for_tutor
from placements.workflow import Status

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


# The statuses in which a host with an unreleased placement is deciding on, offering or hosting the student.
HOST_READS_ANSWERS = frozenset({Status.MATCHED, Status.OFFERED, Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS})
# Never loaded for a host whose placement has ended. The date of birth stays: the age on each first day is a record.
HIDDEN_FROM_PAST_HOSTS = (
    "phone",
    "home_district",
    "course",
    "year_of_study",
    "profession_areas",
    "max_travel_km",
    "available_from",
    "available_to",
    "dbs_status",
    "vaccinations",
    "occupational_health_notes",
    "access_needs",
    "supporting_statement",
    "digital_skills",
    "guardian_email",
    "emergency_contact_name",
    "emergency_contact_phone",
)


def application_for_host(user: User, pk: int) -> Application | None:
    """One application for its host's coordinator, with their own placements (not other hosts'). The answers and
    choices only while the host holds a current placement for it (``host_holds_place``); otherwise never loaded."""
    ours = Placement.objects.filter(cohort__opportunity__organisation_id=user.organisation_id)
    visible = applications_for_host(user).filter(pk=pk)
    holds_place = visible.filter(
        Exists(ours.filter(application=OuterRef("pk"), released_at__isnull=True)), status__in=HOST_READS_ANSWERS
    ).exists()
    if holds_place:
        application = (
            visible.select_related("round", "college", "endorsement")
            .prefetch_related(_CHOICES, _placements(ours))
            .first()
        )
    else:
        application = (
            visible.defer(*HIDDEN_FROM_PAST_HOSTS).select_related("round").prefetch_related(_placements(ours)).first()
        )
    if application is not None:
        application.host_holds_place = holds_place
    return application


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
