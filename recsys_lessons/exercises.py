"""Auto-checked exercises (all chapters).

``inputs(id)`` gives the data, ``check(id, answer)`` says whether an answer
is right. The expected answer is computed by the package when ``check`` is
called, never stored, so a checker cannot drift from the chapter that
defines the method. A classroom can use the same two calls in any notebook.

Example
-------
>>> from recsys_lessons import exercises
>>> data = exercises.inputs("ch1-objective")      # doctest: +SKIP
>>> exercises.check("ch1-objective", my_value)    # doctest: +SKIP

prints ``Correct: ...`` or ``Not yet. Hint: ...`` and returns True or False.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validation import as_numeric_array, check_bool

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

    return mf.objective(R, U, V, lam, penalty="plain")


def _ch2_inputs():
    data = _toy_factors()
    data["user"] = 2
    return data


def _ch2_solve(R, U, V, lam, user):
    from . import als

    return als.solve_factors(R, V, lam, penalty="weighted")[user]


def _ch3_inputs():
    from .data import toy_ratings

    return {"R": toy_ratings(), "k": 2}


def _ch3_solve(R, k):
    from . import svd

    return svd.truncated_svd(R, min(R.shape)).energy()[k - 1]


def _ch4_inputs():
    rng = np.random.default_rng(7)
    return {
        "U": np.round(rng.normal(size=(3, 2)), 1),
        "V": np.round(rng.normal(size=(4, 2)), 1),
        "triple": (1, 0, 3),
        "lam": 0.05,
        "learning_rate": 0.5,
    }


def _ch4_solve(U, V, triple, lam, learning_rate):
    from . import bpr

    U, V = U.copy(), V.copy()
    bpr.sgd_epoch(U, V, np.array([triple]), learning_rate, lam)
    return np.concatenate([U[triple[0]], V[triple[1]], V[triple[2]]])


def _ch5_inputs():
    return {
        "scores": np.array([0.3, 1.2, -0.4, 0.9, 0.0]),
        "relevance": np.array([2.0, 0.0, 3.0, 1.0, 0.0]),
        "gamma": 1.0,
    }


def _ch5_solve(scores, relevance, gamma):
    from . import lambdarank

    return lambdarank.lambda_gradients(scores, relevance, gamma)


def _ch6_inputs():
    return {
        "ranked_relevance": np.array([0.0, 2.0, 1.0, 0.0, 3.0, 1.0]),
        "k": 4,
    }


def _ch6_solve(ranked_relevance, k):
    from . import metrics

    return np.array(
        [
            metrics.ndcg_at_k(ranked_relevance, k, "linear"),
            metrics.average_precision(ranked_relevance, k),
        ]
    )


_EXERCISES = {
    "ch1-objective": _Exercise(
        "Chapter 1: the objective J(U, V) with plain regularization",
        _toy_factors,
        _ch1_solve,
        hint=(
            "Sum squared errors over observed entries only, then add "
            "lam * (sum of |u_i|^2 + sum of |v_j|^2) once."
        ),
    ),
    "ch2-user-update": _Exercise(
        "Chapter 2: one ALS-WR user update",
        _ch2_inputs,
        _ch2_solve,
        hint=(
            "Use only the items this user rated; the ridge term is "
            "lam * n_i * I with n_i that user's number of ratings."
        ),
    ),
    "ch3-energy": _Exercise(
        "Chapter 3: energy captured by the first k singular values",
        _ch3_inputs,
        _ch3_solve,
        hint=(
            "Centre each user's observed ratings by that user's mean, "
            "leave missing entries at 0, then divide the sum of s_l^2 "
            "for l <= k (s_l the singular values) by the sum of all."
        ),
    ),
    "ch4-bpr-step": _Exercise(
        "Chapter 4: one BPR SGD step; answer [u_u, v_i, v_j] after the "
        "step, concatenated",
        _ch4_inputs,
        _ch4_solve,
        hint=(
            "g = 1 - sigma(x) with x = u.(v_i - v_j); the penalty "
            "lam * |theta|^2 has gradient 2 * lam * theta; every update "
            "uses the factors from before the step."
        ),
    ),
    "ch5-lambdas": _Exercise(
        "Chapter 5: the LambdaRank forces Lambda_i = dC/ds_i of one list "
        "(exponential gain, no truncation)",
        _ch5_inputs,
        _ch5_solve,
        hint=(
            "Only pairs with y_i > y_j count; Lambda_ij = -gamma |dNDCG_ij|"
            " / (1 + exp(gamma (s_i - s_j))), added to Lambda_i and"
            " subtracted from Lambda_j."
        ),
    ),
    "ch6-metrics": _Exercise(
        (
            "Chapter 6: [NDCG@k with linear gain, AP@k with all relevant "
            "items in the list as denominator]"
        ),
        _ch6_inputs,
        _ch6_solve,
        hint=(
            "NDCG: the ideal list is the labels sorted in decreasing "
            "order; AP: average P@p over the relevant positions p <= k, "
            "divided by the number of relevant items in the list."
        ),
    ),
}


def available():
    """Ids of the auto-checked exercises, in chapter order."""
    return list(_EXERCISES)


def _exercise(exercise_id):
    if not isinstance(exercise_id, str):
        raise TypeError(
            "exercise_id must be a string, got "
            f"{type(exercise_id).__name__}"
        )
    if exercise_id not in _EXERCISES:
        raise ValueError(
            f"exercise_id must be one of {available()}, got {exercise_id!r}"
        )
    return _EXERCISES[exercise_id]


def inputs(exercise_id):
    """The data an exercise works on (a fresh copy each call).

    ``exercise_id``: a string, one of :func:`available`.
    """
    return _exercise(exercise_id).make_inputs()


def check(exercise_id, answer, *, quiet=False):
    """Compare ``answer`` with the package's own; print, return a verdict.

    Parameters
    ----------
    exercise_id : str
        One of :func:`available`.
    answer : number or array of real numbers
        Not None, a string, complex or ragged; a wrong shape or NaN is a
        wrong answer ("Not yet"), not an error.
    quiet : bool
        Return the verdict without printing.

    Returns
    -------
    bool
    """
    ex = _exercise(exercise_id)
    quiet = check_bool(quiet, "quiet")
    try:
        got = as_numeric_array(answer, "answer").astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "answer must be a number or an array of numbers, got "
            f"{type(answer).__name__}"
        ) from None
    expected = np.asarray(ex.solve(**ex.make_inputs()), dtype=np.float64)
    if got.shape != expected.shape:
        ok, message = (
            False,
            f"Not yet: expected shape {expected.shape}, got {got.shape}.",
        )
    elif not np.all(np.isfinite(got)):
        ok, message = (
            False,
            "Not yet: your answer contains NaN or infinity.",
        )
    elif np.allclose(got, expected, rtol=ex.rtol, atol=1e-9):
        # Printed lines fit the book's code column (76 characters).
        shown = (
            np.array2string(np.round(expected, 4), max_line_width=76)
            if expected.ndim
            else f"{float(expected):.4f}"
        )
        ok, message = (
            True,
            f"Correct (tolerance {ex.rtol:g} relative):\n{shown}",
        )
    else:
        ok, message = False, f"Not yet. Hint: {ex.hint}"
    if not quiet:
        print("\n".join(textwrap.fill(t, 76) for t in message.splitlines()))
    return ok
