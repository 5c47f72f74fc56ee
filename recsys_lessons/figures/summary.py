"""A figure's summary checked against what the figure draws:
:func:`check_summary`.

Used by :func:`recsys_lessons.figures.show`, for every chapter figure.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ._artists import _bars, _data_axes, _figure, _points

__all__ = ["check_summary"]


_NUMBER = re.compile(
    r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?"
)


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

    Notes
    -----
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
