"""``manage.py generate_load``: the London-scale load database keeps every rule the services keep."""

from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from accounts.models import EMPLOYER_KINDS, OrganisationKind, Role, User
from placements.digital_skills import SKILLS as DIGITAL_SKILLS
from placements.models import Application, Cohort, Opportunity, Round, RoutedPreference
from skills.framework import framework_files, framework_load
from skills.models import Assessment, FrameworkVersion, Response, Statement
from skills.services import levels_of
from training.models import Attendee, AttendeeStatus, Booking, Facilitation, Session, SessionStatus

pytestmark = pytest.mark.django_db


def _generate(**options):
    # Migration 0002 loads the skills framework; a database flushed by an earlier test (a live server) has none.
    for path in framework_files():
        framework_load(path)
    call_command("generate_load", force=True, stdout=open("/dev/null", "w"), **options)  # noqa: SIM115
    return Round.objects.latest("pk")


def _preferences(round_):
    """Each application's choices as (rank, cohort's position in the round, distance): what matching reads."""
    cohorts = {
        pk: n
        for n, pk in enumerate(
            Cohort.objects.filter(opportunity__title__startswith="Load").order_by("pk").values_list("pk", flat=True)
        )
    }
    rows = RoutedPreference.objects.filter(application__round=round_).order_by("application_id", "rank")
    return [
        (rank, cohorts[cohort], distance)
        for rank, cohort, distance in rows.values_list("rank", "cohort_id", "distance_km")
    ]


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="disposable"):
        call_command("generate_load", applicants=10)
    assert not Application.objects.exists()


def test_original_shape_without_opportunities():
    round_ = _generate(applicants=100, seed=3)
    opportunities = Opportunity.objects.filter(title__startswith="Load")
    assert Application.objects.filter(round=round_).count() == 100
    assert Cohort.objects.filter(opportunity__in=opportunities).count() == 5
    assert set(opportunities.values_list("profession_area", flat=True)) == {"nursing"}
    assert set(opportunities.values_list("organisation__kind", flat=True)) == {OrganisationKind.NHS_TRUST}
    assert not Application.objects.filter(round=round_, college__isnull=False).exists()


def test_sessions_and_skills_do_not_change_what_matching_reads():
    """The London extras draw from their own stream: the same seed gives the same preferences with or without them."""
    plain = _preferences(_generate(applicants=120, seed=5))
    RoutedPreference.objects.all().delete()
    Cohort.objects.all().delete()
    with_training = _preferences(_generate(applicants=120, seed=5, sessions=12, skills_responses=5))
    assert plain == with_training
    assert len(plain) >= 3 * 120


def test_london_shape_opportunities_colleges_and_areas():
    round_ = _generate(applicants=300, opportunities=40, colleges=6, seed=7)
    opportunities = Opportunity.objects.filter(title__startswith="Load")
    assert opportunities.count() == 40
    assert not opportunities.annotate(n=Count("cohorts")).filter(n=0).exists()
    assert opportunities.values("profession_area").distinct().count() > 3
    assert set(opportunities.values_list("organisation__kind", flat=True)) <= {
        OrganisationKind.NHS_TRUST,
        OrganisationKind.CARE_PROVIDER,
        OrganisationKind.COLLEGE,
    }
    assert not opportunities.filter(site__borough="").exists()
    applications = Application.objects.filter(round=round_)
    at_college = applications.filter(college__isnull=False)
    assert 0.7 * 300 < at_college.count() < 300
    assert at_college.values("college").distinct().count() == 6
    assert not at_college.exclude(student__organisation=F("college")).exists()
    assert applications.filter(college__isnull=True, not_at_college=True).count() == 300 - at_college.count()
    assert all(areas for areas in applications.values_list("profession_areas", flat=True))
    checks = [c for c in applications.values_list("digital_skills", flat=True) if c]
    assert 0.6 * 300 < len(checks) < 300
    assert all(
        set(c) == {s.key for s in DIGITAL_SKILLS} and set(c.values()) <= {"confident", "some_help", "not_yet"}
        for c in checks
    )


def test_sessions_keep_the_booking_rules():
    _generate(applicants=50, sessions=60, seed=11)
    sessions = Session.objects.filter(room__suite__college__name__startswith="Load college")
    assert sessions.count() == 60
    # No room and no facilitator in two sessions at once (what PostgreSQL's exclusion constraints refuse).
    by_room = defaultdict(list)
    for room, starts, ends in sessions.exclude(status=SessionStatus.CANCELLED).values_list(
        "room", "starts_at", "ends_at"
    ):
        by_room[room].append((starts, ends))
    by_facilitator = defaultdict(list)
    for person, starts, ends in Facilitation.objects.values_list("facilitator", "starts_at", "ends_at"):
        by_facilitator[person].append((starts, ends))
    for spans in [*by_room.values(), *by_facilitator.values()]:
        spans.sort()
        assert all(earlier[1] <= later[0] for earlier, later in pairwise(spans))
    for session in sessions.annotate(booked=Sum("bookings__seats")):
        assert 0 <= session.seats_taken <= session.seats
        if session.status == SessionStatus.CANCELLED:
            assert session.seats_taken == 0 and session.cancelled_reason == "below_minimum"
            assert not session.facilitations.exists()
            assert not session.attendees.exclude(status=AttendeeStatus.CANCELLED).exists()
        else:
            assert session.seats_taken == (session.booked or 0)
            assert session.facilitations.exists()
    assert sessions.filter(status=SessionStatus.CANCELLED).exists()
    assert sessions.filter(attendance_marked_at__isnull=False).exists()
    # Named people: staff of the booking's employer, never more than the seats, once per session.
    for booking in Booking.objects.filter(session__in=sessions).annotate(
        named=Count("attendees", filter=~Q(attendees__status=AttendeeStatus.CANCELLED))
    ):
        assert booking.named <= booking.seats
        assert booking.created_at < booking.session.booking_cutoff
    live = Attendee.objects.filter(session__in=sessions).exclude(status=AttendeeStatus.CANCELLED)
    assert live.exists()
    assert not live.exclude(person__organisation=F("booking__employer")).exists()
    assert max(Counter(live.values_list("session", "person")).values()) == 1
    assert live.filter(attendance="attended").exists()


def test_skills_assessments_are_what_submit_would_store():
    version = FrameworkVersion.objects.order_by("-version").first()
    _generate(applicants=20, skills_responses=30, seed=13)
    assessments = Assessment.objects.filter(person__email__startswith="load-staff-")
    assert assessments.count() == 30
    statements = Statement.objects.filter(domain__framework_version=version).count()
    for assessment in assessments:
        assert assessment.framework_version_id == version.pk
        assert assessment.submitted_at is not None and assessment.started_at < assessment.submitted_at
        assert Response.objects.filter(assessment=assessment).count() == statements
        assert assessment.levels == levels_of(assessment)
        assert assessment.staff_group and assessment.department_key == assessment.department.casefold()
    staff = User.objects.filter(email__startswith="load-staff-")
    assert not staff.exclude(role=Role.STAFF).exists()
    assert set(staff.values_list("organisation_kind", flat=True)) <= set(EMPLOYER_KINDS)
    for person in staff[:20]:
        person.full_clean()  # the model's own rules, which bulk_create does not run
    # About one in five people sat twice: 30 sittings by 24 people.
    assert assessments.values("person").distinct().count() == 24
