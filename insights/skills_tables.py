"""The digital-skills tables a page shows and a CSV writes, built from a snapshot's skills document.

Every figure is a count of people, so every table goes through the one suppression function: per domain one table
(rows the groups of the breakdown, columns levels 0 to 4), and the people counted per group. The same count can
appear in more than one table (a group's people in every domain's table and in the people table; a domain's "all
people" line under both breakdowns; college students under both breakdowns), and a figure hidden in one table but
shown in another could be read from the second and used to undo the first. So every table of the page, for both
breakdowns, is suppressed first, and a figure is shown only where every table holding it shows it (hiding more never
makes a hidden figure easier to work out). A line whose total reads "fewer than 5" shows no 0 either, as on the
employers' dashboard: it would say where the few people are.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.suppression import PRIMARY, Figure, is_small, suppress_breakdown, suppress_count, suppress_table
from insights.skills_figures import (
    DIMENSIONS,
    KIND_LABELS,
    LEVELS,
    NO_STAFF_GROUP,
    OTHER_KIND,
    STARTING_OUT,
    STUDENT,
    STUDENTS_GROUP,
)
from insights.tables import NOT_SHOWN, Table
from skills.models import StaffGroup

BREAKDOWNS = {"employer_kind": "Kind of employer (or college students)", "staff_group": "Staff group"}
ALL = "All people"
ORDER = {
    "employer_kind": [KIND_LABELS["nhs_trust"], KIND_LABELS["care_provider"], OTHER_KIND, KIND_LABELS[STUDENT]],
    "staff_group": [*StaffGroup.labels, NO_STAFF_GROUP, STUDENTS_GROUP],
}


@dataclass
class SkillsTables:
    overview: Table
    people: Table
    domains: list[tuple[str, str, Table]]  # (domain key, title, table)


def _ordered(labels, dimension: str) -> list[str]:
    """A fixed order that says nothing about the counts."""
    rank = {label: i for i, label in enumerate(ORDER[dimension])}
    return sorted(labels, key=lambda label: (rank.get(label, len(rank)), label))


class _Hidden:
    """Which figures some table hides, by what they are (not where they are), so every table hides them alike."""

    def __init__(self):
        self.kinds: dict[tuple, str] = {}

    def note(self, identity: tuple, figure: Figure) -> None:
        if not figure.shown and self.kinds.get(identity) != PRIMARY:
            self.kinds[identity] = figure.hidden

    def apply(self, identity: tuple, figure: Figure) -> Figure:
        kind = self.kinds.get(identity)
        return figure if kind is None or not figure.shown and figure.hidden == PRIMARY else Figure(None, kind)


def _identities(key: str, labels: list[str]):
    """What each figure of a domain's suppressed table is: cells by domain, group and level; a group's total by the
    group and its size (the same people in every domain); column totals by domain and level; the grand total by
    its size."""

    def cell(r, level):
        return ("cell", key, labels[r], level)

    def row(r, value):
        return ("row", labels[r], value)

    def column(level):
        return ("column", key, level)

    return cell, row, column


def _masked(parts: list[Figure], total: Figure) -> list[Figure]:
    if total.hidden == PRIMARY:
        return [Figure(None, PRIMARY) if f.shown and f.count == 0 else f for f in parts]
    return parts


def at_least_level_1(parts: list[Figure], total: Figure) -> tuple[Figure | None, str]:
    """People at level 1 or above and their share, worked out from shown figures only (None: not shown)."""
    if not total.shown or not total.count:
        return None, NOT_SHOWN
    if parts[0].shown:
        count = total.count - parts[0].count
    elif all(f.shown for f in parts[1:]):
        count = sum(f.count for f in parts[1:])
    else:
        return None, NOT_SHOWN
    if is_small(count) or is_small(total.count - count):
        # Would say that fewer than 5 people are (or are not) at level 1: keep to "fewer than 5".
        return (Figure(None, PRIMARY) if is_small(count) else Figure(count)), NOT_SHOWN
    return Figure(count), f"{round(100 * count / total.count):g}%"


def _level_headings(document: dict) -> list[str]:
    names = {number: name for number, name in document.get("level_names", [])}
    return [names.get(level, STARTING_OUT if level == 0 else f"Level {level}") for level in LEVELS]


def skills_tables(document: dict, period_key: str, dimension: str) -> SkillsTables:
    levels = document.get("levels", {}).get(period_key, {})
    people = document.get("people", {}).get(period_key, {})
    sittings = document.get("sittings", {}).get(period_key, {})
    domains = document.get("domains", [])
    hidden = _Hidden()
    suppressed: dict[tuple[str, str], tuple[list[str], object]] = {}
    # First every table of the page, under both breakdowns, and what each hides.
    for each in DIMENSIONS:
        group_people = people.get(each, {})
        labels = _ordered(group_people, each)
        counted = suppress_breakdown([group_people[label] for label in labels])
        for label, figure in zip(labels, counted.parts, strict=True):
            hidden.note(("row", label, group_people[label]), figure)
        hidden.note(("grand", sum(group_people.values())), counted.total)
        suppressed[(each, "")] = (labels, counted)
        for key, _ in domains:
            counts = levels.get(each, {}).get(key, {})
            labels = _ordered(counts, each)
            table = suppress_table([counts[label] for label in labels]) if labels else None
            suppressed[(each, key)] = (labels, table)
            if table is None:
                continue
            cell, row, column = _identities(key, labels)
            for r, label in enumerate(labels):
                for level in LEVELS:
                    hidden.note(cell(r, level), table.cells[r][level])
                hidden.note(row(r, sum(counts[label])), table.row_totals[r])
            for level in LEVELS:
                hidden.note(column(level), table.column_totals[level])
            hidden.note(("grand", sum(sum(c) for c in counts.values())), table.grand_total)
    # Then the tables of the chosen breakdown, each figure hidden wherever any table hides it.
    heading = BREAKDOWNS[dimension]
    level_headings = _level_headings(document)
    domain_tables, overview_rows, overview_bars = [], [], []
    for key, title in domains:
        labels, table = suppressed[(dimension, key)]
        counts = levels.get(dimension, {}).get(key, {})
        rows = []
        all_line = [Figure(0)] * len(LEVELS)
        grand = Figure(0)
        if table is not None:
            cell, row, column = _identities(key, labels)
            for r, label in enumerate(labels):
                total = hidden.apply(row(r, sum(counts[label])), table.row_totals[r])
                parts = _masked([hidden.apply(cell(r, lv), table.cells[r][lv]) for lv in LEVELS], total)
                rows.append([label, total.text, *(f.text for f in parts), at_least_level_1(parts, total)[1]])
            grand = hidden.apply(("grand", sum(sum(c) for c in counts.values())), table.grand_total)
            all_line = _masked([hidden.apply(column(lv), table.column_totals[lv]) for lv in LEVELS], grand)
        at_least, share = at_least_level_1(all_line, grand)
        domain_tables.append(
            (
                key,
                title,
                Table(
                    caption=f"{title}: people at each level, by {heading.lower()}",
                    headings=[heading, "People", *level_headings, "Share at level 1 or above"],
                    rows=rows,
                    total=[ALL, grand.text, *(f.text for f in all_line), share] if rows else None,
                ),
            )
        )
        overview_rows.append([title, grand.text, all_line[0].text, at_least.text if at_least else NOT_SHOWN, share])
        overview_bars.append((title, [grand.count, at_least.count if at_least else None]))
    overview = Table(
        caption="People at level 1 or above in each domain of the framework",
        headings=["Domain", "People", level_headings[0], "At level 1 or above", "Share at level 1 or above"],
        rows=overview_rows if any(row[1] != "0" for row in overview_rows) else [],
        bars=overview_bars if any(row[1] != "0" for row in overview_rows) else [],
        series=["People", "At level 1 or above"],
    )
    return SkillsTables(
        overview=overview, people=_people_table(people, sittings, dimension, hidden), domains=domain_tables
    )


def _people_table(people: dict, sittings: dict, dimension: str, hidden: _Hidden) -> Table:
    """People counted per group (each once, with their latest check) and how many checks they completed."""
    group_people = people.get(dimension, {})
    group_sittings = sittings.get(dimension, {})
    labels = _ordered(group_people, dimension)
    counted = suppress_breakdown([group_people[label] for label in labels])
    rows, every_shown = [], True
    for label, figure in zip(labels, counted.parts, strict=True):
        figure = hidden.apply(("row", label, group_people[label]), figure)
        every_shown = every_shown and figure.shown
        # Checks only beside a shown count of people: more checks than people never gives a hidden count away.
        checks = suppress_count(group_sittings.get(label, 0)).text if figure.shown else NOT_SHOWN
        rows.append([label, figure.text, checks])
    total = hidden.apply(("grand", sum(group_people.values())), counted.total)
    all_checks = NOT_SHOWN
    if every_shown and total.shown:
        all_checks = suppress_count(sum(group_sittings.get(label, 0) for label in labels)).text
    return Table(
        caption=f"People counted and checks completed, by {BREAKDOWNS[dimension].lower()}",
        headings=[BREAKDOWNS[dimension], "People counted (latest check in the period)", "Checks completed"],
        rows=rows,
        total=[ALL, total.text, all_checks] if rows else None,
        any_hidden=any(not f.shown for f in counted.parts),
    )
