"""The panels an explorer draws, and :func:`explorer`, which assembles them.

Used by every Try it figure.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .._numbered_figure import caption_and_name
from .._validation import (
    check_bool,
    check_float,
    check_int,
    check_mask,
)
from .checks import (
    _alt,
    _label,
    _pair,
    _pixels,
    check_column,
    check_d3_format,
)
from .controls import _controls, where
from .grid import inline_data
from .page import MAX_BYTES, Explorer

__all__ = [
    "history_panel",
    "matrix_panel",
    "caption_panel",
    "explorer",
]


def history_panel(
    controls,
    along,
    y,
    *,
    logx=False,
    logy=False,
    title=None,
    width=280,
    height=220,
):
    """A per-iteration curve of the selected setting, with a rule at the
    selected iteration.

    Parameters
    ----------
    controls : sequence of Control
        Every control of the explorer, ``along`` included.
    along : Control
        The control whose column is the x axis (the iterations).
    y : str
        The column drawn.
    logx, logy : bool
    title : str, optional
        The y axis title (default: ``y``).
    width, height : int, pixels

    Returns
    -------
    altair.LayerChart
        Without data: it uses the explorer's.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if along not in controls:
        raise ValueError("along must be one of controls")
    y = check_column(y, "y")
    logx = check_bool(logx, "logx")
    logy = check_bool(logy, "logy")
    title = _label(title, y, "title (the y axis label)")
    width = _pixels(width, "width")
    height = _pixels(height, "height")
    others = [c for c in controls if c is not along]
    if not all(isinstance(v, numbers.Real) for v in along.values):
        raise TypeError("along must be a control over numbers")
    # The x axis spans the grid exactly (no "nice" rounding to 1000).
    span = [along.values[0], along.values[-1]]
    x_scale = alt.Scale(
        type="log" if logx else "linear", domain=span, nice=False
    )
    y_scale = alt.Scale(type="log") if logy else alt.Undefined
    x = alt.X(f"{along.column}:Q", scale=x_scale, title="iteration")
    yy = alt.Y(f"{y}:Q", scale=y_scale, title=title)
    base = alt.Chart().properties(width=width, height=height)
    # The curve stops at the selected iteration, as a fit of that many
    # iterations would (the live version draws exactly that fit).
    upto = f"datum['{along.column}'] <= {along.shown}"
    line = (
        base.transform_filter(where(others))
        .transform_filter(upto)
        .transform_filter(f"isValid(datum['{y}'])")
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(x, yy)
    )
    here = base.transform_filter(where(controls))
    rule = here.mark_rule(color="firebrick").encode(x=x)
    point = here.mark_point(color="firebrick", size=80, filled=True).encode(
        x, yy
    )
    return alt.layer(line, rule, point)


def matrix_panel(
    controls,
    prefix="p",
    *,
    shape,
    domain,
    outline=None,
    fmt=".1f",
    title=None,
    cell=40,
):
    """The matrix of the selected setting, from wide columns
    ``{prefix}_{i}_{j}`` (see :func:`matrix_columns`), as coloured cells
    with their values.

    A fold transform turns the selected row's columns into cells, so the
    data holds one row per setting and iteration.

    Parameters
    ----------
    controls : sequence of Control
    prefix : str
    shape : (rows, cols)
    domain : (low, high)
        Colour scale, fixed for every setting (values outside are
        clamped; the numbers stay exact).
    outline : bool array of ``shape``, optional
        Cells to outline (e.g. the observed ratings).
    fmt : str
        d3-format of the numbers.
    title : str, optional
    cell : int, pixels per cell

    Returns
    -------
    altair.LayerChart

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    prefix = check_column(prefix, "prefix")
    rows, cols = _pair(shape, "shape")
    rows = check_int(rows, "shape", low=1, high=100)
    cols = check_int(cols, "shape", low=1, high=100)
    low, high = _pair(domain, "domain")
    low = check_float(low, "domain")
    high = check_float(high, "domain")
    if low >= high:
        raise ValueError(f"domain must be increasing, got {domain}")
    fmt = check_d3_format(fmt)
    if title is not None:
        title = _label(title, "", "title")
    cell = _pixels(cell, "cell")
    names = [f"{prefix}_{i}_{j}" for i in range(rows) for j in range(cols)]
    cells = (
        alt.Chart()
        .transform_filter(where(controls))
        .transform_fold(names, as_=["cell", "value"])
        .transform_calculate(
            row="toNumber(split(datum.cell, '_')[1])",
            col="toNumber(split(datum.cell, '_')[2])",
        )
        .properties(width=cols * cell, height=rows * cell)
    )
    x = alt.X("col:O", title="item")
    y = alt.Y("row:O", title="user")
    rect = cells.mark_rect().encode(
        x,
        y,
        color=alt.Color(
            "value:Q",
            scale=alt.Scale(
                scheme="viridis", domain=[low, high], clamp=True
            ),
            # Horizontal, below the figure: a concat's legends go around
            # the whole figure, and "right" would be far from the matrix.
            legend=alt.Legend(
                title=None,
                orient="bottom",
                direction="horizontal",
                gradientLength=cols * cell,
            ),
        ),
    )
    mid = low + 0.6 * (high - low)
    text = cells.mark_text(fontSize=12).encode(
        x,
        y,
        text=alt.Text("value:Q", format=fmt),
        color=alt.condition(
            f"datum.value > {mid!r}", alt.value("black"), alt.value("white")
        ),
    )
    layers = [rect, text]
    if outline is not None:
        mask = check_mask(outline, "outline", (rows, cols))
        marked = [
            {"row": int(i), "col": int(j)} for i, j in np.argwhere(mask)
        ]
        layers.append(
            alt.Chart(alt.Data(values=marked))
            .mark_rect(fill=None, stroke="white", strokeWidth=2)
            .encode(x, y)
        )
    chart = alt.layer(*layers)
    if title is not None:
        chart = chart.properties(title=title)
    return chart


def caption_panel(controls, text, *, width=600, size=14, name="caption"):
    """One line of text about the selected row (e.g. its train RMSE).

    Parameters
    ----------
    controls : sequence of Control
    text : str
        A Vega expression over ``datum``, the selected row, e.g.
        ``"'train RMSE ' + format(datum.train_rmse, '.3f')"``.
    width, size : int, pixels
    name : str
        The panel's name, unique in the figure: the drawn text is in the
        page's ``g.<name>_marks`` (the browser test reads it there).

    Returns
    -------
    altair.Chart

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    width = _pixels(width, "width")
    size = _pixels(size, "size")
    return (
        alt.Chart()
        .transform_filter(where(controls))
        .transform_calculate(caption=text)
        .mark_text(align="left", baseline="middle", fontSize=size)
        .encode(text="caption:N", x=alt.value(0), y=alt.value(10))
        .properties(
            name=check_column(name, "name"),
            width=width,
            height=20,
            view=alt.ViewBackground(stroke=None),
        )
    )


def _caption_names(rows):
    """The names of the caption panels among ``rows``: the text the book
    announces after each change."""
    names = []
    for row in rows:
        for part in row if isinstance(row, (list, tuple)) else [row]:
            spec = part.to_dict(validate=False)
            encoding = spec.get("encoding", {})
            if (
                spec.get("mark", {}).get("type") == "text"
                and encoding.get("text", {}).get("field") == "caption"
                and "name" in spec
            ):
                names.append(spec["name"])
    return names


def explorer(
    data,
    controls,
    rows,
    *,
    max_bytes=MAX_BYTES,
    description="",
    caption=None,
    name=None,
):
    """Assemble panels that share one table and the controls.

    Parameters
    ----------
    data : altair.InlineData or pandas.DataFrame
        Every setting's rows (see :func:`grid_frame`, :func:`inline_data`;
        a DataFrame goes through :func:`inline_data` with its defaults).
    controls : sequence of Control
    rows : sequence
        Each item a chart or a list of charts (side by side).
    max_bytes : int
        The spec's largest size, data included (default 1 MB).
    description : str
        One line: the text/plain output, and the spec's description.
    caption, name : str, optional
        Both or neither: a numbered figure's caption (MyST markup
        allowed) and its ``{numref}`` label, kept in the spec's
        ``usermeta`` for the book's plugin (:class:`MystNbVegaLite`).

    Returns
    -------
    Explorer

    Raises
    ------
    TypeError
        If ``data`` is neither ``altair.InlineData`` nor a DataFrame,
        ``rows`` not charts, ``controls`` not controls, or
        ``description``, ``caption`` or ``name`` not a str.
    ValueError
        If ``rows`` is empty, two controls select one column, the spec
        exceeds ``max_bytes``, or only one of ``caption`` and ``name``
        is given, ``caption`` is blank or ``name`` not a label
        (lower-case letters, digits, ``-``).

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if isinstance(data, pd.DataFrame):
        data = inline_data(data, name="data")
    if not isinstance(data, alt.InlineData):
        raise TypeError(
            "data must be altair.InlineData or a pandas.DataFrame, "
            f"got {type(data).__name__}"
        )
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(
            f"rows must be a list of charts, got {type(rows).__name__}"
        )
    lines = []
    for row in rows:
        parts = list(row) if isinstance(row, (list, tuple)) else [row]
        for part in parts:
            if not isinstance(part, alt.TopLevelMixin):
                raise TypeError(
                    "rows must hold Altair charts, "
                    f"got {type(part).__name__}"
                )
        lines.append(alt.hconcat(*parts, spacing=30))
    if not lines:
        raise ValueError("rows must hold at least one chart")
    if not isinstance(description, str):
        raise TypeError(
            f"description must be a str, got {type(description).__name__}"
        )
    figure = caption_and_name(caption, name)
    chart = alt.vconcat(*lines, data=data, spacing=10).add_params(
        *[c.param for c in controls]
    )
    # The book draws its own inputs from these (vegalite_embed.js):
    # labelled with the setting's name, valued with the setting itself, and
    # the caption's text copied into a live region after every change.
    chart = chart.properties(
        usermeta={
            "controls": [c.spec() for c in controls if c.kind != "fixed"],
            "readouts": _caption_names(rows),
            # A numbered figure's caption and name (none: the spec as
            # before, key for key).
            **figure,
        }
    )
    if description:
        # Also the figure's accessible name in the book (html_for_spec).
        chart = chart.properties(description=description)
    return Explorer(chart, max_bytes=max_bytes, description=description)
