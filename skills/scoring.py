"""The scoring rule (ADR 0017), pure: a domain's level from the answers to its statements.

A person is at level N in a domain when they answered "Yes, confidently" or "Yes, with some help" to EVERY
statement of that domain at levels 1 to N; the level is the highest such N (0, "Starting out", if a level-1
statement is "Not yet", "Not sure" or unanswered). Levels build on each other: a "yes" at level 3 does not
make up for a "not yet" at level 2. "Not sure" counts as not yet: the plan then points to what to learn.
Strengths are the statements answered "Yes, confidently"; gaps are those of the next level not yet met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CAN_DO = frozenset({"confidently", "with_help"})
TOP_LEVEL = 4


@dataclass(frozen=True)
class StatementAnswer:
    key: str
    level: int
    answer: str | None  # None: not answered


def domain_level(answers: Iterable[StatementAnswer]) -> int:
    answers = list(answers)
    level = 0
    for candidate in range(1, TOP_LEVEL + 1):
        at_level = [a for a in answers if a.level == candidate]
        if not at_level or any(a.answer not in CAN_DO for a in at_level):
            break
        level = candidate
    return level


def strengths(answers: Iterable[StatementAnswer]) -> list[StatementAnswer]:
    return [a for a in answers if a.answer == "confidently"]


def gaps(answers: Iterable[StatementAnswer], level: int) -> list[StatementAnswer]:
    """The statements of the next level up that the person cannot do yet (nothing at the top level)."""
    return [a for a in answers if a.level == level + 1 and a.answer not in CAN_DO]


def levels_by_domain(answers_by_domain: Mapping[str, Iterable[StatementAnswer]]) -> dict[str, int]:
    return {key: domain_level(answers) for key, answers in answers_by_domain.items()}


def levels_from_answers(
    statements: Iterable[tuple[str, int, int]], answers: Mapping[int, str | None]
) -> dict[str, int]:
    """domain key -> level, from (domain key, statement id, statement level) triples and statement id -> answer.

    What ``assessment_submit`` stores on the assessment (``Assessment.levels``), so the employer's figures
    never read the answers themselves.
    """
    by_domain: dict[str, list[StatementAnswer]] = {}
    for domain_key, statement_id, level in statements:
        by_domain.setdefault(domain_key, []).append(
            StatementAnswer(str(statement_id), level, answers.get(statement_id))
        )
    return levels_by_domain(by_domain)
