"""Plain data the matching engine takes and returns.

Nothing here knows about Django or JSON: the Django side builds an `Instance` from the database, the CLI builds
one from a file (`instance_io`), and both get a `Result` back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

# Reason codes in explanations (see explain.py).
NOT_ELIGIBLE = "not_eligible"
CUTOFF_ABOVE = "cutoff_above"
NO_PLACES = "no_places"


class InvalidInstance(ValueError):
    """The instance breaks the contract in MATCHING_FORMAT.md; the message is one line, fit for a CLI user."""


@dataclass(frozen=True, slots=True)
class Offer:
    """One cohort (dated run) of an opportunity, with the seats still open.

    `capacity` may be 0 through the Python API (every seat already taken by an accepted placement): such an offer
    is full before matching starts, admits nobody and has a null cutoff. The JSON format requires capacity >= 1.
    """

    id: str
    capacity: int
    min_age: int
    requires_dbs: bool
    required_vaccinations: frozenset[str]
    start: date
    end: date
    provider: str | None = None
    x_km: float | None = None
    y_km: float | None = None


@dataclass(frozen=True, slots=True)
class Applicant:
    """A student taking part in the run.

    `prefs` is the ranked list, most preferred first, of `(offer_id, priority)`: `priority` is the offer's score of
    this applicant, HIGHER is better. `lottery` is unique per applicant and LOWER wins a priority tie. Listed offers
    the applicant is not eligible for are allowed and are never matched.
    """

    id: str
    age: int
    dbs_checked: bool
    vaccinations: frozenset[str]
    available_from: date
    available_to: date
    lottery: int
    prefs: Sequence[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Instance:
    """Everything one matching run needs."""

    offers: Sequence[Offer]
    applicants: Sequence[Applicant]
    match_date: date | None = None

    def without_applicants(self, applicant_ids: Iterable[str]) -> Instance:
        """The same instance less some applicants, e.g. to re-match after withdrawals.

        Re-solving is enough: with the applicant-optimal matching, removing applicants never moves a remaining
        applicant down their list.
        """
        gone = set(applicant_ids)
        kept = tuple(applicant for applicant in self.applicants if applicant.id not in gone)
        return Instance(offers=self.offers, applicants=kept, match_date=self.match_date)


@dataclass(frozen=True, slots=True)
class Cutoff:
    """The lowest-ranked applicant an offer admitted, as the offer ranks them: (priority, lottery)."""

    priority: int
    lottery: int

    def admits(self, priority: int, lottery: int) -> bool:
        """True when (priority, lottery) ranks at or above this cutoff: higher priority, then lower lottery."""
        return (-priority, lottery) <= (-self.priority, self.lottery)


class Explanation(NamedTuple):
    """Why an applicant did not get one offer they ranked above the one they got.

    `reason` is NOT_ELIGIBLE (with `rule`, an eligibility reason code), NO_PLACES (capacity 0: the offer was full
    before matching) or CUTOFF_ABOVE (with the offer's `cutoff`, which the applicant ranks below).

    A NamedTuple rather than a frozen dataclass, and immutable all the same: a run at 100,000 applicants makes
    about 350,000 of these, and a frozen dataclass costs about three times as much to build.
    """

    offer: str
    rank: int
    reason: str
    rule: str | None = None
    cutoff: Cutoff | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """Summary figures; `average_rank` counts the matched applicants only (1 = first choice)."""

    applicants: int
    offers: int
    matched: int
    percent_matched: float
    average_rank: float | None
    timings_ms: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    """The applicant-optimal stable matching and what explains it.

    `assignment` has every applicant id (None = unmatched); `cutoffs` has every offer id (None unless the offer
    is full); `explanations` has every applicant id, possibly with an empty tuple.
    """

    assignment: Mapping[str, str | None]
    cutoffs: Mapping[str, Cutoff | None]
    explanations: Mapping[str, tuple[Explanation, ...]]
    stats: Stats
