"""Argument checks shared by the explorer builders."""

from __future__ import annotations

import inspect
import math
import numbers
import re

from .._extras import require
from .._validation import (
    check_int,
)

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
