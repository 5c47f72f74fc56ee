"""Chapter 2's Try it: ALS on the lesson's toy matrix.

Controls: k, λ (log scale), iterations and the penalty (weighted, as in
the lesson's code, or plain). Panels: the objective per iteration and the
predicted matrix, the observed cells outlined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import als, explorers
from ..data import toy_ratings
from . import Knob, TryIt

__all__ = ["run", "TRY_IT"]

#: The largest iteration count the figure offers.
LAST = 400


def run(k, lam, penalty, iterations):
    """ALS on the toy matrix from the lesson's start, per iteration.

    One row per iteration ``0 .. iterations`` (0: the start): the
    objective ``J`` of equation (eq-mf-objective) with the fit's penalty
    (weighted, or the plain one), the train RMSE, and the predicted
    matrix ``U Vᵀ`` as columns ``p_<i>_<j>`` (see
    :func:`recsys_lessons.explorers.matrix_columns`). Each iteration is
    one sweep of the ALS updates (eq-als-user and its item twin).

    Parameters
    ----------
    k : int, 1 .. 5
    lam : float, within the live slider's reach
        Its range 1e-4 .. 10, rounded out by a quarter decade each side
        (about 5.6e-5 .. 17.8); the grid has two values per decade.
    penalty : {"weighted", "plain"}
    iterations : int, 1 .. 400

    Returns
    -------
    pandas.DataFrame
        Columns ``iterations``, ``objective``, ``train_rmse``, then
        ``p_0_0`` .. ``p_4_4``.

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
    Defined in: Chapter 2 (the Try it figure's compute).

    Examples
    --------
    >>> table = run(k=1, lam=0.01, penalty="weighted", iterations=2)
    >>> table[["iterations", "objective", "train_rmse"]].round(3)
       iterations  objective  train_rmse
    0           0    177.927       3.565
    1           1    102.205       2.612
    2           2     37.112       1.383
    """
    TRY_IT.check(k=k, lam=lam, penalty=penalty, iterations=iterations)
    R = toy_ratings()
    start = als.lesson_start(*R.shape, k)
    predicted = [start[0] @ start[1].T]
    fit = als.fit_als(
        R,
        k,
        lam,
        n_iters=iterations,
        penalty=penalty,
        init=start,
        callback=lambda t, U, V: predicted.append(U @ V.T),
    )
    table = pd.DataFrame(
        {
            "iterations": np.arange(iterations + 1),
            "objective": fit.history["objective"],
            "train_rmse": fit.history["train_rmse"],
        }
    )
    return pd.concat([table, explorers.matrix_columns(predicted)], axis=1)


def panels(c):
    """The caption, the predicted matrix and the objective curve.

    Notes
    -----
    Used by: Chapter 2's Try it figure (its ``panels``).
    """
    controls = list(c.values())
    caption = explorers.caption_panel(
        controls,
        "'k = ' + datum.k + ', λ = ' + format(datum.lam, '.2~g') + ', '"
        " + datum.iterations + ' iterations, ' + datum.penalty"
        " + ': train RMSE ' + format(datum.train_rmse, '.3f')",
    )
    curve = explorers.history_panel(
        controls,
        c["iterations"],
        "objective",
        logx=True,
        logy=True,
        title="J",
    )
    matrix = explorers.matrix_panel(
        controls,
        "p",
        shape=(5, 5),
        domain=(1, 5),
        outline=toy_ratings() != 0,
        title="predicted toy matrix",
    )
    # The matrix first: its colour legend is drawn below the figure, at
    # the left (a concat's legends go around the whole figure).
    return [caption, [matrix, curve]]


TRY_IT = TryIt(
    compute=run,
    knobs=(
        Knob("k", "int", range(1, 6), 2, "k (factors)"),
        Knob("lam", "log", explorers.log_grid(-4, 1, 2), 0.01, "λ"),
        Knob(
            "iterations",
            "iterations",
            explorers.iteration_steps(LAST),
            20,
            "iterations",
        ),
        Knob(
            "penalty",
            "options",
            ("weighted", "plain"),
            "weighted",
            "penalty",
        ),
    ),
    panels=panels,
    description="ALS on the toy matrix: k, λ, iterations, penalty",
    readouts=(("train_rmse", ".3f"),),
    decimals={"train_rmse": 3}
    | {f"p_{i}_{j}": 1 for i in range(5) for j in range(5)},
)
