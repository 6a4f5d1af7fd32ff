"""The JSON interchange format (MATCHING_FORMAT.md): instance in, result out.

`parse_instance` is strict about what the engine relies on and ignores unknown keys, which are informational.
Every problem is an InvalidInstance with a one-line message naming the offending record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from operator import itemgetter
from typing import Any

from .model import Applicant, Cutoff, Explanation, Instance, InvalidInstance, Offer, Result
from .validation import check_integrity

INSTANCE_FORMAT = "placement-match-instance/1"
RESULT_FORMAT = "placement-match-result/1"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_instance(text: str | bytes) -> Instance:
    """Parse and validate instance JSON text."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        raise InvalidInstance(f"not valid JSON: {error}") from None
    return parse_instance(data)


def parse_instance(data: Any) -> Instance:
    """Build an Instance from decoded JSON, raising InvalidInstance on the first problem found."""
    if not isinstance(data, dict):
        raise InvalidInstance("the instance must be a JSON object")
    if data.get("format") != INSTANCE_FORMAT:
        raise InvalidInstance(f"unknown format {data.get('format')!r}, expected {INSTANCE_FORMAT!r}")
    dates = _DateReader()
    match_date = dates.read(data["match_date"], "match_date") if "match_date" in data else None
    offers = [_offer(record, dates) for record in _list(data, "offers", "instance")]
    applicants = [_applicant(record, dates) for record in _list(data, "applicants", "instance")]
    check_integrity(offers, applicants, min_capacity=1)
    known = {offer.id for offer in offers}
    for applicant in applicants:
        listed = list(map(itemgetter(0), applicant.prefs))
        if not known.issuperset(listed):
            unknown = next(offer_id for offer_id in listed if offer_id not in known)
            raise InvalidInstance(f"applicant {applicant.id}: preference names unknown offer {unknown!r}")
        if len(set(listed)) != len(listed):
            raise InvalidInstance(f"applicant {applicant.id}: an offer is listed twice in prefs")
    return Instance(offers=tuple(offers), applicants=tuple(applicants), match_date=match_date)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The instance as JSON-ready data (the inverse of `parse_instance`)."""
    data: dict[str, Any] = {"format": INSTANCE_FORMAT}
    if instance.match_date is not None:
        data["match_date"] = instance.match_date.isoformat()
    data["offers"] = [_offer_dict(offer) for offer in instance.offers]
    data["applicants"] = [_applicant_dict(applicant) for applicant in instance.applicants]
    return data


def result_to_dict(result: Result, *, parse_ms: float | None = None) -> dict[str, Any]:
    """The result as JSON-ready data, with `explanations` beside the keys the format requires."""
    stats = result.stats
    timings = dict(stats.timings_ms)
    if parse_ms is not None:
        timings = {"parse": round(parse_ms, 1), **timings}
    return {
        "format": RESULT_FORMAT,
        "assignment": dict(result.assignment),
        "cutoffs": {offer_id: _cutoff_dict(cutoff) for offer_id, cutoff in result.cutoffs.items()},
        "stats": {
            "applicants": stats.applicants,
            "offers": stats.offers,
            "matched": stats.matched,
            "percent_matched": stats.percent_matched,
            "average_rank": stats.average_rank,
            "timings_ms": timings,
        },
        "explanations": {
            applicant_id: [_explanation_dict(item) for item in items]
            for applicant_id, items in result.explanations.items()
        },
    }


class _DateReader:
    """Strict YYYY-MM-DD parsing, cached: a run has few distinct dates and many records."""

    def __init__(self) -> None:
        self._seen: dict[str, date] = {}

    def read(self, value: Any, where: str) -> date:
        if isinstance(value, str):
            known = self._seen.get(value)
            if known is not None:
                return known
            if _ISO_DATE.fullmatch(value):
                try:
                    parsed = self._seen[value] = date.fromisoformat(value)
                    return parsed
                except ValueError:
                    pass
        raise InvalidInstance(f"{where}: malformed date {value!r}, expected YYYY-MM-DD")


def _offer(record: Any, dates: _DateReader) -> Offer:
    where = _where("offer", record)
    start = dates.read(_field(record, "start", where), f"{where} start")
    end = dates.read(_field(record, "end", where), f"{where} end")
    if end < start:
        raise InvalidInstance(f"{where}: end {end} is before start {start}")
    return Offer(
        id=_typed(record, "id", str, where),
        capacity=_typed(record, "capacity", int, where),
        min_age=_typed(record, "min_age", int, where),
        requires_dbs=_typed(record, "requires_dbs", bool, where),
        required_vaccinations=_names(record, "required_vaccinations", where),
        start=start,
        end=end,
        provider=_optional(record, "provider", str, where),
        x_km=_optional(record, "x_km", (int, float), where),
        y_km=_optional(record, "y_km", (int, float), where),
    )


def _applicant(record: Any, dates: _DateReader) -> Applicant:
    where = _where("applicant", record)
    return Applicant(
        id=_typed(record, "id", str, where),
        age=_typed(record, "age", int, where),
        dbs_checked=_typed(record, "dbs_checked", bool, where),
        vaccinations=_names(record, "vaccinations", where),
        available_from=dates.read(_field(record, "available_from", where), f"{where} available_from"),
        available_to=dates.read(_field(record, "available_to", where), f"{where} available_to"),
        lottery=_typed(record, "lottery", int, where),
        prefs=_prefs(record, where),
    )


def _prefs(record: Mapping[str, Any], where: str) -> tuple[tuple[str, int], ...]:
    """The [offer_id, priority] pairs as tuples; checked in bulk because there are millions of them in a big run."""
    entries = _list(record, "prefs", where)
    try:
        kinds = {(type(offer_id), type(priority)) for offer_id, priority in entries}
    except (TypeError, ValueError):  # an entry that is not a pair
        kinds = None
    # `type(...) is int` also keeps out booleans. JSON cannot make any other pair of a str and an int.
    if kinds is None or not kinds <= {(str, int)}:
        raise InvalidInstance(f"{where}: each prefs entry must be [offer_id, integer priority]")
    return tuple(map(tuple, entries))


def _where(kind: str, record: Any) -> str:
    if not isinstance(record, dict):
        raise InvalidInstance(f"each {kind} must be a JSON object, got {type(record).__name__}")
    return f"{kind} {record.get('id', '(no id)')}"


def _field(record: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in record:
        raise InvalidInstance(f"{where}: missing field {name!r}")
    return record[name]


def _typed(record: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    value = _field(record, name, where)
    # bool is an int in Python but not in the format: reject `"capacity": true`.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidInstance(f"{where}: {name!r} must be {kind.__name__}, got {value!r}")
    return value


def _optional(record: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(name)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise InvalidInstance(f"{where}: {name!r} has the wrong type: {value!r}")
    return value


def _list(record: Mapping[str, Any], name: str, where: str) -> list[Any]:
    value = _field(record, name, where)
    if not isinstance(value, list):
        raise InvalidInstance(f"{where}: {name!r} must be a list")
    return value


def _names(record: Mapping[str, Any], name: str, where: str) -> frozenset[str]:
    values = _list(record, name, where)
    if not all(isinstance(value, str) for value in values):
        raise InvalidInstance(f"{where}: {name!r} must be a list of strings")
    return frozenset(values)


def _offer_dict(offer: Offer) -> dict[str, Any]:
    data: dict[str, Any] = {"id": offer.id}
    if offer.provider is not None:
        data["provider"] = offer.provider
    data.update(
        capacity=offer.capacity,
        min_age=offer.min_age,
        requires_dbs=offer.requires_dbs,
        required_vaccinations=sorted(offer.required_vaccinations),
        start=offer.start.isoformat(),
        end=offer.end.isoformat(),
    )
    if offer.x_km is not None and offer.y_km is not None:
        data.update(x_km=offer.x_km, y_km=offer.y_km)
    return data


def _applicant_dict(applicant: Applicant) -> dict[str, Any]:
    return {
        "id": applicant.id,
        "age": applicant.age,
        "dbs_checked": applicant.dbs_checked,
        "vaccinations": sorted(applicant.vaccinations),
        "available_from": applicant.available_from.isoformat(),
        "available_to": applicant.available_to.isoformat(),
        "lottery": applicant.lottery,
        "prefs": [[offer_id, priority] for offer_id, priority in applicant.prefs],
    }


def _cutoff_dict(cutoff: Cutoff | None) -> dict[str, int] | None:
    return None if cutoff is None else {"priority": cutoff.priority, "lottery": cutoff.lottery}


def _explanation_dict(item: Explanation) -> dict[str, Any]:
    data: dict[str, Any] = {"offer": item.offer, "rank": item.rank, "reason": item.reason}
    if item.rule is not None:
        data["rule"] = item.rule
    if item.cutoff is not None:
        data["cutoff"] = _cutoff_dict(item.cutoff)
    return data
