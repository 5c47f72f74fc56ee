"""Progress bars for long loops (Part III).

Shown when a person runs a notebook, silent in builds.
"""

import numbers
import os

__all__ = ["QUIET_ENV_VAR", "progress"]

QUIET_ENV_VAR = "RECSYS_LESSONS_QUIET"


def progress(iterable, desc=None, total=None):
    """Wrap ``iterable`` in a ``tqdm`` progress bar.

    Unless ``$RECSYS_LESSONS_QUIET`` is set: then ``iterable`` is returned
    unwrapped. The Makefile sets the variable for ``make book``, ``make
    test`` and ``make notebooks``: a progress bar's output changes from run
    to run, so it must not end up in a stored notebook or the rendered book.

    Notes
    -----
    Defined in: Part III.
    """
    if not hasattr(iterable, "__iter__"):
        raise TypeError(
            f"iterable must be iterable, got {type(iterable).__name__}"
        )
    if desc is not None and not isinstance(desc, str):
        raise TypeError(
            f"desc must be None or a str, got {type(desc).__name__}"
        )
    if total is not None and (
        isinstance(total, bool) or not isinstance(total, numbers.Integral)
    ):
        raise TypeError(
            f"total must be None or an int, got {type(total).__name__}"
        )
    if total is not None and total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    if os.environ.get(QUIET_ENV_VAR):
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total)
