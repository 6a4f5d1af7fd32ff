"""seed_demo makes its data through the real services, so the first matching run on it tells the truth."""

import html
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from notifications.models import OutboundEmail
from placements import explanations
from placements.demo_clock import demo_clock
from placements.demo_journeys import DEMO_APPLICANTS
from placements.matching.eligibility import DATES_OUTSIDE_AVAILABILITY, MISSING_VACCINATIONS, NEEDS_DBS, TOO_YOUNG
from placements.models import (
    Application,
    Cohort,
    DbsStatus,
    MatchingRun,
    MatchResult,
    Placement,
    Round,
    RunStatus,
    StatusChange,
)
from placements.services.host_decisions import proposed_for, seats_held
from placements.services.matching_runs import matching_run_execute
from placements.workflow import HOLDS_PLACE, TRANSITIONS, Status
from tests.skills.people.seed_checks import SKILLS_MODELS, check_digital_skills_are_what_staff_did_through_the_services
from tests.training.demo.seed_checks import (
    TRAINING_MODELS,
    check_simulation_suites_are_what_colleges_employers_staff_and_students_did_through_the_services,
)

DEMO_LOGINS = [
    "student@demo.test",
    "student.b@demo.test",
    "tutor@demo.test",
    "tutor.b@demo.test",
    "coordinator@demo.test",
    "coordinator.b@demo.test",
    "admin@demo.test",
    "trainer@demo.test",
    "staff@demo.test",
    "staff.b@demo.test",
]
S = Status
# Who may make each move: the student, the host's coordinator, or the system (a run, a consent link, a job).
STUDENT, HOST, SYSTEM = "student", "host", "system"
ACTORS = {
    (S.DRAFT, S.SUBMITTED): STUDENT,
    (S.SUBMITTED, S.AWAITING_CONSENT): SYSTEM,
    (S.SUBMITTED, S.READY_FOR_MATCHING): SYSTEM,
    (S.AWAITING_CONSENT, S.READY_FOR_MATCHING): SYSTEM,
    (S.READY_FOR_MATCHING, S.MATCHED): SYSTEM,
    (S.MATCHED, S.OFFERED): HOST,
    (S.OFFERED, S.ACCEPTED): STUDENT,
    (S.OFFERED, S.DECLINED): STUDENT,
    (S.OFFERED, S.EXPIRED): SYSTEM,
    (S.ACCEPTED, S.CONFIRMED): HOST,
    (S.CONFIRMED, S.IN_PROGRESS): HOST,
    (S.CONFIRMED, S.DID_NOT_ATTEND): HOST,
    (S.IN_PROGRESS, S.COMPLETED): HOST,
    (S.ACCEPTED, S.CANCELLED_BY_HOST): HOST,
    (S.ACCEPTED, S.CANCELLED_BY_STUDENT): STUDENT,
    (S.READY_FOR_MATCHING, S.WITHDRAWN): STUDENT,
    (S.READY_FOR_MATCHING, S.UNSUCCESSFUL): SYSTEM,
}


@pytest.fixture
def demo_round(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(name="Demo round")


def _counts():
    return [
        model.objects.count()
        for model in (
            User,
            Application,
            StatusChange,
            Placement,
            MatchingRun,
            MatchResult,
            Cohort,
            OutboundEmail,
            *TRAINING_MODELS,
            *SKILLS_MODELS,
        )
    ]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_everything_in_it_is_what_people_did_through_the_services(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    # Its closing line says what there is to look at, the planning reports' history included.
    assert "an earlier round told from application to certificate" in out.getvalue()
    assert "2 planning snapshots to compare" in out.getvalue()
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts  # the second run adds nothing and moves nobody
    demo_round = Round.objects.get(name="Demo round")
    check_every_demo_student_ends_in_their_own_status_and_every_role_has_something_to_see(demo_round)
    check_every_status_change_is_a_move_the_workflow_allows_made_by_the_right_person()
    check_seats_preferences_and_emails_are_what_the_services_left()
    check_every_explanation_from_the_demo_runs_is_true()
    check_simulation_suites_are_what_colleges_employers_staff_and_students_did_through_the_services()
    check_digital_skills_are_what_staff_did_through_the_services()
    check_planning_reports_have_a_past_round_to_show()
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("email", flat=True))
    # Every status but "submitted", which an application passes through in the same request.
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values) - {Status.SUBMITTED}
    assert all(c.booked <= c.capacity for c in Cohort.objects.all())
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.NHS_TRUST) >= 2 and kinds.count(OrganisationKind.COLLEGE) >= 2
    assert OrganisationKind.CARE_PROVIDER in kinds
    for email in [*DEMO_LOGINS, *(row[0] for row in DEMO_APPLICANTS)]:
        assert User.objects.get(email=email).check_password("placements-demo"), email
    assert (
        User.objects.get(email="student@demo.test").organisation
        != User.objects.get(email="student.b@demo.test").organisation
    )
    assert User.objects.get(email="coordinator.b@demo.test").organisation.kind == OrganisationKind.CARE_PROVIDER


def check_planning_reports_have_a_past_round_to_show():
    """Every count in the reports of fewer than 5 people is hidden: the earlier round has enough people in each
    outcome for the partner's pages to show figures (placements/demo_history.py), and some answered the optional
    widening-participation questions."""
    earlier = Round.objects.get(name="Earlier demo round")
    outcomes = Counter(Application.objects.filter(round=earlier).values_list("status", flat=True))
    assert sum(outcomes.values()) >= 60
    for status in (Status.COMPLETED, Status.UNSUCCESSFUL, Status.DECLINED):
        assert outcomes[status] >= 5, outcomes
    answered = Application.objects.filter(round=earlier, widening_participation__free_school_meals="yes").count()
    assert answered >= 5
    # Two monthly snapshots to compare: one taken after the earlier round ended (when it would have been), one now.
    from insights.models import Snapshot, SnapshotStatus

    snapshots = list(Snapshot.objects.filter(status=SnapshotStatus.SUCCEEDED).order_by("taken_at"))
    assert len(snapshots) == 2
    assert earlier.placements_to < snapshots[0].taken_at.date() < snapshots[1].taken_at.date()


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("email", flat=True))


def check_every_demo_student_ends_in_their_own_status_and_every_role_has_something_to_see(demo_round):
    for email, first_name, _college, status in DEMO_APPLICANTS:
        application = Application.objects.get(student__email=email)
        assert (application.first_name, application.status) == (first_name, status), email
    assert Application.objects.get(student__email="student@demo.test").round == demo_round
    offer = Placement.objects.get(application__student__email="student@demo.test", released_at=None)
    assert offer.offer_expires_at > timezone.now()  # an offer waiting, not a lapsed one
    trust, care = User.objects.get(email="coordinator@demo.test"), User.objects.get(email="coordinator.b@demo.test")
    assert proposed_for(trust).exists()
    for coordinator in (trust, care):
        assert Placement.objects.filter(
            cohort__opportunity__organisation=coordinator.organisation,
            released_at=None,
            application__status__in=HOLDS_PLACE,
        ).exists(), coordinator.email
    for tutor in User.objects.filter(role=Role.TUTOR, email__endswith="@demo.test"):
        assert Application.objects.filter(college=tutor.organisation).count() >= 5
    # A guardian's consent and an emergency contact wherever a real student would have them.
    for application in Application.objects.exclude(status__in=[S.DRAFT, S.AWAITING_CONSENT]):
        if application.guardian_email:
            assert application.guardian_consent.given_at and application.guardian_consent.guardian_name
    for placement in Placement.objects.exclude(accepted_at=None):
        assert placement.application.emergency_contact_name and placement.application.emergency_contact_phone


def _kind_of(actor, application) -> str:
    if actor is None:
        return SYSTEM
    if actor.pk == application.student_id:
        return STUDENT
    assert actor.role == Role.COORDINATOR
    hosts = set(application.placements.values_list("cohort__opportunity__organisation", flat=True))
    assert actor.organisation_id in hosts, f"{actor} decided on a placement that is not theirs"
    return HOST


def check_every_status_change_is_a_move_the_workflow_allows_made_by_the_right_person():
    now = timezone.now()
    for application in Application.objects.all():
        changes = list(application.status_changes.select_related("actor").order_by("created_at", "pk"))
        first, *moves = changes
        assert (first.from_status, first.to_status, first.actor_id) == ("", S.DRAFT, application.student_id)
        current = S.DRAFT
        for change in moves:
            assert change.from_status == current, (application.first_name, change)
            assert S(change.to_status) in TRANSITIONS[current], (application.first_name, change)
            key = (S(change.from_status), S(change.to_status))
            expected = ACTORS.get(key, HOST if key == (S.MATCHED, S.READY_FOR_MATCHING) else None)
            assert expected is not None, f"{application.first_name}: no demo story should need {key}"
            if key == (S.MATCHED, S.READY_FOR_MATCHING):  # a host's decline, or a run that moved them out
                expected = SYSTEM if change.actor_id is None else HOST
            assert _kind_of(change.actor, application) == expected, (application.first_name, change)
            assert change.created_at <= now
            current = S(change.to_status)
        assert current == application.status, application.first_name


def check_seats_preferences_and_emails_are_what_the_services_left():
    for cohort in Cohort.objects.all():
        holders = Placement.objects.filter(cohort=cohort, booked_seat=True, released_at=None).count()
        assert cohort.booked == holders, cohort
    for application in Application.objects.filter(status__in=[S.READY_FOR_MATCHING, S.MATCHED]):
        assert application.preferences.exists(), f"{application.first_name} is in the pool with nothing to match"
    for application in Application.objects.exclude(status=S.DRAFT):
        assert application.submitted_at and application.preferences.exists(), application.first_name
    for application in Application.objects.filter(status__in=[S.MATCHED, S.OFFERED, *HOLDS_PLACE]):
        live = application.placements.filter(released_at=None)
        assert live.count() == 1 and live.get().cohort_id in set(
            application.preferences.values_list("cohort_id", flat=True)
        )
    assert not MatchingRun.objects.exclude(status=RunStatus.SUCCEEDED).exists()  # no run left for the worker
    # Each email the story wrote was delivered when it happened, not all at once by the first worker to start.
    emails = OutboundEmail.objects.all()
    assert (
        emails.filter(template="guardian_consent_request").count()
        == Application.objects.exclude(guardian_email="").exclude(status=S.DRAFT).count()
    )
    assert not emails.exclude(status="sent").exists()
    assert all(e.created_at <= e.sent_at <= timezone.now() for e in emails)


# --- checking what a student reads against the run it came from ----------------------------------------------------


def _rule_holds(rule: str, application: Application, cohort: Cohort) -> bool:
    opportunity = cohort.opportunity
    if rule == TOO_YOUNG:
        return application.age_on(cohort.start_date) < opportunity.min_age
    if rule == NEEDS_DBS:
        return opportunity.requires_dbs and application.dbs_status != DbsStatus.HAVE
    if rule == MISSING_VACCINATIONS:
        return not set(opportunity.required_vaccinations) <= set(application.vaccinations)
    if rule == DATES_OUTSIDE_AVAILABILITY:
        return not (application.available_from <= cohort.start_date and cohort.end_date <= application.available_to)
    return False


def assert_result_is_true(result: MatchResult, seats_before: dict[int, int] | None = None) -> None:
    """Every sentence ``explain_result`` makes from ``result`` agrees with the run's own records (and, for the run
    just made, with the seats there were before it)."""
    application = result.application
    ranks = dict(application.preferences.values_list("cohort_id", "rank"))
    taken = Counter(MatchResult.objects.filter(run=result.run).exclude(cohort=None).values_list("cohort_id", flat=True))
    sentences = explanations.explain_result(result)
    for entry, sentence in zip(result.explanations, sentences, strict=False):
        cohort = Cohort.objects.select_related("opportunity").get(pk=entry["cohort"])
        assert f"Your {explanations.ordinal(ranks[cohort.pk])} choice, {cohort.opportunity.title}" in sentence
        if entry["reason"] == "cutoff_above":
            # "places went to applicants with a higher priority": somebody in that run holds a seat there.
            assert taken[cohort.pk] >= 1, sentence
            if seats_before is not None:
                assert taken[cohort.pk] == seats_before[cohort.pk], sentence
        elif entry["reason"] == "no_places":
            if seats_before is not None:
                assert seats_before[cohort.pk] == 0, sentence
        else:
            assert _rule_holds(entry["rule"], application, cohort), sentence
    last = sentences[-1]
    if result.cohort_id:
        assert explanations.ordinal(ranks[result.cohort_id]) in last
        assert Placement.objects.filter(application=application, cohort_id=result.cohort_id).exists()
        if application.status in (S.MATCHED, S.OFFERED, *HOLDS_PLACE, S.COMPLETED, S.DID_NOT_ATTEND):
            assert last.startswith("You were matched to your") and not last.endswith(
                "released. You are in the next run."
            )
            assert application.placements.get(released_at=None).cohort_id == result.cohort_id
    elif application.status == S.UNSUCCESSFUL:
        assert last == explanations.ROUND_ENDED
    else:
        assert last == explanations.NOT_YET and application.status == S.READY_FOR_MATCHING
        assert not application.placements.filter(released_at=None).exists()


def _assert_run_status_changes_are_true(run: MatchingRun) -> None:
    taken = set(MatchResult.objects.filter(run=run).exclude(cohort=None).values_list("cohort_id", flat=True))
    for change in StatusChange.objects.filter(reason__endswith=f"(run {run.pk})"):
        if "higher priority" in change.reason:
            lost = change.application.placements.filter(release_reason="rematched").latest("released_at")
            assert lost.cohort_id in taken, f"{change.reason}: nobody in run {run.pk} took that place"


def test_the_first_matching_run_on_fresh_demo_data_tells_the_truth(
    demo_round, client, monkeypatch, django_capture_on_commit_callbacks
):
    admin = User.objects.get(email="admin@demo.test")
    in_pool = Application.objects.filter(round=demo_round, status__in=[S.READY_FOR_MATCHING, S.MATCHED])
    assert sorted(in_pool.values_list("first_name", flat=True)) == ["Bilal", "Mo"]
    held_before = {p.application_id: (p.pk, p.cohort_id) for p in Placement.objects.filter(released_at=None)}
    seats_before = {c.pk: c.capacity - seats_held(c) for c in Cohort.objects.all()}
    changes_before = StatusChange.objects.count()

    # The command-line preview, then the admin's preview and real run (the worker runs them at once here).
    preview_out = StringIO()
    call_command("run_matching", "--round", demo_round.pk, "--dry-run", stdout=preview_out)
    cli_preview = MatchingRun.objects.latest("pk")
    assert f"{cli_preview.matched} of {cli_preview.applicants} applicants matched" in preview_out.getvalue()
    monkeypatch.setattr(
        "placements.admin.matching.run_matching_task.delay", lambda run_id: matching_run_execute(run_id=run_id)
    )
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:placements_matchingrun_start"), {"round": demo_round.pk})
    preview = MatchingRun.objects.latest("pk")
    assert preview.dry_run and preview.status == RunStatus.SUCCEEDED
    assert StatusChange.objects.count() == changes_before
    confirm = html.unescape(
        client.get(reverse("admin:placements_matchingrun_commit", args=[preview.pk])).content.decode()
    )
    assert f"{preview.matched} of {preview.applicants}" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:placements_matchingrun_commit", args=[preview.pk]))
    run = MatchingRun.objects.get(dry_run=False, started_by=admin)

    # The preview says what the run then does.
    for dry in (cli_preview, preview):
        assert (dry.applicants, dry.matched, dry.input_hash) == (run.applicants, run.matched, run.input_hash)
    assert (run.applicants, run.matched, run.placements_released) == (2, 2, 0)

    # Mo keeps the match the host is deciding on; Bilal gets his first choice; nobody is told a false story.
    mo = Application.objects.get(student__email="demo.matched@demo.test")
    assert mo.status == S.MATCHED and held_before[mo.pk] == tuple(
        mo.placements.filter(released_at=None).values_list("pk", "cohort_id").get()
    )
    bilal = Application.objects.get(student__email="student.b@demo.test")
    assert bilal.status == S.MATCHED
    assert bilal.placements.get(released_at=None).cohort == bilal.preferences.get(rank=1).cohort
    assert not StatusChange.objects.filter(reason__contains="higher priority").exists()
    for frozen, (placement_pk, cohort_pk) in held_before.items():
        assert Placement.objects.filter(pk=placement_pk, cohort_id=cohort_pk, released_at=None).exists(), frozen

    for result in MatchResult.objects.filter(run=run).select_related("application", "run"):
        assert_result_is_true(result, seats_before)
    for earlier in MatchingRun.objects.filter(dry_run=False).exclude(pk=run.pk):
        _assert_run_status_changes_are_true(earlier)
    _assert_run_status_changes_are_true(run)

    # What every demo student reads on their dashboard is what the runs did.
    for email, *_ in DEMO_APPLICANTS:
        student = User.objects.get(email=email)
        client.force_login(student)
        page = html.unescape(client.get(reverse("placements:student-home")).content.decode())
        application = student.applications.filter(round=demo_round).first()
        if application is None or application.status not in (S.READY_FOR_MATCHING, S.MATCHED, S.OFFERED):
            continue
        result = explanations.latest_result(application)
        assert result is not None, email
        assert_result_is_true(result)
        for sentence in explanations.explain_result(result):
            assert sentence in page, (email, sentence)


def check_every_explanation_from_the_demo_runs_is_true():
    """Including the round that ended: a student not placed reads why, in words that are still true."""
    for result in MatchResult.objects.filter(run__dry_run=False).select_related("application", "run"):
        if result == explanations.latest_result(result.application):
            assert_result_is_true(result)
    uma = Application.objects.get(student__email="demo.unsuccessful@demo.test")
    assert explanations.explain_result(explanations.latest_result(uma)) == [explanations.ROUND_ENDED]


def test_the_demo_clock_moves_services_and_model_defaults_back_but_never_ahead(db):
    real = timezone.now()
    with demo_clock(real - timedelta(days=30)) as moment:
        assert timezone.now() == moment and timezone.localdate() == timezone.localtime(moment).date()
        assert StatusChange._meta.get_field("created_at").get_default() == moment  # default=timezone.now
    assert timezone.now() >= real and StatusChange._meta.get_field("created_at").get_default() >= real
    with demo_clock(real + timedelta(days=30)) as moment:
        assert moment < real + timedelta(minutes=5)
