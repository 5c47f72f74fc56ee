"""Sampling negatives for implicit-feedback training (Chapters 4-5).

A user's *positives* are the non-zero entries of their row of ``X``; every
other item is a *negative*.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_index, check_index_pairs, check_ratings

__all__ = ["is_positive", "sample_negatives"]


def _is_positive(X, users, items):
    # X: canonical CSR (sorted indices, no stored zeros); users, items:
    # int64 arrays of equal length, in range. Checked by the callers.
    starts = X.indptr[users]
    ends = X.indptr[users + 1]
    # Binary search of each item in its user's sorted slice of X.indices.
    lo = starts.copy()
    hi = ends.copy()
    while True:
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) // 2
        go_right = active & (
            X.indices[np.minimum(mid, X.indices.size - 1)] < items
        )
        lo = np.where(go_right, mid + 1, lo)
        hi = np.where(active & ~go_right, mid, hi)
    found = lo < ends
    found[found] = X.indices[lo[found]] == items[found]
    return found


def is_positive(X, users, items):
    """Whether ``X[users[t], items[t]]`` is non-zero, for each t.

    Parameters
    ----------
    X : array or sparse matrix, shape (n_users, n_items)
        Interactions: non-zero = positive. Finite real values, at least
        one non-zero entry; any sparse format (read through a canonical
        copy, so unsorted indices and stored zeros are handled).
    users, items : 1-D integer arrays of equal length
        Users in ``[0, n_users)`` and items in ``[0, n_items)``.

    Returns
    -------
    ndarray of bool, shape (len(users),)

    Used by: the BPR and LambdaRank samplers (Chapters 4-5).
    """
    M = check_ratings(X, "X")
    u, i = check_index_pairs(users, items, M.shape, ("users", "items"))
    return _is_positive(M, u, i)


def _sample_negatives(X, users, rng):
    # X canonical CSR, users int64 in range, rng a Generator (checked).
    n_items = X.shape[1]
    counts = np.diff(X.indptr)[users]
    if np.any(counts >= n_items):
        raise ValueError(
            "users: a user has interacted with every item, so has no "
            "negative to sample"
        )
    items = rng.integers(n_items, size=users.size)
    todo = np.flatnonzero(_is_positive(X, users, items))
    while todo.size:
        items[todo] = rng.integers(n_items, size=todo.size)
        todo = todo[_is_positive(X, users[todo], items[todo])]
    return items


def sample_negatives(X, users, rng):
    """One item per entry of ``users``, uniform over that user's negatives.

    A negative of a user is an item the user has not interacted with
    (a zero of their row of ``X``).

    Rejection sampling: draw uniformly, redraw the positives.

    Parameters
    ----------
    X : array or sparse matrix, shape (n_users, n_items)
        As in :func:`is_positive`.
    users : 1-D integer array
        Users in ``[0, n_users)`` (repeats allowed, may be empty); each
        must have at least one negative.
    rng : numpy.random.Generator
        The draws' source (a seed is refused: the caller's stream must
        advance).

    Returns
    -------
    ndarray of int64, shape (len(users),)

    Used by: the BPR and LambdaRank samplers (Chapters 4-5).
    """
    M = check_ratings(X, "X")
    u = check_index(users, "users", M.shape[0])
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, "
            f"got {type(rng).__name__}"
        )
    return _sample_negatives(M, u, rng)
