"""Each checker accepts an independent answer and rejects a wrong one.

The independent answers are computed with plain loops / NumPy.
"""

import math

import numpy as np
import pytest

from recsys_lessons import exercises


def loop_objective(R, U, V, lam):
    total = sum(
        (R[i, j] - U[i] @ V[j]) ** 2
        for i in range(R.shape[0])
        for j in range(R.shape[1])
        if R[i, j]
    )
    return total + lam * (np.sum(U**2) + np.sum(V**2))


def numpy_user_update(R, U, V, lam, user):
    rated = R[user] != 0
    Vs = V[rated]
    return np.linalg.solve(
        Vs.T @ Vs + lam * rated.sum() * np.eye(V.shape[1]),
        Vs.T @ R[user, rated],
    )


def numpy_energy(R, k):
    A = np.zeros_like(R)
    for i in range(R.shape[0]):
        seen = R[i] != 0
        A[i, seen] = R[i, seen] - R[i, seen].mean()
    s = np.linalg.svd(A, compute_uv=False)
    return np.sum(s[:k] ** 2) / np.sum(s**2)


def loop_bpr_step(U, V, triple, lam, learning_rate):
    u, i, j = triple
    x = sum(U[u, f] * (V[i, f] - V[j, f]) for f in range(U.shape[1]))
    g = 1.0 / (1.0 + math.exp(x))
    new_u = [
        U[u, f]
        + learning_rate * (g * (V[i, f] - V[j, f]) - 2 * lam * U[u, f])
        for f in range(U.shape[1])
    ]
    new_i = [
        V[i, f] + learning_rate * (g * U[u, f] - 2 * lam * V[i, f])
        for f in range(U.shape[1])
    ]
    new_j = [
        V[j, f] + learning_rate * (-g * U[u, f] - 2 * lam * V[j, f])
        for f in range(U.shape[1])
    ]
    return np.array(new_u + new_i + new_j)


def swap_lambdas(scores, relevance, gamma):
    # |dNDCG| of each pair by actually swapping the two items and
    # recomputing NDCG by hand
    def ndcg(order):
        gains = [2 ** relevance[d] - 1 for d in order]
        ideal = sorted((2**r - 1 for r in relevance), reverse=True)
        dcg = sum(g / math.log2(p + 2) for p, g in enumerate(gains))
        return dcg / sum(g / math.log2(p + 2) for p, g in enumerate(ideal))

    order = sorted(range(len(scores)), key=lambda d: (-scores[d], d))
    base = ndcg(order)
    lam = np.zeros(len(scores))
    for i in range(len(scores)):
        for j in range(len(scores)):
            if relevance[i] > relevance[j]:
                swapped = [
                    j if d == i else i if d == j else d for d in order
                ]
                delta = abs(ndcg(swapped) - base)
                lij = (
                    -gamma
                    * delta
                    / (1 + math.exp(gamma * (scores[i] - scores[j])))
                )
                lam[i] += lij
                lam[j] -= lij
    return lam


def hand_metrics(ranked_relevance, k):
    top = list(ranked_relevance[:k])
    dcg = sum(r / math.log2(p + 2) for p, r in enumerate(top))
    ideal = sorted(ranked_relevance, reverse=True)[:k]
    idcg = sum(r / math.log2(p + 2) for p, r in enumerate(ideal))
    hits, total = 0, 0.0
    for p, r in enumerate(top, start=1):
        if r > 0:
            hits += 1
            total += hits / p
    n_relevant = sum(1 for r in ranked_relevance if r > 0)
    return np.array([dcg / idcg, total / n_relevant])


ORACLES = {
    "ch1-objective": loop_objective,
    "ch2-user-update": numpy_user_update,
    "ch3-energy": numpy_energy,
    "ch4-bpr-step": loop_bpr_step,
    "ch5-lambdas": swap_lambdas,
    "ch6-metrics": hand_metrics,
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
    assert (
        exercises.check(
            exercise_id, np.append(np.atleast_1d(right), 1.0), quiet=True
        )
        is False
    )


def test_bad_exercise_id_and_answer():
    with pytest.raises(ValueError, match="exercise_id must be one of"):
        exercises.check("ch9", 1.0)
    with pytest.raises(TypeError, match="answer must be a number"):
        exercises.check("ch1-objective", "fifty")
