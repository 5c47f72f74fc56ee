"""Shared by the Try it tests (tests/test_tryit*.py).

``one_numba_thread()``: the compiled kernels on one thread for a while, as
``tryit.grid_table`` fits (a parallel reduction's last digits depend on the
thread count). ``grid_table(fig)``: the explorer's table, so computed.
``chapter_figures()``: each chapter's figure, by module name.
``assert_live_ranges(fig, ends)``: ``fig.check`` accepts the documented
ends of each knob's live range and refuses values just outside.
"""

import contextlib
import importlib
import pkgutil

import numba
import pytest

from recsys_lessons import tryit


def chapter_figures():
    """Module name -> ``TRY_IT``, for every module of ``tryit`` that
    defines one: that is what a chapter figure is (``knob``, ``figure``,
    ``calls`` and ``live`` are the figures' machinery)."""
    found = {}
    for info in pkgutil.iter_modules(tryit.__path__):
        module = importlib.import_module(
            f"recsys_lessons.tryit.{info.name}"
        )
        if hasattr(module, "TRY_IT"):
            found[info.name] = module.TRY_IT
    return found


@contextlib.contextmanager
def one_numba_thread():
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def grid_table(fig):
    with one_numba_thread():
        return tryit.grid_table(fig)


def assert_live_ranges(fig, ends):
    """``ends``: knob name -> (low, high), integers for integer knobs."""
    for name, (low, high) in ends.items():
        if isinstance(low, int):
            inside, outside = (low, high), (low - 1, high + 1)
        else:
            # The ends up to rounding, and one percent past them.
            inside = (low * 1.001, high / 1.001)
            outside = (low / 1.01, high * 1.01)
        for value in inside:
            fig.check(**{**fig.default, name: value})
        for value in outside:
            with pytest.raises(ValueError):
                fig.check(**{**fig.default, name: value})
