"""Properties every correct NDCG/AP must have, on hypothesis' lists."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recsys_lessons import metrics as M

labels = st.lists(
    st.integers(min_value=0, max_value=4), min_size=1, max_size=30
)
cutoffs = st.integers(min_value=1, max_value=35)


@settings(max_examples=200, deadline=None)
@given(labels, cutoffs, st.sampled_from(M.GAINS))
def test_ndcg_is_one_for_the_ideal_order_and_bounded(rel, k, gain):
    rel = np.array(rel, dtype=float)
    value = M.ndcg_at_k(rel, k, gain)
    assert 0.0 <= value <= 1.0 + 1e-12
    ideal = M.ndcg_at_k(np.sort(rel)[::-1], k, gain)
    expected = 1.0 if rel.any() else 0.0
    assert abs(ideal - expected) < 1e-12


@settings(max_examples=200, deadline=None)
@given(labels, cutoffs)
def test_ap_is_bounded_and_one_when_relevant_items_come_first(rel, k):
    rel = np.array(rel, dtype=float)
    assert 0.0 <= M.average_precision(rel, k) <= 1.0 + 1e-12
    front = np.sort(rel > 0)[::-1].astype(float)
    if front.any():
        assert (
            abs(M.average_precision(front, k, denominator="min_k") - 1.0)
            < 1e-12
        )


@settings(max_examples=100, deadline=None)
@given(
    labels,
    st.integers(min_value=0, max_value=29),
    st.integers(min_value=0, max_value=29),
)
def test_moving_a_better_item_up_never_lowers_dcg(rel, a, b):
    rel = np.array(rel, dtype=float)
    a, b = sorted((a % rel.size, b % rel.size))
    if rel[b] > rel[a]:
        swapped = rel.copy()
        swapped[[a, b]] = rel[[b, a]]
        assert M.dcg_at_k(swapped) >= M.dcg_at_k(rel)
