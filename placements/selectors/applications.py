"""Reads of applications, scoped to the person asking."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from placements.models import Application, ApplicationChoice, Round, RoutedPreference
from placements.workflow import ENDED_WITHOUT_PLACE, HOLDS_PLACE, Status


def current_round() -> Round | None:
    """The round open for applications today, else the next one to open, else the latest."""
    today = timezone.localdate()
    rounds = Round.objects.all()
    return (
        rounds.filter(applications_open_on__lte=today, applications_close_on__gte=today).first()
        or rounds.filter(applications_open_on__gt=today).order_by("applications_open_on").first()
        or rounds.order_by("-applications_close_on").first()
    )


def applications_of(student: User) -> QuerySet[Application]:
    return Application.objects.filter(student=student).select_related("round", "college")


def application_for_dashboard(student: User, round_: Round) -> Application | None:
    return (
        applications_of(student)
        .filter(round=round_)
        .prefetch_related(
            Prefetch("choices", queryset=ApplicationChoice.objects.select_related("opportunity__organisation")),
            Prefetch(
                "preferences",
                queryset=RoutedPreference.objects.select_related(
                    "cohort__opportunity__organisation", "cohort__opportunity__site"
                ),
            ),
            "status_changes",
        )
        .first()
    )


# --- Students left without a place (read by training's first-come student places, step 9) -------------------

PLACED_OR_OFFERED = HOLDS_PLACE | {Status.OFFERED, Status.COMPLETED}


def application_ended_without_place_for(student: User) -> Application | None:
    """The student's latest application that ended without a place (ENDED_WITHOUT_PLACE), or None.

    None too when a later application of theirs has been offered or holds (or held) a place: the first-come
    places are for students left with nothing. A later application still in progress does not take them away.
    """
    for application in applications_of(student).order_by("-round__placements_from", "-created_at"):
        if application.status in ENDED_WITHOUT_PLACE:
            return application
        if application.status in PLACED_OR_OFFERED:
            return None
    return None


# --- Students' digital skills answers (read by skills.student_check: the short form of the framework, step 10) ---


def digital_skills_answers(*, college_id: int | None = None, round_id: int | None = None):
    """(student id, the five-question check's answers {question key: answer}) of the latest application of each
    student who answered it; only applications a student has sent count. Optionally one college's or round's."""
    applications = Application.objects.exclude(digital_skills={}).exclude(submitted_at=None)
    if college_id is not None:
        applications = applications.filter(college_id=college_id)
    if round_id is not None:
        applications = applications.filter(round_id=round_id)
    latest: dict[int, dict] = {}
    for student_id, answers in applications.order_by("student_id", "created_at", "pk").values_list(
        "student_id", "digital_skills"
    ):
        latest[student_id] = answers or {}
    return list(latest.items())
