"""The book's figures, in one visual style (all chapters).

Every function draws on a Matplotlib ``Axes`` (a new one if none is given)
and returns it, so chapters can compose figures and tests can inspect them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._extras import require
from ._validation import (
    as_numeric_array,
    check_bool,
    check_float,
    check_sparse,
)

mpl = require("matplotlib", "plots")
plt = require("matplotlib.pyplot", "plots")

__all__ = [
    "BOOK_STYLE",
    "LINE_STYLES",
    "MARKERS",
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


# Series in one panel differ by more than colour (a colour-vision
# deficiency can hide a colour difference: figures.check_colours): each
# curve gets its own line style and marker, each point set its own marker.
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def use_book_style():
    """Apply the book's Matplotlib style.

    Its colours are the colour-blind-safe Okabe-Ito palette.

    Notes
    -----
    Defined in: Chapter 1.
    """
    mpl.rcParams.update(BOOK_STYLE)


def _ink(rgba):
    """Black or white, whichever contrasts more with the colour ``rgba``
    (WCAG relative luminance)."""
    lin = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in rgba[:3]
    ]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    # Contrast with black (L + 0.05) / 0.05 against with white
    # 1.05 / (L + 0.05): equal at L = 0.179.
    return "black" if luminance > 0.179 else "white"


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, mpl.axes.Axes):
        raise TypeError(
            f"ax must be None or a matplotlib Axes, got {type(ax).__name__}"
        )
    return ax


def _text(value, name, *, optional=True):
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be {'None or ' if optional else ''}a str, "
            f"got {type(value).__name__}"
        )
    return value


def _finite(x, name, ndim):
    """A finite real ``ndim``-D array with at least one entry."""
    arr = as_numeric_array(x, name)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got {arr.ndim}-D")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


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

    ``unobserved`` entries (a number, or None for none) are shown blank;
    ``fmt`` is a ``str.format`` pattern with one field.

    Notes
    -----
    Defined in: Chapter 1.
    """
    if sp.issparse(M):
        A = check_sparse(M, "M").toarray()
    else:
        A = _finite(M, "M", 2)
    title = _text(title, "title")
    annotate = check_bool(annotate, "annotate")
    if unobserved is not None:
        unobserved = check_float(unobserved, "unobserved")
    fmt = _text(fmt, "fmt", optional=False)
    try:
        fmt.format(1.0)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValueError(
            f"fmt must format one number, e.g. '{{:.1f}}': {exc}"
        ) from None
    xlabel = _text(xlabel, "xlabel")
    ylabel = _text(ylabel, "ylabel")
    ax = _axes(ax)
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
                    color=_ink(image.to_rgba(value)),
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

    Notes
    -----
    Defined in: Chapter 1.
    """
    if sp.issparse(R):
        R = check_sparse(R, "R")
    else:
        R = _finite(R, "R", 2) != 0
    title = _text(title, "title")
    markersize = check_float(
        markersize, "markersize", low=0.0, low_open=True
    )
    ax = _axes(ax)
    ax.spy(
        R,
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

    ``history`` maps names to 1-D sequences of numbers (NaN leaves a
    gap); ``keys`` (default: all) picks some of them.

    Notes
    -----
    Defined in: Chapter 2.
    """
    if not hasattr(history, "keys") or not hasattr(history, "__getitem__"):
        raise TypeError(
            f"history must be a dict, got {type(history).__name__}"
        )
    if keys is None:
        keys = list(history)
    elif isinstance(keys, str) or not hasattr(keys, "__iter__"):
        raise TypeError(
            f"keys must be None or a list of str, got {type(keys).__name__}"
        )
    keys = list(keys)
    if not keys:
        raise ValueError("keys must name at least one curve of history")
    series = {}
    for key in keys:
        if not isinstance(key, str):
            raise TypeError(f"keys must be str, got {type(key).__name__}")
        if key not in history:
            raise ValueError(
                f"keys: {key!r} is not in history ({list(history)})"
            )
        # NaN is allowed: a history marks an undefined value (e.g. no test
        # set) with it, and Matplotlib leaves a gap there.
        values = as_numeric_array(history[key], f"history[{key!r}]")
        if values.ndim != 1:
            raise ValueError(
                f"history[{key!r}] must be 1-D, got {values.ndim}-D"
            )
        series[key] = values
    xlabel = _text(xlabel, "xlabel")
    ylabel = _text(ylabel, "ylabel")
    logy = check_bool(logy, "logy")
    title = _text(title, "title")
    ax = _axes(ax)
    for i, (key, values) in enumerate(series.items()):
        ax.plot(
            np.arange(values.size),
            values,
            marker=MARKERS[i % len(MARKERS)],
            linestyle=LINE_STYLES[i % len(LINE_STYLES)],
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

    Notes
    -----
    Defined in: Chapter 3.
    """
    s = _finite(singular_values, "singular_values", 1)
    if np.any(s < 0):
        raise ValueError("singular_values must be >= 0")
    if energy is not None:
        energy = _finite(energy, "energy", 1)
        if energy.shape != s.shape:
            raise ValueError(
                f"energy must have one value per singular value "
                f"({s.size}), got {energy.size}"
            )
    title = _text(title, "title")
    ax = _axes(ax)
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

    ``points`` is (n, 2) finite, ``labels`` n integers, ``names`` (if
    given) a list or dict with an entry for every label, ``size`` > 0.

    Notes
    -----
    Defined in: Chapter 2.
    """
    P = _finite(points, "points", 2)
    if P.shape[1] != 2:
        raise ValueError(f"points must have 2 columns, got {P.shape[1]}")
    labels = as_numeric_array(labels, "labels")
    if labels.shape != (P.shape[0],):
        raise ValueError(
            f"labels must be 1-D with one label per point ({P.shape[0]}), "
            f"got shape {labels.shape}"
        )
    if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(
            f"labels must hold integers, got dtype {labels.dtype}"
        )
    if names is not None:
        if not hasattr(names, "__getitem__") or isinstance(names, str):
            raise TypeError(
                "names must be None, a list or a dict, "
                f"got {type(names).__name__}"
            )
        for lab in np.unique(labels):
            try:
                names[lab]
            except (IndexError, KeyError, TypeError):
                raise ValueError(
                    f"names has no entry for label {lab}"
                ) from None
            if lab < 0 and not isinstance(names, dict):
                raise ValueError(
                    f"names has no entry for label {lab} (a negative "
                    "label would index a list from its end)"
                )
    title = _text(title, "title")
    size = check_float(size, "size", low=0.0, low_open=True)
    ax = _axes(ax)
    for i, lab in enumerate(np.unique(labels)):
        sel = labels == lab
        name = names[lab] if names is not None else f"genre {lab}"
        ax.scatter(
            P[sel, 0],
            P[sel, 1],
            s=size,
            alpha=0.7,
            marker=MARKERS[i % len(MARKERS)],
            label=name,
        )
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    ax.legend(markerscale=2, fontsize=8, ncols=2)
    if title:
        ax.set_title(title)
    return ax
