"""The small-group rule: nothing about fewer than 5 students, and no way to subtract it back."""

from hypothesis import given
from hypothesis import strategies as st

from cyberyouth.lib.disclosure import figure, protect, rate


def test_small_counts_are_hidden_and_zero_is_not_a_group():
    assert str(figure(4)) == "< 5" and str(figure(5)) == "5" and str(figure(0)) == "0"


def test_one_hidden_cell_hides_a_second_so_the_total_does_not_give_it_away():
    row = protect({"6A": 3, "6B": 20, "6C": 12})
    assert str(row.total) == "35"
    assert not row.cells["6A"].shown and row.cells["6A"].reason == "small"
    assert not row.cells["6C"].shown and row.cells["6C"].reason == "complement"
    assert row.cells["6B"].value == 20


def test_two_hidden_cells_need_no_complement():
    row = protect({"a": 2, "b": 3, "c": 30})
    assert [c.shown for c in row.cells.values()] == [False, False, True]


def test_a_small_total_hides_every_non_zero_cell():
    row = protect({"a": 2, "b": 1, "c": 0})
    assert not row.total.shown and [str(c) for c in row.cells.values()] == ["< 5", "< 5", "0"]


def test_rates_over_small_groups_or_revealing_a_small_rest_are_hidden():
    assert rate(3, 40) is None and rate(38, 40) is None and rate(2, 4) is None
    assert rate(20, 40) == 0.5


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 50), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_recovered_from_the_total(counts):
    row = protect(counts)
    hidden = [k for k, f in row.cells.items() if not f.shown]
    assert not any(row.cells[k].shown for k, n in counts.items() if 0 < n < 5)
    if row.total.shown:
        # a single hidden cell could be computed as total − the shown cells
        assert len(hidden) != 1
