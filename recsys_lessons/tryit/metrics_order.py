"""Chapter 6's Try it: reorder the worked example's five items.

Controls: the order of the five items (one of the 5! = 120 orders, by its
index in ``itertools.permutations``; 0 is the order the lesson's system
returned) and the cut-off k of DCG@k, NDCG@k and AP@k. Panel: each
position's gain and discounted term (equation eq-dcg), the positions
below k faded.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .. import explorers, metrics
from .._extras import require
from . import Knob, TryIt

__all__ = ["RETURNED", "ORDERS", "run", "TRY_IT"]

#: The labels of the lesson's worked example, in the order its system
#: returned the five items (Chapter 6, "The lesson's worked example").
RETURNED = (3, 2, 3, 0, 1)

#: The 120 orders of the five items (positions in ``RETURNED``), in
#: ``itertools.permutations`` order: order 0 is the returned one.
ORDERS = tuple(itertools.permutations(range(len(RETURNED))))

_N = len(RETURNED)


# The discount 1 / log2(p + 1) of positions p = 1..5 (equation eq-dcg).
_DISCOUNTS = 1.0 / np.log2(np.arange(2, _N + 2))
_DISCOUNTS.setflags(write=False)


def run(order, k):
    """The worked example's five items in one order, and its metrics at k.

    One row: the labels at positions 1..5 (``rel_<p>``), each position's
    gain ``2^rel - 1`` (``gain_<p>``) and discounted term
    ``(2^rel - 1) / log2(p + 1)`` (``term_<p>``, the summands of equation
    eq-dcg), and, for the cut-off ``k``: DCG@k (eq-dcg), the ideal order's
    IDCG@k, NDCG@k (eq-ndcg) and AP@k (eq-ap) with D = the 4 relevant
    items (label > 0) of the five, the book's default convention, all
    computed by :mod:`recsys_lessons.metrics`.

    Parameters
    ----------
    order : int, 0 <= order < 120
        Index in :data:`ORDERS`; 0 is the order the system returned.
    k : int, 1 <= k <= 5
        The metrics' cut-off.

    Returns
    -------
    pandas.DataFrame, one row

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
    Defined in: Chapter 6 (the Try it figure's compute).

    Examples
    --------
    >>> run(order=0, k=5)[["dcg", "idcg", "ndcg", "ap"]].round(4)
           dcg     idcg    ndcg    ap
    0  12.7796  13.3472  0.9575  0.95
    """
    TRY_IT.check(order=order, k=k)
    order = int(order)
    k = int(k)
    if not 0 <= order < len(ORDERS):
        raise ValueError(f"order must be in [0, {len(ORDERS) - 1}]")
    if not 1 <= k <= _N:
        raise ValueError(f"k must be in [1, {_N}]")
    rel = np.array(RETURNED, dtype=float)[list(ORDERS[order])]
    gain = 2.0**rel - 1.0
    term = gain * _DISCOUNTS
    row = {f"rel_{p}": int(rel[p - 1]) for p in range(1, _N + 1)}
    row |= {f"gain_{p}": int(gain[p - 1]) for p in range(1, _N + 1)}
    row |= {f"term_{p}": float(term[p - 1]) for p in range(1, _N + 1)}
    n_relevant = int(np.sum(rel > 0))
    row |= {
        "dcg": float(metrics.dcg_at_k(rel, k)),
        "idcg": float(metrics.dcg_at_k(np.sort(rel)[::-1], k)),
        "ndcg": float(metrics.ndcg_at_k(rel, k)),
        "ap": float(metrics.average_precision(rel, k, n_relevant)),
    }
    return pd.DataFrame([row])


def panels(c):
    """The caption and the bars of gains and discounted terms.

    Notes
    -----
    Used by: Chapter 6's Try it figure (its ``panels``).
    """
    alt = require("altair", "explorers")
    controls = list(c.values())
    labels = " + ', ' + ".join(f"datum.rel_{p}" for p in range(1, _N + 1))
    caption = explorers.caption_panel(
        controls,
        "'order #' + datum.order + ', labels [' + " + labels + " + ']'"
        " + ': DCG@' + datum.k + ' ' + format(datum.dcg, '.4f')"
        " + ', IDCG@' + datum.k + ' ' + format(datum.idcg, '.4f')"
        " + ', NDCG@' + datum.k + ' ' + format(datum.ndcg, '.4f')"
        " + ', AP@' + datum.k + ' ' + format(datum.ap, '.4f')",
        width=640,
    )
    names = [f"{w}_{p}" for w in ("gain", "term") for p in range(1, _N + 1)]
    gain_name, term_name = "gain 2^rel − 1", "discounted term"
    series = [gain_name, term_name]
    base = (
        alt.Chart()
        .transform_filter(explorers.where(controls))
        .transform_fold(names, as_=["cell", "value"])
        .transform_calculate(
            position="toNumber(split(datum.cell, '_')[1])",
            series=f"split(datum.cell, '_')[0] == 'gain' ? "
            f"'{gain_name}' : '{term_name}'",
        )
        .transform_calculate(counted="datum.position <= datum.k")
    )
    x = alt.X("position:O", title="position", axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("series:N", sort=series)
    y = alt.Y(
        "value:Q", title=None, scale=alt.Scale(domain=[0, 8], nice=False)
    )
    faded = alt.condition("datum.counted", alt.value(1.0), alt.value(0.25))
    bars = base.mark_bar().encode(
        x=x,
        xOffset=offset,
        y=y,
        color=alt.Color(
            "series:N",
            sort=series,
            scale=alt.Scale(domain=series, range=["#56B4E9", "#0072B2"]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        opacity=faded,
    )
    values = base.mark_text(dy=-7, fontSize=11).encode(
        x=x,
        xOffset=offset,
        y=y,
        text=alt.Text("value:Q", format=".2~f"),
        opacity=faded,
    )
    chart = alt.layer(bars, values).properties(
        width=400,
        height=220,
        title="each position's gain and term of DCG@k (past k: faded)",
    )
    return [caption, chart]


TRY_IT = TryIt(
    compute=run,
    knobs=(
        Knob("order", "int", range(len(ORDERS)), 0, "order #"),
        Knob("k", "int", range(1, _N + 1), _N, "k (cut-off)"),
    ),
    panels=panels,
    description="The worked example in any order: DCG, NDCG, AP at k",
    readouts=(("dcg", ".4f"), ("ndcg", ".4f"), ("ap", ".4f")),
    decimals={"dcg": 4, "idcg": 4, "ndcg": 4, "ap": 4}
    | {f"term_{p}": 4 for p in range(1, _N + 1)},
)
