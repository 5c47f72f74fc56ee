"""Chapter 1's Try it: k, λ and iterations on held-out synthetic ratings.

ALS with the weighted penalty on an 80/20 split of a smaller draw of the
book's synthetic data. Controls: k, λ (log scale) and iterations. Panels:
the objective per iteration and the train and test RMSE per iteration.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import als, explorers
from .._extras import require
from ..data import synthetic_ratings, train_test_split
from . import Knob, TryIt

__all__ = ["N_USERS", "N_ITEMS", "LAST", "split", "run", "TRY_IT"]

#: The shape of the figure's synthetic matrix: the chapter's generator
#: (``synthetic_ratings``, same density and seed) with about a third of
#: the chapter's users and items, so that the whole grid fits in seconds.
N_USERS, N_ITEMS = 300, 500
#: The largest iteration count the figure offers (as the old widget).
LAST = 50
# Each panel's width in pixels: the figure fits the book's text column.
WIDTH = 260


@functools.lru_cache(maxsize=1)
def split():
    """The figure's data: an 80/20 split of a small synthetic matrix.

    ``synthetic_ratings(N_USERS, N_ITEMS, seed=0)`` split by
    ``train_test_split(..., test_fraction=0.2, seed=0)``, as the chapter
    splits its full-size matrix. Computed once; the arrays are read-only.

    Returns
    -------
    (train, test) : scipy.sparse.csr_matrix, shape (N_USERS, N_ITEMS)

    Notes
    -----
    Defined in: Chapter 1.

    Examples
    --------
    >>> train, test = split()
    >>> train.shape, train.nnz, test.nnz
    ((300, 500), 7556, 1894)
    """
    ratings = synthetic_ratings(n_users=N_USERS, n_items=N_ITEMS, seed=0)
    train, test = train_test_split(
        ratings.ratings, test_fraction=0.2, seed=0
    )
    for part in (train, test):
        for array in (part.data, part.indices, part.indptr):
            array.flags.writeable = False
    return train, test


def run(k, lam, iterations):
    """Weighted ALS on the figure's training ratings, per iteration.

    One row per iteration ``0 .. iterations`` (0: the random start of
    ``fit_als`` with ``seed=0``): the objective ``J`` of equation
    (eq-mf-objective) with the weighted penalty, on the training ratings,
    and the RMSE on the training and on the held-out ratings.

    Parameters
    ----------
    k : int, 1 .. 30
        The live slider's range (the figure's grid: 1, 2, 5, 10, 20).
    lam : float, within the live slider's reach
        Its range 1e-4 .. 10, rounded out by a quarter decade each side
        (about 5.6e-5 .. 17.8); the grid: 0.0016 .. 1.6.
    iterations : int, 1 .. 50

    Returns
    -------
    pandas.DataFrame
        Columns ``iterations``, ``objective``, ``train_rmse``,
        ``test_rmse``.

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
    Defined in: Chapter 1 (the Try it figure's compute).

    Examples
    --------
    >>> run(k=1, lam=0.05, iterations=2).round(3)
       iterations   objective  train_rmse  test_rmse
    0           0  109966.958       3.802      3.735
    1           1   91567.077       3.457      3.783
    2           2   85507.077       3.337      3.798
    """
    TRY_IT.check(k=k, lam=lam, iterations=iterations)
    train, test = split()
    fit = als.fit_als(
        train,
        k,
        lam,
        n_iters=iterations,
        penalty="weighted",
        seed=0,
        test=test,
    )
    h = fit.history
    return pd.DataFrame(
        {
            "iterations": np.arange(iterations + 1),
            "objective": h["objective"],
            "train_rmse": h["train_rmse"],
            "test_rmse": h["test_rmse"],
        }
    )


def _rmse_panel(c, width=WIDTH, height=220):
    # Two curves (train, test) of the selected setting, filtered as
    # explorers.history_panel filters its one curve.
    alt = require("altair", "explorers")
    controls = list(c.values())
    along = c["iterations"]
    others = [ctl for ctl in controls if ctl is not along]
    span = [along.values[0], along.values[-1]]
    x = alt.X(
        f"{along.column}:Q",
        scale=alt.Scale(type="log", domain=span, nice=False),
        title="iteration",
    )
    # A fixed axis, the same for every setting: the first iterations'
    # held-out errors (up to 7) would squash the rest; they are clipped.
    y = alt.Y("rmse:Q", title="RMSE", scale=alt.Scale(domain=[0, 2]))
    colour = alt.Color(
        "ratings:N",
        scale=alt.Scale(
            domain=["train", "test"], range=["#0072B2", "#D55E00"]
        ),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    base = alt.Chart().properties(width=width, height=height)

    def folded(chart):
        return chart.transform_fold(
            ["train_rmse", "test_rmse"], as_=["key", "rmse"]
        ).transform_calculate(
            ratings="datum.key == 'train_rmse' ? 'train' : 'test'"
        )

    upto = f"datum['{along.column}'] <= {along.shown}"
    selected = base.transform_filter(explorers.where(others))
    line = (
        folded(selected.transform_filter(upto))
        .mark_line(point=alt.OverlayMarkDef(size=12), clip=True)
        .encode(x, y, colour)
    )
    here = base.transform_filter(explorers.where(controls))
    rule = here.mark_rule(color="firebrick").encode(x=x)
    points = (
        folded(here)
        .mark_point(size=80, filled=True, clip=True)
        .encode(x, y, colour)
    )
    return alt.layer(line, rule, points)


def panels(c):
    """The caption, the objective curve and the train/test RMSE curves.

    Notes
    -----
    Used by: Chapter 1's Try it figure (its ``panels``).
    """
    controls = list(c.values())
    caption = explorers.caption_panel(
        controls,
        "'k = ' + datum.k + ', λ = ' + format(datum.lam, '.2~g') + ', '"
        " + datum.iterations + ' iterations: train RMSE '"
        " + format(datum.train_rmse, '.3f') + ', test RMSE '"
        " + format(datum.test_rmse, '.3f')",
    )
    curve = explorers.history_panel(
        controls,
        c["iterations"],
        "objective",
        logx=True,
        logy=True,
        title="J (weighted)",
        width=WIDTH,
    )
    return [caption, [curve, _rmse_panel(c)]]


TRY_IT = TryIt(
    compute=run,
    knobs=(
        # The grid stops at k = 20 (a k = 30 fit costs as much as all the
        # others of its λ); the live version goes to 30, as the old widget.
        Knob("k", "int", (1, 2, 5, 10, 20), 10, "k (factors)", 1, 30),
        Knob(
            "lam",
            "log",
            # 0.0016 .. 1.6, two per decade around the chapter's 0.05.
            0.05 * 10.0 ** (np.arange(-3, 4) / 2),
            0.05,
            "λ",
            1e-4,  # the live slider: 1e-4 .. 10, as the old widget
            10.0,
        ),
        Knob(
            "iterations",
            "iterations",
            explorers.iteration_steps(LAST),
            20,
            "iterations",
        ),
    ),
    panels=panels,
    description="ALS on held-out synthetic ratings: k, λ, iterations",
    readouts=(("train_rmse", ".3f"), ("test_rmse", ".3f")),
    decimals={"train_rmse": 3, "test_rmse": 3},
)
