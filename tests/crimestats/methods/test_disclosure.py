"""Small-number suppression: primary, secondary, percentages; nothing hidden can be recovered."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimestats.methods.disclosure import (
    SUPPRESSED,
    SUPPRESSED_NOTE,
    is_recoverable,
    percentage_shown,
    suppress_table,
)


def test_primary_cells_below_five_are_hidden_and_zeros_shown():
    table = suppress_table([[10, 3, 0, 20], [15, 12, 0, 8], [30, 40, 0, 50]])
    assert table.cell(0, 1) == SUPPRESSED
    assert table.primary[0][1] is True
    assert table.cell(0, 2) == 0  # zeros are shown
    assert "[c]" in SUPPRESSED_NOTE


def test_a_lone_hidden_cell_in_a_row_gets_a_partner_in_its_row_and_column():
    table = suppress_table([[10, 3, 20], [15, 12, 8], [30, 40, 50]])
    # 3 is hidden; the smallest in its row (10) and its column (12) follow, and then 15 to
    # close the rectangle.
    assert table.cells[0] == (True, True, False)
    assert table.cells[1] == (True, True, False)
    assert table.cells[2] == (False, False, False)
    assert is_recoverable([[10, 3, 20], [15, 12, 8], [30, 40, 50]], table) == []


def test_one_column_table_hides_the_total_that_would_reveal():
    table = suppress_table([[3], [20]])
    assert table.cell(0, 0) == SUPPRESSED
    assert table.row_total(0) == SUPPRESSED  # a row's total equals its one cell
    assert table.cell(1, 0) == SUPPRESSED  # else 23 - 20 = 3
    assert table.total() == 23


def test_a_small_total_is_itself_hidden():
    table = suppress_table([[2, 1], [40, 50]])
    assert table.row_total(0) == SUPPRESSED


def test_hidden_ones_that_sum_to_their_count_get_another_partner():
    counts = [[1, 1, 9], [20, 30, 40]]
    table = suppress_table(counts)
    assert is_recoverable(counts, table) == []
    assert sum(table.cells[0]) + int(table.row_totals[0]) >= 3


def test_percentages_of_hidden_counts_or_small_bases_are_hidden():
    assert percentage_shown(3, 100, count_hidden=True) is None
    assert percentage_shown(10, 100, count_hidden=False, base_hidden=True) is None
    assert percentage_shown(10, 29, count_hidden=False) is None
    assert percentage_shown(10, 40, count_hidden=False) == pytest.approx(25.0)


def test_bad_tables_are_refused():
    for bad in ([], [[]], [[1, -1]]):
        with pytest.raises(ValueError, match="must"):
            suppress_table(bad)


def _brute_force_recoverable(counts, table):
    """Enumerate every table of non-negative counts consistent with what is shown (small only):
    a primary cell is recoverable when it takes one value in all of them."""
    n_rows, n_cols = len(counts), len(counts[0])
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if table.cells[i][j]]
    if len(hidden) > 4:
        return None
    shown_cells = {(i, j): counts[i][j] for i in range(n_rows) for j in range(n_cols)
                   if not table.cells[i][j]}  # fmt: skip
    row_tot = [None if table.row_totals[i] else sum(counts[i]) for i in range(n_rows)]
    col_tot = [None if table.column_totals[j] else sum(r[j] for r in counts) for j in range(n_cols)]
    grand = None if table.grand_total else sum(map(sum, counts))
    top = max(max(map(max, counts)), 5) + 2  # a reader does not know the largest count
    # a hidden cell may be a zero used as a partner, so a reader knows only that it is >= 0
    solutions = []
    for values in itertools.product(range(0, top + 1), repeat=len(hidden)):
        grid = dict(shown_cells)
        grid.update(zip(hidden, values, strict=True))
        rows = [sum(grid[(i, j)] for j in range(n_cols)) for i in range(n_rows)]
        cols = [sum(grid[(i, j)] for i in range(n_rows)) for j in range(n_cols)]
        if any(t is not None and t != r for t, r in zip(row_tot, rows, strict=True)):
            continue
        if any(t is not None and t != c for t, c in zip(col_tot, cols, strict=True)):
            continue
        if grand is not None and grand != sum(rows):
            continue
        solutions.append(dict(zip(hidden, values, strict=True)))
    exposed = []
    for pos in hidden:
        i, j = pos
        if table.primary[i][j] and len({s[pos] for s in solutions}) == 1:
            exposed.append(pos)
    return exposed


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@given(tables)
@settings(max_examples=300, deadline=None)
def test_no_primary_cell_can_be_worked_out_from_the_shown_figures(counts):
    table = suppress_table(counts)
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            if 0 < value < 5:
                assert table.cells[i][j], "every small non-zero count is hidden"
    assert is_recoverable(counts, table) == []
    # every line (row or column with its total) with a hidden figure has at least two
    for i in range(len(counts)):
        line = list(table.cells[i]) + [table.row_totals[i]]
        assert sum(line) != 1
    for j in range(len(counts[0])):
        line = [table.cells[i][j] for i in range(len(counts))] + [table.column_totals[j]]
        assert sum(line) != 1


small_tables = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 7), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@given(small_tables)
@settings(max_examples=80, deadline=None)
def test_exhaustive_search_cannot_recover_a_primary_cell(counts):
    table = suppress_table(counts)
    exposed = _brute_force_recoverable(counts, table)
    if exposed is not None:
        assert exposed == []


@given(tables, st.lists(st.booleans(), min_size=4, max_size=4))
@settings(max_examples=150, deadline=None)
def test_row_totals_hidden_by_a_linked_table_stay_protected(counts, flags):
    """A row total hidden because another table sharing it hides it cannot be worked out here."""
    import numpy as np

    from crimestats.methods.disclosure import _determined, _grid, _system

    forced = flags[: len(counts)]
    table = suppress_table(counts, hidden_row_totals=forced)
    values, hidden = _grid(counts, table)
    matrix, unknowns = _system(values, hidden)
    n_cols = len(counts[0])
    for i, flag in enumerate(forced):
        if flag:
            assert table.row_totals[i]
            k = unknowns.index((i, n_cols))
            assert not _determined(matrix, k), f"row total {i} recoverable"
    assert np.all(hidden[: len(counts), n_cols][np.array(forced, dtype=bool)])
