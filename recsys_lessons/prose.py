"""Numbers for the book's prose, recorded by the cell that computes them.

A chapter's markdown writes {glue:text}`ch02-test-rmse:.3f` where it quotes
a number; a hidden cell computes the number and calls :func:`glue`. When the
book is built, MyST-NB puts the recorded value into the sentence, so the
prose cannot drift from the computation.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np

__all__ = ["glue"]

# MyST-NB's glue format: the value's text/plain under this mime-type
# prefix (front ends draw nothing for it), and its name in the output's
# "scrapbook" metadata.
GLUE_PREFIX = "application/papermill.record/"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def glue(name, value):
    """Record a number under ``name`` for ``{glue:text}`` in the prose.

    Writes the output MyST-NB's own ``glue(name, value, display=False)``
    writes, without needing ``myst_nb``, so the same cell runs on Colab
    and Binder as in the book build. It also prints ``name = value``: the
    book removes the cell, but a reader of the notebook in Jupyter or
    Colab, whose Markdown shows the role's name instead of the number,
    finds the number there.

    Parameters
    ----------
    name : str
        Lower-case letters, digits and ``-`` (e.g. ``"ch02-test-rmse"``),
        unique in the book.
    value : int or float (Python or NumPy), finite; not a bool
        Stored as a plain Python number, so that a format spec such as
        ``:.3f`` in the role applies to it.

    Raises
    ------
    TypeError
        If ``name`` is not a str or ``value`` not a real number.
    ValueError
        If ``name`` is not a label as above or ``value`` is NaN or
        infinite.

    Notes
    -----
    Used by: every chapter's prose numbers (not called in a chapter's
    visible code).

    Examples
    --------
    >>> from recsys_lessons.prose import glue
    >>> glue("ch00-answer", 42)
    ch00-answer = 42
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not _NAME.fullmatch(name):
        raise ValueError(
            "name must be lower-case letters, digits and '-', starting "
            f"with a letter or digit, got {name!r}"
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, numbers.Real
    ):
        raise TypeError(
            f"value must be a real number, got {type(value).__name__}"
        )
    value = value.item() if isinstance(value, np.generic) else value
    if not math.isfinite(value):
        raise ValueError(f"value must be finite, got {value}")
    from IPython.display import display

    display(
        {GLUE_PREFIX + "text/plain": repr(value)},
        metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
        raw=True,
    )
    print(f"{name} = {value!r}")
