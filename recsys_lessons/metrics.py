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

from ._validation import check_choice, check_int

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
    arr = np.asarray(x)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
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
        Labels in ranked order.
    k : int >= 1, optional
        Cut-off; ``None`` or ``k > L`` uses the whole list.
    gain : {"exponential", "linear"}
        :math:`g(r) = 2^r - 1` (the lesson) or :math:`g(r) = r`.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Defined in: Chapter 6.
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = _k(k, rel.shape[1])
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
    k : int >= 1, optional
    gain : {"exponential", "linear"}
    ideal_relevance : array, shape (L',) or (n_users, L'), optional

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Defined in: Chapter 6.
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
    k_rel = _k(k, rel.shape[1])
    k_ideal = _k(k, ideal.shape[1])
    dcg = _gain(rel[:, :k_rel], gain) @ _discounts(k_rel)
    best = -np.sort(-ideal, axis=1)[:, :k_ideal]
    idcg = _gain(best, gain) @ _discounts(k_ideal)
    safe = np.where(idcg > 0, idcg, 1.0)
    return _out(np.where(idcg > 0, dcg / safe, 0.0), was_1d)


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
    k : int >= 1, optional
    n_relevant : int or int array, optional
        How many relevant items each user has in all (default: the number in
        the ranked list, which is right only if the list contains them all).
    denominator : {"all", "min_k"}
        ``"all"``: :math:`D = |\text{relevant}|` (trec_eval, ranx).
        ``"min_k"``: :math:`D = \min(k, |\text{relevant}|)`, so a perfect
        top-k scores 1 even when a user has more than k relevant items
        (Kaggle's ``apk``).
        A user with :math:`D = 0` scores 0.

    Returns
    -------
    float, or ndarray of shape (n_users,)

    Defined in: Chapter 6.
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    denominator = check_choice(denominator, "denominator", ("all", "min_k"))
    k = _k(k, rel.shape[1])
    hits = (rel > 0).astype(np.float64)
    n_rel = _n_relevant(n_relevant, hits)
    top = hits[:, :k]
    precision_at_p = np.cumsum(top, axis=1) / np.arange(1, k + 1)
    total = (precision_at_p * top).sum(axis=1)
    D = n_rel if denominator == "all" else np.minimum(n_rel, k)
    return _out(
        np.where(D > 0, total / np.where(D > 0, D, 1.0), 0.0), was_1d
    )


def map_at_k(ranked_relevance, k=None, n_relevant=None, denominator="all"):
    """Mean of :func:`average_precision` over users (rows of a 2-D array).

    Defined in: Chapter 6.
    """
    rel = np.asarray(ranked_relevance)
    if rel.ndim != 2:
        raise ValueError(
            "ranked_relevance must be 2-D (one row per user), "
            f"got {rel.ndim}-D"
        )
    return float(
        np.mean(average_precision(rel, k, n_relevant, denominator))
    )


def precision_at_k(ranked_relevance, k):
    """Precision@k: relevant items among the first k, divided by k.

    A list shorter than k still divides by k (the missing slots are misses).

    Defined in: Chapter 6.
    """
    rel, was_1d = _relevance(ranked_relevance, "ranked_relevance")
    k = check_int(k, "k", low=1)
    return _out((rel[:, :k] > 0).sum(axis=1) / k, was_1d)


def recall_at_k(ranked_relevance, k, n_relevant=None):
    """Recall@k: relevant items among the first k over all relevant items.

    A user with no relevant item scores 0.

    Defined in: Chapter 6.
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

    Defined in: Chapter 6.
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
    positives : bool array or sparse matrix, same shape
        Held-out positive items.
    exclude : bool array or sparse matrix, same shape, optional
        Items to leave out of the negatives (typically the training
        positives).

    Returns
    -------
    float

    Defined in: Chapter 4.
    """
    import scipy.sparse as sp
    from scipy.stats import rankdata

    S = np.asarray(scores, dtype=np.float64)
    if S.ndim != 2:
        raise ValueError(
            f"scores must be 2-D (users x items), got {S.ndim}-D"
        )
    if not np.all(np.isfinite(S)):
        raise ValueError("scores contains NaN or infinite values")

    def mask(x, name):
        arr = x.toarray() if sp.issparse(x) else np.asarray(x)
        if arr.shape != S.shape:
            raise ValueError(
                f"{name} must have the shape of scores {S.shape}, "
                f"got {arr.shape}"
            )
        return arr != 0

    pos = mask(positives, "positives")
    excl = (
        np.zeros_like(pos)
        if exclude is None
        else mask(exclude, "exclude") & ~pos
    )
    # Excluded items are pushed below everything; ranks of the rest shift by
    # the number excluded, which is subtracted again.
    lowest = S.min() - 1.0
    ranks = rankdata(np.where(excl, lowest, S), method="average", axis=1)
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
        Item indices (``-1`` = empty slot, ignored), e.g. from
        ``ranking.top_k``.
    n_items : int
        Catalogue size.

    Returns
    -------
    float in [0, 1]

    Defined in: Chapter 7.
    """
    items = np.asarray(recommended)
    if not np.issubdtype(items.dtype, np.integer):
        raise TypeError(
            "recommended must hold integer item indices, "
            f"got dtype {items.dtype}"
        )
    n_items = check_int(n_items, "n_items", low=1)
    shown = items[items >= 0]
    if shown.size and shown.max() >= n_items:
        raise ValueError(
            f"recommended holds item {shown.max()}, "
            f"outside a catalogue of {n_items}"
        )
    return float(np.unique(shown).size / n_items)
