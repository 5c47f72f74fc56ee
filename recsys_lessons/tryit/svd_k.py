"""Chapter 3's Try it: truncated SVD at k components.

The user-mean-centred SVD of the chapter's synthetic training ratings
(80/20 split), truncated at k. Control: k. Panels: the spectrum with the
kept components highlighted, the held-out RMSE against k with the selected
k marked, and the clipped predictions for the first 20 users and items
with the observed training ratings marked.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import explorers, svd
from .._extras import require
from ..data import synthetic_ratings, train_test_split
from . import Knob, TryIt

__all__ = [
    "TOP",
    "BLOCK",
    "CLIP",
    "decomposition",
    "curves",
    "run",
    "TRY_IT",
]

#: Components computed once; every k of the figure is a slice of them.
TOP = 50
#: The predicted block shows users and items 0 .. BLOCK - 1.
BLOCK = 20
#: Predictions are clipped to the rating scale, as in the chapter.
CLIP = (1, 5)
# Pixels: each panel's width, and each cell of the predicted block.
WIDTH = 260
HEIGHT = 180
CELL = 12


@functools.lru_cache(maxsize=1)
def decomposition():
    """The chapter's top-``TOP`` SVD, its test ratings and observed block.

    ``synthetic_ratings(seed=0)`` split by ``train_test_split(...,
    test_fraction=0.2, seed=0)``, and ``svd.truncated_svd(train, TOP)``
    (centred by the user means), as in the chapter's section on the
    spectrum. Computed once; the arrays are read-only.

    Returns
    -------
    full : recsys_lessons.svd.SVDModel
        Rank ``TOP``; ``full.truncate(k)`` is the rank-k model.
    test : scipy.sparse.csr_matrix
        The held-out ratings.
    observed : bool ndarray, shape (BLOCK, BLOCK)
        Which cells of the block are training ratings.

    Notes
    -----
    Defined in: Chapter 3.
    """
    data = synthetic_ratings(seed=0)
    train, test = train_test_split(data.ratings, test_fraction=0.2, seed=0)
    full = svd.truncated_svd(train, TOP)
    observed = train[:BLOCK, :BLOCK].toarray() != 0
    arrays = (
        full.user_factors,
        full.singular_values,
        full.item_factors,
        full.user_means,
        test.data,
        test.indices,
        test.indptr,
        observed,
    )
    for array in arrays:
        array.flags.writeable = False
    return full, test, observed


@functools.lru_cache(maxsize=1)
def _curves():
    full, test, _ = decomposition()
    ks = np.arange(1, TOP + 1)
    rmse = [full.truncate(int(k)).rmse(test, clip=CLIP) for k in ks]
    return pd.DataFrame(
        {"component": ks, "s": full.singular_values, "test_rmse": rmse}
    )


def curves():
    """The parts of the figure that do not depend on k.

    Returns
    -------
    pandas.DataFrame
        One row per component ``l = 1 .. TOP``: ``component``, the
        singular value ``s`` (the spectrum) and ``test_rmse``, the
        held-out RMSE of the rank-``l`` model (predictions clipped to
        ``CLIP``): the curve along which the figure marks the selected k.
        Computed once; each call returns a copy.

    Notes
    -----
    Used by: Chapter 3's Try it figure.
    """
    return _curves().copy()


def run(k):
    """The rank-k truncated SVD of the chapter's centred training matrix.

    The model ``mean_i + (A_k)_ij`` of the chapter's recipe, with
    ``A_k`` the first k components of the centred matrix (the recipe of
    section sec-svd-recipe), read off the top-``TOP`` decomposition by
    Eckart-Young's nesting.

    Parameters
    ----------
    k : int, 1 <= k <= TOP (the slider's range, 1 .. 50)

    Returns
    -------
    pandas.DataFrame
        One row: ``energy`` (the share of the centred matrix's energy the
        k components capture, ``sum_{l<=k} s_l^2 / ||A||_F^2``),
        ``test_rmse`` (held-out RMSE, predictions clipped to ``CLIP``)
        and the clipped predictions of users and items ``0 .. BLOCK - 1``
        as columns ``p_<i>_<j>``.

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
    Defined in: Chapter 3 (the Try it figure's compute).
    """
    TRY_IT.check(k=k)
    full, test, _ = decomposition()
    model = full.truncate(k)
    rows, cols = np.meshgrid(
        np.arange(BLOCK), np.arange(BLOCK), indexing="ij"
    )
    block = model.predict(rows.ravel(), cols.ravel(), clip=CLIP)
    table = pd.DataFrame(
        {
            "energy": [model.energy()[-1]],
            "test_rmse": [model.rmse(test, clip=CLIP)],
        }
    )
    columns = explorers.matrix_columns(block.reshape(1, BLOCK, BLOCK))
    return pd.concat([table, columns], axis=1)


def _records(frame):
    # A panel's own data (Python numbers, as JSON needs them), rounded as
    # the table's test RMSE is, so that the stored output is stable.
    return frame.round({"s": 2, "test_rmse": 3}).to_dict("records")


def _spectrum_panel(c):
    alt = require("altair", "explorers")
    kept = f"datum.component <= {c['k'].shown}"
    return (
        alt.Chart(alt.Data(values=_records(curves()[["component", "s"]])))
        .mark_bar()
        .encode(
            x=alt.X(
                "component:Q",
                title="component",
                scale=alt.Scale(domain=[0.5, TOP + 0.5], nice=False),
            ),
            y=alt.Y("s:Q", title="singular value"),
            color=alt.condition(
                kept, alt.value("#D55E00"), alt.value("#0072B2")
            ),
        )
        .properties(
            width=WIDTH, height=HEIGHT, title="spectrum (orange: kept)"
        )
    )


def _rmse_panel(c):
    alt = require("altair", "explorers")
    controls = list(c.values())
    x = alt.X(
        "k:Q", title="k", scale=alt.Scale(domain=[1, TOP], nice=False)
    )
    y = alt.Y("test_rmse:Q", title="test RMSE", scale=alt.Scale(zero=False))
    points = curves()[["component", "test_rmse"]].rename(
        columns={"component": "k"}
    )
    line = (
        alt.Chart(alt.Data(values=_records(points)))
        .mark_line(color="#0072B2")
        .encode(x, y)
    )
    here = alt.Chart().transform_filter(explorers.where(controls))
    rule = here.mark_rule(color="firebrick").encode(x=x)
    point = here.mark_point(color="#D55E00", size=80, filled=True).encode(
        x, y
    )
    return alt.layer(line, rule, point).properties(
        width=WIDTH, height=HEIGHT, title="held-out error of truncated SVD"
    )


def _block_panel(c):
    alt = require("altair", "explorers")
    controls = list(c.values())
    _, _, observed = decomposition()
    names = [f"p_{i}_{j}" for i in range(BLOCK) for j in range(BLOCK)]
    ticks = list(range(0, BLOCK, 5))
    x = alt.X(
        "col:O", title="item", axis=alt.Axis(values=ticks, labelAngle=0)
    )
    y = alt.Y("row:O", title="user", axis=alt.Axis(values=ticks))
    cells = (
        alt.Chart()
        .transform_filter(explorers.where(controls))
        .transform_fold(names, as_=["cell", "value"])
        .transform_calculate(
            row="toNumber(split(datum.cell, '_')[1])",
            col="toNumber(split(datum.cell, '_')[2])",
        )
        .mark_rect()
        .encode(
            x,
            y,
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(
                    scheme="viridis", domain=list(CLIP), clamp=True
                ),
                # Below the block, the figure's last row (a concat's
                # legends are drawn around the whole figure).
                legend=alt.Legend(
                    title="predicted rating",
                    orient="bottom",
                    gradientLength=BLOCK * CELL,
                ),
            ),
        )
    )
    marked = [
        {"row": int(i), "col": int(j)} for i, j in np.argwhere(observed)
    ]
    dots = (
        alt.Chart(alt.Data(values=marked))
        .mark_circle(color="white", size=12, opacity=1)
        .encode(x, y)
    )
    return alt.layer(cells, dots).properties(
        width=BLOCK * CELL,
        height=BLOCK * CELL,
        title=f"first {BLOCK} users and items (dots: training ratings)",
    )


def panels(c):
    """The caption, the spectrum and the test RMSE curve, the predictions.

    Notes
    -----
    Used by: Chapter 3's Try it figure (its ``panels``).
    """
    caption = explorers.caption_panel(
        list(c.values()),
        "'k = ' + datum.k + ': ' + format(datum.energy, '.1%')"
        " + ' of the energy, test RMSE ' + format(datum.test_rmse, '.3f')",
    )
    return [caption, [_spectrum_panel(c), _rmse_panel(c)], _block_panel(c)]


TRY_IT = TryIt(
    compute=run,
    knobs=(Knob("k", "int", range(1, TOP + 1), 10, "k (components)"),),
    panels=panels,
    description="Truncated SVD of the synthetic ratings: k",
    readouts=(("energy", ".1%"), ("test_rmse", ".3f")),
    decimals={"energy": 3, "test_rmse": 3}
    | {f"p_{i}_{j}": 2 for i in range(BLOCK) for j in range(BLOCK)},
)
