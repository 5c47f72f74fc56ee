"""A figure shown with its text alternative, caption and data:
:func:`show`, which every chapter calls for its figures.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

from .._extras import require
from .._numbered_figure import caption_and_name
from .._validation import check_bool
from ._artists import _figure
from .colour import check_colours
from .summary import check_summary
from .text import WIDTH, _html_table, _text_table, describe, figure_tables

plt = require("matplotlib.pyplot", "plots")

__all__ = ["show"]


def show(fig, summary, *, caption=None, name=None, table=True):
    """Display a figure with its text alternative, caption and data.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Closed once shown (so that Jupyter does not draw it again).
    summary : str
        One or two sentences: what the figure shows, with its key numbers
        computed from the data it draws (checked by
        :func:`check_summary`). The image's text alternative.
    caption : str, optional
        The figure's caption in the book (MyST markup allowed), what a
        sighted reader reads under it. Needs ``name``.
    name : str, optional
        The figure's label, for ``{numref}`` (letters, digits, ``-``).
    table : bool
        Also display the collapsed block with :func:`describe`'s text and
        :func:`figure_tables`' tables.

    Raises
    ------
    TypeError
        If ``fig`` is not a Figure or ``summary`` not a str.
    ValueError
        If ``summary`` is empty or states a number the figure does not
        show (:func:`check_summary`), if two series differ only in a
        colour that a colour-vision deficiency hides
        (:func:`check_colours`), or if only one of ``caption`` and
        ``name`` is given, or ``name`` is not a label.

    Notes
    -----
    Defined in: Chapter 1. The book's plugin :class:`MystNbAlt` turns
    ``caption`` and ``name`` into a numbered figure.
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
    figure_meta = caption_and_name(caption, name)
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
        metadata={"image/png": {"alt": alt, **figure_meta}},
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
