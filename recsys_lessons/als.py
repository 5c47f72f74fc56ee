r"""Alternating Least Squares for the objective (MF) of :mod:`mf` (Ch. 2).

With V fixed, J splits into one ridge regression per user; setting the
gradient of user i's part to zero gives the normal equations (ALS-U)

.. math:: \big(V_{\Omega_i}^\top V_{\Omega_i} + \lambda w_i I_k\big)\, u_i
          = V_{\Omega_i}^\top r_{i,\Omega_i},

where :math:`\Omega_i` are the items user i rated, :math:`w_i = 1`
("plain", the update the lesson states) or :math:`n_i = |\Omega_i|`
("weighted", the lesson's code; ALS-WR). The item step (ALS-V) is the
same with the roles swapped. Each half-step minimizes exactly, in one
block, the J whose penalty matches its weights, so that J never increases
(block coordinate descent); another J (or the RMSE) may.

Users or items with no ratings do not appear in the data term; the minimizer
of their penalty is the zero vector, which is what they get (their
predictions are 0; the lesson's code skips them instead, leaving their
random start). With ``lam=0`` and fewer ratings than ``k`` the system is
singular; the minimum-norm solution is used then.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
import scipy.linalg

from . import mf
from ._deprecation import renamed_keyword
from ._rating_model import RatingModel
from ._validation import (
    MAX_FACTOR_ENTRIES,
    check_choice,
    check_factor_size,
    check_factors,
    check_finite_result,
    check_init,
    check_int,
    check_k,
    check_lam,
    check_n_iters,
    check_ratings,
    check_rng,
    check_same_shape,
)

__all__ = [
    "ALSResult",
    "fit_als",
    "als_reference",
    "solve_factors",
    "initial_factors",
    "lesson_start",
    "ResidualALS",
    "fit_als_on_residuals",
]


@dataclass
class ALSResult(RatingModel):
    """Fitted factors and the per-iteration history of :func:`fit_als`.

    ``history`` maps ``"objective"``, ``"train_rmse"`` and (with test
    data) ``"test_rmse"`` to arrays of length ``n_iters + 1``; entry 0 is
    the start. ``"objective"`` is J with the penalty of the fit
    (``penalty``). ``predict`` gives ``u_i . v_j``.
    """

    U: np.ndarray
    V: np.ndarray
    history: dict = field(default_factory=dict)
    k: int = 0
    lam: float = 0.0
    penalty: str = "weighted"

    @property
    def regularization(self):
        """The old name of :attr:`penalty` (deprecated; one release)."""
        warnings.warn(
            "the attribute regularization is now penalty; regularization "
            "will stop working in the next release",
            FutureWarning,
            stacklevel=2,
        )
        return self.penalty

    @property
    def shape(self):
        return (self.U.shape[0], self.V.shape[0])

    def _predict(self, rows, cols):
        # u_i . v_j; rows and cols were checked by RatingModel.predict.
        return mf.predict(self.U, self.V, rows, cols)


# The normal equations (ALS-U) are k x k: every thread of the compiled
# kernel holds one (8 k^2 bytes) and each user or item costs about k^3 / 3
# operations to solve, so k = 1000 is already 3e8 operations per row
# (hours for one sweep on MovieLens-sized data).
MAX_ALS_K = 1000
# Rows solved per task of the parallel loop, sharing one set of scratch
# arrays.
_CHUNK = 32
# Row lengths are padded with zeros to a multiple of this, so that the
# compiled dot products of implicit_als run only full vector iterations.
_PAD = 16


@numba.njit(cache=True, inline="always")
def _padded(n):
    # n rounded up to a multiple of _PAD.
    return (n + _PAD - 1) // _PAD * _PAD


@numba.njit(cache=True, inline="always")
def _chunk_width(indptr, lo, hi):
    # The padded length of the longest row lo .. hi - 1: the width of the
    # scratch arrays a chunk of rows shares.
    longest = 0
    for i in range(lo, hi):
        longest = max(longest, indptr[i + 1] - indptr[i])
    return _padded(longest)


@numba.njit(cache=True, inline="always")
def _cholesky_solve(A, b):
    # Solves A x = b in place (x in b) through A = L L^T in the lower
    # triangle of A, keeping 1 / L[a, a] on the diagonal so that the
    # substitutions multiply instead of divide. A pivot at rounding level
    # means a singular system, which the caller solves another way: returns
    # False then.
    k = b.size
    biggest = 0.0
    for a in range(k):
        biggest = max(biggest, A[a, a])
    for a in range(k):
        s = A[a, a]
        for c in range(a):
            s -= A[a, c] * A[a, c]
        if s <= 1e-12 * biggest:
            return False
        inv = 1.0 / np.sqrt(s)
        A[a, a] = inv
        for r in range(a + 1, k):
            t = A[r, a]
            for c in range(a):
                t -= A[r, c] * A[a, c]
            A[r, a] = t * inv
    for a in range(k):
        t = b[a]
        for c in range(a):
            t -= A[a, c] * b[c]
        b[a] = t * A[a, a]
    for a in range(k - 1, -1, -1):
        t = b[a]
        for c in range(a + 1, k):
            t -= A[c, a] * b[c]
        b[a] = t * A[a, a]
    return True


# No fastmath here, so that a fit gives the same bits on every x86-64
# processor (tests/test_cpu_targets.py): every operation is rounded as
# IEEE 754 says, in the order written, and no multiply is fused into an
# add. A reassociated (fastmath) dot product is summed in an order set by
# the vector width of the processor it was compiled for; with the
# ill-conditioned systems of small lambda and k near the ratings per row,
# those last-bit differences grew into different fits (Chapter 2's
# explorer differed by up to 0.75 in a predicted cell on another
# processor).
@numba.njit(cache=True, parallel=True)
def _solve_rows_kernel(indptr, indices, data, Y, reg, out, ok):
    # For row i, A = Y_i^T Y_i and b = Y_i^T r_i accumulate one rating at
    # a time (a rank-one update, in the ratings' order), so every entry is
    # summed in the same order on every processor. The innermost loop runs
    # over entries of A, independent of each other: the compiler
    # vectorizes it without reordering any sum.
    m = indptr.size - 1
    k = Y.shape[1]
    for chunk in numba.prange((m + _CHUNK - 1) // _CHUNK):
        lo = chunk * _CHUNK
        hi = min(m, lo + _CHUNK)
        A = np.empty((k, k))
        b = np.empty(k)
        for i in range(lo, hi):
            start = indptr[i]
            end = indptr[i + 1]
            if start == end:
                ok[i] = True
                out[i, :] = 0.0
                continue
            A[:, :] = 0.0
            b[:] = 0.0
            p = start
            # Eight ratings per pass over A (A read and written once, not
            # eight times), each entry still updated in the ratings' order.
            while p + 8 <= end:
                y0 = Y[indices[p]]
                y1 = Y[indices[p + 1]]
                y2 = Y[indices[p + 2]]
                y3 = Y[indices[p + 3]]
                y4 = Y[indices[p + 4]]
                y5 = Y[indices[p + 5]]
                y6 = Y[indices[p + 6]]
                y7 = Y[indices[p + 7]]
                for a in range(k):
                    x0, x1, x2, x3 = y0[a], y1[a], y2[a], y3[a]
                    x4, x5, x6, x7 = y4[a], y5[a], y6[a], y7[a]
                    for c in range(a + 1):
                        t = A[a, c] + x0 * y0[c]
                        t = t + x1 * y1[c]
                        t = t + x2 * y2[c]
                        t = t + x3 * y3[c]
                        t = t + x4 * y4[c]
                        t = t + x5 * y5[c]
                        t = t + x6 * y6[c]
                        A[a, c] = t + x7 * y7[c]
                    t = b[a] + x0 * data[p]
                    t = t + x1 * data[p + 1]
                    t = t + x2 * data[p + 2]
                    t = t + x3 * data[p + 3]
                    t = t + x4 * data[p + 4]
                    t = t + x5 * data[p + 5]
                    t = t + x6 * data[p + 6]
                    b[a] = t + x7 * data[p + 7]
                p += 8
            while p < end:
                y0 = Y[indices[p]]
                for a in range(k):
                    x0 = y0[a]
                    for c in range(a + 1):
                        A[a, c] += x0 * y0[c]
                    b[a] += x0 * data[p]
                p += 1
            for a in range(k):
                A[a, a] += reg[i]
            ok[i] = _cholesky_solve(A, b)
            out[i, :] = b


def _solve_rows(M, Y, lam, weights, blame):
    # Equation (ALS-U) for every row of the canonical CSR matrix M. An
    # overflow (ratings or factors near the float64 limit) is refused with
    # a ValueError naming ``blame``, the caller's arguments at fault.
    m, k = M.shape[0], Y.shape[1]
    out = np.empty((m, k))
    ok = np.empty(m, dtype=np.bool_)
    reg = lam * weights
    _solve_rows_kernel(M.indptr, M.indices, M.data, Y, reg, out, ok)
    for i in np.flatnonzero(~ok):
        lo, hi = M.indptr[i], M.indptr[i + 1]
        Ys = Y[M.indices[lo:hi]]
        A = Ys.T @ Ys + reg[i] * np.eye(k)
        rhs = Ys.T @ M.data[lo:hi]
        for part in (A, rhs):
            check_finite_result(
                part, "an entry of the normal equations (ALS-U)", blame
            )
        # Singular values below the pivot test's 1e-12 (relative) are
        # rounding noise of an exactly singular A: cut them, so that the
        # minimum-norm solution does not depend on that noise.
        out[i] = scipy.linalg.lstsq(A, rhs, cond=1e-12)[0]
    return check_finite_result(out, "a solved factor", blame)


def _sweep(M, Mt, V, lam, w_users, w_items):
    # One ALS iteration: (ALS-U) for every user, then (ALS-V) for every
    # item.
    U = _solve_rows(M, V, lam, w_users, _FIT_BLAME)
    return U, _solve_rows(Mt, U, lam, w_items, _FIT_BLAME)


_FIT_BLAME = "the values of R (or of init)"


@renamed_keyword("regularization", "penalty")
def solve_factors(R, Y, lam, *, penalty="weighted"):
    """One ALS half-step: the row factors minimizing J for fixed columns.

    Solves equation (ALS-U) for every row of ``R`` at once. For the item
    step pass ``R.T`` and the user factors.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed.
    Y : ndarray, shape (n, k)
        The fixed factors of the columns; finite, 1 <= k <= 1000.
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
    penalty : {"plain", "weighted"}

    Returns
    -------
    ndarray, shape (m, k)
        Finite; a ``ValueError`` naming R and Y if the normal equations
        overflow float64.

    Notes
    -----
    Defined in: Chapter 2.
    """
    M = check_ratings(R)
    Y = check_factors(Y, "Y", rows=M.shape[1])
    _check_als_k(Y.shape[1], "the number of columns of Y")
    lam = check_lam(lam)
    w_rows, _ = mf._regularization_weights(M, penalty)
    return _solve_rows(M, Y, lam, w_rows, "the values of R and Y")


def initial_factors(n_users, n_items, k, seed=0):
    """Random starting factors, entries ``N(0, 1/k)``, so ``u.v`` is O(1).

    Parameters
    ----------
    n_users, n_items, k : int >= 1
        With ``(n_users + n_items) * k <= MAX_FACTOR_ENTRIES`` (1e8).
    seed : int >= 0, numpy.random.Generator or None

    Returns
    -------
    (U0, V0) : tuple of ndarrays, shapes (n_users, k) and (n_items, k)

    Notes
    -----
    Defined in: Chapter 2.
    """
    n_users = check_int(n_users, "n_users", low=1)
    n_items = check_int(n_items, "n_items", low=1)
    k = check_k(k)
    check_factor_size(n_users, n_items, k)
    rng = check_rng(seed)
    scale = 1.0 / np.sqrt(k)
    return rng.normal(0.0, scale, (n_users, k)), rng.normal(
        0.0, scale, (n_items, k)
    )


def lesson_start(n_users, n_items, k, seed=42):
    """The random start of the lesson's ALS example, number for number.

    The lesson's code seeds NumPy's legacy global generator
    (``np.random.seed(42)``), then draws ``U = np.random.randn(m, k) * 0.1``
    and after it ``V = np.random.randn(n, k) * 0.1``. A private
    ``numpy.random.RandomState(seed)`` produces the same stream, so this
    returns the identical factors without touching NumPy's global state.

    Parameters
    ----------
    n_users, n_items, k : int >= 1
        ``m``, ``n`` and ``k`` of the lesson's code, with
        ``(n_users + n_items) * k <= MAX_FACTOR_ENTRIES`` (1e8).
    seed : int, 0 <= seed <= 2**32 - 1
        42 in the lesson; other values give other starts drawn the same way.

    Returns
    -------
    (U0, V0) : tuple of ndarrays, shapes (n_users, k) and (n_items, k)
        Pass as ``init=`` to :func:`fit_als`.

    Notes
    -----
    Defined in: Chapter 2.
    """
    n_users = check_int(n_users, "n_users", low=1)
    n_items = check_int(n_items, "n_items", low=1)
    k = check_k(k)
    check_factor_size(n_users, n_items, k)
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    draws = np.random.RandomState(seed)
    U0 = draws.randn(n_users, k) * 0.1
    V0 = draws.randn(n_items, k) * 0.1
    return U0, V0


def _check_als_k(k, name="k"):
    if k > MAX_ALS_K:
        raise ValueError(
            f"{name} must be <= {MAX_ALS_K} for ALS (each row's normal "
            f"equations are k x k, solved in k^3 / 3 operations), got {k}"
        )


def _check_scalars(M, k, lam, n_iters, penalty):
    k = check_k(k)
    _check_als_k(k)
    check_factor_size(
        *M.shape, k, ("m (rows of R)", "n (columns of R)", "k")
    )
    lam = check_lam(lam)
    n_iters = check_n_iters(n_iters)
    penalty = check_choice(penalty, "penalty", mf.PENALTIES)
    return k, lam, n_iters, penalty


def _check_common(R, k, lam, n_iters, penalty, init, seed, test):
    M = check_ratings(R)
    k, lam, n_iters, penalty = _check_scalars(M, k, lam, n_iters, penalty)
    if init is None:
        U, V = initial_factors(M.shape[0], M.shape[1], k, seed)
    else:
        U, V = check_init(init, M.shape, k)
    T = None
    if test is not None:
        T = check_ratings(test, "test")
        check_same_shape(M, T, "R", "test")
    return M, k, lam, n_iters, penalty, U, V, T


def _check_callback(callback):
    if callback is not None and not callable(callback):
        raise TypeError(
            "callback must be callable as callback(t, U, V) or None, got "
            f"{type(callback).__name__}"
        )


class _History:
    # Inputs were validated by the caller, so the unchecked internals are
    # used.
    def __init__(self, M, T, lam, weights):
        self.M, self.T, self.lam, self.weights = M, T, lam, weights
        self.rows = {"objective": [], "train_rmse": []}
        if T is not None:
            self.rows["test_rmse"] = []

    def record(self, U, V):
        objective, rmse = mf._objective_and_rmse(
            self.M, U, V, self.lam, *self.weights
        )
        # Ratings or starting factors near the float64 limit overflow the
        # squared errors: refused by name, never a silent inf in history.
        check_finite_result(
            (objective, rmse), "the objective J(U, V)", _FIT_BLAME
        )
        self.rows["objective"].append(objective)
        self.rows["train_rmse"].append(rmse)
        if self.T is not None:
            self.rows["test_rmse"].append(
                check_finite_result(
                    mf._rmse(self.T, U, V),
                    "the test RMSE",
                    "the values of test",
                )
            )

    def arrays(self):
        return {key: np.array(val) for key, val in self.rows.items()}


@renamed_keyword("regularization", "penalty")
def fit_als(
    R,
    k,
    lam,
    *,
    n_iters=10,
    penalty="weighted",
    init=None,
    seed=0,
    test=None,
    callback=None,
):
    """Fit ``R ~ U V^T`` by Alternating Least Squares (users, then items).

    Each iteration applies (ALS-U) to every user, then the item analogue
    (ALS-V) to every item. Compiled with numba; agrees with the readable
    :func:`als_reference` to 1e-10 from the same start.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n)
        Training ratings; 0 = unobserved. Finite real values, at least one
        observed; values whose squares overflow float64 (above about
        1e150) are refused.
    k : int, 1 <= k <= 1000
        Number of latent factors, with ``(m + n) * k <=
        MAX_FACTOR_ENTRIES`` (1e8). The k x k normal equations of every
        row make a larger k impractical (``MAX_ALS_K``).
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
        Regularization strength lambda.
    n_iters : int, 0 <= n_iters <= MAX_ITERATIONS (100000)
        Full sweeps (users then items).
    penalty : {"weighted", "plain"}
        ``"weighted"`` penalizes ``lam * n_i * |u_i|^2``: the update of the
        lesson's code (ALS-WR), and its formula read with the penalty
        inside the sum over the ratings. ``"plain"`` penalizes
        ``lam * |u_i|^2``: the update the lesson states
        (``lambda I``), and its formula read with the penalty outside the
        sum.
    init : tuple (U0, V0), optional
        Starting factors, finite, shapes (m, k) and (n, k); otherwise
        :func:`initial_factors` with ``seed``. :func:`lesson_start` gives
        the lesson's start.
    seed : int >= 0, Generator or None
    test : array or sparse matrix, optional
        Held-out ratings of the same shape, for ``history["test_rmse"]``.
    callback : callable, optional
        Called as ``callback(t, U, V)`` after sweep ``t = 1 .. n_iters``
        with that sweep's factors, for quantities the history does not
        keep (Chapter 2 tracks the lesson's printed loss this way).

    Returns
    -------
    ALSResult

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If an argument is outside the range given above (the message names
        it and the range), ``R`` holds NaN or no rating, or the objective
        overflows float64.

    Notes
    -----
    Defined in: Chapter 2.

    Examples
    --------
    >>> from recsys_lessons import als
    >>> from recsys_lessons.data import toy_ratings
    >>> R = toy_ratings()  # the lesson's 5 x 5 matrix, 0 = unobserved
    >>> fit = als.fit_als(R, 2, 0.1, n_iters=20, penalty="weighted", seed=0)
    >>> fit.U.shape, fit.V.shape
    ((5, 2), (5, 2))
    >>> round(float(fit.history["train_rmse"][-1]), 2)
    0.18
    >>> round(float(fit.predict([0], [2])[0]), 2)  # an unobserved cell
    3.57
    """
    M, k, lam, n_iters, penalty, U, V, T = _check_common(
        R, k, lam, n_iters, penalty, init, seed, test
    )
    _check_callback(callback)
    Mt = M.T.tocsr()
    weights = mf._regularization_weights(M, penalty)
    history = _History(M, T, lam, weights)
    history.record(U, V)
    for t in range(1, n_iters + 1):
        U, V = _sweep(M, Mt, V, lam, *weights)
        history.record(U, V)
        if callback is not None:
            callback(t, U, V)
    return ALSResult(U, V, history.arrays(), k, lam, penalty)


@renamed_keyword("regularization", "penalty")
def als_reference(
    R,
    k,
    lam,
    *,
    n_iters=10,
    penalty="weighted",
    init=None,
    seed=0,
    test=None,
    callback=None,
):
    """ALS as plain loops, shaped like the lesson's code; a test oracle.

    Same arguments, accepted ranges and result as :func:`fit_als`, but a
    dense Python loop over users and items with ``numpy.linalg.solve``,
    as in the lesson's code: slow, and ``lam`` must be > 0 when a user or
    an item has fewer than ``k`` ratings. Its k x k system is then
    singular at ``lam = 0``; ``numpy.linalg.solve`` would raise or return
    numbers set by rounding (different on another processor), so that
    case is refused up front with a ``ValueError`` naming ``lam``. A
    system left singular at ``lam = 0`` for another reason (rated items'
    factors spanning fewer than k directions) raises a ``ValueError``
    naming ``lam`` and the user or item when it is met.
    :func:`fit_als` solves both (the minimum-norm solution). Unlike the
    lesson's code
    it offers both penalties and sets the factors of users or items
    without ratings to zero. It works on the dense m x n matrix, so
    ``m * n <= MAX_FACTOR_ENTRIES`` (1e8).

    Notes
    -----
    Defined in: Chapter 2.
    """
    M, k, lam, n_iters, penalty, U, V, T = _check_common(
        R, k, lam, n_iters, penalty, init, seed, test
    )
    _check_callback(callback)
    if M.shape[0] * M.shape[1] > MAX_FACTOR_ENTRIES:
        raise ValueError(
            f"R of shape {M.shape} has more than MAX_FACTOR_ENTRIES = "
            f"{MAX_FACTOR_ENTRIES} cells: als_reference works on the dense "
            "matrix; use fit_als"
        )
    if lam == 0:
        _refuse_singular(M, k)
    Rd = M.toarray()
    history = _History(M, T, lam, mf._regularization_weights(M, penalty))
    history.record(U, V)
    for t in range(1, n_iters + 1):
        _reference_sweep(Rd, U, V, lam, penalty)
        for F in (U, V):
            check_finite_result(F, "a factor", _FIT_BLAME)
        history.record(U, V)
        if callback is not None:
            # U and V are updated in place; the callback gets copies.
            callback(t, U.copy(), V.copy())
    return ALSResult(U, V, history.arrays(), k, lam, penalty)


def _refuse_singular(M, k):
    # At lam = 0 a user (item) with 0 < n < k ratings has a k x k system
    # of rank at most n. Counting ratings decides it exactly; a rank or
    # condition number test on the floating-point matrix would not.
    for who, counts in (
        ("user", np.diff(M.indptr)),
        ("item", np.bincount(M.indices, minlength=M.shape[1])),
    ):
        short = np.flatnonzero((counts > 0) & (counts < k))
        if short.size:
            i = int(short[0])
            raise ValueError(
                f"lam = 0 leaves the {k} x {k} system of {who} {i} "
                f"singular ({int(counts[i])} ratings < k = {k}); "
                "give lam > 0, or use fit_als (minimum-norm solution)"
            )


def _reference_sweep(Rd, U, V, lam, penalty):
    # One iteration of loops shaped like the lesson's on the dense matrix
    # Rd: every user, then every item; U and V are updated in place.
    m, n = Rd.shape
    k = U.shape[1]
    for i in range(m):
        rated = Rd[i, :] != 0
        n_i = rated.sum()
        if n_i == 0:
            U[i] = 0.0
            continue
        V_i = V[rated]
        weight = n_i if penalty == "weighted" else 1.0
        A = V_i.T @ V_i + lam * weight * np.eye(k)
        U[i] = _solve(A, V_i.T @ Rd[i, rated], "user", i, lam)
    for j in range(n):
        rated = Rd[:, j] != 0
        n_j = rated.sum()
        if n_j == 0:
            V[j] = 0.0
            continue
        U_j = U[rated]
        weight = n_j if penalty == "weighted" else 1.0
        A = U_j.T @ U_j + lam * weight * np.eye(k)
        V[j] = _solve(A, U_j.T @ Rd[rated, j], "item", j, lam)


def _solve(A, b, who, index, lam):
    # With lam > 0 and at least one rating, A is positive definite. At
    # lam = 0, k ratings or more can still leave it singular (factors of
    # the rated items that span fewer than k directions, e.g. a zero
    # start): say so by name instead of a bare LinAlgError.
    try:
        return np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"lam = {lam:g}: the {A.shape[0]} x {A.shape[0]} system of "
            f"{who} {index} is singular (the factors it is solved against "
            "span fewer than k directions); give lam > 0, or use fit_als "
            "(minimum-norm solution)"
        ) from None


@dataclass
class ResidualALS(RatingModel):
    """A bias baseline plus factors fitted to what it leaves unexplained.

    Predicts ``baseline(u, i) + u_u . v_i`` (Part III). Users and items with
    no training ratings fall back to the baseline, which is what makes the
    model usable on items it has never seen.
    """

    baseline: object
    U: np.ndarray
    V: np.ndarray

    def _predict(self, rows, cols):
        # baseline(u, i) + u_u . v_i; RatingModel.predict checked indices.
        base = _baseline_predictions(self.baseline, rows, cols)
        return base + mf.predict(self.U, self.V, rows, cols)

    @property
    def shape(self):
        return (self.U.shape[0], self.V.shape[0])


@renamed_keyword("regularization", "penalty")
def fit_als_on_residuals(
    R, baseline, k, lam, *, n_iters=15, penalty="weighted", seed=0
):
    """Fit :func:`fit_als` to ``R`` minus a fitted baseline's predictions.

    Two stages: the baseline first, then factors for what it leaves.

    Parameters
    ----------
    R : array or sparse matrix; 0 = unobserved
        Finite real ratings, at least one observed; the shape the baseline
        was fitted to (when the baseline has a ``shape``).
    baseline : object with ``predict(rows, cols)``
        For example a ``baselines.BiasModel``; it must return one finite
        prediction per pair.
    k, lam, n_iters, penalty, seed
        As in :func:`fit_als` (same accepted ranges).

    Returns
    -------
    ResidualALS

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If an argument is outside the range given above (named), or
        ``baseline``'s shape differs from ``R``'s.

    Notes
    -----
    Defined in: Part III.

    Examples
    --------
    >>> from recsys_lessons import als, baselines
    >>> from recsys_lessons.data import toy_ratings
    >>> R = toy_ratings()
    >>> base = baselines.fit_biases(R, n_iters=20)
    >>> fit = als.fit_als_on_residuals(R, base, 2, 0.1, n_iters=10)
    >>> round(base.rmse(R), 2), round(fit.rmse(R), 2)
    (1.53, 0.19)
    """
    M = check_ratings(R)
    if not callable(getattr(baseline, "predict", None)):
        raise TypeError(
            "baseline must have a predict(rows, cols) method, "
            "e.g. baselines.fit_biases(...)"
        )
    shape = getattr(baseline, "shape", None)
    if shape is not None and tuple(shape) != M.shape:
        raise ValueError(
            f"R has shape {M.shape} but the baseline was fitted to shape "
            f"{tuple(shape)}; pass the ratings the baseline was fitted to"
        )
    _check_scalars(M, k, lam, n_iters, penalty)
    check_rng(seed)
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    residual = M.copy()
    residual.data = M.data - _baseline_predictions(
        baseline, rows, M.indices
    )
    check_finite_result(
        residual.data, "R minus the baseline", "the values of R"
    )
    # A residual of exactly 0 would read as "unobserved"; nudge it to the
    # smallest representable magnitude so that the rating stays in the fit.
    residual.data[residual.data == 0] = np.finfo(float).tiny
    fit = fit_als(
        residual, k, lam, n_iters=n_iters, penalty=penalty, seed=seed
    )
    return ResidualALS(baseline, fit.U, fit.V)


def _baseline_predictions(baseline, rows, cols):
    # A user-supplied baseline: one finite prediction per (checked) pair,
    # or an error naming it (never an IndexError from inside it).
    try:
        pred = np.asarray(baseline.predict(rows, cols), dtype=np.float64)
    except (IndexError, TypeError, ValueError) as exc:
        raise ValueError(
            f"baseline.predict(rows, cols) failed: {exc}; is the baseline "
            "fitted to ratings of this shape?"
        ) from None
    if pred.shape != rows.shape:
        raise ValueError(
            f"baseline.predict returned shape {pred.shape} for "
            f"{rows.size} pairs; it must return one prediction per pair"
        )
    return check_finite_result(
        pred, "the baseline's predictions", "the values of the baseline"
    )
