r"""Non-personalized baselines for rating prediction (Chapters 3 and 7).

The bias model (equation eq-bias of Chapter 3) predicts
:math:`\hat r_{ui} = \mu + b_u + b_i`, with :math:`\mu` the global mean of
the training ratings and biases minimizing

.. math:: \sum_{(u,i)\in\Omega} (r_{ui} - \mu - b_u - b_i)^2
          + \lambda_u \sum_u b_u^2 + \lambda_i \sum_i b_i^2 ,

a convex quadratic solved by exact alternating updates
:math:`b_u = \sum_{i\in\Omega_u}(r_{ui} - \mu - b_i)/(\lambda_u + n_u)`
and the item analogue (Koren et al. 2009, "adding biases"). Without item
biases and penalty, :math:`\mu + b_u` is the user's mean rating: the
centring of Chapter 3's SVD recipe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._rating_model import RatingModel
from ._validation import (
    check_finite_result,
    check_lam,
    check_n_iters,
    check_ratings,
)

__all__ = ["BiasModel", "fit_biases"]


@dataclass
class BiasModel(RatingModel):
    """Predicts ``mu + user_bias[u] + item_bias[i]`` (equation eq-bias)."""

    mu: float
    user_bias: np.ndarray
    item_bias: np.ndarray

    def _predict(self, rows, cols):
        # mu + b_u + b_i; indices checked by RatingModel.predict.
        return self.mu + self.user_bias[rows] + self.item_bias[cols]

    @property
    def shape(self):
        return (self.user_bias.size, self.item_bias.size)


def fit_biases(R, *, lam_user=10.0, lam_item=10.0, n_iters=20):
    """Fit the regularized bias model (eq-bias) by alternating updates.

    Parameters
    ----------
    R : array or sparse matrix; 0 = unobserved
        Finite real ratings, at least one observed.
    lam_user, lam_item : float, 0 <= lam <= MAX_LAMBDA (1e6)
    n_iters : int, 1 <= n_iters <= MAX_ITERATIONS (100000)
        Sweeps of (users, items); each sweep cannot increase the objective.

    Returns
    -------
    BiasModel
        ``lam_user = 0`` with ``lam_item = 0`` is the unregularized fit;
        users or items without ratings get bias 0.

    Raises
    ------
    TypeError
        If an argument has the wrong type (a string ``lam_user``, a
        float ``n_iters``, ...), naming it.
    ValueError
        If ``R`` holds NaN or no rating, or a strength or ``n_iters`` is
        outside its range (named).

    Notes
    -----
    Defined in: Chapter 3.

    Examples
    --------
    >>> from recsys_lessons import baselines
    >>> from recsys_lessons.data import toy_ratings
    >>> R = toy_ratings()
    >>> model = baselines.fit_biases(R, lam_user=10.0, lam_item=10.0)
    >>> round(model.rmse(R), 2)
    1.53
    """
    M = check_ratings(R)
    lam_user = check_lam(lam_user, "lam_user")
    lam_item = check_lam(lam_item, "lam_item")
    n_iters = check_n_iters(n_iters, low=1)
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    cols = M.indices
    n_u = np.bincount(rows, minlength=M.shape[0]).astype(float)
    n_i = np.bincount(cols, minlength=M.shape[1]).astype(float)
    mu = float(M.data.mean())
    bu = np.zeros(M.shape[0])
    bi = np.zeros(M.shape[1])
    for _ in range(n_iters):
        resid = M.data - mu - bi[cols]
        bu = np.bincount(
            rows, weights=resid, minlength=M.shape[0]
        ) / np.maximum(lam_user + n_u, 1e-300)
        resid = M.data - mu - bu[rows]
        bi = np.bincount(
            cols, weights=resid, minlength=M.shape[1]
        ) / np.maximum(lam_item + n_i, 1e-300)
    for values in (mu, bu, bi):
        check_finite_result(values, "the biases", "the values of R")
    return BiasModel(mu, bu, bi)
