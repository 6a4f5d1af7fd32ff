"""Integrity checks shared by the JSON reader and the Python API.

Per-entry checks (a preference naming an unknown offer, an offer listed twice by one applicant) are made where
the entries are read anyway: in `instance_io` for JSON and in the engine's single pass for the Python API.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from .model import Applicant, InvalidInstance, Offer


def check_integrity(offers: Sequence[Offer], applicants: Sequence[Applicant], *, min_capacity: int) -> None:
    """Raise InvalidInstance for duplicate ids, a capacity below `min_capacity` or a lottery number used twice."""
    _check_unique("offer id", map(attrgetter("id"), offers))
    _check_unique("applicant id", map(attrgetter("id"), applicants))
    _check_unique("lottery number", map(attrgetter("lottery"), applicants))
    for offer in offers:
        if not isinstance(offer.capacity, int) or offer.capacity < min_capacity:
            raise InvalidInstance(
                f"offer {offer.id}: capacity must be an integer >= {min_capacity}, got {offer.capacity!r}"
            )


def _check_unique(what: str, values: Iterable[object]) -> None:
    listed = list(values)
    if len(set(listed)) == len(listed):  # the common case, checked at C speed
        return
    seen: set[object] = set()
    for value in listed:
        if value in seen:
            raise InvalidInstance(f"duplicate {what}: {value!r}")
        seen.add(value)
