"""Properties of the engine on random small instances, checked by the independent checker in checks.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from placements.matching import CUTOFF_ABOVE, NO_PLACES, NOT_ELIGIBLE, Instance, solve
from placements.matching.checks import blocking_pairs, cutoff_problems, standing, validity_problems
from placements.matching.eligibility import ineligibility_reason

from .strategies import PROPERTY, instances, rank_of


@PROPERTY
@given(instances(min_capacity=0))
def test_matching_respects_capacity_and_eligibility(instance: Instance) -> None:
    result = solve(instance)

    assert validity_problems(instance, result.assignment) == []


@PROPERTY
@given(instances(min_capacity=0))
def test_matching_has_no_blocking_pair(instance: Instance) -> None:
    result = solve(instance)

    assert blocking_pairs(instance, result.assignment) == []


@PROPERTY
@given(instances(min_capacity=0))
def test_cutoffs_are_the_lowest_admitted_when_full_and_null_otherwise(instance: Instance) -> None:
    result = solve(instance)

    assert cutoff_problems(instance, result.assignment, result.cutoffs) == []


@PROPERTY
@given(instances(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(instance: Instance, rng) -> None:
    offers, applicants = list(instance.offers), list(instance.applicants)
    rng.shuffle(offers)
    rng.shuffle(applicants)
    shuffled = Instance(offers=tuple(offers), applicants=tuple(applicants))

    first, again, reordered = solve(instance), solve(instance), solve(shuffled)

    assert first.assignment == again.assignment == dict(reordered.assignment)
    assert first.cutoffs == again.cutoffs == dict(reordered.cutoffs)
    assert first.explanations == again.explanations == dict(reordered.explanations)


@PROPERTY
@given(instances(min_capacity=0))
def test_explanations_cover_every_choice_above_the_match(instance: Instance) -> None:
    result = solve(instance)

    for applicant in instance.applicants:
        matched_rank = rank_of(applicant, result.assignment[applicant.id])
        explained = [item.rank for item in result.explanations[applicant.id]]
        assert explained == [rank for rank in range(1, len(applicant.prefs) + 1) if rank < matched_rank]


@PROPERTY
@given(instances(min_capacity=0))
def test_explanations_agree_with_rules_and_cutoffs(instance: Instance) -> None:
    result = solve(instance)
    offers = {offer.id: offer for offer in instance.offers}

    for applicant in instance.applicants:
        priorities = dict(applicant.prefs)
        for item in result.explanations[applicant.id]:
            offer = offers[item.offer]
            rule = ineligibility_reason(applicant, offer)
            if item.reason == NOT_ELIGIBLE:
                assert item.rule == rule is not None
            elif item.reason == NO_PLACES:
                assert rule is None and offer.capacity == 0
            else:
                assert item.reason == CUTOFF_ABOVE
                # Every higher-ranked eligible choice with seats is full, and the applicant ranks below its cutoff.
                assert rule is None and item.cutoff is not None
                assert item.cutoff == result.cutoffs[item.offer]
                cutoff = standing(item.cutoff.priority, item.cutoff.lottery)
                assert standing(priorities[item.offer], applicant.lottery) > cutoff


@PROPERTY
@given(instances(min_capacity=0), st.data())
def test_removing_applicants_never_moves_a_remaining_applicant_down(instance: Instance, data) -> None:
    ids = [applicant.id for applicant in instance.applicants]
    withdrawn = data.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))

    before = solve(instance).assignment
    after = solve(instance.without_applicants(withdrawn)).assignment

    for applicant in instance.applicants:
        if applicant.id not in withdrawn:
            assert rank_of(applicant, after[applicant.id]) <= rank_of(applicant, before[applicant.id])


@PROPERTY
@given(instances(min_capacity=0))
def test_stats_count_the_matched_and_their_average_rank(instance: Instance) -> None:
    result = solve(instance)
    ranks = [
        rank_of(applicant, result.assignment[applicant.id])
        for applicant in instance.applicants
        if result.assignment[applicant.id] is not None
    ]

    assert result.stats.matched == len(ranks)
    assert result.stats.applicants == len(instance.applicants)
    if ranks:
        assert result.stats.average_rank == round(sum(ranks) / len(ranks), 3)
    else:
        assert result.stats.average_rank is None
