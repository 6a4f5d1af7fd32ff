"""Rows nested in groups (boroughs in integrated care boards) suppressed as one table (ADR 0017): the same
properties as a flat table over both levels, and a brute-force reader who sets the two levels side by side."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.suppression import (
    FEWER_THAN_5,
    HIDDEN,
    PRIMARY,
    SECONDARY,
    suppress_grouped_table,
    suppress_table,
)
from tests.disclosure.reader import could_be, values_behind

counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


def grouped(max_groups=4, max_rows=4, max_columns=4, values=counts):
    return st.integers(1, max_columns).flatmap(
        lambda width: st.lists(
            st.lists(st.lists(values, min_size=width, max_size=width), min_size=1, max_size=max_rows),
            min_size=1,
            max_size=max_groups,
        )
    )


def truth(groups):
    """Every figure of both levels by cell: ("leaf", i, c), ("group", g, c), ("top", c); the last column totals."""
    width = len(groups[0][0])
    values, leaf = {}, 0
    for g, group in enumerate(groups):
        for c in range(width + 1):
            values[("group", g, c)] = 0
        for row in group:
            for c, count in enumerate([*row, sum(row)]):
                values[("leaf", leaf, c)] = count
                values[("group", g, c)] += count
            leaf += 1
    for c in range(width + 1):
        values[("top", c)] = sum(values[("group", g, c)] for g in range(len(groups)))
    return values


def published(table) -> dict:
    """The figures a reader sees, by the same cells as ``truth``."""
    figures, leaf = {}, 0
    for g, (rows, totals) in enumerate(zip(table.cells, table.row_totals, strict=True)):
        for row, total in zip(rows, totals, strict=True):
            for c, figure in enumerate([*row, total]):
                figures[("leaf", leaf, c)] = figure
            leaf += 1
        for c, figure in enumerate([*table.group_cells[g], table.group_totals[g]]):
            figures[("group", g, c)] = figure
    for c, figure in enumerate([*table.column_totals, table.grand_total]):
        figures[("top", c)] = figure
    return figures


def lines_of(groups):
    """Every sum of the table as the cells on the line, total last."""
    width, lines, leaf = len(groups[0][0]), [], 0
    for g, group in enumerate(groups):
        first = leaf
        for _ in group:
            lines.append([("leaf", leaf, c) for c in range(width + 1)])
            leaf += 1
        lines.append([("group", g, c) for c in range(width + 1)])
        lines += [[*(("leaf", i, c) for i in range(first, leaf)), ("group", g, c)] for c in range(width + 1)]
    lines += [[*(("group", g, c) for g in range(len(groups))), ("top", c)] for c in range(width + 1)]
    lines.append([("top", c) for c in range(width + 1)])
    return lines


PROPERTY = settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@PROPERTY
@given(grouped())
def test_shown_figures_are_true_none_is_1_to_4_and_labels_are_honest(groups):
    values = truth(groups)
    for cell, figure in published(suppress_grouped_table(groups)).items():
        count = values[cell]
        if figure.shown:
            assert figure.count == count and not 1 <= count <= 4
        elif figure.hidden == PRIMARY:
            assert 0 <= count <= 4 and figure.text == FEWER_THAN_5
        else:
            assert figure.hidden == SECONDARY and count >= 5 and figure.text == HIDDEN


@PROPERTY
@given(grouped())
def test_every_line_of_either_level_hides_none_or_at_least_two_figures(groups):
    figures = published(suppress_grouped_table(groups))
    for line in lines_of(groups):
        assert sum(not figures[cell].shown for cell in line) != 1, line


@PROPERTY
@given(grouped())
def test_deterministic_and_percentages_only_from_shown_figures(groups):
    table = suppress_grouped_table(groups)
    assert table == suppress_grouped_table([[list(row) for row in group] for group in groups])
    for level in (table.rows_table(), table.groups_table()):
        for row, total in zip(level.cells, level.row_totals, strict=True):
            for figure in row:
                assert figure.percent is None or (figure.shown and total.shown)


def possible_values(groups, figures):
    """What a reader who knows every shown figure of both levels and what each label says can say of each
    hidden figure: the values it takes over every grouped table that looks the same."""
    width = len(groups[0][0])
    cap = max(itertools.chain.from_iterable(itertools.chain.from_iterable(groups))) + 1

    shape = [len(group) for group in groups]
    row_options = []
    for i in range(sum(shape)):
        options = [
            row
            for row in itertools.product(*(values_behind(figures[("leaf", i, c)], cap) for c in range(width)))
            if could_be(figures[("leaf", i, width)], sum(row))
        ]
        row_options.append(options)
    found: dict[tuple, set[int]] = {}
    for candidate in itertools.product(*row_options):
        rows = iter(candidate)
        values = truth([[list(next(rows)) for _ in range(size)] for size in shape])
        if all(could_be(figures[cell], value) for cell, value in values.items()):
            for cell, value in values.items():
                if not figures[cell].shown:
                    found.setdefault(cell, set()).add(value)
    return found


small_counts = st.one_of(st.integers(0, 5), st.integers(0, 8))
tiny = grouped(max_groups=3, max_rows=2, max_columns=2, values=small_counts).filter(
    lambda groups: sum(map(len, groups)) * len(groups[0][0]) <= 6
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
@given(tiny)
def test_no_hidden_figure_of_either_level_can_be_worked_out(groups):
    figures = published(suppress_grouped_table(groups))
    found = possible_values(groups, figures)
    values = truth(groups)
    for cell, possible in found.items():
        assert values[cell] in possible  # the reader's search includes the real table
        assert len(possible) >= 2, f"{cell} can only be {possible} in {groups}"


def separately(groups) -> dict:
    """Both levels suppressed each on its own, as the pages did before: a total shown by either is known."""
    width = len(groups[0][0])
    rows = suppress_table([row for group in groups for row in group])
    subtotals = suppress_table([[sum(row[c] for row in group) for c in range(width)] for group in groups])
    figures, leaf = {}, 0
    for row, total in zip(rows.cells, rows.row_totals, strict=True):
        for c, figure in enumerate([*row, total]):
            figures[("leaf", leaf, c)] = figure
        leaf += 1
    for g, (row, total) in enumerate(zip(subtotals.cells, subtotals.row_totals, strict=True)):
        for c, figure in enumerate([*row, total]):
            figures[("group", g, c)] = figure
    for c in range(width + 1):
        one = rows.column_totals[c] if c < width else rows.grand_total
        other = subtotals.column_totals[c] if c < width else subtotals.grand_total
        figures[("top", c)] = one if one.shown else other
    return figures


def test_two_levels_suppressed_apart_give_a_borough_away_and_together_do_not():
    # Boroughs of 4 and 9 people in one board, 5 in a board of its own. Alone, the borough table hides the 4 and,
    # to protect it, the 5; the board table shows the second board's 5, so the reader has the 4 back (18 - 9 - 5).
    groups = [[[4], [9]], [[5]]]
    apart = possible_values(groups, separately(groups))
    assert apart[("leaf", 0, 0)] == {4}
    together = possible_values(groups, published(suppress_grouped_table(groups)))
    assert ("leaf", 0, 0) in together and all(len(values) >= 2 for values in together.values()), together


def test_one_group_is_a_flat_table_with_its_total_row_twice():
    table = suppress_grouped_table([[[3, 20, 6], [30, 40, 50]]])
    flat = table.rows_table()
    assert [f.text for f in flat.cells[0]][0] == FEWER_THAN_5
    assert table.groups_table().cells[0] == table.column_totals


def test_ragged_rows_are_refused_and_empty_groups_count_zero():
    with pytest.raises(ValueError, match="same number of columns"):
        suppress_grouped_table([[[1, 2]], [[3]]])
    with pytest.raises(ValueError, match="whole number"):
        suppress_grouped_table([[[1, -2]]])
    table = suppress_grouped_table([[[10, 20]], []])
    assert [f.text for f in table.group_cells[1]] == ["0", "0"] and table.cells[1] == ()
