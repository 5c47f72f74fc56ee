"""From scores to ranked lists (Chapters 4-6).

The metrics in :mod:`recsys_lessons.metrics` take ranked relevance; these
helpers produce it from a score matrix, leaving out items a user already saw
in training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import scipy.sparse as sp

from ._validation import (
    as_numeric_array,
    check_int,
    check_mask,
    check_sparse,
)

__all__ = ["top_k", "RankedLists", "ranked_relevance"]


def _dense_mask(x, shape, name):
    if x is None:
        return None
    return check_mask(x, name, shape)


def _scores(scores):
    if isinstance(scores, (str, bytes)) or scores is None:
        raise TypeError(
            "scores must be a 2-D array of numbers, "
            f"got {type(scores).__name__}"
        )
    # Refuses complex, strings (numeric or not), objects, ragged lists.
    S = as_numeric_array(scores, "scores").astype(np.float64)
    if S.ndim != 2:
        raise ValueError(
            f"scores must be 2-D (users x items), got {S.ndim}-D"
        )
    if not np.all(np.isfinite(S)):
        raise ValueError("scores contains NaN or infinite values")
    return S


@numba.njit(cache=True)
def _top_k_kernel(S, excl, k, out):
    # Insertion into a sorted list of k slots: O(n k) per row, far cheaper
    # than a full sort for the small k of top-k lists. Order: higher score
    # first, then lower index, exactly as a stable descending sort.
    n_rows, n_items = S.shape
    for r in range(n_rows):
        filled = 0
        for j in range(n_items):
            if excl[r, j]:
                continue
            s = S[r, j]
            if filled == k and not (s > S[r, out[r, k - 1]]):
                continue
            pos = filled if filled < k else k - 1
            while pos > 0 and s > S[r, out[r, pos - 1]]:
                if pos < k:
                    out[r, pos] = out[r, pos - 1]
                pos -= 1
            out[r, pos] = j
            if filled < k:
                filled += 1
        for p in range(filled, k):
            out[r, p] = -1


def top_k(scores, k, exclude=None):
    """Indices of each user's k highest-scoring items, best first.

    Tied scores are broken by the lower item index, so the result is
    deterministic (it equals a stable descending sort). Excluded items
    (e.g. training interactions) are never returned; a user with fewer than
    k eligible items gets ``-1`` in the remaining slots.

    Parameters
    ----------
    scores : ndarray, shape (n_users, n_items)
        Real, finite numbers.
    k : int >= 1
        Values above n_items give n_items slots.
    exclude : bool array or sparse matrix of the same shape, optional
        Non-zero = excluded; NaN, complex or a broken sparse structure
        are refused.

    Returns
    -------
    ndarray of int64, shape (n_users, min(k, n_items))

    Notes
    -----
    Defined in: Chapter 4.

    Examples
    --------
    >>> import numpy as np
    >>> from recsys_lessons import ranking
    >>> scores = np.array([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]])
    >>> ranking.top_k(scores, 2)  # the tie in row 1 goes to item 0
    array([[1, 2],
           [0, 1]])
    >>> ranking.top_k(scores[:1], 2, exclude=np.array([[0, 1, 0]]))
    array([[2, 0]])
    """
    S = _scores(scores)
    k = min(check_int(k, "k", low=1), S.shape[1])
    excl = _dense_mask(exclude, S.shape, "exclude")
    if excl is None:
        excl = np.zeros(S.shape, dtype=np.bool_)
    out = np.empty((S.shape[0], k), dtype=np.int64)
    _top_k_kernel(S, np.ascontiguousarray(excl), k, out)
    return out


@dataclass
class RankedLists:
    """Top-k lists and what the metrics need to score them.

    ``items`` (n_users, k) are the recommended items (``-1`` = none),
    ``relevance`` their labels in rank order, ``ideal`` each user's k
    largest labels (for IDCG), ``n_relevant`` each user's number of items
    with label > 0.
    """

    items: np.ndarray
    relevance: np.ndarray
    ideal: np.ndarray
    n_relevant: np.ndarray


def ranked_relevance(scores, relevance, k, exclude=None):
    """Rank items by score and look up their held-out relevance.

    Parameters
    ----------
    scores : ndarray, shape (n_users, n_items)
        Real, finite numbers.
    relevance : sparse matrix or array, same shape
        Held-out labels (0 = not relevant): finite and >= 0. Read
        through a copy; the caller's matrix is never modified.
    k : int >= 1
    exclude : optional, as in :func:`top_k`

    Returns
    -------
    RankedLists

    Notes
    -----
    Defined in: Chapter 6.
    """
    S = _scores(scores)
    if not (sp.issparse(relevance) or isinstance(relevance, np.ndarray)):
        raise TypeError(
            "relevance must be a numpy array or scipy.sparse matrix, "
            f"got {type(relevance).__name__}"
        )
    if relevance.shape != S.shape:
        raise ValueError(
            f"relevance must have shape {S.shape}, got {relevance.shape}"
        )
    if sp.issparse(relevance):
        # A structurally checked, canonical float64 CSR copy.
        L = check_sparse(relevance, "relevance")
    else:
        L = sp.csr_matrix(
            as_numeric_array(relevance, "relevance").astype(np.float64)
        )
    if not np.all(np.isfinite(L.data)) or np.any(L.data < 0):
        raise ValueError("relevance must be finite and >= 0")
    L.eliminate_zeros()
    L.sort_indices()
    items = top_k(S, k, exclude)
    kk = items.shape[1]
    rows = np.repeat(np.arange(S.shape[0])[:, None], kk, axis=1)
    # Labels of the recommended items, read from the sparse matrix
    # (0 if absent).
    got = np.asarray(L[rows.ravel(), np.maximum(items, 0).ravel()]).reshape(
        items.shape
    )
    got = np.where(items >= 0, got, 0.0)
    # Each user's k largest labels: sort the stored labels within each row.
    row_of = np.repeat(np.arange(S.shape[0]), np.diff(L.indptr))
    order = np.lexsort((-L.data, row_of))
    rank_in_row = np.arange(L.nnz) - L.indptr[row_of[order]]
    keep = rank_in_row < kk
    ideal = np.zeros((S.shape[0], kk))
    ideal[row_of[order][keep], rank_in_row[keep]] = L.data[order][keep]
    n_rel = np.diff(L.indptr)
    return RankedLists(items, got, ideal, n_rel)
