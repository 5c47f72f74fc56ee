r"""Confidence-weighted ALS for implicit feedback (Chapter 8).

Hu, Koren & Volinsky (2008). The data are counts (or any non-negative
strengths) :math:`r_{ui} \ge 0`, 0 meaning "no interaction". Each of the
:math:`m n` pairs gets a preference and a confidence (their eq. 1 and 2)

.. math:: p_{ui} = [r_{ui} > 0], \qquad c_{ui} = 1 + \alpha r_{ui},

and the objective (their eq. 3) sums over **all** pairs, observed or not:

.. math:: J(X, Y) = \sum_{u, i} c_{ui} (p_{ui} - x_u^\top y_i)^2
          + \lambda \Big(\sum_u \lVert x_u\rVert^2
                         + \sum_i \lVert y_i\rVert^2\Big).

The penalty is unweighted by default (``penalty="plain"``: one
:math:`\lambda` per factor vector), as in the paper and in the ``implicit``
library. ``penalty="weighted"`` multiplies each vector's penalty by
its number of interactions, :math:`\lambda n^+_u \lVert x_u\rVert^2` and
:math:`\lambda n^+_i \lVert y_i\rVert^2` (ALS-WR's weights, Chapter 2),
which is what Spark's ``ALS(implicitPrefs=True)`` solves (Chapter 8).
Here X is ``U`` (m x k) and Y is ``V`` (n x k).

With Y fixed, user u's part of J is a weighted ridge regression over all n
items; its minimizer (their eq. 4) is

.. math:: x_u = \big(Y^\top C^u Y + \lambda I\big)^{-1} Y^\top C^u p(u),
          \qquad Y^\top C^u Y = Y^\top Y + Y^\top (C^u - I) Y,

where :math:`C^u = \mathrm{diag}(c_{u1}, \dots, c_{un})` (with the
weighted penalty, :math:`\lambda n^+_u I` in place of :math:`\lambda I`).
:math:`Y^\top Y` is the same for every user and is computed once per
half-step; :math:`C^u - I` and :math:`C^u p(u)` are zero outside the
:math:`n_u` items the user interacted with, so each user costs
:math:`O(k^2 n_u + k^3)`, never touching the other items. The item step
(their eq. 5) is the same with the roles swapped. Each half-step minimizes
J exactly in one block, so J never increases.

Users or items without interactions get :math:`x_u = 0` (their right-hand
side is zero). Negative values would make a confidence below 1 (and, below
:math:`-1/\alpha`, negative: J would no longer be bounded below), so they
are refused.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
import scipy.linalg

from . import mf
from ._deprecation import renamed_keyword
from ._ranking_model import RankingModel
from ._validation import (
    MAX_FACTOR_ENTRIES,
    check_choice,
    check_factor_size,
    check_factors,
    check_finite_result,
    check_float,
    check_init,
    check_k,
    check_lam,
    check_n_iters,
    check_ratings,
)
from .als import (
    _CHUNK,
    _check_als_k,
    _check_callback,
    _cholesky_solve,
    _chunk_width,
    _padded,
    initial_factors,
)

__all__ = [
    "ImplicitALSResult",
    "fit_implicit_als",
    "implicit_objective",
    "implicit_als_reference",
]

# The confidence scale: the paper uses alpha = 40 on counts; above 1e6 the
# weight 1 of the unobserved pairs is negligible next to the observed ones
# and the fit is plain ALS on the ones (the same bound as MAX_LAMBDA).
MAX_ALPHA = 1e6


@dataclass
class ImplicitALSResult(RankingModel):
    """Fitted factors and the per-iteration history of
    :func:`fit_implicit_als`.

    ``U`` (m x k) holds the user factors :math:`x_u`, ``V`` (n x k) the
    item factors :math:`y_i`; ``U @ V.T`` scores the preferences
    :math:`p_{ui}`. ``history["objective"]`` is J (equation 3 of Hu, Koren
    & Volinsky 2008) at the start (entry 0) and after each iteration.
    """

    U: np.ndarray
    V: np.ndarray
    history: dict = field(default_factory=dict)
    k: int = 0
    lam: float = 0.0
    alpha: float = 0.0
    penalty: str = "plain"

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


# -------------------------------------------------------------------------
# Validation


def _check_counts(R, name="R"):
    # A canonical float64 CSR copy of R whose stored entries are r_ui > 0.
    M = check_ratings(R, name)
    if M.data.min() < 0:
        r = M.data.min()
        raise ValueError(
            f"{name} must be non-negative (counts r_ui >= 0), got {r:g}: "
            "confidences must be >= 1 (c_ui = 1 + alpha * r_ui)"
        )
    return M


def _check_rates(lam, alpha):
    lam = check_lam(lam)
    alpha = check_float(
        alpha, "alpha", low=0.0, low_open=True, high=MAX_ALPHA
    )
    return lam, alpha


def _check_regularization(penalty):
    return check_choice(penalty, "penalty", mf.PENALTIES)


def _penalty_weights(M, penalty):
    # (w_users, w_items): ones ("plain") or the numbers of interactions
    # n+_u and n+_i ("weighted", Spark's implicitPrefs penalty).
    return mf._regularization_weights(M, penalty)


def _check_fit(R, k, lam, alpha, n_iters, seed, init, callback, penalty):
    M = _check_counts(R)
    k = check_k(k)
    _check_als_k(k)
    check_factor_size(
        *M.shape, k, ("m (rows of R)", "n (columns of R)", "k")
    )
    lam, alpha = _check_rates(lam, alpha)
    n_iters = check_n_iters(n_iters)
    if init is None:
        U, V = initial_factors(M.shape[0], M.shape[1], k, seed)
    else:
        U, V = check_init(init, M.shape, k)
    _check_callback(callback)
    penalty = _check_regularization(penalty)
    return M, k, lam, alpha, n_iters, U, V, penalty


def _extra_confidence(M, alpha, blame):
    # The matrix C - I: alpha * r_ui at the interactions (the only places
    # where it is not zero).
    W = M.copy()
    with np.errstate(over="ignore"):
        W.data = alpha * M.data
    check_finite_result(W.data, "a confidence 1 + alpha * r_ui", blame)
    return W


_FIT_BLAME = "the values of R (or alpha, or init)"


# -------------------------------------------------------------------------
# The objective


@numba.njit(cache=True, parallel=True, fastmath={"reassoc", "contract"})
def _observed_part_kernel(indptr, indices, extra, U, V):
    # Sum over the interactions of c (1 - s)^2 - s^2 = 1 - 2 s + w (1 - s)^2
    # with s = u_u . v_i and w = c - 1 = alpha r.
    total = 0.0
    k = U.shape[1]
    for u in numba.prange(indptr.size - 1):
        for p in range(indptr[u], indptr[u + 1]):
            j = indices[p]
            s = 0.0
            for a in range(k):
                s += U[u, a] * V[j, a]
            e = 1.0 - s
            total += 1.0 - 2.0 * s + extra[p] * e * e
    return total


def _objective(W, U, V, lam, weights):
    # J of equation (3) from C - I (``W``), without the dense m x n matrix;
    # weights = (w_users, w_items) of the penalty.
    w_users, w_items = weights
    with np.errstate(over="ignore", invalid="ignore"):
        dense = float(np.sum((U.T @ U) * (V.T @ V)))
        observed = _observed_part_kernel(W.indptr, W.indices, W.data, U, V)
        penalty = float(
            w_users @ np.sum(U * U, axis=1)
            + w_items @ np.sum(V * V, axis=1)
        )
        return dense + observed + lam * penalty


@renamed_keyword("regularization", "penalty")
def implicit_objective(R, U, V, lam, alpha, *, penalty="plain"):
    r"""The implicit-feedback objective J(U, V), without the m x n matrix.

    J is equation 3 of Hu, Koren & Volinsky (2008) with
    :math:`p_{ui} = [r_{ui} > 0]`, :math:`c_{ui} = 1 + \alpha r_{ui}` and
    the unweighted penalty (module docstring). Its sum runs over all
    :math:`m n` pairs; it is computed as

    .. math:: \sum_{u,i} c_{ui}(p_{ui} - s_{ui})^2
              = \langle U^\top U, V^\top V\rangle_F
              + \sum_{r_{ui} > 0} \big[1 - 2 s_{ui}
                + \alpha r_{ui} (1 - s_{ui})^2\big],

    with :math:`s_{ui} = u_u^\top v_i`: every pair contributes
    :math:`s_{ui}^2` (confidence 1, preference 0), whose sum is
    :math:`\sum_{u,i} s_{ui}^2 = \mathrm{tr}(U^\top U\, V^\top V)`, the
    Frobenius product of the two k x k Gram matrices; each interaction then
    replaces its :math:`s^2` by :math:`c (1 - s)^2`, and
    :math:`c(1 - s)^2 - s^2 = 1 - 2s + \alpha r (1 - s)^2`. Cost
    :math:`O((m + n) k^2 + \mathrm{nnz}\, k)`.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n)
        Non-negative counts (or strengths) r_ui, 0 = no interaction, at
        least one interaction; finite.
    U : ndarray, shape (m, k)
        Finite user factors, k >= 1.
    V : ndarray, shape (n, k)
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
    alpha : float, 0 < alpha <= MAX_ALPHA (1e6)
    penalty : {"plain", "weighted"}
        The penalty: ``lam * (sum |x_u|^2 + sum |y_i|^2)`` ("plain", the
        paper's) or ``lam * (sum n+_u |x_u|^2 + sum n+_i |y_i|^2)`` with
        the numbers of interactions ("weighted", Spark's implicitPrefs;
        equation eq-spark-implicit of Chapter 8).

    Returns
    -------
    float
        Finite; a ``ValueError`` naming R, U, V, lam and alpha if it
        overflows float64.

    Notes
    -----
    Defined in: Chapter 8.
    """
    M = _check_counts(R)
    U = check_factors(U, "U", rows=M.shape[0])
    V = check_factors(V, "V", rows=M.shape[1], k=U.shape[1])
    lam, alpha = _check_rates(lam, alpha)
    penalty = _check_regularization(penalty)
    blame = "the values of R, U, V, lam or alpha"
    W = _extra_confidence(M, alpha, blame)
    weights = _penalty_weights(M, penalty)
    return check_finite_result(
        _objective(W, U, V, lam, weights), "the objective J(U, V)", blame
    )


# -------------------------------------------------------------------------
# The compiled half-step


@numba.njit(cache=True, parallel=True, fastmath={"reassoc", "contract"})
def _solve_rows_kernel(indptr, indices, extra, Y, base, reg, out, ok):
    # Equation (4) for every row. For row u, H holds the factors y_i of its
    # interactions as columns and G the same scaled by w = c_ui - 1, so that
    # A = base + reg[u] I + G H^T (base = Y^T Y, shared; reg[u] = lam or
    # lam n+_u) and b = sum of the
    # columns of H + G (c_ui y_i). Each entry is one contiguous dot
    # product over the zero-padded columns, which the compiler vectorizes
    # once it may reassociate the sum. Scratch arrays serve a chunk of
    # rows.
    m = indptr.size - 1
    k = Y.shape[1]
    for chunk in numba.prange((m + _CHUNK - 1) // _CHUNK):
        lo = chunk * _CHUNK
        hi = min(m, lo + _CHUNK)
        size = _chunk_width(indptr, lo, hi)
        H = np.empty((k, size))
        G = np.empty((k, size))
        A = np.empty((k, k))
        b = np.empty(k)
        for u in range(lo, hi):
            start = indptr[u]
            n = indptr[u + 1] - start
            if n == 0:
                # No interaction: the right-hand side is 0, so is x_u.
                ok[u] = True
                out[u, :] = 0.0
                continue
            width = _padded(n)
            for q in range(n):
                j = indices[start + q]
                w = extra[start + q]
                for a in range(k):
                    y = Y[j, a]
                    H[a, q] = y
                    G[a, q] = w * y
            H[:, n:width] = 0.0
            G[:, n:width] = 0.0
            for a in range(k):
                for c in range(a + 1):
                    s = 0.0
                    for q in range(width):
                        s += G[a, q] * H[c, q]
                    A[a, c] = base[a, c] + s
                A[a, a] += reg[u]
                s = 0.0
                for q in range(width):
                    s += H[a, q] + G[a, q]
                b[a] = s
            ok[u] = _cholesky_solve(A, b)
            out[u, :] = b


def _half_step(W, Y, lam, blame, weights=None):
    # Equation (4) for every row of W = C - I (canonical CSR, w = alpha r
    # at the interactions) with the column factors Y fixed; the penalty of
    # row u is lam * weights[u] (ones when None: the plain penalty). A
    # system that
    # the Cholesky factorization finds singular (lam = 0 and fewer useful
    # directions than k) gets the minimum-norm least-squares solution.
    m, k = W.shape[0], Y.shape[1]
    if weights is None:
        weights = np.ones(m)
    reg = lam * np.asarray(weights, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        base = Y.T @ Y
    check_finite_result(base, "Y^T Y", blame)
    out = np.empty((m, k))
    ok = np.empty(m, dtype=np.bool_)
    _solve_rows_kernel(W.indptr, W.indices, W.data, Y, base, reg, out, ok)
    for u in np.flatnonzero(~ok):
        lo, hi = W.indptr[u], W.indptr[u + 1]
        Ys, w = Y[W.indices[lo:hi]], W.data[lo:hi]
        with np.errstate(over="ignore", invalid="ignore"):
            A = base + reg[u] * np.eye(k) + Ys.T @ (w[:, None] * Ys)
            rhs = Ys.T @ (1.0 + w)
        for part in (A, rhs):
            check_finite_result(
                part, "an entry of the normal equations (4)", blame
            )
        out[u] = scipy.linalg.lstsq(A, rhs)[0]
    return check_finite_result(out, "a solved factor", blame)


def _sweep(W, Wt, V, lam, weights):
    # One iteration: equation (4) for every user, then (5) for every item;
    # W = C - I and Wt its transpose (both canonical CSR).
    U = _half_step(W, V, lam, _FIT_BLAME, weights[0])
    return U, _half_step(Wt, U, lam, _FIT_BLAME, weights[1])


def _record(history, W, U, V, lam, weights):
    J = _objective(W, U, V, lam, weights)
    check_finite_result(J, "the objective J(U, V)", _FIT_BLAME)
    history.append(J)


@renamed_keyword("regularization", "penalty")
def fit_implicit_als(
    R,
    k,
    lam,
    *,
    alpha,
    n_iters,
    seed=None,
    init=None,
    callback=None,
    penalty="plain",
):
    r"""Confidence-weighted ALS for implicit feedback (users, then items).

    Minimizes J of Hu, Koren & Volinsky (2008, eq. 3; module docstring):
    each iteration solves their eq. 4 for every user (the
    :math:`Y^\top Y` shortcut, :math:`O(k^2 n_u + k^3)` per user), then the
    item analogue (eq. 5) for every item. Compiled with numba, parallel
    over users and items, with a Cholesky solve per row; agrees with the
    readable :func:`implicit_als_reference` to 1e-10 from the same start.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n)
        Non-negative counts (or strengths) r_ui, 0 = no interaction, at
        least one interaction; finite. Preference p_ui = [r_ui > 0],
        confidence c_ui = 1 + alpha * r_ui; a negative value (a confidence
        below 1) is refused.
    k : int, 1 <= k <= 1000
        Number of latent factors, with ``(m + n) * k <=
        MAX_FACTOR_ENTRIES`` (1e8).
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
        Strength of the unweighted penalty
        ``lam * (sum |x_u|^2 + sum |y_i|^2)``.
    alpha : float, 0 < alpha <= MAX_ALPHA (1e6)
        Confidence scale (the paper uses 40 on counts).
    n_iters : int, 0 <= n_iters <= MAX_ITERATIONS (100000)
        Full sweeps (users then items).
    seed : int >= 0, Generator or None
        For the random start (:func:`als.initial_factors`, entries
        ``N(0, 1/k)``) when ``init`` is not given; None draws a fresh one.
    init : tuple (U0, V0), optional
        Finite starting factors of shapes (m, k) and (n, k); not modified.
        Only V0 enters the first user step; U0 enters ``history``.
    callback : callable, optional
        Called as ``callback(t, U, V)`` after sweep ``t = 1 .. n_iters``.
    penalty : {"plain", "weighted"}
        ``"plain"`` (default): the paper's penalty, ``lam`` per factor
        vector, as the ``implicit`` library. ``"weighted"``: ``lam * n+_u``
        for a user with n+_u interactions (and ``lam * n+_i`` for an
        item), as Spark's ``ALS(implicitPrefs=True)`` (Chapter 8,
        equation eq-spark-implicit).

    Returns
    -------
    ImplicitALSResult
        ``history["objective"]`` has ``n_iters + 1`` entries and never
        increases. Users and items without interactions get zero factors.

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If an argument is outside the range given above (named), ``R`` has
        a negative entry or none, or the normal equations overflow.

    Notes
    -----
    Defined in: Chapter 8.

    Examples
    --------
    >>> from recsys_lessons import evaluation, implicit_als
    >>> from recsys_lessons.data import (
    ...     synthetic_ratings, to_implicit, train_test_split)
    >>> d = synthetic_ratings(n_users=60, n_items=40, density=0.2, seed=0,
    ...                       min_ratings_per_user=5)
    >>> train, test = train_test_split(to_implicit(d.ratings, 4), seed=0)
    >>> fit = implicit_als.fit_implicit_als(train, 4, 0.1, alpha=10.0,
    ...                                     n_iters=5, seed=0)
    >>> round(evaluation.heldout_auc(fit.U, fit.V, test, train), 2)
    0.76
    """
    M, k, lam, alpha, n_iters, U, V, penalty = _check_fit(
        R, k, lam, alpha, n_iters, seed, init, callback, penalty
    )
    W = _extra_confidence(M, alpha, _FIT_BLAME)
    Wt = W.T.tocsr()
    weights = _penalty_weights(M, penalty)
    history = []
    _record(history, W, U, V, lam, weights)
    for t in range(1, n_iters + 1):
        U, V = _sweep(W, Wt, V, lam, weights)
        _record(history, W, U, V, lam, weights)
        if callback is not None:
            callback(t, U, V)
    return ImplicitALSResult(
        U,
        V,
        {"objective": np.array(history)},
        k,
        lam,
        alpha,
        penalty,
    )


# -------------------------------------------------------------------------
# The reference


@renamed_keyword("regularization", "penalty")
def implicit_als_reference(
    R,
    k,
    lam,
    *,
    alpha,
    n_iters,
    seed=None,
    init=None,
    callback=None,
    penalty="plain",
):
    r"""Implicit ALS as plain loops straight from the equations; an oracle.

    Same arguments, accepted ranges and result as :func:`fit_implicit_als`,
    computed naively on the dense matrices: the m x n matrices P and C of
    Hu, Koren & Volinsky (2008, eq. 1 and 2), for each user the system of
    their eq. 4 built over all n items,
    :math:`(Y^\top C^u Y + \lambda I) x_u = Y^\top C^u p(u)` with
    :math:`C^u` the diagonal of row u of C (:math:`\lambda n^+_u I` in
    place of :math:`\lambda I` with ``penalty="weighted"``, where
    :math:`n^+_u` counts the user's interactions), solved by
    ``numpy.linalg.solve`` (then the items, eq. 5), and J of eq. 3 summed
    over all m n pairs. Slow: :math:`O(n k^2)` per user. A singular
    system (``lam=0``, or confidences so large that ``lam`` is negligible)
    raises a ``ValueError`` naming R, alpha and lam, where
    :func:`fit_implicit_als` answers by least squares. Needs
    ``m * n <= MAX_FACTOR_ENTRIES`` (1e8).

    Notes
    -----
    Defined in: Chapter 8.
    """
    M, k, lam, alpha, n_iters, U, V, penalty = _check_fit(
        R, k, lam, alpha, n_iters, seed, init, callback, penalty
    )
    m, n = M.shape
    if m * n > MAX_FACTOR_ENTRIES:
        raise ValueError(
            f"R of shape {M.shape} has more than MAX_FACTOR_ENTRIES = "
            f"{MAX_FACTOR_ENTRIES} cells: implicit_als_reference works on "
            "the dense matrix; use fit_implicit_als"
        )
    Rd = M.toarray()
    P = (Rd > 0).astype(np.float64)  # eq. 1
    with np.errstate(over="ignore"):
        C = 1.0 + alpha * Rd  # eq. 2
    check_finite_result(C, "a confidence 1 + alpha * r_ui", _FIT_BLAME)
    if penalty == "weighted":  # n+_u and n+_i, counted in P
        w_users, w_items = P.sum(axis=1), P.sum(axis=0)
    else:
        w_users, w_items = np.ones(m), np.ones(n)

    def objective():  # eq. 3, every pair
        with np.errstate(over="ignore", invalid="ignore"):
            J = np.sum(C * (P - U @ V.T) ** 2) + lam * (
                np.sum(w_users * np.sum(U**2, axis=1))
                + np.sum(w_items * np.sum(V**2, axis=1))
            )
        return check_finite_result(
            float(J), "the objective J(U, V)", _FIT_BLAME
        )

    def solve(A, b, what):
        try:
            return np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            raise ValueError(
                f"the normal equations of {what} are singular: lam is 0, "
                "or negligible next to the confidences 1 + alpha * r_ui "
                "(R and alpha too large); fit_implicit_als solves them by "
                "least squares"
            ) from None

    history = [objective()]
    eye = np.eye(k)
    for t in range(1, n_iters + 1):
        for u in range(m):  # eq. 4
            if penalty == "weighted" and w_users[u] == 0:
                U[u] = 0.0  # no interaction, no penalty: b = 0, x_u = 0
                continue
            A = V.T @ (C[u][:, None] * V) + lam * w_users[u] * eye
            U[u] = solve(A, V.T @ (C[u] * P[u]), f"user {u} (eq. 4)")
        for i in range(n):  # eq. 5
            if penalty == "weighted" and w_items[i] == 0:
                V[i] = 0.0
                continue
            A = U.T @ (C[:, i][:, None] * U) + lam * w_items[i] * eye
            V[i] = solve(A, U.T @ (C[:, i] * P[:, i]), f"item {i} (eq. 5)")
        for F in (U, V):
            check_finite_result(F, "a factor", _FIT_BLAME)
        history.append(objective())
        if callback is not None:
            # U and V are updated in place; the callback gets copies.
            callback(t, U.copy(), V.copy())
    return ImplicitALSResult(
        U,
        V,
        {"objective": np.array(history)},
        k,
        lam,
        alpha,
        penalty,
    )
