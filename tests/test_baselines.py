import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons.baselines import fit_biases
from recsys_lessons.data import synthetic_ratings


def direct_solution(R, lam_u, lam_i):
    """Solve the bias model's ridge normal equations as one dense system."""
    rows, cols = R.nonzero()
    r = np.asarray(R[rows, cols]).ravel()
    mu = r.mean()
    m, n = R.shape
    X = np.zeros((len(r), m + n))
    X[np.arange(len(r)), rows] = 1
    X[np.arange(len(r)), m + cols] = 1
    P = np.diag(np.r_[np.full(m, lam_u), np.full(n, lam_i)])
    b = np.linalg.solve(X.T @ X + P, X.T @ (r - mu))
    return mu, b[:m], b[m:]


def test_alternating_updates_reach_the_ridge_solution():
    d = synthetic_ratings(
        40, 30, rank=3, density=0.3, min_ratings_per_user=3, seed=2
    )
    model = fit_biases(d.ratings, lam_user=3.0, lam_item=5.0, n_iters=500)
    mu, bu, bi = direct_solution(d.ratings, 3.0, 5.0)
    assert model.mu == pytest.approx(mu)
    assert np.allclose(model.user_bias, bu, atol=1e-9) and np.allclose(
        model.item_bias, bi, atol=1e-9
    )


def test_rmse_mae_and_clipping_by_hand():
    R = sp.csr_matrix(np.array([[5.0, 1.0], [4.0, 0.0]]))
    model = fit_biases(R, lam_user=0.0, lam_item=0.0, n_iters=200)
    pred = np.array(
        [
            model.predict([0], [0])[0],
            model.predict([0], [1])[0],
            model.predict([1], [0])[0],
        ]
    )
    err = np.array([5.0, 1.0, 4.0]) - pred
    assert model.rmse(R) == pytest.approx(np.sqrt(np.mean(err**2)))
    assert model.mae(R) == pytest.approx(np.mean(np.abs(err)))
    assert np.all(model.predict([1], [1], clip=(1, 5)) <= 5)
    # three ratings, four parameters: the unregularized fit is exact
    assert model.rmse(R) < 1e-6


def test_bad_arguments():
    with pytest.raises(ValueError, match="lam_user must be >= 0"):
        fit_biases(np.eye(2), lam_user=-1.0)
    with pytest.raises(ValueError, match="n_iters must be >= 1"):
        fit_biases(np.eye(2), n_iters=0)


def test_residual_als_is_als_on_what_the_baseline_leaves():
    from recsys_lessons import als, mf

    d = synthetic_ratings(
        50, 40, rank=3, density=0.3, min_ratings_per_user=3, seed=5
    )
    R = d.ratings
    base = fit_biases(R, lam_user=2.0, lam_item=2.0)
    model = als.fit_als_on_residuals(
        R, base, 3, 0.1, n_iters=10, penalty="weighted", seed=1
    )
    rows, cols = R.nonzero()
    resid = sp.csr_matrix(
        (
            np.asarray(R[rows, cols]).ravel() - base.predict(rows, cols),
            (rows, cols),
        ),
        shape=R.shape,
    )
    direct = als.fit_als(
        resid, 3, 0.1, n_iters=10, penalty="weighted", seed=1
    )
    assert np.allclose(model.U, direct.U) and np.allclose(model.V, direct.V)
    assert np.allclose(
        model.predict(rows, cols),
        base.predict(rows, cols)
        + mf.predict(direct.U, direct.V, rows, cols),
    )
    # an item nobody rated falls back to the baseline
    R2 = R.tolil()
    R2[:, 0] = 0
    R2 = sp.csr_matrix(R2)
    R2.eliminate_zeros()
    cold = als.fit_als_on_residuals(R2, fit_biases(R2), 3, 0.1, n_iters=5)
    assert np.allclose(
        cold.predict([0, 1], [0, 0]), cold.baseline.predict([0, 1], [0, 0])
    )
    with pytest.raises(TypeError, match="baseline must have a predict"):
        als.fit_als_on_residuals(R, None, 3, 0.1)
