"""The simulation-training tables a page shows and a CSV writes, built from a snapshot's training document.

Sessions, seats offered and room-hours are not people: shown as they are (as vacancies are). Seats filled are
suppressed as people are (a filled seat is close to a person). Attendances are people: the people table goes through
the one suppression function, and CPD hours (attendances times each session's CPD hours)
are shown only beside a shown count, so they cannot give a hidden one back.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from disclosure.suppression import suppress_breakdown, suppress_table
from insights.tables import NOT_SHOWN, Table
from insights.training_figures import CANCELLED, ROOM_DIMENSIONS, RUN, SEATS_FILLED, SEATS_OFFERED, SECONDS_BOOKED

BREAKDOWNS = {
    "college": "College",
    "borough": "Borough of the college",
    "icb": "Integrated care board of the college",
    "audience": "Who the session was for",
    "topic": "Topic",
}
TABLES = ("sessions", "people")
NOT_APPLICABLE = "not applicable"


def _hours(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _share(part, whole) -> str:
    """A percentage to one decimal place (half up): a suite's year is thousands of hours, so whole percentages
    would read 0% for a suite in use."""
    if not whole:
        return NOT_APPLICABLE
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:f}".removesuffix(".0") + "%"


def _number(value: float) -> str:
    return f"{value:g}"


def sessions_table(
    counts: dict[str, list], room_hours: dict[str, int] | None, all_room_hours: int, dimension: str
) -> Table:
    """Sessions, seats and utilisation per row. Sessions, seats offered and hours are not people: shown as they are.
    Seats filled are not people either, but a seat a student or a member of staff sat in is close to one (a
    students-only session's seats filled would give back the students trained that the people table hides), so
    seats filled are suppressed as a count of people, and the share filled is given only beside a shown count."""
    labels = sorted(counts)
    heading = BREAKDOWNS[dimension]
    filled = suppress_breakdown([counts[label][SEATS_FILLED] for label in labels])

    def line(name, row, available, seats_filled):
        booked = _hours(row[SECONDS_BOOKED])
        return [
            name,
            str(row[RUN]),
            str(row[CANCELLED]),
            str(row[SEATS_OFFERED]),
            seats_filled.text,
            _share(row[SEATS_FILLED], row[SEATS_OFFERED]) if seats_filled.shown else NOT_SHOWN,
            _number(booked),
            NOT_APPLICABLE if available is None else str(available),
            NOT_APPLICABLE if available is None else _share(booked, available),
        ]

    rows = [
        line(label, counts[label], None if room_hours is None else room_hours.get(label, 0), figure)
        for label, figure in zip(labels, filled.parts, strict=True)
    ]
    total = [0, 0, 0, 0, 0.0]
    for label in labels:
        for index, value in enumerate(counts[label]):
            total[index] += value
    bars = [
        (label, [counts[label][SEATS_OFFERED], figure.count])
        for label, figure in zip(labels, filled.parts, strict=True)
    ]
    return Table(
        caption=f"Simulation sessions, seats and how much of the suites' time they used, by {heading.lower()}",
        headings=[
            heading,
            "Sessions run or scheduled",
            "Sessions cancelled",
            "Seats offered",
            "Seats filled",
            "Seats filled out of seats offered",
            "Room-hours booked",
            "Room-hours available",
            "Utilisation (room-hours booked out of available)",
        ],
        rows=rows,
        total=line("All sessions", total, all_room_hours, filled.total) if labels else None,
        bars=bars,
        series=["Seats offered", "Seats filled"],
        any_hidden=any(not figure.shown for figure in (*filled.parts, filled.total)),
    )


def people_table(counts: dict[str, list[int]], cpd_hours: dict[str, float], dimension: str) -> Table:
    """People trained (each attendance at a session not cancelled) by who they are: suppressed."""
    labels = sorted(counts)
    heading = BREAKDOWNS[dimension]
    suppressed = suppress_table([counts[label] for label in labels])
    lines = list(zip(labels, suppressed.cells, suppressed.row_totals, strict=True))
    every_row_shown = all(total.shown for _, _, total in lines)

    def line(name, cells, total, cpd: str):
        return [name, total.text, *(cell.text for cell in cells), cpd]

    rows = [
        line(label, cells, total, _number(cpd_hours.get(label, 0)) if total.shown else NOT_SHOWN)
        for label, cells, total in lines
    ]
    # The total of CPD hours only when every row's is shown: otherwise total minus the shown rows gives the hidden.
    all_cpd = _number(round(sum(cpd_hours.get(label, 0) for label in labels), 2)) if every_row_shown else NOT_SHOWN
    return Table(
        caption=f"People trained: attendances at simulation sessions, by {heading.lower()}",
        headings=[heading, "People trained", "NHS trust staff", "Social-care provider staff", "Students", "CPD hours"],
        rows=rows,
        total=line("All people trained", suppressed.column_totals, suppressed.grand_total, all_cpd) if labels else None,
        bars=[(label, [total.count]) for label, _, total in lines],
        series=["People trained"],
        any_hidden=suppressed.any_hidden,
    )


def training_table(document: dict, period_key: str, dimension: str, which: str) -> Table:
    if which == "people":
        people = document.get("people", {}).get(period_key, {}).get(dimension, {})
        cpd = document.get("cpd_hours", {}).get(period_key, {}).get(dimension, {})
        return people_table(people, cpd, dimension)
    counts = document.get("sessions", {}).get(period_key, {}).get(dimension, {})
    room_hours = document.get("room_hours", {}).get(period_key, {})
    all_room_hours = sum(room_hours.get("college", {}).values())
    return sessions_table(
        counts, room_hours.get(dimension, {}) if dimension in ROOM_DIMENSIONS else None, all_room_hours, dimension
    )
