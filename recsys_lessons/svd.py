r"""Truncated SVD for collaborative filtering (Chapter 3).

The rating matrix has holes, and an SVD needs a full matrix. The lesson's
recipe, as the book reads it: subtract the user's mean rating
:math:`\bar r_i` (over the ratings user i gave) from those ratings and
leave every unobserved entry at 0 *after* centering, i.e. impute the
user's mean. The centered matrix :math:`A` is sparse and the rank-k
truncation

.. math:: A_k = \sum_{l \le k} s_l a_l b_l^\top, \qquad
          \hat r_{ij} = \bar r_i + (A_k)_{ij},

with singular values :math:`s_1 \ge s_2 \ge \dots` and left and right
singular vectors :math:`a_l, b_l` (the lesson writes
:math:`U_k \Sigma_k V_k^\top`; the book keeps U and V for factor
matrices), is the best rank-k approximation of A in Frobenius norm
(Eckart-Young) -- of the *filled* matrix, not of the observed entries
alone (Chapter 3, sec-svd-which-matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse.linalg as spla

from ._rating_model import RatingModel
from ._validation import (
    MAX_FACTOR_ENTRIES,
    as_numeric_array,
    check_bool,
    check_clip,
    check_finite_result,
    check_float,
    check_int,
    check_k,
    check_ratings,
)

__all__ = [
    "SVDModel",
    "center_by_user_mean",
    "truncated_svd",
    "captured_energy",
]


def center_by_user_mean(R):
    """Subtract each user's mean rating from that user's observed ratings.

    Unobserved entries stay unstored, so they read as 0 in the centered
    matrix: the user's mean is imputed for them. A user with no ratings gets
    the global mean.

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed; sums of a user's
        ratings must not overflow float64.

    Returns
    -------
    centered : csr_matrix, same pattern as ``R``
    user_means : ndarray, shape (m,)

    Notes
    -----
    Defined in: Chapter 3.
    """
    M = check_ratings(R)
    counts = np.diff(M.indptr)
    with np.errstate(over="ignore", invalid="ignore"):
        sums = np.bincount(
            np.repeat(np.arange(M.shape[0]), counts),
            weights=M.data,
            minlength=M.shape[0],
        )
        means = np.where(
            counts > 0, sums / np.maximum(counts, 1), M.data.mean()
        )
    check_finite_result(means, "a user's mean rating", "the values of R")
    C = M.copy()
    C.data = M.data - np.repeat(means, counts)
    # A rating equal to its user's mean centres to an exact 0; keep it
    # stored so the pattern of C is the pattern of R.
    return C, means


@dataclass
class SVDModel(RatingModel):
    """A rank-k truncated SVD of the user-mean-centered rating matrix.

    ``user_factors`` holds the left singular vectors a_1..a_k as columns
    (m x k), ``singular_values`` s_1..s_k (descending), ``item_factors``
    the right singular vectors b_1..b_k as columns (n x k), and
    ``total_energy`` is the squared Frobenius norm of the centered matrix.
    ``predict`` gives ``mean_i + (A_k)_ij``, the lesson's recipe.
    """

    user_factors: np.ndarray
    singular_values: np.ndarray
    item_factors: np.ndarray
    user_means: np.ndarray
    total_energy: float

    @property
    def k(self):
        return self.singular_values.size

    def _predict(self, rows, cols):
        # mean_i + (A_k)_ij; indices checked by RatingModel.predict.
        return self.user_means[rows] + np.einsum(
            "ij,ij->i",
            self.user_factors[rows] * self.singular_values,
            self.item_factors[cols],
        )

    def reconstruct(self, clip=None):
        """The dense predicted matrix (small matrices only: it is m x n).

        ``clip``: None or finite bounds ``(low, high)`` with low < high.
        At most ``MAX_FACTOR_ENTRIES`` (1e8) cells; for larger models use
        :meth:`predict` on the cells needed.
        """
        clip = check_clip(clip)
        m, n = self.shape
        if m * n > MAX_FACTOR_ENTRIES:
            raise ValueError(
                f"the model's shape {self.shape} has more than "
                f"MAX_FACTOR_ENTRIES = {MAX_FACTOR_ENTRIES} cells: "
                "reconstruct builds the dense matrix; use predict(rows, "
                "cols) for the cells you need"
            )
        full = (
            self.user_means[:, None]
            + (self.user_factors * self.singular_values)
            @ self.item_factors.T
        )
        return _clip(full, clip)

    @property
    def shape(self):
        return (self.user_means.size, self.item_factors.shape[0])

    def truncate(self, k):
        """The rank-k model made of this model's first k components.

        ``k``: an int, 1 <= k <= this model's k.

        By Eckart-Young it is the rank-k optimum of the same filled matrix.
        """
        k = check_k(k, high=self.k)
        return SVDModel(
            self.user_factors[:, :k],
            self.singular_values[:k],
            self.item_factors[:, :k],
            self.user_means,
            self.total_energy,
        )

    def energy(self):
        """Cumulative share of ``total_energy`` of components 1..k."""
        return captured_energy(self.singular_values, self.total_energy)


def _clip(values, clip):
    # clip was checked by the caller (check_clip): None or (low, high).
    return values if clip is None else np.clip(values, *clip)


def captured_energy(singular_values, total_energy=None):
    r"""Cumulative captured energy, for t = 1..k.

    .. math:: \sum_{l\le t} s_l^2 / \lVert A\rVert_F^2

    Without ``total_energy`` the singular values given are taken as all of
    them.

    Parameters
    ----------
    singular_values : 1-D array of real numbers >= 0, non-empty, finite
    total_energy : float > 0, optional
        The squared Frobenius norm of the whole matrix: at least the sum
        of the squared ``singular_values``.

    Returns
    -------
    ndarray, shape (k,)
        Finite; a ``ValueError`` naming both arguments if the squares
        overflow float64 against a given ``total_energy``.

    Notes
    -----
    Used by: ``SVDModel.energy`` (Chapter 3).
    """
    s = as_numeric_array(singular_values, "singular_values")
    if s.ndim != 1 or s.size == 0:
        raise ValueError("singular_values must be a non-empty 1-D array")
    s = s.astype(np.float64)
    if not np.all(np.isfinite(s)):
        raise ValueError("singular_values contains NaN or infinite values")
    if np.any(s < 0):
        raise ValueError(
            f"singular_values must be >= 0, got a minimum of {s.min()}"
        )
    if total_energy is None:
        with np.errstate(over="ignore"):
            total = float(np.sum(s * s))
        if not np.isfinite(total):
            # Squares beyond float64: the shares are scale-free, so
            # compute them on s / max(s).
            s = s / s.max()
            total = float(np.sum(s * s))
        if total == 0.0:
            raise ValueError(
                "singular_values are all zero: without total_energy their "
                "shares of the energy are undefined"
            )
    else:
        total = check_float(
            total_energy, "total_energy", low=0.0, low_open=True
        )
    with np.errstate(over="ignore", invalid="ignore"):
        energy = np.cumsum(s * s) / total
    energy = check_finite_result(
        energy,
        "the captured energy",
        "the values of singular_values and total_energy",
    )
    # A share above 1 means total_energy is not the whole matrix's energy.
    # The slack is for rounding: singular values computed from a matrix
    # can square-sum to its norm squared times 1 + a few ulps.
    if energy[-1] > 1.0 + 1e-9:
        raise ValueError(
            f"total_energy ({total:.6g}) is below the sum of the squared "
            f"singular_values ({energy[-1] * total:.6g}); it must be the "
            "squared Frobenius norm of the whole matrix, which is at least "
            "that sum"
        )
    return np.minimum(energy, 1.0)


def _fix_signs(U, Vt):
    # Singular vectors are defined up to sign; make the largest-magnitude
    # entry of each right singular vector positive so that results are
    # reproducible.
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(Vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return U * signs, Vt * signs[:, None]


def truncated_svd(R, k, *, center=True, seed=0):
    """Rank-k truncated SVD of the (user-mean-centered) rating matrix.

    The lesson's recipe (Chapter 3, section sec-svd-recipe).

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
        Finite real ratings, at least one observed; values whose squares
        overflow float64 (above about 1e150) are refused.
    k : int, 1 <= k <= min(m, n)
    center : bool
        Subtract user means first (:func:`center_by_user_mean`); if False
        the holes are filled with 0 and the means are zero.
    seed : int >= 0
        Seeds the ARPACK start vector, so the result is reproducible.

    Returns
    -------
    SVDModel

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If ``k`` exceeds min(m, n) or ``R`` holds NaN or no rating.

    Notes
    -----
    Small matrices (min(m, n) <= 400, at most MAX_FACTOR_ENTRIES = 1e8
    cells) or large k (k > min(m, n) / 3; refused beyond 1e8 cells) use
    LAPACK on the dense matrix; otherwise ARPACK
    (``scipy.sparse.linalg.svds``) works on the sparse matrix, never forming
    m x n. Signs are fixed so that
    each right singular vector's largest entry is positive. A centred
    matrix of zeros (implicit 0/1 data: every user's ratings equal their
    mean) has k zero singular values; its singular vectors are then the
    first k unit vectors, as LAPACK returns them.

    Defined in: Chapter 3.

    Examples
    --------
    >>> from recsys_lessons import svd
    >>> from recsys_lessons.data import toy_ratings
    >>> R = toy_ratings()
    >>> model = svd.truncated_svd(R, 2)
    >>> model.k, round(model.rmse(R), 2)
    (2, 0.15)
    """
    M = check_ratings(R)
    center = check_bool(center, "center")
    k = check_k(k, high=min(M.shape))
    seed = check_int(seed, "seed", low=0)
    if center:
        A, means = center_by_user_mean(M)
    else:
        A, means = M, np.zeros(M.shape[0])
    with np.errstate(over="ignore"):
        total = float(A.data @ A.data)
    check_finite_result(
        total, "the squared Frobenius norm of the matrix", "the values of R"
    )
    small = min(A.shape)
    dense_fits = A.shape[0] * A.shape[1] <= MAX_FACTOR_ENTRIES
    if k > small / 3 and not dense_fits:
        raise ValueError(
            f"k = {k} > min(m, n) / 3 needs the dense SVD of the m x n "
            f"matrix, and R of shape {A.shape} has more than "
            f"MAX_FACTOR_ENTRIES = {MAX_FACTOR_ENTRIES} cells; lower k"
        )
    if dense_fits and (small <= 400 or k > small / 3):
        U, s, Vt = np.linalg.svd(A.toarray(), full_matrices=False)
        U, s, Vt = U[:, :k], s[:k], Vt[:k]
    elif not np.any(A.data):
        # All zeros: ARPACK cannot start (its Krylov space is {0}). The
        # rank-k SVD is k zero singular values, with LAPACK's vectors.
        U = np.eye(A.shape[0], k)
        s = np.zeros(k)
        Vt = np.eye(k, A.shape[1])
    else:
        v0 = np.random.default_rng(seed).standard_normal(small)
        U, s, Vt = spla.svds(A, k=k, v0=v0, tol=0, solver="arpack")
        order = np.argsort(-s)
        U, s, Vt = U[:, order], s[order], Vt[order]
    U, Vt = _fix_signs(U, Vt)
    return SVDModel(
        np.ascontiguousarray(U),
        s,
        np.ascontiguousarray(Vt.T),
        means,
        max(total, np.finfo(float).tiny),
    )
