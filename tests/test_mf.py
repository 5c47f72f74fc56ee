import numpy as np
import pytest

from recsys_lessons import mf
from recsys_lessons.data import toy_ratings


def loop_objective(R, U, V, lam, weighted):
    total = 0.0
    m, n = R.shape
    for i in range(m):
        for j in range(n):
            if R[i, j] != 0:
                total += (R[i, j] - U[i] @ V[j]) ** 2
    for i in range(m):
        w = np.count_nonzero(R[i]) if weighted else 1
        total += lam * w * U[i] @ U[i]
    for j in range(n):
        w = np.count_nonzero(R[:, j]) if weighted else 1
        total += lam * w * V[j] @ V[j]
    return total


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
def test_objective_matches_plain_loops(small_data, rng, regularization):
    R = small_data.toarray()
    U = rng.normal(size=(R.shape[0], 3))
    V = rng.normal(size=(R.shape[1], 3))
    got = mf.objective(small_data, U, V, 0.3, penalty=regularization)
    assert got == pytest.approx(
        loop_objective(R, U, V, 0.3, regularization == "weighted"),
        rel=1e-12,
    )


def test_rmse_mae_and_predictions_match_loops(rng):
    R = toy_ratings()
    U = rng.normal(size=(5, 2))
    V = rng.normal(size=(5, 2))
    rows, cols = np.nonzero(R)
    errors = np.array([R[i, j] - U[i] @ V[j] for i, j in zip(rows, cols)])
    assert mf.rmse(R, U, V) == pytest.approx(
        np.sqrt(np.mean(errors**2)), rel=1e-13
    )
    assert mf.mae(R, U, V) == pytest.approx(
        np.mean(np.abs(errors)), rel=1e-13
    )
    assert np.allclose(mf.predict(U, V, rows, cols), (U @ V.T)[rows, cols])
    assert np.allclose(mf.predict_observed(R, U, V), (U @ V.T)[rows, cols])


def test_objective_is_zero_for_an_exact_factorization(rng):
    U = rng.uniform(1, 2, (4, 2))
    V = rng.uniform(1, 2, (3, 2))
    assert mf.objective(U @ V.T, U, V, 0.0) == pytest.approx(0.0, abs=1e-20)
