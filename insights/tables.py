"""The tables a page shows, built from a snapshot's counts and passed through the one suppression function
(disclosure/suppression.py) exactly as shown; the CSV download writes the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.suppression import (
    FEWER_THAN_5,
    Figure,
    SuppressedTable,
    suppress_count,
    suppress_grouped_table,
    suppress_table,
)
from insights.figures import ACCEPTED_COLUMNS, OFFERED_COLUMNS, WP_ANSWER_COLUMNS, WP_COLUMNS, WP_FACTORS, WP_ROWS
from insights.geography import icb_for
from placements.taxonomy import ProfessionArea

NOT_SHOWN = "not shown"

FUNNEL_BREAKDOWNS = {
    "profession": "Area of interest (first listed)",
    "borough": "Borough of the college",
    "icb": "Integrated care board of the college",
    "college": "College",
    "age_band": "Age band",
}
PLACES_BREAKDOWNS = {
    "profession": "Profession area",
    "borough": "Borough of the site",
    "icb": "Integrated care board of the site",
    "host_kind": "Kind of host",
}
VACANCY_HEADINGS = ("NHS vacancies (FTE)", "Social care vacancies (FTE)")
DEMAND_BREAKDOWNS = {"profession": "Profession area", "icb": "Integrated care board"}


@dataclass
class Table:
    """Headings and rows of text, as shown and as downloaded; ``bars`` are what the chart draws (shown counts)."""

    caption: str
    headings: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    bars: list[tuple[str, list[int | None]]] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    any_hidden: bool = False

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (heading, cell) pairs: on a phone every cell says which column it is."""
        return [list(zip(self.headings, row, strict=True)) for row in self.rows]

    @property
    def labelled_total(self) -> list[tuple[str, str]]:
        return list(zip(self.headings, self.total, strict=True)) if self.total else []

    def csv_rows(self) -> list[list[str]]:
        return [self.headings, *self.rows, *([self.total] if self.total else [])]


def _order(labels, dimension: str) -> list[str]:
    """A fixed order that says nothing about the hidden counts: taxonomy order for professions, else A to Z."""
    if dimension == "profession":
        rank = {label: i for i, label in enumerate(ProfessionArea.labels)}
        return sorted(labels, key=lambda label: (rank.get(label, len(rank)), label))
    return sorted(labels)


# Breakdowns that nest: boroughs add up into integrated care boards. Tables of the same figures by either are
# suppressed together from the borough counts (``suppress_grouped_table``), so that setting the borough table
# beside the board table gives no hidden borough back (ADR 0017).
NESTED = ("borough", "icb")


def suppressed_breakdown(
    counts: dict[str, list[int]],
    dimension: str,
    *,
    boroughs: dict[str, list[int]] | None = None,
    width: int = 0,
    also: set[str] = frozenset(),
) -> tuple[list[str], SuppressedTable]:
    """The labels in order and their suppressed rows for one breakdown of a period's counts.

    ``boroughs``: the same figures by borough; given for a borough or board breakdown, both levels are suppressed
    as one (the board rows are then the sums of the borough rows, whatever ``counts`` says). ``also``: labels to
    show as rows of zeros (a board with vacancies but no places). ``width``: columns when there are no rows.
    """
    if dimension in NESTED and boroughs:
        by_icb: dict[str, list[str]] = {}
        for borough in sorted(boroughs):
            by_icb.setdefault(icb_for(borough), []).append(borough)
        if dimension == "icb":
            for label in also:
                by_icb.setdefault(label, [])
        groups = sorted(by_icb)
        grouped = suppress_grouped_table([[list(boroughs[b]) for b in by_icb[icb]] for icb in groups])
        if dimension == "icb":
            return groups, grouped.groups_table()
        flat = grouped.rows_table()
        position = {b: i for i, b in enumerate(b for icb in groups for b in by_icb[icb])}
        labels = _order(position, dimension)
        return labels, SuppressedTable(
            cells=tuple(flat.cells[position[b]] for b in labels),
            row_totals=tuple(flat.row_totals[position[b]] for b in labels),
            column_totals=flat.column_totals,
            grand_total=flat.grand_total,
        )
    labels = _order(set(counts) | set(also), dimension)
    width = len(next(iter(counts.values()))) if counts else width
    return labels, suppress_table([counts.get(label, [0] * width) for label in labels])


def _lines(labels, suppressed):
    return zip(labels, suppressed.cells, suppressed.row_totals, strict=True)


def percent(figure: Figure) -> str:
    return NOT_SHOWN if figure.percent is None else f"{figure.percent:g}%"


def _sum_if_shown(figures: list[Figure]) -> int | None:
    return sum(f.count for f in figures) if all(f.shown for f in figures) else None


def _rate(part: int | None, whole: int | None) -> str:
    if part is None or whole is None or not whole:
        return NOT_SHOWN
    return f"{round(100 * part / whole, 1):g}%"


def _text(value: int | None) -> str:
    return NOT_SHOWN if value is None else str(value)


def funnel_table(counts: dict[str, list[int]], dimension: str, *, boroughs: dict | None = None) -> Table:
    """Applicants by where they ended up, one row per group; offered and accepted are shown only when every part
    they add up from is shown (so they give nothing hidden away). Pass ``boroughs`` (the same applicants by
    borough) for a borough or board breakdown: see ``suppressed_breakdown``."""
    labels, suppressed = suppressed_breakdown(counts, dimension, boroughs=boroughs)
    headings = [
        FUNNEL_BREAKDOWNS[dimension],
        "Applicants",
        "Offered a place",
        "Accepted",
        "Completed",
        "Did not attend",
        "Not placed",
        "Offer acceptance rate",
    ]

    def line(name, cells, total):
        # The grid suppressed is every outcome group; the page shows the groups people ask about and the sums.
        offered = _sum_if_shown([cells[i] for i in OFFERED_COLUMNS])
        accepted = _sum_if_shown([cells[i] for i in ACCEPTED_COLUMNS])
        completed, did_not_attend, unplaced = cells[0], cells[1], cells[4]
        return [
            name,
            total.text,
            _text(offered),
            _text(accepted),
            completed.text,
            did_not_attend.text,
            unplaced.text,
            _rate(accepted, offered),
        ]

    rows = [line(label, cells, total) for label, cells, total in _lines(labels, suppressed)]
    bars = []
    for label, cells, total in _lines(labels, suppressed):
        bars.append((label, [total.count, _sum_if_shown([cells[i] for i in ACCEPTED_COLUMNS])]))
    return Table(
        caption=f"Applicants and where they ended up, by {FUNNEL_BREAKDOWNS[dimension].lower()}",
        headings=headings,
        rows=rows,
        total=line("All applicants", suppressed.column_totals, suppressed.grand_total) if labels else None,
        bars=bars,
        series=["Applicants", "Accepted a place"],
        any_hidden=suppressed.any_hidden,
    )


def places_table(counts: dict[str, list[int]], dimension: str, *, boroughs: dict | None = None) -> Table:
    """Places hosts offered, taken and not taken; the fill rate is places taken out of places offered. Pass
    ``boroughs`` (the same places by borough) for a borough or board breakdown: see ``suppressed_breakdown``."""
    labels, suppressed = suppressed_breakdown(counts, dimension, boroughs=boroughs)

    def line(name, cells, total):
        return [name, total.text, cells[0].text, cells[1].text, percent(cells[0])]

    rows = [line(label, cells, total) for label, cells, total in _lines(labels, suppressed)]
    return Table(
        caption=f"Places offered by hosts and how many were taken, by {PLACES_BREAKDOWNS[dimension].lower()}",
        headings=[PLACES_BREAKDOWNS[dimension], "Places offered", "Places taken", "Places not taken", "Fill rate"],
        rows=rows,
        total=line("All places", suppressed.column_totals, suppressed.grand_total) if labels else None,
        bars=[(label, [total.count, cells[0].count]) for label, cells, total in _lines(labels, suppressed)],
        series=["Places offered", "Places taken"],
        any_hidden=suppressed.any_hidden,
    )


def wp_table(grid: list[list[int]] | None) -> Table:
    """Widening participation by stage: the share with at least one factor among applicants, matched, completed."""
    grid = grid or [[0] * len(WP_COLUMNS) for _ in WP_ROWS]
    suppressed = suppress_table(grid)
    rows = [
        [name, total.text, *(c.text for c in cells), percent(cells[0])]
        for name, cells, total in _lines(WP_ROWS, suppressed)
    ]
    # "Matched" is the first two stages together: shown only when all six of their figures are.
    completed, matched_only = suppressed.cells[0], suppressed.cells[1]
    matched_any = _sum_if_shown([completed[0], matched_only[0]])
    matched_all = _sum_if_shown([*completed, *matched_only])
    matched_row = ["Matched (completed or not)", _text(matched_all), _text(matched_any), NOT_SHOWN, NOT_SHOWN]
    matched_row.append(_rate(matched_any, matched_all))
    total = [
        "All applicants",
        suppressed.grand_total.text,
        *(c.text for c in suppressed.column_totals),
        percent(suppressed.column_totals[0]),
    ]
    return Table(
        caption="Applicants with at least one widening-participation factor, by how far they got",
        headings=["Stage", "People", *WP_COLUMNS, "Share with at least one factor"],
        rows=[*rows, matched_row],
        total=total,
        any_hidden=suppressed.any_hidden,
    )


WP_YES, WP_NO = WP_ANSWER_COLUMNS.index("yes"), WP_ANSWER_COLUMNS.index("no")


def wp_factors_table(factors: dict | None) -> Table:
    """Each widening-participation factor: how many applicants, matched and completed said yes, and the share of
    those who answered (yes or no) at that stage.

    Each factor's stages x (yes, no) grid goes through ``suppress_table`` on its own (the stages are disjoint, so
    its totals are real totals); "matched" and "applicants" are sums of its lines, shown only when every part is.
    The people who answered a factor are counted only here, so one factor's table gives nothing of another's.
    """
    factors = factors or {}
    rows, any_hidden = [], False
    for key, label in WP_FACTORS:
        grid = factors.get(key) or [[0] * len(WP_ANSWER_COLUMNS) for _ in WP_ROWS]
        suppressed = suppress_table([[stage[WP_YES], stage[WP_NO]] for stage in grid])
        any_hidden = any_hidden or suppressed.any_hidden
        completed, matched_only = suppressed.cells[0], suppressed.cells[1]
        matched_yes = _sum_if_shown([completed[0], matched_only[0]])
        matched_answered = _sum_if_shown(list(suppressed.row_totals[:2]))
        applicants_yes, applicants_answered = suppressed.column_totals[0], suppressed.grand_total
        completed_yes, completed_answered = completed[0], suppressed.row_totals[0]
        rows.append(
            [
                label,
                applicants_yes.text,
                _rate(_count(applicants_yes), _count(applicants_answered)),
                _text(matched_yes),
                _rate(matched_yes, matched_answered),
                completed_yes.text,
                _rate(_count(completed_yes), _count(completed_answered)),
            ]
        )
    headings = ["Factor"]
    for stage in ("Applicants", "Matched", "Completed"):
        headings += [f"{stage} who said yes", f"Share of {stage.lower()} who answered"]
    return Table(
        caption="Each widening-participation factor: who said yes among applicants, matched and completed",
        headings=headings,
        rows=rows,
        any_hidden=any_hidden,
    )


def _count(figure: Figure) -> int | None:
    return figure.count if figure.shown else None


def timing_figures(timings: dict | None) -> list[tuple[str, str]]:
    """The two medians, each shown only when it is of 5 or more applications."""
    timings = timings or {}
    out = []
    for key, label in (
        ("days_to_outcome", "Median days from submitting to an outcome"),
        ("host_days_to_decide", "Hosts' median days to decide on a match"),
    ):
        figure = timings.get(key) or {"n": 0, "median": None}
        shown = suppress_count(figure["n"])
        if not figure["n"]:
            out.append((label, "no decisions yet"))
        elif not shown.shown:
            out.append((label, f"not shown: {FEWER_THAN_5} decisions"))
        else:
            out.append((label, f"{figure['median']:g} (of {figure['n']})"))
    return out


def supply_demand_table(
    places: dict[str, list[int]], demand: dict[str, list[float]], dimension: str, *, boroughs: dict | None = None
) -> Table:
    """Places (suppressed like every count of people) beside vacancies (full-time equivalent, published figures).
    Pass ``boroughs`` (the same places by borough) by board, so the board rows are suppressed with the borough
    table of the who-gets-in page (``suppressed_breakdown``)."""
    labels, suppressed = suppressed_breakdown(places, dimension, boroughs=boroughs, width=2, also=set(demand))

    def fte(value: float | None) -> str:
        return "none reported" if not value else f"{value:,.1f}"

    rows, bars = [], []
    nhs_all = sum(demand.get(label, [0.0, 0.0])[0] for label in labels)
    care_all = sum(demand.get(label, [0.0, 0.0])[1] for label in labels)
    for label, cells, total in _lines(labels, suppressed):
        nhs, care = demand.get(label, [0.0, 0.0])
        rows.append([label, total.text, cells[0].text, fte(nhs), fte(care)])
        bars.append((label, [total.count, round(nhs + care) if (nhs or care) else 0]))
    return Table(
        caption=f"Work experience places beside vacancies, by {DEMAND_BREAKDOWNS[dimension].lower()}",
        headings=[DEMAND_BREAKDOWNS[dimension], "Places offered", "Places taken", *VACANCY_HEADINGS],
        rows=rows,
        total=["All", suppressed.grand_total.text, suppressed.column_totals[0].text, fte(nhs_all), fte(care_all)]
        if labels
        else None,
        bars=bars,
        series=["Places offered", "Vacancies (FTE, NHS and care)"],
        any_hidden=suppressed.any_hidden,
    )
