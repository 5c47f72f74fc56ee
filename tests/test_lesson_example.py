"""The lesson's ALS example, reproduced by the book's functions.

The oracle is a transcription of the lesson's code written here, with its
own loops, NumPy's legacy global seed and its print statements; the book's
side is what Chapter 2 runs: ``als.fit_als`` one sweep at a time from
``als.lesson_start`` with the weighted penalty, and the printed loss as
``mf.objective(..., "plain")``.
"""

# The lesson seeds and draws from NumPy's legacy global generator; the
# transcription does the same on purpose (and restores its state).
# ruff: noqa: NPY002

import contextlib
import io

import numpy as np
import pytest

from recsys_lessons import als, mf
from recsys_lessons.data import toy_ratings

# The lesson's example matrix, copied from its code.
LESSON_R = np.array(
    [
        [5, 3, 0, 1, 0],
        [4, 0, 0, 1, 0],
        [1, 1, 0, 5, 4],
        [0, 0, 5, 4, 0],
        [0, 1, 4, 0, 5],
    ],
    dtype=float,
)


def _lesson_als(R, k=10, lam=0.1, n_iters=20):
    # The lesson's function, line for line (its indentation restored).
    m, n = R.shape
    mask = (R != 0).astype(float)
    np.random.seed(42)
    U = np.random.randn(m, k) * 0.1
    V = np.random.randn(n, k) * 0.1
    for iteration in range(n_iters):
        for i in range(m):
            rated = np.where(mask[i] > 0)[0]
            if len(rated) == 0:
                continue
            V_rated = V[rated]
            r_i = R[i, rated]
            A = V_rated.T @ V_rated + lam * len(rated) * np.eye(k)
            b = V_rated.T @ r_i
            U[i] = np.linalg.solve(A, b)
        for j in range(n):
            users = np.where(mask[:, j] > 0)[0]
            if len(users) == 0:
                continue
            U_users = U[users]
            r_j = R[users, j]
            A = U_users.T @ U_users + lam * len(users) * np.eye(k)
            b = U_users.T @ r_j
            V[j] = np.linalg.solve(A, b)
        pred = U @ V.T
        loss = np.sum(mask * (R - pred) ** 2) + lam * (
            np.sum(U**2) + np.sum(V**2)
        )
        if iteration % 5 == 0:
            print(f" Iteration {iteration}: loss = {loss:.4f}")
    return U, V


def _lesson_script():
    # The lesson's example script; returns its printed text and factors.
    saved = np.random.get_state()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), np.printoptions():
            R = LESSON_R.copy()
            print("ALS Matrix Factorization (k=2):")
            U, V = _lesson_als(R, k=2, lam=0.01, n_iters=20)
            predictions = U @ V.T
            print("\nPredicted ratings (full matrix):")
            print(np.round(predictions, 1))
            print(
                "\nPrediction for user 0, item 2 (unobserved): "
                f"{predictions[0, 2]:.2f}"
            )
            print(
                "Prediction for user 1, item 1 (unobserved): "
                f"{predictions[1, 1]:.2f}"
            )
    finally:
        np.random.set_state(saved)
    return out.getvalue(), U, V


def _book_run(k=2, lam=0.01, n_iters=20):
    # Chapter 2's way: one fit_als sweep at a time, plain-objective loss.
    R = toy_ratings()
    U, V = als.lesson_start(*R.shape, k)
    loss_lines = []
    for iteration in range(n_iters):
        step = als.fit_als(
            R, k, lam, n_iters=1, penalty="weighted", init=(U, V)
        )
        U, V = step.U, step.V
        loss = mf.objective(R, U, V, lam, penalty="plain")
        if iteration % 5 == 0:
            loss_lines.append(f" Iteration {iteration}: loss = {loss:.4f}")
    return loss_lines, U, V


@pytest.fixture(scope="module")
def lesson():
    return _lesson_script()


@pytest.fixture(scope="module")
def book():
    return _book_run()


def test_toy_matrix_is_the_lessons_matrix():
    assert np.array_equal(toy_ratings(), LESSON_R)


def test_lesson_start_is_the_global_seed_42_draw_and_leaves_it_alone():
    saved = np.random.get_state()
    try:
        np.random.seed(42)
        U_global = np.random.randn(5, 2) * 0.1
        V_global = np.random.randn(5, 2) * 0.1
        np.random.seed(7)
        before = np.random.get_state()[1].copy()
        U0, V0 = als.lesson_start(5, 5, 2)
        assert np.array_equal(np.random.get_state()[1], before)
    finally:
        np.random.set_state(saved)
    assert np.array_equal(U0, U_global) and np.array_equal(V0, V_global)


def test_loss_lines_are_the_lessons(lesson, book):
    lesson_lines = lesson[0].splitlines()
    printed = [line for line in lesson_lines if "Iteration" in line]
    assert len(printed) == 4
    assert book[0] == printed
    assert lesson_lines[0] == "ALS Matrix Factorization (k=2):"


def test_predicted_matrix_and_stated_predictions_are_the_lessons(
    lesson, book
):
    text = lesson[0]
    _, U, V = book
    pred = U @ V.T
    with np.printoptions():
        matrix = str(np.round(pred, 1))
    assert "Predicted ratings (full matrix):\n" + matrix + "\n" in text
    assert np.array_equal(
        np.round(pred, 1), np.round(lesson[1] @ lesson[2].T, 1)
    )
    assert f"user 0, item 2 (unobserved): {pred[0, 2]:.2f}\n" in text
    assert f"user 1, item 1 (unobserved): {pred[1, 1]:.2f}\n" in text


def test_factors_agree(lesson, book):
    assert np.max(np.abs(book[1] - lesson[1])) < 1e-10
    assert np.max(np.abs(book[2] - lesson[2])) < 1e-10


def test_one_twenty_sweep_fit_equals_twenty_single_sweeps(book):
    R = toy_ratings()
    fit = als.fit_als(
        R,
        2,
        0.01,
        n_iters=20,
        penalty="weighted",
        init=als.lesson_start(5, 5, 2),
    )
    assert np.max(np.abs(fit.U - book[1])) < 1e-12
    assert np.max(np.abs(fit.V - book[2])) < 1e-12


def test_lesson_start_rejects_bad_input():
    with pytest.raises(ValueError, match="k"):
        als.lesson_start(5, 5, 0)
    with pytest.raises(TypeError, match="n_users"):
        als.lesson_start(5.0, 5, 2)
