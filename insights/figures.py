"""From facts (plain tuples, no people) to the counts a snapshot stores. Pure Python: no database here.

Every count of people is grouped by facts that survive anonymisation (``AnonymisedApplication``: round, final
status, college, areas of interest, submitted, age band, widening-participation tier), so a snapshot taken after a
student's erasure counts past periods exactly as one taken before (ADR 0019).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from placements.taxonomy import ProfessionArea
from placements.workflow import Status

S = Status

# Where each application ended up: disjoint groups, so every table of them adds up (a row's total is its applicants).
OUTCOMES = (
    ("completed", "Completed", {S.COMPLETED}),
    ("did_not_attend", "Did not attend", {S.DID_NOT_ATTEND}),
    # Cancelled by the student is only reachable after accepting.
    ("accepted_other", "Accepted, not finished", {S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS, S.CANCELLED_BY_STUDENT}),
    # A host can cancel from "offered" or later; the final status cannot tell which, so it counts as not accepted.
    ("offered_not_accepted", "Offered, not accepted", {S.OFFERED, S.DECLINED, S.EXPIRED, S.CANCELLED_BY_HOST}),
    ("unplaced", "Not placed", {S.UNSUCCESSFUL}),
    ("withdrawn", "Withdrew", {S.WITHDRAWN}),
    ("waiting", "Still waiting", {S.SUBMITTED, S.AWAITING_CONSENT, S.READY_FOR_MATCHING, S.MATCHED}),
)
OUTCOME_OF = {status.value: index for index, (_, _, statuses) in enumerate(OUTCOMES) for status in statuses}
OFFERED_COLUMNS = (0, 1, 2, 3)
ACCEPTED_COLUMNS = (0, 1, 2)
MATCHED_EVER = {s.value for _, _, statuses in OUTCOMES[:4] for s in statuses} | {S.MATCHED.value}

# Widening participation: rows are disjoint stages, columns disjoint answers.
WP_ROWS = ("Completed", "Matched, not completed", "Not matched")
WP_COLUMNS = ("At least one factor", "No factor", "Did not answer")

# Per factor: the same three stages (rows) by the answer given (columns). "Prefer not to say" and no answer are
# kept apart in the document; the page's share is of those who answered yes or no.
WP_FACTORS = (
    ("free_school_meals", "Free school meals in the last 6 years"),
    ("care_experienced", "Ever been in care"),
    ("young_carer", "Young carer"),
    ("first_in_family", "First in family to go to university"),
    ("disability", "Disability or long-term health condition"),
)
WP_ANSWER_COLUMNS = ("yes", "no", "prefer_not_to_say", "")

NO_AREA = "No area chosen"
NO_COLLEGE = "Not at a college"
# The key of the organisation-id dimensions ("college_id", "host_id") when there is no organisation.
NO_ORGANISATION = "none"


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    """One application as anonymisation keeps it; live and anonymised rows both become this."""

    round_id: int
    status: str
    submitted: bool
    college_id: int | None
    first_area: str
    age_band: str
    wp_tier: int | None
    # The five answers in the order of WP_FACTORS ("yes", "no", "prefer_not_to_say" or "" for not answered).
    wp_answers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceFact:
    """One cohort's places: not about a person."""

    start_date: date
    capacity: int
    booked: int
    profession_area: str
    borough: str
    host_kind: str
    host_id: int | None = None


@dataclass(frozen=True, slots=True)
class Period:
    key: str
    label: str
    kind: str
    start: date
    end: date

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def academic_year(day: date) -> int:
    """The year an academic year (September to August) starts in."""
    return day.year if day.month >= 9 else day.year - 1


def month_period(day: date) -> Period:
    start = day.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return Period(f"month:{start:%Y-%m}", f"{start:%B %Y}", "month", start, date.fromordinal(following.toordinal() - 1))


def year_period(day: date) -> Period:
    year = academic_year(day)
    label = f"Academic year {year} to {year + 1}"
    return Period(f"year:{year}", label, "year", date(year, 9, 1), date(year + 1, 8, 31))


def periods_of(day: date) -> list[Period]:
    return [month_period(day), year_period(day)]


# Built once: ProfessionArea.values makes a new list on every call, and this runs once per application.
AREA_LABELS = dict(ProfessionArea.choices)


def area_label(area: str) -> str:
    return AREA_LABELS.get(area, NO_AREA)


def _bump(table: dict, label: str, column: int, width: int, by: int = 1) -> None:
    row = table.setdefault(label, [0] * width)
    row[column] += by


def who_gets_in(
    *,
    rounds: list[dict],
    applications,
    places,
    colleges: dict[int, tuple[str, str]],
    timings: dict[str, list[float]] | None = None,
) -> tuple[list[Period], dict]:
    """The periods and the "who gets in" document.

    ``rounds``: dicts with id, name, placements_from, placements_to. ``colleges``: id -> (name, borough).
    ``timings``: period key -> {"days_to_outcome": [...], "host_days_to_decide": [...]}.
    """
    from insights.geography import NO_BOROUGH, icb_for
    from placements.models import AgeBand

    age_labels = dict(AgeBand.choices)

    round_periods: dict[int, list[Period]] = {}
    periods: dict[str, Period] = {}
    for r in rounds:
        own = Period(f"round:{r['id']}", r["name"], "round", r["placements_from"], r["placements_to"])
        round_periods[r["id"]] = [own, *periods_of(r["placements_from"])]
    width = len(OUTCOMES)
    funnel: dict = defaultdict(lambda: defaultdict(dict))
    wp: dict = {}
    wp_factors: dict = {}
    no_answers = ("",) * len(WP_FACTORS)
    for fact in applications:
        if not fact.submitted or fact.status not in OUTCOME_OF or fact.round_id not in round_periods:
            continue
        column = OUTCOME_OF[fact.status]
        name, borough = colleges.get(fact.college_id, (NO_COLLEGE, "")) if fact.college_id else (NO_COLLEGE, "")
        borough = borough or NO_BOROUGH
        labels = {
            "profession": area_label(fact.first_area),
            "borough": borough,
            "icb": icb_for(borough),
            "college": name,
            "age_band": age_labels.get(fact.age_band, "Age not known"),
            # Keyed by organisation id, not name: a college's own pages filter to its row (names can repeat).
            "college_id": str(fact.college_id) if fact.college_id else NO_ORGANISATION,
        }
        if fact.status == S.COMPLETED:
            wp_row = 0
        elif fact.status in MATCHED_EVER:
            wp_row = 1
        else:
            wp_row = 2
        wp_column = 2 if fact.wp_tier is None else (0 if fact.wp_tier > 0 else 1)
        for period in round_periods[fact.round_id]:
            periods[period.key] = period
            for dimension, label in labels.items():
                _bump(funnel[period.key][dimension], label, column, width)
            grid = wp.setdefault(period.key, [[0] * len(WP_COLUMNS) for _ in WP_ROWS])
            grid[wp_row][wp_column] += 1
            factors = wp_factors.setdefault(
                period.key, {key: [[0] * len(WP_ANSWER_COLUMNS) for _ in WP_ROWS] for key, _ in WP_FACTORS}
            )
            for (key, _), answer in zip(WP_FACTORS, fact.wp_answers or no_answers, strict=True):
                answer_column = WP_ANSWER_COLUMNS.index(answer) if answer in WP_ANSWER_COLUMNS else 3
                factors[key][wp_row][answer_column] += 1
    places_doc: dict = defaultdict(lambda: defaultdict(dict))
    for place in places:
        borough = place.borough or NO_BOROUGH
        labels = {
            "profession": area_label(place.profession_area),
            "borough": borough,
            "icb": icb_for(borough),
            "host_kind": place.host_kind,
            "host_id": str(place.host_id) if place.host_id else NO_ORGANISATION,
        }
        own = [p for r_id, ps in round_periods.items() for p in ps[:1] if p.start <= place.start_date <= p.end]
        for period in [*own, *periods_of(place.start_date)]:
            periods[period.key] = period
            for dimension, label in labels.items():
                _bump(places_doc[period.key][dimension], label, 0, 2, place.booked)
                _bump(places_doc[period.key][dimension], label, 1, 2, max(place.capacity - place.booked, 0))
    timings_doc = {}
    for key, series in (timings or {}).items():
        if key in periods:
            timings_doc[key] = {name: _median(values) for name, values in series.items()}
    document = {
        "funnel": _plain(funnel),
        "wp": wp,
        "wp_factors": wp_factors,
        "places": _plain(places_doc),
        "timings": timings_doc,
    }
    return ordered_periods(periods.values()), document


def _median(values: list[float]) -> dict:
    return {"n": len(values), "median": round(statistics.median(values), 1) if values else None}


def _plain(nested) -> dict:
    return {k: _plain(v) if isinstance(v, dict) else v for k, v in nested.items()}


def ordered_periods(periods) -> list[Period]:
    order = {"round": 0, "year": 1, "month": 2}
    return sorted(periods, key=lambda p: (order[p.kind], -p.start.toordinal(), p.key))


def demand(vacancies) -> dict:
    """Vacancies (FTE) per month, by profession area and by integrated care board, NHS and care side by side.

    ``vacancies``: (period, sector, profession_area, icb, fte) tuples. Not counts of people we hold: no suppression.
    """
    document: dict = {}
    for period, sector, area, icb, fte in vacancies:
        column = 0 if sector == "nhs" else 1
        month = document.setdefault(f"{period:%Y-%m}", {"profession": {}, "icb": {}})
        for dimension, label in (("profession", area_label(area)), ("icb", icb)):
            row = month[dimension].setdefault(label, [0.0, 0.0])
            row[column] = round(row[column] + float(fte), 2)
    return document
