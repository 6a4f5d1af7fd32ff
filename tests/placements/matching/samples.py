"""A small instance in the JSON format, and the ways an instance can be invalid."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any


def sample_instance() -> dict[str, Any]:
    """Four applicants, two offers: A1 and A2 compete for O1's single seat, A3 is too young for O1."""
    return {
        "format": "placement-match-instance/1",
        "match_date": "2026-05-01",
        "offers": [
            {
                "id": "O1",
                "provider": "P1",
                "capacity": 1,
                "min_age": 16,
                "requires_dbs": True,
                "required_vaccinations": ["hep_b"],
                "start": "2026-06-08",
                "end": "2026-06-12",
                "x_km": 12.3,
                "y_km": 20.1,
            },
            {
                "id": "O2",
                "capacity": 2,
                "min_age": 14,
                "requires_dbs": False,
                "required_vaccinations": [],
                "start": "2026-06-15",
                "end": "2026-06-19",
            },
        ],
        "applicants": [
            _applicant("A1", age=17, lottery=30, prefs=[["O1", 100], ["O2", 50]]),
            _applicant("A2", age=16, lottery=10, prefs=[["O1", 100], ["O2", 50]]),
            _applicant("A3", age=15, lottery=20, prefs=[["O1", 100], ["O2", 50]]),
            _applicant("A4", age=18, lottery=40, prefs=[["O2", 10]], note="unknown keys are ignored"),
        ],
    }


def _applicant(applicant_id: str, *, age: int, lottery: int, prefs: list, **extra: Any) -> dict[str, Any]:
    return {
        "id": applicant_id,
        "age": age,
        "dbs_checked": True,
        "vaccinations": ["hep_b", "mmr"],
        "available_from": "2026-06-01",
        "available_to": "2026-07-31",
        "lottery": lottery,
        "prefs": prefs,
        **extra,
    }


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set data[a][b]... for a dotted path such as "offers.0.capacity"."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        del target[last]

    return change


# (name, change to the sample, a fragment the one-line message must contain)
INVALID_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown format", _set("format", "placement-match-instance/9"), "unknown format"),
    ("missing format", _delete("format"), "unknown format"),
    ("duplicate offer id", _set("offers.1.id", "O1"), "duplicate offer id"),
    ("duplicate applicant id", _set("applicants.1.id", "A1"), "duplicate applicant id"),
    ("preference names unknown offer", _set("applicants.0.prefs.1.0", "O9"), "unknown offer"),
    ("offer listed twice", _set("applicants.0.prefs.1.0", "O1"), "listed twice"),
    ("capacity zero", _set("offers.0.capacity", 0), "capacity"),
    ("capacity negative", _set("offers.0.capacity", -2), "capacity"),
    ("capacity not an integer", _set("offers.0.capacity", "2"), "capacity"),
    ("impossible date", _set("offers.0.start", "2026-06-31"), "malformed date"),
    ("date not ISO", _set("applicants.2.available_to", "31/07/2026"), "malformed date"),
    ("end before start", _set("offers.1.end", "2026-06-01"), "before start"),
    ("lottery not unique", _set("applicants.3.lottery", 10), "duplicate lottery"),
    ("missing applicant field", _delete("applicants.0.age"), "missing field 'age'"),
    ("missing offer field", _delete("offers.1.requires_dbs"), "missing field 'requires_dbs'"),
    ("missing offers", _delete("offers"), "missing field 'offers'"),
    ("malformed prefs entry", _set("applicants.0.prefs.0", ["O1"]), "prefs entry"),
]


def invalid_instance_text(change: Callable[[dict[str, Any]], None]) -> str:
    data = copy.deepcopy(sample_instance())
    change(data)
    return json.dumps(data)
