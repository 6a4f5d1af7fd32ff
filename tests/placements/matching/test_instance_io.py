"""Reading and writing the JSON format of MATCHING_FORMAT.md."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given

from placements.matching import InvalidInstance, instance_to_dict, parse_instance, read_instance, result_to_dict, solve

from .samples import INVALID_CASES, invalid_instance_text, sample_instance
from .strategies import PROPERTY, instances


def test_sample_instance_is_read_into_plain_data() -> None:
    instance = parse_instance(sample_instance())

    offer = instance.offers[0]
    assert (offer.id, offer.capacity, offer.required_vaccinations) == ("O1", 1, frozenset({"hep_b"}))
    assert (offer.start, offer.x_km) == (date(2026, 6, 8), 12.3)
    assert instance.applicants[0].prefs == (("O1", 100), ("O2", 50))
    assert instance.match_date == date(2026, 5, 1)


@PROPERTY
@given(instances())
def test_instance_survives_a_round_trip_through_json(instance) -> None:
    assert read_instance(json.dumps(instance_to_dict(instance))) == instance


def test_result_has_the_format_keys_and_explanations() -> None:
    instance = parse_instance(sample_instance())

    data = result_to_dict(solve(instance), parse_ms=1.25)

    assert data["format"] == "placement-match-result/1"
    # A2 beats A1 for O1's one seat on lottery; A3 is too young for O1.
    assert data["assignment"] == {"A1": "O2", "A2": "O1", "A3": "O2", "A4": None}
    assert data["cutoffs"] == {"O1": {"priority": 100, "lottery": 10}, "O2": {"priority": 50, "lottery": 30}}
    assert data["explanations"] == {
        "A1": [{"offer": "O1", "rank": 1, "reason": "cutoff_above", "cutoff": {"priority": 100, "lottery": 10}}],
        "A2": [],
        "A3": [{"offer": "O1", "rank": 1, "reason": "not_eligible", "rule": "too_young"}],
        "A4": [{"offer": "O2", "rank": 1, "reason": "cutoff_above", "cutoff": {"priority": 50, "lottery": 30}}],
    }
    stats = data["stats"]
    assert (stats["matched"], stats["percent_matched"], stats["average_rank"]) == (3, 75.0, round(5 / 3, 3))
    assert set(stats["timings_ms"]) == {"parse", "eligibility", "solve", "explain"}
    json.dumps(data)  # serialisable as it is


@pytest.mark.parametrize(("name", "change", "fragment"), INVALID_CASES, ids=[case[0] for case in INVALID_CASES])
def test_invalid_instance_is_rejected_with_a_one_line_message(name, change, fragment) -> None:
    with pytest.raises(InvalidInstance) as raised:
        read_instance(invalid_instance_text(change))

    message = str(raised.value)
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["{not json", "[]", '"placement-match-instance/1"'])
def test_text_that_is_not_an_instance_object_is_rejected(text: str) -> None:
    with pytest.raises(InvalidInstance):
        read_instance(text)
