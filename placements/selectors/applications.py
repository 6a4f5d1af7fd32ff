"""Reads of applications, scoped to the person asking."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from placements.models import Application, ApplicationChoice, Round, RoutedPreference


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
