"""A setting of a Try it figure's knobs: its checks, and its data.

Shared by :class:`~recsys_lessons.tryit.figure.TryIt` and
:class:`~recsys_lessons.tryit.live.LiveFigure`: a setting (knob name ->
value) is checked the same way by both, and both draw one setting's table
through the same data (:func:`single_data`), so that the live chart they
draw is the same.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

from .. import explorers


def check_setting(tryit, setting, name="setting"):
    """A setting of every knob: numbers (integers but for log knobs),
    finite, or one of an options knob's grid."""
    if not isinstance(setting, dict):
        raise TypeError(
            f"{name} must be a dict, knob name -> value, "
            f"got {type(setting).__name__}"
        )
    if set(setting) != set(tryit.default):
        raise ValueError(
            f"{name} must name exactly the knobs {sorted(tryit.default)}, "
            f"got {sorted(map(str, setting))}"
        )
    for k in tryit.knobs:
        v = setting[k.name]
        where = f"{name}[{k.name!r}]"
        if k.kind == "options":
            if not isinstance(v, str) or v not in k.grid:
                raise ValueError(
                    f"{where} must be one of {list(k.grid)}, got {v!r}"
                )
        elif isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(
                f"{where} must be a number, got {type(v).__name__}"
            )
        elif not math.isfinite(v):
            raise ValueError(f"{where} must be finite, got {v}")
        elif k.kind != "log" and not isinstance(v, numbers.Integral):
            raise TypeError(f"{where} must be an integer, got {v!r}")


def check_one_table(tryit, table):
    """``table`` is :meth:`TryIt.one_setting`'s result: a DataFrame with the
    iterations column, and no column named like another knob."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "table must be one_setting's result, a pandas.DataFrame, "
            f"got {type(table).__name__}"
        )
    along = tryit.along
    named = [
        k.name
        for k in tryit.knobs
        if k is not along and k.name in table.columns
    ]
    if named:
        raise ValueError(
            "table must be one_setting's result, without columns named "
            f"like the knobs {named} (the setting gives them)"
        )
    if along is not None and along.name not in table.columns:
        raise ValueError(
            f"table must have the column {along.name!r}, the iteration "
            "of each row"
        )


def single_data(tryit, table, setting):
    """One setting's table as the explorer's data: the other knobs'
    values as columns (as in the grid's table), from the iterations
    knob's first grid value on."""
    along = tryit.along
    shown = table.copy()
    for pos, k in enumerate(tryit.knobs):
        if k is not along:
            # The captions read the setting from the row, as in the
            # explorer.
            shown.insert(pos, k.name, setting[k.name])
    if along is not None:
        # Row 0 (the start) is no point of a log-scale iteration axis;
        # the explorer's grid starts at its first value too.
        shown = shown[shown[along.name] >= along.grid[0]]
    return explorers.inline_data(
        shown.reset_index(drop=True),
        significant=tryit.significant,
        decimals=tryit.decimals,
        name="table",
    )


def param_value(value):
    """A setting's value as a Vega-Lite parameter holds it."""
    # As explorers.fixed stores it: Python numbers, not NumPy's.
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value
