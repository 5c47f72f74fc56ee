"""BPR (Chapter 4): loss, gradient and SGD step against independent oracles.

The oracles are plain loops written here, on the lesson's penalty scale
lambda * |theta|^2 (gradient 2 * lambda * theta), and finite differences.
"""

import math

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

from recsys_lessons import bpr, evaluation, metrics
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


def loop_loss(U, V, triples, lam):
    total = 0.0
    for u, i, j in triples:
        x = sum(U[u, f] * (V[i, f] - V[j, f]) for f in range(U.shape[1]))
        total += math.log1p(math.exp(-x))  # -ln sigma(x)
        total += lam * sum(
            U[u, f] ** 2 + V[i, f] ** 2 + V[j, f] ** 2
            for f in range(U.shape[1])
        )
    return total


def loop_epoch(U, V, triples, learning_rate, lam):
    k = U.shape[1]
    for u, i, j in triples:
        x = sum(U[u, f] * (V[i, f] - V[j, f]) for f in range(k))
        g = 1.0 / (1.0 + math.exp(x))
        old_u, old_i, old_j = U[u].copy(), V[i].copy(), V[j].copy()
        for f in range(k):
            U[u, f] = old_u[f] + learning_rate * (
                g * (old_i[f] - old_j[f]) - 2 * lam * old_u[f]
            )
            V[i, f] = old_i[f] + learning_rate * (
                g * old_u[f] - 2 * lam * old_i[f]
            )
            V[j, f] = old_j[f] + learning_rate * (
                -g * old_u[f] - 2 * lam * old_j[f]
            )


def test_loss_is_the_lessons_scale(rng):
    U = rng.normal(size=(3, 2))
    V = rng.normal(size=(4, 2))
    triples = np.array([[0, 1, 2], [1, 0, 3], [0, 1, 3], [2, 2, 0]])
    for lam in (0.0, 0.05, 0.3):
        assert bpr.bpr_loss(U, V, triples, lam) == pytest.approx(
            loop_loss(U, V, triples, lam), rel=1e-12
        )


def test_penalty_is_a_gaussian_prior_with_lam_one_over_two_tau_squared(
    rng,
):
    # lam |theta|^2 = -ln N(theta; 0, tau^2 I) + const for lam = 1/(2 tau^2)
    tau = 0.7
    lam = 1 / (2 * tau**2)
    triples = np.array([[0, 1, 2], [1, 0, 3], [2, 2, 0]])
    penalties = []
    for _ in range(3):
        U = rng.normal(size=(3, 2))
        V = rng.normal(size=(4, 2))
        pen = bpr.bpr_loss(U, V, triples, lam) - bpr.bpr_loss(
            U, V, triples, 0.0
        )
        u, i, j = triples.T
        theta = np.concatenate([U[u], V[i], V[j]]).ravel()
        penalties.append(pen + norm.logpdf(theta, 0.0, tau).sum())
    assert np.ptp(penalties) < 1e-10  # the same constant for every theta


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
    # (u, i) is uniform over stored pairs: a user's frequency follows
    # their degree.
    freq = np.bincount(triples[:, 0], minlength=train.shape[0]) / 5000
    degree = np.diff(train.indptr) / train.nnz
    assert np.abs(freq - degree).max() < 0.02


def test_compiled_epoch_equals_reference(implicit_split, rng):
    train, _ = implicit_split
    U = rng.normal(scale=0.1, size=(train.shape[0], 5))
    V = rng.normal(scale=0.1, size=(train.shape[1], 5))
    U2, V2 = U.copy(), V.copy()
    U3, V3 = U.copy(), V.copy()
    triples = bpr.sample_triples(train, 3000, seed=1)
    bpr.sgd_epoch(U, V, triples, 0.05, 0.005)
    bpr.sgd_epoch_reference(U2, V2, triples, 0.05, 0.005)
    loop_epoch(U3, V3, triples, 0.05, 0.005)
    assert np.max(np.abs(U - U2)) < 1e-12 and np.max(np.abs(V - V2)) < 1e-12
    assert np.max(np.abs(U - U3)) < 1e-12 and np.max(np.abs(V - V3)) < 1e-12


def test_one_step_is_a_step_against_the_gradient(rng):
    # One triple with distinct u, i, j: the SGD step is -eta * bpr_gradient.
    U = rng.normal(size=(3, 4))
    V = rng.normal(size=(5, 4))
    triple = np.array([[2, 1, 4]])
    dU, dV = bpr.bpr_gradient(U, V, triple, 0.2)
    for epoch in (bpr.sgd_epoch, bpr.sgd_epoch_reference):
        U1, V1 = U.copy(), V.copy()
        epoch(U1, V1, triple, 0.1, 0.2)
        assert np.allclose(U1, U - 0.1 * dU, rtol=1e-13, atol=1e-15)
        assert np.allclose(V1, V - 0.1 * dV, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
    "call",
    [
        lambda U, V, t: bpr.bpr_loss(U, V, t, 0.1),
        lambda U, V, t: bpr.bpr_gradient(U, V, t, 0.1),
        lambda U, V, t: bpr.sgd_epoch(U, V, t, 0.1, 0.1),
        lambda U, V, t: bpr.sgd_epoch_reference(U, V, t, 0.1, 0.1),
    ],
    ids=["bpr_loss", "bpr_gradient", "sgd_epoch", "sgd_epoch_reference"],
)
def test_a_triple_with_i_equal_to_j_is_refused(call, rng):
    U = rng.normal(size=(3, 2))
    V = rng.normal(size=(4, 2))
    U0, V0 = U.copy(), V.copy()
    bad = np.array([[0, 1, 2], [1, 3, 3], [2, 0, 0]])
    with pytest.raises(ValueError, match=r"triples must have i != j") as e:
        call(U, V, bad)
    assert "row 1 is (1, 3, 3) and 1 more rows" in str(e.value)
    assert np.array_equal(U, U0) and np.array_equal(V, V0)


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
    res = bpr.fit_bpr(
        train, 8, 0.005, learning_rate=0.05, n_epochs=15, seed=0, test=test
    )
    auc = res.history["auc"]
    assert auc.shape == (16,) and res.history["loss"].shape == (16,)
    assert auc[0] < 0.6 < auc[-1]
    assert res.history["loss"][-1] < res.history["loss"][0]
    again = bpr.fit_bpr(
        train, 8, 0.005, learning_rate=0.05, n_epochs=15, seed=0, test=test
    )
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
    assert evaluation.heldout_auc(U, V, test, train) == pytest.approx(
        reference, rel=1e-12
    )
    assert evaluation.heldout_auc(
        U, V, test, train, chunk=7
    ) == pytest.approx(reference, rel=1e-12)


def test_divergence_within_the_limits_names_the_learning_rate():
    # Issue #16: the largest accepted step and penalty make SGD overflow;
    # the error names learning_rate (the caller's choice), not U or V.
    X = np.array([[1.0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 1]])
    with pytest.raises(ValueError, match="learning_rate and lam"):
        bpr.fit_bpr(X, 2, lam=1e6, learning_rate=10.0, n_epochs=20)
    rng = np.random.default_rng(0)
    U, V = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    triples = np.array([[0, 0, 1]] * 100)
    for epoch in (bpr.sgd_epoch, bpr.sgd_epoch_reference):
        with np.errstate(over="ignore", invalid="ignore"):
            with pytest.raises(ValueError, match="learning_rate and lam"):
                epoch(U.copy(), V.copy(), triples, 10.0, 1e6)


def test_log_sigmoid_keeps_its_exact_limits():
    assert bpr.log_sigmoid(np.inf) == 0.0
    assert bpr.log_sigmoid(-np.inf) == -np.inf
    with pytest.raises(ValueError, match="x contains NaN"):
        bpr.log_sigmoid([0.0, np.nan])
