"""On tiny instances the engine returns exactly the applicant-optimal stable matching found by enumeration."""

from __future__ import annotations

from itertools import product

from hypothesis import given

from placements.matching import Instance, solve
from placements.matching.checks import blocking_pairs, validity_problems
from placements.matching.eligibility import ineligibility_reason

from .strategies import TINY, instances, rank_of


def stable_matchings(instance: Instance) -> list[dict[str, str | None]]:
    """Every valid matching with no blocking pair, by trying every choice for every applicant."""
    offers = {offer.id: offer for offer in instance.offers}
    options = [
        [None]
        + [
            offer_id
            for offer_id, _priority in applicant.prefs
            if ineligibility_reason(applicant, offers[offer_id]) is None and offers[offer_id].capacity > 0
        ]
        for applicant in instance.applicants
    ]
    ids = [applicant.id for applicant in instance.applicants]
    found = []
    for choice in product(*options):
        matching = dict(zip(ids, choice, strict=True))
        if not validity_problems(instance, matching) and not blocking_pairs(instance, matching):
            found.append(matching)
    return found


def applicant_optimal(instance: Instance, stable: list[dict[str, str | None]]) -> dict[str, str | None]:
    """The stable matching every applicant weakly prefers to every other stable matching."""
    best = [
        matching
        for matching in stable
        if all(
            rank_of(applicant, matching[applicant.id]) <= rank_of(applicant, other[applicant.id])
            for other in stable
            for applicant in instance.applicants
        )
    ]
    # With strict orders on both sides it exists and is unique.
    assert len(best) == 1
    return best[0]


@TINY
@given(instances(max_offers=3, max_applicants=5, min_capacity=0))
def test_engine_returns_the_applicant_optimal_stable_matching(instance: Instance) -> None:
    stable = stable_matchings(instance)

    assert dict(solve(instance).assignment) == applicant_optimal(instance, stable)
