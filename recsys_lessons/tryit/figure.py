"""A chapter's Try it figure: :class:`TryIt`, its data, controls, panels.

A :class:`TryIt` holds ``compute`` (the figure's data for one setting of
its knobs), the knobs (:class:`~recsys_lessons.tryit.knob.Knob`) and
``panels`` (the charts that draw the data). Its methods give the book's
kernel-free explorer (:meth:`TryIt.grid_table`, :meth:`TryIt.explore`)
and the live version's chart (:meth:`TryIt.one_setting`,
:meth:`TryIt.single`); :mod:`recsys_lessons.tryit.calls` has them in the
form the chapters call.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .. import explorers
from .._numbered_figure import caption_and_name
from .._validation import check_float, check_int
from ._readout import check_format, spoken
from ._setting import check_one_table, check_setting, single_data
from .knob import Knob

__all__ = ["TryIt"]


def _is_sequence(value):
    return not isinstance(value, (str, bytes)) and hasattr(
        value, "__iter__"
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
        Distinct names; at most one of kind ``"iterations"``.
    panels : callable
        ``panels(controls)``, with ``controls`` a dict knob name ->
        :class:`~recsys_lessons.explorers.Control`, returns the rows of
        the figure (a list of charts or lists of charts), as for
        :func:`~recsys_lessons.explorers.explorer`.
    description : str
        One line naming the figure.
    readouts : sequence of (column, format)
        The numbers the figure's caption shows for the selected setting:
        a column of ``compute``'s table at the selected iteration (the
        last row) and the format, a spec that means the same in Python
        and d3-format (e.g. ``".3f"``). The browser test reads them off
        the drawn page and compares them with :func:`one_setting`.
    decimals : dict, optional
        Column -> decimals kept in the explorer's data (see
        :func:`~recsys_lessons.explorers.inline_data`).
    significant : int
        Significant digits of the other float columns.
    max_bytes : int
        The explorer's largest size.

    Raises
    ------
    TypeError
        If ``compute`` or ``panels`` is not callable or does not take its
        arguments (the knobs' names as keywords; the controls), ``knobs``
        is not a non-empty sequence of :class:`Knob`, or ``description``,
        ``readouts`` or ``decimals`` has the wrong type.
    ValueError
        If two knobs share a name, two are of kind ``"iterations"``, a
        readout's column is not an identifier or its format not both a
        d3-format and a Python format, or ``decimals``, ``significant``
        or ``max_bytes`` is out of range.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter): each chapter
    module defines one, ``TRY_IT``.

    Examples
    --------
    A figure of a number that halves at each iteration, from 1 or 2:

    >>> import pandas as pd
    >>> from recsys_lessons import explorers
    >>> def compute(start, iterations):
    ...     t = pd.Series(range(iterations + 1))
    ...     return pd.DataFrame({"iterations": t, "y": start * 0.5**t})
    >>> def panels(c):
    ...     shown = list(c.values())
    ...     return [explorers.history_panel(shown, c["iterations"], "y")]
    >>> fig = TryIt(
    ...     compute,
    ...     knobs=[
    ...         Knob("start", "int", (1, 2), 1, "start"),
    ...         Knob("iterations", "iterations", (1, 4), 4, "iterations"),
    ...     ],
    ...     panels=panels,
    ...     description="y halves at each iteration",
    ...     readouts=[("y", ".3f")],
    ... )
    >>> fig.default, fig.settings()
    ({'start': 1, 'iterations': 4}, 4)
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
        if not explorers.accepts(self.panels, None):
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
        if not explorers.accepts(self.compute, **dict.fromkeys(names)):
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
            explorers.check_column(r[0], "a readouts column")
            check_format(r[1])
        object.__setattr__(self, "readouts", readouts)
        object.__setattr__(
            self, "decimals", explorers.check_decimals(self.decimals)
        )
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
        """How many settings the explorer holds.

        Returns
        -------
        int
            The product of the knobs' grid sizes.

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> from recsys_lessons.tryit import metrics_order
        >>> metrics_order.TRY_IT.settings()  # 120 orders x 5 cut-offs
        600
        """
        return math.prod(len(k.grid) for k in self.knobs)

    def readout(self, setting, table):
        """The figure's numbers for one setting, as a sentence.

        Each knob's text, then each readout ("k = 2, λ = 0.01, 20
        iterations, weighted: train RMSE 0.083"). The live version
        announces it.

        Parameters
        ----------
        setting : dict
            Knob name -> value, every knob.
        table : pandas.DataFrame
            :meth:`one_setting`'s result for ``setting``; the numbers are
            those of the selected iteration (its last row without an
            iterations knob).

        Returns
        -------
        str

        Raises
        ------
        TypeError
            If ``setting`` is not a dict of the knobs' kinds of value,
            ``table`` not a DataFrame, or a readout column not numbers.
        ValueError
            If ``setting`` does not name exactly the knobs or holds a
            non-finite value or unknown option, or ``table`` is empty,
            has no row for the selected iteration, has a column named
            like a knob or a non-finite readout.

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> from recsys_lessons.tryit import metrics_order
        >>> fig = metrics_order.TRY_IT
        >>> table = fig.one_setting(order=0, k=5)
        >>> fig.readout({"order": 0, "k": 5}, table)
        'order #0, k = 5: DCG 12.7796, NDCG 0.9575, AP 0.9500'
        """
        check_setting(self, setting)
        check_one_table(self, table)
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
            shown.append(f"{spoken(column)} {format(float(value), fmt)}")
        numbers_ = ", ".join(shown)
        return f"{said}: {numbers_}" if numbers_ else said

    def check(self, **setting):
        """Validate the arguments of ``compute``, naming the knob.

        Each chapter's ``run`` calls this first. Integer and iterations
        knobs must lie in ``low .. high``; log knobs must be positive and
        within the live slider's reach (its range rounded out to whole
        decades, plus one quarter-decade step,
        :func:`recsys_lessons.widgets.lam_slider`); options knobs must be
        one of the grid's options.

        Parameters
        ----------
        **setting
            Knob name -> value; every knob is required (others are
            ignored).

        Raises
        ------
        TypeError
            If a knob is missing or its value is of the wrong type.
        ValueError
            If a value is outside the knob's live range or not one of
            its options.

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> from recsys_lessons.tryit import metrics_order
        >>> metrics_order.TRY_IT.check(order=3, k=6)
        Traceback (most recent call last):
        ...
        ValueError: k must be <= 5, got 6
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

    def grid_table(self):
        """Every setting of the knobs' grids, as one long table.

        ``compute`` runs once per setting of the other knobs, with the
        iterations knob at its largest grid value; the rows of the
        iteration knob's grid values are kept.

        Returns
        -------
        pandas.DataFrame
            One column per knob, then ``compute``'s columns.
            ``attrs["seconds"]``: the time the fits took.

        Raises
        ------
        TypeError
            If ``compute`` returns no ``pandas.DataFrame``.
        ValueError
            If ``compute``'s table has a column named like a knob other
            than the iterations knob.

        Notes
        -----
        Used by: every Try it figure: what :func:`grid_table` computes.

        Examples
        --------
        >>> import pandas as pd
        >>> from recsys_lessons import explorers
        >>> fig = TryIt(
        ...     lambda start, iterations: pd.DataFrame(
        ...         {"iterations": range(iterations + 1)}
        ...     ).assign(y=lambda d: start * 0.5**d.iterations),
        ...     [
        ...         Knob("start", "int", (1, 2), 1, "start"),
        ...         Knob("iterations", "iterations", (1, 4), 4, "t"),
        ...     ],
        ...     lambda c: [explorers.caption_panel(list(c.values()), "1")],
        ...     "y halves at each iteration",
        ... )
        >>> fig.grid_table()
           start  iterations       y
        0      1           1  0.5000
        1      1           4  0.0625
        2      2           1  1.0000
        3      2           4  0.1250
        """
        along = self.along
        controls = {k.name: k.grid for k in self.knobs if k is not along}
        fixed = {} if along is None else {along.name: along.grid[-1]}
        if controls:
            table = explorers.grid_frame(self.compute, controls, fixed)
        else:
            table = self.compute(**fixed)
            table.attrs.update(seconds=0.0, settings=1)
        if along is not None:
            seconds = table.attrs.get("seconds")
            table = table[table[along.name].isin(along.grid)].reset_index(
                drop=True
            )
            table.attrs.update(seconds=seconds)
        return table

    def one_setting(self, **setting):
        """``compute`` for one setting (the live version's data).

        Every knob must be given; values need not be on the grid.

        Parameters
        ----------
        **setting
            Knob name -> value, exactly the knobs: numbers (integers but
            for log knobs), finite, or one of an options knob's grid.

        Returns
        -------
        pandas.DataFrame
            ``compute``'s table.

        Raises
        ------
        TypeError
            If a value has the wrong type, or ``compute`` returns no
            ``pandas.DataFrame``.
        ValueError
            If ``setting`` does not name exactly the knobs, or a value
            is not finite or not an option (and as ``compute`` checks:
            outside the knob's live range).

        Notes
        -----
        Used by: every Try it figure: what :func:`one_setting` computes.

        Examples
        --------
        >>> from recsys_lessons.tryit import metrics_order
        >>> table = metrics_order.TRY_IT.one_setting(order=0, k=5)
        >>> table[["dcg", "ndcg", "ap"]].round(4)
               dcg    ndcg    ap
        0  12.7796  0.9575  0.95
        """
        check_setting(self, setting)
        table = self.compute(**setting)
        if not isinstance(table, pd.DataFrame):
            raise TypeError("compute must return a pandas.DataFrame")
        return table

    def explore(self, table=None, *, caption=None, name=None):
        """The kernel-free explorer of the figure.

        Parameters
        ----------
        table : pandas.DataFrame, optional
            :meth:`grid_table`'s result, when already computed.
        caption, name : str, optional
            Both or neither: the caption (MyST markup allowed) and the
            ``{numref}`` label (lower-case letters, digits and ``-``) of
            a numbered figure in the book, as for
            :func:`recsys_lessons.figures.show`.

        Returns
        -------
        recsys_lessons.explorers.Explorer

        Raises
        ------
        TypeError
            If ``table`` is not a ``pandas.DataFrame`` (or, computing
            it, as :meth:`grid_table`), or ``caption`` or ``name`` is
            given but not a str.
        ValueError
            If ``table`` lacks a knob's column, is empty or holds a
            non-finite number, the explorer's spec exceeds ``max_bytes``,
            only one of ``caption`` and ``name`` is given, ``caption`` is
            blank or ``name`` not a label.

        Notes
        -----
        Used by: every Try it figure: what :func:`explore` returns. The
        book's plugin (``explorers.MystNbVegaLite``) makes ``caption``
        and ``name`` a numbered figure.

        Examples
        --------
        >>> import pandas as pd
        >>> from recsys_lessons import explorers
        >>> fig = TryIt(
        ...     lambda start, iterations: pd.DataFrame(
        ...         {"iterations": range(iterations + 1)}
        ...     ).assign(y=lambda d: start * 0.5**d.iterations),
        ...     [
        ...         Knob("start", "int", (1, 2), 1, "start"),
        ...         Knob("iterations", "iterations", (1, 4), 4, "t"),
        ...     ],
        ...     lambda c: [explorers.caption_panel(list(c.values()), "1")],
        ...     "y halves at each iteration",
        ... )
        >>> fig.explore().spec["description"]
        'y halves at each iteration'
        >>> shown = fig.explore(caption="y halves.", name="fig-halves")
        >>> shown.spec["usermeta"]["name"]
        'fig-halves'
        """
        # Checked before the grid's fits, which can take minutes.
        caption_and_name(caption, name)
        if table is None:
            table = self.grid_table()
        elif not isinstance(table, pd.DataFrame):
            raise TypeError(
                "table must be grid_table's result, a pandas.DataFrame, "
                f"got {type(table).__name__}"
            )
        missing = [
            k.name for k in self.knobs if k.name not in table.columns
        ]
        if missing:
            raise ValueError(
                f"table must have a column per knob (grid_table's result), "
                f"lacks {missing}"
            )
        data = explorers.inline_data(
            table,
            significant=self.significant,
            decimals=self.decimals,
            name="table",
        )
        controls = {k.name: k.control() for k in self.knobs}
        return explorers.explorer(
            data,
            list(controls.values()),
            self.panels(controls),
            max_bytes=self.max_bytes,
            description=self.description,
            caption=caption,
            name=name,
        )

    def single(self, table, setting):
        """The same panels for one setting's table (the live chart).

        Parameters
        ----------
        table : pandas.DataFrame
            :meth:`one_setting`'s result for ``setting``.
        setting : dict
            Knob name -> value.

        Returns
        -------
        recsys_lessons.explorers.Explorer
            Its controls are fixed at ``setting``.

        Raises
        ------
        TypeError
            If ``setting`` is not a dict of the knobs' kinds of value, or
            ``table`` not a ``pandas.DataFrame``.
        ValueError
            If ``setting`` does not name exactly the knobs or holds a
            non-finite value or unknown option, or ``table`` has a column
            named like a knob, lacks the iterations column or holds a
            non-finite number.

        Notes
        -----
        Used by: every Try it figure: what :func:`single` returns.

        Examples
        --------
        >>> from recsys_lessons.tryit import metrics_order
        >>> fig, setting = metrics_order.TRY_IT, {"order": 0, "k": 5}
        >>> shown = fig.single(fig.one_setting(**setting), setting)
        >>> [p["value"] for p in shown.spec["params"]]
        [0, 5]
        """
        check_setting(self, setting)
        check_one_table(self, table)
        along = self.along
        controls = {}
        for k in self.knobs:
            value = setting[k.name]
            if k is along:
                span = (k.grid[0], max(k.high, value))
                controls[k.name] = explorers.fixed(
                    k.name, value, match=True, values=span
                )
            else:
                controls[k.name] = explorers.fixed(k.name, value)
        return explorers.explorer(
            single_data(self, table, setting),
            list(controls.values()),
            self.panels(controls),
            max_bytes=self.max_bytes,
            description=self.description,
        )


def _as_tryit(tryit):
    # The one check of calls.py's functions and of LiveFigure: their
    # first argument is a figure (the methods they call check the rest).
    if not isinstance(tryit, TryIt):
        raise TypeError(
            f"tryit must be a TryIt, got {type(tryit).__name__}"
        )
    return tryit
