"""The eligibility rules, and the compiled RuleBook the engine uses, agree rule for rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placements.matching import Applicant, Offer
from placements.matching.eligibility import (
    DATES_OUTSIDE_AVAILABILITY,
    MISSING_VACCINATIONS,
    NEEDS_DBS,
    TOO_YOUNG,
    RuleBook,
    ineligibility_reason,
)

from .strategies import PROPERTY, applicants, offers

OFFER = Offer(
    id="O1",
    capacity=2,
    min_age=16,
    requires_dbs=True,
    required_vaccinations=frozenset({"hep_b"}),
    start=date(2026, 6, 8),
    end=date(2026, 6, 12),
)
APPLICANT = Applicant(
    id="A1",
    age=16,
    dbs_checked=True,
    vaccinations=frozenset({"hep_b", "mmr"}),
    available_from=date(2026, 6, 8),
    available_to=date(2026, 6, 12),
    lottery=1,
    prefs=(("O1", 10),),
)


def test_applicant_meeting_every_rule_is_eligible() -> None:
    assert ineligibility_reason(APPLICANT, OFFER) is None


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"age": 15}, TOO_YOUNG),
        ({"dbs_checked": False}, NEEDS_DBS),
        ({"vaccinations": frozenset({"mmr"})}, MISSING_VACCINATIONS),
        ({"available_from": date(2026, 6, 9)}, DATES_OUTSIDE_AVAILABILITY),
        ({"available_to": date(2026, 6, 11)}, DATES_OUTSIDE_AVAILABILITY),
    ],
)
def test_each_failed_rule_is_named(change: dict, rule: str) -> None:
    assert ineligibility_reason(replace(APPLICANT, **change), OFFER) == rule


def test_the_first_failed_rule_is_reported() -> None:
    applicant = replace(APPLICANT, age=15, dbs_checked=False, vaccinations=frozenset())

    assert ineligibility_reason(applicant, OFFER) == TOO_YOUNG


def test_offer_without_dbs_requirement_accepts_applicant_without_dbs() -> None:
    offer = replace(OFFER, requires_dbs=False)

    assert ineligibility_reason(replace(APPLICANT, dbs_checked=False), offer) is None


@st.composite
def pairs(draw: st.DrawFn) -> tuple[list[Offer], Applicant]:
    offer_list = [draw(offers(number, min_capacity=0)) for number in range(draw(st.integers(1, 4)))]
    applicant = draw(applicants(0, [offer.id for offer in offer_list], lottery=0))
    return offer_list, applicant


@PROPERTY
@given(pairs())
def test_rulebook_agrees_with_the_reference_rules(pair: tuple[list[Offer], Applicant]) -> None:
    offer_list, applicant = pair
    book = RuleBook(offer_list)
    lacks = book.lacks(applicant)
    available = applicant.available_from.toordinal(), applicant.available_to.toordinal()

    for number, offer in enumerate(offer_list):
        rule = ineligibility_reason(applicant, offer)
        assert book.failed_rule(number, lacks, *available) == rule
        assert book.placeable(applicant, number) == (rule is None and offer.capacity > 0)


def test_rulebook_accepts_vaccinations_given_as_a_list() -> None:
    book = RuleBook([OFFER])

    assert book.placeable(replace(APPLICANT, vaccinations=["hep_b"]), 0)
    assert not book.placeable(replace(APPLICANT, vaccinations=["mmr"]), 0)
