"""Sampling negatives for implicit-feedback training (Chapters 4-5)."""

from __future__ import annotations

import numpy as np


def is_positive(X, users, items):
    """Whether ``X[users[t], items[t]]`` is stored, for each t.

    ``X`` is CSR with sorted indices.
    """
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


def sample_negatives(X, users, rng):
    """One item per entry of ``users``, uniform over that user's negatives.

    A negative of a user is an item the user has not interacted with.

    Rejection sampling: draw uniformly, redraw the positives. Every user
    passed must have at least one negative.
    """
    n_items = X.shape[1]
    counts = np.diff(X.indptr)[users]
    if np.any(counts >= n_items):
        raise ValueError(
            "users: a user has interacted with every item, so has no "
            "negative to sample"
        )
    items = rng.integers(n_items, size=users.size)
    todo = np.flatnonzero(is_positive(X, users, items))
    while todo.size:
        items[todo] = rng.integers(n_items, size=todo.size)
        todo = todo[is_positive(X, users[todo], items[todo])]
    return items
