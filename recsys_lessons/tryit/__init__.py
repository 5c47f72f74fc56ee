"""Try it: each chapter's interactive figure, defined once (chapters 1-6).

A :class:`TryIt` holds the function that computes the figure's data for
one setting of its controls (``compute``), the controls (:class:`Knob`)
and the panels that draw the data (``panels``). The same definition serves
both ways of reading the book:

* :func:`explore` (the rendered book, no kernel) calls ``compute`` at build
  time for every setting of the knobs' grids and returns an
  :class:`~recsys_lessons.explorers.Explorer` whose sliders select among
  the precomputed settings in the reader's browser;
* :func:`recsys_lessons.widgets.live_explorer` (Jupyter) shows ipywidgets
  over the knobs' ranges, calls ``compute`` for whatever setting they
  hold and draws the same panels for it.

:func:`grid_table`, :func:`explore`, :func:`one_setting` and
:func:`single` are the :class:`TryIt` methods of the same names, in the
form the chapters call (``tryit.explore(als_toy.TRY_IT, table)``).

Iterations (or epochs) come from each fit's history: ``compute`` returns
one row per iteration, and the explorer keeps the rows of the iteration
knob's grid from one fit of the largest count. That a fit's first ``t``
rows equal a fit of ``t`` iterations is each definition's claim, checked by
the tests.

Chapter modules, each defining its figure as ``TRY_IT`` (what makes a
module of this package a chapter figure): :mod:`.overfitting` (1),
:mod:`.als_toy` (2), :mod:`.svd_k` (3), :mod:`.bpr_small` (4),
:mod:`.lambdarank_small` (5), :mod:`.metrics_order` (6).

The machinery, re-exported here (``tryit.Knob``, ``tryit.explore``):

* :mod:`.knob`: :class:`Knob` (one control) and :data:`KINDS`;
* :mod:`.figure`: :class:`TryIt` (a figure: data, knobs, panels);
* :mod:`.calls`: :func:`grid_table`, :func:`explore`,
  :func:`one_setting`, :func:`single`, the chapters' form of
  :class:`TryIt`'s methods;
* :mod:`.live`: :class:`LiveFigure`, the live version's chart.
"""

from .calls import explore, grid_table, one_setting, single
from .figure import TryIt
from .knob import KINDS, Knob
from .live import LiveFigure

__all__ = [
    "KINDS",
    "Knob",
    "TryIt",
    "grid_table",
    "explore",
    "one_setting",
    "single",
    "LiveFigure",
]
