"""Hypothesis strategies for small matching instances, and helpers the engine tests share."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from placements.matching import Applicant, Instance, Offer

# Modest and repeatable: the whole matching suite should run in seconds, and leave no .hypothesis folder behind.
PROPERTY = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
TINY = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

VACCINES = ("hep_b", "mmr", "flu")
MONDAYS = tuple(date(2026, 6, 1) + timedelta(weeks=week) for week in range(4))


@st.composite
def offers(draw: st.DrawFn, number: int, *, min_capacity: int) -> Offer:
    start = draw(st.sampled_from(MONDAYS))
    return Offer(
        id=f"O{number}",
        capacity=draw(st.integers(min_capacity, 3)),
        min_age=draw(st.integers(14, 17)),
        requires_dbs=draw(st.booleans()),
        required_vaccinations=frozenset(draw(st.sets(st.sampled_from(VACCINES), max_size=1))),
        start=start,
        end=start + timedelta(days=draw(st.sampled_from((4, 11)))),
    )


@st.composite
def applicants(draw: st.DrawFn, number: int, offer_ids: list[str], lottery: int) -> Applicant:
    available_from = draw(st.sampled_from(MONDAYS[:2]))
    listed = draw(st.permutations(offer_ids))[: draw(st.integers(0, len(offer_ids)))]
    return Applicant(
        id=f"A{number}",
        age=draw(st.integers(14, 18)),
        dbs_checked=draw(st.booleans()),
        vaccinations=frozenset(draw(st.sets(st.sampled_from(VACCINES)))),
        available_from=available_from,
        available_to=available_from + timedelta(days=draw(st.sampled_from((13, 20, 27)))),
        lottery=lottery,
        # A narrow priority range so that ties, broken by lottery, are common.
        prefs=tuple((offer_id, draw(st.integers(0, 2))) for offer_id in listed),
    )


@st.composite
def instances(draw: st.DrawFn, *, max_offers: int = 5, max_applicants: int = 10, min_capacity: int = 1) -> Instance:
    """Small random instances; `min_capacity=0` adds offers with every seat already taken."""
    offer_list = [draw(offers(number, min_capacity=min_capacity)) for number in range(draw(st.integers(1, max_offers)))]
    count = draw(st.integers(0, max_applicants))
    lotteries = draw(st.lists(st.integers(0, 10_000), min_size=count, max_size=count, unique=True))
    offer_ids = [offer.id for offer in offer_list]
    applicant_list = [draw(applicants(number, offer_ids, lotteries[number])) for number in range(count)]
    return Instance(offers=tuple(offer_list), applicants=tuple(applicant_list))


def rank_of(applicant: Applicant, offer_id: str | None) -> float:
    """1-based rank of offer_id in the applicant's list; unmatched ranks below everything."""
    if offer_id is None:
        return float("inf")
    return 1 + [listed for listed, _priority in applicant.prefs].index(offer_id)
