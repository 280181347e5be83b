"""Small-number suppression for published tables (statistical disclosure control).

Domain reference §3.5 and methods reference §2.5 / §10.5: survey and partner tables that leave
the staff pages (public pages, downloads) hide counts below a threshold (default 5) and enough
other cells that the hidden ones cannot be worked out from what is shown.

The rules, in order:

1. **Primary suppression**: every cell with ``0 < count < threshold`` is hidden. **Zeros are
   shown** by default: "nobody in this group chose this answer" is not about a person, and a
   shown zero cannot be used to recover another cell. (A group where *everyone* gave one answer
   is still visible through its zeros; pass ``suppress_zeros=True`` for data where that matters.)
2. **Secondary (complementary) suppression**: the table is read together with its row totals,
   column totals and grand total as a set of sums ("lines"). A line that holds exactly one
   hidden figure would give it away by subtraction, so the next smallest figure in that line is
   hidden too (a non-zero cell first, then a zero, then the line's total). A line whose hidden
   figures are all 1s (their sum equals how many there are) would also give them away, since
   shown zeros tell a reader that hidden cells are at least 1, so one more is hidden. This is
   repeated until nothing changes.
3. **The linear check**: hiding two cells per line can still leave a hidden cell solvable from
   several lines together (the classic "rectangle" patterns). Each primary cell is tested
   exactly: if the shown figures pin it down (it lies in the row space of the system of sums),
   the smallest shown cell in one of its lines is hidden and the rules run again.
4. **Percentages** built from a hidden count are hidden, and so are percentages whose base is
   below ``min_base`` (default 30): they would be too unstable to print.

Suppressed figures are written ``[c]`` ("confidential", the Government Statistical Service
symbol) with :data:`SUPPRESSED_NOTE` in the table's notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DEFAULT_MIN_BASE",
    "DEFAULT_THRESHOLD",
    "SUPPRESSED",
    "SUPPRESSED_NOTE",
    "SuppressedTable",
    "is_recoverable",
    "percentage_shown",
    "suppress_table",
]

DEFAULT_THRESHOLD = 5
DEFAULT_MIN_BASE = 30
SUPPRESSED = "[c]"


def suppressed_note(threshold: int = DEFAULT_THRESHOLD, min_base: int = DEFAULT_MIN_BASE) -> str:
    """The note that explains ``[c]`` under a published table."""
    return (
        f"[c] = confidential: fewer than {threshold} people, or a figure hidden so that such a "
        "small number cannot be worked out from the totals. Percentages are not shown where "
        f"their count is hidden or fewer than {min_base} people answered."
    )


SUPPRESSED_NOTE = suppressed_note()


@dataclass(frozen=True)
class SuppressedTable:
    """Which figures of a table may be shown.

    ``cells[i][j]`` is True where the cell is hidden; ``row_totals[i]``, ``column_totals[j]`` and
    ``grand_total`` likewise for the totals; ``primary`` marks the cells below the threshold.
    """

    counts: tuple[tuple[int, ...], ...]
    cells: tuple[tuple[bool, ...], ...]
    primary: tuple[tuple[bool, ...], ...]
    row_totals: tuple[bool, ...]
    column_totals: tuple[bool, ...]
    grand_total: bool
    threshold: int

    @property
    def any_suppressed(self) -> bool:
        return any(any(row) for row in self.cells) or any(self.row_totals)

    def cell(self, i: int, j: int) -> int | str:
        """The figure to print: the count or ``[c]``."""
        return SUPPRESSED if self.cells[i][j] else self.counts[i][j]

    def row_total(self, i: int) -> int | str:
        return SUPPRESSED if self.row_totals[i] else sum(self.counts[i])

    def column_total(self, j: int) -> int | str:
        return SUPPRESSED if self.column_totals[j] else sum(row[j] for row in self.counts)

    def total(self) -> int | str:
        return SUPPRESSED if self.grand_total else sum(sum(row) for row in self.counts)


# The grid with totals: (R+1) x (C+1), the last row and column holding the totals.
def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Every sum the table states: each row (cells and its total), each column, the totals."""
    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    return lines


def _system(values: np.ndarray, hidden: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The equations over the hidden figures: one per line, coefficients 1 (cell) or -1 (total)."""
    n_rows, n_cols = values.shape[0] - 1, values.shape[1] - 1
    unknowns = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    index = {pos: k for k, pos in enumerate(unknowns)}
    rows = []
    # each row of the grid (the last is the column totals, summing to the grand total) ...
    for i in range(n_rows + 1):
        row = np.zeros(len(unknowns))
        for j in range(n_cols + 1):
            if (i, j) in index:
                row[index[(i, j)]] = -1.0 if j == n_cols else 1.0
        rows.append(row)
    # ... and each column (the last is the row totals)
    for j in range(n_cols + 1):
        row = np.zeros(len(unknowns))
        for i in range(n_rows + 1):
            if (i, j) in index:
                row[index[(i, j)]] = -1.0 if i == n_rows else 1.0
        rows.append(row)
    matrix = np.array(rows) if rows else np.zeros((0, len(unknowns)))
    return matrix, unknowns


def _determined(matrix: np.ndarray, k: int) -> bool:
    """Whether unknown ``k`` is fixed by the equations: its unit vector is in their row space."""
    if matrix.shape[0] == 0:
        return False
    unit = np.zeros(matrix.shape[1])
    unit[k] = 1.0
    rank = np.linalg.matrix_rank(matrix)
    return bool(np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank)


def is_recoverable(
    counts: Sequence[Sequence[int]], table: SuppressedTable
) -> list[tuple[int, int]]:
    """The hidden primary cells a reader could work out exactly from the shown figures.

    Checks the linear sums (rows, columns, totals) and the "all ones" case of a line. Used by the
    tests and as the last step of :func:`suppress_table`; an empty list means none.
    """
    values, hidden = _grid(counts, table)
    return _recoverable(values, hidden, np.array(table.primary, dtype=bool))


def _grid(counts: Sequence[Sequence[int]], table: SuppressedTable) -> tuple[np.ndarray, np.ndarray]:
    values = _with_totals(np.array(counts, dtype=np.int64))
    hidden = np.zeros(values.shape, dtype=bool)
    hidden[:-1, :-1] = np.array(table.cells, dtype=bool)
    hidden[:-1, -1] = table.row_totals
    hidden[-1, :-1] = table.column_totals
    hidden[-1, -1] = table.grand_total
    return values, hidden


def _with_totals(counts: np.ndarray) -> np.ndarray:
    n_rows, n_cols = counts.shape
    values = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    values[:n_rows, :n_cols] = counts
    values[:n_rows, n_cols] = counts.sum(axis=1)
    values[n_rows, :n_cols] = counts.sum(axis=0)
    values[n_rows, n_cols] = counts.sum()
    return values


def _recoverable(
    values: np.ndarray, hidden: np.ndarray, primary: np.ndarray
) -> list[tuple[int, int]]:
    matrix, unknowns = _system(values, hidden)
    found = []
    for k, (i, j) in enumerate(unknowns):
        inside = i < primary.shape[0] and j < primary.shape[1]
        if inside and primary[i, j] and _determined(matrix, k):
            found.append((i, j))
    n_rows, n_cols = values.shape[0] - 1, values.shape[1] - 1
    for line in _lines(n_rows, n_cols):
        shut = [pos for pos in line if hidden[pos]]
        interior = all(pos[0] < n_rows and pos[1] < n_cols for pos in shut)
        if len(shut) >= 2 and interior and all(values[pos] == 1 for pos in shut):
            found.extend(pos for pos in shut if primary[pos] and pos not in found)
    return found


def _hide_next(values: np.ndarray, hidden: np.ndarray, line: Sequence[tuple[int, int]]) -> bool:
    """Hide the smallest shown figure of ``line``: non-zero cells, then zeros, then totals."""
    n_rows, n_cols = values.shape[0] - 1, values.shape[1] - 1
    shown = [pos for pos in line if not hidden[pos]]
    if not shown:
        return False

    def rank(pos: tuple[int, int]) -> tuple[int, int, int, int]:
        is_total = pos[0] == n_rows or pos[1] == n_cols
        value = int(values[pos])
        return (1 if is_total else 0, 1 if value == 0 else 0, value, pos[0] * (n_cols + 1) + pos[1])

    hidden[min(shown, key=rank)] = True
    return True


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    suppress_zeros: bool = False,
    hidden_row_totals: Sequence[bool] | None = None,
) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts shown with its totals.

    ``counts`` is a list of rows of non-negative whole numbers (at least one row and column).
    ``hidden_row_totals`` marks row totals that another published table sharing them (the same
    answers broken down another way) already hides: they start hidden here and are protected
    like small numbers, so the two tables cannot be differenced. See the module docstring.
    """
    array = np.array(counts, dtype=np.int64)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError("counts must be a non-empty table (a list of rows of equal length)")
    if (array < 0).any():
        raise ValueError("counts must not be negative")
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    values = _with_totals(array)
    n_rows, n_cols = array.shape
    primary = (array < threshold) & ((array > 0) | suppress_zeros)
    hidden = np.zeros(values.shape, dtype=bool)
    hidden[:n_rows, :n_cols] = primary
    # A total below the threshold is itself a small number.
    small_totals = (values < threshold) & ((values > 0) | suppress_zeros)
    hidden[:n_rows, n_cols] |= small_totals[:n_rows, n_cols]
    hidden[n_rows, :n_cols] |= small_totals[n_rows, :n_cols]
    hidden[n_rows, n_cols] |= small_totals[n_rows, n_cols]
    primary_grid = np.zeros(values.shape, dtype=bool)
    primary_grid[:n_rows, :n_cols] = primary
    primary_grid |= small_totals
    if hidden_row_totals is not None:
        if len(hidden_row_totals) != n_rows:
            raise ValueError("hidden_row_totals must have one flag per row")
        forced = np.array(hidden_row_totals, dtype=bool)
        hidden[:n_rows, n_cols] |= forced
        primary_grid[:n_rows, n_cols] |= forced

    lines = _lines(n_rows, n_cols)
    for _ in range(values.size + 1):
        changed = False
        for line in lines:
            shut = [pos for pos in line if hidden[pos]]
            if len(shut) == 1 or len(shut) >= 2 and all(values[pos] == 1 for pos in shut):
                changed |= _hide_next(values, hidden, line)
        if changed:
            continue
        exposed = _recoverable(values, hidden, primary_grid)
        if not exposed:
            break
        i, j = exposed[0]
        for line in lines:
            if (i, j) in line and _hide_next(values, hidden, line):
                break
    return SuppressedTable(
        counts=tuple(tuple(int(v) for v in row) for row in array),
        cells=tuple(tuple(bool(v) for v in row) for row in hidden[:n_rows, :n_cols]),
        primary=tuple(tuple(bool(v) for v in row) for row in primary),
        row_totals=tuple(bool(v) for v in hidden[:n_rows, n_cols]),
        column_totals=tuple(bool(v) for v in hidden[n_rows, :n_cols]),
        grand_total=bool(hidden[n_rows, n_cols]),
        threshold=threshold,
    )


def percentage_shown(
    count: int,
    base: int,
    *,
    count_hidden: bool,
    base_hidden: bool = False,
    min_base: int = DEFAULT_MIN_BASE,
) -> float | None:
    """The percentage to publish, or None where it must be hidden (``[c]``).

    Hidden when the count or the base is hidden (a percentage and its base give the count back)
    or when the base is below ``min_base``.
    """
    if count_hidden or base_hidden or base < min_base or base <= 0:
        return None
    return 100.0 * count / base
