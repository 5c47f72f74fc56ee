"""A figure in words and tables: :func:`describe` (a paragraph per
panel), :func:`figure_tables` (the data drawn) and the writers of those
tables as plain text and HTML.

Used by :func:`recsys_lessons.figures.show`, for every chapter figure.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np

from ._artists import (
    _bars,
    _figure,
    _is_reference,
    _name,
    _num,
    _panels,
    _plain,
    _points,
    _series,
    _tick_text,
)

__all__ = ["describe", "figure_tables"]


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


def _reference(line):
    x, y = (np.asarray(d, dtype=float) for d in line.get_data())
    label = line.get_label()
    what = "" if label.startswith("_") else f" “{label}”"
    if np.ptp(y) == 0:
        return f"a horizontal line{what} at y = {_num(y[0])}"
    return f"a vertical line{what} at x = {_num(x[0])}"


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

    Notes
    -----
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

    Notes
    -----
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
