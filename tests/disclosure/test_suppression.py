"""The small-number rule (ADR 0017): properties over random tables, and a brute-force reader on small ones."""

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
    suppress_breakdown,
    suppress_count,
    suppress_table,
)
from tests.disclosure.reader import could_be, values_behind

counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


def tables(max_rows=5, max_columns=5):
    return st.integers(1, max_rows).flatmap(
        lambda rows: st.integers(1, max_columns).flatmap(
            lambda columns: st.lists(st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows)
        )
    )


def grid_of(table):
    """The shown figures as one (R+1) x (C+1) grid, the totals last; None where hidden."""
    rows = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    rows.append([*table.column_totals, table.grand_total])
    return rows


def true_grid(counts_):
    rows = [[*row, sum(row)] for row in counts_]
    columns = [sum(col) for col in zip(*counts_, strict=True)]
    rows.append([*columns, sum(columns)])
    return rows


def lines(grid):
    yield from grid
    yield from zip(*grid, strict=True)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_no_shown_count_is_between_1_and_4(counts_):
    for figure in itertools.chain.from_iterable(grid_of(suppress_table(counts_))):
        assert figure.hidden or not 1 <= figure.count <= 4


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_every_line_hides_none_or_at_least_two_figures(counts_):
    for line in lines(grid_of(suppress_table(counts_))):
        assert sum(not figure.shown for figure in line) in {0} | set(range(2, 100))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_shown_figures_are_true_and_labels_are_honest(counts_):
    for figure, count in zip(
        itertools.chain.from_iterable(grid_of(suppress_table(counts_))),
        itertools.chain.from_iterable(true_grid(counts_)),
        strict=True,
    ):
        if figure.shown:
            assert figure.count == count and figure.text == str(count)
        elif figure.hidden == PRIMARY:
            assert 0 <= count <= 4 and figure.text == FEWER_THAN_5
        else:
            assert figure.hidden == SECONDARY and count >= 5 and figure.text == HIDDEN


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_the_same_table_always_gives_the_same_answer(counts_):
    assert suppress_table(counts_) == suppress_table([list(row) for row in counts_])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_percentages_only_from_shown_counts_and_shown_totals(counts_):
    table = suppress_table(counts_)
    for row, total in zip(table.cells, table.row_totals, strict=True):
        for figure in row:
            if figure.percent is not None:
                assert figure.shown and total.shown
            if figure.shown and total.shown and total.count:
                assert figure.percent == round(100 * figure.count / total.count, 1)
    for row in table.cells:
        for figure in row:
            assert figure.hidden is None or figure.percent is None


def possible_values(counts_, table):
    """What a reader who knows every shown figure and what every label says ("fewer than 5": 0 to 4; "hidden":
    5 or more) can say of each hidden figure: the set of
    values it takes over every table that looks the same. Hidden body values are tried up to one more than
    the largest true body figure, which is enough to find any table one unit away."""
    shown = grid_of(table)
    height, width = len(counts_), len(counts_[0])
    cap = max(itertools.chain.from_iterable(counts_)) + 1

    row_options = []
    for r in range(height):
        options = []
        for row in itertools.product(*(values_behind(shown[r][c], cap) for c in range(width))):
            if could_be(shown[r][width], sum(row)):
                options.append(row)
        row_options.append(options)
    found: dict[tuple[int, int], set[int]] = {}
    for candidate in itertools.product(*row_options):
        grid = true_grid([list(row) for row in candidate])
        if all(could_be(shown[height][c], grid[height][c]) for c in range(width + 1)):
            for r in range(height + 1):
                for c in range(width + 1):
                    if not shown[r][c].shown:
                        found.setdefault((r, c), set()).add(grid[r][c])
    return found


small_counts = st.one_of(st.integers(0, 5), st.integers(0, 8))


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.tuples(st.integers(1, 3), st.integers(1, 3))
    .filter(lambda size: size[0] * size[1] <= 6)
    .flatmap(
        lambda size: st.lists(
            st.lists(small_counts, min_size=size[1], max_size=size[1]), min_size=size[0], max_size=size[0]
        )
    )
)
def test_no_hidden_figure_can_be_worked_out_from_the_shown_ones(counts_):
    table = suppress_table(counts_)
    found = possible_values(counts_, table)
    truth = true_grid(counts_)
    for (r, c), values in found.items():
        assert truth[r][c] in values  # the reader's search includes the real table
        assert len(values) >= 2, f"hidden figure at {(r, c)} can only be {values} in {counts_}"


def test_one_small_cell_in_a_row_takes_the_smallest_other_with_it():
    table = suppress_table([[3, 20, 6], [30, 40, 50]])
    assert [f.text for f in table.cells[0]] == [FEWER_THAN_5, "20", HIDDEN]
    # ... and in its columns too, so neither can be worked out from a column total.
    assert [f.text for f in table.cells[1]] == [HIDDEN, "40", HIDDEN]
    assert table.grand_total.text == "149"


def test_zero_is_shown_and_never_used_to_hide_a_small_count():
    table = suppress_table([[2, 0, 0], [9, 7, 8]])
    assert table.cells[0][1].text == "0" and table.cells[0][2].text == "0"
    assert table.row_totals[0].text == FEWER_THAN_5  # the row total is 2 as well


def test_a_single_count_and_a_breakdown():
    assert suppress_count(0).text == "0"
    assert suppress_count(4).text == FEWER_THAN_5
    assert suppress_count(5).text == "5"
    breakdown = suppress_breakdown([2, 10, 30, 0])
    assert [f.text for f in breakdown.parts] == [FEWER_THAN_5, HIDDEN, "30", "0"]
    assert breakdown.total.text == "42"
    assert breakdown.parts[2].percent == 71.4
    assert suppress_breakdown([]).total.text == "0"


@pytest.mark.parametrize("bad", [-1, 2.5, "3", None, True])
def test_anything_but_a_whole_number_of_people_is_refused(bad):
    with pytest.raises(ValueError, match="whole number"):
        suppress_table([[1, bad]])
    with pytest.raises(ValueError, match="whole number"):
        suppress_count(bad)


def test_ragged_rows_are_refused():
    with pytest.raises(ValueError, match="same number of columns"):
        suppress_table([[1, 2], [3]])
