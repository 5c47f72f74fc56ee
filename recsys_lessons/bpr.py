r"""Bayesian Personalized Ranking for matrix factorization (Chapter 4).

For a user u, an item i she interacted with and an item j she did not,
the model's preference is :math:`\hat x_{uij} = u_u^\top v_i - u_u^\top v_j`
and :math:`P(i >_u j) = \sigma(\hat x_{uij})`. The penalty has the
lesson's scale, :math:`\lambda\lVert\Theta\rVert^2` with no factor 1/2,
so that a Gaussian prior :math:`\Theta \sim N(0, \tau^2 I)` is
:math:`\lambda = 1/(2\tau^2)`. The loss the book minimizes over a set
:math:`D` of triples (equation eq-bpr-loss of Chapter 4) is the negative
log-posterior with the prior applied once per triple, as SGD does:

.. math:: L(U, V) = \sum_{(u,i,j)\in D} \Big[-\ln\sigma(\hat x_{uij})
          + \lambda\big(\lVert u_u\rVert^2 + \lVert v_i\rVert^2
          + \lVert v_j\rVert^2\big)\Big].

With :math:`g = 1-\sigma(\hat x_{uij}) = \sigma(-\hat x_{uij})` its gradient
per triple (equation eq-bpr-grad) is

.. math:: \partial_{u_u} = -g\,(v_i - v_j) + 2\lambda u_u,\quad
          \partial_{v_i} = -g\,u_u + 2\lambda v_i,\quad
          \partial_{v_j} = g\,u_u + 2\lambda v_j.

A triple must have :math:`i \ne j`: with :math:`i \in I_u^+` and
:math:`j \notin I_u^+` that always holds for the set :math:`D_S`, and every
function here refuses a triple that breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from . import evaluation
from ._deprecation import moved_names
from ._ranking_model import RankingModel
from ._validation import (
    MAX_SAMPLES,
    as_numeric_array,
    check_factor_size,
    check_factors,
    check_finite_result,
    check_implicit,
    check_init,
    check_int,
    check_k,
    check_lam,
    check_learning_rate,
    check_n_iters,
    check_rng,
    check_same_shape,
    check_writable,
)
from .sampling import sample_negatives

__all__ = [
    "log_sigmoid",
    "sample_triples",
    "bpr_loss",
    "bpr_gradient",
    "sgd_epoch",
    "sgd_epoch_reference",
    "fit_bpr",
    "BPRResult",
]


def log_sigmoid(x):
    r"""Numerically stable :math:`\ln\sigma(x) = -\ln(1 + e^{-x})`.

    Computed as ``-logaddexp(0, -x)``, finite for every finite x; the naive
    ``log(1 / (1 + exp(-x)))`` overflows to ``-inf`` for x below about -710.

    Parameters
    ----------
    x : number or array of real numbers, any shape
        No NaN; ``-inf`` and ``inf`` give their limits ``-inf`` and 0.

    Returns
    -------
    float or ndarray, the shape of ``x``

    Notes
    -----
    Defined in: Chapter 4.
    """
    x = as_numeric_array(x, "x")
    if np.any(np.isnan(x)):
        raise ValueError("x contains NaN; ln sigma(x) needs a number")
    return _log_sigmoid(x)


def _log_sigmoid(x):
    # log_sigmoid without the checks, for arrays the caller computed.
    return -np.logaddexp(0.0, -np.asarray(x, dtype=np.float64))


def _check_triples(triples, n_users, n_items):
    if not isinstance(triples, np.ndarray):
        raise TypeError(
            "triples must be a numpy array of shape (n, 3), got "
            f"{type(triples).__name__}"
        )
    if triples.ndim != 2 or triples.shape[1] != 3:
        raise ValueError(
            "triples must have shape (n, 3) holding (u, i, j), got "
            f"{triples.shape}"
        )
    if not np.issubdtype(triples.dtype, np.integer):
        raise TypeError(
            f"triples must hold integers, got dtype {triples.dtype}"
        )
    u, i, j = triples.T
    if triples.size and (u.min() < 0 or u.max() >= n_users):
        raise ValueError(
            f"triples[:, 0] (users) must lie in [0, {n_users})"
        )
    if triples.size and (
        min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= n_items
    ):
        raise ValueError(
            f"triples[:, 1:] (items) must lie in [0, {n_items})"
        )
    same = np.flatnonzero(i == j)
    if same.size:
        t = same[0]
        raise ValueError(
            f"triples must have i != j in every row (a BPR triple pairs a "
            f"positive i with a different item j); row {t} is "
            f"{tuple(int(a) for a in triples[t])}"
            + (f" and {same.size - 1} more rows" if same.size > 1 else "")
        )
    return u.astype(np.int64), i.astype(np.int64), j.astype(np.int64)


def sample_triples(X, n_samples, seed=0):
    """Bootstrap-sample (u, i, j) triples uniformly from the training data.

    A pair (u, i) is drawn uniformly from the stored interactions (so active
    users are drawn more often, as in Rendle et al.'s LearnBPR) and j
    uniformly from the items u has not interacted with. Users who interacted
    with every item have no j and are skipped.

    Parameters
    ----------
    X : array or sparse matrix, shape (n_users, n_items)
        Implicit feedback: stored (non-zero) entries are positives; finite
        real values, at least one user with a positive and a negative.
    n_samples : int, 0 <= n_samples <= MAX_SAMPLES (1e8)
    seed : int >= 0, numpy.random.Generator or None

    Returns
    -------
    ndarray of int64, shape (n_samples, 3)

    Notes
    -----
    Defined in: Chapter 4.
    """
    M = check_implicit(X)
    n_samples = check_int(n_samples, "n_samples", low=0, high=MAX_SAMPLES)
    rng = check_rng(seed)
    counts = np.diff(M.indptr)
    users_of_entry = np.repeat(np.arange(M.shape[0]), counts)
    eligible = np.flatnonzero(counts[users_of_entry] < M.shape[1])
    if eligible.size == 0:
        raise ValueError(
            "X has no user with both a positive and a negative item"
        )
    entries = eligible[rng.integers(eligible.size, size=n_samples)]
    users = users_of_entry[entries]
    pos = M.indices[entries].astype(np.int64)
    neg = sample_negatives(M, users, rng)
    return np.column_stack([users, pos, neg])


def bpr_loss(U, V, triples, lam):
    r"""The BPR loss L(U, V) over ``triples``, equation eq-bpr-loss.

    :math:`\sum_t [-\ln\sigma(\hat x_t) + \lambda(\lVert u_u\rVert^2 +
    \lVert v_i\rVert^2 + \lVert v_j\rVert^2)]`: the penalty of the lesson's
    scale (no factor 1/2), applied once per triple.

    Parameters
    ----------
    U : ndarray, shape (n_users, k)
        Finite real factors, k >= 1.
    V : ndarray, shape (n_items, k)
    triples : ndarray of int, shape (n, 3)
        Rows (u, i, j) with i != j, users and items in range.
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
        The L2 strength lambda.

    Returns
    -------
    float
        Finite; a ``ValueError`` naming U and V if the loss overflows
        float64 (factors of magnitude above about 1e150).

    Notes
    -----
    Defined in: Chapter 4.
    """
    U = check_factors(U, "U")
    V = check_factors(V, "V", k=U.shape[1])
    lam = check_lam(lam)
    u, i, j = _check_triples(triples, U.shape[0], V.shape[0])
    return check_finite_result(
        _loss(U, V, u, i, j, lam), "the BPR loss", "the values of U and V"
    )


def _loss(U, V, u, i, j, lam):
    # bpr_loss on checked inputs; inf or NaN when they are too large.
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.einsum("tf,tf->t", U[u], V[i] - V[j])
        reg = (U[u] ** 2).sum(1) + (V[i] ** 2).sum(1) + (V[j] ** 2).sum(1)
        return float(np.sum(-_log_sigmoid(x) + lam * reg))


def bpr_gradient(U, V, triples, lam):
    """Analytic gradient (dL/dU, dL/dV) of :func:`bpr_loss`, eq-bpr-grad.

    The penalty lambda * |theta|^2 contributes 2 * lambda * theta for each
    triple a vector appears in.

    Parameters
    ----------
    U, V, triples, lam
        As in :func:`bpr_loss` (same accepted ranges).

    Returns
    -------
    dU, dV : ndarray, the shapes of U and V
        Finite; a ``ValueError`` naming U and V on overflow.

    Notes
    -----
    Defined in: Chapter 4.
    """
    U = check_factors(U, "U")
    V = check_factors(V, "V", k=U.shape[1])
    lam = check_lam(lam)
    u, i, j = _check_triples(triples, U.shape[0], V.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.einsum("tf,tf->t", U[u], V[i] - V[j])
        # 1 - sigma(x) as sigma(-x): no cancellation when sigma(x) is
        # near 1.
        g = np.exp(_log_sigmoid(-x))[:, None]
        dU = np.zeros_like(U)
        dV = np.zeros_like(V)
        np.add.at(dU, u, -g * (V[i] - V[j]) + 2.0 * lam * U[u])
        np.add.at(dV, i, -g * U[u] + 2.0 * lam * V[i])
        np.add.at(dV, j, g * U[u] + 2.0 * lam * V[j])
    for D in (dU, dV):
        check_finite_result(D, "the BPR gradient", "the values of U and V")
    return dU, dV


@numba.njit(cache=True)
def _sgd_kernel(U, V, users, pos, neg, lr, lam):
    # Callers guarantee pos[t] != neg[t]: with i == j the three updates
    # would overwrite one another.
    k = U.shape[1]
    two_lam = 2.0 * lam
    for t in range(users.size):
        u, i, j = users[t], pos[t], neg[t]
        x = 0.0
        for f in range(k):
            x += U[u, f] * (V[i, f] - V[j, f])
        # g = 1 - sigma(x) = sigma(-x), written to stay finite for any x.
        if x >= 0:
            e = np.exp(-x)
            g = e / (1.0 + e)
        else:
            g = 1.0 / (1.0 + np.exp(x))
        for f in range(k):
            uf = U[u, f]
            vif = V[i, f]
            vjf = V[j, f]
            U[u, f] = uf - lr * (-g * (vif - vjf) + two_lam * uf)
            V[i, f] = vif - lr * (-g * uf + two_lam * vif)
            V[j, f] = vjf - lr * (g * uf + two_lam * vjf)


def sgd_epoch(U, V, triples, learning_rate, lam):
    """One pass of SGD over ``triples`` in order, updating U and V in place.

    Each triple takes a step against its term of the gradient (equation
    eq-bpr-grad, penalty gradient 2 * lam * theta), using that triple's
    current factors. Compiled; equal to :func:`sgd_epoch_reference` up to
    rounding.

    Parameters
    ----------
    U, V : C-contiguous float64 ndarray, shapes (n_users, k), (n_items, k)
        Finite; updated in place.
    triples : ndarray of int, shape (n, 3)
        Rows (u, i, j) with i != j; a row with i == j raises ValueError.
    learning_rate : float, 0 < learning_rate <= MAX_LEARNING_RATE (10)
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)

    Raises
    ------
    ValueError
        Also after the epoch, if the updates overflowed float64 (U and V
        then hold the overflowed values): learning_rate or lam too large.

    Notes
    -----
    Defined in: Chapter 4.
    """
    _check_inplace(U, V)
    u, i, j = _check_triples(triples, U.shape[0], V.shape[0])
    lr, lam = _check_rates(learning_rate, lam)
    _sgd_kernel(U, V, u, i, j, lr, lam)
    _check_diverged(U, V, "the epoch")


def _check_rates(learning_rate, lam):
    lr = check_learning_rate(learning_rate)
    return lr, check_lam(lam)


def _check_diverged(U, V, when):
    # SGD with too large a step grows the factors geometrically until they
    # overflow: name the step, not the factors the caller never chose.
    for F in (U, V):
        check_finite_result(
            F, f"a factor after {when}", "learning_rate and lam"
        )


def _check_inplace(U, V):
    for F, name in ((U, "U"), (V, "V")):
        if not (
            isinstance(F, np.ndarray)
            and F.dtype == np.float64
            and F.ndim == 2
            and F.flags.c_contiguous
        ):
            raise TypeError(
                f"{name} must be a C-contiguous float64 2-D array "
                "(it is updated in place)"
            )
        check_writable(F, name)
        if not np.all(np.isfinite(F)):
            raise ValueError(f"{name} contains NaN or infinite values")
    if U.shape[1] != V.shape[1]:
        raise ValueError(
            "U and V must have the same number of columns, got "
            f"{U.shape[1]} and {V.shape[1]}"
        )


def sgd_epoch_reference(U, V, triples, learning_rate, lam):
    """Plain-Python :func:`sgd_epoch`: the chapter's updates, as written.

    Same arguments, accepted ranges and checks as :func:`sgd_epoch`
    (eq-bpr-grad, penalty gradient 2 * lam * theta).

    Notes
    -----
    Defined in: Chapter 4.
    """
    _check_inplace(U, V)
    users, pos, neg = _check_triples(triples, U.shape[0], V.shape[0])
    learning_rate, lam = _check_rates(learning_rate, lam)
    for u, i, j in zip(users, pos, neg):
        x = U[u] @ (V[i] - V[j])
        g = 1.0 / (1.0 + np.exp(x))
        u_old = U[u].copy()
        v_i_old = V[i].copy()
        v_j_old = V[j].copy()
        U[u] -= learning_rate * (-g * (v_i_old - v_j_old) + 2 * lam * u_old)
        V[i] -= learning_rate * (-g * u_old + 2 * lam * v_i_old)
        V[j] -= learning_rate * (g * u_old + 2 * lam * v_j_old)
    _check_diverged(U, V, "the epoch")


@dataclass
class BPRResult(RankingModel):
    """Factors from :func:`fit_bpr` and per-epoch history.

    ``history["loss"]`` is the mean BPR loss per triple on a fixed sample of
    up to 10,000 triples drawn once before training; ``history["auc"]`` the
    held-out AUC (with test data). Entry 0 is the start, entry e after
    epoch e.
    """

    U: np.ndarray
    V: np.ndarray
    history: dict = field(default_factory=dict)


def fit_bpr(
    X,
    k=32,
    lam=0.005,
    *,
    learning_rate=0.05,
    n_epochs=20,
    seed=0,
    test=None,
    init=None,
    n_samples=None,
):
    """Train BPR-MF by SGD on bootstrap triples (LearnBPR, Rendle 2009).

    Parameters
    ----------
    X : array or sparse matrix, shape (n_users, n_items)
        Implicit feedback: stored (non-zero) entries are positives; finite
        real values, at least one user with a positive and a negative.
    k : int >= 1
        With ``(n_users + n_items) * k <= MAX_FACTOR_ENTRIES`` (1e8).
    lam : float, 0 <= lam <= MAX_LAMBDA (1e6)
        L2 strength of the penalty lam * |theta|^2 per triple (lesson's
        scale); a Gaussian prior N(0, tau^2) is lam = 1 / (2 tau^2).
    learning_rate : float, 0 < learning_rate <= MAX_LEARNING_RATE (10)
        A step so large that the factors overflow raises a ValueError
        naming it, after the epoch where it happens.
    n_epochs : int, 0 <= n_epochs <= MAX_ITERATIONS (100000)
    seed : int >= 0, Generator or None
    test : sparse matrix, optional
        Held-out positives, for ``history["auc"]``.
    init : tuple (U0, V0), optional
        Finite starting factors; default ``N(0, 0.1^2)``.
    n_samples : int, optional
        Triples per epoch, 1 <= n_samples <= MAX_SAMPLES (1e8); default
        the number of positives.

    Returns
    -------
    BPRResult

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``k``, a string
        ``lam``, ...), naming it.
    ValueError
        If an argument is outside the range given above (named), ``X`` has
        no user with both a positive and a negative, or the factors
        overflow (names ``learning_rate`` and ``lam``).

    Notes
    -----
    Defined in: Chapter 4.

    Examples
    --------
    >>> from recsys_lessons import bpr
    >>> from recsys_lessons.data import (
    ...     synthetic_ratings, to_implicit, train_test_split)
    >>> d = synthetic_ratings(n_users=60, n_items=40, density=0.2, seed=0,
    ...                       min_ratings_per_user=5)
    >>> train, test = train_test_split(to_implicit(d.ratings, 4), seed=0)
    >>> fit = bpr.fit_bpr(train, 8, 0.01, learning_rate=0.1, n_epochs=30,
    ...                   test=test, seed=0)
    >>> fit.history["auc"][[0, -1]].round(2)  # held-out AUC, start and end
    array([0.47, 0.7 ])
    >>> fit.recommend(0, 3, exclude=train)  # user 0's top 3 unseen items
    array([ 2, 26,  6])
    """
    M = check_implicit(X)
    k = check_k(k)
    check_factor_size(
        *M.shape, k, ("n_users (rows of X)", "n_items (columns of X)", "k")
    )
    lr, lam = _check_rates(learning_rate, lam)
    n_epochs = check_n_iters(n_epochs, "n_epochs")
    n_samples = (
        M.nnz
        if n_samples is None
        else check_int(n_samples, "n_samples", low=1, high=MAX_SAMPLES)
    )
    rng = check_rng(seed)
    if init is None:
        U = rng.normal(0.0, 0.1, (M.shape[0], k))
        V = rng.normal(0.0, 0.1, (M.shape[1], k))
    else:
        U, V = check_init(init, M.shape, k)
    T = None
    if test is not None:
        T = check_implicit(test, "test")
        check_same_shape(M, T, "X", "test")
    probe = sample_triples(M, min(M.nnz, 10_000), rng)
    history = {"loss": [], "auc": []}

    def record(blame):
        loss = _loss(U, V, *probe.T, lam)
        check_finite_result(loss, "the BPR loss", blame)
        history["loss"].append(loss / probe.shape[0])
        if T is not None:
            history["auc"].append(evaluation.heldout_auc(U, V, T, M))

    record("the values of init")
    for epoch in range(1, n_epochs + 1):
        triples = sample_triples(M, n_samples, rng)
        _sgd_kernel(
            U, V, triples[:, 0], triples[:, 1], triples[:, 2], lr, lam
        )
        _check_diverged(U, V, f"epoch {epoch}")
        record("learning_rate and lam")
    if T is None:
        del history["auc"]
    return BPRResult(
        U, V, {key: np.array(val) for key, val in history.items()}
    )


# Moved in 0.2.0 (issue #26); the old place works until 0.3.0.
__getattr__ = moved_names(__name__, {"heldout_auc": "evaluation"})
