"""Shared controls: k, lambda on a log scale, iterations (all chapters).

Sliders update on release (``continuous_update=False``) so that a drag
re-fits a model once, not at every pixel. :func:`live_explorer` is the live
version of a chapter's Try it figure (:mod:`recsys_lessons.tryit`) in a
running kernel: these controls, over the whole range, and the figure drawn
for whatever setting they hold. The rendered book shows the explorer
instead, which needs no kernel.
"""

from __future__ import annotations

import math

from ._extras import require
from ._validation import check_float, check_int

w = require("ipywidgets", "widgets")
_display = require("IPython.display", "widgets")
DisplayHandle, display = _display.DisplayHandle, _display.display

__all__ = [
    "k_slider",
    "lam_slider",
    "iterations_slider",
    "choice",
    "knob_widget",
    "live_explorer",
]

_LAYOUT = {"width": "420px"}
_STYLE = {"description_width": "110px"}


def _text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def _int_range(low, high):
    low = check_int(low, "low")
    high = check_int(high, "high")
    if low > high:
        raise ValueError(f"low must be <= high, got {low} > {high}")
    return low, high


def k_slider(value=5, low=1, high=30, description="k (factors)"):
    """Integer slider for the number of latent factors.

    ``low <= value <= high`` are integers; ``description`` is a str.
    """
    low, high = _int_range(low, high)
    value = check_int(value, "value", low=low, high=high)
    description = _text(description, "description")
    return w.IntSlider(
        value=value,
        min=low,
        max=high,
        step=1,
        description=description,
        continuous_update=False,
        layout=_LAYOUT,
        style=_STYLE,
    )


_LOG_STEP = 0.25  # a quarter decade per slider step


def lam_slider(
    value=0.1, low_exp=-4, high_exp=1, description="λ (log scale)"
):
    """Slider over ``10**low_exp .. 10**high_exp`` on a log scale.

    ``low_exp < high_exp`` are integers in [-300, 300] (so that both
    bounds are finite floats) and ``value`` lies between the bounds.
    The steps (a quarter decade each) are laid out from ``value``, so
    that a default such as 0.05 is a slider position the reader can
    return to; the ends then reach just past ``10**low_exp`` and
    ``10**high_exp`` when ``value`` is not a quarter-decade point.
    """
    low_exp = check_int(low_exp, "low_exp", low=-300, high=300)
    high_exp = check_int(high_exp, "high_exp", low=-300, high=300)
    if low_exp >= high_exp:
        raise ValueError(
            f"low_exp must be < high_exp, got {low_exp} >= {high_exp}"
        )
    description = _text(description, "description")
    value = check_float(
        value, "value", low=10.0**low_exp, high=10.0**high_exp
    )
    anchor = math.log10(value)
    below = math.ceil((anchor - low_exp) / _LOG_STEP - 1e-9)
    above = math.ceil((high_exp - anchor) / _LOG_STEP - 1e-9)
    return w.FloatLogSlider(
        value=value,
        base=10,
        min=anchor - below * _LOG_STEP,
        max=anchor + above * _LOG_STEP,
        step=_LOG_STEP,
        description=description,
        continuous_update=False,
        # The value as the book writes it (0.01, not 1.0e-2).
        readout_format=".3g",
        layout=_LAYOUT,
        style=_STYLE,
    )


def iterations_slider(value=20, low=1, high=50, description="iterations"):
    """Integer slider for iterations or epochs.

    ``low <= value <= high`` are integers; ``description`` is a str.
    """
    low, high = _int_range(low, high)
    value = check_int(value, "value", low=low, high=high)
    description = _text(description, "description")
    return w.IntSlider(
        value=value,
        min=low,
        max=high,
        step=1,
        description=description,
        continuous_update=False,
        layout=_LAYOUT,
        style=_STYLE,
    )


def choice(options, value=None, description="kind"):
    """Toggle buttons for a small option set (e.g. regularization kind)."""
    if isinstance(options, (str, bytes)) or not hasattr(
        options, "__iter__"
    ):
        raise TypeError(
            "options must be a list or tuple of labels, "
            f"got {type(options).__name__}"
        )
    options = list(options)
    if not options:
        raise ValueError("options must not be empty")
    for opt in options:
        if not isinstance(opt, (str, int, float)):
            raise TypeError(
                "options must be labels (str or number), "
                f"got {type(opt).__name__}"
            )
    if len(set(options)) != len(options):
        raise ValueError(f"options must be distinct, got {options}")
    description = _text(description, "description")
    value = options[0] if value is None else value
    if value not in options:
        raise ValueError(f"value must be one of {options}, got {value!r}")
    return w.ToggleButtons(
        options=options, value=value, description=description, style=_STYLE
    )


class Controls(w.VBox):
    """The controls of :func:`live_explorer`.

    Saved in a notebook, a widget's plain-text fallback is what a reader
    sees before any kernel has run; ipywidgets' default is the widget's
    repr (``VBox(children=(FloatLogSlider(...``). This one names the
    controls and says how to move them.
    """

    def __repr__(self):
        names = ", ".join(
            c.description for c in self.children if c.description
        )
        return (
            f"[Controls: {names}. Run this cell in Jupyter to move them; "
            "the figure above redraws in place.]"
        )


def knob_widget(knob):
    """The ipywidget of a Try it knob, over its live range.

    ``"int"`` and ``"iterations"`` knobs get an integer slider from
    ``low`` to ``high``, ``"log"`` knobs a quarter-decade log slider
    spanning ``low .. high`` rounded out to whole decades, ``"options"``
    knobs toggle buttons; each starts at the knob's default.

    Notes
    -----
    Used by: every chapter's Try it figure (not called in a chapter).
    """
    from .tryit import Knob

    if not isinstance(knob, Knob):
        raise TypeError(f"knob must be a Knob, got {type(knob).__name__}")
    if knob.kind == "options":
        return choice(list(knob.grid), knob.default, knob.label)
    if knob.kind == "log":
        low_exp = math.floor(math.log10(knob.low) + 1e-9)
        # At least one decade, for a knob whose range is one power of ten.
        high_exp = max(math.ceil(math.log10(knob.high) - 1e-9), low_exp + 1)
        return lam_slider(
            knob.default,
            low_exp,
            high_exp,
            description=f"{knob.label} (log scale)",
        )
    return k_slider(knob.default, knob.low, knob.high, knob.label)


def live_explorer(tryit, *, cache_size=64):
    """The live version of a Try it figure: ipywidgets and the same panels.

    Shows the figure of :func:`recsys_lessons.tryit.single` for the
    knobs' defaults, then the knobs' widgets (:func:`knob_widget`); a
    change calls the figure's ``compute`` for the new setting (any value
    of the widgets' ranges, not only the explorer's grid) and replaces the
    figure in place. Settings already seen are kept (the last
    ``cache_size``), so returning to one redraws without a fit.

    Returns
    -------
    Controls
        The widgets (already displayed); ``controls.timings`` lists the
        seconds each redraw took in the kernel (compute and chart).

    Notes
    -----
    Defined in: Chapter 2.
    """
    import html
    import time
    from collections import OrderedDict

    from .tryit import LiveFigure

    draw = LiveFigure(tryit)  # refuses anything but a TryIt, by name
    cache_size = check_int(cache_size, "cache_size", low=1, high=10_000)
    knobs = {k.name: knob_widget(k) for k in tryit.knobs}
    seen = OrderedDict()

    # The figure's numbers, as text in a live region: a screen reader
    # announces them after each change (the chart's caption is SVG).
    status = w.HTML(layout={"width": _LAYOUT["width"]})

    def figure():
        setting = {name: ctl.value for name, ctl in knobs.items()}
        key = tuple(setting.items())
        if key not in seen:
            chart = draw(setting)
            seen[key] = (chart, tryit.readout(setting, draw.table))
            if len(seen) > cache_size:
                seen.popitem(last=False)
        seen.move_to_end(key)
        chart, said = seen[key]
        status.value = (
            '<p role="status" aria-live="polite" aria-atomic="true">'
            f"{html.escape(said)}</p>"
        )
        return chart

    box = Controls([*knobs.values(), status])
    box.status = status
    box.timings = []
    handle = DisplayHandle()
    handle.display(figure())

    def on_change(_):
        start = time.perf_counter()
        shown = figure()
        box.timings.append(time.perf_counter() - start)
        handle.update(shown)

    for ctl in knobs.values():
        ctl.observe(on_change, names="value")
    box.redraw = figure
    display(box)
    return box
