"""The Python API the Django side calls: plain objects in, Result out, with capacity 0 for taken seats."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import date

import pytest

from placements.matching import (
    CUTOFF_ABOVE,
    NO_PLACES,
    NOT_ELIGIBLE,
    Applicant,
    Cutoff,
    Explanation,
    Instance,
    InvalidInstance,
    Offer,
    solve,
)

JUNE_8, JUNE_12 = date(2026, 6, 8), date(2026, 6, 12)


def offer(offer_id: str, capacity: int, **rules) -> Offer:
    defaults = {"min_age": 14, "requires_dbs": False, "required_vaccinations": frozenset(), "start": JUNE_8}
    return Offer(id=offer_id, capacity=capacity, end=JUNE_12, **(defaults | rules))


def applicant(applicant_id: str, lottery: int, prefs: list[tuple[str, int]], age: int = 16) -> Applicant:
    return Applicant(
        id=applicant_id,
        age=age,
        dbs_checked=False,
        vaccinations=frozenset(),
        available_from=date(2026, 6, 1),
        available_to=date(2026, 6, 30),
        lottery=lottery,
        prefs=tuple(prefs),
    )


def test_higher_priority_beats_lower_lottery() -> None:
    instance = Instance(
        offers=(offer("O1", 1),),
        applicants=(applicant("A1", lottery=1, prefs=[("O1", 5)]), applicant("A2", lottery=2, prefs=[("O1", 6)])),
    )

    result = solve(instance)

    assert result.assignment == {"A1": None, "A2": "O1"}
    assert result.cutoffs == {"O1": Cutoff(priority=6, lottery=2)}
    assert result.explanations["A1"] == (Explanation("O1", 1, CUTOFF_ABOVE, cutoff=Cutoff(6, 2)),)


def test_offer_with_no_seats_left_admits_nobody_and_says_so() -> None:
    instance = Instance(
        offers=(offer("O1", 0), offer("O2", 1, min_age=18)),
        applicants=(applicant("A1", lottery=1, prefs=[("O1", 5), ("O2", 5)]),),
    )

    result = solve(instance)

    assert result.assignment == {"A1": None}
    assert result.cutoffs == {"O1": None, "O2": None}
    assert result.explanations["A1"] == (
        Explanation("O1", 1, NO_PLACES),
        Explanation("O2", 2, NOT_ELIGIBLE, rule="too_young"),
    )


def test_ineligibility_is_reported_before_no_places() -> None:
    instance = Instance(offers=(offer("O1", 0, min_age=18),), applicants=(applicant("A1", 1, [("O1", 5)]),))

    assert solve(instance).explanations["A1"] == (Explanation("O1", 1, NOT_ELIGIBLE, rule="too_young"),)


def test_explanations_can_be_left_out() -> None:
    instance = Instance(offers=(offer("O1", 1),), applicants=(applicant("A1", 1, [("O1", 5)]),))

    result = solve(instance, explain_result=False)

    assert result.assignment == {"A1": "O1"}
    assert result.explanations == {}


def test_empty_instance_matches_nobody() -> None:
    result = solve(Instance(offers=(), applicants=()))

    assert (result.assignment, result.cutoffs, result.stats.matched, result.stats.average_rank) == ({}, {}, 0, None)


@pytest.mark.parametrize(
    ("offers", "applicants", "fragment"),
    [
        ((offer("O1", -1),), (), "capacity"),
        ((offer("O1", 1), offer("O1", 2)), (), "duplicate offer id"),
        ((offer("O1", 1),), (applicant("A1", 1, []), applicant("A1", 2, [])), "duplicate applicant id"),
        ((offer("O1", 1),), (applicant("A1", 1, []), applicant("A2", 1, [])), "duplicate lottery"),
        ((offer("O1", 1),), (applicant("A1", 1, [("O9", 1)]),), "unknown offer"),
        ((offer("O1", 1),), (applicant("A1", 1, [("O1", 1), ("O1", 2)]),), "listed twice"),
    ],
)
def test_invalid_python_instance_is_rejected(offers, applicants, fragment: str) -> None:
    with pytest.raises(InvalidInstance, match=fragment):
        solve(Instance(offers=offers, applicants=applicants))


def test_withdrawn_applicants_are_left_out_of_the_rematch() -> None:
    instance = Instance(
        offers=(offer("O1", 1),),
        applicants=(applicant("A1", 1, [("O1", 5)]), applicant("A2", 2, [("O1", 5)])),
    )

    rematch = solve(instance.without_applicants({"A1"}))

    assert rematch.assignment == {"A2": "O1"}


def test_result_is_immutable() -> None:
    result = solve(Instance(offers=(offer("O1", 1),), applicants=()))

    with pytest.raises(AttributeError):
        result.stats = replace(result.stats, matched=5)  # type: ignore[misc]


@pytest.mark.parametrize("enabled", [True, False])
def test_solve_leaves_garbage_collection_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        solve(Instance(offers=(offer("O1", 1),), applicants=(applicant("A1", 1, [("O1", 5)]),)))

        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
