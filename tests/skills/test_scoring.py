"""The scoring rule (ADR 0017): the highest level whose statements, and all below, are "yes"."""

import pytest

from skills.scoring import StatementAnswer, domain_level, gaps, strengths


def answers(*rows):
    return [StatementAnswer(f"k{n}", level, answer) for n, (level, answer) in enumerate(rows)]


YES, HELP, NO, UNSURE = "confidently", "with_help", "not_yet", "not_sure"


@pytest.mark.parametrize(
    ("rows", "level"),
    [
        (((1, YES), (1, HELP), (2, YES), (3, YES), (4, YES)), 4),
        (((1, YES), (1, YES), (2, NO), (3, YES), (4, YES)), 1),  # a yes higher up does not make up for a gap
        (((1, UNSURE), (2, YES)), 0),  # "not sure" counts as not yet
        (((1, YES), (1, None), (2, YES)), 0),  # unanswered counts as not yet
        (((1, HELP), (2, HELP), (3, NO)), 2),
        ((), 0),
    ],
)
def test_level(rows, level):
    assert domain_level(answers(*rows)) == level


def test_strengths_are_confident_answers_and_gaps_are_the_next_level_not_met():
    given = answers((1, YES), (1, HELP), (2, NO), (2, UNSURE), (2, YES), (3, NO))
    assert [a.key for a in strengths(given)] == ["k0", "k4"]
    assert [a.key for a in gaps(given, domain_level(given))] == ["k2", "k3"]
