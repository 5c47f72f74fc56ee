r"""RankNet and LambdaRank gradients, and an MF scorer trained with them.

For one user's candidate list with scores :math:`s` and labels :math:`y`,
the pairs are :math:`I = \{(i, j) : y_i > y_j\}`. RankNet's cost
(Chapter 5, eq-ranknet-cost) is

.. math:: C = \sum_{(i,j)\in I} \ln\big(1 + e^{-\gamma (s_i - s_j)}\big),

with :math:`\gamma > 0` the *shape parameter* of the sigmoid (Burges writes
it :math:`\sigma`; the book keeps :math:`\sigma` for the sigmoid itself).
Its gradient (eq-lambda-i) is :math:`\Lambda_i = \partial C/\partial s_i =
\sum_{j:(i,j)\in I}\Lambda_{ij} - \sum_{j:(j,i)\in I}\Lambda_{ji}` with
:math:`\Lambda_{ij} = -\gamma / (1 + e^{\gamma(s_i - s_j)})` (eq-lambda-ij;
the lesson and Burges write :math:`\lambda_{ij}`, the book :math:`\Lambda`
so that :math:`\lambda` is only the L2 strength).

LambdaRank (Burges, Ragno and Le 2006; Burges 2010, section 4) multiplies
each pair's weight by the change in NDCG from swapping i and j in the
current ranking (eq-lambdarank):

.. math:: \Lambda_{ij} = \frac{-\gamma\,
          \lvert\Delta \mathrm{NDCG}_{ij}\rvert}
          {1 + e^{\gamma (s_i - s_j)}}.

Sign convention: the functions return :math:`\partial C/\partial s`, so a
gradient-*descent* step :math:`s \leftarrow s - \eta\,\Lambda` raises the
more relevant item of each pair (its :math:`\Lambda_{ij}` is negative).
For LambdaRank, :math:`\Lambda` is the gradient of the
:math:`\lvert\Delta\mathrm{NDCG}\rvert`-weighted cost only while the
ranking, hence the weights, stays fixed (Chapter 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from . import evaluation, metrics, sampling
from ._deprecation import moved_names, renamed_keyword
from ._ranking_model import RankingModel
from ._validation import (
    MAX_SAMPLES,
    as_numeric_array,
    check_choice,
    check_factor_size,
    check_factors,
    check_finite_result,
    check_float,
    check_index,
    check_init,
    check_int,
    check_k,
    check_labels,
    check_lam,
    check_learning_rate,
    check_n_iters,
    check_rng,
    check_same_shape,
    check_writable,
)

__all__ = [
    "delta_ndcg",
    "lambda_gradients",
    "ranknet_gradients",
    "ranknet_loss",
    "lambdarank_epoch",
    "lambdarank_epoch_reference",
    "fit_lambdarank",
    "LambdaRankResult",
    "METHODS",
]

METHODS = ("lambdarank", "ranknet")

# The sigmoid's shape parameter gamma multiplies every force, like a
# learning rate: beyond 100 the sigmoid is a step at float64 resolution for
# score gaps above 7.5, and the forces, hence the factors, overflow sooner.
MAX_GAMMA = 100.0


def _gamma(gamma):
    return check_float(
        gamma, "gamma", low=0.0, low_open=True, high=MAX_GAMMA
    )


def _list(scores, relevance):
    arrays = []
    for x, name in ((scores, "scores"), (relevance, "relevance")):
        if isinstance(x, (str, bytes)) or x is None:
            raise TypeError(
                f"{name} must be a 1-D array of numbers, "
                f"got {type(x).__name__}"
            )
        # Refuses complex, strings (numeric or not), objects, ragged lists.
        arr = as_numeric_array(x, name)
        if arr.dtype == bool:
            raise TypeError(f"{name} must hold numbers, got dtype bool")
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (one candidate list), got {arr.ndim}-D"
            )
        arrays.append(arr)
    s, y = arrays
    if s.shape != y.shape:
        raise ValueError(
            "scores and relevance must have the same length, "
            f"got {s.size} and {y.size}"
        )
    if s.size == 0:
        raise ValueError("scores must contain at least one candidate")
    s = s.astype(np.float64)
    y = y.astype(np.float64)
    for arr, name in ((s, "scores"), (y, "relevance")):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or inf)")
    if np.any(y < 0):
        raise ValueError("relevance must be >= 0")
    return s, y


def _truncation(cutoff, n):
    return (
        n if cutoff is None else min(check_int(cutoff, "cutoff", low=1), n)
    )


@renamed_keyword("k", "cutoff")
def delta_ndcg(scores, relevance, cutoff=None, gain="exponential"):
    r""":math:`|\Delta\mathrm{NDCG@}c_{ij}|` for swapping items i and j.

    The swap is made in the ranking by ``scores`` (Chapter 5, the
    definition under eq-lambdarank).

    The ranking sorts scores in decreasing order, ties by index. Swapping
    two items exchanges their discounts, so :math:`|\Delta_{ij}| =
    |g(y_i) - g(y_j)|\,|d(p_i) - d(p_j)| / \mathrm{IDCG@}c`
    with :math:`d(p) = 1/\log_2(p+1)` for :math:`p \le c` and 0 beyond,
    :math:`c` the ``cutoff``.
    An all-zero label list gives all zeros.

    Parameters
    ----------
    scores : 1-D array of finite real numbers, length n >= 1
    relevance : 1-D array, length n
        Labels: finite, >= 0; with the exponential gain at most
        ``MAX_EXPONENTIAL_LABEL`` (100).
    cutoff : int >= 1, optional
        NDCG truncation level c (``None``: the whole list). Its old name
        ``k=`` works for one release, with a ``FutureWarning``.
    gain : {"exponential", "linear"}

    Returns
    -------
    ndarray, shape (n, n), symmetric, zero diagonal

    Notes
    -----
    Defined in: Chapter 5.
    """
    s, y = _list(scores, relevance)
    c = _truncation(cutoff, s.size)
    metrics._gain_labels(y, gain, "relevance")
    g = metrics._gain(y, gain)
    pos = np.empty(s.size, dtype=np.int64)
    pos[np.argsort(-s, kind="stable")] = np.arange(1, s.size + 1)
    d = np.where(pos <= c, 1.0 / np.log2(pos + 1.0), 0.0)
    idcg = metrics._gain(-np.sort(-y)[:c], gain) @ metrics._discounts(c)
    if idcg == 0:
        return np.zeros((s.size, s.size))
    return np.abs(np.subtract.outer(g, g) * np.subtract.outer(d, d)) / idcg


def _pair_lambdas(s, y, gamma, weights):
    # Lambda_ij for the ordered pairs with y_i > y_j, zero elsewhere: the
    # zero is what makes the all-pairs sum of the lesson's formula right.
    better = np.greater.outer(y, y)
    pair = (
        -gamma
        * weights
        * np.exp(-np.logaddexp(0.0, gamma * np.subtract.outer(s, s)))
    )
    return np.where(better, pair, 0.0)


def ranknet_gradients(scores, relevance, gamma=1.0):
    """RankNet gradient dC/ds (eq-lambda-i with eq-lambda-ij).

    Parameters
    ----------
    scores, relevance : 1-D arrays of one candidate list
        Equal lengths n >= 1, finite real numbers; labels >= 0.
    gamma : float in (0, MAX_GAMMA = 100]
        Sigmoid shape parameter.

    Returns
    -------
    ndarray, shape (n,): dC/ds_i (negative = push up)

    Notes
    -----
    Defined in: Chapter 5.
    """
    s, y = _list(scores, relevance)
    gamma = _gamma(gamma)
    pair = _pair_lambdas(s, y, gamma, 1.0)
    return pair.sum(axis=1) - pair.sum(axis=0)


@renamed_keyword("k", "cutoff")
def lambda_gradients(
    scores, relevance, gamma=1.0, cutoff=None, gain="exponential"
):
    """LambdaRank forces Lambda_i (eq-lambdarank summed as in eq-lambda-i).

    RankNet's pair gradients, each weighted by the pair's |ΔNDCG@cutoff|.

    Parameters
    ----------
    scores, relevance : 1-D arrays of one candidate list
        Equal lengths n >= 1, finite real numbers; labels >= 0 and, with
        the exponential gain, at most ``MAX_EXPONENTIAL_LABEL`` (100).
    gamma : float in (0, MAX_GAMMA = 100]
        Sigmoid shape parameter.
    cutoff : int >= 1, optional
        Truncation level of the NDCG whose changes weight the pairs; pairs
        that both lie below position ``cutoff`` get weight 0.
    gain : {"exponential", "linear"}

    Returns
    -------
    ndarray, shape (n,): dC/ds_i (negative = push up)

    Notes
    -----
    Defined in: Chapter 5.
    """
    s, y = _list(scores, relevance)
    gamma = _gamma(gamma)
    pair = _pair_lambdas(s, y, gamma, delta_ndcg(s, y, cutoff, gain))
    return pair.sum(axis=1) - pair.sum(axis=0)


def ranknet_loss(scores, relevance, gamma=1.0, weights=None):
    """RankNet cost C (eq-ranknet-cost summed over the pairs I).

    ``weights`` (n x n) multiplies each pair's term. With
    ``weights = delta_ndcg(...)`` held fixed, the gradient of this cost is
    exactly :func:`lambda_gradients`: Chapter 5 and the tests check it by
    finite differences. Once the scores move far enough to change the
    ranking, the weights change and no single cost has the LambdaRank
    forces as its gradient (Chapter 5).

    Parameters
    ----------
    scores, relevance : 1-D arrays of one candidate list
        Equal lengths n >= 1, finite real numbers; labels >= 0.
    gamma : float in (0, MAX_GAMMA = 100]
        Sigmoid shape parameter.
    weights : array, shape (n, n), optional
        Finite, >= 0 (default: all ones, plain RankNet).

    Returns
    -------
    float >= 0

    Notes
    -----
    Defined in: Chapter 5.
    """
    s, y = _list(scores, relevance)
    gamma = _gamma(gamma)
    if weights is None:
        w = np.ones((s.size, s.size))
    else:
        w = as_numeric_array(weights, "weights").astype(np.float64)
        if w.shape != (s.size, s.size):
            raise ValueError(
                f"weights must have shape {(s.size, s.size)}, got {w.shape}"
            )
        if not np.all(np.isfinite(w)):
            raise ValueError("weights contains NaN or infinite values")
        if np.any(w < 0):
            raise ValueError(
                "weights must be >= 0 (e.g. the |ΔNDCG| of delta_ndcg)"
            )
    with np.errstate(over="ignore", invalid="ignore"):
        terms = w * np.logaddexp(0.0, -gamma * np.subtract.outer(s, s))
        cost = float(np.sum(np.where(np.greater.outer(y, y), terms, 0.0)))
    return check_finite_result(
        cost, "the RankNet cost", "scores and weights"
    )


@numba.njit(cache=True)
def _epoch_kernel(
    U,
    V,
    indptr,
    items,
    labels,
    order,
    lr,
    lam,
    gamma,
    trunc,
    use_delta,
    exp_gain,
):
    k = U.shape[1]
    for u in order:
        a, b = indptr[u], indptr[u + 1]
        n = b - a
        if n < 2:
            continue
        c = items[a:b]
        y = labels[a:b]
        s = np.empty(n)
        for t in range(n):
            acc = 0.0
            for f in range(k):
                acc += U[u, f] * V[c[t], f]
            s[t] = acc
        g = np.empty(n)
        for t in range(n):
            g[t] = 2.0 ** y[t] - 1.0 if exp_gain else y[t]
        kk = n if trunc <= 0 else min(trunc, n)
        d = np.zeros(n)
        rank = np.argsort(-s, kind="mergesort")
        for p in range(kk):
            d[rank[p]] = 1.0 / np.log2(p + 2.0)
        ideal = np.sort(g)[::-1]
        idcg = 0.0
        for p in range(kk):
            idcg += ideal[p] / np.log2(p + 2.0)
        grad = np.zeros(n)
        for i in range(n):
            for j in range(n):
                if y[i] > y[j]:
                    w = 1.0
                    if use_delta:
                        w = (
                            abs((g[i] - g[j]) * (d[i] - d[j])) / idcg
                            if idcg > 0
                            else 0.0
                        )
                    x = gamma * (s[i] - s[j])
                    if x >= 0:
                        e = np.exp(-x)
                        q = e / (1.0 + e)
                    else:
                        q = 1.0 / (1.0 + np.exp(x))
                    lij = -gamma * w * q
                    grad[i] += lij
                    grad[j] -= lij
        for f in range(k):
            uf = U[u, f]
            # 2 * lam * theta: the penalty lam * ||theta||^2 has no 1/2
            # (eq-lambdarank-mf-step).
            du = 2.0 * lam * uf
            for t in range(n):
                du += grad[t] * V[c[t], f]
            for t in range(n):
                V[c[t], f] -= lr * (grad[t] * uf + 2.0 * lam * V[c[t], f])
            U[u, f] = uf - lr * du


def _inplace_factors(F, name, rows=None, k=None):
    """Check a factor matrix an epoch updates in place; return it as is.

    :func:`check_factors`' conditions (2-D, real, at least one row and
    column, finite, ``rows`` rows and ``k`` columns when given), and a
    writable float32/float64 array: a converted copy would take the
    updates and the caller's matrix would silently stay put.
    """
    check_factors(F, name, rows=rows, k=k)
    if F.dtype not in (np.float32, np.float64):
        raise TypeError(
            f"{name} must be a float64 (or float32) array, since it is "
            f"updated in place; got dtype {F.dtype}"
        )
    check_writable(F, name)
    return F


def _candidate_lists(candidates, n_users, n_items, labels_limit):
    """Check ``(indptr, items, labels)`` against U's and V's rows.

    Returns int64, int64 and float64 copies. ``labels_limit``: the gain
    whose labels to check (``None`` when the gains are not used).
    """
    if not isinstance(candidates, (tuple, list)):
        raise TypeError(
            "candidates must be a tuple (indptr, items, labels), as "
            "sampling.sample_candidates returns, got "
            f"{type(candidates).__name__}"
        )
    if len(candidates) != 3:
        raise ValueError(
            "candidates must hold three arrays (indptr, items, labels), "
            f"got {len(candidates)}"
        )
    indptr, items, labels = candidates
    name = "candidates[0] (indptr)"
    indptr = as_numeric_array(indptr, name)
    if indptr.ndim != 1 or indptr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array")
    if indptr.dtype == bool or not np.issubdtype(indptr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got {indptr.dtype}")
    if indptr.size - 1 != n_users:
        raise ValueError(
            f"candidates holds lists for {indptr.size - 1} users but U "
            f"has {n_users} rows; they must be equal"
        )
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(f"{name} must start at 0 and never decrease")
    items = check_index(items, "candidates[1] (items)", n_items)
    if indptr[-1] != items.size:
        raise ValueError(
            f"{name} ends at {indptr[-1]}, but candidates[1] (items) "
            f"holds {items.size} items; they must be equal"
        )
    name = "candidates[2] (labels)"
    labels = as_numeric_array(labels, name)
    if labels.ndim != 1 or labels.size != items.size:
        raise ValueError(
            f"{name} must be 1-D with one label per item ({items.size}), "
            f"got shape {labels.shape}"
        )
    labels = labels.astype(np.float64)
    if not np.all(np.isfinite(labels)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(labels < 0):
        raise ValueError(f"{name} must be >= 0 (relevance labels)")
    if labels_limit is not None:
        metrics._gain_labels(labels, labels_limit, name)
    return indptr.astype(np.int64), items, labels


@dataclass(frozen=True)
class _Epoch:
    """Every argument of one epoch, checked before any update.

    ``U`` and ``V`` are the caller's arrays, updated in place by
    :func:`_run_epoch`; ``cutoff`` is 0 for no truncation (the compiled
    kernel's convention).
    """

    U: np.ndarray
    V: np.ndarray
    indptr: np.ndarray
    items: np.ndarray
    labels: np.ndarray
    order: np.ndarray
    learning_rate: float
    lam: float
    gamma: float
    cutoff: int
    method: str
    gain: str


def _epoch_inputs(
    U, V, candidates, order, learning_rate, lam, gamma, cutoff, method, gain
):
    method = check_choice(method, "method", METHODS)
    gain = check_choice(gain, "gain", metrics.GAINS)
    lr = check_learning_rate(learning_rate)
    lam = check_lam(lam)
    gamma = _gamma(gamma)
    cutoff = 0 if cutoff is None else check_int(cutoff, "cutoff", low=1)
    U = _inplace_factors(U, "U")
    V = _inplace_factors(V, "V", k=U.shape[1])
    indptr, items, labels = _candidate_lists(
        candidates,
        U.shape[0],
        V.shape[0],
        gain if method == "lambdarank" else None,
    )
    order = check_index(order, "order", U.shape[0])
    return _Epoch(
        U,
        V,
        indptr,
        items,
        labels,
        order,
        lr,
        lam,
        gamma,
        cutoff,
        method,
        gain,
    )


_OVERFLOW_BLAME = "learning_rate, gamma, lam or the factors U and V"


def _check_factors_finite(U, V):
    # After an epoch: finite factors in, so an inf or NaN out is overflow.
    for F, name in ((U, "U"), (V, "V")):
        check_finite_result(F, f"{name} after the epoch", _OVERFLOW_BLAME)


def _run_epoch(e):
    # Checked arguments (an _Epoch); the compiled epoch, then the overflow
    # check.
    _epoch_kernel(
        e.U,
        e.V,
        e.indptr,
        e.items,
        e.labels,
        e.order,
        e.learning_rate,
        e.lam,
        e.gamma,
        e.cutoff,
        e.method == "lambdarank",
        e.gain == "exponential",
    )
    _check_factors_finite(e.U, e.V)


@renamed_keyword("k", "cutoff")
def lambdarank_epoch(
    U,
    V,
    candidates,
    order,
    learning_rate,
    lam,
    *,
    gamma=1.0,
    cutoff=None,
    method="lambdarank",
    gain="exponential",
):
    r"""One epoch of per-user SGD on the candidate lists, in place.

    For each user in ``order``: scores :math:`s_t = u^\top v_{c_t}`, forces
    :math:`\Lambda_t` from :func:`lambda_gradients` (or
    :func:`ranknet_gradients`), then by the chain rule
    :math:`u \mathrel{-}= \eta(\sum_t \Lambda_t v_{c_t} + 2\lambda u)` and
    :math:`v_{c_t} \mathrel{-}= \eta(\Lambda_t u + 2\lambda v_{c_t})`, all
    from the factors before the step (Chapter 5, eq-lambdarank-mf-step).
    The :math:`2\lambda\theta` terms are the gradient of the penalty
    :math:`\lambda(\lVert u\rVert^2 + \sum_t \lVert v_{c_t}\rVert^2)` of
    the list, the book's scale :math:`\lambda\lVert\theta\rVert^2` (no
    1/2). Compiled; equal to :func:`lambdarank_epoch_reference` up to
    rounding.

    Parameters
    ----------
    U, V : float64 arrays (n_users, k), (n_items, k), updated in place
        Finite, k >= 1 columns each (the same k); float32 is also
        accepted. Nothing is updated if any argument is refused; if the
        epoch overflows (factors turn inf or NaN), a ``ValueError``
        names learning_rate, gamma, lam and U, V.
    candidates : tuple (indptr, items, labels)
        From :func:`~recsys_lessons.sampling.sample_candidates`:
        ``indptr`` starts at 0, never decreases and has n_users + 1
        entries (one list per row of ``U``); ``items`` are rows of
        ``V``; ``labels`` are finite,
        >= 0 and, for LambdaRank with the exponential gain, at most
        ``MAX_EXPONENTIAL_LABEL`` (100).
    order : 1-D int array, the users in visiting order
        Rows of ``U`` (repeats allowed).
    learning_rate : float in (0, MAX_LEARNING_RATE = 10]
    lam : float in [0, MAX_LAMBDA = 1e6]
        L2 strength: the penalty is lam * |theta|^2 per list, so the step
        subtracts learning_rate * 2 * lam * theta.
    gamma : float in (0, MAX_GAMMA = 100]
        Sigmoid shape parameter.
    cutoff : int >= 1, optional
        NDCG truncation level of the |ΔNDCG| weights (NDCG@cutoff);
        None for the whole list.
    method : {"lambdarank", "ranknet"}
    gain : {"exponential", "linear"}

    Notes
    -----
    Defined in: Chapter 5.
    """
    _run_epoch(
        _epoch_inputs(
            U,
            V,
            candidates,
            order,
            learning_rate,
            lam,
            gamma,
            cutoff,
            method,
            gain,
        )
    )


@renamed_keyword("k", "cutoff")
def lambdarank_epoch_reference(
    U,
    V,
    candidates,
    order,
    learning_rate,
    lam,
    *,
    gamma=1.0,
    cutoff=None,
    method="lambdarank",
    gain="exponential",
):
    """Readable NumPy version of :func:`lambdarank_epoch`.

    Built on :func:`lambda_gradients` and :func:`ranknet_gradients`; the
    same step, eq-lambdarank-mf-step, with the penalty gradient
    2 * lam * theta of lam * |theta|^2 per list. The arguments and their
    accepted ranges are those of :func:`lambdarank_epoch`.

    Notes
    -----
    Defined in: Chapter 5.
    """
    # The update below uses learning_rate and lam as passed;
    # _epoch_inputs only checks them.
    e = _epoch_inputs(
        U,
        V,
        candidates,
        order,
        learning_rate,
        lam,
        gamma,
        cutoff,
        method,
        gain,
    )
    U, V, indptr, items, labels = e.U, e.V, e.indptr, e.items, e.labels
    order, method, gain = e.order, e.method, e.gain
    # Overflow is reported by name below (a ValueError), not warned.
    with np.errstate(over="ignore", invalid="ignore"):
        for u in order:
            c = items[indptr[u] : indptr[u + 1]]
            if c.size < 2:
                continue
            y = labels[indptr[u] : indptr[u + 1]]
            s = V[c] @ U[u]
            if not np.all(np.isfinite(s)):
                check_finite_result(
                    s, "the scores of a list", _OVERFLOW_BLAME
                )
            if method == "lambdarank":
                force = lambda_gradients(s, y, gamma, cutoff, gain)
            else:
                force = ranknet_gradients(s, y, gamma)
            u_old = U[u].copy()
            U[u] -= learning_rate * (force @ V[c] + 2.0 * lam * u_old)
            for t, item in enumerate(c):
                V[item] -= learning_rate * (
                    force[t] * u_old + 2.0 * lam * V[item]
                )
    _check_factors_finite(U, V)


@dataclass
class LambdaRankResult(RankingModel):
    """Factors from :func:`fit_lambdarank`.

    ``history["ndcg"]`` is held-out NDCG@10 per epoch (entry 0: the start).
    """

    U: np.ndarray
    V: np.ndarray
    history: dict = field(default_factory=dict)


@renamed_keyword("truncation", "cutoff")
def fit_lambdarank(
    R,
    k=32,
    lam=0.005,
    *,
    learning_rate=0.05,
    n_epochs=20,
    gamma=1.0,
    cutoff=None,
    n_candidates=100,
    method="lambdarank",
    gain="exponential",
    seed=0,
    test=None,
    init=None,
):
    """Train an MF scorer with LambdaRank (or RankNet) forces.

    The forces are computed on per-user candidate lists.

    Each epoch draws fresh candidate lists
    (:func:`~recsys_lessons.sampling.sample_candidates`: the user's labelled
    items, at most half the list, plus uniform unlabelled items with label
    0) and visits users in a random order.

    Parameters
    ----------
    R : array or sparse matrix, shape (n_users, n_items)
        Graded relevance labels (e.g. ratings, or 1 for implicit
        positives): finite, >= 0, at least one non-zero; for LambdaRank
        with the exponential gain at most ``MAX_EXPONENTIAL_LABEL`` (100).
    k : int >= 1
        Latent factors; (n_users + n_items) * k at most
        ``MAX_FACTOR_ENTRIES`` (10**8).
    lam : float in [0, MAX_LAMBDA = 1e6]
        L2 strength: each list's step descends lam * |theta|^2 of the
        factors it touches, gradient 2 * lam * theta
        (eq-lambdarank-mf-step, see :func:`lambdarank_epoch`).
    learning_rate : float in (0, MAX_LEARNING_RATE = 10]
        If the factors still overflow (turn inf or NaN) during an epoch,
        a ``ValueError`` names learning_rate, gamma and lam.
    n_epochs : int in [0, MAX_ITERATIONS = 100000]
    gamma : float in (0, MAX_GAMMA = 100]
        Sigmoid shape parameter.
    cutoff : int >= 1, optional
        NDCG truncation level of the |ΔNDCG| weights (NDCG@cutoff); None
        for the whole list. (Its old name ``truncation=`` works for one
        release, with a ``FutureWarning``.)
    n_candidates : int in [2, n_items]
        List length; users with a positive times ``n_candidates`` must
        be at most ``MAX_SAMPLES`` (10**8).
    method : {"lambdarank", "ranknet"}
    gain : {"exponential", "linear"}
    seed : int >= 0, Generator or None
    test : array or sparse matrix, shape of ``R``, optional
        Held-out labels, for ``history["ndcg"]`` (NDCG@10, training
        items excluded): finite, >= 0, at least one non-zero; with the
        exponential gain at most ``MAX_EXPONENTIAL_LABEL`` (100).
    init : tuple (U0, V0), optional
        Finite factors of shapes (n_users, k) and (n_items, k); copied.

    Returns
    -------
    LambdaRankResult

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If an argument is outside the range given above (named), a label
        is negative (or above 100 with the exponential gain), or the
        factors overflow (names ``learning_rate``, ``gamma`` and ``lam``).

    Notes
    -----
    Defined in: Chapter 5.

    Examples
    --------
    >>> from recsys_lessons import lambdarank
    >>> from recsys_lessons.data import (
    ...     synthetic_ratings, to_implicit, train_test_split)
    >>> d = synthetic_ratings(n_users=60, n_items=40, density=0.2, seed=0,
    ...                       min_ratings_per_user=5)
    >>> train, test = train_test_split(to_implicit(d.ratings, 4), seed=0)
    >>> fit = lambdarank.fit_lambdarank(train, 8, 0.01, n_epochs=10,
    ...                                 n_candidates=20, test=test, seed=0)
    >>> fit.history["ndcg"][[0, -1]].round(2)  # held-out NDCG@10
    array([0.11, 0.24])
    """
    M = check_labels(R, "R")
    k = check_k(k)
    check_factor_size(
        M.shape[0], M.shape[1], k, ("R.shape[0]", "R.shape[1]", "k")
    )
    lam = check_lam(lam)
    lr = check_learning_rate(learning_rate)
    n_epochs = check_n_iters(n_epochs, "n_epochs")
    gamma = _gamma(gamma)
    cutoff = 0 if cutoff is None else check_int(cutoff, "cutoff", low=1)
    method = check_choice(method, "method", METHODS)
    gain = check_choice(gain, "gain", metrics.GAINS)
    n_candidates = check_int(
        n_candidates, "n_candidates", low=2, high=M.shape[1]
    )
    if method == "lambdarank":
        metrics._gain_labels(M.data, gain, "R")
    n_lists = int(np.count_nonzero(np.diff(M.indptr)))
    if n_lists * n_candidates > MAX_SAMPLES:
        raise ValueError(
            f"n_candidates = {n_candidates} for {n_lists} users is "
            f"{n_lists * n_candidates} candidates per epoch, more than "
            f"MAX_SAMPLES = {MAX_SAMPLES}; lower n_candidates"
        )
    T = None
    if test is not None:
        T = check_labels(test, "test")
        check_same_shape(M, T, "R", "test")
        metrics._gain_labels(T.data, gain, "test")
    rng = check_rng(seed)
    if init is None:
        U = rng.normal(0.0, 0.1, (M.shape[0], k))
        V = rng.normal(0.0, 0.1, (M.shape[1], k))
    else:
        U, V = check_init(init, M.shape, k)
    history = {"ndcg": []} if T is not None else {}
    if T is not None:
        history["ndcg"].append(
            evaluation.heldout_ndcg(U, V, T, M, 10, gain)
        )
    for _ in range(n_epochs):
        indptr, items, labels = sampling._sample_candidates(
            M, n_candidates, rng
        )
        order = rng.permutation(M.shape[0])
        _run_epoch(
            _Epoch(
                U,
                V,
                indptr,
                items,
                labels,
                order,
                lr,
                lam,
                gamma,
                cutoff,
                method,
                gain,
            )
        )
        if T is not None:
            history["ndcg"].append(
                evaluation.heldout_ndcg(U, V, T, M, 10, gain)
            )
    return LambdaRankResult(
        U, V, {key: np.array(val) for key, val in history.items()}
    )


# Moved in 0.2.0 (issue #26); the old place works until 0.3.0.
__getattr__ = moved_names(
    __name__,
    {"sample_candidates": "sampling", "heldout_ndcg": "evaluation"},
)
