"""What a student reads about a run is true of their list, their status and the round."""

from datetime import timedelta

import pytest

from placements import explanations
from placements.models import Cohort, MatchingRun, Placement, RunKind, RunStatus, StatusChange
from placements.services.applications import application_withdraw
from placements.services.host_decisions import placement_decline
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.services.reminders import round_send_outcomes
from placements.workflow import Status
from tests.factories import CohortFactory, CoordinatorFactory, RoundFactory
from tests.placements.helpers import ready_application


def _run(round_):
    return matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)


@pytest.fixture
def declined_first_choice(db):
    """A student's first choice declines them; the backfill run matches them to their second."""
    round_ = RoundFactory()
    start = round_.placements_from + timedelta(days=7)
    first = CohortFactory(capacity=1, start_date=start, opportunity__title="Ward")
    second = CohortFactory(capacity=1, start_date=start + timedelta(days=7), opportunity__title="Pharmacy")
    application = ready_application(round_, [first, second])
    _run(round_)
    placement = Placement.objects.get(application_id=application.pk, released_at=None)
    assert placement.cohort == first
    host = CoordinatorFactory(organisation=first.opportunity.organisation)
    placement_decline(actor=host, placement=placement, reason="dates_unavailable")
    application.refresh_from_db()
    return round_, application, second


def test_a_match_the_host_released_is_not_shown_as_the_students_match(declined_first_choice):
    _round, application, _second = declined_first_choice
    sentences = explanations.explain_result(explanations.latest_result(application))
    assert sentences == ["You were matched to your first choice, but that match was released. You are in the next run."]


def test_choices_are_numbered_as_the_student_sees_their_list_after_a_host_declines(declined_first_choice):
    round_, application, second = declined_first_choice
    backfill = MatchingRun.objects.get(round=round_, kind=RunKind.BACKFILL, status=RunStatus.PENDING)
    matching_run_execute(run_id=backfill.pk)
    application.refresh_from_db()
    assert application.status == Status.MATCHED and application.placements.get(released_at=None).cohort == second
    # The run no longer lists the declined cohort, so to the engine this is choice 1; to the student it is 2.
    assert explanations.explain_result(explanations.latest_result(application)) == [
        "You were matched to your second choice."
    ]


def test_a_student_not_placed_when_the_round_ended_is_not_told_they_stay_in_every_run(db):
    round_ = RoundFactory()
    full = CohortFactory(capacity=0, start_date=round_.placements_from + timedelta(days=7), opportunity__title="Ward")
    application = ready_application(round_, [full])
    _run(round_)
    assert explanations.explain_result(explanations.latest_result(application))[-1] == explanations.NOT_YET
    round_send_outcomes(round_=round_, today=round_.outcomes_by)
    application.refresh_from_db()
    assert application.status == Status.UNSUCCESSFUL
    sentences = explanations.explain_result(explanations.latest_result(application))
    assert sentences[-1] == "The round ended before you could be matched to a placement."
    assert not any("stay in every run" in sentence for sentence in sentences)


def test_explanations_write_dates_in_full(db):
    round_ = RoundFactory()
    start = round_.placements_from + timedelta(days=7)
    full = CohortFactory(capacity=0, start_date=start, opportunity__title="Ward")
    application = ready_application(round_, [full])
    _run(round_)
    [sentence, _] = explanations.explain_result(explanations.latest_result(application))
    assert sentence == f"Your first choice, Ward ({start:%-d %B %Y}), had no places left."


# --- what the timeline says when a run takes a provisional match away ------------------------------------------------


def _reasons(application, run):
    return list(
        StatusChange.objects.filter(application=application, reason__endswith=f"(run {run.pk})").values_list(
            "reason", flat=True
        )
    )


@pytest.fixture
def two_cohorts(db):
    round_ = RoundFactory()
    start = round_.placements_from + timedelta(days=7)
    first = CohortFactory(capacity=1, start_date=start, opportunity__title="Ward")
    second = CohortFactory(capacity=1, start_date=start + timedelta(days=7), opportunity__title="Pharmacy")
    return round_, first, second


def test_a_match_lost_because_places_were_cut_does_not_blame_a_higher_priority_applicant(two_cohorts):
    round_, first, _second = two_cohorts
    application = ready_application(round_, [first])
    _run(round_)
    Cohort.objects.filter(pk=first.pk).update(capacity=0)  # the host cut the places after the match
    run = _run(round_)
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
    [reason] = _reasons(application, run)
    assert "higher priority" not in reason
    assert reason.startswith("The placement you were matched to has no places left now; you stay in the next runs")


def test_a_match_bumped_down_the_list_is_not_called_a_move_up(two_cohorts):
    round_, first, second = two_cohorts
    application = ready_application(round_, [first, second], distance_km=20.0)
    _run(round_)
    ready_application(round_, [first], distance_km=1.0)  # nearer, so a higher priority for the ward
    run = _run(round_)
    assert Placement.objects.get(application=application, released_at=None).cohort == second
    [reason] = _reasons(application, run)
    assert reason.startswith(
        "Your match went to an applicant with a higher priority; you were matched to a lower choice instead"
    )


def test_a_match_that_moves_up_when_a_place_comes_free_says_so(two_cohorts):
    round_, first, second = two_cohorts
    leaver = ready_application(round_, [first], distance_km=1.0)
    application = ready_application(round_, [first, second], distance_km=20.0)
    _run(round_)
    assert Placement.objects.get(application=application, released_at=None).cohort == second
    leaver.refresh_from_db()
    application_withdraw(actor=leaver.student, application=leaver, reason="Moving away")
    run = _run(round_)
    assert Placement.objects.get(application=application, released_at=None).cohort == first
    assert _reasons(application, run) == [f"Moved up to a higher choice (run {run.pk})"]
