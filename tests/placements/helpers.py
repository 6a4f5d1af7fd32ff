"""Builders for application tests: a complete application, ready to submit, in a few lines."""

from datetime import timedelta

from django.utils import timezone

from placements.models import Application, DbsStatus, WideningParticipation
from tests.factories import RoundFactory


def make_application(student, *, round_=None, age=17, **fields) -> Application:
    """A draft with every page answered, for ``student`` aged ``age`` today."""
    round_ = round_ or RoundFactory()
    today = timezone.localdate()
    values = {
        "first_name": "Sam",
        "last_name": "Student",
        "date_of_birth": today.replace(year=today.year - age) - timedelta(days=10),
        "home_district": "SE15",
        "college": student.organisation,
        "profession_areas": ["nursing"],
        "available_from": round_.placements_from,
        "available_to": round_.placements_to,
        "dbs_status": DbsStatus.NONE,
        "supporting_statement": "I want to care for people. " * 6,
        "digital_skills": {"email": "confident"},
        "guardian_email": "parent@example.test" if age < 18 else "",
        "declaration_true": True,
        "declaration_share": True,
        "max_travel_km": 10,
    }
    values.update(fields)
    application = Application.objects.create(student=student, round=round_, **values)
    WideningParticipation.objects.create(application=application)
    return application


def ready_application(round_, cohorts, *, age=17, distance_km=3.0, status=None, **fields):
    """A new student's application, ready for matching, listing ``cohorts`` in order."""
    from placements.models import RoutedPreference
    from placements.workflow import Status
    from tests.factories import StudentFactory

    application = make_application(StudentFactory(), round_=round_, age=age, **fields)
    Application.objects.filter(pk=application.pk).update(status=status or Status.READY_FOR_MATCHING)
    application.refresh_from_db()
    RoutedPreference.objects.bulk_create(
        RoutedPreference(application=application, cohort=cohort, rank=rank, source="choice", distance_km=distance_km)
        for rank, cohort in enumerate(cohorts, start=1)
    )
    return application
