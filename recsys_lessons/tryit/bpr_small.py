"""Chapter 4's Try it: BPR's held-out AUC per epoch on a small data set.

BPR-MF trained as ``bpr.fit_bpr`` trains it, on a smaller draw of the
book's synthetic data turned implicit as the chapter does (ratings of 4
or 5 are positives) and split 80/20. Controls: k, λ and the learning rate
η (log scale) and the epochs. Panel: the held-out AUC after the epochs in
:data:`EPOCHS` (1-6, 8, 10, 15, 20, 30; straight lines between them), with
the most-popular ranker's AUC on the same split as a rule.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import bpr, evaluation, explorers
from .._extras import require
from ..data import synthetic_ratings, to_implicit, train_test_split
from . import Knob, TryIt

__all__ = [
    "N_USERS",
    "N_ITEMS",
    "LAST",
    "EPOCHS",
    "split",
    "popular_auc",
    "run",
    "TRY_IT",
]

#: The shape of the figure's synthetic matrix: the chapter's generator
#: (``synthetic_ratings``, same density and seed) at about a third of its
#: users and items, so that the whole grid trains in a few seconds.
N_USERS, N_ITEMS = 300, 500
#: The most epochs the figure offers (the chapter trains 30).
LAST = 30
#: The epochs the explorer keeps: the held-out AUC is computed after
#: these epochs (and after the last one of a shorter run) only.
EPOCHS = tuple(explorers.iteration_steps(LAST))


@functools.lru_cache(maxsize=1)
def split():
    """The figure's data: an 80/20 split of small implicit feedback.

    ``synthetic_ratings(N_USERS, N_ITEMS, seed=0)``, turned implicit by
    ``to_implicit(..., threshold=4)`` and split by
    ``train_test_split(..., test_fraction=0.2, seed=0)``, as the chapter
    does with its full-size matrix. Computed once; the arrays are
    read-only.

    Returns
    -------
    (train, test) : scipy.sparse.csr_matrix, shape (N_USERS, N_ITEMS)

    Notes
    -----
    Defined in: Chapter 4.

    Examples
    --------
    >>> train, test = split()
    >>> train.shape, train.nnz, test.nnz
    ((300, 500), 3873, 953)
    """
    ratings = synthetic_ratings(n_users=N_USERS, n_items=N_ITEMS, seed=0)
    positives = to_implicit(ratings.ratings, threshold=4)
    train, test = train_test_split(positives, test_fraction=0.2, seed=0)
    for part in (train, test):
        for array in (part.data, part.indices, part.indptr):
            array.flags.writeable = False
    return train, test


@functools.lru_cache(maxsize=1)
def popular_auc():
    """The held-out AUC of ranking every user's items by popularity.

    Popularity is the number of training positives of an item; the AUC is
    ``evaluation.heldout_auc`` of those scores, as the chapter computes its
    most-popular baseline.

    Returns
    -------
    float

    Notes
    -----
    Defined in: Chapter 4.

    Examples
    --------
    >>> round(popular_auc(), 3)
    0.746
    """
    train, test = split()
    counts = np.bincount(train.indices, minlength=train.shape[1])
    return evaluation.heldout_auc(
        np.ones((train.shape[0], 1)),
        counts.astype(float)[:, None],
        test,
        train,
    )


def run(k, lam, learning_rate, epochs):
    """BPR-MF on the figure's training positives, per epoch.

    The steps of ``bpr.fit_bpr(train, k, lam,
    learning_rate=learning_rate, n_epochs=epochs, seed=0)`` (LearnBPR:
    bootstrap triples, one SGD step of equation eq-bpr-grad on the loss
    eq-bpr-loss for each), with the same random draws in the same order,
    so the same factors after every epoch (the tests check it). Unlike
    ``fit_bpr`` with ``test``, the held-out AUC
    (``evaluation.heldout_auc``, the chapter's AUC) is computed only
    after the epochs in :data:`EPOCHS` and after the last: those are all
    the figure shows, and the AUC costs more than an epoch.

    Parameters
    ----------
    k : int, 1 <= k <= 64
    lam : float, 10**-4.25 <= lam <= 10**-0.75 (about 5.6e-5 .. 0.18)
        The live slider's reach (``TRY_IT.check``).
    learning_rate : float, 10**-3.25 <= learning_rate <= 10**0.25
        About 5.6e-4 .. 1.8, the live slider's reach.
    epochs : int, 1 <= epochs <= 30

    Returns
    -------
    pandas.DataFrame
        Columns ``epochs`` (0 .. ``epochs``; 0 is the start) and ``auc``
        (NaN at the start, after the epochs not computed, and from the
        epoch on where a too large step made the factors overflow, which
        ``fit_bpr`` reports as a ValueError).

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
    Defined in: Chapter 4 (the Try it figure's compute).

    Examples
    --------
    >>> run(k=1, lam=0.01, learning_rate=0.1, epochs=2).round(3)
       epochs    auc
    0       0    NaN
    1       1  0.491
    2       2  0.495
    """
    TRY_IT.check(k=k, lam=lam, learning_rate=learning_rate, epochs=epochs)
    train, test = split()
    rng = np.random.default_rng(0)
    # As fit_bpr: the start N(0, 0.1^2), then the fixed sample of triples
    # its loss history uses (drawn here only to keep the draws in step).
    U = rng.normal(0.0, 0.1, (train.shape[0], k))
    V = rng.normal(0.0, 0.1, (train.shape[1], k))
    bpr.sample_triples(train, min(train.nnz, 10_000), rng)
    auc = np.full(epochs + 1, np.nan)
    shown = set(EPOCHS) | {epochs}
    for epoch in range(1, epochs + 1):
        triples = bpr.sample_triples(train, train.nnz, rng)
        try:
            bpr.sgd_epoch(U, V, triples, learning_rate, lam)
            if epoch in shown:
                auc[epoch] = evaluation.heldout_auc(U, V, test, train)
        except ValueError as err:
            # A step too large for lam: the factors or the scores overflow
            # (where fit_bpr raises). The live sliders reach such steps;
            # the AUC is left missing from here on.
            if "overflow" not in str(err):
                raise
            break
    return pd.DataFrame({"epochs": np.arange(epochs + 1), "auc": auc})


def panels(c):
    """The caption and the held-out AUC per epoch, with the baselines.

    Notes
    -----
    Used by: Chapter 4's Try it figure (its ``panels``).
    """
    alt = require("altair", "explorers")
    controls = list(c.values())
    along = c["epochs"]
    others = [ctl for name, ctl in c.items() if name != "epochs"]
    popular = round(popular_auc(), 3)
    caption = explorers.caption_panel(
        controls,
        "'k = ' + datum.k + ', λ = ' + format(datum.lam, '.2~g')"
        " + ', η = ' + format(datum.learning_rate, '.2~g')"
        " + ', ' + datum.epochs + ' epochs: '"
        " + (isValid(datum.auc) ? 'held-out AUC '"
        " + format(datum.auc, '.3f')"
        f" + ' (most popular {popular:.3f})'"
        " : 'the factors overflowed (η too large for λ)')",
    )
    width, height = 420, 240
    x = alt.X(
        "epochs:Q",
        scale=alt.Scale(
            domain=[along.values[0], along.values[-1]], nice=False
        ),
        title="epoch",
    )
    y = alt.Y(
        "auc:Q",
        scale=alt.Scale(domain=[0.4, 0.9], nice=False),
        title="held-out AUC",
    )
    base = alt.Chart().properties(width=width, height=height)
    # As explorers.history_panel: the curve stops at the selected epoch,
    # as a run of that many epochs (the live version's) would.
    upto = f"datum['epochs'] <= {along.shown}"
    line = (
        base.transform_filter(explorers.where(others))
        .transform_filter(upto)
        .transform_filter("isValid(datum['auc'])")
        .mark_line(point=alt.OverlayMarkDef(size=14), clip=True)
        .encode(x, y)
    )
    here = base.transform_filter(explorers.where(controls))
    rule = here.mark_rule(color="firebrick").encode(x=x)
    point = here.mark_point(
        color="firebrick", size=80, filled=True, clip=True
    ).encode(x, y)

    def level(value, label, color, dash):
        at = alt.Chart(alt.Data(values=[{"auc": value, "label": label}]))
        rule = at.mark_rule(color=color, strokeDash=dash).encode(y=y)
        text = at.mark_text(
            align="right", baseline="bottom", dx=-4, dy=-3, color=color
        ).encode(y=y, x=alt.value(width), text="label:N")
        return [rule, text]

    baselines = level(
        popular, f"most popular {popular:.3f}", "#D55E00", [6, 4]
    ) + level(0.5, "random 0.5", "#999999", [2, 3])
    return [caption, alt.layer(*baselines, line, rule, point)]


TRY_IT = TryIt(
    compute=run,
    knobs=(
        Knob("k", "int", (4, 8, 16, 32), 16, "k (factors)", low=1, high=64),
        Knob(
            "lam",
            "log",
            0.02 * 4.0 ** np.arange(-1, 2),
            0.02,
            "λ",
            low=1e-4,
            high=0.1,
        ),
        Knob(
            "learning_rate",
            "log",
            0.05 * 4.0 ** np.arange(-1, 2),
            0.05,
            "η",
            low=1e-3,
            high=1.0,
        ),
        Knob("epochs", "iterations", EPOCHS, LAST, "epochs"),
    ),
    panels=panels,
    description="BPR on small implicit data: k, λ, η, epochs",
    readouts=(("auc", ".3f"),),
    decimals={"auc": 3},
)
