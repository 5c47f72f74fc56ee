"""The controls: Vega-Lite parameters bound to sliders and radio buttons.

Used by every Try it figure. A :class:`Control` knows the grid it
selects from, the parameter, the filter that picks the selected rows
and the readable text of each of its values.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import (
    check_bool,
)
from .checks import (
    _alt,
    _label,
    check_column,
    check_d3_format,
    check_grid_value,
    check_numbers,
    evenly_spaced,
)

__all__ = [
    "Control",
    "slider",
    "log_slider",
    "step_slider",
    "radio",
    "fixed",
    "where",
]


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
    label : str
        The setting's name ("λ", "k (factors)"): the book's control says
        it, and the Vega-Lite input's label says it with what that input
        moves ("log₁₀ λ").
    texts : tuple of str
        Each value as the reader hears and sees it ("λ = 0.01",
        "40 iterations"): the book's control announces it as its value.
    signals : tuple
        The parameter's value for each of ``values`` (log sliders move
        the exponent, step sliders the position).
    kind : str
        ``"range"`` (a slider), ``"radio"`` or ``"fixed"`` (no input).
    """

    column: str
    values: tuple
    param: object
    test: str
    shown: str
    label: str = ""
    texts: tuple = ()
    signals: tuple = ()
    kind: str = "fixed"

    def spec(self):
        """What the book's page needs to draw this control itself (a
        dict, JSON-ready; :func:`~recsys_lessons.explorers.explorer` puts
        it in the spec's ``usermeta``)."""
        start = self.param.param.value
        return {
            "param": f"ctl_{self.column}",
            "label": self.label,
            "kind": self.kind,
            "signals": list(self.signals),
            "texts": list(self.texts),
            "value": self.signals.index(start),
        }


def _texts(texts, values, default):
    """Each value's readable text: ``texts`` checked, or ``default(v)``."""
    if texts is None:
        return tuple(default(v) for v in values)
    if isinstance(texts, (str, bytes)) or not hasattr(texts, "__iter__"):
        raise TypeError(
            f"texts must be a sequence of str, got {type(texts).__name__}"
        )
    texts = tuple(texts)
    if len(texts) != len(values):
        raise ValueError(
            f"texts must hold one str per value ({len(values)}), "
            f"got {len(texts)}"
        )
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"texts must be str, got {type(t).__name__}")
        if not t.strip():
            raise ValueError("texts must not be empty")
    return texts


def _param(column, value, bind):
    return _alt().param(name=f"ctl_{column}", value=value, bind=bind)


def _uniform_step(values, name):
    # A slider's step: the grid's, which must be even.
    if not evenly_spaced(values):
        raise ValueError(f"{name} must be evenly spaced, got {values}")
    return 1.0 if len(values) == 1 else float(np.diff(values).mean())


def slider(column, values, value=None, label=None, *, texts=None):
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
    texts : sequence of str, optional
        Each value as read out (default ``"<label> = <value>"``).

    Returns
    -------
    Control

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = check_column(column)
    values = check_numbers(values, "values")
    step = _uniform_step(values, "values")
    value = check_grid_value(value, values, "value", "values")
    label = _label(label, column)
    texts = _texts(texts, values, lambda v: f"{label} = {v:g}")
    bind = alt.binding_range(
        min=values[0],
        max=values[-1],
        step=step,
        name=label + " ",
    )
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(values),
        _param(column, value, bind),
        f"abs(datum['{column}'] - {name}) < {step / 2!r}",
        name,
        label,
        texts,
        tuple(values),
        "range",
    )


def log_slider(
    column, values, value=None, label=None, fmt=".1e", *, texts=None
):
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
        The setting's name (default: ``column``); the Vega-Lite input
        is labelled ``"log₁₀ <label>"``, as it shows the exponent.
    fmt : str
        A d3-format specifier, e.g. ``".1e"`` (1.0e-2) or ``".2~g"``.
    texts : sequence of str, optional
        Each value as read out (default ``"<label> = <value>"``, three
        significant digits).

    Returns
    -------
    Control

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = check_column(column)
    values = check_numbers(values, "values")
    if values[0] <= 0:
        raise ValueError(f"values must be positive, got {values[0]}")
    fmt = check_d3_format(fmt)
    exps = [math.log10(v) for v in values]
    exact = _uniform_step(exps, "log10 of values")
    value = check_grid_value(value, values, "value", "values")
    # The slider shows its raw position: three decimals (-1.301, not
    # -1.301029995664). Position i is low + i * step, within a few
    # thousandths of the grid's exponent, far inside the filter's
    # half-step tolerance.
    step = round(exact, 3) if len(values) > 1 else 1.0
    low = round(exps[0], 3)

    def position(i):
        return round(low + i * step, 6)

    label = _label(label, column)
    texts = _texts(texts, values, lambda v: f"{label} = {v:.3g}")
    bind = alt.binding_range(
        min=low,
        max=position(len(values) - 1),
        step=step,
        name=f"log₁₀ {label} ",
    )
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(values),
        _param(column, position(values.index(value)), bind),
        f"abs(log(datum['{column}']) / LN10 - {name}) < {step / 2!r}",
        f"format(pow(10, {name}), '{fmt}')",
        label,
        texts,
        tuple(position(i) for i in range(len(values))),
        "range",
    )


def step_slider(column, values, value=None, label=None, *, texts=None):
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
        The setting's name (default: ``column``); the Vega-Lite input
        is labelled ``"<label> (step)"``, as it shows the position.
    texts : sequence of str, optional
        Each value as read out (default ``"<label> = <value>"``).

    Returns
    -------
    Control

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = check_column(column)
    values = check_numbers(values, "values")
    value = check_grid_value(value, values, "value", "values")
    label = _label(label, column)
    texts = _texts(texts, values, lambda v: f"{label} = {v:g}")
    bind = alt.binding_range(
        min=0,
        max=len(values) - 1,
        step=1,
        name=f"{label} (step) ",
    )
    name = f"ctl_{column}"
    table = "[" + ",".join(repr(v) for v in values) + "]"
    return Control(
        column,
        tuple(values),
        _param(column, values.index(value), bind),
        f"datum['{column}'] == {table}[{name}]",
        f"{table}[{name}]",
        label,
        texts,
        tuple(range(len(values))),
        "range",
    )


def radio(column, options, value=None, label=None, *, texts=None):
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
    texts : sequence of str, optional
        Each option as read out (default: the option).

    Returns
    -------
    Control

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    alt = _alt()
    column = check_column(column)
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
    value = check_grid_value(value, options, "value", "options")
    label = _label(label, column)
    texts = _texts(texts, options, str)
    bind = alt.binding_radio(options=options, name=label)
    name = f"ctl_{column}"
    return Control(
        column,
        tuple(options),
        _param(column, value, bind),
        f"datum['{column}'] == {name}",
        name,
        label,
        texts,
        tuple(options),
        "radio",
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

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    column = check_column(column)
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


def where(controls):
    """The Vega expression selecting the rows of the controls' setting.

    Every control's ``test``, joined by ``&&``: a chart filtered by it
    (``chart.transform_filter(where(controls))``) draws the selected
    setting only. Leave a control out to draw along it (a curve over
    the iterations).

    Parameters
    ----------
    controls : Control or sequence of Control
        Distinct columns; none is every row (``"true"``).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``controls`` is not a sequence of :class:`Control`.
    ValueError
        If two controls select the same column.

    Notes
    -----
    Used by: every Try it figure (its own panels).

    Examples
    --------
    >>> where([slider("k", [1, 2, 3], 2), radio("penalty", ["a", "b"])])
    "(abs(datum['k'] - ctl_k) < 0.5) && (datum['penalty'] == ctl_penalty)"
    >>> where([])
    'true'
    """
    tests = [f"({c.test})" for c in _controls(controls)]
    return " && ".join(tests) if tests else "true"
