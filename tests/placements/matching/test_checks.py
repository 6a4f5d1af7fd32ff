"""The independent checker catches what it is meant to catch, so a clean report means something."""

from __future__ import annotations

from datetime import date

from placements.matching import Applicant, Cutoff, Instance, Offer
from placements.matching.checks import blocking_pairs, cutoff_problems, validity_problems


def make_instance() -> Instance:
    offer = Offer("O1", 1, 16, False, frozenset(), date(2026, 6, 8), date(2026, 6, 12))
    other = Offer("O2", 1, 14, False, frozenset(), date(2026, 6, 8), date(2026, 6, 12))

    def person(applicant_id: str, age: int, lottery: int, prefs: tuple) -> Applicant:
        return Applicant(applicant_id, age, False, frozenset(), date(2026, 6, 1), date(2026, 6, 30), lottery, prefs)

    return Instance(
        offers=(offer, other),
        applicants=(
            person("A1", 16, 1, (("O1", 5), ("O2", 5))),
            person("A2", 17, 2, (("O1", 5),)),
            person("A3", 15, 3, (("O1", 9),)),
        ),
    )


def test_stable_assignment_passes_every_check() -> None:
    instance = make_instance()
    assignment = {"A1": "O1", "A2": None, "A3": None}

    assert validity_problems(instance, assignment) == []
    assert blocking_pairs(instance, assignment) == []
    assert cutoff_problems(instance, assignment, {"O1": Cutoff(5, 1), "O2": None}) == []


def test_pair_that_would_rather_be_together_is_blocking() -> None:
    # O1 holds A2 but ranks A1 higher (same priority, lower lottery), and A1 prefers O1 to O2.
    assignment = {"A1": "O2", "A2": "O1", "A3": None}

    assert blocking_pairs(make_instance(), assignment) == [("A1", "O1")]


def test_free_seat_and_eligible_applicant_is_blocking() -> None:
    assert blocking_pairs(make_instance(), {"A1": None, "A2": None, "A3": None}) == [
        ("A1", "O1"),
        ("A1", "O2"),
        ("A2", "O1"),
    ]


def test_invalid_assignments_are_reported() -> None:
    instance = make_instance()

    problems = validity_problems(instance, {"A1": "O1", "A2": "O1", "A3": "O1", "A9": None})

    assert any("fails too_young" in problem for problem in problems)
    assert any("capacity 1" in problem for problem in problems)
    assert any("unknown applicant A9" in problem for problem in problems)
    assert validity_problems(instance, {"A1": None, "A2": "O2"}) == [
        "applicant A2 matched to unlisted offer O2",
        "applicant A3 missing from the assignment",
    ]


def test_wrong_cutoffs_are_reported() -> None:
    instance = make_instance()
    assignment = {"A1": "O1", "A2": None, "A3": None}

    assert cutoff_problems(instance, assignment, {"O1": None, "O2": Cutoff(1, 1)}) == [
        "offer O1: cutoff None but expected Cutoff(priority=5, lottery=1)",
        "offer O2: cutoff Cutoff(priority=1, lottery=1) but expected None",
    ]
