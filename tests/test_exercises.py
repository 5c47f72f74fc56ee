"""Each checker accepts an answer computed independently (plain loops / NumPy) and rejects a wrong one."""

import numpy as np
import pytest

from recsys_lessons import exercises


def loop_objective(R, U, V, lam):
    total = sum((R[i, j] - U[i] @ V[j]) ** 2 for i in range(R.shape[0]) for j in range(R.shape[1]) if R[i, j])
    return total + lam * (np.sum(U**2) + np.sum(V**2))


def numpy_user_update(R, U, V, lam, user):
    rated = R[user] != 0
    Vs = V[rated]
    return np.linalg.solve(Vs.T @ Vs + lam * rated.sum() * np.eye(V.shape[1]), Vs.T @ R[user, rated])


def numpy_energy(R, k):
    A = np.zeros_like(R)
    for i in range(R.shape[0]):
        seen = R[i] != 0
        A[i, seen] = R[i, seen] - R[i, seen].mean()
    s = np.linalg.svd(A, compute_uv=False)
    return np.sum(s[:k] ** 2) / np.sum(s**2)


ORACLES = {
    "ch1-objective": loop_objective,
    "ch2-user-update": numpy_user_update,
    "ch3-energy": numpy_energy,
}


def test_every_exercise_has_an_independent_oracle():
    assert set(exercises.available()) == set(ORACLES)


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_checker_accepts_right_and_rejects_wrong(exercise_id, capsys):
    right = ORACLES[exercise_id](**exercises.inputs(exercise_id))
    assert exercises.check(exercise_id, right) is True
    assert capsys.readouterr().out.startswith("Correct")
    wrong = np.asarray(right) * 1.01 + 0.01
    assert exercises.check(exercise_id, wrong) is False
    assert "Hint" in capsys.readouterr().out
    assert exercises.check(exercise_id, np.append(np.atleast_1d(right), 1.0), quiet=True) is False


def test_bad_exercise_id_and_answer():
    with pytest.raises(ValueError, match="exercise_id must be one of"):
        exercises.check("ch9", 1.0)
    with pytest.raises(TypeError, match="answer must be a number"):
        exercises.check("ch1-objective", "fifty")
