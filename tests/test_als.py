import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons import als, mf
from recsys_lessons.data import toy_ratings


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
@pytest.mark.parametrize("k", [1, 2, 5])
def test_fast_als_equals_lesson_loops(small_data, regularization, k):
    init = als.initial_factors(*small_data.shape, k, seed=4)
    fast = als.fit_als(small_data, k, 0.1, 8, regularization, init=init)
    slow = als.als_reference(small_data, k, 0.1, 8, regularization, init=init)
    assert np.max(np.abs(fast.U - slow.U)) < 1e-10
    assert np.max(np.abs(fast.V - slow.V)) < 1e-10
    for key in fast.history:
        assert np.allclose(fast.history[key], slow.history[key], rtol=1e-10, atol=0)


def test_same_seed_same_factors_and_init_is_not_modified(small_data):
    a = als.fit_als(small_data, 3, 0.1, 3, seed=9)
    b = als.fit_als(small_data, 3, 0.1, 3, seed=9)
    assert np.array_equal(a.U, b.U)
    U0, V0 = als.initial_factors(*small_data.shape, 3, seed=1)
    keep = U0.copy()
    als.fit_als(small_data, 3, 0.1, 2, init=(U0, V0))
    assert np.array_equal(U0, keep)


def test_users_and_items_without_ratings_get_zero_factors(small_data):
    res = als.fit_als(small_data, 3, 0.1, 2)
    assert np.all(res.U[5] == 0)
    assert np.all(res.V[7] == 0)
    assert np.all(np.isfinite(res.U)) and np.all(np.isfinite(res.V))


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
def test_every_half_step_does_not_raise_its_objective(small_data, regularization):
    lam, k = 0.2, 4
    U, V = als.initial_factors(*small_data.shape, k, seed=2)
    Rt = small_data.T.tocsr()
    last = mf.objective(small_data, U, V, lam, regularization)
    for _ in range(10):
        U = als.solve_factors(small_data, V, lam, regularization)
        now = mf.objective(small_data, U, V, lam, regularization)
        assert now <= last * (1 + 1e-12)
        last = now
        V = als.solve_factors(Rt, U, lam, regularization)
        now = mf.objective(small_data, U, V, lam, regularization)
        assert now <= last * (1 + 1e-12)
        last = now


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
def test_half_step_is_a_stationary_point_by_finite_differences(small_data, rng, regularization):
    lam, k = 0.3, 3
    V = rng.normal(size=(small_data.shape[1], k))
    U = als.solve_factors(small_data, V, lam, regularization)
    h = 1e-5
    for i, f in [(0, 0), (3, 2), (17, 1)]:
        up, down = U.copy(), U.copy()
        up[i, f] += h
        down[i, f] -= h
        slope = (mf.objective(small_data, up, V, lam, regularization)
                 - mf.objective(small_data, down, V, lam, regularization)) / (2 * h)
        assert abs(slope) < 1e-6


def test_lam_zero_with_too_few_ratings_uses_min_norm_solution():
    R = sp.csr_matrix(np.array([[4.0, 0, 0], [0, 3.0, 5.0]]))
    V = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 1.0]])
    U = als.solve_factors(R, V, 0.0, "plain")
    # Row 0 has one rating for two unknowns: lstsq's minimum-norm answer.
    expected = np.linalg.lstsq(V[[0]], [4.0], rcond=None)[0]
    assert np.allclose(U[0], expected)
    assert np.allclose(U[1], np.linalg.solve(V[[1, 2]], [3.0, 5.0]))


def test_history_has_start_and_every_iteration(small_data):
    R = small_data
    res = als.fit_als(R, 2, 0.1, 5, test=R)
    assert set(res.history) == {"objective", "train_rmse", "test_rmse"}
    assert all(v.shape == (6,) for v in res.history.values())
    assert np.allclose(res.history["train_rmse"], res.history["test_rmse"])
    assert res.history["objective"][-1] == pytest.approx(mf.objective(R, res.U, res.V, 0.1, "weighted"))


def test_toy_fit_reproduces_most_observed_ratings():
    R = toy_ratings()
    res = als.fit_als(R, 2, 0.01, 50, seed=0)
    assert mf.rmse(R, res.U, res.V) < 0.35


def test_result_errors_match_mf_and_clip(small_data):
    res = als.fit_als(small_data, 2, 0.1, 5)
    assert res.rmse(small_data) == pytest.approx(mf.rmse(small_data, res.U, res.V), rel=1e-12)
    assert res.mae(small_data) == pytest.approx(mf.mae(small_data, res.U, res.V), rel=1e-12)
    rows, cols = small_data.nonzero()
    assert np.all(res.predict(rows, cols, clip=(1, 5)) >= 1)
