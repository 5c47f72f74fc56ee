r"""Ranking metrics with their conventions stated (Chapter 6).

Every function takes *ranked relevance*: the relevance labels of the items
a system returned, in the order it returned them (position 1 first). A 1-D
list gives one float; a 2-D array (one row per user) gives one value per
row, which is the batch version. Use
:func:`recsys_lessons.ranking.ranked_relevance` to turn scores into ranked
relevance.

Conventions (each docstring repeats the ones it uses):

* Positions are 1-based; position p is discounted by
  :math:`1/\log_2(p+1)`.
* Gain ``"exponential"`` is :math:`2^{rel}-1` (the lesson's, Burges et al.,
  ranx ``ndcg_burges``); ``"linear"`` is :math:`rel` (Järvelin & Kekäläinen,
  scikit-learn ``ndcg_score``, trec_eval ``ndcg``, ranx ``ndcg``).
* An item is *relevant* for binary metrics (AP, precision, recall, hit rate)
  when its label is > 0.
* A user with no relevant items scores 0 on NDCG, AP, recall and hit rate
  (the ideal DCG is 0; scikit-learn and ranx do the same).
* Ties: the given order *is* the ranking. ``ranking.top_k`` breaks tied
  scores by item index; scikit-learn's ``ndcg_score`` instead averages over
  tied orders, so compare them on tie-free scores.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    MAX_EXPONENTIAL_LABEL,
    as_numeric_array,
    check_choice,
    check_int,
    check_mask,
)

__all__ = [
    "GAINS",
    "dcg_at_k",
    "ndcg_at_k",
    "average_precision",
    "map_at_k",
    "precision_at_k",
    "recall_at_k",
    "hit_rate_at_k",
    "auc",
    "catalogue_coverage",
]

GAINS = ("exponential", "linear")


def _relevance(x, name):
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(
            f"{name} must be a 1-D or 2-D array of relevance labels, "
            f"got {type(x).__name__}"
        )
    # Refuses complex, strings (numeric or not), objects, ragged lists.
    arr = as_numeric_array(x, name)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D (one list) or 2-D (one row per user), "
            f"got {arr.ndim}-D"
        )
    arr = arr.astype(np.float64)
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must contain at least one ranked item")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (graded relevance labels)")
    return np.atleast_2d(arr), arr.ndim == 1


def _k(k, length):
    if k is None:
        return length
    return min(check_int(k, "k", low=1), length)


def _out(values, was_1d):
    return float(values[0]) if was_1d else values


def _gain_labels(rel, gain, name):
    """Check ``gain`` and, for the exponential gain, the labels ``rel``.

    2**y - 1 overflows float64 from y = 1024 (an infinite DCG, a NaN
    NDCG), and long before that one label's gain swamps every other:
    labels above ``MAX_EXPONENTIAL_LABEL`` are refused, naming ``name``.
    """
    gain = check_choice(gain, "gain", GAINS)
    top = np.max(rel) if np.size(rel) else 0.0
    if gain == "exponential" and top > MAX_EXPONENTIAL_LABEL:
        raise ValueError(
            f"{name} holds a label of {top:g}; with the exponential gain "
            f"2**label - 1 labels must be <= MAX_EXPONENTIAL_LABEL = "
            f'{MAX_EXPONENTIAL_LABEL} (use gain="linear" for larger labels)'
        )
    return gain


def _gain(rel, gain):
    gain = check_choice(gain, "gain", GAINS)
    return np.exp2(rel) - 1.0 if gain == "exponential" else rel


def _discounts(n):
    return 1.0 / np.log2(np.arange(2, n + 2))


def dcg_at_k(ranked_relevance, k=None, gain="exponential"):
    r"""Discounted cumulative gain, equation eq-dcg of Chapter 6.

    .. math:: \mathrm{DCG@k}=\sum_{p=1}^{k} g(rel_p)/\log_2(p+1)

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        Labels in ranked order: real, finite, >= 0, L >= 1; with the
        exponential gain at most ``MAX_EXPONENTIAL_LABEL`` (100).
    k : int >= 1, optional
        Cut-off; ``None`` or ``k > L`` uses the whole list.
    gain : {"exponential", "linear"}
        :math:`g(r) = 2^r - 1` (the lesson) or :math:`g(r) = r`.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> rel = [3, 2, 3, 0, 1, 2]  # the lesson's ranked list
    >>> round(metrics.dcg_at_k(rel, 6), 3)  # gain 2**y - 1
    13.848
    >>> round(metrics.dcg_at_k(rel, 6, gain="linear"), 3)
    6.861
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = _k(k, rel.shape[1])
    _gain_labels(rel, gain, "ranked_relevance")
    return _out(_gain(rel[:, :k], gain) @ _discounts(k), was_1d)


def ndcg_at_k(
    ranked_relevance, k=None, gain="exponential", ideal_relevance=None
):
    r"""Normalized DCG, equation eq-ndcg: DCG@k / IDCG@k.

    IDCG@k is the DCG@k of the labels sorted in decreasing order. By default
    the labels are those of the ranked list itself; pass ``ideal_relevance``
    (all of each user's labels, any order, zero-padded) when relevant items
    may be missing from the list. A user whose ideal DCG is 0 (no relevant
    item) scores 0.

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        As in :func:`dcg_at_k`: finite labels >= 0 (at most
        ``MAX_EXPONENTIAL_LABEL`` = 100 with the exponential gain).
    k : int >= 1, optional
    gain : {"exponential", "linear"}
    ideal_relevance : array, shape (L',) or (n_users, L'), optional
        The same conditions on its labels; one row per row of
        ``ranked_relevance``.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> rel = [3, 2, 3, 0, 1, 2]
    >>> round(metrics.ndcg_at_k(rel, 6), 3)
    0.949
    >>> round(metrics.ndcg_at_k(rel, 6, gain="linear"), 3)
    0.961
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    if ideal_relevance is None:
        ideal = rel
    else:
        ideal, ideal_1d = _relevance(ideal_relevance, "ideal_relevance")
        if ideal_1d != was_1d or ideal.shape[0] != rel.shape[0]:
            raise ValueError(
                "ideal_relevance must have one row per row of "
                "ranked_relevance, got shapes "
                f"{np.shape(ideal_relevance)} and "
                f"{np.shape(ranked_relevance)}"
            )
        _check_ideal_holds_ranked(rel, ideal)
    k_rel = _k(k, rel.shape[1])
    k_ideal = _k(k, ideal.shape[1])
    _gain_labels(rel, gain, "ranked_relevance")
    _gain_labels(ideal, gain, "ideal_relevance")
    dcg = _gain(rel[:, :k_rel], gain) @ _discounts(k_rel)
    best = -np.sort(-ideal, axis=1)[:, :k_ideal]
    idcg = _gain(best, gain) @ _discounts(k_ideal)
    safe = np.where(idcg > 0, idcg, 1.0)
    return _out(np.where(idcg > 0, dcg / safe, 0.0), was_1d)


def _check_ideal_holds_ranked(rel, ideal):
    """The ranked items are some of the user's items, so, each row sorted
    in decreasing order, a ranked label may nowhere exceed the ideal one
    at the same place. Otherwise DCG@k could exceed IDCG@k and NDCG leave
    [0, 1]."""
    width = max(rel.shape[1], ideal.shape[1])

    def sorted_padded(x):
        padded = np.zeros((x.shape[0], width))
        padded[:, : x.shape[1]] = -np.sort(-x, axis=1)
        return padded

    short = np.any(sorted_padded(rel) > sorted_padded(ideal), axis=1)
    if np.any(short):
        row = int(np.flatnonzero(short)[0])
        raise ValueError(
            "ideal_relevance must be all of the user's labels, of which "
            "ranked_relevance shows some: sorted, no ranked label may "
            f"exceed the ideal one at its place; row {row} ranks labels "
            f"{np.sort(rel[row][rel[row] > 0])[::-1].tolist()} but its "
            "ideal_relevance has only "
            f"{np.sort(ideal[row][ideal[row] > 0])[::-1].tolist()}"
        )


def _n_relevant(n_relevant, hits):
    if n_relevant is None:
        return hits.sum(axis=1)
    n = np.atleast_1d(np.asarray(n_relevant))
    if not np.issubdtype(n.dtype, np.integer):
        raise TypeError(
            "n_relevant must be an integer or integer array, "
            f"got dtype {n.dtype}"
        )
    if n.shape != (hits.shape[0],):
        raise ValueError(
            f"n_relevant must have one entry per user ({hits.shape[0]}), "
            f"got shape {n.shape}"
        )
    if np.any(n < hits.sum(axis=1)):
        raise ValueError(
            "n_relevant must be >= the number of relevant items "
            "in each ranked list"
        )
    return n.astype(np.float64)


def average_precision(
    ranked_relevance, k=None, n_relevant=None, denominator="all"
):
    r"""Average precision at k, equation eq-ap of Chapter 6.

    .. math:: \mathrm{AP@k} = \frac{1}{D}\sum_{p=1}^{k} P@p \cdot rel_p

    :math:`rel_p \in \{0, 1\}` is whether the item at position p is relevant
    (label > 0) and :math:`P@p` the precision of the first p items.

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        Finite labels >= 0 (relevant = > 0), L >= 1.
    k : int >= 1, optional
    n_relevant : int or int array, optional
        How many relevant items each user has in all. The default counts
        the relevant items in the whole ranked list (all L positions, not
        only the first k): right for a ranking of every candidate, and an
        overestimate of AP for a top-k list that misses relevant items.
        Pass it whenever the list may not hold all of them.
    denominator : {"all", "min_k"}
        ``"all"``: :math:`D = |\text{relevant}|` (trec_eval, ranx).
        ``"min_k"``: :math:`D = \min(k, |\text{relevant}|)` with the
        requested k, so a perfect top-k scores 1 even when a user has more
        than k relevant items (Kaggle's ``apk``, Spark's
        ``meanAveragePrecisionAt``). A list shorter than k is read as
        padded with non-relevant items: it does not shrink k.
        A user with :math:`D = 0` scores 0.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> # (1 + 2/3 + 1/2) / 3 relevant items
    >>> round(metrics.average_precision([1, 0, 1, 0, 0, 1]), 4)
    0.7222
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    denominator = check_choice(denominator, "denominator", ("all", "min_k"))
    k = rel.shape[1] if k is None else check_int(k, "k", low=1)
    # The sum runs over the positions that exist; D keeps the requested k,
    # so returning fewer than k items cannot raise the score.
    shown = min(k, rel.shape[1])
    hits = (rel > 0).astype(np.float64)
    n_rel = _n_relevant(n_relevant, hits)
    top = hits[:, :shown]
    precision_at_p = np.cumsum(top, axis=1) / np.arange(1, shown + 1)
    total = (precision_at_p * top).sum(axis=1)
    D = n_rel if denominator == "all" else np.minimum(n_rel, k)
    return _out(
        np.where(D > 0, total / np.where(D > 0, D, 1.0), 0.0), was_1d
    )


def map_at_k(ranked_relevance, k=None, n_relevant=None, denominator="all"):
    """Mean of :func:`average_precision` over users (rows of a 2-D array).

    Parameters
    ----------
    ranked_relevance : array, shape (n_users, L)
        At least one user (row) and one ranked item; labels finite and
        >= 0.
    k, n_relevant, denominator
        As in :func:`average_precision`.

    Returns
    -------
    float in [0, 1]

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> round(metrics.map_at_k([[1, 0, 1], [0, 1, 0]], 3), 4)
    0.6667
    """
    if (
        isinstance(ranked_relevance, (str, bytes))
        or ranked_relevance is None
    ):
        raise TypeError(
            "ranked_relevance must be a 2-D array of relevance labels, "
            f"got {type(ranked_relevance).__name__}"
        )
    rel = as_numeric_array(ranked_relevance, "ranked_relevance")
    if rel.ndim != 2:
        raise ValueError(
            "ranked_relevance must be 2-D (one row per user), "
            f"got {rel.ndim}-D"
        )
    if rel.shape[0] == 0:
        raise ValueError(
            "ranked_relevance has no users (rows): the mean over users "
            "is undefined"
        )
    return float(
        np.mean(average_precision(rel, k, n_relevant, denominator))
    )


def precision_at_k(ranked_relevance, k):
    """Precision@k: relevant items among the first k, divided by k.

    A list shorter than k still divides by k (the missing slots are misses).

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        Finite labels >= 0 (relevant = > 0), L >= 1.
    k : int >= 1

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> metrics.precision_at_k([1, 0, 1, 0], 2)
    0.5
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = check_int(k, "k", low=1)
    return _out((rel[:, :k] > 0).sum(axis=1) / k, was_1d)


def recall_at_k(ranked_relevance, k, n_relevant=None):
    """Recall@k: relevant items among the first k over all relevant items.

    A user with no relevant item scores 0.

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        Finite labels >= 0 (relevant = > 0), L >= 1.
    k : int >= 1
    n_relevant : int or int array, optional
        As in :func:`average_precision`: integers >= the relevant items
        in each list, one per user.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Defined in: Chapter 6.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> metrics.recall_at_k([1, 0, 1, 0], 2, n_relevant=4)
    0.25
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = check_int(k, "k", low=1)
    hits = (rel > 0).astype(np.float64)
    n_rel = _n_relevant(n_relevant, hits)
    found = hits[:, :k].sum(axis=1)
    return _out(
        np.where(n_rel > 0, found / np.where(n_rel > 0, n_rel, 1.0), 0.0),
        was_1d,
    )


def hit_rate_at_k(ranked_relevance, k):
    """Hit rate@k: 1 if any of the first k items is relevant, else 0.

    Parameters
    ----------
    ranked_relevance : array, shape (L,) or (n_users, L)
        Finite labels >= 0 (relevant = > 0), L >= 1.
    k : int >= 1

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Notes
    -----
    Used by: no chapter (a companion of :func:`precision_at_k`, Chapter 6).

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> metrics.hit_rate_at_k([[0, 0, 1], [0, 0, 0]], 3)
    array([1., 0.])
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = check_int(k, "k", low=1)
    return _out((rel[:, :k] > 0).any(axis=1).astype(np.float64), was_1d)


def auc(scores, positives, exclude=None):
    r"""Mean per-user AUC: the chance a held-out positive beats a negative.

    For user u with positives :math:`P_u` and negatives :math:`N_u` (items
    neither positive nor excluded),

    .. math:: \mathrm{AUC}_u = \frac{1}{|P_u||N_u|}
              \sum_{i\in P_u}\sum_{j\in N_u}
              \big([s_i > s_j] + \tfrac12 [s_i = s_j]\big)

    (ties count one half), and the result is the mean over users with at
    least one positive and one negative (Rendle et al. 2009, eq. 11).

    Parameters
    ----------
    scores : ndarray, shape (n_users, n_items)
        Real, finite numbers (any magnitude).
    positives : bool array or sparse matrix, same shape
        Held-out positive items (non-zero = positive; NaN refused).
    exclude : bool array or sparse matrix, same shape, optional
        Items to leave out of the negatives (typically the training
        positives).

    Returns
    -------
    float in [0, 1]

    Notes
    -----
    Defined in: Chapter 4.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> metrics.auc([[0.9, 0.1, 0.5, 0.3]], [[1, 0, 0, 1]])
    0.75
    """
    from scipy.stats import rankdata

    if isinstance(scores, (str, bytes)) or scores is None:
        raise TypeError(
            "scores must be a 2-D array of numbers, "
            f"got {type(scores).__name__}"
        )
    S = as_numeric_array(scores, "scores").astype(np.float64)
    if S.ndim != 2:
        raise ValueError(
            f"scores must be 2-D (users x items), got {S.ndim}-D"
        )
    if not np.all(np.isfinite(S)):
        raise ValueError("scores contains NaN or infinite values")
    pos = check_mask(positives, "positives", S.shape, shape_of="scores")
    excl = (
        np.zeros_like(pos)
        if exclude is None
        else check_mask(exclude, "exclude", S.shape, shape_of="scores")
        & ~pos
    )
    # Excluded items are pushed below everything (to -inf: scores are
    # finite, and S.min() - 1 equals S.min() once |S| >= 2**53); ranks of
    # the rest shift by the number excluded, which is subtracted again.
    ranks = rankdata(np.where(excl, -np.inf, S), method="average", axis=1)
    n_pos = pos.sum(axis=1)
    n_neg = S.shape[1] - n_pos - excl.sum(axis=1)
    rank_sum = np.where(
        pos, ranks - excl.sum(axis=1, keepdims=True), 0.0
    ).sum(axis=1)
    valid = (n_pos > 0) & (n_neg > 0)
    if not valid.any():
        raise ValueError(
            "no user has both a positive and a negative item; "
            "AUC is undefined"
        )
    per_user = (rank_sum[valid] - n_pos[valid] * (n_pos[valid] + 1) / 2) / (
        n_pos[valid] * n_neg[valid]
    )
    return float(per_user.mean())


def catalogue_coverage(recommended, n_items):
    """Share of the catalogue that appears in at least one user's list.

    Parameters
    ----------
    recommended : int array, shape (n_users, k)
        Item indices in ``[0, n_items)`` (``-1`` = empty slot, ignored),
        e.g. from ``ranking.top_k``. Any shape is accepted.
    n_items : int >= 1
        Catalogue size.

    Returns
    -------
    float in [0, 1]

    Notes
    -----
    Defined in: Chapter 7.

    Examples
    --------
    >>> from recsys_lessons import metrics
    >>> metrics.catalogue_coverage([[0, 1], [1, 2]], 10)  # 3 of 10 items
    0.3
    """
    if isinstance(recommended, (str, bytes)) or recommended is None:
        raise TypeError(
            "recommended must be an integer array of item indices, "
            f"got {type(recommended).__name__}"
        )
    items = as_numeric_array(recommended, "recommended")
    if items.dtype == bool or not np.issubdtype(items.dtype, np.integer):
        raise TypeError(
            "recommended must hold integer item indices, "
            f"got dtype {items.dtype}"
        )
    n_items = check_int(n_items, "n_items", low=1)
    if items.size and items.min() < -1:
        raise ValueError(
            f"recommended holds item {items.min()}: item indices lie in "
            f"[0, n_items) and -1 marks an empty slot"
        )
    shown = items[items >= 0]
    if shown.size and shown.max() >= n_items:
        raise ValueError(
            f"recommended holds item {shown.max()}, "
            f"outside a catalogue of {n_items}"
        )
    return float(np.unique(shown).size / n_items)
