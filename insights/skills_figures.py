"""From digital-skills facts (levels per domain; no people) to the counts a snapshot stores. Pure Python: no database
here.

Staff and students are counted on one scale (ADR 0018): a staff self-assessment gives a level 0 to 4 per domain
(``skills.scoring``: 0 is "Starting out", not yet level 1, which is where "Not sure" leaves a person); a student's
five-question check gives 0 or 1 in the four domains it asks about. A result counts in the London month and academic
year it was completed in, and in each period a person counts once, with their latest result completed in it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
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
    person's organisation (``STUDENT`` for a student's check), their staff group, and domain key -> level."""

    person: int
    completed_on: date
    kind: str
    staff_group: str
    levels: dict


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, OTHER_KIND)


def staff_group_label(kind: str, staff_group: str) -> str:
    if kind == STUDENT:
        return STUDENTS_GROUP
    return dict(StaffGroup.choices).get(staff_group, NO_STAFF_GROUP)


def _labels(fact: ResultFact) -> dict[str, str]:
    return {"employer_kind": kind_label(fact.kind), "staff_group": staff_group_label(fact.kind, fact.staff_group)}


def skills_document(*, domains, level_names, results) -> tuple[list[Period], dict]:
    """The periods and the skills document.

    ``domains``: (key, title) of the current framework, in order; ``level_names``: (number, name) of levels 1 to 4;
    ``results``: ResultFacts ordered by completion (so the last one of a person in a period is their latest).
    """
    periods: dict[str, Period] = {}
    latest: dict[str, dict[int, ResultFact]] = defaultdict(dict)
    # Every completed check (a person who checked twice in a period counts twice here, once everywhere else).
    sittings: dict = defaultdict(lambda: {dimension: {} for dimension in DIMENSIONS})
    for fact in results:
        labels = _labels(fact)
        for period in periods_of(fact.completed_on):
            periods[period.key] = period
            latest[period.key][fact.person] = fact
            for dimension, label in labels.items():
                sittings[period.key][dimension][label] = sittings[period.key][dimension].get(label, 0) + 1
    keys = [key for key, _ in domains]
    levels: dict = {}
    people: dict = {}
    for period_key, by_person in latest.items():
        grid = {dimension: {key: {} for key in keys} for dimension in DIMENSIONS}
        counted = {dimension: {} for dimension in DIMENSIONS}
        for fact in by_person.values():
            for dimension, label in _labels(fact).items():
                counted[dimension][label] = counted[dimension].get(label, 0) + 1
                for key in keys:
                    level = fact.levels.get(key)
                    # A domain the student check does not ask (or an unexpected value) counts nobody there.
                    if isinstance(level, int) and not isinstance(level, bool) and level in LEVELS:
                        grid[dimension][key].setdefault(label, [0] * len(LEVELS))[level] += 1
        levels[period_key] = grid
        people[period_key] = counted
    document = {
        "domains": [[key, title] for key, title in domains],
        "level_names": [[0, STARTING_OUT], *([number, f"Level {number}: {name}"] for number, name in level_names)],
        "levels": levels,
        "people": people,
        "sittings": dict(sittings),
    }
    return ordered_periods(periods.values()), document
