"""Held-out evaluation of a factor model's rankings (Chapters 4-5).

Each function scores every user's items by ``U V^T``, leaves out the
user's training items, and averages a ranking metric of
:mod:`recsys_lessons.metrics` over the users with held-out items.
"""

from __future__ import annotations

import numba
import numpy as np

from . import metrics, ranking
from ._deprecation import renamed_keyword
from ._validation import (
    check_choice,
    check_factors,
    check_finite_result,
    check_implicit,
    check_int,
    check_labels,
    check_ratings,
    check_same_shape,
)

__all__ = ["heldout_auc", "heldout_ndcg"]


@numba.njit(cache=True, parallel=True)
def _auc_rows(S, users, t_indptr, t_indices, x_indptr, x_indices, out):
    # Sort the few positives and binary-search each negative among them:
    # O(n_items log n_pos) per user instead of sorting all items.
    n_items = S.shape[1]
    for b in numba.prange(users.size):
        u = users[b]
        flag = np.zeros(n_items, dtype=np.int8)
        for p in range(x_indptr[u], x_indptr[u + 1]):
            flag[x_indices[p]] = 2
        n_pos = t_indptr[u + 1] - t_indptr[u]
        positives = np.empty(n_pos)
        for q in range(n_pos):
            item = t_indices[t_indptr[u] + q]
            flag[item] = 1
            positives[q] = S[b, item]
        positives.sort()
        wins = 0.0
        n_neg = 0
        for j in range(n_items):
            if flag[j] != 0:
                continue
            n_neg += 1
            s = S[b, j]
            right = np.searchsorted(positives, s, side="right")
            left = np.searchsorted(positives, s, side="left")
            wins += (n_pos - right) + 0.5 * (right - left)
        out[b] = (
            np.nan if n_pos == 0 or n_neg == 0 else wins / (n_pos * n_neg)
        )


def heldout_auc(U, V, test, train, chunk=2048):
    """Mean per-user AUC of ``U V^T`` on held-out positives (not train).

    The same quantity as :func:`recsys_lessons.metrics.auc` (ties count one
    half; users without a positive or a negative are skipped), computed by a
    compiled per-user sort and binary search, in chunks of users so that
    memory stays at ``chunk x n_items``.

    Parameters
    ----------
    U : ndarray, shape (n_users, k)
        Finite real factors; the scores ``U V^T`` must not overflow.
    V : ndarray, shape (n_items, k)
    test : array or sparse matrix, shape (n_users, n_items)
        Held-out positives (non-zero entries), at least one.
    train : array or sparse matrix, the shape of ``test``
        Training positives, left out of each user's negatives.
    chunk : int >= 1
        Users scored at once.

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If the shapes differ, the scores overflow, or no test user has both
        a positive and a negative.

    Notes
    -----
    Defined in: Chapter 4 (moved here from ``bpr``).

    Examples
    --------
    >>> import numpy as np
    >>> from recsys_lessons import evaluation
    >>> U = np.array([[1.0], [-1.0]])
    >>> V = np.array([[0.9], [0.5], [0.1]])
    >>> train = np.array([[1, 0, 0], [0, 0, 0]])
    >>> test = np.array([[0, 0, 1], [0, 1, 0]])
    >>> # user 0: its positive below its one negative (0); user 1: above
    >>> # one of its two negatives (0.5)
    >>> evaluation.heldout_auc(U, V, test, train)
    0.25
    """
    T = check_implicit(test, "test")
    Tr = check_implicit(train, "train")
    check_same_shape(T, Tr, "test", "train")
    U = check_factors(U, "U", rows=T.shape[0])
    V = check_factors(V, "V", rows=T.shape[1], k=U.shape[1])
    chunk = check_int(chunk, "chunk", low=1)
    users = np.flatnonzero(np.diff(T.indptr) > 0)
    values = np.empty(users.size)
    for start in range(0, users.size, chunk):
        block = users[start : start + chunk]
        with np.errstate(over="ignore", invalid="ignore"):
            scores = U[block] @ V.T
        check_finite_result(
            scores, "the scores U V^T", "the values of U and V"
        )
        _auc_rows(
            scores,
            block,
            T.indptr,
            T.indices,
            Tr.indptr,
            Tr.indices,
            values[start : start + chunk],
        )
    values = values[~np.isnan(values)]
    if values.size == 0:
        raise ValueError(
            "no test user has both a positive and a negative item"
        )
    return float(values.mean())


@renamed_keyword("k", "cutoff")
def heldout_ndcg(U, V, test, train, cutoff=10, gain="exponential"):
    """Mean NDCG@cutoff of ``U V^T`` over the users with held-out items.

    Training items are excluded from each user's ranking.

    Parameters
    ----------
    U, V : arrays (n_users, k), (n_items, k)
        Finite factors, the same k >= 1 columns.
    test : array or sparse matrix, shape (n_users, n_items)
        Held-out labels: finite, >= 0, at least one non-zero; with the
        exponential gain at most ``MAX_EXPONENTIAL_LABEL`` (100).
    train : array or sparse matrix, the same shape
        Training interactions (non-zero = excluded from the rankings).
    cutoff : int >= 1
        The list length scored (the 10 of NDCG@10).
    gain : {"exponential", "linear"}

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If ``test`` has a negative label (or one above 100 with the
        exponential gain), the shapes differ, or the scores overflow.

    Notes
    -----
    Defined in: Chapter 5 (moved here from ``lambdarank``).

    Examples
    --------
    >>> import numpy as np
    >>> from recsys_lessons import evaluation
    >>> U = np.array([[1.0], [-1.0]])
    >>> V = np.array([[0.9], [0.5], [0.1]])
    >>> train = np.array([[1, 0, 0], [0, 0, 0]])
    >>> test = np.array([[0, 0, 2], [0, 1, 0]])
    >>> # each user's test item comes second: NDCG = 1 / log2(3)
    >>> round(evaluation.heldout_ndcg(U, V, test, train, cutoff=2), 3)
    0.631
    """
    T = check_labels(test, "test")
    Tr = check_ratings(train, "train")
    check_same_shape(T, Tr, "test", "train")
    U = check_factors(U, "U", rows=T.shape[0])
    V = check_factors(V, "V", rows=T.shape[1], k=U.shape[1])
    cutoff = check_int(cutoff, "cutoff", low=1)
    gain = check_choice(gain, "gain", metrics.GAINS)
    metrics._gain_labels(T.data, gain, "test")
    users = np.flatnonzero(np.diff(T.indptr) > 0)
    with np.errstate(over="ignore", invalid="ignore"):
        scores = U[users] @ V.T
    check_finite_result(scores, "the scores U V^T", "U and V")
    lists = ranking.ranked_relevance(
        scores, T[users], cutoff, exclude=Tr[users]
    )
    return float(
        np.mean(
            metrics.ndcg_at_k(
                lists.relevance, cutoff, gain, ideal_relevance=lists.ideal
            )
        )
    )
