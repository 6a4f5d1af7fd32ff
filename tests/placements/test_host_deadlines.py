"""Decide-by dates: every proposed match has one; hosts are chased once; a silent host's match is released."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailCategory, OutboundEmail
from placements.models import Application, MatchingRun, Placement, RunKind, StatusChange
from placements.models.placements import decide_by_for
from placements.services import digests, host_deadlines, host_decisions
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.tasks import chase_host_decisions_task, release_undecided_matches_task
from placements.workflow import Status
from placements.working_days import add_working_days
from tests.factories import CohortFactory, CoordinatorFactory, RoundFactory
from tests.placements.helpers import ready_application


def _match(coordinator, *, cohorts=1):
    """One student matched (by a real run) to the first of ``cohorts`` cohorts hosted by the coordinator's trust."""
    round_ = RoundFactory()
    made = [
        CohortFactory(
            capacity=1,
            start_date=round_.placements_from + timedelta(days=7 + n),
            opportunity__site__organisation=coordinator.organisation,
        )
        for n in range(cohorts)
    ]
    application = ready_application(round_, made)
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    return Placement.objects.get(application=application, released_at__isnull=True)


def _status(placement):
    return Application.objects.get(pk=placement.application_id).status


@pytest.mark.django_db
def test_every_match_gets_a_decide_by_date_five_working_days_later(coordinator):
    placement = _match(coordinator)
    matched_on = timezone.localdate(placement.created_at)
    assert settings.HOST_DECISION_WORKING_DAYS == 5
    assert placement.decide_by == add_working_days(matched_on, 5)
    assert (placement.decide_by - matched_on).days >= 5  # at least a full week of calendar days


@pytest.mark.django_db
def test_the_number_of_working_days_is_a_setting(settings, coordinator):
    settings.HOST_DECISION_WORKING_DAYS = 2
    placement = _match(coordinator)
    assert placement.decide_by == add_working_days(timezone.localdate(placement.created_at), 2)


@pytest.mark.django_db
def test_a_decide_by_date_never_runs_past_the_round_outcome_date():
    round_ = RoundFactory.build(outcomes_by=date(2026, 12, 3))
    matched_at = timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0))
    assert decide_by_for(matched_at) == date(2026, 12, 7)
    assert decide_by_for(matched_at, round_) == date(2026, 12, 2)


@pytest.mark.django_db
def test_the_chaser_goes_to_each_host_coordinator_once_two_working_days_before(coordinator, other_trust_coordinator):
    colleague = CoordinatorFactory(organisation=coordinator.organisation)
    placement = _match(coordinator)
    chase_on = add_working_days(placement.decide_by, -2)

    assert host_deadlines.host_decisions_chase(today=chase_on - timedelta(days=1)) == 0
    assert host_deadlines.host_decisions_chase(today=chase_on) == 1
    assert host_deadlines.host_decisions_chase(today=chase_on) == 0  # run twice: claimed once
    assert host_deadlines.host_decisions_chase(today=placement.decide_by) == 0  # and never again

    emails = OutboundEmail.objects.filter(template="coordinator_decisions_due")
    assert {e.recipient for e in emails} == {coordinator, colleague}
    email = emails.get(recipient=coordinator)
    assert email.category == EmailCategory.TRANSACTIONAL
    assert f"{placement.decide_by:%A} {placement.decide_by.day} {placement.decide_by:%B}" in email.subject
    assert "1 proposed match" in email.body_text and "did not reply in time" in email.body_text
    placement.refresh_from_db()
    assert placement.decision_chased_at is not None


@pytest.mark.django_db
def test_a_late_chaser_run_still_chases_but_decided_matches_are_not_chased(coordinator):
    placement = _match(coordinator)
    decided = _match(coordinator)
    host_decisions.placement_approve(actor=coordinator, placement=decided)
    assert host_deadlines.host_decisions_chase(today=placement.decide_by) == 1  # late, on the day itself
    assert OutboundEmail.objects.filter(template="coordinator_decisions_due").count() == 1


@pytest.mark.django_db
def test_at_the_deadline_a_silent_hosts_match_is_released_and_the_student_goes_back_into_the_next_run(
    coordinator, django_capture_on_commit_callbacks
):
    placement = _match(coordinator)
    assert host_deadlines.matches_release_undecided(today=placement.decide_by) == 0  # the whole day is theirs
    assert _status(placement) == Status.MATCHED

    with django_capture_on_commit_callbacks() as callbacks:
        assert host_deadlines.matches_release_undecided(today=placement.decide_by + timedelta(days=1)) == 1
    assert host_deadlines.matches_release_undecided(today=placement.decide_by + timedelta(days=1)) == 0

    placement.refresh_from_db()
    assert placement.released_at and placement.release_reason == "host_no_reply"
    assert _status(placement) == Status.READY_FOR_MATCHING
    change = StatusChange.objects.filter(application_id=placement.application_id).last()
    assert change.to_status == Status.READY_FOR_MATCHING and change.actor is None
    assert change.reason.startswith("The host did not reply in time")
    assert MatchingRun.objects.filter(kind=RunKind.BACKFILL, round=placement.application.round).count() == 1
    assert len(callbacks) >= 1
    # The host hears once what happened, without the student's name.
    told = OutboundEmail.objects.get(template="coordinator_matches_released")
    assert told.recipient == coordinator and "1 proposed match" in told.body_text
    assert "the host did not reply in time" in told.body_text and placement.application.first_name not in told.body_text


@pytest.mark.django_db
def test_the_next_run_does_not_propose_the_silent_host_again_but_another_choice(coordinator):
    placement = _match(coordinator, cohorts=2)
    first_cohort = placement.cohort
    host_deadlines.matches_release_undecided(today=placement.decide_by + timedelta(days=1))
    round_ = placement.application.round
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    current = Placement.objects.get(application_id=placement.application_id, released_at__isnull=True)
    assert current.cohort != first_cohort and _status(placement) == Status.MATCHED


@pytest.mark.django_db
def test_a_host_that_decides_first_wins_over_the_release(coordinator):
    placement = _match(coordinator)
    host_decisions.placement_approve(actor=coordinator, placement=placement)
    assert not host_deadlines.match_release_undecided(
        placement=placement, today=placement.decide_by + timedelta(days=1)
    )
    assert _status(placement) == Status.OFFERED


@pytest.mark.django_db
def test_the_student_reads_the_true_reason_on_their_dashboard(client, coordinator):
    placement = _match(coordinator)
    host_deadlines.matches_release_undecided(today=placement.decide_by + timedelta(days=1))
    client.force_login(placement.application.student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "The host did not reply in time" in page
    # The run's explanation no longer claims a current match (placements/explanations.py says it was released).
    assert "You were matched to your first choice.</li>" not in page


@pytest.mark.django_db
def test_the_queue_and_the_digest_show_the_decide_by_date(client, coordinator):
    placement = _match(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("placements:coordinator-home")).content.decode()
    assert (
        "Decide by" in page and f"{placement.decide_by:%A} {placement.decide_by.day} {placement.decide_by:%B}" in page
    )
    assert digests.coordinators_send_daily_digest() == 1
    email = OutboundEmail.objects.get(template="coordinator_daily_digest")
    assert f"must be decided by {placement.decide_by:%A} {placement.decide_by.day} {placement.decide_by:%B}" in (
        email.body_text
    )


@pytest.mark.django_db
def test_tasks_are_scheduled_and_safe_to_run_twice(coordinator):
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"placements.tasks.chase_host_decisions_task", "placements.tasks.release_undecided_matches_task"} <= beat
    placement = _match(coordinator)
    Placement.objects.filter(pk=placement.pk).update(decide_by=timezone.localdate() - timedelta(days=1))
    assert chase_host_decisions_task() == 0
    assert release_undecided_matches_task() == 1
    assert release_undecided_matches_task() == 0


@pytest.mark.django_db
def test_the_queue_lists_the_most_urgent_decision_first(client, coordinator):
    later, sooner = _match(coordinator), _match(coordinator)
    Placement.objects.filter(pk=later.pk).update(decide_by=timezone.localdate() + timedelta(days=9))
    Placement.objects.filter(pk=sooner.pk).update(decide_by=timezone.localdate() + timedelta(days=1))
    client.force_login(coordinator)
    page = client.get(reverse("placements:coordinator-home")).context["page"]
    assert [p.pk for p in page] == [sooner.pk, later.pk]
