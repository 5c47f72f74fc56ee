"""Sampling for implicit-feedback training: negatives (Chapter 4) and
LambdaRank's candidate lists (Chapter 5).

A user's *positives* are the non-zero entries of their row of ``X``; every
other item is a *negative*.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    MAX_SAMPLES,
    check_index,
    check_index_pairs,
    check_int,
    check_labels,
    check_ratings,
    check_rng,
)

__all__ = ["is_positive", "sample_negatives", "sample_candidates"]


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

    Notes
    -----
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

    Notes
    -----
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


def sample_candidates(R, n_candidates, seed=0):
    """Per user, a candidate list: positives (at most half) and negatives.

    Negatives are drawn uniformly from the user's unlabelled items.

    Returns flat CSR-like arrays ``(indptr, items, labels)``: user u's
    candidates are ``items[indptr[u]:indptr[u+1]]`` with labels from ``R``
    (0 for sampled negatives). Users with no positive get no list.

    Parameters
    ----------
    R : array or sparse matrix, shape (n_users, n_items)
        Relevance labels: finite, >= 0 (0 = unlabelled), at least one
        non-zero.
    n_candidates : int in [2, n_items]
        List length; users with a list times ``n_candidates`` must be at
        most ``MAX_SAMPLES`` (10**8).
    seed : int >= 0, numpy.random.Generator or None

    Returns
    -------
    tuple of ndarrays (indptr, items, labels)

    Notes
    -----
    Defined in: Chapter 5 (moved here from ``lambdarank``).
    """
    M = check_labels(R, "R")
    n_candidates = check_int(
        n_candidates, "n_candidates", low=2, high=M.shape[1]
    )
    rng = check_rng(seed)
    return _sample_candidates(M, n_candidates, rng)


def _sample_candidates(M, n_candidates, rng):
    # M: checked labels (canonical CSR); n_candidates in [2, n_items].
    counts = np.diff(M.indptr)
    total = int(np.count_nonzero(counts)) * n_candidates
    if total > MAX_SAMPLES:
        raise ValueError(
            f"n_candidates = {n_candidates} for {np.count_nonzero(counts)} "
            f"users is {total} candidates, more than MAX_SAMPLES = "
            f"{MAX_SAMPLES}; lower n_candidates"
        )
    n_pos = np.minimum(counts, n_candidates // 2)
    n_neg = np.where(
        counts > 0, np.minimum(n_candidates - n_pos, M.shape[1] - counts), 0
    )
    items, labels = [], []
    for u in np.flatnonzero(counts > 0):
        lo, hi = M.indptr[u], M.indptr[u + 1]
        chosen = rng.choice(hi - lo, size=n_pos[u], replace=False) + lo
        items.append(M.indices[chosen])
        labels.append(M.data[chosen])
    users = np.repeat(np.flatnonzero(counts > 0), n_neg[counts > 0])
    negs = (
        _sample_negatives(M, users, rng)
        if users.size
        else np.empty(0, dtype=np.int64)
    )
    # Negatives are drawn with replacement; a repeat within one list is rare
    # and harmless (two equal-label copies form no pair).
    sizes = n_pos + n_neg
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    flat_items = np.empty(indptr[-1], dtype=np.int64)
    flat_labels = np.zeros(indptr[-1])
    neg_start = 0
    for slot, u in enumerate(np.flatnonzero(counts > 0)):
        a = indptr[u]
        flat_items[a : a + n_pos[u]] = items[slot]
        flat_labels[a : a + n_pos[u]] = labels[slot]
        flat_items[a + n_pos[u] : indptr[u + 1]] = negs[
            neg_start : neg_start + n_neg[u]
        ]
        neg_start += n_neg[u]
    return indptr, flat_items, flat_labels
