"""The grid and its data: every setting's rows, and the table a page holds.

Used by every Try it figure: :func:`grid_frame` runs ``compute`` over a
grid of control values; :func:`inline_data` turns the table into the
compact CSV the explorer's spec carries.
"""

from __future__ import annotations

import itertools
import math
import numbers
import re
import time

import numba
import numpy as np
import pandas as pd

from .._validation import (
    as_numeric_array,
    check_float,
    check_int,
)
from .checks import (
    _alt,
    _name,
    accepts,
    check_column,
    check_decimals,
    check_numbers,
)

__all__ = [
    "log_grid",
    "iteration_steps",
    "grid_frame",
    "matrix_columns",
    "matrix_at",
    "inline_data",
]


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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).

    Examples
    --------
    >>> log_grid(-1, 0, 2)
    array([0.1       , 0.31622777, 1.        ])
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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    last = check_int(last, "last", low=1, high=100_000)
    mantissas = check_numbers(mantissas, "mantissas")
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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
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
        check_column(name, "a key of fixed")
    grids = {}
    for name, values in controls.items():
        check_column(name, "a control name (a key of controls)")
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
    if not accepts(compute, **dict.fromkeys([*grids, *fixed])):
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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    prefix = check_column(prefix, "prefix")
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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    if not isinstance(row, pd.Series):
        raise TypeError(
            f"row must be a pandas.Series, got {type(row).__name__}"
        )
    prefix = check_column(prefix, "prefix")
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


def inline_data(frame, *, significant=4, decimals=None, name="frame"):
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
    name : str
        The argument's name in the messages (a caller's own name for the
        table, such as ``"table"``).

    Returns
    -------
    altair.InlineData
        With a ``parse`` entry for every numeric column.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    what = _name(name)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{what} must be a pandas.DataFrame, got {type(frame).__name__}"
        )
    if frame.empty:
        raise ValueError(f"{what} must have rows and columns")
    significant = check_int(significant, "significant", low=1, high=17)
    decimals = check_decimals(decimals)
    unknown = set(decimals) - set(frame.columns)
    if unknown:
        raise ValueError(
            f"decimals names unknown columns {sorted(unknown)}"
        )
    out, parse = {}, {}
    for column in frame.columns:
        check_column(column, f"a column name of {what}")
        col = frame[column]
        if pd.api.types.is_complex_dtype(col):
            raise TypeError(
                f"{what} column {column!r} must hold real numbers, str or "
                "bool, got complex"
            )
        if pd.api.types.is_bool_dtype(col):
            out[column] = col.map({True: "true", False: "false"})
            parse[column] = "boolean"
        elif pd.api.types.is_integer_dtype(col):
            out[column] = col.astype(str)
            parse[column] = "number"
        elif pd.api.types.is_float_dtype(col):
            what_col = f"{what} column {column!r}"
            if column in decimals:
                out[column] = _format(col, decimals[column], True, what_col)
            else:
                out[column] = _format(col, significant, False, what_col)
            parse[column] = "number"
        else:
            text = col.astype(str)
            if text.str.contains(r'[,"\n]').any():
                raise ValueError(
                    f'{what} column {column!r} holds , or " or newline'
                )
            out[column] = text
    csv = pd.DataFrame(out).to_csv(index=False, lineterminator="\n")
    return alt.InlineData(
        values=csv, format=alt.CsvDataFormat(type="csv", parse=parse)
    )
