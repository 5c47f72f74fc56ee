import numpy as np
import pytest

from recsys_lessons import lambdarank as lr
from recsys_lessons import metrics
from recsys_lessons.data import synthetic_ratings, train_test_split


def ndcg_of_order(scores, y, k, gain):
    order = np.argsort(-scores, kind="stable")
    return metrics.ndcg_at_k(y[order], k, gain)


@pytest.mark.parametrize("k", [None, 3])
@pytest.mark.parametrize("gain", ["exponential", "linear"])
def test_delta_ndcg_equals_brute_force_swaps(rng, k, gain):
    for _ in range(5):
        s = rng.normal(size=8)
        y = rng.integers(0, 4, size=8).astype(float)
        D = lr.delta_ndcg(s, y, k, gain)
        base = ndcg_of_order(s, y, k, gain)
        for i in range(8):
            for j in range(8):
                swapped = s.copy()
                swapped[i], swapped[j] = s[j], s[i]
                assert D[i, j] == pytest.approx(
                    abs(ndcg_of_order(swapped, y, k, gain) - base),
                    abs=1e-12,
                )


def test_ranknet_gradient_matches_finite_differences(rng):
    s = rng.normal(size=7)
    y = rng.integers(0, 3, size=7).astype(float)
    g = lr.ranknet_gradients(s, y, sigma=1.7)
    h = 1e-6
    for i in range(7):
        e = np.zeros(7)
        e[i] = h
        num = (
            lr.ranknet_loss(s + e, y, 1.7) - lr.ranknet_loss(s - e, y, 1.7)
        ) / (2 * h)
        assert num == pytest.approx(g[i], abs=1e-8)


@pytest.mark.parametrize("k", [None, 4])
def test_lambdas_are_the_gradient_of_the_delta_weighted_cost(rng, k):
    s = rng.normal(size=9)
    y = rng.integers(0, 4, size=9).astype(float)
    W = lr.delta_ndcg(s, y, k)
    g = lr.lambda_gradients(s, y, sigma=0.8, k=k)
    h = 1e-6
    for i in range(9):
        e = np.zeros(9)
        e[i] = h
        num = (
            lr.ranknet_loss(s + e, y, 0.8, W)
            - lr.ranknet_loss(s - e, y, 0.8, W)
        ) / (2 * h)
        assert num == pytest.approx(g[i], abs=1e-8)


def test_lambda_signs_and_balance(rng):
    s = np.zeros(4)
    y = np.array([0.0, 2.0, 1.0, 0.0])
    g = lr.lambda_gradients(s, y)
    assert g.sum() == pytest.approx(0.0, abs=1e-15)
    assert (
        g[1] < 0 and g[0] > 0
    )  # relevant pushed up, irrelevant pushed down
    assert np.all(lr.lambda_gradients(s, np.zeros(4)) == 0)


def test_truncation_zeroes_pairs_below_k():
    s = np.array([4.0, 3.0, 2.0, 1.0, 0.0])
    y = np.array([0.0, 0.0, 0.0, 2.0, 1.0])
    D = lr.delta_ndcg(s, y, k=2)
    assert D[3, 4] == 0 and D[0, 3] > 0


def test_compiled_epoch_equals_reference(rng):
    d = synthetic_ratings(
        40, 60, rank=3, density=0.2, min_ratings_per_user=4, seed=2
    )
    R = d.ratings
    for method in ("lambdarank", "ranknet"):
        for k in (None, 5):
            cands = lr.sample_candidates(R, 20, seed=4)
            order = np.random.default_rng(0).permutation(R.shape[0])
            U = rng.normal(scale=0.1, size=(40, 6))
            V = rng.normal(scale=0.1, size=(60, 6))
            U2, V2 = U.copy(), V.copy()
            lr.lambdarank_epoch(
                U, V, cands, order, 0.05, 0.01, 1.3, k, method
            )
            lr.lambdarank_epoch_reference(
                U2, V2, cands, order, 0.05, 0.01, 1.3, k, method
            )
            assert (
                np.max(np.abs(U - U2)) < 1e-12
                and np.max(np.abs(V - V2)) < 1e-12
            )


def test_candidates_hold_positives_and_negatives():
    d = synthetic_ratings(
        30, 50, rank=3, density=0.3, min_ratings_per_user=4, seed=2
    )
    R = d.ratings
    indptr, items, labels = lr.sample_candidates(R, 20, seed=0)
    dense = R.toarray()
    for u in range(30):
        c = items[indptr[u] : indptr[u + 1]]
        y = labels[indptr[u] : indptr[u + 1]]
        assert c.size == 20
        assert np.array_equal(dense[u, c], y)
        assert (y > 0).sum() == min(10, (dense[u] > 0).sum())


def test_lambdarank_training_raises_heldout_ndcg():
    d = synthetic_ratings(
        120, 100, rank=3, density=0.2, min_ratings_per_user=5, seed=8
    )
    train, test = train_test_split(d.ratings, 0.2, seed=0)
    res = lr.fit_lambdarank(
        train, 8, 0.01, 0.05, 10, n_candidates=30, seed=0, test=test
    )
    assert res.history["ndcg"].shape == (11,)
    assert res.history["ndcg"][-1] > res.history["ndcg"][0] + 0.05
