"""Auto-checked exercises: ``inputs(id)`` gives the data, ``check(id, answer)`` says whether
an answer is right (all chapters).

The expected answer is computed by the package when ``check`` is called, never
stored, so a checker cannot drift from the chapter that defines the method.
A classroom can use the same two calls in any notebook.

Example
-------
>>> from recsys_lessons import exercises
>>> data = exercises.inputs("ch1-objective")      # doctest: +SKIP
>>> exercises.check("ch1-objective", my_value)    # doctest: +SKIP

prints ``Correct: ...`` or ``Not yet. Hint: ...`` and returns True or False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["inputs", "check", "available"]


@dataclass(frozen=True)
class _Exercise:
    title: str
    make_inputs: Callable[[], dict]
    solve: Callable[..., object]
    rtol: float = 1e-6
    hint: str = ""


def _toy_factors():
    from .data import toy_ratings

    rng = np.random.default_rng(2024)
    return {
        "R": toy_ratings(),
        "U": np.round(rng.normal(size=(5, 2)), 1),
        "V": np.round(rng.normal(size=(5, 2)), 1),
        "lam": 0.1,
    }


def _ch1_solve(R, U, V, lam):
    from . import mf

    return mf.objective(R, U, V, lam, "plain")


def _ch2_inputs():
    data = _toy_factors()
    data["user"] = 2
    return data


def _ch2_solve(R, U, V, lam, user):
    from . import als

    return als.solve_factors(R, V, lam, "weighted")[user]


def _ch3_inputs():
    from .data import toy_ratings

    return {"R": toy_ratings(), "k": 2}


def _ch3_solve(R, k):
    from . import svd

    return svd.truncated_svd(R, min(R.shape)).energy()[k - 1]


_EXERCISES = {
    "ch1-objective": _Exercise(
        "Chapter 1: the objective J(U, V) with plain regularization",
        _toy_factors,
        _ch1_solve,
        hint="Sum squared errors over observed entries only, then add lam * (sum of |u_i|^2 + sum of |v_j|^2) once.",
    ),
    "ch2-user-update": _Exercise(
        "Chapter 2: one ALS-WR user update",
        _ch2_inputs,
        _ch2_solve,
        hint="Use only the items this user rated; the ridge term is lam * n_i * I with n_i that user's number of ratings.",
    ),
    "ch3-energy": _Exercise(
        "Chapter 3: energy captured by the first k singular values",
        _ch3_inputs,
        _ch3_solve,
        hint="Centre each user's observed ratings by that user's mean, leave missing entries at 0, then sum sigma_l^2 for l <= k over the sum of all.",
    ),
}


def available():
    """Ids of the auto-checked exercises, in chapter order."""
    return list(_EXERCISES)


def _exercise(exercise_id):
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string, got {type(exercise_id).__name__}")
    if exercise_id not in _EXERCISES:
        raise ValueError(f"exercise_id must be one of {available()}, got {exercise_id!r}")
    return _EXERCISES[exercise_id]


def inputs(exercise_id):
    """The data an exercise works on (a fresh copy each call)."""
    return _exercise(exercise_id).make_inputs()


def check(exercise_id, answer, *, quiet=False):
    """Compare ``answer`` with the package's own answer; print a verdict and return it.

    Parameters
    ----------
    exercise_id : str
        One of :func:`available`.
    answer : number or array
    quiet : bool
        Return the verdict without printing.

    Returns
    -------
    bool
    """
    ex = _exercise(exercise_id)
    expected = np.asarray(ex.solve(**ex.make_inputs()), dtype=np.float64)
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a number or an array of numbers, got {type(answer).__name__}") from None
    if got.shape != expected.shape:
        ok, message = False, f"Not yet: expected shape {expected.shape}, got {got.shape}."
    elif not np.all(np.isfinite(got)):
        ok, message = False, "Not yet: your answer contains NaN or infinity."
    elif np.allclose(got, expected, rtol=ex.rtol, atol=1e-9):
        shown = np.array2string(np.round(expected, 4)) if expected.ndim else f"{float(expected):.4f}"
        ok, message = True, f"Correct: {shown} (tolerance {ex.rtol:g} relative)."
    else:
        ok, message = False, f"Not yet. Hint: {ex.hint}"
    if not quiet:
        print(message)
    return ok
