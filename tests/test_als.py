import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from recsys_lessons import als, mf
from recsys_lessons.data import synthetic_ratings, toy_ratings


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
@pytest.mark.parametrize("k", [1, 2, 5, 17, 33])
def test_fast_als_equals_lesson_loops(small_data, regularization, k):
    init = als.initial_factors(*small_data.shape, k, seed=4)
    fast = als.fit_als(
        small_data, k, 0.1, n_iters=8, penalty=regularization, init=init
    )
    slow = als.als_reference(
        small_data, k, 0.1, n_iters=8, penalty=regularization, init=init
    )
    assert np.max(np.abs(fast.U - slow.U)) < 1e-10
    assert np.max(np.abs(fast.V - slow.V)) < 1e-10
    for key in fast.history:
        assert np.allclose(
            fast.history[key], slow.history[key], rtol=1e-10, atol=0
        )


def test_same_seed_same_factors_and_init_is_not_modified(small_data):
    a = als.fit_als(small_data, 3, 0.1, n_iters=3, seed=9)
    b = als.fit_als(small_data, 3, 0.1, n_iters=3, seed=9)
    assert np.array_equal(a.U, b.U)
    U0, V0 = als.initial_factors(*small_data.shape, 3, seed=1)
    keep = U0.copy()
    als.fit_als(small_data, 3, 0.1, n_iters=2, init=(U0, V0))
    assert np.array_equal(U0, keep)


def test_users_and_items_without_ratings_get_zero_factors(small_data):
    res = als.fit_als(small_data, 3, 0.1, n_iters=2)
    assert np.all(res.U[5] == 0)
    assert np.all(res.V[7] == 0)
    assert np.all(np.isfinite(res.U)) and np.all(np.isfinite(res.V))


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
def test_every_half_step_does_not_raise_its_objective(
    small_data, regularization
):
    lam, k = 0.2, 4
    U, V = als.initial_factors(*small_data.shape, k, seed=2)
    Rt = small_data.T.tocsr()
    last = mf.objective(small_data, U, V, lam, penalty=regularization)
    for _ in range(10):
        U = als.solve_factors(small_data, V, lam, penalty=regularization)
        now = mf.objective(small_data, U, V, lam, penalty=regularization)
        assert now <= last * (1 + 1e-12)
        last = now
        V = als.solve_factors(Rt, U, lam, penalty=regularization)
        now = mf.objective(small_data, U, V, lam, penalty=regularization)
        assert now <= last * (1 + 1e-12)
        last = now


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
def test_half_step_is_a_stationary_point_by_finite_differences(
    small_data, rng, regularization
):
    lam, k = 0.3, 3
    V = rng.normal(size=(small_data.shape[1], k))
    U = als.solve_factors(small_data, V, lam, penalty=regularization)
    h = 1e-5
    for i, f in [(0, 0), (3, 2), (17, 1)]:
        up, down = U.copy(), U.copy()
        up[i, f] += h
        down[i, f] -= h
        slope = (
            mf.objective(small_data, up, V, lam, penalty=regularization)
            - mf.objective(small_data, down, V, lam, penalty=regularization)
        ) / (2 * h)
        assert abs(slope) < 1e-6


def test_lam_zero_with_too_few_ratings_uses_min_norm_solution():
    R = sp.csr_matrix(np.array([[4.0, 0, 0], [0, 3.0, 5.0]]))
    V = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 1.0]])
    U = als.solve_factors(R, V, 0.0, penalty="plain")
    # Row 0 has one rating for two unknowns: lstsq's minimum-norm answer.
    expected = np.linalg.lstsq(V[[0]], [4.0], rcond=None)[0]
    assert np.allclose(U[0], expected)
    assert np.allclose(U[1], np.linalg.solve(V[[1, 2]], [3.0, 5.0]))


@pytest.mark.parametrize(
    ("row", "who"),
    [([4.0, 0, 0, 1.0], "user 0"), ([4.0, 2.0, 0, 1.0], "item 2")],
)
def test_reference_refuses_lam_zero_with_fewer_ratings_than_k(row, who):
    # Row 0 has 2 ratings (user case) or item 2 has 2 ratings (item
    # case); k = 3: that 3 x 3 system is singular at lam = 0.
    R = np.array([row, [1.0, 2, 3, 4], [2.0, 1, 5, 3], [5.0, 4, 0, 2]])
    with pytest.raises(ValueError, match=f"lam = 0 .*{who} singular"):
        als.als_reference(R, 3, 0.0, n_iters=1)


def test_reference_at_lam_zero_with_enough_ratings_equals_fit():
    R = np.array([[5.0, 3, 1, 2], [4, 1, 1, 3], [1, 2, 5, 4], [2, 5, 4, 1]])
    init = als.initial_factors(4, 4, 2, seed=3)
    slow = als.als_reference(R, 2, 0.0, n_iters=5, init=init)
    fast = als.fit_als(R, 2, 0.0, n_iters=5, init=init)
    assert np.allclose(slow.U, fast.U, rtol=1e-9, atol=1e-12)
    assert np.allclose(slow.V, fast.V, rtol=1e-9, atol=1e-12)


def test_history_has_start_and_every_iteration(small_data):
    R = small_data
    res = als.fit_als(R, 2, 0.1, n_iters=5, test=R)
    assert set(res.history) == {"objective", "train_rmse", "test_rmse"}
    assert all(v.shape == (6,) for v in res.history.values())
    assert np.allclose(res.history["train_rmse"], res.history["test_rmse"])
    assert res.history["objective"][-1] == pytest.approx(
        mf.objective(R, res.U, res.V, 0.1, penalty="weighted")
    )


def test_toy_fit_reproduces_most_observed_ratings():
    R = toy_ratings()
    res = als.fit_als(R, 2, 0.01, n_iters=50, seed=0)
    assert mf.rmse(R, res.U, res.V) < 0.35


def test_result_errors_match_mf_and_clip(small_data):
    res = als.fit_als(small_data, 2, 0.1, n_iters=5)
    assert res.rmse(small_data) == pytest.approx(
        mf.rmse(small_data, res.U, res.V), rel=1e-12
    )
    assert res.mae(small_data) == pytest.approx(
        mf.mae(small_data, res.U, res.V), rel=1e-12
    )
    rows, cols = small_data.nonzero()
    assert np.all(res.predict(rows, cols, clip=(1, 5)) >= 1)


def test_fast_sweep_equals_lesson_sweep_on_rows_longer_than_a_chunk():
    # 200 users (not a multiple of the kernel's chunk of rows) and rows of
    # 16 to 100 ratings (several padded widths), users then items.
    R = synthetic_ratings(
        n_users=200, n_items=150, rank=4, density=0.3, seed=8
    ).ratings
    U, V = als.initial_factors(*R.shape, 12, seed=0)
    weights = mf.regularization_weights(R, "weighted")
    U_fast, V_fast = als._sweep(R, R.T.tocsr(), V, 0.05, *weights)
    U_ref, V_ref = U.copy(), V.copy()
    als._reference_sweep(R.toarray(), U_ref, V_ref, 0.05, "weighted")
    assert np.max(np.abs(U_fast - U_ref)) < 1e-10
    assert np.max(np.abs(V_fast - V_ref)) < 1e-10


@st.composite
def ratings_and_factors(draw):
    m = draw(st.integers(1, 70))
    n = draw(st.integers(1, 50))
    k = draw(st.integers(1, 24))
    seed = draw(st.integers(0, 2**32 - 1))
    density = draw(st.sampled_from([0.05, 0.3, 1.0]))
    rng = np.random.default_rng(seed)
    R = np.where(
        rng.random((m, n)) < density, rng.integers(1, 6, (m, n)), 0
    ).astype(float)
    R[rng.integers(m), rng.integers(n)] = 3.0  # a matrix needs one rating
    return R, rng.normal(size=(n, k)), draw(st.sampled_from([0.01, 1.0]))


@settings(max_examples=150, deadline=None)
@given(ratings_and_factors(), st.sampled_from(["plain", "weighted"]))
def test_solve_factors_matches_one_dense_solve_per_row(
    case, regularization
):
    # Oracle: the normal equations (ALS-U) of each row, built and solved by
    # NumPy one row at a time.
    R, V, lam = case
    U = als.solve_factors(R, V, lam, penalty=regularization)
    for i, row in enumerate(R):
        rated = row != 0
        if not rated.any():
            assert np.all(U[i] == 0)
            continue
        weight = rated.sum() if regularization == "weighted" else 1.0
        A = V[rated].T @ V[rated] + lam * weight * np.eye(V.shape[1])
        expected = np.linalg.solve(A, V[rated].T @ row[rated])
        assert np.allclose(U[i], expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("fit", [als.fit_als, als.als_reference])
def test_callback_sees_every_sweep(small_data, fit):
    init = als.initial_factors(*small_data.shape, 3, seed=5)
    seen = []
    res = fit(
        small_data,
        3,
        0.1,
        n_iters=4,
        init=init,
        callback=lambda t, U, V: seen.append((t, U, V)),
    )
    assert [t for t, _, _ in seen] == [1, 2, 3, 4]
    assert np.array_equal(seen[-1][1], res.U)
    assert np.array_equal(seen[-1][2], res.V)
    # Sweep t of one fit is one sweep from the factors of sweep t - 1.
    one = als.fit_als(
        small_data, 3, 0.1, n_iters=1, init=(seen[1][1], seen[1][2])
    )
    assert np.allclose(one.U, seen[2][1], rtol=0, atol=1e-10)
    for t, U, V in seen:
        objective = mf.objective(small_data, U, V, 0.1, penalty="weighted")
        assert res.history["objective"][t] == pytest.approx(objective)
    with pytest.raises(TypeError, match="callback"):
        fit(small_data, 3, 0.1, n_iters=1, callback=3)


def test_limits_the_battery_does_not_reach(small_data):
    # Issue #16: k beyond the k x k normal equations' practical size (the
    # battery's k = 10**12 is already refused by the factor-entry limit),
    # the dense matrix of the reference, and a baseline that answers with
    # the wrong shape.
    with pytest.raises(ValueError, match=r"k must be <= 1000 for ALS"):
        als.fit_als(small_data, 1001, 0.1)
    with pytest.raises(ValueError, match="columns of Y must be <= 1000"):
        als.solve_factors(small_data, np.ones((40, 1001)), 0.1)
    huge = sp.csr_matrix(
        (np.array([4.0, 2.0]), (np.array([0, 1]), np.array([3, 5]))),
        shape=(20_000, 10_000),
    )
    with pytest.raises(ValueError, match="R of shape .* use fit_als"):
        als.als_reference(huge, 2, 0.1, n_iters=1)

    class Constant:
        def predict(self, rows, cols):
            return 3.0

    with pytest.raises(ValueError, match="baseline.predict returned"):
        als.fit_als_on_residuals(small_data, Constant(), 2, 0.1)
