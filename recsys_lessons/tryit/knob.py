"""A Try it figure's controls: :class:`Knob`, and how a reader hears them.

A knob is one control of a figure: the keyword of ``compute`` it sets, the
values the book's explorer precomputes (its grid), the chapter's setting
and the live widget's range. :meth:`Knob.control` makes the explorer's
input; :meth:`Knob.text` says a value as the page's controls and the live
readout announce it ("λ = 0.01", "40 iterations").
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from .. import explorers
from .._validation import check_float, check_int

__all__ = ["KINDS", "Knob"]

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

    Raises
    ------
    TypeError
        If ``name`` or ``label`` is not a str, ``grid`` is not a sequence
        of the kind's values, ``default`` is neither a number nor a str,
        or ``low`` or ``high`` is not a number (not an integer for
        ``"int"`` and ``"iterations"``).
    ValueError
        If ``name`` is not an identifier, ``kind`` not one of
        :data:`KINDS`, ``grid`` empty, repeated, decreasing or not finite
        (for ``"log"``: not positive or not evenly spaced in log10; for
        ``"iterations"``: below 1), ``default`` not one of ``grid``, or
        ``low`` and ``high`` do not enclose the grid.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).

    Examples
    --------
    >>> knob = Knob("lam", "log", (0.01, 0.1, 1.0), 0.1, "λ")
    >>> knob.default, knob.low, knob.high
    (0.1, 0.01, 1.0)
    >>> Knob("k", "int", (1, 2, 3), 7, "k")
    Traceback (most recent call last):
    ...
    ValueError: default must be one of grid, got 7
    """

    name: str
    kind: str
    grid: tuple
    default: object
    label: str
    low: object = None
    high: object = None

    def __post_init__(self):
        explorers.check_column(self.name, "name")
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
            grid = tuple(explorers.check_numbers(grid, "grid"))
            if self.kind == "log" and grid[0] <= 0:
                raise ValueError("a log knob's grid must be positive")
            if self.kind == "log":
                # As the explorer's log slider steps: evenly in log10.
                logs = [round(math.log10(g), 12) for g in grid]
                if not explorers.evenly_spaced(logs):
                    raise ValueError(
                        f"log10 of grid must be evenly spaced, got {logs}"
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
            explorers.check_grid_value(
                self.default, grid, "default", "grid"
            ),
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

        Returns
        -------
        recsys_lessons.explorers.Control
            Radio buttons for ``"options"``, a slider over log10 of the
            values for ``"log"``, a slider over the values for an evenly
            spaced ``"int"`` grid, else a slider over the positions.

        Raises
        ------
        ImportError
            If Altair is not installed (the ``explorers`` extra).

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> Knob("k", "int", (1, 2, 3), 2, "k").control().signals
        (1, 2, 3)
        >>> Knob("k", "int", (1, 2, 5), 2, "k").control().signals
        (0, 1, 2)
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
        if self.kind == "int" and explorers.evenly_spaced(self.grid):
            return explorers.slider(
                self.name, self.grid, self.default, self.label, texts=texts
            )
        return explorers.step_slider(
            self.name, self.grid, self.default, self.label, texts=texts
        )

    def texts(self):
        """Each grid value as a reader hears it (:meth:`text`).

        Returns
        -------
        list of str

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> Knob("k", "int", (1, 2), 1, "k (factors)").texts()
        ['k = 1', 'k = 2']
        """
        return [self.text(v) for v in self.grid]

    def text(self, value):
        """A value of the knob as a reader hears it.

        The symbol before the label's parenthesis, "=", the value
        ("k = 2", "λ = 0.01"); an iterations knob counts ("40
        iterations"); a label ending in "#" numbers ("order #3"); an
        option is its name.

        Parameters
        ----------
        value : number or str
            Any finite number (not only the grid's), or one of an
            options knob's grid.

        Returns
        -------
        str

        Raises
        ------
        TypeError
            If ``value`` is not a number (for a knob over numbers).
        ValueError
            If ``value`` is not finite, or not one of an options knob's
            grid.

        Notes
        -----
        Used by: every Try it figure (not called in a chapter).

        Examples
        --------
        >>> Knob("lam", "log", (0.01, 0.1), 0.01, "λ").text(0.05)
        'λ = 0.05'
        >>> Knob("t", "iterations", (1, 40), 40, "iterations").text(1)
        '1 iteration'
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
