import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from recsys_lessons import bpr, metrics
from recsys_lessons.data import (
    synthetic_ratings,
    to_implicit,
    train_test_split,
)


@pytest.fixture(scope="module")
def implicit_split():
    d = synthetic_ratings(
        150, 120, rank=4, density=0.15, min_ratings_per_user=6, seed=21
    )
    X = to_implicit(d.ratings, 4)
    return train_test_split(X, 0.25, seed=1)


def test_gradient_matches_finite_differences(implicit_split, rng):
    train, _ = implicit_split
    U = rng.normal(scale=0.5, size=(train.shape[0], 4))
    V = rng.normal(scale=0.5, size=(train.shape[1], 4))
    triples = bpr.sample_triples(train, 200, seed=3)
    dU, dV = bpr.bpr_gradient(U, V, triples, 0.05)
    h = 1e-6
    picks = {
        "U": [(triples[0, 0], 0), (triples[5, 0], 3)],
        "V": [(triples[0, 1], 1), (triples[5, 2], 3)],
    }
    for F, dF, name in ((U, dU, "U"), (V, dV, "V")):
        for idx in picks[name]:
            keep = F[idx]
            F[idx] = keep + h
            up = bpr.bpr_loss(U, V, triples, 0.05)
            F[idx] = keep - h
            down = bpr.bpr_loss(U, V, triples, 0.05)
            F[idx] = keep
            assert (up - down) / (2 * h) == pytest.approx(
                dF[idx], rel=1e-6, abs=1e-8
            )


def test_full_gradient_matches_finite_differences_on_a_tiny_problem(rng):
    U = rng.normal(size=(3, 2))
    V = rng.normal(size=(4, 2))
    triples = np.array([[0, 1, 2], [1, 0, 3], [0, 1, 3], [2, 2, 0]])
    dU, dV = bpr.bpr_gradient(U, V, triples, 0.1)
    h = 1e-6
    for F, dF in ((U, dU), (V, dV)):
        num = np.zeros_like(F)
        for idx in np.ndindex(F.shape):
            keep = F[idx]
            F[idx] = keep + h
            up = bpr.bpr_loss(U, V, triples, 0.1)
            F[idx] = keep - h
            down = bpr.bpr_loss(U, V, triples, 0.1)
            F[idx] = keep
            num[idx] = (up - down) / (2 * h)
        assert np.allclose(num, dF, atol=1e-7)


def test_log_sigmoid_is_stable_where_the_naive_formula_fails():
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    got = bpr.log_sigmoid(x)
    assert np.all(np.isfinite(got))
    assert got[0] == pytest.approx(-1000.0)
    assert got[2] == pytest.approx(np.log(0.5))
    mid = np.linspace(-30, 30, 61)
    assert np.allclose(
        bpr.log_sigmoid(mid), np.log(1 / (1 + np.exp(-mid))), rtol=1e-12
    )
    with np.errstate(over="ignore", divide="ignore"):
        assert np.isinf(np.log(1 / (1 + np.exp(-x[0]))))


def test_triples_are_valid(implicit_split):
    train, _ = implicit_split
    triples = bpr.sample_triples(train, 5000, seed=0)
    dense = train.toarray()
    assert np.all(dense[triples[:, 0], triples[:, 1]] == 1)
    assert np.all(dense[triples[:, 0], triples[:, 2]] == 0)
    # (u, i) is uniform over stored pairs: user frequency follows their degree.
    freq = np.bincount(triples[:, 0], minlength=train.shape[0]) / 5000
    degree = np.diff(train.indptr) / train.nnz
    assert np.abs(freq - degree).max() < 0.02


def test_compiled_epoch_equals_reference(implicit_split, rng):
    train, _ = implicit_split
    U = rng.normal(scale=0.1, size=(train.shape[0], 5))
    V = rng.normal(scale=0.1, size=(train.shape[1], 5))
    U2, V2 = U.copy(), V.copy()
    triples = bpr.sample_triples(train, 3000, seed=1)
    bpr.sgd_epoch(U, V, triples, 0.05, 0.01)
    bpr.sgd_epoch_reference(U2, V2, triples, 0.05, 0.01)
    assert np.max(np.abs(U - U2)) < 1e-12 and np.max(np.abs(V - V2)) < 1e-12


def test_auc_matches_scikit_learn_per_user(rng):
    scores = rng.normal(size=(6, 30))
    pos = rng.random((6, 30)) < 0.2
    pos[:, 0] = True
    excl = (rng.random((6, 30)) < 0.2) & ~pos
    expected = []
    for u in range(6):
        keep = ~excl[u]
        expected.append(roc_auc_score(pos[u, keep], scores[u, keep]))
    assert metrics.auc(scores, pos, excl) == pytest.approx(
        np.mean(expected), rel=1e-12
    )
    tied = np.round(scores, 0)
    assert metrics.auc(tied, pos) == pytest.approx(
        np.mean([roc_auc_score(pos[u], tied[u]) for u in range(6)]),
        rel=1e-12,
    )


def test_training_learns_to_rank_held_out_items(implicit_split):
    train, test = implicit_split
    res = bpr.fit_bpr(train, 8, 0.01, 0.05, 15, seed=0, test=test)
    auc = res.history["auc"]
    assert auc.shape == (16,) and res.history["loss"].shape == (16,)
    assert auc[0] < 0.6 < auc[-1]
    assert res.history["loss"][-1] < res.history["loss"][0]
    again = bpr.fit_bpr(train, 8, 0.01, 0.05, 15, seed=0, test=test)
    assert np.array_equal(res.U, again.U)


def test_heldout_auc_equals_the_rank_based_metric(implicit_split, rng):
    train, test = implicit_split
    U = rng.normal(size=(train.shape[0], 3))
    V = np.round(
        rng.normal(size=(train.shape[1], 3)), 1
    )  # some tied scores
    users = np.flatnonzero(np.diff(test.indptr) > 0)
    reference = metrics.auc(
        (U @ V.T)[users], test[users].toarray(), train[users].toarray()
    )
    assert bpr.heldout_auc(U, V, test, train) == pytest.approx(
        reference, rel=1e-12
    )
    assert bpr.heldout_auc(U, V, test, train, chunk=7) == pytest.approx(
        reference, rel=1e-12
    )
