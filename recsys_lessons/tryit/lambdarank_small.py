"""Chapter 5's Try it: LambdaRank on a small synthetic set.

An MF scorer trained with the LambdaRank forces (``fit_lambdarank``) on
graded labels drawn from a small synthetic matrix. Controls: the sigmoid's
shape parameter γ (log scale), the truncation level K of the
|ΔNDCG| weights, k, λ (log scale) and the epochs. Panel: the held-out
NDCG@10 after the epochs of the grid (1-6, 8, 10, 15, 20; straight lines
between them), with the most-popular ranker's NDCG@10 on the same split as
a rule.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import evaluation, explorers, lambdarank
from .._extras import require
from ..data import synthetic_ratings, train_test_split
from . import Knob, TryIt

__all__ = [
    "N_USERS",
    "N_ITEMS",
    "N_CANDIDATES",
    "LEARNING_RATE",
    "LAST",
    "NDCG_AXIS",
    "split",
    "popular_ndcg",
    "truncation_level",
    "run",
    "TRY_IT",
]

#: The figure's synthetic matrix: the chapter's generator and label rule,
#: small enough that the whole grid (54 fits of LAST epochs) trains in
#: seconds with one thread (the chapter's main set is 943 x 1682).
N_USERS, N_ITEMS = 100, 200
#: Candidates per user and epoch (the chapter's main experiment: 100).
N_CANDIDATES = 30
#: The learning rate of every fit.
LEARNING_RATE = 0.1
#: The largest epoch count the explorer offers (the live version: 40).
LAST = 20
#: The y axis of the curve, the same for every setting (a value above it
#: is drawn at the top; none of the grid's is).
NDCG_AXIS = (0.0, 0.35)


@functools.lru_cache(maxsize=1)
def split():
    """The figure's data: graded labels, split 80/20.

    ``synthetic_ratings(N_USERS, N_ITEMS, rank=6, density=0.1,
    min_ratings_per_user=10, seed=1)``; a rating of 3, 4 or 5 becomes
    label 1, 2 or 3 and ratings of 1 or 2 are dropped (label 0), as in the
    chapter; then ``train_test_split(..., test_fraction=0.2, seed=0)``.
    Computed once; the arrays are read-only.

    Returns
    -------
    (train, test) : scipy.sparse.csr_matrix, shape (N_USERS, N_ITEMS)

    Notes
    -----
    Defined in: Chapter 5.

    Examples
    --------
    >>> train, test = split()
    >>> train.shape, train.nnz, test.nnz
    ((100, 200), 1305, 320)
    """
    labels = synthetic_ratings(
        N_USERS,
        N_ITEMS,
        rank=6,
        density=0.1,
        min_ratings_per_user=10,
        seed=1,
    ).ratings
    labels.data = np.maximum(labels.data - 2, 0)
    labels.eliminate_zeros()
    train, test = train_test_split(labels, test_fraction=0.2, seed=0)
    for part in (train, test):
        for array in (part.data, part.indices, part.indptr):
            array.flags.writeable = False
    return train, test


@functools.lru_cache(maxsize=1)
def popular_ndcg():
    """The held-out NDCG@10 of ranking every user's items by popularity.

    Popularity is the number of training labels of an item (of any
    grade); the score is ``evaluation.heldout_ndcg`` of those scores, as
    the chapter computes its most-popular baseline.

    Returns
    -------
    float

    Notes
    -----
    Defined in: Chapter 5.

    Examples
    --------
    >>> round(popular_ndcg(), 3)
    0.192
    """
    train, test = split()
    counts = np.bincount(train.indices, minlength=train.shape[1])
    return evaluation.heldout_ndcg(
        np.ones((train.shape[0], 1)),
        counts.astype(float)[:, None],
        test,
        train,
    )


def truncation_level(truncation):
    """The ``cutoff`` argument of ``fit_lambdarank`` for an option
    of the K control: ``"none"`` -> None, ``"10"`` -> 10.

    Parameters
    ----------
    truncation : str
        ``"none"`` or a whole number, such as ``"10"``.

    Returns
    -------
    int or None

    Raises
    ------
    ValueError
        If ``truncation`` is neither ``"none"`` nor a whole number as a
        str.

    Notes
    -----
    Used by: Chapter 5's Try it figure.

    Examples
    --------
    >>> truncation_level("10"), truncation_level("none")
    (10, None)
    """
    if truncation == "none":
        return None
    if not isinstance(truncation, str) or not truncation.isdigit():
        raise ValueError(
            f'truncation must be "none" or a whole number as a str, '
            f"got {truncation!r}"
        )
    return int(truncation)


def run(gamma, truncation, k, lam, epochs):
    """LambdaRank on the figure's training labels, per epoch.

    ``lambdarank.fit_lambdarank`` with the pair terms of equation
    (eq-lambdarank), the |ΔNDCG| weights of (eq-delta-ndcg) truncated at
    K, and the steps of (eq-lambdarank-mf-step): ``N_CANDIDATES``
    candidates per user and epoch, learning rate ``LEARNING_RATE``,
    exponential gain, ``seed=0``. A fit's first ``t`` epochs are those of
    a fit of ``t`` epochs (the same random draws, in the same order).

    Parameters
    ----------
    gamma : float, 10**-1.25 <= gamma <= 10**1.25 (about 0.056 .. 17.8)
        The sigmoid's shape parameter γ, within the live slider's reach
        (``TRY_IT.check``).
    truncation : str
        ``"none"`` or ``"10"`` (K = 10), the control's two options.
    k : int, 2 <= k <= 32
    lam : float, 10**-4.25 <= lam <= 10**0.25 (about 5.6e-5 .. 1.8)
    epochs : int, 1 <= epochs <= 40

    Returns
    -------
    pandas.DataFrame
        One row per epoch ``0 .. epochs`` (0: the random start): columns
        ``epochs`` and ``ndcg``, the mean NDCG@10 on the held-out labels
        (training items excluded).

    Raises
    ------
    TypeError
        If an argument is of the wrong type, or missing
        (``TRY_IT.check``).
    ValueError
        If an argument is outside its knob's live range or options
        (``TRY_IT.check``).

    Notes
    -----
    Defined in: Chapter 5 (the Try it figure's compute).

    Examples
    --------
    >>> run(gamma=1.0, truncation="none", k=2, lam=0.005, epochs=2).round(3)
       epochs   ndcg
    0       0  0.037
    1       1  0.059
    2       2  0.099
    """
    TRY_IT.check(
        gamma=gamma, truncation=truncation, k=k, lam=lam, epochs=epochs
    )
    train, test = split()
    fit = lambdarank.fit_lambdarank(
        train,
        k,
        lam,
        learning_rate=LEARNING_RATE,
        n_epochs=epochs,
        gamma=gamma,
        cutoff=truncation_level(truncation),
        n_candidates=N_CANDIDATES,
        seed=0,
        test=test,
    )
    return pd.DataFrame(
        {"epochs": np.arange(epochs + 1), "ndcg": fit.history["ndcg"]}
    )


def panels(c):
    """The caption and the held-out NDCG@10 per epoch, with the
    most-popular ranker's as a rule.

    Notes
    -----
    Used by: Chapter 5's Try it figure (its ``panels``).
    """
    alt = require("altair", "explorers")
    controls = list(c.values())
    popular = round(popular_ndcg(), 3)
    caption = explorers.caption_panel(
        controls,
        "'γ = ' + format(datum.gamma, '.2~g') + ', K = ' + datum.truncation"
        " + ', k = ' + datum.k + ', λ = ' + format(datum.lam, '.2~g')"
        " + ', ' + datum.epochs + ' epochs: held-out NDCG@10 '"
        " + format(datum.ndcg, '.3f')"
        f" + ' (most popular {popular:.3f})'",
    )
    curve = explorers.history_panel(
        controls, c["epochs"], "ndcg", title="held-out NDCG@10"
    )
    # The same y axis for every setting, so that moving a control shows
    # how the curve moves; and the x axis counts epochs.
    for layer in curve.layer:
        layer.encoding.x.title = "epoch"
        if layer.encoding.y is not alt.Undefined:
            layer.encoding.y.scale = alt.Scale(
                domain=list(NDCG_AXIS), clamp=True
            )
    # The most-popular ranker's NDCG@10 on the same split, dashed.
    at = alt.Chart(alt.Data(values=[{"ndcg": popular}]))
    y = alt.Y("ndcg:Q", scale=alt.Scale(domain=list(NDCG_AXIS), clamp=True))
    rule = at.mark_rule(color="#D55E00", strokeDash=[6, 4]).encode(y=y)
    text = at.mark_text(
        align="right", baseline="bottom", dx=-4, dy=-3, color="#D55E00"
    ).encode(
        y=y,
        x=alt.value(curve.width),
        text=alt.value(f"most popular {popular:.3f}"),
    )
    layers = alt.layer(rule, text, *curve.layer)
    return [
        caption,
        layers.properties(width=curve.width, height=curve.height),
    ]


TRY_IT = TryIt(
    compute=run,
    knobs=(
        # γ = 10**-0.5, 1, 10**0.5 (0.32, 1, 3.2): half a decade apart,
        # evenly spaced for the log slider; live, 0.1 .. 10.
        Knob(
            "gamma",
            "log",
            (10**-0.5, 1.0, 10**0.5),
            1.0,
            "γ",
            low=0.1,
            high=10.0,
        ),
        Knob(
            "truncation", "options", ("none", "10"), "none", "truncation K"
        ),
        Knob("k", "int", (8, 16, 32), 16, "k (factors)", low=2, high=32),
        # The old widget's default λ = 0.005, ten times smaller and larger.
        Knob(
            "lam",
            "log",
            (5e-4, 5e-3, 5e-2),
            5e-3,
            "λ",
            low=1e-4,
            high=1.0,
        ),
        Knob(
            "epochs",
            "iterations",
            explorers.iteration_steps(LAST),
            15,
            "epochs",
            high=40,
        ),
    ),
    panels=panels,
    description="LambdaRank on a small synthetic set: γ, K, k, λ, epochs",
    readouts=(("ndcg", ".3f"),),
    decimals={"ndcg": 3},
)
