"""What a student reads about a run is true of their list, their status and the round."""

from datetime import timedelta

import pytest

from placements import explanations
from placements.models import MatchingRun, Placement, RunKind, RunStatus
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
