"""What every ranking model shares: ``scores`` and ``recommend``.

Used by the BPR, LambdaRank and implicit-ALS results, whose factors score
user u's items by ``U[u] @ V.T`` (Chapters 4, 5 and 8).
"""

import numpy as np
import scipy.sparse as sp

from . import ranking
from ._validation import (
    as_numeric_array,
    check_finite_result,
    check_index,
    check_int,
    check_mask,
    check_sparse_structure,
)


class RankingModel:
    """Adds ``scores`` and ``recommend`` to a model with factors ``U, V``.

    ``U`` (n_users x k) and ``V`` (n_items x k) are the fitted factors;
    a user's score for an item is their dot product.
    """

    @property
    def shape(self):
        """(n_users, n_items)."""
        return (self.U.shape[0], self.V.shape[0])

    def scores(self, users):
        """Scores ``U[users] @ V.T`` of every item for the given users.

        Parameters
        ----------
        users : int or 1-D array of int, each in [0, n_users)
            No negative index wraps around.

        Returns
        -------
        ndarray
            Shape (n_items,) for one user given as an int, otherwise
            (len(users), n_items).

        Raises
        ------
        TypeError
            If ``users`` is not an integer or an array of integers.
        ValueError
            If a user is out of range, or the scores overflow float64
            (names the factors).
        """
        one = isinstance(users, (int, np.integer)) and not isinstance(
            users, bool
        )
        rows = check_index(
            np.atleast_1d(users) if one else users, "users", self.shape[0]
        )
        with np.errstate(over="ignore", invalid="ignore"):
            S = self.U[rows] @ self.V.T
        check_finite_result(S, "the scores U V^T", "the factors U and V")
        return S[0] if one else S

    def recommend(self, user, k, exclude=None):
        """The ``k`` highest-scoring items for ``user``, best first.

        Built on :func:`recsys_lessons.ranking.top_k`: ties go to the
        lower item index, and excluded items are never returned.

        Parameters
        ----------
        user : int in [0, n_users)
        k : int >= 1
            At most this many items; fewer when fewer are eligible.
        exclude : array or sparse matrix, shape (n_users, n_items), optional
            Non-zero = not to be recommended, usually the training
            interactions; only row ``user`` is read.

        Returns
        -------
        ndarray of int64, shape (min(k, eligible items),)

        Raises
        ------
        TypeError
            If ``user`` or ``k`` is not an integer, or ``exclude`` is not
            an array or sparse matrix of numbers.
        ValueError
            If ``user`` is out of range, ``k < 1``, ``exclude`` has
            another shape, NaN or a broken sparse structure.
        """
        user = check_int(user, "user", low=0, high=self.shape[0] - 1)
        k = check_int(k, "k", low=1)
        row = None
        if exclude is not None:
            row = _exclude_row(exclude, user, self.shape)
        top = ranking.top_k(self.scores([user]), k, exclude=row)[0]
        return top[top >= 0]


def _exclude_row(exclude, user, shape):
    # Only the user's row becomes a mask: a dense mask of the whole matrix
    # would cost n_users * n_items bytes for one list. NaN anywhere is
    # still refused (it is neither a yes nor a no), in O(stored values).
    if sp.issparse(exclude):
        check_sparse_structure(exclude, "exclude")
        values, got = exclude.data, exclude.shape
    else:
        values = as_numeric_array(exclude, "exclude")
        got = values.shape
    if got != shape:
        raise ValueError(
            f"exclude must have the model's shape {shape}, got {got}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(
            "exclude contains NaN or infinite values; it holds 0 (may be "
            "recommended) or non-zero (excluded)"
        )
    row = (
        sp.csr_matrix(exclude)[[user]]
        if sp.issparse(exclude)
        else (values[[user]])
    )
    return check_mask(row, "exclude", (1, shape[1]))
