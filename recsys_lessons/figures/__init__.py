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

The package's parts:

* :mod:`.display`: :func:`show`;
* :mod:`.text`: the figure in words and tables (:func:`describe`,
  :func:`figure_tables`) and their plain-text and HTML writers;
* :mod:`.summary`: the summary's numbers against the drawn data
  (:func:`check_summary`);
* :mod:`.colour`: colour-vision deficiencies (:func:`simulate_cvd`,
  :func:`check_colours`);
* :mod:`.plugin`: the book's MyST-NB plugin (:class:`MystNbAlt`);
* ``_artists``: the readers of a figure's artists that the others share.

Notes
-----
Defined in: Chapter 1.
"""

# The limits and the deficiencies stay readable here, as before the split
# (tests/test_figures.py reads MAX_ROWS); _lab is checked against
# colorspacious there.
from .colour import (  # noqa: F401
    DEFICIENCIES,
    MIN_DELTA_E,
    _lab,
    check_colours,
    simulate_cvd,
)
from .display import show

# The book's plugin keeps its entry point (pyproject.toml names
# recsys_lessons.figures:MystNbAlt); infrastructure, exempt from __all__
# (tests/test_contracts.py). _numbered_figure (now in
# recsys_lessons._numbered_figure, shared with the explorers) stays
# importable here under its old name.
from .plugin import MystNbAlt, _numbered_figure  # noqa: F401
from .summary import check_summary
from .text import (  # noqa: F401
    MAX_CELLS,
    MAX_POINTS,
    MAX_ROWS,
    WIDTH,
    describe,
    figure_tables,
)

__all__ = [
    "describe",
    "figure_tables",
    "check_summary",
    "simulate_cvd",
    "check_colours",
    "show",
]
