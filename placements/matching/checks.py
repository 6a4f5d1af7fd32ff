"""Independent checks of a matching: validity, stability and cutoffs.

Written against the contract in MATCHING_FORMAT.md, not against the engine: no heaps, no integer keys, only the
reference eligibility rule and plain (priority, lottery) comparisons. The tests and the benchmark run every
matching they see through these, including the one from the `matching` package.
"""

from __future__ import annotations

from collections.abc import Mapping

from .eligibility import ineligibility_reason
from .model import Cutoff, Instance

# An offer's order: higher priority first, then lower lottery. As a tuple, smaller is better.
Standing = tuple[int, int]


def standing(priority: int, lottery: int) -> Standing:
    """The sort key of an applicant in an offer's order; smaller ranks higher."""
    return (-priority, lottery)


def validity_problems(instance: Instance, assignment: Mapping[str, str | None]) -> list[str]:
    """List what makes the assignment invalid: bad ids, unlisted or ineligible matches, overfull offers."""
    problems: list[str] = []
    offers = {offer.id: offer for offer in instance.offers}
    applicant_ids = {applicant.id for applicant in instance.applicants}
    problems += [f"unknown applicant {a}" for a in assignment if a not in applicant_ids]
    taken: dict[str, int] = {}
    for applicant in instance.applicants:
        if applicant.id not in assignment:
            problems.append(f"applicant {applicant.id} missing from the assignment")
            continue
        offer_id = assignment[applicant.id]
        if offer_id is None:
            continue
        if offer_id not in offers:
            problems.append(f"applicant {applicant.id} matched to unknown offer {offer_id}")
            continue
        if offer_id not in {listed for listed, _priority in applicant.prefs}:
            problems.append(f"applicant {applicant.id} matched to unlisted offer {offer_id}")
        rule = ineligibility_reason(applicant, offers[offer_id])
        if rule is not None:
            problems.append(f"applicant {applicant.id} matched to {offer_id} but fails {rule}")
        taken[offer_id] = taken.get(offer_id, 0) + 1
    for offer_id, count in taken.items():
        if count > offers[offer_id].capacity:
            problems.append(f"offer {offer_id} holds {count} > capacity {offers[offer_id].capacity}")
    return problems


def blocking_pairs(instance: Instance, assignment: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """Return every (applicant, offer) pair that blocks the assignment.

    A pair blocks when the applicant is eligible for an offer they rank above their match (or are unmatched and
    listed it), and the offer has a free seat or holds someone it ranks below the applicant.
    """
    offers = {offer.id: offer for offer in instance.offers}
    worst_held, held_count = _worst_held(instance, assignment)
    pairs: list[tuple[str, str]] = []
    for applicant in instance.applicants:
        matched = assignment.get(applicant.id)
        for offer_id, priority in applicant.prefs:
            if offer_id == matched:
                break
            offer = offers[offer_id]
            if ineligibility_reason(applicant, offer) is not None:
                continue
            has_seat = held_count.get(offer_id, 0) < offer.capacity
            beats_someone = offer_id in worst_held and standing(priority, applicant.lottery) < worst_held[offer_id]
            if has_seat or beats_someone:
                pairs.append((applicant.id, offer_id))
    return pairs


def cutoff_problems(
    instance: Instance, assignment: Mapping[str, str | None], cutoffs: Mapping[str, Cutoff | None]
) -> list[str]:
    """Return offers whose cutoff is not the lowest admitted (priority, lottery) when full, or not null otherwise."""
    worst_held, held_count = _worst_held(instance, assignment)
    problems = []
    for offer in instance.offers:
        expected = None
        if offer.capacity > 0 and held_count.get(offer.id, 0) == offer.capacity:
            priority, lottery = -worst_held[offer.id][0], worst_held[offer.id][1]
            expected = Cutoff(priority=priority, lottery=lottery)
        if offer.id not in cutoffs:
            problems.append(f"offer {offer.id} missing from the cutoffs")
        elif cutoffs[offer.id] != expected:
            problems.append(f"offer {offer.id}: cutoff {cutoffs[offer.id]} but expected {expected}")
    return problems


def _worst_held(instance: Instance, assignment: Mapping[str, str | None]) -> tuple[dict[str, Standing], dict[str, int]]:
    """Per offer: the standing of the lowest-ranked applicant it holds, and how many it holds."""
    worst: dict[str, Standing] = {}
    count: dict[str, int] = {}
    for applicant in instance.applicants:
        offer_id = assignment.get(applicant.id)
        if offer_id is None:
            continue
        priority = next((p for listed, p in applicant.prefs if listed == offer_id), None)
        if priority is None:
            continue  # unlisted: a validity problem, reported by validity_problems
        here = standing(priority, applicant.lottery)
        if offer_id not in worst or here > worst[offer_id]:
            worst[offer_id] = here
        count[offer_id] = count.get(offer_id, 0) + 1
    return worst, count
