r"""Truncated SVD for collaborative filtering (Chapter 3).

The rating matrix has holes, and an SVD needs a full matrix. The lesson's
recipe, as the book reads it: subtract the user's mean rating
:math:`\bar r_i` (over the ratings user i gave) from those ratings and
leave every unobserved entry at 0 *after* centering, i.e. impute the
user's mean. The centered matrix :math:`A` is sparse and the rank-k
truncation

.. math:: A_k = U_k \Sigma_k V_k^\top, \qquad
          \hat r_{ij} = \bar r_i + (A_k)_{ij},
          \qquad \Sigma_k = \operatorname{diag}(s_1, \dots, s_k),

is the best rank-k approximation of A in Frobenius norm (Eckart-Young) --
of the *filled* matrix, not of the observed entries alone (Chapter 3,
erratum-svd-optimal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse.linalg as spla

from ._errors import RatingErrors
from ._validation import check_float, check_int, check_ratings

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

    Returns
    -------
    centered : csr_matrix, same pattern as ``R``
    user_means : ndarray, shape (m,)

    Defined in: Chapter 3.
    """
    M = check_ratings(R)
    counts = np.diff(M.indptr)
    sums = np.bincount(
        np.repeat(np.arange(M.shape[0]), counts),
        weights=M.data,
        minlength=M.shape[0],
    )
    means = np.where(
        counts > 0, sums / np.maximum(counts, 1), M.data.mean()
    )
    C = M.copy()
    C.data = M.data - np.repeat(means, counts)
    # A rating equal to its user's mean centres to an exact 0; keep it
    # stored so the pattern of C is the pattern of R.
    return C, means


@dataclass
class SVDModel(RatingErrors):
    """A rank-k truncated SVD of the user-mean-centered rating matrix.

    ``user_factors`` is ``U_k``, ``singular_values`` is the diagonal of
    ``Sigma_k`` (descending), ``item_factors`` is ``V_k`` (n x k), and
    ``total_energy`` is the squared Frobenius norm of the centered matrix.
    """

    user_factors: np.ndarray
    singular_values: np.ndarray
    item_factors: np.ndarray
    user_means: np.ndarray
    total_energy: float

    @property
    def k(self):
        return self.singular_values.size

    def predict(self, rows, cols, clip=None):
        """Predicted ratings ``mean_i + (A_k)_ij`` for index pairs.

        ``clip=(lo, hi)`` clips them to the rating scale.
        """
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        pred = self.user_means[rows] + np.einsum(
            "ij,ij->i",
            self.user_factors[rows] * self.singular_values,
            self.item_factors[cols],
        )
        return _clip(pred, clip)

    def reconstruct(self, clip=None):
        """The dense predicted matrix (small matrices only: it is m x n)."""
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

        By Eckart-Young it is the rank-k optimum of the same filled matrix.
        """
        k = check_int(k, "k", low=1, high=self.k)
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
    if clip is None:
        return values
    if not (isinstance(clip, tuple) and len(clip) == 2):
        raise TypeError("clip must be None or a tuple (low, high)")
    lo = check_float(clip[0], "clip[0]")
    hi = check_float(clip[1], "clip[1]")
    if lo > hi:
        raise ValueError(f"clip must have low <= high, got {clip}")
    return np.clip(values, lo, hi)


def captured_energy(singular_values, total_energy=None):
    r"""Cumulative captured energy, for t = 1..k.

    .. math:: \sum_{l\le t} s_l^2 / \lVert A\rVert_F^2

    Without ``total_energy`` the singular values given are taken as all of
    them.

    Defined in: Chapter 3.
    """
    s = np.asarray(singular_values, dtype=np.float64)
    if s.ndim != 1 or s.size == 0:
        raise ValueError("singular_values must be a non-empty 1-D array")
    total = (
        float(np.sum(s * s))
        if total_energy is None
        else check_float(
            total_energy, "total_energy", low=0.0, low_open=True
        )
    )
    return np.cumsum(s * s) / total


def _fix_signs(U, Vt):
    # Singular vectors are defined up to sign; make the largest-magnitude
    # entry of each right singular vector positive so that results are
    # reproducible.
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(Vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return U * signs, Vt * signs[:, None]


def truncated_svd(R, k, center=True, seed=0):
    """Rank-k truncated SVD of the (user-mean-centered) rating matrix.

    The lesson's recipe (Chapter 3, section sec-svd-recipe).

    Parameters
    ----------
    R : array or sparse matrix, shape (m, n); 0 = unobserved
    k : int, 1 <= k <= min(m, n)
    center : bool
        Subtract user means first (:func:`center_by_user_mean`); if False
        the holes are filled with 0 and the means are zero.
    seed : int
        Seeds the ARPACK start vector, so the result is reproducible.

    Returns
    -------
    SVDModel

    Notes
    -----
    Small matrices (min(m, n) <= 400) or large k (k > min(m, n) / 3) use
    LAPACK on the dense matrix; otherwise ARPACK
    (``scipy.sparse.linalg.svds``) works on the sparse matrix, never forming
    m x n. Signs are fixed so that
    each right singular vector's largest entry is positive.

    Defined in: Chapter 3.
    """
    M = check_ratings(R)
    if not isinstance(center, (bool, np.bool_)):
        raise TypeError(
            f"center must be True or False, got {type(center).__name__}"
        )
    k = check_int(k, "k", low=1, high=min(M.shape))
    seed = check_int(seed, "seed", low=0)
    if center:
        A, means = center_by_user_mean(M)
    else:
        A, means = M, np.zeros(M.shape[0])
    total = float(A.data @ A.data)
    small = min(A.shape)
    if small <= 400 or k > small / 3:
        U, s, Vt = np.linalg.svd(A.toarray(), full_matrices=False)
        U, s, Vt = U[:, :k], s[:k], Vt[:k]
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
