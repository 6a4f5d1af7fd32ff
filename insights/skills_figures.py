"""From digital-skills facts (levels per domain; no people) to the counts a snapshot stores. Pure Python: no database
here.

Staff and students are counted on one scale (ADR 0018): a staff self-assessment gives a level 0 to 4 per domain
(``skills.scoring``: 0 is "Starting out", not yet level 1, which is where "Not sure" leaves a person); a student's
five-question check gives 0 or 1 in the four domains it asks about. A result counts in the London month and academic
year it was completed in, and in each period a person counts once, with their latest result completed in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from functools import cache
from typing import NamedTuple

from insights.figures import Period, ordered_periods, periods_of
from skills.models import StaffGroup

LEVELS = (0, 1, 2, 3, 4)
STARTING_OUT = "Starting out (not yet level 1)"
DIMENSIONS = ("employer_kind", "staff_group")
STUDENT = "student"
KIND_LABELS = {
    "nhs_trust": "NHS trust staff",
    "care_provider": "Social-care provider staff",
    STUDENT: "College students",
}
OTHER_KIND = "Other staff"
# Students have no staff group: the same label as under employer kind, as they are the same people.
STUDENTS_GROUP = KIND_LABELS[STUDENT]
NO_STAFF_GROUP = "Staff group not given"


class ResultFact(NamedTuple):
    """One completed result: whose (an opaque id, only to count a person once), when (London date), the kind of the
    person's organisation (``STUDENT`` for a student's check), their staff group, and their level in each domain,
    in the order of the framework's domains (None: not asked, as the student check does not ask two domains)."""

    person: int
    completed_on: date
    kind: str
    staff_group: str
    levels: tuple[int | None, ...]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, OTHER_KIND)


@cache
def _staff_group_names() -> dict[str, str]:
    return dict(StaffGroup.choices)


def staff_group_label(kind: str, staff_group: str) -> str:
    if kind == STUDENT:
        return STUDENTS_GROUP
    return _staff_group_names().get(staff_group, NO_STAFF_GROUP)


@cache
def _labels(kind: str, staff_group: str) -> tuple[str, str]:
    """(employer kind, staff group) labels, in the order of DIMENSIONS."""
    return kind_label(kind), staff_group_label(kind, staff_group)


def levels_in_order(levels: dict, keys) -> tuple[int | None, ...]:
    """A result's {domain key: level} as a tuple in the order of ``keys``; a domain not asked (or an unexpected value)
    is None and counts nobody there."""
    return tuple(
        value if isinstance(value, int) and not isinstance(value, bool) and value in LEVELS else None
        for value in map(levels.get, keys)
    )


def skills_document(*, domains, level_names, results) -> tuple[list[Period], dict]:
    """The periods and the skills document.

    ``domains``: (key, title) of the current framework, in order; ``level_names``: (number, name) of levels 1 to 4;
    ``results``: ResultFacts ordered by completion (so the last one of a person in a period is their latest), their
    levels in the order of ``domains``.
    """
    keys = [key for key, _ in domains]
    periods: dict[str, Period] = {}
    periods_on: dict[date, list[Period]] = {}
    # period -> person -> (labels, levels in the order of ``keys``): only the latest result of each person stays.
    latest: dict[str, dict[int, tuple]] = defaultdict(dict)
    # Every completed check (a person who checked twice in a period counts twice here, once everywhere else).
    sittings: Counter = Counter()
    for fact in results:
        labels = _labels(fact.kind, fact.staff_group)
        profile = (labels, fact.levels)
        if fact.completed_on not in periods_on:
            periods_on[fact.completed_on] = periods_of(fact.completed_on)
        for period in periods_on[fact.completed_on]:
            periods[period.key] = period
            latest[period.key][fact.person] = profile
            sittings[(period.key, labels)] += 1
    levels: dict = {}
    people: dict = {}
    for period_key, by_person in latest.items():
        grid = {dimension: {key: {} for key in keys} for dimension in DIMENSIONS}
        counted = {dimension: {} for dimension in DIMENSIONS}
        # Many people share a profile (all the students who said "I can do this" to everything): count each once.
        for (labels, profile), number in Counter(by_person.values()).items():
            for dimension, label in zip(DIMENSIONS, labels, strict=True):
                counted[dimension][label] = counted[dimension].get(label, 0) + number
                for key, level in zip(keys, profile, strict=True):
                    if level is not None:
                        grid[dimension][key].setdefault(label, [0] * len(LEVELS))[level] += number
        levels[period_key] = grid
        people[period_key] = counted
    checks: dict = defaultdict(lambda: {dimension: {} for dimension in DIMENSIONS})
    for (period_key, labels), number in sittings.items():
        for dimension, label in zip(DIMENSIONS, labels, strict=True):
            checks[period_key][dimension][label] = checks[period_key][dimension].get(label, 0) + number
    document = {
        "domains": [[key, title] for key, title in domains],
        "level_names": [[0, STARTING_OUT], *([number, f"Level {number}: {name}"] for number, name in level_names)],
        "levels": levels,
        "people": people,
        "sittings": dict(checks),
    }
    return ordered_periods(periods.values()), document
