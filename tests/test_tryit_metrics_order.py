"""Chapter 6's Try it (recsys_lessons.tryit.metrics_order): every setting
against the chapter's formulas, transcribed as plain loops.

The generic checks (grid, explorer, live figure) are in tests/test_tryit.py.
"""

import itertools
import math

import pytest

from recsys_lessons import tryit
from recsys_lessons.tryit import metrics_order

FIG = metrics_order.TRY_IT


@pytest.fixture(scope="module")
def table():
    return tryit.grid_table(FIG)


def dcg(labels, k):
    # eq-dcg: sum over p = 1..k of (2^rel_p - 1) / log2(p + 1)
    return sum(
        (2 ** labels[p - 1] - 1) / math.log2(p + 1) for p in range(1, k + 1)
    )


def ap(labels, k, n_relevant):
    # eq-ap: (1/D) sum over p = 1..k of P@p * [item at p relevant]
    total, hits = 0.0, 0
    for p in range(1, k + 1):
        if labels[p - 1] > 0:
            hits += 1
            total += hits / p
    return total / n_relevant


def row_of(table, order, k):
    rows = table[(table["order"] == order) & (table["k"] == k)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_default_is_the_chapters_worked_example(table):
    """Order 0 at k = 5: the labels [3, 2, 3, 0, 1] of the lesson's
    system, with the chapter's DCG@5 = 12.78, IDCG@5 = 13.35 (the value
    the lesson wrongly gives as the DCG) and NDCG@5 = 0.9575."""
    assert FIG.default == {"order": 0, "k": 5}
    row = row_of(table, 0, 5)
    labels = [3, 2, 3, 0, 1]
    assert [row[f"rel_{p}"] for p in range(1, 6)] == labels
    terms = [7 / 1, 3 / math.log2(3), 7 / 2, 0.0, 1 / math.log2(6)]
    assert row["dcg"] == pytest.approx(sum(terms), rel=1e-12)
    assert round(row["dcg"], 2) == 12.78
    assert round(row["idcg"], 2) == 13.35
    assert row["idcg"] == pytest.approx(dcg([3, 3, 2, 1, 0], 5), rel=1e-12)
    assert round(row["ndcg"], 4) == 0.9575
    # AP@5 with D = 4 relevant items (label > 0): (1 + 1 + 1 + 4/5) / 4
    assert row["ap"] == pytest.approx(0.95, rel=1e-12)


def test_every_setting_matches_the_formulas(table):
    assert len(table) == 120 * 5
    labels0 = [3, 2, 3, 0, 1]
    orders = list(itertools.permutations(range(5)))
    assert metrics_order.ORDERS == tuple(orders)
    for index, perm in enumerate(orders):
        labels = [labels0[i] for i in perm]
        ideal = sorted(labels0, reverse=True)
        for k in range(1, 6):
            row = row_of(table, index, k)
            assert [row[f"rel_{p}"] for p in range(1, 6)] == labels
            for p in range(1, 6):
                gain = 2 ** labels[p - 1] - 1
                assert row[f"gain_{p}"] == gain
                assert row[f"term_{p}"] == pytest.approx(
                    gain / math.log2(p + 1), rel=1e-12, abs=0
                )
            assert row["dcg"] == pytest.approx(dcg(labels, k), rel=1e-12)
            assert row["idcg"] == pytest.approx(dcg(ideal, k), rel=1e-12)
            assert row["ndcg"] == pytest.approx(
                dcg(labels, k) / dcg(ideal, k), rel=1e-12
            )
            assert row["ap"] == pytest.approx(ap(labels, k, 4), rel=1e-12)
            assert 0 <= row["ndcg"] <= 1 + 1e-12


def test_swapping_the_two_threes_changes_nothing(table):
    swapped = metrics_order.ORDERS.index((2, 1, 0, 3, 4))
    for k in range(1, 6):
        a, b = row_of(table, 0, k), row_of(table, swapped, k)
        for column in ("dcg", "idcg", "ndcg", "ap"):
            assert a[column] == b[column]


def test_only_the_ideal_orders_score_one(table):
    """NDCG@5 = 1 exactly for the orders whose labels are sorted; AP@5 = 1
    exactly when the one item labelled 0 is last."""
    full = table[table["k"] == 5]
    for _, row in full.iterrows():
        labels = [row[f"rel_{p}"] for p in range(1, 6)]
        sorted_ = labels == sorted(labels, reverse=True)
        assert (row["ndcg"] == pytest.approx(1.0, rel=1e-12)) == sorted_
        assert (row["ap"] == pytest.approx(1.0, rel=1e-12)) == (
            labels[-1] == 0
        )


@pytest.mark.parametrize("bad", [{"order": 120}, {"order": -1}, {"k": 0}])
def test_run_refuses_settings_off_the_list(bad):
    with pytest.raises(ValueError):
        metrics_order.run(**{**FIG.default, **bad})


def test_the_things_to_try(table):
    """The section's examples, by the plain loops: orders 7 and 49 are the
    ideal one, 92 and 93 its reverse (the lowest NDCG@5), 102 has AP@5 = 1
    but NDCG@5 < 1, and AP@k <= k / 4 with D = 4."""
    ideal = [3, 3, 2, 1, 0]
    for order in (7, 49):
        row = row_of(table, order, 5)
        assert [row[f"rel_{p}"] for p in range(1, 6)] == ideal
        assert row["dcg"] == pytest.approx(dcg(ideal, 5), rel=1e-12)
        assert round(dcg(ideal, 5), 4) == 13.3472
    full = table[table["k"] == 5]
    lowest = full[full["ndcg"] == full["ndcg"].min()]["order"].tolist()
    assert lowest == [92, 93]
    assert row_of(table, 92, 5)["ndcg"] == pytest.approx(
        dcg(ideal[::-1], 5) / dcg(ideal, 5), rel=1e-12
    )
    labels = [1, 2, 3, 3, 0]
    row = row_of(table, 102, 5)
    assert [row[f"rel_{p}"] for p in range(1, 6)] == labels
    assert ap(labels, 5, 4) == 1 and row["ap"] == pytest.approx(1.0)
    assert row["ndcg"] == pytest.approx(dcg(labels, 5) / dcg(ideal, 5))
    assert row["ndcg"] < 0.71
    for k in range(1, 6):
        assert ap(ideal, k, 4) == pytest.approx(min(k, 4) / 4)
        assert (table[table["k"] == k]["ap"] <= k / 4 + 1e-12).all()
