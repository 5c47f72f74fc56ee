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

Iterations (or epochs) come from each fit's history: ``compute`` returns
one row per iteration, and the explorer keeps the rows of the iteration
knob's grid from one fit of the largest count. That a fit's first ``t``
rows equal a fit of ``t`` iterations is each definition's claim, checked by
the tests.

Chapter modules: :mod:`.overfitting` (1), :mod:`.als_toy` (2), :mod:`.svd_k`
(3), :mod:`.bpr_small` (4), :mod:`.lambdarank_small` (5),
:mod:`.metrics_order` (6).
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .. import explorers
from .._validation import check_float, check_int
from ..explorers._common import _column, _d3_format, _numbers
from ..explorers.controls import _pick, _uniform_step
from ..explorers.grid import _decimals, _inline_data

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

#: Kinds of knob: an integer slider (evenly spaced grid or not), a log-scale
#: slider, the iterations or epochs of a fit (at most one per figure), and
#: a few named options.
KINDS = ("int", "log", "iterations", "options")


@dataclass(frozen=True)
class Knob:
    """One control of a Try it figure.

    Parameters
    ----------
    name : str
        The keyword of ``compute`` it sets, and the data column holding
        its value (for ``"iterations"``: the iteration of each row).
    kind : str
        One of :data:`KINDS`.
    grid : sequence
        The values the explorer precomputes: increasing numbers
        (integers for ``"int"`` and ``"iterations"``; positive and evenly
        spaced in log10 for ``"log"``), or distinct, non-empty str for
        ``"options"``.
    default : number or str
        One of ``grid``: the chapter's setting.
    label : str
        Shown next to the control.
    low, high : number, optional
        The live widget's range (default: the grid's ends), finite and
        enclosing the grid; ``"log"`` knobs (positive ``low``) round them
        out to whole decades.

    Used by: every chapter's Try it figure (not called in a chapter).
    """

    name: str
    kind: str
    grid: tuple
    default: object
    label: str
    low: object = None
    high: object = None

    def __post_init__(self):
        _column(self.name, "name")
        if self.kind not in KINDS:
            raise ValueError(
                f"kind must be one of {KINDS}, got {self.kind!r}"
            )
        if isinstance(self.grid, (str, bytes)) or not hasattr(
            self.grid, "__iter__"
        ):
            raise TypeError("grid must be a sequence of values")
        grid = tuple(self.grid)
        if self.kind == "options":
            if not grid or not all(isinstance(g, str) for g in grid):
                raise TypeError("an options knob's grid must hold str")
            if len(set(grid)) != len(grid) or not all(grid):
                raise ValueError(
                    "an options knob's grid must hold distinct, non-empty "
                    f"str, got {grid}"
                )
        else:
            grid = tuple(_numbers(grid, "grid"))
            if self.kind == "log" and grid[0] <= 0:
                raise ValueError("a log knob's grid must be positive")
            if self.kind == "log":
                # As the explorer's log slider steps: evenly in log10.
                _uniform_step(
                    [round(math.log10(g), 12) for g in grid],
                    "log10 of grid",
                )
            if self.kind == "int" and not all(
                isinstance(g, int) for g in grid
            ):
                raise TypeError(
                    f"an int knob's grid must hold integers, got {grid}"
                )
            if self.kind == "iterations" and (
                grid[0] < 1 or not all(isinstance(g, int) for g in grid)
            ):
                raise ValueError(
                    "an iterations knob's grid must hold integers >= 1"
                )
        object.__setattr__(self, "grid", grid)
        object.__setattr__(
            self,
            "default",
            _pick(grid, self.default, "grid", "default"),
        )
        if not isinstance(self.label, str):
            raise TypeError("label must be a str")
        low = grid[0] if self.low is None else self.low
        high = grid[-1] if self.high is None else self.high
        if self.kind != "options":
            for v, n in ((low, "low"), (high, "high")):
                if isinstance(v, bool) or not isinstance(v, numbers.Real):
                    raise TypeError(f"{n} must be a number")
                # Finite, and positive on a log scale (the live slider's
                # ends are whole decades around them).
                check_float(
                    v,
                    n,
                    low=0.0 if self.kind == "log" else None,
                    low_open=True,
                )
            if not (low <= grid[0] and grid[-1] <= high):
                raise ValueError("low and high must enclose the grid")
            if self.kind in ("int", "iterations"):
                low, high = check_int(low, "low"), check_int(high, "high")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def control(self):
        """The explorer's input over the grid (a Vega-Lite parameter).

        Its label is the knob's; its values read as settings: "λ = 0.01",
        "k = 2", "40 iterations", an option's name. (A Vega-Lite slider
        in JupyterLab shows the raw number it moves, so its own label
        says what that is: ``log₁₀ λ``, ``iterations (step)``.)
        """
        texts = self.texts()
        if self.kind == "options":
            return explorers.radio(
                self.name, self.grid, self.default, self.label, texts=texts
            )
        if self.kind == "log":
            return explorers.log_slider(
                self.name, self.grid, self.default, self.label, texts=texts
            )
        if self.kind == "int" and _evenly_spaced(self.grid):
            return explorers.slider(
                self.name, self.grid, self.default, self.label, texts=texts
            )
        return explorers.step_slider(
            self.name, self.grid, self.default, self.label, texts=texts
        )

    def texts(self):
        """Each grid value as a reader hears it (:meth:`text`)."""
        return [self.text(v) for v in self.grid]

    def text(self, value):
        """A value of the knob as a reader hears it: the symbol before
        the label's parenthesis, "=", the value ("k = 2", "λ = 0.01"); an
        iterations knob counts ("40 iterations"); a label ending in "#"
        numbers ("order #3"); an option is its name.

        Used by: every chapter's Try it figure (not called in a chapter).
        """
        if self.kind == "options":
            if not isinstance(value, str) or value not in self.grid:
                raise ValueError(
                    f"value must be one of {list(self.grid)}, got {value!r}"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"value must be a number, got {type(value).__name__}"
            )
        check_float(value, "value")
        if self.kind == "iterations":
            one = self.label.removesuffix("s")
            return f"{value:g} {one if value == 1 else self.label}"
        symbol = self.label.split(" (")[0]
        if symbol.endswith("#"):
            return f"{symbol}{value:g}"
        digits = ".3g" if self.kind == "log" else "g"
        return f"{symbol} = {value:{digits}}"


_ACRONYMS = {"rmse", "auc", "ndcg", "dcg", "idcg", "ap", "map"}


def _spoken(column):
    """A column's name read aloud: "train_rmse" -> "train RMSE"."""
    return " ".join(
        w.upper() if w in _ACRONYMS else w for w in column.split("_")
    )


def _is_sequence(value):
    return not isinstance(value, (str, bytes)) and hasattr(
        value, "__iter__"
    )


def _takes(func, *args, **kwargs):
    """Whether ``func(*args, **kwargs)`` binds to ``func``'s signature."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True  # no signature to check (a builtin)
    try:
        sig.bind(*args, **kwargs)
    except TypeError:
        return False
    return True


def _readout_format(fmt):
    # The caption shows it with d3-format, the tests with Python's format:
    # it must mean the same in both.
    _d3_format(fmt, "a readouts format")
    try:
        format(1.5, fmt)
    except ValueError:
        raise ValueError(
            f"a readouts format must also be a Python format spec, "
            f"got {fmt!r}"
        ) from None


def _evenly_spaced(values):
    if len(values) < 2:
        return True
    step = values[1] - values[0]
    return all(
        math.isclose(b - a, step, rel_tol=1e-9)
        for a, b in zip(values, values[1:])
    )


@dataclass(frozen=True)
class TryIt:
    """A chapter's interactive figure: its data, controls and panels.

    Parameters
    ----------
    compute : callable
        ``compute(**setting)`` (one keyword per knob) returns a
        ``pandas.DataFrame`` without columns named like the knobs, except
        the iterations knob's: one row per iteration ``0 .. n``.
    knobs : sequence of Knob
    panels : callable
        ``panels(controls)``, with ``controls`` a dict knob name ->
        :class:`~recsys_lessons.explorers.Control`, returns the rows of
        the figure (a list of charts or lists of charts), as for
        :func:`~recsys_lessons.explorers.explorer`.
    description : str
        One line naming the figure.
    decimals : dict, optional
        Column -> decimals kept in the explorer's data (see
        :func:`~recsys_lessons.explorers.inline_data`).
    significant : int
        Significant digits of the other float columns.
    readouts : sequence of (column, format)
        The numbers the figure's caption shows for the selected setting:
        a column of ``compute``'s table at the selected iteration (the
        last row) and the format, a spec that means the same in Python
        and d3-format (e.g. ``".3f"``). The browser test reads them off
        the drawn page and compares them with :func:`one_setting`.
    max_bytes : int
        The explorer's largest size.

    Used by: every chapter's Try it figure (not called in a chapter).
    """

    compute: Callable
    knobs: tuple
    panels: Callable
    description: str
    readouts: tuple = ()
    decimals: dict = field(default_factory=dict)
    significant: int = 4
    max_bytes: int = explorers.MAX_BYTES

    def __post_init__(self):
        if not callable(self.compute) or not callable(self.panels):
            raise TypeError("compute and panels must be callable")
        if not _takes(self.panels, None):
            raise TypeError("panels must take one argument, the controls")
        if not _is_sequence(self.knobs):
            raise TypeError(
                "knobs must be a non-empty sequence of Knob, "
                f"got {type(self.knobs).__name__}"
            )
        knobs = tuple(self.knobs)
        if not knobs or not all(isinstance(k, Knob) for k in knobs):
            raise TypeError("knobs must be a non-empty sequence of Knob")
        names = [k.name for k in knobs]
        if len(set(names)) != len(names):
            raise ValueError(f"knobs must have distinct names, got {names}")
        if sum(k.kind == "iterations" for k in knobs) > 1:
            raise ValueError(
                "knobs must hold at most one knob of kind iterations"
            )
        if not _takes(self.compute, **dict.fromkeys(names)):
            raise TypeError(
                f"compute must take the knobs' names {names} as keywords, "
                "and need no other"
            )
        object.__setattr__(self, "knobs", knobs)
        if not isinstance(self.description, str):
            raise TypeError(
                "description must be a str, "
                f"got {type(self.description).__name__}"
            )
        if not _is_sequence(self.readouts):
            raise TypeError(
                "readouts must be a sequence of (column, format) pairs, "
                f"got {type(self.readouts).__name__}"
            )
        readouts = tuple(
            tuple(r) if _is_sequence(r) else r for r in self.readouts
        )
        for r in readouts:
            if (
                not isinstance(r, tuple)
                or len(r) != 2
                or not all(isinstance(x, str) for x in r)
            ):
                raise TypeError("readouts must be (column, format) pairs")
            _column(r[0], "a readouts column")
            _readout_format(r[1])
        object.__setattr__(self, "readouts", readouts)
        object.__setattr__(self, "decimals", _decimals(self.decimals))
        object.__setattr__(
            self,
            "significant",
            check_int(self.significant, "significant", low=1, high=17),
        )
        object.__setattr__(
            self, "max_bytes", check_int(self.max_bytes, "max_bytes", low=1)
        )

    @property
    def along(self):
        """The iterations knob, or None."""
        for k in self.knobs:
            if k.kind == "iterations":
                return k
        return None

    @property
    def default(self):
        """The chapter's setting: knob name -> default value."""
        return {k.name: k.default for k in self.knobs}

    def settings(self):
        """How many settings the explorer holds."""
        return math.prod(len(k.grid) for k in self.knobs)

    def readout(self, setting, table):
        """The figure's numbers for one setting, as a sentence: each
        knob's text, then each readout ("k = 2, λ = 0.01, 20 iterations,
        weighted: train RMSE 0.083"). The live version announces it.

        ``table`` is :func:`one_setting`'s result for ``setting``; the
        numbers are those of the selected iteration (its last row without
        an iterations knob).

        Used by: every chapter's Try it figure (not called in a chapter).
        """
        _check_setting(self, setting)
        _check_one_table(self, table)
        if table.empty:
            raise ValueError("table must not be empty")
        row = table.iloc[-1]
        along = self.along
        if along is not None:
            picked = table[table[along.name] == setting[along.name]]
            if picked.empty:
                raise ValueError(
                    f"table has no row for {along.name} = "
                    f"{setting[along.name]}"
                )
            row = picked.iloc[0]
        said = ", ".join(k.text(setting[k.name]) for k in self.knobs)
        shown = []
        for column, fmt in self.readouts:
            if column not in table.columns:
                continue
            value = row[column]
            if isinstance(value, bool) or not isinstance(
                value, numbers.Real
            ):
                raise TypeError(
                    f"table's {column!r} must hold numbers, "
                    f"got {type(value).__name__}"
                )
            if not math.isfinite(value):
                raise ValueError(
                    f"table's {column!r} must be finite, got {value}"
                )
            shown.append(f"{_spoken(column)} {format(float(value), fmt)}")
        numbers_ = ", ".join(shown)
        return f"{said}: {numbers_}" if numbers_ else said

    def check(self, **setting):
        """Validate the arguments of ``compute`` (each chapter's ``run``
        calls this first), naming the knob.

        Integer and iterations knobs must lie in ``low .. high``; log
        knobs must be positive and within the live slider's reach (its
        range rounded out to whole decades, plus one quarter-decade step,
        :func:`recsys_lessons.widgets.lam_slider`); options knobs must be
        one of the grid's options.

        Used by: every chapter's Try it figure (not called in a chapter).
        """
        for k in self.knobs:
            if k.name not in setting:
                raise TypeError(f"{k.name} is required")
            v = setting[k.name]
            if k.kind == "options":
                if not isinstance(v, str):
                    raise TypeError(
                        f"{k.name} must be a str, got {type(v).__name__}"
                    )
                if v not in k.grid:
                    raise ValueError(
                        f"{k.name} must be one of {list(k.grid)}, got {v!r}"
                    )
            elif k.kind == "log":
                reach = 10**0.25
                low = 10.0 ** math.floor(math.log10(k.low) + 1e-9) / reach
                high = 10.0 ** math.ceil(math.log10(k.high) - 1e-9) * reach
                check_float(v, k.name, low=low, high=high)
            else:
                check_int(v, k.name, low=k.low, high=k.high)


def grid_table(tryit):
    """Every setting of the knobs' grids, as one long table.

    ``compute`` runs once per setting of the other knobs, with the
    iterations knob at its largest grid value; the rows of the iteration
    knob's grid values are kept.

    Returns
    -------
    pandas.DataFrame
        One column per knob, then ``compute``'s columns.
        ``attrs["seconds"]``: the time the fits took.

    Defined in: Chapter 2.
    """
    if not isinstance(tryit, TryIt):
        raise TypeError(
            f"tryit must be a TryIt, got {type(tryit).__name__}"
        )
    along = tryit.along
    controls = {k.name: k.grid for k in tryit.knobs if k is not along}
    fixed = {} if along is None else {along.name: along.grid[-1]}
    if controls:
        table = explorers.grid_frame(tryit.compute, controls, fixed)
    else:
        table = tryit.compute(**fixed)
        table.attrs.update(seconds=0.0, settings=1)
    if along is not None:
        seconds = table.attrs.get("seconds")
        table = table[table[along.name].isin(along.grid)].reset_index(
            drop=True
        )
        table.attrs.update(seconds=seconds)
    return table


def one_setting(tryit, **setting):
    """``compute`` for one setting (the live version's data).

    Every knob must be given; values need not be on the grid.

    Used by: every chapter's Try it figure (not called in a chapter).
    """
    if not isinstance(tryit, TryIt):
        raise TypeError(
            f"tryit must be a TryIt, got {type(tryit).__name__}"
        )
    _check_setting(tryit, setting)
    table = tryit.compute(**setting)
    if not isinstance(table, pd.DataFrame):
        raise TypeError("compute must return a pandas.DataFrame")
    return table


def _check_setting(tryit, setting, name="setting"):
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


def explore(tryit, table=None):
    """The kernel-free explorer of a Try it figure.

    Parameters
    ----------
    tryit : TryIt
    table : pandas.DataFrame, optional
        :func:`grid_table`'s result, when already computed.

    Returns
    -------
    recsys_lessons.explorers.Explorer

    Defined in: Chapter 2.
    """
    if not isinstance(tryit, TryIt):
        raise TypeError(
            f"tryit must be a TryIt, got {type(tryit).__name__}"
        )
    if table is None:
        table = grid_table(tryit)
    elif not isinstance(table, pd.DataFrame):
        raise TypeError(
            "table must be grid_table's result, a pandas.DataFrame, "
            f"got {type(table).__name__}"
        )
    missing = [k.name for k in tryit.knobs if k.name not in table.columns]
    if missing:
        raise ValueError(
            f"table must have a column per knob (grid_table's result), "
            f"lacks {missing}"
        )
    data = _inline_data(
        table,
        "table",
        significant=tryit.significant,
        decimals=tryit.decimals,
    )
    controls = {k.name: k.control() for k in tryit.knobs}
    return explorers.explorer(
        data,
        list(controls.values()),
        tryit.panels(controls),
        max_bytes=tryit.max_bytes,
        description=tryit.description,
    )


def _check_one_table(tryit, table):
    """``table`` is :func:`one_setting`'s result: a DataFrame with the
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


def single(tryit, table, setting):
    """The same panels for one setting's table (the live version's chart).

    Parameters
    ----------
    tryit : TryIt
    table : pandas.DataFrame
        :func:`one_setting`'s result for ``setting``.
    setting : dict
        Knob name -> value.

    Defined in: Chapter 2.
    """
    if not isinstance(tryit, TryIt):
        raise TypeError(
            f"tryit must be a TryIt, got {type(tryit).__name__}"
        )
    _check_setting(tryit, setting)
    _check_one_table(tryit, table)
    along = tryit.along
    controls = {}
    for k in tryit.knobs:
        value = setting[k.name]
        if k is along:
            span = (k.grid[0], max(k.high, value))
            controls[k.name] = explorers.fixed(
                k.name, value, match=True, values=span
            )
        else:
            controls[k.name] = explorers.fixed(k.name, value)
    return explorers.explorer(
        _single_data(tryit, table, setting),
        list(controls.values()),
        tryit.panels(controls),
        max_bytes=tryit.max_bytes,
        description=tryit.description,
    )


def _single_data(tryit, table, setting):
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
    return _inline_data(
        shown.reset_index(drop=True),
        "table",
        significant=tryit.significant,
        decimals=tryit.decimals,
    )


def _param_value(value):
    # As explorers.fixed stores it: Python numbers, not NumPy's.
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


class LiveFigure:
    """Setting -> the live version's chart, fast enough to redraw on a
    slider move.

    Building the chart with Altair takes about 0.2 s; only its data and
    its parameters' values change from one setting to the next, so the
    first chart's spec is kept and those two parts are replaced (the
    tests check the result equals a chart built afresh).

    Used by: every chapter's Try it figure (not called in a chapter).
    """

    def __init__(self, tryit):
        if not isinstance(tryit, TryIt):
            raise TypeError(
                f"tryit must be a TryIt, got {type(tryit).__name__}"
            )
        self.tryit = tryit
        self.table = None
        self._template = None

    def __call__(self, setting):
        tryit = self.tryit
        _check_setting(tryit, setting)
        table = one_setting(tryit, **setting)
        # The live version's readout is read off the same table.
        self.table = table
        along = tryit.along
        if self._template is None or (
            along is not None and setting[along.name] > along.high
        ):
            shown = single(tryit, table, setting)
            if self._template is None:
                self._template = shown.spec
            return shown
        spec = dict(self._template)
        name = spec["data"]["name"]
        spec["datasets"] = {
            **spec["datasets"],
            name: _single_data(tryit, table, setting).values,
        }
        spec["params"] = [
            {**p, "value": _param_value(setting[p["name"][len("ctl_") :]])}
            for p in spec["params"]
        ]
        return explorers.Explorer.from_spec(
            spec, max_bytes=tryit.max_bytes, description=tryit.description
        )
