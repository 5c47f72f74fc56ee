"""Shared controls: k, lambda on a log scale, iterations (all chapters).

Sliders update on release (``continuous_update=False``) so that a drag
re-fits a model once, not at every pixel. :func:`live` shows the figure of
the default setting as an ordinary output, so that the rendered book (no
kernel) is complete, and updates that output in place when a control moves.
"""

from __future__ import annotations

import math

from ._extras import require
from ._validation import check_float, check_int

w = require("ipywidgets", "widgets")
plt = require("matplotlib.pyplot", "widgets")
_display = require("IPython.display", "widgets")
DisplayHandle, display = _display.DisplayHandle, _display.display

__all__ = ["k_slider", "lam_slider", "iterations_slider", "choice", "live"]

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
        readout_format=".1e",
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


def live(draw, **controls):
    """Show ``draw(**values)``'s figure above live controls.

    The figure, drawn for the default values, is an ordinary output (so
    the rendered book, with no kernel, shows the default setting) with a
    display id; moving a control re-runs ``draw`` and replaces that same
    output in place.

    Parameters
    ----------
    draw : callable
        Called with one keyword per control; it draws on a new Matplotlib
        figure.
    **controls : ipywidgets
        Name -> widget, e.g. ``k=k_slider()``.

    Returns
    -------
    ipywidgets.VBox
        The controls (already displayed).
    """
    if not callable(draw):
        raise TypeError("draw must be callable")
    for name, ctl in controls.items():
        if not isinstance(ctl, w.ValueWidget):
            raise TypeError(
                f"control {name!r} must be an ipywidgets value widget, "
                f"got {type(ctl).__name__}"
            )

    def render():
        draw(**{name: ctl.value for name, ctl in controls.items()})
        fig = plt.gcf()
        # Closed so that the inline backend does not show it a second time.
        plt.close(fig)
        return fig

    handle = DisplayHandle()
    handle.display(render())

    def on_change(_):
        handle.update(render())

    for ctl in controls.values():
        ctl.observe(on_change, names="value")
    box = Controls(list(controls.values()))
    display(box)
    return box


class Controls(w.VBox):
    """The controls of :func:`live`.

    Saved in a notebook, a widget's plain-text fallback is what a reader
    sees before any kernel has run; ipywidgets' default is the widget's
    repr (``VBox(children=(FloatLogSlider(...``). This one names the
    controls and says how to move them.
    """

    def __repr__(self):
        names = ", ".join(c.description for c in self.children)
        return (
            f"[Controls: {names}. Run this cell in Jupyter to move them; "
            "the figure above redraws in place.]"
        )
