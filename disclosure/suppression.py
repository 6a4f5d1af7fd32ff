"""Small-number suppression for tables of counts of people (ADR 0017).

One rule for every figure an employer or a planning partner reads (steps 10 and 11):

1. Primary: every count of 1 to 4 people, in the body or in a total, is hidden and reads "fewer than 5".
   Zero is shown as 0: it names nobody (ADR 0017 says why, and when a zero is hidden after all).
2. Secondary: a line (a row or a column, with its total as one more cell of the line) never has exactly one
   hidden figure, or the total minus the others would give it back. We hide the smallest other non-zero
   figure of that line (body cells before totals, then top-left first) and repeat until nothing changes.
3. Audit: a reader knows every shown figure and what the words say: "fewer than 5" is 0 to 4, "hidden" is
   5 or more. A hidden figure is safe when another table, equal in every shown figure and every label,
   gives it a different value. Such a table exists exactly when one unit can be moved round a cycle of
   hidden figures (the constraints form a network matrix, so any other solution splits into such cycles);
   we search for that cycle, and hide one more figure beside any hidden figure that has none (a zero only
   when no other figure is left, and then it reads "fewer than 5", which is true).

A zero beside a small figure protects nothing, so the secondary step never picks one. Percentages are given
only where both the count and its total are shown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

SMALLEST_SHOWN = 5  # counts of 1 .. SMALLEST_SHOWN - 1 people are never shown
FEWER_THAN_5 = "fewer than 5"
HIDDEN = "hidden"  # a figure of 5 or more, hidden so that a small one cannot be worked out

PRIMARY = "small"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Figure:
    """One figure as a reader may see it: the count when shown, else why it is hidden."""

    count: int | None
    hidden: str | None = None  # None, PRIMARY or SECONDARY
    percent: float | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def text(self) -> str:
        if self.hidden == PRIMARY:
            return FEWER_THAN_5
        if self.hidden == SECONDARY:
            return HIDDEN
        return str(self.count)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class SuppressedTable:
    """``cells[r][c]``, ``row_totals[r]``, ``column_totals[c]`` and ``grand_total``, each a Figure."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    grand_total: Figure

    @property
    def any_hidden(self) -> bool:
        everything = [f for row in self.cells for f in row] + [*self.row_totals, *self.column_totals, self.grand_total]
        return any(not f.shown for f in everything)


@dataclass(frozen=True)
class SuppressedBreakdown:
    """A one-dimensional breakdown (say, people at each level) and its total."""

    parts: tuple[Figure, ...]
    total: Figure


def is_small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def suppress_count(count: int) -> Figure:
    """A single count on its own: 1 to 4 reads "fewer than 5"."""
    _check_count(count)
    return Figure(None, PRIMARY) if is_small(count) else Figure(count)


def suppress_breakdown(parts: Sequence[int]) -> SuppressedBreakdown:
    """Counts of one dimension with their total (the total is the sum of ``parts``)."""
    table = suppress_table([list(parts)])
    return SuppressedBreakdown(parts=table.cells[0] if parts else (), total=table.grand_total)


def suppress_table(counts: Sequence[Sequence[int]]) -> SuppressedTable:
    """Which figures of ``counts`` (rows x columns) and of its row, column and grand totals a reader may see.

    Deterministic: the same table always gives the same answer.
    """
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row must have the same number of columns.")
    for row in rows:
        for count in row:
            _check_count(count)
    grid = _augmented(rows, width)
    hidden = _hide(grid)
    return _figures(grid, hidden)


# --- How it works: the table with its totals as one (R+1) x (C+1) grid, the totals in the last row and column.


def _check_count(count) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"A count of people must be a whole number of 0 or more, not {count!r}.")


def _augmented(rows: list[list[int]], width: int) -> list[list[int]]:
    grid = [[*row, sum(row)] for row in rows]
    column_totals = [sum(row[c] for row in rows) for c in range(width)]
    grid.append([*column_totals, sum(column_totals)])
    return grid


def _lines(height: int, width: int):
    """Every line of the grid (rows then columns), each a list of (r, c), body cells first, total last."""
    for r in range(height):
        yield [(r, c) for c in range(width)]
    for c in range(width):
        yield [(r, c) for r in range(height)]


def _hide(grid: list[list[int]]) -> dict[tuple[int, int], str]:
    height, width = len(grid), len(grid[0])
    hidden = {(r, c): PRIMARY for r in range(height) for c in range(width) if is_small(grid[r][c])}
    while True:
        _complete_lines(grid, hidden)
        residual = _residual(grid, hidden)  # the same for every hidden figure: built once a round, not per figure
        exposed = sorted(cell for cell in hidden if _recoverable(residual, cell))
        if not exposed:
            return hidden
        # Hide one more figure beside the first exposed one (in its row, then its column, then anywhere).
        r, c = exposed[0]
        everywhere = [(i, j) for i in range(height) for j in range(width)]
        chosen = (
            _smallest_shown(grid, hidden, [(r, k) for k in range(width)])
            or _smallest_shown(grid, hidden, [(k, c) for k in range(height)])
            or _smallest_shown(grid, hidden, everywhere)
            or _smallest_shown(grid, hidden, everywhere, zeros=True)
        )
        if chosen is None:  # every figure is hidden already
            return hidden
        hidden[chosen] = _kind(grid, chosen)


def _complete_lines(grid, hidden) -> None:
    """Until nothing changes: a line with exactly one hidden figure hides its smallest other non-zero figure."""
    height, width = len(grid), len(grid[0])
    changed = True
    while changed:
        changed = False
        for line in _lines(height, width):
            if sum(cell in hidden for cell in line) == 1:
                chosen = _smallest_shown(grid, hidden, line)
                if chosen is not None:
                    hidden[chosen] = _kind(grid, chosen)
                    changed = True


def _kind(grid, cell) -> str:
    """How a hidden figure reads follows from its value, so every label is true."""
    return PRIMARY if grid[cell[0]][cell[1]] < SMALLEST_SHOWN else SECONDARY


def _smallest_shown(grid, hidden, cells, *, zeros=False) -> tuple[int, int] | None:
    height, width = len(grid), len(grid[0])
    candidates = [
        (grid[r][c], r == height - 1 or c == width - 1, r, c)
        for r, c in cells
        if (r, c) not in hidden and (grid[r][c] or zeros)
    ]
    return min(candidates)[2:] if candidates else None


def _bounds(hidden, cell) -> tuple[int, float]:
    """What the label tells a reader: "fewer than 5" is 0 to 4, "hidden" is 5 or more."""
    if hidden[cell] == PRIMARY:
        return 0, SMALLEST_SHOWN - 1
    return SMALLEST_SHOWN, float("inf")


def _sign(grid, cell) -> int:
    """Signs that make every line of the grid sum to zero: body +, row and column totals -, grand total +."""
    r, c = cell
    total_row, total_column = r == len(grid) - 1, c == len(grid[0]) - 1
    return -1 if total_row != total_column else 1


def _residual(grid, hidden):
    """Residual graph: rows and columns are nodes; a hidden figure whose signed value may rise by one is an arc
    row -> column, one whose signed value may fall by one is an arc column -> row. Returns (arcs, moves)."""
    arcs: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]] = {}
    moves = {}
    for other in hidden:
        low, high = _bounds(hidden, other)
        value, sign = grid[other[0]][other[1]], _sign(grid, other)
        up, down = low <= value + sign <= high, low <= value - sign <= high
        moves[other] = (up, down)
        row, column = ("r", other[0]), ("c", other[1])
        if up:
            arcs.setdefault(row, []).append((column, other))
        if down:
            arcs.setdefault(column, []).append((row, other))
    return arcs, moves


def _recoverable(residual, cell) -> bool:
    """True if no other table with the same shown figures and labels gives ``cell`` another value."""
    arcs, moves = residual
    up, down = moves[cell]
    row, column = ("r", cell[0]), ("c", cell[1])
    if up and _reaches(arcs, column, row, avoid=cell):
        return False
    return not (down and _reaches(arcs, row, column, avoid=cell))


def _reaches(arcs, start, goal, *, avoid) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for following, via in arcs.get(node, ()):
            if via != avoid and following not in seen:
                seen.add(following)
                queue.append(following)
    return False


def _figures(grid, hidden) -> SuppressedTable:
    height, width = len(grid), len(grid[0])

    def figure(r, c, total=None):
        kind = hidden.get((r, c))
        if kind:
            return Figure(None, kind)
        percent = None
        if total is not None and total not in hidden and grid[total[0]][total[1]]:
            percent = round(100 * grid[r][c] / grid[total[0]][total[1]], 1)
        return Figure(grid[r][c], None, percent)

    last_row, last_column = height - 1, width - 1
    return SuppressedTable(
        # A body cell's percentage is of its row total (the share of that group at each level, say).
        cells=tuple(tuple(figure(r, c, (r, last_column)) for c in range(last_column)) for r in range(last_row)),
        row_totals=tuple(figure(r, last_column, (last_row, last_column)) for r in range(last_row)),
        column_totals=tuple(figure(last_row, c, (last_row, last_column)) for c in range(last_column)),
        grand_total=figure(last_row, last_column),
    )


# --- Nested groups: rows that add up into groups (boroughs into integrated care boards), published together.


@dataclass(frozen=True)
class SuppressedGroupedTable:
    """Rows in groups, each group's subtotal row, and the totals, suppressed as one table.

    ``cells[g][i][c]`` and ``row_totals[g][i]`` are the rows of group ``g``; ``group_cells[g][c]`` and
    ``group_totals[g]`` its subtotal row; ``column_totals`` and ``grand_total`` are shared by both levels. Publish
    the rows (``rows_table()``) and the groups (``groups_table()``) from this one result: a figure hidden at either
    level cannot be worked out from the other.
    """

    cells: tuple[tuple[tuple[Figure, ...], ...], ...]
    row_totals: tuple[tuple[Figure, ...], ...]
    group_cells: tuple[tuple[Figure, ...], ...]
    group_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    grand_total: Figure

    def rows_table(self) -> SuppressedTable:
        """Every row of every group, in order, as one table (the groups' subtotals left out)."""
        return SuppressedTable(
            cells=tuple(row for group in self.cells for row in group),
            row_totals=tuple(total for group in self.row_totals for total in group),
            column_totals=self.column_totals,
            grand_total=self.grand_total,
        )

    def groups_table(self) -> SuppressedTable:
        """One row per group: its subtotals."""
        return SuppressedTable(
            cells=self.group_cells,
            row_totals=self.group_totals,
            column_totals=self.column_totals,
            grand_total=self.grand_total,
        )


def suppress_grouped_table(groups: Sequence[Sequence[Sequence[int]]]) -> SuppressedGroupedTable:
    """Which figures of rows nested in groups (``groups[g]`` is the rows of group ``g``, each a list of columns),
    of each group's subtotal row and of the totals a reader may see, when both levels are published.

    The same rule as ``suppress_table``, over every line of both levels: each row, each group's row, the total
    row, and in each column each group's rows with its subtotal and the groups with the column total. The audit
    is the same cycle search on the network those lines form (see ``_Nested``). Deterministic.
    """
    groups = [[list(row) for row in group] for group in groups]
    widths = {len(row) for group in groups for row in group}
    if len(widths) > 1:
        raise ValueError("Every row must have the same number of columns.")
    for group in groups:
        for row in group:
            for count in row:
                _check_count(count)
    nested = _Nested(groups, widths.pop() if widths else 0)
    return nested.suppressed(_hide_nested(nested))


class _Nested:
    """The grouped table as cells, lines and a network.

    Cells: ("leaf", i, c) for row i (numbered across groups), ("group", g, c), ("top", c); column ``width`` is the
    rows' totals. Each cell is one arc of a network whose node balances are exactly the table's sums:

    - row i:                  its cells leave ("row", i), its total enters it;
    - group g, column c:      its rows' cells enter ("col", c, g), the subtotal leaves it for ("top", c);
    - group g, total column:  the subtotal enters ("col", T, g) from ("top", T), its rows' totals leave it;
    - column c:               the column total leaves ("top", c) for ("top-row",); the grand total the reverse.

    The groups' and the total row's sums follow from these, so a change of the hidden figures that keeps every
    shown figure and every sum is a circulation, and it splits into cycles (as for ``suppress_table``).
    """

    def __init__(self, groups: list[list[list[int]]], width: int):
        self.width = width
        total = width  # the column of row totals
        self.values: dict[tuple, int] = {}
        self.arcs: dict[tuple, tuple[tuple, tuple]] = {}
        self.lines: list[list[tuple]] = []
        self.shape = [len(group) for group in groups]
        leaf = 0
        top_row = ("top-row",)
        for g, group in enumerate(groups):
            for row in group:
                cells = [("leaf", leaf, c) for c in range(total + 1)]
                for c, count in enumerate([*row, sum(row)]):
                    self.values[("leaf", leaf, c)] = count
                    self.arcs[("leaf", leaf, c)] = (
                        (("row", leaf), ("col", c, g)) if c < total else (("col", total, g), ("row", leaf))
                    )
                self.lines.append(cells)
                leaf += 1
            first = leaf - len(group)
            for c in range(total + 1):
                self.values[("group", g, c)] = sum(self.values[("leaf", i, c)] for i in range(first, leaf))
                self.arcs[("group", g, c)] = (
                    (("col", c, g), ("top", c)) if c < total else (("top", total), ("col", total, g))
                )
                self.lines.append([*(("leaf", i, c) for i in range(first, leaf)), ("group", g, c)])
            self.lines.append([("group", g, c) for c in range(total + 1)])
        for c in range(total + 1):
            self.values[("top", c)] = sum(self.values[("group", g, c)] for g in range(len(groups)))
            self.arcs[("top", c)] = (("top", c), top_row) if c < total else (top_row, ("top", total))
            self.lines.append([*(("group", g, c) for g in range(len(groups))), ("top", c)])
        self.lines.append([("top", c) for c in range(total + 1)])

    def is_total(self, cell) -> bool:
        return cell[0] != "leaf" or cell[2] == self.width

    def suppressed(self, hidden: dict) -> SuppressedGroupedTable:
        total = self.width

        def figure(cell, of=None):
            kind = hidden.get(cell)
            if kind:
                return Figure(None, kind)
            percent = None
            if of is not None and of not in hidden and self.values[of]:
                percent = round(100 * self.values[cell] / self.values[of], 1)
            return Figure(self.values[cell], None, percent)

        cells, row_totals, leaf = [], [], 0
        for size in self.shape:
            rows = range(leaf, leaf + size)
            cells.append(tuple(tuple(figure(("leaf", i, c), ("leaf", i, total)) for c in range(total)) for i in rows))
            row_totals.append(tuple(figure(("leaf", i, total), ("top", total)) for i in rows))
            leaf += size
        groups = range(len(self.shape))
        return SuppressedGroupedTable(
            cells=tuple(cells),
            row_totals=tuple(row_totals),
            group_cells=tuple(
                tuple(figure(("group", g, c), ("group", g, total)) for c in range(total)) for g in groups
            ),
            group_totals=tuple(figure(("group", g, total), ("top", total)) for g in groups),
            column_totals=tuple(figure(("top", c), ("top", total)) for c in range(total)),
            grand_total=figure(("top", total)),
        )


def _hide_nested(nested: _Nested) -> dict[tuple, str]:
    values = nested.values
    hidden = {cell: PRIMARY for cell, count in values.items() if is_small(count)}

    def kind(cell) -> str:
        return PRIMARY if values[cell] < SMALLEST_SHOWN else SECONDARY

    def smallest_shown(cells, *, zeros=False):
        candidates = [
            (values[cell], nested.is_total(cell), cell)
            for cell in cells
            if cell not in hidden and (values[cell] or zeros)
        ]
        return min(candidates)[2] if candidates else None

    everywhere = sorted(values)
    while True:
        changed = True
        while changed:
            changed = False
            for line in nested.lines:
                if sum(cell in hidden for cell in line) == 1:
                    chosen = smallest_shown(line)
                    if chosen is not None:
                        hidden[chosen] = kind(chosen)
                        changed = True
        residual = _nested_residual(nested, hidden)
        exposed = sorted(cell for cell in hidden if _nested_recoverable(nested, residual, cell))
        if not exposed:
            return hidden
        first = exposed[0]
        beside = sorted({cell for line in nested.lines if first in line for cell in line})
        chosen = smallest_shown(beside) or smallest_shown(everywhere) or smallest_shown(everywhere, zeros=True)
        if chosen is None:
            return hidden
        hidden[chosen] = kind(chosen)


def _nested_residual(nested: _Nested, hidden: dict):
    """Each hidden figure that may rise by one unit within its label is an arc along its direction in the network,
    one that may fall by one an arc against it. Returns (arcs, moves)."""
    arcs: dict[tuple, list[tuple[tuple, tuple]]] = {}
    moves = {}
    for other in hidden:
        low, high = _bounds(hidden, other)
        value = nested.values[other]
        up, down = low <= value + 1 <= high, low <= value - 1 <= high
        moves[other] = (up, down)
        tail, head = nested.arcs[other]
        if up:
            arcs.setdefault(tail, []).append((head, other))
        if down:
            arcs.setdefault(head, []).append((tail, other))
    return arcs, moves


def _nested_recoverable(nested: _Nested, residual, cell) -> bool:
    """True if no other table with the same shown figures and labels gives ``cell`` another value: no cycle of
    hidden figures, each able to move one unit within its label, passes through it."""
    arcs, moves = residual
    up, down = moves[cell]
    tail, head = nested.arcs[cell]
    if up and _reaches(arcs, head, tail, avoid=cell):
        return False
    return not (down and _reaches(arcs, tail, head, avoid=cell))
