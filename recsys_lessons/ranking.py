"""From scores to ranked lists (Chapters 4-6).

The metrics in :mod:`recsys_lessons.metrics` take ranked relevance; these
helpers produce it from a score matrix, leaving out items a user already saw
in training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._validation import check_int

__all__ = ["top_k", "RankedLists", "ranked_relevance"]


def _dense_mask(x, shape, name):
    if x is None:
        return None
    arr = x.toarray() if sp.issparse(x) else np.asarray(x)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr != 0


def _scores(scores):
    S = np.asarray(scores, dtype=np.float64)
    if S.ndim != 2:
        raise ValueError(f"scores must be 2-D (users x items), got {S.ndim}-D")
    if not np.all(np.isfinite(S)):
        raise ValueError("scores contains NaN or infinite values")
    return S


def top_k(scores, k, exclude=None):
    """Indices of each user's k highest-scoring items, best first.

    Tied scores are broken by the lower item index, so the result is
    deterministic. Excluded items (e.g. training interactions) are never
    returned; a user with fewer than k eligible items gets ``-1`` in the
    remaining slots.

    Parameters
    ----------
    scores : ndarray, shape (n_users, n_items)
    k : int >= 1
    exclude : bool array or sparse matrix of the same shape, optional

    Returns
    -------
    ndarray of int64, shape (n_users, min(k, n_items))

    Defined in: Chapter 4.
    """
    S = _scores(scores)
    k = min(check_int(k, "k", low=1), S.shape[1])
    excl = _dense_mask(exclude, S.shape, "exclude")
    keyed = S if excl is None else np.where(excl, -np.inf, S)
    order = np.argsort(-keyed, axis=1, kind="stable")[:, :k]
    if excl is not None:
        order = np.where(np.take_along_axis(excl, order, axis=1), -1, order)
    return order


@dataclass
class RankedLists:
    """Top-k lists and what the metrics need to score them.

    ``items`` (n_users, k) are the recommended items (``-1`` = none),
    ``relevance`` their labels in rank order, ``ideal`` each user's k largest
    labels (for IDCG), ``n_relevant`` each user's number of items with label > 0.
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
    relevance : sparse matrix or array, same shape
        Held-out labels (0 = not relevant).
    k : int >= 1
    exclude : optional, as in :func:`top_k`

    Returns
    -------
    RankedLists

    Defined in: Chapter 6.
    """
    S = _scores(scores)
    if not (sp.issparse(relevance) or isinstance(relevance, np.ndarray)):
        raise TypeError(f"relevance must be a numpy array or scipy.sparse matrix, got {type(relevance).__name__}")
    if relevance.shape != S.shape:
        raise ValueError(f"relevance must have shape {S.shape}, got {relevance.shape}")
    labels = relevance.toarray() if sp.issparse(relevance) else np.asarray(relevance, dtype=np.float64)
    if not np.all(np.isfinite(labels)) or np.any(labels < 0):
        raise ValueError("relevance must be finite and >= 0")
    items = top_k(S, k, exclude)
    got = np.where(items >= 0, np.take_along_axis(labels, np.maximum(items, 0), axis=1), 0.0)
    kk = items.shape[1]
    ideal = -np.sort(-labels, axis=1)[:, :kk]
    n_rel = (labels > 0).sum(axis=1)
    return RankedLists(items, got, ideal, n_rel)
