"""Two snapshots' figures side by side, and the change between them (ADR 0019, "Comparing two snapshots").

Pure Python over the tables the single pages show. Each snapshot's table is built and suppressed exactly as its own
page builds it, so every figure here is one a reader could already read on that page; a change is given only when
both of its figures are shown, so it is the difference of two published figures and gives nothing hidden away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from insights.tables import NOT_SHOWN, Table
from placements.taxonomy import ProfessionArea

NOT_IN_SNAPSHOT = "not in this snapshot"
COUNT = re.compile(r"\d+")
RATE = re.compile(r"(\d+(?:\.\d+)?)%")


@dataclass(frozen=True, slots=True)
class Side:
    """One snapshot's table for the period and breakdown compared; ``counted`` is False when the snapshot's
    document has no such breakdown for the period at all (so a missing row means "not counted", not zero)."""

    label: str
    table: Table
    counted: bool = True


def _is_rate(heading: str) -> bool:
    return heading.endswith("rate")


def _rows_by_group(side: Side) -> dict[str, list[str]]:
    rows = {row[0]: row[1:] for row in side.table.rows}
    if side.table.total:
        rows[side.table.total[0]] = side.table.total[1:]
    return rows


def _missing_row(side: Side, headings: list[str]) -> list[str]:
    """A group with no row in a snapshot had nobody in it then (a document keeps only groups with people), unless
    the snapshot did not count that breakdown at all."""
    if not side.counted:
        return [NOT_IN_SNAPSHOT] * len(headings)
    return [NOT_SHOWN if _is_rate(heading) else "0" for heading in headings]


def change(earlier: str, later: str, *, rate: bool) -> str:
    """The change from ``earlier`` to ``later`` as shown ("up 3", "down 2.5 percentage points", "no change"), or
    "not shown" unless both are shown figures."""
    pattern = RATE if rate else COUNT
    first, second = pattern.fullmatch(earlier), pattern.fullmatch(later)
    if not (first and second):
        return NOT_SHOWN
    if rate:
        difference = round(float(second.group(1)) - float(first.group(1)), 1)
        unit = " percentage points" if abs(difference) != 1 else " percentage point"
    else:
        difference, unit = int(later) - int(earlier), ""
    if difference == 0:
        return "no change"
    return f"{'up' if difference > 0 else 'down'} {abs(difference):g}{unit}"


def _ordered(groups: list[str], totals: set[str], dimension: str) -> list[str]:
    """The single pages' order (taxonomy order for professions, else A to Z), with the total line last."""
    rank = {label: i for i, label in enumerate(ProfessionArea.labels)} if dimension == "profession" else {}
    body = sorted((g for g in groups if g not in totals), key=lambda g: (rank.get(g, len(rank)), g))
    return body + [g for g in groups if g in totals]


def compare_tables(earlier: Side, later: Side, *, caption: str, dimension: str) -> Table:
    """One row per group and figure: the figure in each snapshot and the change."""
    headings = later.table.headings[1:]
    by_group = {"earlier": _rows_by_group(earlier), "later": _rows_by_group(later)}
    totals = {t.total[0] for t in (earlier.table, later.table) if t.total}
    groups = list(dict.fromkeys([*by_group["earlier"], *by_group["later"]]))
    rows = []
    for group in _ordered(groups, totals, dimension):
        before = by_group["earlier"].get(group) or _missing_row(earlier, headings)
        after = by_group["later"].get(group) or _missing_row(later, headings)
        for heading, first, second in zip(headings, before, after, strict=True):
            rows.append([group, heading, first, second, change(first, second, rate=_is_rate(heading))])
    return Table(
        caption=caption,
        headings=[later.table.headings[0], "Figure", f"Earlier: {earlier.label}", f"Later: {later.label}", "Change"],
        rows=rows,
        any_hidden=earlier.table.any_hidden or later.table.any_hidden,
    )


def summary_sentence(table: Table, *, total_group: str, figure: str, noun: str) -> str:
    """What the table's total line says about ``figure``, in words (the page's text summary)."""
    for group, heading, first, second, difference in table.rows:
        if group == total_group and heading == figure:
            if difference == NOT_SHOWN:
                return (
                    f"{noun.capitalize()}: {first} in the earlier snapshot and {second} in the later one; no change "
                    "is given because a figure is not shown in one of them."
                )
            return f"{noun.capitalize()}: {first} in the earlier snapshot and {second} in the later one ({difference})."
    return f"Neither snapshot has any {noun} in this period."
