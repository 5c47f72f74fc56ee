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
"""

from __future__ import annotations

import html
import inspect
import itertools
import json
import math
import numbers
import re
import sys
import time
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd

from ._extras import require
from ._validation import (
    as_numeric_array,
    check_bool,
    check_float,
    check_int,
    check_mask,
)

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
    "history_panel",
    "matrix_panel",
    "caption_panel",
    "explorer",
    "Explorer",
]

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
# The HTML builders of Sphinx; others (LaTeX, text) keep text/plain.
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
# Page weight: an explorer's spec (data included) above this is refused.
MAX_BYTES = 1_000_000
# vega-embed options, in the output's metadata: JupyterLab and the book
# both draw SVG (its text can be read and searched) and offer only the
# export actions (no link to the online Vega editor).
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {
        "export": True,
        "source": False,
        "compiled": False,
        "editor": False,
    },
}
# \Z, not $: "k\n" is no identifier.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
# A d3-format specifier ([[fill]align][sign][symbol][0][width][,]
# [.precision][~][type]); it is quoted into Vega expressions, so no quote,
# backslash or brace can occur.
_D3_FORMAT = re.compile(
    r"(?:[^'\"\\{}\n]?[<>=^])?[-+( ]?[$#]?0?\d*,?(?:\.\d+)?~?"
    r"[%bcdeEfFgGnoprsxX]?"
)


def _alt():
    return require("altair", "explorers")


def _column(name, what="column"):
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}")
    if not _NAME.match(name):
        raise ValueError(
            f"{what} must be an identifier (letters, digits, _), "
            f"got {name!r}"
        )
    return name


def _label(label, default, name="label"):
    if label is None:
        return default
    if not isinstance(label, str):
        raise TypeError(f"{name} must be a str, got {type(label).__name__}")
    return label


def _d3_format(fmt, name="fmt"):
    if not isinstance(fmt, str):
        raise TypeError(f"{name} must be a str, got {type(fmt).__name__}")
    if not _D3_FORMAT.fullmatch(fmt):
        raise ValueError(
            f"{name} must be a d3-format specifier such as '.3f' or "
            f"'.1e', got {fmt!r}"
        )
    return fmt


def _accepts(func, names):
    """Whether ``func(**{name: ... for name in names})`` binds."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True  # no signature to check (a builtin)
    try:
        sig.bind(**dict.fromkeys(names))
    except TypeError:
        return False
    return True


def _pixels(value, name):
    return check_int(value, name, low=1, high=4000)


def _pair(value, name):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(
            f"{name} must be a pair of numbers, got {type(value).__name__}"
        )
    if len(value) != 2:
        raise ValueError(f"{name} must have 2 entries, got {len(value)}")
    return value[0], value[1]


def _numbers(values, name):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of numbers, "
            f"got {type(values).__name__}"
        )
    values = list(values)
    if not values:
        raise ValueError(f"{name} must not be empty")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(
                f"{name} must hold numbers, got {type(v).__name__}"
            )
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite, got {v}")
    # Python numbers: NumPy's repr (np.int64(1)) is no Vega expression.
    values = [
        int(v) if isinstance(v, numbers.Integral) else float(v)
        for v in values
    ]
    if len(set(values)) != len(values):
        raise ValueError(f"{name} must be distinct, got {values}")
    if values != sorted(values):
        raise ValueError(f"{name} must be increasing, got {values}")
    return values


def log_grid(low_exp, high_exp, per_decade):
    """Values ``10**e`` for ``e`` from ``low_exp`` to ``high_exp`` in steps
    of ``1 / per_decade``, both ends included.

    Parameters
    ----------
    low_exp, high_exp : int, -300 <= low_exp < high_exp <= 300
    per_decade : int, 1 <= per_decade <= 100

    Returns
    -------
    ndarray, shape ((high_exp - low_exp) * per_decade + 1,)
        Increasing; the integer exponents give exact powers of ten.

    Examples
    --------
    >>> log_grid(-1, 0, 2)
    array([0.1       , 0.31622777, 1.        ])

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    low_exp = check_int(low_exp, "low_exp", low=-300, high=300)
    high_exp = check_int(high_exp, "high_exp", low=-300, high=300)
    if low_exp >= high_exp:
        raise ValueError(
            f"low_exp must be < high_exp, got {low_exp} >= {high_exp}"
        )
    per_decade = check_int(per_decade, "per_decade", low=1, high=100)
    steps = np.arange(low_exp * per_decade, high_exp * per_decade + 1)
    return 10.0 ** (steps / per_decade)


def iteration_steps(last, mantissas=(1, 1.5, 2, 3, 4, 5, 6, 8)):
    """Iteration counts spread over decades, for a thinned iteration slider.

    All integers ``m * 10**d <= last`` for ``m`` in ``mantissas``, and
    ``last`` itself: 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, ... with the default.

    Parameters
    ----------
    last : int, 1 <= last <= 100000
    mantissas : sequence of numbers in [1, 10)

    Returns
    -------
    list of int
        Increasing, from 1 to ``last``.

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    last = check_int(last, "last", low=1, high=100_000)
    mantissas = _numbers(mantissas, "mantissas")
    for m in mantissas:
        check_float(m, "mantissas", low=1.0, high=9.999999)
    steps = {last}
    for d in range(len(str(last))):
        for m in mantissas:
            v = m * 10**d
            if v <= last and float(v).is_integer():
                steps.add(int(v))
    return sorted(steps)


def grid_frame(compute, controls, fixed=None, *, threads=1):
    """``compute(**setting, **fixed)`` for every setting of the controls,
    as one long table.

    Parameters
    ----------
    compute : callable
        Returns a ``pandas.DataFrame`` for one setting (e.g. one row per
        iteration), without columns named like the controls.
    controls : dict
        Control name (a keyword of ``compute``, an identifier) -> the
        non-empty sequence of its distinct values.
    fixed : dict, optional
        Keywords passed unchanged to every call (e.g.
        ``{"iterations": 400}``).
    threads : int >= 1 or None
        Threads of the compiled (numba) kernels during the calls, restored
        after; None leaves them alone. A grid is many small fits, where a
        parallel kernel costs more than it saves: on a busy 2-core machine
        Chapter 2's grid takes 60 s with 2 threads and 7 s with 1.

    Returns
    -------
    pandas.DataFrame
        One column per control, then ``compute``'s columns, for the
        settings in ``itertools.product`` order. ``attrs["seconds"]`` is
        the time the calls took, ``attrs["settings"]`` their number.

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    if not callable(compute):
        raise TypeError("compute must be callable")
    if not isinstance(controls, dict):
        raise TypeError(
            f"controls must be a dict, got {type(controls).__name__}"
        )
    if not controls:
        raise ValueError("controls must name at least one control")
    fixed = {} if fixed is None else fixed
    if not isinstance(fixed, dict):
        raise TypeError(f"fixed must be a dict, got {type(fixed).__name__}")
    if threads is not None:
        threads = check_int(threads, "threads", low=1)
    for name in fixed:
        _column(name, "a key of fixed")
    grids = {}
    for name, values in controls.items():
        _column(name, "a control name (a key of controls)")
        if isinstance(values, (str, bytes)) or not hasattr(
            values, "__iter__"
        ):
            raise TypeError(
                f"controls[{name!r}] must be a sequence of values, "
                f"got {type(values).__name__}"
            )
        values = list(values)
        if not values:
            raise ValueError(f"controls[{name!r}] must not be empty")
        try:
            distinct = len(set(values)) == len(values)
        except TypeError:
            raise TypeError(
                f"controls[{name!r}] must hold numbers or str, "
                f"got {values!r}"
            ) from None
        if not distinct:
            raise ValueError(f"controls[{name!r}] must be distinct")
        grids[name] = values
    clash = set(grids) & set(fixed)
    if clash:
        raise ValueError(f"{sorted(clash)} are both controls and fixed")
    if not _accepts(compute, [*grids, *fixed]):
        raise TypeError(
            "compute must take the keywords of controls and fixed, "
            f"{[*grids, *fixed]}, and need no other"
        )
    parts = []
    before = numba.get_num_threads()
    start = time.perf_counter()
    try:
        if threads is not None:
            numba.set_num_threads(
                min(threads, numba.config.NUMBA_NUM_THREADS)
            )
        for combo in itertools.product(*grids.values()):
            setting = dict(zip(grids, combo))
            parts.append(_one_setting(compute, setting, fixed))
    finally:
        numba.set_num_threads(before)
    seconds = time.perf_counter() - start
    frame = pd.concat(parts, ignore_index=True)
    frame.attrs.update(seconds=seconds, settings=len(parts))
    return frame


def _one_setting(compute, setting, fixed):
    part = compute(**setting, **fixed)
    if not isinstance(part, pd.DataFrame):
        raise TypeError(
            "compute must return a pandas.DataFrame, got "
            f"{type(part).__name__} for {setting}"
        )
    clash = set(setting) & set(part.columns)
    if clash:
        raise ValueError(
            f"compute's table has columns named like controls: "
            f"{sorted(clash)}"
        )
    part = part.copy()
    for name, value in reversed(setting.items()):
        part.insert(0, name, value)
    return part


def matrix_columns(stack, prefix="p"):
    """Matrices as wide columns ``{prefix}_{i}_{j}``, one row per matrix.

    Parameters
    ----------
    stack : array, shape (n, rows, cols)
        Finite.
    prefix : str, an identifier

    Returns
    -------
    pandas.DataFrame, shape (n, rows * cols)

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    prefix = _column(prefix, "prefix")
    stack = as_numeric_array(stack, "stack").astype(float)
    if stack.ndim != 3:
        raise ValueError(f"stack must be 3-D, got {stack.ndim}-D")
    if not np.all(np.isfinite(stack)):
        raise ValueError("stack must be finite")
    n, rows, cols = stack.shape
    names = [f"{prefix}_{i}_{j}" for i in range(rows) for j in range(cols)]
    return pd.DataFrame(stack.reshape(n, rows * cols), columns=names)


def _matrix_names(columns, prefix):
    pattern = re.compile(rf"^{re.escape(prefix)}_(\d+)_(\d+)$")
    cells = {}
    for name in columns:
        m = pattern.match(str(name))
        if m:
            cells[int(m[1]), int(m[2])] = name
    if not cells:
        raise ValueError(
            f"row has no cells named {prefix}_<i>_<j> (prefix {prefix!r})"
        )
    rows = 1 + max(i for i, _ in cells)
    cols = 1 + max(j for _, j in cells)
    if len(cells) != rows * cols:
        raise ValueError(
            f"row's {prefix}_<i>_<j> cells are not a matrix "
            f"(prefix {prefix!r}): some cell is missing"
        )
    return (
        rows,
        cols,
        [cells[i, j] for i in range(rows) for j in range(cols)],
    )


def matrix_at(row, prefix="p"):
    """The matrix stored in the wide columns of one table row.

    The inverse of :func:`matrix_columns` for one row (a
    ``pandas.Series``).

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    if not isinstance(row, pd.Series):
        raise TypeError(
            f"row must be a pandas.Series, got {type(row).__name__}"
        )
    prefix = _column(prefix, "prefix")
    rows, cols, names = _matrix_names(row.index, prefix)
    cells = row[names].to_list()
    for v in cells:
        if isinstance(v, (bool, np.bool_)) or not isinstance(
            v, numbers.Real
        ):
            raise TypeError(
                f"row's {prefix}_<i>_<j> cells must hold numbers, "
                f"got {type(v).__name__}"
            )
    matrix = np.array(cells, dtype=float).reshape(rows, cols)
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"row's {prefix}_<i>_<j> cells must be finite")
    return matrix


def _format(values, digits, fixed, what="data"):
    def one(x):
        if pd.isna(x):
            return ""
        if not math.isfinite(x):
            raise ValueError(f"{what} must be finite, got {x}")
        text = f"{x:.{digits}f}" if fixed else f"{x:.{digits}g}"
        return "0" if text in ("-0", "-0.0") else text

    return [one(float(x)) for x in values]


def inline_data(frame, *, significant=4, decimals=None):
    """A table as compact inline CSV data of a Vega-Lite chart.

    CSV names each column once (JSON records repeat every name in every
    row) and empty cells stand for missing values, so that an explorer's
    data stays small in the page.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named like identifiers; numbers, str or bool values.
    significant : int, 1 <= significant <= 17
        Significant digits kept of float columns.
    decimals : dict, optional
        Column -> digits after the decimal point, for columns shown with
        a fixed number of decimals (e.g. an RMSE shown as ``.3f``):
        rounding once, correctly, keeps the shown text equal to Python's.

    Returns
    -------
    altair.InlineData
        With a ``parse`` entry for every numeric column.

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    return _inline_data(
        frame, "frame", significant=significant, decimals=decimals
    )


def _decimals(decimals, name="decimals"):
    """Column -> digits after the decimal point (0 to 15), checked."""
    decimals = {} if decimals is None else decimals
    if not isinstance(decimals, dict):
        raise TypeError(
            f"{name} must be a dict, got {type(decimals).__name__}"
        )
    for column, digits in decimals.items():
        _column(column, f"a key of {name}")
        check_int(digits, f"{name}[{column!r}]", low=0, high=15)
    return dict(decimals)


def _inline_data(frame, what, *, significant=4, decimals=None):
    """:func:`inline_data` of the argument named ``what``."""
    alt = _alt()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{what} must be a pandas.DataFrame, got {type(frame).__name__}"
        )
    if frame.empty:
        raise ValueError(f"{what} must have rows and columns")
    significant = check_int(significant, "significant", low=1, high=17)
    decimals = _decimals(decimals)
    unknown = set(decimals) - set(frame.columns)
    if unknown:
        raise ValueError(
            f"decimals names unknown columns {sorted(unknown)}"
        )
    out, parse = {}, {}
    for name in frame.columns:
        _column(name, f"a column name of {what}")
        col = frame[name]
        if pd.api.types.is_complex_dtype(col):
            raise TypeError(
                f"{what} column {name!r} must hold real numbers, str or "
                "bool, got complex"
            )
        if pd.api.types.is_bool_dtype(col):
            out[name] = col.map({True: "true", False: "false"})
            parse[name] = "boolean"
        elif pd.api.types.is_integer_dtype(col):
            out[name] = col.astype(str)
            parse[name] = "number"
        elif pd.api.types.is_float_dtype(col):
            what_col = f"{what} column {name!r}"
            if name in decimals:
                out[name] = _format(col, decimals[name], True, what_col)
            else:
                out[name] = _format(col, significant, False, what_col)
            parse[name] = "number"
        else:
            text = col.astype(str)
            if text.str.contains(r'[,"\n]').any():
                raise ValueError(
                    f'{what} column {name!r} holds , or " or newline'
                )
            out[name] = text
    csv = pd.DataFrame(out).to_csv(index=False, lineterminator="\n")
    return alt.InlineData(
        values=csv, format=alt.CsvDataFormat(type="csv", parse=parse)
    )


@dataclass(frozen=True)
class Control:
    """A control of an explorer: a Vega-Lite parameter bound to an input.

    Attributes
    ----------
    column : str
        The data column whose value the control selects.
    values : tuple
        The values of the grid, in order.
    param : altair.Parameter
        Named ``ctl_<column>``; add it to a chart with ``add_params``.
    test : str
        Vega expression, true for the rows of the selected value.
    shown : str
        Vega expression: the selected value, readable (e.g. λ, not its
        exponent).
    """

    column: str
    values: tuple
    param: object
    test: str
    shown: str


def _param(column, value, bind):
    return _alt().param(name=f"ctl_{column}", value=value, bind=bind)


def _pick(values, value, name, what="value"):
    if value is None:
        return values[0]
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, str)
    ):
        raise TypeError(
            f"{what} must be one of {name}, got {type(value).__name__}"
        )
    for v in values:
        if v == value or (
            isinstance(v, float)
            and isinstance(value, numbers.Real)
            and math.isclose(v, value, rel_tol=1e-9)
        ):
            return v
    raise ValueError(f"{what} must be one of {name}, got {value!r}")


def _uniform_step(values, name):
    if len(values) == 1:
        return 1.0
    gaps = np.diff(values)
    step = float(gaps.mean())
    if not np.allclose(gaps, step, rtol=1e-6, atol=0):
        raise ValueError(f"{name} must be evenly spaced, got {values}")
    return step


def slider(column, values, value=None, label=None):
    """A slider over evenly spaced numbers (e.g. k = 1, 2, ..., 5).

    Parameters
    ----------
    column : str
        The data column holding the values.
    values : sequence of numbers
        Increasing, evenly spaced.
    value : number, optional
        The starting value, one of ``values`` (default: the first).
    label : str, optional
        Shown next to the slider (default: ``column``).

    Returns
    -------
    Control

    Defined in: Chapter 2.
    """
    alt = _alt()
    column = _column(column)
    values = _numbers(values, "values")
    step = _uniform_step(values, "values")
    value = _pick(values, value, "values")
    bind = alt.binding_range(
        min=values[0],
        max=values[-1],
        step=step,
        name=_label(label, column) + " ",
    )
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(values),
        _param(column, value, bind),
        f"abs(datum['{column}'] - {name}) < {step / 2!r}",
        name,
    )


def log_slider(column, values, value=None, label=None, fmt=".1e"):
    """A slider over the exponent of log-spaced values (e.g. λ).

    The slider moves ``log10(value)`` in even steps; ``shown`` formats
    ``10**exponent`` with the d3-format ``fmt``, for the chart to display
    the value readably.

    Parameters
    ----------
    column : str
        The data column holding the values (not their logarithms).
    values : sequence of numbers
        Positive, increasing, evenly spaced in log10 (see
        :func:`log_grid`).
    value : number, optional
        The starting value, one of ``values`` (default: the first).
    label : str, optional
        Default ``"log₁₀ <column>"``.
    fmt : str
        A d3-format specifier, e.g. ``".1e"`` (1.0e-2) or ``".2~g"``.

    Returns
    -------
    Control

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = _column(column)
    values = _numbers(values, "values")
    if values[0] <= 0:
        raise ValueError(f"values must be positive, got {values[0]}")
    fmt = _d3_format(fmt)
    exps = [math.log10(v) for v in values]
    exact = _uniform_step(exps, "log10 of values")
    value = _pick(values, value, "values")
    # The slider shows its raw position: three decimals (-1.301, not
    # -1.301029995664). Position i is low + i * step, within a few
    # thousandths of the grid's exponent, far inside the filter's
    # half-step tolerance.
    step = round(exact, 3) if len(values) > 1 else 1.0
    low = round(exps[0], 3)

    def position(i):
        return round(low + i * step, 6)

    bind = alt.binding_range(
        min=low,
        max=position(len(values) - 1),
        step=step,
        name=_label(label, f"log₁₀ {column}") + " ",
    )
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(values),
        _param(column, position(values.index(value)), bind),
        f"abs(log(datum['{column}']) / LN10 - {name}) < {step / 2!r}",
        f"format(pow(10, {name}), '{fmt}')",
    )


def step_slider(column, values, value=None, label=None):
    """A slider over unevenly spaced numbers (e.g. thinned iterations).

    The slider moves the position in ``values``; ``shown`` is the value
    at that position.

    Parameters
    ----------
    column : str
    values : sequence of numbers
        Increasing (e.g. :func:`iteration_steps`).
    value : number, optional
        The starting value, one of ``values`` (default: the first).
    label : str, optional
        Default ``"<column> (step)"``.

    Returns
    -------
    Control

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = _column(column)
    values = _numbers(values, "values")
    value = _pick(values, value, "values")
    bind = alt.binding_range(
        min=0,
        max=len(values) - 1,
        step=1,
        name=_label(label, f"{column} (step)") + " ",
    )
    name = f"ctl_{column}"
    table = "[" + ",".join(repr(v) for v in values) + "]"
    return Control(
        column,
        tuple(values),
        _param(column, values.index(value), bind),
        f"datum['{column}'] == {table}[{name}]",
        f"{table}[{name}]",
    )


def radio(column, options, value=None, label=None):
    """Radio buttons over a few labels (e.g. the penalty).

    Parameters
    ----------
    column : str
    options : sequence of str
        Distinct, none empty.
    value : str, optional
        The starting option (default: the first).
    label : str, optional
        Default: ``column``.

    Returns
    -------
    Control

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = _column(column)
    if isinstance(options, (str, bytes)) or not hasattr(
        options, "__iter__"
    ):
        raise TypeError(
            "options must be a sequence of str, "
            f"got {type(options).__name__}"
        )
    options = list(options)
    if not options:
        raise ValueError("options must not be empty")
    for opt in options:
        if not isinstance(opt, str):
            raise TypeError(
                f"options must be str, got {type(opt).__name__}"
            )
        if not opt:
            raise ValueError("options must not be empty strings")
    if len(set(options)) != len(options):
        raise ValueError(f"options must be distinct, got {options}")
    value = _pick(options, value, "options")
    bind = alt.binding_radio(options=options, name=_label(label, column))
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(options),
        _param(column, value, bind),
        f"datum['{column}'] == {name}",
        name,
    )


def fixed(column, value, *, match=False, values=None):
    """A control held at one value: no input, for a chart of one setting.

    The live version of an explorer
    (:func:`recsys_lessons.widgets.live_explorer`) draws the same panels
    for the one setting its ipywidgets chose. Its data holds that setting
    only, so a fixed control selects every row (its data need not even
    have the column), unless ``match``: then it selects the rows whose
    ``column`` equals ``value`` (the iteration of a per-iteration table).

    Parameters
    ----------
    column : str
    value : int, float or str
    match : bool
    values : sequence, optional
        The control's span, for axes drawn along it (default:
        ``(value,)``).

    Returns
    -------
    Control

    Defined in: Chapter 2.
    """
    column = _column(column)
    if isinstance(value, bool) or not isinstance(
        value, (numbers.Real, str)
    ):
        raise TypeError(
            f"value must be a number or str, got {type(value).__name__}"
        )
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise ValueError(f"value must be finite, got {value}")
        value = (
            int(value)
            if isinstance(value, numbers.Integral)
            else float(value)
        )
    match = check_bool(match, "match")
    name = f"ctl_{column}"
    values = (value,) if values is None else _span(values, value)
    return Control(
        column,
        values,
        _alt().param(name=name, value=value),
        f"datum['{column}'] == {name}" if match else "true",
        name,
    )


def _span(values, value):
    """fixed's ``values``: a non-empty sequence of the kind of ``value``
    (finite numbers, or str)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"values must be a sequence, got {type(values).__name__}"
        )
    values = tuple(values)
    if not values:
        raise ValueError("values must not be empty")
    if isinstance(value, str):
        if not all(isinstance(v, str) for v in values):
            raise TypeError("values must hold str, as value does")
        return values
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(
            v, numbers.Real
        ):
            raise TypeError(
                f"values must hold numbers, as value does, "
                f"got {type(v).__name__}"
            )
        if not math.isfinite(v):
            raise ValueError(f"values must be finite, got {v}")
        out.append(int(v) if isinstance(v, numbers.Integral) else float(v))
    return tuple(out)


def _controls(controls):
    if isinstance(controls, Control):
        controls = [controls]
    if isinstance(controls, (str, bytes)) or not hasattr(
        controls, "__iter__"
    ):
        raise TypeError(
            "controls must be a sequence of Control objects, "
            f"got {type(controls).__name__}"
        )
    controls = list(controls)
    for c in controls:
        if not isinstance(c, Control):
            raise TypeError(
                f"controls must be Control objects, got {type(c).__name__}"
            )
    columns = [c.column for c in controls]
    if len(set(columns)) != len(columns):
        raise ValueError(
            f"controls must select distinct columns, got {columns}"
        )
    return controls


def _where(controls):
    tests = [f"({c.test})" for c in controls]
    return " && ".join(tests) if tests else "true"


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

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if along not in controls:
        raise ValueError("along must be one of controls")
    y = _column(y, "y")
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
        base.transform_filter(_where(others))
        .transform_filter(upto)
        .transform_filter(f"isValid(datum['{y}'])")
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(x, yy)
    )
    here = base.transform_filter(_where(controls))
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

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    prefix = _column(prefix, "prefix")
    rows, cols = _pair(shape, "shape")
    rows = check_int(rows, "shape", low=1, high=100)
    cols = check_int(cols, "shape", low=1, high=100)
    low, high = _pair(domain, "domain")
    low = check_float(low, "domain")
    high = check_float(high, "domain")
    if low >= high:
        raise ValueError(f"domain must be increasing, got {domain}")
    fmt = _d3_format(fmt)
    if title is not None:
        title = _label(title, "", "title")
    cell = _pixels(cell, "cell")
    names = [f"{prefix}_{i}_{j}" for i in range(rows) for j in range(cols)]
    cells = (
        alt.Chart()
        .transform_filter(_where(controls))
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

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    width = _pixels(width, "width")
    size = _pixels(size, "size")
    return (
        alt.Chart()
        .transform_filter(_where(controls))
        .transform_calculate(caption=text)
        .mark_text(align="left", baseline="middle", fontSize=size)
        .encode(text="caption:N", x=alt.value(0), y=alt.value(10))
        .properties(
            name=_column(name, "name"),
            width=width,
            height=20,
            view=alt.ViewBackground(stroke=None),
        )
    )


def explorer(data, controls, rows, *, max_bytes=MAX_BYTES, description=""):
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

    Returns
    -------
    Explorer

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    alt = _alt()
    controls = _controls(controls)
    if isinstance(data, pd.DataFrame):
        data = _inline_data(data, "data")
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
    chart = alt.vconcat(*lines, data=data, spacing=10).add_params(
        *[c.param for c in controls]
    )
    if description:
        # Also the figure's accessible name in the book (html_for_spec).
        chart = chart.properties(description=description)
    return Explorer(chart, max_bytes=max_bytes, description=description)


class Explorer:
    """An Altair chart shown as ``application/vnd.vegalite.v5+json``.

    JupyterLab and Notebook 7 draw that output type with the Vega-Lite
    they ship; the book draws it through :class:`MystNbVegaLite`. The
    spec's ``$schema`` is :data:`VEGALITE_SCHEMA`.

    Parameters
    ----------
    chart : altair chart
    max_bytes : int
        A spec larger than this (compact JSON) raises ``ValueError``.
    description : str

    Attributes
    ----------
    chart, spec : the chart and its dict; nbytes : its compact JSON size.

    Used by: every chapter's Try it figure (not called in a chapter).
    """

    def __init__(self, chart, *, max_bytes=MAX_BYTES, description=""):
        alt = _alt()
        if not isinstance(chart, alt.TopLevelMixin):
            raise TypeError(
                f"chart must be an Altair chart, got {type(chart).__name__}"
            )
        max_bytes = check_int(max_bytes, "max_bytes", low=1)
        if not isinstance(description, str):
            raise TypeError("description must be a str")
        self.chart = chart
        self.description = description
        spec = chart.to_dict()
        spec["$schema"] = VEGALITE_SCHEMA
        self.spec = spec
        self.nbytes = len(_compact_json(spec))
        if self.nbytes > max_bytes:
            raise ValueError(
                f"the explorer's spec is {self.nbytes} bytes, over "
                f"max_bytes={max_bytes}: thin the grid or the data"
            )

    @classmethod
    def from_spec(cls, spec, *, max_bytes=MAX_BYTES, description=""):
        """An explorer from a Vega-Lite spec (a dict), without Altair."""
        if not isinstance(spec, dict):
            raise TypeError(
                f"spec must be a dict, got {type(spec).__name__}"
            )
        max_bytes = check_int(max_bytes, "max_bytes", low=1)
        if not isinstance(description, str):
            raise TypeError("description must be a str")
        self = cls.__new__(cls)
        self.chart = None
        self.description = description
        self.spec = spec
        self.nbytes = len(_compact_json(spec))
        if self.nbytes > max_bytes:
            raise ValueError(
                f"the explorer's spec is {self.nbytes} bytes, over "
                f"max_bytes={max_bytes}: thin the grid or the data"
            )
        return self

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = "<Explorer: an interactive Vega-Lite chart>"
        if self.description:
            text += "\n" + self.description
        data = {VEGALITE_MIME: self.spec, "text/plain": text}
        metadata = {VEGALITE_MIME: {"embed_options": EMBED_OPTIONS}}
        if "google.colab" in sys.modules:
            # Colab draws no Vega-Lite output type: there, and only there
            # (never in the book), an HTML view that loads vega-embed from
            # the jsDelivr CDN, as Altair's own Colab renderer does.
            data["text/html"] = _colab_html(self.spec)
        return data, metadata

    def __repr__(self):
        return f"<Explorer, {self.nbytes} bytes>"


def _colab_html(spec):
    from altair.utils.html import spec_to_html

    return spec_to_html(
        spec,
        mode="vega-lite",
        vega_version="5",
        vegaembed_version="6",
        vegalite_version="5.20.1",
        output_div=f"vis-{id(spec):x}",
        embed_options=EMBED_OPTIONS,
        fullhtml=False,
    )


def _compact_json(spec):
    return json.dumps(spec, separators=(",", ":"), allow_nan=False)


def html_for_spec(spec, embed_options=None):
    """The HTML the book shows for a Vega-Lite spec (a dict, or its JSON).

    A ``div.vegalite-output`` holding the spec as a JSON script and the
    vega-embed options (a dict) in ``data-embed-options``; the page's
    ``vegalite_embed.js`` (book/_ext/vegalite_offline.py) draws it. ``<``,
    ``>`` and ``&`` are escaped, so that no string of the spec can end the
    script element.

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    if isinstance(spec, str):
        spec = json.loads(spec)
    if not isinstance(spec, dict):
        raise TypeError(f"spec must be a dict, got {type(spec).__name__}")
    embed_options = {} if embed_options is None else embed_options
    if not isinstance(embed_options, dict):
        raise TypeError(
            "embed_options must be a dict, "
            f"got {type(embed_options).__name__}"
        )
    text = (
        _compact_json(spec)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    label = html.escape(str(spec.get("description", "interactive figure")))
    options = html.escape(_compact_json(embed_options))
    return (
        f'<div class="vegalite-output" role="figure" aria-label="{label}" '
        f'data-embed-options="{options}">'
        f'<script type="application/json">{text}</script></div>'
    )


class MystNbVegaLite:
    """MyST-NB mime renderer plugin for Vega-Lite 5 outputs.

    Registered in ``pyproject.toml`` under the entry point group
    ``myst_nb.mime_renderers``. For the HTML builders it gives
    ``application/vnd.vegalite.v5+json`` the highest priority and renders
    it as raw HTML (:func:`html_for_spec`); other builders keep the
    output's text/plain.

    Used by: every chapter's Try it figure (not called in a chapter).
    """

    mime_priority_overrides = [(b, VEGALITE_MIME, 5) for b in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != VEGALITE_MIME:
            return None
        from docutils import nodes

        meta = data.output_metadata.get(VEGALITE_MIME, {})
        options = (
            meta.get("embed_options") if isinstance(meta, dict) else None
        )
        return [
            nodes.raw(
                text=html_for_spec(data.content, options),
                format="html",
                # Sphinx wraps a raw node with classes in a div of those
                # classes: MyST-NB's own, as for text/html outputs.
                classes=["output", "text_html"],
            )
        ]
