import json
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from placements import matching
from placements.matching.checks import blocking_pairs, validity_problems
from placements.models import (
    Application,
    Cohort,
    MatchingRun,
    MatchResult,
    OpportunityStatus,
    Placement,
    RunKind,
    RunStatus,
    StatusChange,
)
from placements.services.matching_runs import RunInProgress, matching_run_create, matching_run_execute
from placements.services.matching_snapshot import take_snapshot
from placements.tasks import schedule_nightly_matching_task
from placements.workflow import Status
from tests.factories import CohortFactory, RoundFactory
from tests.placements.helpers import ready_application

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def market(db):
    """Two cohorts of one place and one of two; five applicants with overlapping lists."""
    round_ = RoundFactory()
    start = round_.placements_from + timedelta(days=7)
    a, b, c = (
        CohortFactory(capacity=cap, start_date=start + timedelta(days=7 * i), opportunity__title=t)
        for i, (t, cap) in enumerate([("A", 1), ("B", 1), ("C", 2)])
    )
    apps = [
        ready_application(round_, [a, b, c], distance_km=1.0),  # nearest: wins ties on distance
        ready_application(round_, [a, c], distance_km=8.0),
        ready_application(round_, [b, a], distance_km=4.0),
        ready_application(round_, [a, b], distance_km=20.0),
        ready_application(round_, [c], distance_km=3.0),
    ]
    return round_, (a, b, c), apps


def _run(round_, **kwargs):
    return matching_run_execute(run_id=matching_run_create(actor=None, round_=round_, **kwargs).pk)


def _assigned(apps):
    return {
        app.pk: getattr(Placement.objects.filter(application=app, released_at__isnull=True).first(), "cohort_id", None)
        for app in apps
    }


@pytest.mark.django_db
def test_a_run_proposes_a_stable_capacity_safe_matching_and_records_it(market):
    round_, (a, b, c), apps = market
    run = _run(round_)
    assert run.status == RunStatus.SUCCEEDED and run.applicants == 5 and run.input_hash
    assigned = _assigned(apps)
    assert assigned[apps[0].pk] == a.pk and assigned[apps[2].pk] == b.pk
    for cohort in (a, b, c):
        assert list(assigned.values()).count(cohort.pk) <= cohort.capacity
    assert run.matched == sum(1 for v in assigned.values() if v) and run.placements_created == run.matched
    assert set(
        Application.objects.filter(pk__in=[x.pk for x in apps if assigned[x.pk]]).values_list("status", flat=True)
    ) == {Status.MATCHED}
    assert MatchResult.objects.filter(run=run).count() == 5
    assert (
        StatusChange.objects.filter(to_status=Status.MATCHED, reason__contains=f"run {run.pk}").count() == run.matched
    )
    # The written matching is the engine's, and the engine's is stable.
    snapshot = take_snapshot(round_)
    assert snapshot.instance.applicants  # matched applicants still take part (provisional until approved)
    result = matching.solve(snapshot.instance)
    assert not validity_problems(snapshot.instance, result.assignment)
    assert not blocking_pairs(snapshot.instance, result.assignment)


@pytest.mark.django_db
def test_running_a_run_twice_or_rerunning_unchanged_input_changes_nothing(market):
    round_, _, apps = market
    run = _run(round_)
    before = _assigned(apps)
    assert matching_run_execute(run_id=run.pk).pk == run.pk  # the task delivered twice
    again = _run(round_)
    assert again.input_hash == run.input_hash
    assert again.placements_created == again.placements_released == 0
    assert _assigned(apps) == before and Placement.objects.count() == run.placements_created


@pytest.mark.django_db
def test_two_runs_of_a_round_never_overlap(market):
    round_, _, _ = market
    first = matching_run_create(actor=None, round_=round_)
    MatchingRun.objects.filter(pk=first.pk).update(status=RunStatus.RUNNING)
    second = matching_run_create(actor=None, round_=round_)
    with pytest.raises(RunInProgress):
        matching_run_execute(run_id=second.pk)
    assert MatchingRun.objects.get(pk=second.pk).status == RunStatus.PENDING  # it will run after the first


@pytest.mark.django_db
def test_a_dry_run_previews_statistics_and_writes_nothing(market):
    round_, _, _ = market
    preview = _run(round_, dry_run=True)
    assert preview.status == RunStatus.SUCCEEDED and preview.matched > 0 and preview.percent_matched
    assert not Placement.objects.exists() and not MatchResult.objects.exists()
    assert not Application.objects.filter(status=Status.MATCHED).exists()


@pytest.mark.django_db
def test_offers_and_accepted_places_are_frozen(market):
    round_, (a, _, _), apps = market
    Cohort.objects.filter(pk=a.pk).update(booked=1)  # someone from outside this run accepted A's only seat
    _run(round_)
    assert a.pk not in _assigned(apps).values()


@pytest.mark.django_db
def test_a_closed_opportunity_takes_no_new_students_but_a_standing_match_stays(market):
    round_, (a, b, _), apps = market
    _run(round_)
    holder = apps[0]
    assert _assigned([holder])[holder.pk] == a.pk
    # A second place appears on A, then the host closes it: nobody new may be matched there.
    Cohort.objects.filter(pk=a.pk).update(capacity=2)
    a.opportunity.status = OpportunityStatus.CLOSED
    a.opportunity.save(update_fields=["status"])
    _run(round_)
    assigned = _assigned(apps)
    assert assigned[holder.pk] == a.pk
    assert [pk for pk, cohort in assigned.items() if cohort == a.pk] == [holder.pk]


@pytest.mark.django_db
def test_a_cohort_the_host_declined_is_not_proposed_again(market):
    round_, (a, _, _), apps = market
    _run(round_)
    winner = apps[0]
    Placement.objects.filter(application=winner, cohort=a).update(
        released_at=timezone.now(), host_decline_reason="requirements"
    )
    Application.objects.filter(pk=winner.pk).update(status=Status.READY_FOR_MATCHING)
    _run(round_)
    assert _assigned([winner])[winner.pk] not in (None, a.pk)


@pytest.mark.django_db
def test_backfill_gives_a_released_place_to_the_next_in_line_and_moves_nobody_down(market):
    round_, (a, b, c), apps = market
    _run(round_)
    before = _assigned(apps)
    ranks_before = {x.pk: _rank(x, before[x.pk]) for x in apps}
    leaver = apps[0]  # held A
    Application.objects.filter(pk=leaver.pk).update(status=Status.WITHDRAWN)
    Placement.objects.filter(application=leaver).update(released_at=timezone.now(), release_reason="withdrawn")
    run = _run(round_, kind=RunKind.BACKFILL)
    after = _assigned(apps[1:])
    assert a.pk in after.values(), "the released seat was filled"
    for app in apps[1:]:
        assert _rank(app, after[app.pk]) <= ranks_before[app.pk], "nobody moves down after a release"
    assert run.placements_released >= 1


def _rank(application, cohort_id):
    ranks = dict(application.preferences.values_list("cohort_id", "rank"))
    return ranks.get(cohort_id, 99)


@pytest.mark.django_db
def test_explanations_and_waitlist_positions_are_recorded(market):
    round_, (a, _, _), apps = market
    run = _run(round_)
    result = MatchResult.objects.get(run=run, application=apps[1])  # wanted A, A went to apps[0]
    first = result.explanations[0]
    assert first["cohort"] == a.pk and first["reason"] == "cutoff_above" and first["waitlist"] >= 1


@pytest.mark.django_db
def test_export_reproduces_the_run_with_the_command_line_engine(market, tmp_path):
    round_, _, apps = market
    path = tmp_path / "instance.json"
    call_command("export_matching_instance", "--round", round_.pk, "-o", str(path), stderr=StringIO())
    out = subprocess.run(
        [sys.executable, "-m", "placements.matching", "solve", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    cli = json.loads(out.stdout)["assignment"]
    run = _run(round_)
    written = {
        f"A{r.application_id}": (f"C{r.cohort_id}" if r.cohort_id else None)
        for r in MatchResult.objects.filter(run=run)
    }
    assert cli == written


@pytest.mark.django_db
def test_run_matching_command_prints_the_statistics(market):
    round_, _, _ = market
    out = StringIO()
    call_command("run_matching", "--round", round_.pk, "--dry-run", stdout=out)
    assert "Preview" in out.getvalue() and "applicants matched" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_nightly_schedule_starts_one_run_per_open_round_per_night(market, monkeypatch):
    round_, _, _ = market
    queued = []
    monkeypatch.setattr("placements.tasks.run_matching_task.delay", queued.append)
    assert schedule_nightly_matching_task.run() == 1
    assert schedule_nightly_matching_task.run() == 0
    assert MatchingRun.objects.filter(round=round_, kind=RunKind.NIGHTLY).count() == 1 and len(queued) == 1


@pytest.mark.django_db
def test_students_read_their_result_in_plain_english(client, market):
    from django.urls import reverse

    round_, _, apps = market
    _run(round_)
    loser = apps[1]  # wanted A, which went to a nearer applicant
    client.force_login(loser.student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "Your first choice, A (" in page and "was full: places went to applicants with a higher priority" in page
    assert "in line if a place comes free" in page and "You were matched to your second choice." in page


@pytest.mark.django_db
def test_site_admin_previews_then_commits_a_run_from_the_admin(
    client, site_admin, market, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    round_, _, _ = market
    monkeypatch.setattr(
        "placements.admin.matching.run_matching_task.delay", lambda run_id: matching_run_execute(run_id=run_id)
    )
    client.force_login(site_admin)
    assert "Start a matching run" in client.get(reverse("admin:placements_matchingrun_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("admin:placements_matchingrun_start"), {"round": round_.pk})
    preview = MatchingRun.objects.get(dry_run=True)
    assert started.status_code == 302 and preview.status == RunStatus.SUCCEEDED
    assert not Placement.objects.exists()
    confirm = client.get(reverse("admin:placements_matchingrun_commit", args=[preview.pk]))
    assert "The preview matched" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:placements_matchingrun_commit", args=[preview.pk]))
    real = MatchingRun.objects.get(dry_run=False)
    assert real.started_by == site_admin and real.status == RunStatus.SUCCEEDED and Placement.objects.exists()


@pytest.mark.django_db
def test_snapshot_scores_follow_the_published_priority_policy(market):
    from placements.models import Endorsement, MatchingPolicy, RoutedPreference, WideningParticipation
    from placements.services.priority import DEFAULT_POLICY, priority

    round_, (a, b, c), apps = market
    MatchingPolicy.objects.create(
        organisation=a.opportunity.organisation,
        widening_participation_weight=3,
        endorsement_weight=2,
        distance_weight=0,
    )
    type(a.opportunity).objects.filter(pk=a.opportunity_id).update(widening_participation_priority=True)
    WideningParticipation.objects.filter(application=apps[1]).update(free_school_meals="yes", young_carer="yes")
    Endorsement.objects.create(application=apps[3], strength=3)
    snapshot = take_snapshot(round_)
    policies = {p.organisation_id: p for p in MatchingPolicy.objects.all()}
    for applicant in snapshot.instance.applicants:
        application_id = snapshot.application_ids[applicant.id]
        distances = dict(
            RoutedPreference.objects.filter(application_id=application_id).values_list("cohort_id", "distance_km")
        )
        for offer_id, score in applicant.prefs:
            cohort = Cohort.objects.select_related("opportunity").get(pk=snapshot.cohort_ids[offer_id])
            expected = priority(
                policy=policies.get(cohort.opportunity.organisation_id, DEFAULT_POLICY),
                wp_tier=snapshot.wp_tier.get(application_id, 0),
                wp_opt_in=cohort.opportunity.widening_participation_priority,
                endorsement=getattr(Endorsement.objects.filter(application_id=application_id).first(), "strength", 0),
                distance_km=distances[cohort.pk],
            )
            assert score == expected, (applicant.id, offer_id)
    assert dict(snapshot.instance.applicants[1].prefs)[f"C{a.pk}"] == 2 * 3 * 100  # two factors, weight 3
