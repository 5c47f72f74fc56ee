"""Explorers: interactive figures that need no kernel (all chapters).

A chapter's "Try it" figure comes from one function, ``compute(**setting)``,
which returns the figure's data for one setting of the controls, one row
per iteration. In a kernel the live ipywidgets version calls it for any
value. For the rendered book, :func:`grid_frame` calls it at build time
over every combination of a grid of control values, and the builders here
turn that table into a Vega-Lite chart (through Altair) whose sliders and
radio buttons select among the precomputed rows in the browser.

How the chart is shown:

* :class:`Explorer` displays as ``application/vnd.vegalite.v5+json``,
  which JupyterLab 4 and Notebook 7 draw with the Vega-Lite 5 they ship
  (no kernel or network needed). Altair 6's own output type
  (``application/vnd.vegalite.v6.json``) is drawn by neither, and a
  notebook cannot even store it (nbformat keeps only ``*+json`` types as
  JSON: executing such a cell fails).
* In the book, :class:`MystNbVegaLite` (a MyST-NB mime renderer plugin,
  entry point group ``myst_nb.mime_renderers``) writes the spec into the
  page, and the Sphinx extension ``book/_ext/vegalite_offline.py`` serves
  the Vega, Vega-Lite and vega-embed bundle of ``vl-convert-python`` from
  the site's own ``_static`` folder: no request leaves the page's host.

Altair 6 writes the specs; they use only what Vega-Lite 5 and 6 share.
Their ``$schema`` is :data:`VEGALITE_SCHEMA` (5.20.1, the version
JupyterLab 4 ships); the book draws them with the bundle's Vega-Lite 6.

The package's parts:

* :mod:`.checks`: the argument checks the builders share with
  :mod:`recsys_lessons.tryit` (:func:`check_column`,
  :func:`check_d3_format`, :func:`check_numbers`,
  :func:`check_grid_value`, :func:`check_decimals`,
  :func:`evenly_spaced`, :func:`accepts`);
* :mod:`.grid`: the grid and its data (:func:`grid_frame`,
  :func:`inline_data`, :func:`log_grid`, :func:`iteration_steps`, the
  matrix columns);
* :mod:`.controls`: the controls (:class:`Control`, :func:`slider`,
  :func:`log_slider`, :func:`step_slider`, :func:`radio`, :func:`fixed`) and
  :func:`where`, the filter of their selected rows;
* :mod:`.panels`: the panels and :func:`explorer`, which assembles them;
* :mod:`.page`: :class:`Explorer`, the book's MyST-NB plugin
  (:class:`MystNbVegaLite`, :func:`html_for_spec`) and the Colab view.
"""

from .checks import (
    accepts,
    check_column,
    check_d3_format,
    check_decimals,
    check_grid_value,
    check_numbers,
    evenly_spaced,
)
from .controls import (
    Control,
    fixed,
    log_slider,
    radio,
    slider,
    step_slider,
    where,
)
from .grid import (
    grid_frame,
    inline_data,
    iteration_steps,
    log_grid,
    matrix_at,
    matrix_columns,
)

# The book's plugin keeps its entry point (pyproject.toml names
# recsys_lessons.explorers:MystNbVegaLite); both are infrastructure, exempt
# from __all__ (tests/test_contracts.py).
from .page import (  # noqa: F401
    MAX_BYTES,
    VEGALITE_MIME,
    VEGALITE_SCHEMA,
    Explorer,
    MystNbVegaLite,
    html_for_spec,
)
from .panels import caption_panel, explorer, history_panel, matrix_panel

__all__ = [
    "VEGALITE_MIME",
    "VEGALITE_SCHEMA",
    "log_grid",
    "iteration_steps",
    "grid_frame",
    "matrix_columns",
    "matrix_at",
    "inline_data",
    "Control",
    "slider",
    "log_slider",
    "step_slider",
    "radio",
    "fixed",
    "where",
    "check_column",
    "check_d3_format",
    "check_numbers",
    "check_grid_value",
    "check_decimals",
    "evenly_spaced",
    "accepts",
    "history_panel",
    "matrix_panel",
    "caption_panel",
    "explorer",
    "Explorer",
]
