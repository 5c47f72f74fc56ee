"""What a figure draws, read off its artists: shared by the text, the
summary check and the colour check.

Every reader here takes a Matplotlib axes (or figure) and returns plain
Python and NumPy values: the panels and their twins, each panel's name,
its data lines, bars (with error bars), point sets and tick labels, and
numbers and math markup written as the tables and a screen reader get
them.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .._extras import require

mpl = require("matplotlib", "plots")
# pyplot imports the submodules read below as attributes of ``mpl``
# (figure, container, collections, ticker), as the old single module did.
require("matplotlib.pyplot", "plots")


def _figure(fig):
    if not isinstance(fig, mpl.figure.Figure):
        raise TypeError(
            f"fig must be a matplotlib Figure, got {type(fig).__name__}"
        )
    return fig


def _num(value, digits=3):
    """A number as the tables print it: integers whole, others to
    ``digits`` significant digits."""
    value = float(value)
    if not math.isfinite(value):
        return "missing" if math.isnan(value) else str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.{digits}g}"


def _data_axes(fig):
    """Every axes that holds data: colour bars are left out (they are
    described with the image they belong to)."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def _is_twin(ax, other):
    """``ax`` shares ``other``'s place and x axis (``other.twinx()``)."""
    return (
        ax is not other
        and np.allclose(
            ax.get_position().bounds, other.get_position().bounds
        )
        and ax.get_shared_x_axes().joined(ax, other)
    )


def _panels(fig):
    """The figure's panels, in reading order: each main axes with the
    twins drawn on it (a right-hand y axis belongs to its panel)."""
    axes = _data_axes(fig)
    out = []
    for i, ax in enumerate(axes):
        if any(_is_twin(ax, earlier) for earlier in axes[:i]):
            continue
        twins = [t for t in axes[i + 1 :] if _is_twin(t, ax)]
        out.append((ax, twins))
    return out


_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "eta": "η",
    "lambda": "λ",
    "mu": "μ",
    "sigma": "σ",
    "tau": "τ",
    "Sigma": "Σ",
    "Omega": "Ω",
    "top": "ᵀ",
    "cdot": "·",
    "times": "×",
    "leq": "≤",
    "geq": "≥",
    "infty": "∞",
}


def _plain(text):
    """Text as a screen reader should get it: Matplotlib's ``$...$``
    math markup written out (``$\\lambda$`` -> λ, ``U^*`` -> U*)."""
    if "$" not in text:
        return text
    text = re.sub(
        r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), text
    )
    text = re.sub(r"[\^_]\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\^(\S)", r"\1", text)
    for mark in ("$", "{", "}", "\\,", "\\"):
        text = text.replace(mark, "")
    return text


def _name(ax, i, count):
    # A title's second line is a second phrase.
    title = "; ".join(_plain(ax.get_title()).splitlines())
    where = f"Panel {i + 1} of {count}" if count > 1 else "The plot"
    return f"{where}, “{title}”" if title else where


def _is_reference(line, ax):
    """A line drawn in axes coordinates along one direction
    (``axhline``/``axvline``)."""
    return line.get_transform() != ax.transData


def _caps(ax):
    """The ends drawn on error bars: part of the bars, not data."""
    return {
        id(cap)
        for c in ax.containers
        if isinstance(c, mpl.container.ErrorbarContainer)
        for cap in c.lines[1]
    }


def _lines(ax):
    """The lines that draw data: no reference line, no error-bar cap."""
    caps = _caps(ax)
    return [
        ln
        for ln in ax.get_lines()
        if not _is_reference(ln, ax) and id(ln) not in caps
    ]


def _markers_only(line):
    """A line drawn as marks without a connecting line (``ax.spy``,
    ``plot(x, y, "o")``): a set of points."""
    return str(line.get_linestyle()).lower() in ("none", "", " ")


def _series(ax):
    """The data lines of an axes: [(label, x, y)]."""
    out = []
    for i, line in enumerate(_lines(ax)):
        if _markers_only(line):
            continue
        x, y = (np.asarray(d, dtype=float) for d in line.get_data())
        if x.size == 0:
            continue
        label = line.get_label()
        if label.startswith("_"):
            label = f"line {i + 1}"
        out.append((label, x, y))
    return out


def _tick_text(ax, x, axis="x"):
    """The label of a tick set at position x (``set_xticks``), else x."""
    which = ax.xaxis if axis == "x" else ax.yaxis
    # Ticks a numeric locator placed say where, not what: "0.5".
    numeric = (mpl.ticker.MaxNLocator, mpl.ticker.LogLocator)
    if isinstance(which.get_major_locator(), numeric):
        return _num(x)
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    for pos, text in zip(ticks, labels):
        if math.isclose(pos, x, abs_tol=1e-9) and text.get_text():
            return _plain(text.get_text())
    return _num(x)


def _bars(ax):
    """Bar containers: [(label, [(category, height, error or None)])]."""
    out = []
    errors = {}
    for c in ax.containers:
        if isinstance(c, mpl.container.ErrorbarContainer):
            _, _, cols = c.lines
            for col in cols:
                for seg in col.get_segments():
                    seg = np.asarray(seg)
                    if np.ptp(seg[:, 0]) == 0 and np.ptp(seg[:, 1]) > 0:
                        key = round(float(seg[0, 0]), 9)
                        errors[key] = float(np.ptp(seg[:, 1]) / 2)
    for c in ax.containers:
        if not isinstance(c, mpl.container.BarContainer):
            continue
        rows = []
        for patch in c.patches:
            x = patch.get_x() + patch.get_width() / 2
            rows.append(
                (
                    _tick_text(ax, x),
                    float(patch.get_height()),
                    errors.get(round(x, 9)),
                )
            )
        label = c.get_label()
        out.append(("" if label.startswith("_") else label, rows))
    return out


def _points(ax):
    """Scatter collections and marker-only lines: [(label, xy)]."""
    out = []
    for line in _lines(ax):
        if not _markers_only(line):
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if xy.size:
            label = line.get_label()
            out.append(("points" if label.startswith("_") else label, xy))
    for coll in ax.collections:
        if not isinstance(coll, mpl.collections.PathCollection):
            continue
        xy = np.asarray(coll.get_offsets(), dtype=float)
        if xy.size == 0:
            continue
        label = coll.get_label()
        out.append(("points" if label.startswith("_") else label, xy))
    return out
