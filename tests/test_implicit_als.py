"""Implicit-feedback ALS (Hu, Koren & Volinsky 2008) against three oracles.

The plain loops of ``implicit_als_reference`` (dense, one naive system per
user over all items), a brute-force sum over all pairs for the objective,
and the ``implicit`` library (0.7.3): its loss and its Cholesky ALS from
the same start.

``implicit``'s conventions, read in its source (``implicit/cpu/als.py``
and ``_als.pyx`` of 0.7.3): the matrix it is given holds the confidences
themselves, ``C = alpha * user_items`` (observed, preference 1) and 1 for
every unobserved pair; it adds ``(c - 1) y y^T`` and ``c y`` per
interaction, so its confidence is ``alpha * r``, not ``1 + alpha * r``.
Ours is reached by giving it ``1 + alpha * r`` with its ``alpha = 1``. It
casts that matrix to float32 (and ``calculate_loss`` also casts the
regularization), so the tests use values exact in float32. Its penalty is
the unweighted ``lam * (|X|^2 + |Y|^2)``, as ours.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from recsys_lessons import implicit_als as ia
from recsys_lessons.als import initial_factors
from recsys_lessons.data import synthetic_ratings


def counts(m, n, density, seed, high=6):
    """Integer counts in [1, high) at random cells; one row and one column
    left empty (when there are several)."""
    rng = np.random.default_rng(seed)
    R = np.where(
        rng.random((m, n)) < density, rng.integers(1, high, (m, n)), 0
    ).astype(float)
    if m > 2 and n > 2:
        R[1, :] = 0
        R[:, 2] = 0
    R[0, 0] = 3.0  # at least one interaction
    return R


def naive_solve(R, Y, lam, alpha):
    """Equation (4) for every row, built over all n columns: the dense
    C^u and p(u) of the paper, no Y^T Y shortcut."""
    k = Y.shape[1]
    X = np.empty((R.shape[0], k))
    for u in range(R.shape[0]):
        c = 1.0 + alpha * R[u]
        p = (R[u] > 0).astype(float)
        A = Y.T @ np.diag(c) @ Y + lam * np.eye(k)
        X[u] = np.linalg.solve(A, Y.T @ np.diag(c) @ p)
    return X


def brute_objective(R, U, V, lam, alpha, weighted=False):
    """Equation (3), one pair at a time; ``weighted`` multiplies each
    factor's penalty by its number of interactions (Spark's)."""
    total = 0.0
    for u in range(R.shape[0]):
        for i in range(R.shape[1]):
            p = 1.0 if R[u, i] > 0 else 0.0
            c = 1.0 + alpha * R[u, i]
            total += c * (p - U[u] @ V[i]) ** 2
    if weighted:
        n_u, n_i = (R > 0).sum(axis=1), (R > 0).sum(axis=0)
        return total + lam * (
            np.sum(n_u * np.sum(U**2, axis=1))
            + np.sum(n_i * np.sum(V**2, axis=1))
        )
    return total + lam * (np.sum(U**2) + np.sum(V**2))


CASES = [
    # m, n, density, k, lam, alpha, seed
    (30, 20, 0.2, 4, 0.1, 2.0, 0),
    (12, 40, 0.5, 1, 1.0, 40.0, 1),
    (70, 50, 0.5, 17, 0.05, 0.5, 2),  # rows of 16+ (padding), > 1 chunk
    (9, 7, 0.3, 5, 3.0, 1e3, 3),
    (40, 33, 0.1, 33, 0.01, 10.0, 4),
]


@pytest.mark.parametrize("regularization", ["plain", "weighted"])
@pytest.mark.parametrize("m, n, density, k, lam, alpha, seed", CASES)
def test_compiled_fit_equals_reference_loops(
    m, n, density, k, lam, alpha, seed, regularization
):
    R = counts(m, n, density, seed)
    init = initial_factors(m, n, k, seed=seed)
    fast = ia.fit_implicit_als(
        R, k, lam, alpha=alpha, n_iters=6, init=init, penalty=regularization
    )
    slow = ia.implicit_als_reference(
        R, k, lam, alpha=alpha, n_iters=6, init=init, penalty=regularization
    )
    assert fast.penalty == slow.penalty == regularization
    assert np.max(np.abs(fast.U - slow.U)) < 1e-10
    assert np.max(np.abs(fast.V - slow.V)) < 1e-10
    assert np.allclose(
        fast.history["objective"],
        slow.history["objective"],
        rtol=1e-10,
        atol=0,
    )


@st.composite
def counts_and_factors(draw):
    m = draw(st.integers(1, 70))
    n = draw(st.integers(1, 50))
    k = draw(st.integers(1, 24))
    seed = draw(st.integers(0, 2**32 - 1))
    density = draw(st.sampled_from([0.05, 0.3, 1.0]))
    rng = np.random.default_rng(seed)
    R = counts(m, n, density, seed)
    Y = rng.normal(size=(n, k))
    lam = draw(st.sampled_from([0.01, 1.0]))
    alpha = draw(st.sampled_from([0.1, 1.0, 40.0]))
    return R, Y, lam, alpha


@settings(max_examples=60, deadline=None)
@given(counts_and_factors())
def test_shortcut_half_step_equals_naive_solve_over_all_items(case):
    # Y^T Y once plus the n_u interactions (the kernel) against the system
    # built over all n items with the dense C^u (the paper's eq. 4 as
    # written), row by row.
    R, Y, lam, alpha = case
    W = sp.csr_matrix(alpha * R)
    got = ia._half_step(W, Y, lam, "R")
    want = naive_solve(R, Y, lam, alpha)
    assert np.allclose(got, want, rtol=1e-10, atol=1e-10)


def test_half_step_is_a_stationary_point_by_finite_differences(rng):
    # Independent of the normal equations: after the user step, the
    # partial derivatives of J in every user coordinate are zero.
    R = counts(15, 12, 0.3, 5)
    lam, alpha, k = 0.3, 4.0, 3
    V = rng.normal(size=(12, k))
    U = ia._half_step(sp.csr_matrix(alpha * R), V, lam, "R")
    h = 1e-5
    for u, f in [(0, 0), (1, 2), (7, 1), (14, 0)]:
        up, down = U.copy(), U.copy()
        up[u, f] += h
        down[u, f] -= h
        slope = (
            ia.implicit_objective(R, up, V, lam, alpha)
            - ia.implicit_objective(R, down, V, lam, alpha)
        ) / (2 * h)
        assert abs(slope) < 1e-5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_objective_equals_brute_force_sum_over_all_pairs(seed):
    rng = np.random.default_rng(seed)
    R = counts(13, 11, 0.3, seed)
    U, V = rng.normal(size=(13, 4)), rng.normal(size=(11, 4))
    got = ia.implicit_objective(sp.csr_matrix(R), U, V, 0.7, 3.5)
    assert got == pytest.approx(
        brute_objective(R, U, V, 0.7, 3.5), rel=1e-12
    )


@pytest.mark.parametrize(
    "lam, alpha, seed", [(0.25, 2.0, 0), (1.0, 40.0, 1), (0.0, 0.5, 2)]
)
def test_objective_equals_implicit_librarys_loss(lam, alpha, seed):
    from implicit.cpu._als import calculate_loss

    # calculate_loss(Cui, X, Y, reg) returns
    #   [sum_obs c (1 - s)^2 + sum_unobs s^2 + reg (|X|^2 + |Y|^2)]
    #   / (sum_obs c + m n - nnz),
    # with c the stored values of Cui: it divides J by the sum of all m n
    # confidences. So J = loss * (sum of 1 + alpha r over the
    # interactions + m n - nnz), given Cui = 1 + alpha r. Counts, alpha and
    # lam are exact in float32 (it casts Cui's values and reg).
    rng = np.random.default_rng(seed)
    R = counts(25, 18, 0.25, seed)
    U, V = rng.normal(size=(25, 6)), rng.normal(size=(18, 6))
    C = sp.csr_matrix(R)
    C.data = 1.0 + alpha * C.data
    assert np.array_equal(C.data.astype(np.float32), C.data)
    total = C.data.sum() + R.size - C.nnz
    loss = calculate_loss(C, U, V, lam, num_threads=1)
    ours = ia.implicit_objective(R, U, V, lam, alpha)
    assert ours == pytest.approx(loss * total, rel=1e-12)


@pytest.mark.parametrize(
    "lam, alpha, k, seed", [(0.1, 2.0, 4, 0), (1.0, 40.0, 8, 1)]
)
def test_fit_equals_implicit_librarys_cholesky_als(lam, alpha, k, seed):
    from implicit.cpu.als import AlternatingLeastSquares

    # implicit 0.7.3 keeps factors set before fit() ("Initialize the
    # variables randomly if they haven't already been set"); its first
    # user step reads only the item factors, as ours. Same start, same
    # confidences (1 + alpha r given with its alpha = 1, exact in
    # float32), float64 factors, Cholesky (use_cg=False): the factors
    # agree to rounding, 1e-9 after 5 iterations.
    R = counts(40, 30, 0.2, seed)
    U0, V0 = initial_factors(40, 30, k, seed=seed)
    ours = ia.fit_implicit_als(
        R, k, lam, alpha=alpha, n_iters=5, init=(U0, V0)
    )
    C = sp.csr_matrix(R)
    C.data = 1.0 + alpha * C.data
    assert np.array_equal(C.data.astype(np.float32), C.data)
    model = AlternatingLeastSquares(
        factors=k,
        regularization=lam,
        alpha=1.0,
        use_cg=False,
        iterations=5,
        dtype=np.float64,
        num_threads=1,
    )
    model.user_factors = U0.copy()
    model.item_factors = V0.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its BLAS-threads advice
        model.fit(C, show_progress=False)
    assert model.user_factors.dtype == np.float64
    assert np.max(np.abs(model.user_factors - ours.U)) < 1e-9
    assert np.max(np.abs(model.item_factors - ours.V)) < 1e-9


@pytest.mark.parametrize("alpha", [0.1, 40.0])
def test_objective_never_increases_half_step_by_half_step(alpha):
    R = synthetic_ratings(
        n_users=60,
        n_items=45,
        rank=3,
        density=0.2,
        min_ratings_per_user=3,
        seed=6,
    ).ratings
    lam, k = 0.2, 5
    U, V = initial_factors(*R.shape, k, seed=2)
    W = sp.csr_matrix(R) * alpha
    last = ia.implicit_objective(R, U, V, lam, alpha)
    for _ in range(8):
        U = ia._half_step(W, V, lam, "R")
        now = ia.implicit_objective(R, U, V, lam, alpha)
        assert now <= last * (1 + 1e-12)
        last = now
        V = ia._half_step(W.T.tocsr(), U, lam, "R")
        now = ia.implicit_objective(R, U, V, lam, alpha)
        assert now <= last * (1 + 1e-12)
        last = now
    res = ia.fit_implicit_als(R, k, lam, alpha=alpha, n_iters=8, seed=2)
    J = res.history["objective"]
    assert J.shape == (9,)
    assert np.all(np.diff(J) <= 1e-12 * J[:-1])


def test_users_and_items_without_interactions_get_zero_factors():
    R = counts(20, 15, 0.3, 7)
    res = ia.fit_implicit_als(R, 3, 0.1, alpha=2.0, n_iters=2, seed=0)
    assert np.all(res.U[1] == 0) and np.all(res.V[2] == 0)
    assert np.all(np.isfinite(res.U)) and np.all(np.isfinite(res.V))


def test_lam_zero_singular_rows_get_the_least_squares_solution():
    # lam = 0 and k = 3 > the 2 items: Y^T C^u Y is singular for every
    # user; the fit answers with the minimum-norm solution (finite, and a
    # minimizer: J no higher than with lam > 0's answer).
    R = np.array([[2.0, 0.0], [1.0, 3.0], [0.0, 1.0]])
    res = ia.fit_implicit_als(R, 3, 0.0, alpha=1.0, n_iters=3, seed=1)
    assert np.all(np.isfinite(res.U)) and np.all(np.isfinite(res.V))
    assert np.all(np.diff(res.history["objective"]) <= 1e-9)
    # The reference solves with numpy.linalg.solve: a named refusal.
    with pytest.raises(ValueError, match=r"singular: lam is 0"):
        ia.implicit_als_reference(R, 3, 0.0, alpha=1.0, n_iters=3, seed=1)


def test_history_callback_seed_and_init(small_data):
    R = small_data
    init = initial_factors(*R.shape, 3, seed=5)
    keep = init[0].copy(), init[1].copy()
    seen = []
    res = ia.fit_implicit_als(
        R,
        3,
        0.1,
        alpha=5.0,
        n_iters=4,
        init=init,
        callback=lambda t, U, V: seen.append((t, U, V)),
    )
    assert np.array_equal(init[0], keep[0])
    assert np.array_equal(init[1], keep[1])
    assert [t for t, _, _ in seen] == [1, 2, 3, 4]
    assert np.array_equal(seen[-1][1], res.U)
    for t, U, V in seen:
        assert res.history["objective"][t] == pytest.approx(
            ia.implicit_objective(R, U, V, 0.1, 5.0), rel=1e-12
        )
    assert res.history["objective"][0] == pytest.approx(
        ia.implicit_objective(R, *init, 0.1, 5.0), rel=1e-12
    )
    a = ia.fit_implicit_als(R, 3, 0.1, alpha=5.0, n_iters=2, seed=9)
    b = ia.fit_implicit_als(R, 3, 0.1, alpha=5.0, n_iters=2, seed=9)
    assert np.array_equal(a.U, b.U) and np.array_equal(a.V, b.V)
    assert (res.k, res.lam, res.alpha) == (3, 0.1, 5.0)
    with pytest.raises(TypeError, match="callback"):
        ia.fit_implicit_als(R, 3, 0.1, alpha=5.0, n_iters=1, callback=3)


FUNCTIONS = [ia.fit_implicit_als, ia.implicit_als_reference]


@pytest.mark.parametrize("fit", FUNCTIONS)
@pytest.mark.parametrize("sparse", [False, True])
def test_negative_entries_are_refused_by_name(fit, sparse):
    R = counts(6, 5, 0.5, 0)
    R[2, 3] = -1.0
    R = sp.csr_matrix(R) if sparse else R
    with pytest.raises(
        ValueError, match=r"\bR\b.*confidences must be >= 1"
    ):
        fit(R, 2, 0.1, alpha=1.0, n_iters=1)
    with pytest.raises(
        ValueError, match=r"\bR\b.*confidences must be >= 1"
    ):
        ia.implicit_objective(R, np.ones((6, 2)), np.ones((5, 2)), 0.1, 1)


@pytest.mark.parametrize("fit", FUNCTIONS)
def test_bad_scalars_are_refused_by_name(fit):
    R = counts(6, 5, 0.5, 0)
    for alpha in (0.0, -1.0, float("nan"), float("inf"), 1e7):
        with pytest.raises(ValueError, match=r"\balpha\b"):
            fit(R, 2, 0.1, alpha=alpha, n_iters=1)
    with pytest.raises(TypeError, match=r"\balpha\b"):
        fit(R, 2, 0.1, alpha="40", n_iters=1)
    for lam in (-0.1, float("nan"), 1e7):
        with pytest.raises(ValueError, match=r"\blam\b"):
            fit(R, 2, lam, alpha=1.0, n_iters=1)
    with pytest.raises(ValueError, match=r"\bk\b"):
        fit(R, 0, 0.1, alpha=1.0, n_iters=1)
    with pytest.raises(ValueError, match=r"k must be <= 1000 for ALS"):
        fit(R, 1001, 0.1, alpha=1.0, n_iters=1)
    with pytest.raises(ValueError, match=r"\bn_iters\b"):
        fit(R, 2, 0.1, alpha=1.0, n_iters=-1)
    with pytest.raises(TypeError, match=r"\bn_iters\b"):
        fit(R, 2, 0.1, alpha=1.0, n_iters=2.5)
    with pytest.raises(ValueError, match=r"init\[1\]"):
        fit(
            R,
            2,
            0.1,
            alpha=1.0,
            n_iters=1,
            init=(np.ones((6, 2)), np.ones((4, 2))),
        )
    for bad in (np.zeros((6, 5)), sp.csr_matrix((6, 5))):
        with pytest.raises(ValueError, match=r"\bR\b.*no observed"):
            fit(bad, 2, 0.1, alpha=1.0, n_iters=1)
    nan = R.copy()
    nan[0, 1] = np.nan
    with pytest.raises(ValueError, match=r"\bR\b.*NaN"):
        fit(nan, 2, 0.1, alpha=1.0, n_iters=1)


def test_objective_refuses_bad_factors_and_overflow():
    R = counts(6, 5, 0.5, 0)
    U, V = np.ones((6, 2)), np.ones((5, 2))
    with pytest.raises(ValueError, match=r"\bV\b"):
        ia.implicit_objective(R, U, np.ones((4, 2)), 0.1, 1.0)
    bad = U.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"\bU\b"):
        ia.implicit_objective(R, bad, V, 0.1, 1.0)
    with pytest.raises(ValueError, match=r"\balpha\b"):
        ia.implicit_objective(R, U, V, 0.1, 0.0)
    with pytest.raises(ValueError, match="overflow"):
        ia.implicit_objective(R, U * 1e200, V, 0.1, 1.0)


def test_reference_refuses_a_matrix_too_big_for_dense_loops():
    huge = sp.csr_matrix(
        (np.array([4.0, 2.0]), (np.array([0, 1]), np.array([3, 5]))),
        shape=(20_000, 10_000),
    )
    with pytest.raises(ValueError, match="use fit_implicit_als"):
        ia.implicit_als_reference(huge, 2, 0.1, alpha=1.0, n_iters=1)


@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_objective_equals_brute_force_sum(seed):
    rng = np.random.default_rng(seed)
    R = counts(14, 11, 0.3, seed)
    U, V = rng.normal(size=(14, 3)), rng.normal(size=(11, 3))
    got = ia.implicit_objective(R, U, V, 0.7, 3.5, penalty="weighted")
    assert got == pytest.approx(
        brute_objective(R, U, V, 0.7, 3.5, weighted=True), rel=1e-12
    )
    assert got != pytest.approx(ia.implicit_objective(R, U, V, 0.7, 3.5))


def test_weighted_half_steps_never_increase_the_weighted_objective():
    # Each half-step of the weighted fit minimizes the weighted J in its
    # block; checked between half-steps through the callback's factors.
    R = counts(30, 25, 0.2, 7)
    seen = []
    fit = ia.fit_implicit_als(
        R,
        3,
        0.2,
        alpha=5.0,
        n_iters=6,
        seed=1,
        penalty="weighted",
        callback=lambda t, U, V: seen.append((U, V)),
    )
    J = fit.history["objective"]
    assert np.all(np.diff(J) <= 1e-9 * J[0])
    for (U, V), want in zip(seen, J[1:]):
        assert ia.implicit_objective(
            R, U, V, 0.2, 5.0, penalty="weighted"
        ) == pytest.approx(want, rel=1e-12)


def test_regularization_is_refused_by_name():
    R = counts(6, 5, 0.5, 0)
    for bad in ("ridge", None, 1):
        with pytest.raises((TypeError, ValueError), match="penalty"):
            ia.fit_implicit_als(
                R, 2, 0.1, alpha=1.0, n_iters=1, penalty=bad
            )
        with pytest.raises((TypeError, ValueError), match="penalty"):
            ia.implicit_objective(
                R, np.ones((6, 2)), np.ones((5, 2)), 0.1, 1.0, penalty=bad
            )
