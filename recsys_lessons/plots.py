"""The book's figures, in one visual style (all chapters).

Every function draws on a Matplotlib ``Axes`` (a new one if none is given)
and returns it, so chapters can compose figures and tests can inspect them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._extras import require

mpl = require("matplotlib", "plots")
plt = require("matplotlib.pyplot", "plots")

__all__ = [
    "BOOK_STYLE",
    "use_book_style",
    "heatmap",
    "sparsity",
    "curves",
    "spectrum",
    "embedding_scatter",
]

BOOK_STYLE = {
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "image.cmap": "viridis",
    "axes.prop_cycle": mpl.cycler(
        color=[
            "#0072B2",
            "#D55E00",
            "#009E73",
            "#CC79A7",
            "#E69F00",
            "#56B4E9",
            "#F0E442",
            "#000000",
        ]
    ),
}


def use_book_style():
    """Apply the book's Matplotlib style.

    Its colours are the colour-blind-safe Okabe-Ito palette.

    Defined in: Chapter 1.
    """
    mpl.rcParams.update(BOOK_STYLE)


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def heatmap(
    M,
    ax=None,
    *,
    title=None,
    annotate=True,
    unobserved=0.0,
    fmt="{:.1f}",
    xlabel="item",
    ylabel="user",
):
    """A small matrix as coloured cells with their values.

    ``unobserved`` entries are shown blank.

    Defined in: Chapter 1.
    """
    ax = _axes(ax)
    A = M.toarray() if sp.issparse(M) else np.asarray(M, dtype=float)
    masked = (
        np.ma.masked_where(A == unobserved, A)
        if unobserved is not None
        else A
    )
    image = ax.imshow(masked, cmap="viridis", aspect="equal")
    ax.grid(False)
    if annotate:
        for (i, j), value in np.ndenumerate(A):
            if unobserved is None or value != unobserved:
                ax.text(
                    j,
                    i,
                    fmt.format(value),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                )
            else:
                ax.text(
                    j,
                    i,
                    "?",
                    ha="center",
                    va="center",
                    color="0.4",
                    fontsize=9,
                )
    ax.set_xticks(range(A.shape[1]))
    ax.set_yticks(range(A.shape[0]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax


def sparsity(R, ax=None, *, title=None, markersize=0.2):
    """The pattern of observed entries (a dot per rating).

    Defined in: Chapter 1.
    """
    ax = _axes(ax)
    ax.spy(
        R if sp.issparse(R) else np.asarray(R) != 0,
        markersize=markersize,
        aspect="auto",
        color="#0072B2",
    )
    ax.grid(False)
    ax.set_xlabel("item")
    ax.set_ylabel("user")
    if title:
        ax.set_title(title)
    return ax


def curves(
    history,
    ax=None,
    *,
    keys=None,
    xlabel="iteration",
    ylabel=None,
    logy=False,
    title=None,
):
    """Per-iteration curves from a ``history`` dict.

    For example ``ALSResult.history``.

    Defined in: Chapter 2.
    """
    ax = _axes(ax)
    for key in keys or list(history):
        values = np.asarray(history[key])
        ax.plot(
            np.arange(values.size),
            values,
            marker="o",
            markersize=3,
            label=key.replace("_", " "),
        )
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def spectrum(singular_values, ax=None, *, energy=None, title=None):
    """Singular values (bars) and, if given, cumulative captured energy.

    The energy is drawn as a line on a right-hand axis.

    Defined in: Chapter 3.
    """
    ax = _axes(ax)
    s = np.asarray(singular_values)
    idx = np.arange(1, s.size + 1)
    ax.bar(idx, s, color="#0072B2")
    ax.set_xlabel("component")
    ax.set_ylabel("singular value")
    if energy is not None:
        right = ax.twinx()
        right.plot(idx, energy, color="#D55E00", marker="o", markersize=3)
        right.set_ylabel("captured energy", color="#D55E00")
        right.set_ylim(0, 1.02)
        right.grid(False)
    if title:
        ax.set_title(title)
    return ax


def embedding_scatter(
    points, labels, ax=None, *, names=None, title=None, size=8
):
    """2-D points coloured by an integer label (e.g. item factors by genre).

    Defined in: Chapter 2.
    """
    ax = _axes(ax)
    P = np.asarray(points)
    labels = np.asarray(labels)
    for lab in np.unique(labels):
        sel = labels == lab
        name = names[lab] if names is not None else f"genre {lab}"
        ax.scatter(P[sel, 0], P[sel, 1], s=size, alpha=0.7, label=name)
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    ax.legend(markerscale=2, fontsize=8, ncols=2)
    if title:
        ax.set_title(title)
    return ax
