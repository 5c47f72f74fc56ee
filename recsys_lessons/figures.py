"""Figures that say what they show (all chapters).

A chapter draws a Matplotlib figure and hands it to :func:`show` with one
sentence that states its finding, numbers included. :func:`show` displays

* the figure as a PNG whose text alternative is that sentence: MyST-NB
  writes it into the ``alt`` of the book's ``<img>`` (:class:`MystNbAlt`),
  and the output's ``text/plain`` holds it too;
* a collapsed block, "The figure's data", with a description of every
  panel (axes, scales, each series' range and extremes) and the data drawn,
  as tables.

Both are read off the figure's own artists (lines, bars, images, points),
so they cannot go stale: change the data and the text follows. The
sentence is checked against the same artists: every number in it must be
a value the figure draws or a number in its text (titles, labels, ticks),
to the precision the sentence writes it, or :func:`show` raises.

Defined in: Chapter 1.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import textwrap

import numpy as np

from ._extras import require
from ._validation import as_numeric_array, check_bool, check_float

mpl = require("matplotlib", "plots")
plt = require("matplotlib.pyplot", "plots")

__all__ = [
    "describe",
    "figure_tables",
    "check_summary",
    "simulate_cvd",
    "check_colours",
    "show",
]

# Tables longer than this are thinned to every n-th row (the description
# says so): a screen reader user gets the shape of a long curve, not
# hundreds of rows.
MAX_ROWS = 60
# The plain-text copy of the data fits the book's code column.
WIDTH = 76
# Images up to this many cells are tabled cell by cell.
MAX_CELLS = 400
# Labelled points (annotations) listed with their positions.
MAX_POINTS = 40
# Two series told apart by colour alone must stay this far apart (CIE76
# ΔE, about 2.3 is a just-noticeable difference) under every simulated
# colour-vision deficiency; for greys this is a difference in lightness L*.
MIN_DELTA_E = 10.0
# Machado, Oliveira & Fernandes (2009), severity 1, on linear sRGB.
_CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    # Rod monochromacy: every colour becomes the grey of its luminance.
    "achromatopsia": np.tile([0.2126, 0.7152, 0.0722], (3, 1)),
}
DEFICIENCIES = tuple(_CVD)
_NUMBER = re.compile(
    r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?"
)


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


def _reference(line):
    x, y = (np.asarray(d, dtype=float) for d in line.get_data())
    label = line.get_label()
    what = "" if label.startswith("_") else f" “{label}”"
    if np.ptp(y) == 0:
        return f"a horizontal line{what} at y = {_num(y[0])}"
    return f"a vertical line{what} at x = {_num(x[0])}"


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


def _scale(ax, axis):
    scale = ax.get_xscale() if axis == "x" else ax.get_yscale()
    return "" if scale == "linear" else f", {scale} scale"


def _axis(ax, axis, side=""):
    label = _plain(ax.get_xlabel() if axis == "x" else ax.get_ylabel())
    name = f"{side}{axis} axis"
    return f"{name} “{label}”" if label else f"{name} unlabelled"


def _extremes(x, y, ylim):
    ok = np.isfinite(y)
    if not ok.any():
        return "no finite values"
    xs, ys = x[ok], y[ok]
    lo, hi = int(np.argmin(ys)), int(np.argmax(ys))
    text = (
        f"{ok.sum()} points, x from {_num(xs[0])} to {_num(xs[-1])}; "
        f"first {_num(ys[0])}, last {_num(ys[-1])}, "
        f"lowest {_num(ys[lo])} at x = {_num(xs[lo])}, "
        f"highest {_num(ys[hi])} at x = {_num(xs[hi])}"
    )
    bottom, top = sorted(ylim)
    outside = int(np.sum((ys < bottom) | (ys > top)))
    if outside:
        text += (
            f" ({outside} outside the plotted range, {_num(bottom)} to "
            f"{_num(top)})"
        )
    return text


def _describe_axes(ax, side=""):
    """The sentences about what one axes draws."""
    parts = []
    for label, x, y in _series(ax):
        parts.append(
            f"{side.capitalize()}{'line' if side else 'Line'} "
            f"“{_plain(label)}”: "
            f"{_extremes(x, y, ax.get_ylim())}."
        )
    refs = [
        _reference(ln) for ln in ax.get_lines() if _is_reference(ln, ax)
    ]
    if refs:
        parts.append("Reference: " + "; ".join(refs) + ".")
    for label, rows in _bars(ax):
        items = ", ".join(
            f"{cat} {_num(h)}" + ("" if e is None else f" ± {_num(e)}")
            for cat, h, e in rows
        )
        named = f" “{_plain(label)}”" if label else ""
        parts.append(f"Bars{named}: {items}.")
    for image in ax.images:
        a = np.ma.masked_invalid(np.ma.asarray(image.get_array(), float))
        shape = " by ".join(str(s) for s in a.shape[:2])
        hidden = int(np.ma.count_masked(a))
        text = f"Image of {shape} cells"
        if a.count():
            text += f", values from {_num(a.min())} to {_num(a.max())}"
        if hidden:
            text += f", {hidden} cells empty"
        parts.append(text + ".")
    for label, xy in _points(ax):
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        if len(xy) == 1:
            at = f"({_num(lo[0])}, {_num(lo[1])})"
            parts.append(f"Point “{_plain(label)}” at {at}.")
            continue
        parts.append(
            f"Points “{_plain(label)}”: {len(xy)}, x from {_num(lo[0])} "
            f"to {_num(hi[0])}, y from {_num(lo[1])} to {_num(hi[1])}."
        )
    # An image's annotations are its cells' values, already in its table.
    named = [t for t in ax.texts if t.get_text().strip()]
    if named and len(named) <= MAX_POINTS and not ax.images:
        parts.append(
            "Labelled: "
            + "; ".join(
                f"{_plain(t.get_text())} at ({_num(t.get_position()[0])}, "
                f"{_num(t.get_position()[1])})"
                for t in named
            )
            + "."
        )
    return parts


def describe(fig):
    """What a figure draws, in words: one paragraph per panel.

    Each panel's title, axes (labels, log scales), every line (its
    points, first and last values, lowest and highest with where they
    are), reference lines, bars (each category's height, ± its error
    bar), images (shape and range) and scatter points (how many, their
    extent, labelled points).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        One paragraph per panel.

    Used by: :func:`show`, for every chapter figure.
    """
    fig = _figure(fig)
    fig.canvas.draw()  # tick labels exist only once drawn
    panels = _panels(fig)
    out = []
    for i, (ax, twins) in enumerate(panels):
        axes = [
            f"{_axis(ax, 'x')}{_scale(ax, 'x')}",
            f"{_axis(ax, 'y')}{_scale(ax, 'y')}",
        ] + [f"{_axis(t, 'y', 'right ')}{_scale(t, 'y')}" for t in twins]
        parts = [f"{_name(ax, i, len(panels))}: {', '.join(axes)}."]
        parts += _describe_axes(ax)
        for twin in twins:
            parts += _describe_axes(twin, "on the right axis, ")
        out.append(" ".join(parts))
    return out


def _thin(rows):
    if len(rows) <= MAX_ROWS:
        return rows, ""
    step = math.ceil(len(rows) / MAX_ROWS)
    kept = rows[::step]
    if kept[-1] is not rows[-1]:
        kept.append(rows[-1])
    return kept, f" (one row in every {step} of {len(rows)}, and the last)"


def figure_tables(fig):
    """The data a figure draws, as tables.

    Lines that share their x values share a table (one column each);
    bars give one row per category; small images one row per image row.
    Long tables keep every n-th row and say so in their caption.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of (caption, header, rows)
        ``header`` a list of str, ``rows`` a list of lists of str.

    Used by: :func:`show`, for every chapter figure.
    """
    fig = _figure(fig)
    fig.canvas.draw()
    panels = _panels(fig)
    tables = []
    for i, (main, twins) in enumerate(panels):
        name = _name(main, i, len(panels))
        for ax in [main, *twins]:
            where = name if ax is main else f"{name}, right axis"
            tables += _axes_tables(ax, where)
    return tables


def _axes_tables(ax, name):
    """The tables of what one axes draws."""
    tables = []
    xlabel = _plain(ax.get_xlabel()) or "x"
    ylabel = _plain(ax.get_ylabel())
    groups = []
    for label, x, y in _series(ax):
        for g in groups:
            if g[0].shape == x.shape and np.array_equal(g[0], x):
                g[1].append((label, y))
                break
        else:
            groups.append((x, [(label, y)]))
    for x, ys in groups:
        header = [xlabel] + [_plain(label) for label, _ in ys]
        rows = [
            [_num(x[j])] + [_num(y[j]) for _, y in ys]
            for j in range(len(x))
        ]
        rows, note = _thin(rows)
        tables.append((f"{name}: lines{note}", header, rows))
    for label, bars in _bars(ax):
        with_err = any(e is not None for _, _, e in bars)
        header = ["", ylabel or "height"] + (["±"] if with_err else [])
        rows = []
        for cat, h, e in bars:
            row = [cat, _num(h)]
            if with_err:
                row.append("" if e is None else _num(e))
            rows.append(row)
        tables.append((f"{name}: {_plain(label) or 'bars'}", header, rows))
    for image in ax.images:
        a = np.ma.masked_invalid(np.ma.asarray(image.get_array(), float))
        if a.ndim != 2 or a.size > MAX_CELLS:
            continue
        # Rows and columns by their tick labels (k = 2, λ = 0.01, ...).
        corner = f"{ylabel} (rows), {xlabel} (columns)" if ylabel else ""
        header = [corner] + [
            _tick_text(ax, j, "x") for j in range(a.shape[1])
        ]
        empty = np.ma.getmaskarray(a)
        rows = [
            [_tick_text(ax, r, "y")]
            + [
                "" if empty[r, j] else _num(a[r, j])
                for j in range(a.shape[1])
            ]
            for r in range(a.shape[0])
        ]
        tables.append((f"{name}: image, row by row", header, rows))
    for label, xy in _points(ax):
        rows = [[_num(px), _num(py)] for px, py in xy]
        rows, note = _thin(rows)
        tables.append(
            (
                f"{name}: {_plain(label)}{note}",
                [xlabel, ylabel or "y"],
                rows,
            )
        )
    return tables


def _drawn_values(fig):
    """Every number the figure shows: data values and numbers in its
    text."""
    values, texts = [], []
    for ax in _data_axes(fig):
        for line in ax.get_lines():
            for d in line.get_data():
                values.extend(np.asarray(d, dtype=float).ravel())
        for _, rows in _bars(ax):
            for _, h, e in rows:
                values.append(h)
                if e is not None:
                    values.append(e)
        for image in ax.images:
            a = np.ma.masked_invalid(
                np.ma.asarray(image.get_array(), float)
            )
            values.extend(a.compressed().ravel())
        for _, xy in _points(ax):
            values.extend(xy.ravel())
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_xticklabels()]
        texts += [t.get_text() for t in ax.get_yticklabels()]
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    texts.append(fig._suptitle.get_text() if fig._suptitle else "")
    values = np.asarray([v for v in values if math.isfinite(v)])
    return values, " ".join(texts)


def _as_float(token):
    return float(token.replace("−", "-").replace(",", ""))


def check_summary(fig, summary):
    """Raise ``ValueError`` if ``summary`` states a number the figure does
    not show.

    Each number in ``summary`` must equal, to the precision it is written
    with (half a unit of its last digit), a value the figure draws (a
    point of a line, a bar, an image cell, a scatter point; as a percent
    too, when followed by ``%``), or occur in the figure's text (title,
    axis labels, tick labels, annotations, legend).

    Used by: :func:`show`, for every chapter figure.
    """
    fig = _figure(fig)
    if not isinstance(summary, str):
        raise TypeError(
            f"summary must be a str, got {type(summary).__name__}"
        )
    if not summary.strip():
        raise ValueError("summary must say what the figure shows")
    fig.canvas.draw()
    values, text = _drawn_values(fig)
    words = set(_NUMBER.findall(text))
    missing = []
    for m in _NUMBER.finditer(summary):
        token = m.group(0)
        if token in words or token.lstrip("-−") in words:
            continue
        x = _as_float(token)
        decimals = len(token.split(".")[1]) if "." in token else 0
        if "e" in token:
            decimals = 12
        half = 0.5 * 10.0**-decimals * (1 + 1e-9)
        percent = summary[m.end() :].lstrip().startswith("%")
        scaled = values * 100 if percent else values
        if values.size and np.any(np.abs(scaled - x) <= half):
            continue
        missing.append(token)
    if missing:
        raise ValueError(
            f"summary states {missing}, which the figure does not show "
            "(no drawn value rounds to it, and no title, label or tick "
            "says it): compute the sentence's numbers from the figure's "
            "data"
        )


def _linear(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return np.where(
        rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4
    )


def simulate_cvd(rgb, deficiency):
    """sRGB colours (values in [0, 1], last axis of 3) as seen with a
    colour-vision deficiency, in sRGB.

    Protanopia and deuteranopia: Machado, Oliveira & Fernandes (2009),
    severity 1, applied to linear sRGB; achromatopsia: the grey of the
    colour's luminance (Rec. 709 weights). This is what Chromium's
    simulated deficiencies show.

    Used by: :func:`check_colours`.
    """
    if not isinstance(deficiency, str):
        raise TypeError(
            f"deficiency must be a str, got {type(deficiency).__name__}"
        )
    if deficiency not in _CVD:
        raise ValueError(
            f"deficiency must be one of {DEFICIENCIES}, got {deficiency!r}"
        )
    rgb = as_numeric_array(rgb, "rgb").astype(float)
    if rgb.shape[-1:] != (3,) or not np.all((rgb >= 0) & (rgb <= 1)):
        raise ValueError("rgb must hold sRGB triples with values in [0, 1]")
    lin = np.clip(_linear(rgb) @ _CVD[deficiency].T, 0, 1)
    return np.where(
        lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055
    )


def _lab(rgb):
    """CIE L*a*b* (D65) of sRGB colours."""
    xyz = (
        _linear(rgb)
        @ np.array(
            [
                [0.4124, 0.3576, 0.1805],
                [0.2126, 0.7152, 0.0722],
                [0.0193, 0.1192, 0.9505],
            ]
        ).T
    )
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(
        xyz > (6 / 29) ** 3,
        np.cbrt(xyz),
        xyz / (3 * (6 / 29) ** 2) + 4 / 29,
    )
    return np.stack(
        [
            116 * f[..., 1] - 16,
            500 * (f[..., 0] - f[..., 1]),
            200 * (f[..., 1] - f[..., 2]),
        ],
        axis=-1,
    )


def _styled_series(ax):
    """(label, colour, style) of each line, bar set and point set: the
    style is what tells them apart without colour."""
    out = []
    for line in _lines(ax):
        if not len(line.get_xdata()):
            continue
        style = ("line", line.get_linestyle(), str(line.get_marker()))
        out.append(
            (line.get_label(), mpl.colors.to_rgb(line.get_color()), style)
        )
    for c in ax.containers:
        if isinstance(c, mpl.container.BarContainer) and c.patches:
            patch = c.patches[0]
            colours = {mpl.colors.to_rgb(p.get_facecolor()) for p in c}
            if len(colours) > 1:
                continue  # coloured by category: each bar is labelled
            style = ("bar", patch.get_hatch() or "")
            out.append((c.get_label(), colours.pop(), style))
    for coll in ax.collections:
        if not isinstance(coll, mpl.collections.PathCollection):
            continue
        colours = coll.get_facecolor()
        if len(colours) != 1:
            continue  # a colour scale, read with its colour bar
        paths = coll.get_paths()
        # The marker's own shape (▲ and ▼ have as many vertices).
        shape = (
            tuple(np.round(paths[0].vertices, 3).ravel()) if paths else ()
        )
        style = ("points", shape)
        out.append((coll.get_label(), tuple(colours[0][:3]), style))
    return out


def check_colours(fig, min_delta_e=MIN_DELTA_E):
    """Raise ``ValueError`` if two series of a panel differ only in
    colour, and those colours come within ``min_delta_e`` (CIE76) under a
    simulated protanopia, deuteranopia or achromatopsia.

    Series are a panel's lines, bar sets and point sets; two differ in
    more than colour when their line style, marker, hatch or kind
    differ. Colour scales (images, points coloured by value) are read
    against their colour bar and are not compared.

    Used by: :func:`show`, for every chapter figure.
    """
    fig = _figure(fig)
    min_delta_e = check_float(min_delta_e, "min_delta_e", low=0.0)
    panels = _panels(fig)
    for i, (main, twins) in enumerate(panels):
        for ax in [main, *twins]:
            _check_pairs(
                _styled_series(ax),
                _name(main, i, len(panels)),
                min_delta_e,
            )


def _check_pairs(series, where, min_delta_e=MIN_DELTA_E):
    for a in range(len(series)):
        for b in range(a + 1, len(series)):
            (la, ca, sa), (lb, cb, sb) = series[a], series[b]
            if sa != sb or ca == cb:
                continue
            for deficiency in DEFICIENCIES:
                lab = _lab(simulate_cvd(np.array([ca, cb]), deficiency))
                delta = float(np.linalg.norm(lab[0] - lab[1]))
                if delta < min_delta_e:
                    raise ValueError(
                        f"{where}: “{_plain(la)}” and “{_plain(lb)}” "
                        f"differ only in colour, and under {deficiency} "
                        f"their colours are {delta:.1f} apart (ΔE), under "
                        f"{min_delta_e}: give them different markers or "
                        "line styles"
                    )


def _html_table(caption, header, rows):
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(r[0])}</th>'
        + "".join(f"<td>{html.escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _text_table(caption, header, rows, width=WIDTH):
    """A table as plain text: aligned columns when they fit ``width``,
    else one wrapped line per row ("<row>: <column> <value>, ...")."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells):
        return "  ".join(str(c).rjust(w) for c, w in zip(cells, widths))

    title = textwrap.fill(caption, width)
    if sum(widths) + 2 * (len(widths) - 1) <= width:
        return "\n".join([title, line(header)] + [line(r) for r in rows])
    records = [
        textwrap.fill(
            f"{r[0]}: "
            + ", ".join(f"{h} {c}" for h, c in zip(header[1:], r[1:]) if c),
            width,
            subsequent_indent="    ",
        )
        for r in rows
    ]
    return "\n".join([title, *records])


def show(fig, summary, *, table=True):
    """Display a figure with its text alternative and its data.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Closed once shown (so that Jupyter does not draw it again).
    summary : str
        One or two sentences: what the figure shows, with its key numbers
        computed from the data it draws (checked by
        :func:`check_summary`). The image's text alternative.
    table : bool
        Also display the collapsed block with :func:`describe`'s text and
        :func:`figure_tables`' tables.

    Raises
    ------
    TypeError
        If ``fig`` is not a Figure or ``summary`` not a str.
    ValueError
        If ``summary`` is empty or states a number the figure does not
        show (:func:`check_summary`), or if two series differ only in a
        colour that a colour-vision deficiency hides
        (:func:`check_colours`).

    Defined in: Chapter 1.
    """
    fig = _figure(fig)
    if not isinstance(summary, str):
        raise TypeError(
            f"summary must be a str, got {type(summary).__name__}"
        )
    summary = " ".join(summary.split())
    if not summary:
        raise ValueError("summary must say what the figure shows")
    table = check_bool(table, "table")
    check_summary(fig, summary)
    check_colours(fig)
    from IPython.display import display

    paragraphs = describe(fig)
    tables = figure_tables(fig) if table else []
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    alt = summary + (" The figure's data follow it." if table else "")
    display(
        {
            "image/png": base64.b64encode(buffer.getvalue()).decode(),
            "text/plain": alt,
        },
        metadata={"image/png": {"alt": alt}},
        raw=True,
    )
    if not table:
        return
    text = "\n\n".join(
        ["The figure's data"]
        + [textwrap.fill(p, WIDTH) for p in paragraphs]
        + [_text_table(*t) for t in tables]
    )
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    body += "".join(_html_table(*t) for t in tables)
    display(
        {
            "text/html": (
                '<details class="figure-data"><summary>The figure’s data'
                f"</summary>{body}</details>"
            ),
            "text/plain": text,
        },
        raw=True,
    )


class MystNbAlt:
    """MyST-NB mime renderer plugin: a PNG output's ``alt`` from its
    metadata.

    MyST-NB takes an image's ``alt`` only from the cell's metadata, which
    would be typed by hand; :func:`show` puts it in the output's metadata,
    computed with the figure. Registered in ``pyproject.toml`` under
    ``myst_nb.mime_renderers``.

    Used by: every chapter's figures (not called in a chapter).
    """

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != "image/png":
            return None
        meta = data.output_metadata.get("image/png", {})
        alt = meta.get("alt") if isinstance(meta, dict) else None
        if not isinstance(alt, str) or not alt:
            return None
        nodes = renderer.render_image(data)
        for node in nodes:
            node["alt"] = alt
        return nodes
