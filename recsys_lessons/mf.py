r"""The matrix-factorization objective and rating errors (Chapter 1).

With observed set :math:`\Omega` and factors
:math:`U \in \mathbb{R}^{m\times k}`, :math:`V \in \mathbb{R}^{n\times k}`
the book's objective (equation MF) is

.. math::
   J(U, V) = \sum_{(i,j)\in\Omega} (r_{ij} - u_i^\top v_j)^2
           + \lambda \Big(\sum_i w_i \lVert u_i\rVert^2
                          + \sum_j w_j \lVert v_j\rVert^2\Big)

with ``penalty="plain"``: :math:`w_i = w_j = 1`, or
``penalty="weighted"``: :math:`w_i = n_i`, :math:`w_j = n_j`, the
numbers of ratings of user i and item j (ALS-WR, Zhou et al. 2008).

The lesson's formula does not say whether its penalty sits inside the sum
over :math:`\Omega` (Chapter 1's erratum): read outside, it is the plain
penalty; read inside, the weighted one. The lesson's code updates with the
weighted penalty but prints the plain value as its loss (Chapter 2).
"""

from __future__ import annotations

import numba
import numpy as np

from ._deprecation import renamed_keyword
from ._validation import (
    as_numeric_array,
    check_choice,
    check_factors,
    check_finite_result,
    check_index_pairs,
    check_lam,
    check_ratings,
)

__all__ = [
    "PENALTIES",
    "regularization_weights",
    "objective",
    "predict",
    "predict_observed",
    "rmse",
    "mae",
]

PENALTIES = ("plain", "weighted")


def _checked(R, U, V):
    M = check_ratings(R)
    U = check_factors(U, "U", rows=M.shape[0])
    V = check_factors(V, "V", rows=M.shape[1], k=U.shape[1])
    return M, U, V


@numba.njit(cache=True, inline="always")
def _dot(U, i, V, j):
    acc = 0.0
    for f in range(U.shape[1]):
        acc += U[i, f] * V[j, f]
    return acc


@numba.njit(cache=True, parallel=True)
def _predictions_kernel(indptr, indices, U, V, out):
    for i in numba.prange(indptr.size - 1):
        for p in range(indptr[i], indptr[i + 1]):
            out[p] = _dot(U, i, V, indices[p])


def _observed_predictions(M, U, V):
    # Compiled: gathering U[rows] and V[cols] as two nnz x k arrays would
    # cost more than the products themselves.
    out = np.empty(M.nnz)
    _predictions_kernel(M.indptr, M.indices, U, V, out)
    return out


def _objective(M, U, V, lam, w_users, w_items):
    return _objective_and_rmse(M, U, V, lam, w_users, w_items)[0]


@numba.njit(cache=True, parallel=True, fastmath={"reassoc", "contract"})
def _sse_kernel(indptr, indices, data, U, V):
    sse = 0.0
    for i in numba.prange(indptr.size - 1):
        for p in range(indptr[i], indptr[i + 1]):
            err = data[p] - _dot(U, i, V, indices[p])
            sse += err * err
    return sse


def _sse(M, U, V):
    # Fused and reduced in place: the history of ALS needs only the sum, and
    # materializing nnz predictions first costs as much as the sum itself.
    # Reassociation lets the compiler vectorize the dot products; it changes
    # the rounding, not the value, of the sum.
    return _sse_kernel(M.indptr, M.indices, M.data, U, V)


def _objective_and_rmse(M, U, V, lam, w_users, w_items):
    # One pass over the ratings serves both numbers of an ALS history row.
    sse = _sse(M, U, V)
    penalty = w_users @ np.einsum("ij,ij->i", U, U) + w_items @ np.einsum(
        "ij,ij->i", V, V
    )
    return sse + lam * float(penalty), float(np.sqrt(sse / M.nnz))


def _rmse(M, U, V):
    return float(np.sqrt(_sse(M, U, V) / M.nnz))


@renamed_keyword("regularization", "penalty")
def regularization_weights(M, penalty):
    """Per-user and per-item weights ``w_i, w_j`` of the penalty in (MF).

    Parameters
    ----------
    M : array or sparse matrix, shape (m, n); 0 = unobserved
        At least one observed (non-zero) entry; finite real values.
    penalty : {"plain", "weighted"}
        ``"plain"``: all weights 1; ``"weighted"``: the numbers of
        ratings of each user and item.

    Returns
    -------
    w_users : ndarray, shape (m,)
    w_items : ndarray, shape (n,)

    Notes
    -----
    Used by: :func:`objective` and the ALS fits (Chapters 1-2).
    """
    M = check_ratings(M, "M")
    return _regularization_weights(M, penalty)


def _regularization_weights(M, penalty):
    # M is a canonical CSR matrix already (from check_ratings).
    penalty = check_choice(penalty, "penalty", PENALTIES)
    if penalty == "plain":
        return np.ones(M.shape[0]), np.ones(M.shape[1])
    return (
        np.diff(M.indptr).astype(np.float64),
        np.bincount(M.indices, minlength=M.shape[1]).astype(np.float64),
    )


@renamed_keyword("regularization", "penalty")
def objective(R, U, V, lam, *, penalty="plain"):
    """Value of the regularized objective J(U, V), equation (MF) above.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed.
    U : ndarray, shape (m, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n, k)
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
    penalty : {"plain", "weighted"}

    Returns
    -------
    float
        Finite; a ``ValueError`` naming R, U and V if the value overflows
        float64 (entries of magnitude above about 1e150).

    Notes
    -----
    Defined in: Chapter 1.
    """
    M, U, V = _checked(R, U, V)
    lam = check_lam(lam)
    value = _objective(M, U, V, lam, *_regularization_weights(M, penalty))
    return check_finite_result(
        value, "the objective J(U, V)", "the values of R, U, V or lam"
    )


def predict(U, V, rows, cols):
    """Predicted ratings ``u_i . v_j`` for the pairs ``(rows[t], cols[t])``.

    Parameters
    ----------
    U : ndarray, shape (m, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n, k)
    rows : 1-D array of int, each in [0, m)
        No negative index wraps around; floats are refused.
    cols : 1-D array of int, each in [0, n), as long as ``rows``

    Returns
    -------
    ndarray, shape (len(rows),)

    Notes
    -----
    Defined in: Chapter 1.
    """
    U = check_factors(U, "U")
    V = check_factors(V, "V", k=U.shape[1])
    rows = as_numeric_array(rows, "rows")
    cols = as_numeric_array(cols, "cols")
    if rows.shape != cols.shape or rows.ndim != 1:
        raise ValueError(
            "rows and cols must be 1-D of equal length, got shapes "
            f"{rows.shape} and {cols.shape}"
        )
    rows, cols = check_index_pairs(rows, cols, (U.shape[0], V.shape[0]))
    return check_finite_result(
        np.einsum("ij,ij->i", U[rows], V[cols]),
        "a prediction u_i . v_j",
        "the values of U and V",
    )


def predict_observed(R, U, V):
    """Predictions at the observed entries of ``R``, in CSR data order.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed.
    U : ndarray, shape (m, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n, k)

    Returns
    -------
    ndarray, shape (number of observed entries,)
        Finite; a ``ValueError`` naming U and V on overflow.

    Notes
    -----
    Defined in: Chapter 2.
    """
    M, U, V = _checked(R, U, V)
    return check_finite_result(
        _observed_predictions(M, U, V),
        "a prediction u_i . v_j",
        "the values of U and V",
    )


def rmse(R, U, V):
    """Root-mean-square error of ``U V^T`` over the observed entries.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed.
    U : ndarray, shape (m, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n, k)

    Returns
    -------
    float
        Finite; a ``ValueError`` naming R, U and V on overflow.

    Notes
    -----
    Defined in: Chapter 1.
    """
    return check_finite_result(
        _rmse(*_checked(R, U, V)), "the RMSE", "the values of R, U and V"
    )


def mae(R, U, V):
    """Mean absolute error of ``U V^T`` over the observed entries of ``R``.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed.
    U : ndarray, shape (m, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n, k)

    Returns
    -------
    float
        Finite; a ``ValueError`` naming R, U and V on overflow.

    Notes
    -----
    Used by: ``RatingModel.mae`` (Chapter 7).
    """
    M, U, V = _checked(R, U, V)
    return check_finite_result(
        float(np.mean(np.abs(M.data - _observed_predictions(M, U, V)))),
        "the MAE",
        "the values of R, U and V",
    )
