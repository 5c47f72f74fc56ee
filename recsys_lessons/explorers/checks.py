"""Argument checks shared by the explorer builders and the Try it figures.

Used by every Try it figure. The public checks are those
:mod:`recsys_lessons.tryit` needs as well (a knob's name, grid and
default, a readout's format, a figure's decimals and functions); the
private ones serve the builders only.
"""

from __future__ import annotations

import inspect
import math
import numbers
import re

import numpy as np

from .._extras import require
from .._validation import (
    check_int,
)

__all__ = [
    "check_column",
    "check_d3_format",
    "check_numbers",
    "check_grid_value",
    "check_decimals",
    "evenly_spaced",
    "accepts",
]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
# A d3-format specifier ([[fill]align][sign][symbol][0][width][,]
# [.precision][~][type]); it is quoted into Vega expressions, so no quote,
# backslash or brace can occur.
_D3_FORMAT = re.compile(
    r"(?:[^'\"\\{}\n]?[<>=^])?[-+( ]?[$#]?0?\d*,?(?:\.\d+)?~?"
    r"[%bcdeEfFgGnoprsxX]?"
)


def _alt():
    # Altair is imported on first use: the package imports without it.
    return require("altair", "explorers")


def _name(name, what="name"):
    # The argument's name as the messages give it.
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}")
    return name


def check_column(value, name="column"):
    """A data column's or a control's name: an identifier.

    It goes into Vega expressions (``datum['<value>']``,
    ``ctl_<value>``), so only letters, digits and ``_`` are allowed.

    Parameters
    ----------
    value : str
        The name to check.
    name : str
        The argument's name in the messages.

    Returns
    -------
    str
        ``value``.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ValueError
        If ``value`` is not an identifier (letters, digits, ``_``, not
        starting with a digit).

    Notes
    -----
    Used by: every Try it figure (a knob's name, a readout's column).

    Examples
    --------
    >>> check_column("train_rmse")
    'train_rmse'
    >>> check_column("train rmse", "y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: y must be an identifier (...), got 'train rmse'
    """
    name = _name(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not _NAME.match(value):
        raise ValueError(
            f"{name} must be an identifier (letters, digits, _), "
            f"got {value!r}"
        )
    return value


def _label(label, default, name="label"):
    if label is None:
        return default
    if not isinstance(label, str):
        raise TypeError(f"{name} must be a str, got {type(label).__name__}")
    return label


def check_d3_format(value, name="fmt"):
    """A d3-format specifier, such as ``".3f"`` or ``".1e"``.

    Vega formats numbers with it in the browser; it is quoted into a Vega
    expression, so no quote, backslash or brace may occur.

    Parameters
    ----------
    value : str
        ``[[fill]align][sign][symbol][0][width][,][.precision][~][type]``.
    name : str
        The argument's name in the messages.

    Returns
    -------
    str
        ``value``.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ValueError
        If ``value`` is not a d3-format specifier.

    Notes
    -----
    Used by: every Try it figure (a readout's format).

    Examples
    --------
    >>> check_d3_format(".3f")
    '.3f'
    >>> check_d3_format("{:.3f}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: fmt must be a d3-format specifier ..., got '{:.3f}'
    """
    name = _name(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not _D3_FORMAT.fullmatch(value):
        raise ValueError(
            f"{name} must be a d3-format specifier such as '.3f' or "
            f"'.1e', got {value!r}"
        )
    return value


def accepts(func, *args, **kwargs):
    """Whether ``func(*args, **kwargs)`` binds to ``func``'s signature.

    Nothing is called: the arguments are only matched against the
    parameters (a callable without a signature, such as some builtins,
    is taken to accept them).

    Parameters
    ----------
    func : callable
    *args, **kwargs
        The arguments of the call.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``func`` is not callable.

    Notes
    -----
    Used by: every Try it figure (its ``compute`` and ``panels``).

    Examples
    --------
    >>> def compute(k, iterations):
    ...     return k * iterations
    >>> accepts(compute, k=None, iterations=None)
    True
    >>> accepts(compute, k=None)
    False
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True  # no signature to check (a builtin)
    try:
        sig.bind(*args, **kwargs)
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


def _finite_numbers(values, name):
    # A non-empty sequence of finite real numbers (bool is no number), as
    # Python numbers: NumPy's repr (np.int64(1)) is no Vega expression.
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
    return [
        int(v) if isinstance(v, numbers.Integral) else float(v)
        for v in values
    ]


def check_numbers(values, name="values"):
    """A grid of numbers: non-empty, finite, distinct and increasing.

    Parameters
    ----------
    values : sequence of real numbers
        Not bool.
    name : str
        The argument's name in the messages.

    Returns
    -------
    list of int or float
        Python numbers (NumPy's ``np.int64(1)`` is no Vega expression):
        integers stay integers.

    Raises
    ------
    TypeError
        If ``values`` is not a sequence of real numbers.
    ValueError
        If it is empty, or holds a non-finite, repeated or decreasing
        value.

    Notes
    -----
    Used by: every Try it figure (a knob's grid).

    Examples
    --------
    >>> check_numbers((1, 2.5, 10))
    [1, 2.5, 10]
    >>> check_numbers([3, 2], "grid")
    Traceback (most recent call last):
    ...
    ValueError: grid must be increasing, got [3, 2]
    """
    name = _name(name)
    values = _finite_numbers(values, name)
    if len(set(values)) != len(values):
        raise ValueError(f"{name} must be distinct, got {values}")
    if values != sorted(values):
        raise ValueError(f"{name} must be increasing, got {values}")
    return values


def evenly_spaced(values):
    """Whether a grid's steps all equal their mean (to a relative 1e-6).

    A slider moves in equal steps, so only such a grid can be one; a
    log-scale slider needs the grid's log10 evenly spaced.

    Parameters
    ----------
    values : sequence of real numbers
        Non-empty and finite; one value is evenly spaced.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``values`` is not a sequence of real numbers.
    ValueError
        If it is empty or holds a non-finite value.

    Notes
    -----
    Used by: every Try it figure (a knob's slider).

    Examples
    --------
    >>> evenly_spaced([1, 2, 3])
    True
    >>> evenly_spaced([1, 2, 5])
    False
    """
    values = _finite_numbers(values, "values")
    if len(values) == 1:
        return True
    gaps = np.diff(values)
    return bool(np.allclose(gaps, gaps.mean(), rtol=1e-6, atol=0))


def check_grid_value(value, values, name="value", values_name="values"):
    """One value of a grid, as the grid holds it.

    A float matches within a relative 1e-9 (``0.05 * 10 ** 0`` is the
    grid's 0.05); the grid's own entry is returned, so that it can be
    compared with ``==`` afterwards.

    Parameters
    ----------
    value : number or str, or None
        None: the grid's first value.
    values : sequence
        The grid (numbers or str), as already checked by its owner.
    name : str
        The name of ``value`` in the messages.
    values_name : str
        The name of ``values`` in the messages.

    Returns
    -------
    number or str
        The entry of ``values`` equal to ``value``.

    Raises
    ------
    TypeError
        If ``value`` is neither a number nor a str (or is a bool).
    ValueError
        If ``value`` is not one of ``values``.

    Notes
    -----
    Used by: every Try it figure (a knob's default).

    Examples
    --------
    >>> check_grid_value(0.1 + 0.2, [0.1, 0.3, 1.0])
    0.3
    >>> check_grid_value(None, ["weighted", "plain"])
    'weighted'
    >>> check_grid_value(7, (1, 2, 3), "default", "grid")
    Traceback (most recent call last):
    ...
    ValueError: default must be one of grid, got 7
    """
    name, grid = _name(name), _name(values_name, "values_name")
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{grid} must be a sequence, got {type(values).__name__}"
        )
    values = list(values)
    if not values:
        raise ValueError(f"{grid} must not be empty")
    if value is None:
        return values[0]
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, str)
    ):
        raise TypeError(
            f"{name} must be one of {grid}, got {type(value).__name__}"
        )
    for v in values:
        if v == value or (
            isinstance(v, float)
            and isinstance(value, numbers.Real)
            and math.isclose(v, value, rel_tol=1e-9)
        ):
            return v
    raise ValueError(f"{name} must be one of {grid}, got {value!r}")


def check_decimals(decimals, name="decimals"):
    """Column -> digits after the decimal point (0 to 15), checked.

    Parameters
    ----------
    decimals : dict or None
        Keys: column names (identifiers); values: int, 0 to 15. None is
        no column.
    name : str
        The argument's name in the messages.

    Returns
    -------
    dict
        A copy.

    Raises
    ------
    TypeError
        If ``decimals`` is not a dict, a key not a str or a value not an
        int.
    ValueError
        If a key is not an identifier or a value is outside 0 to 15.

    Notes
    -----
    Used by: every Try it figure (its ``decimals``).

    Examples
    --------
    >>> check_decimals({"train_rmse": 3})
    {'train_rmse': 3}
    >>> check_decimals(None)
    {}
    """
    name = _name(name)
    decimals = {} if decimals is None else decimals
    if not isinstance(decimals, dict):
        raise TypeError(
            f"{name} must be a dict, got {type(decimals).__name__}"
        )
    for column, digits in decimals.items():
        check_column(column, f"a key of {name}")
        check_int(digits, f"{name}[{column!r}]", low=0, high=15)
    return dict(decimals)
