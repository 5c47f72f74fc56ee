"""Graded exercises of Chapter 2 (notebooks/02_als.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (a zero gradient, a hand-computed case), never the
  answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

Ratings use the book's convention: 0 = unobserved.
"""

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import als, exercises, mf  # for your own checks
from recsys_lessons.data import toy_ratings

R = toy_ratings()  # the lesson's 5 x 5 matrix, 0 = unobserved
"""

QUESTIONS = [
    {"label": "ex-ch2-user", "function": "als_user_update", "points": 3},
    {
        "label": "ex-ch2-sweep",
        "function": "als_sweep",
        "points": 3,
        # Graded with the reference user update in place of the student's.
        "uses": ["als_user_update"],
    },
    {
        "label": "ex-ch2-weighted-objective",
        "function": "weighted_objective",
        "points": 2,
    },
    {
        "label": "ex-ch2-item",
        "points": 2,
        "rubric": """
            1 point for the gradient with respect to v_j (both the data
            term over the users who rated j and the penalty 2 lam w_j v_j);
            1 point for the normal equations and the statement that only
            the users in Omega^j enter (an unrated item gets v_j = 0).
        """,
    },
    {
        "label": "ex-ch2-lambda-zero",
        "points": 2,
        "rubric": """
            1 point for the failure (a singular k x k system: users or
            items with fewer than k = 4 ratings, so no single minimizer;
            als_reference refuses it, where np.linalg.solve would raise
            LinAlgError or return numbers set by rounding); 1 point for
            what fit_als does (the minimum-norm least-squares solution,
            with nothing in the directions no rating constrains, the
            lam -> 0 limit of the ridge solution).
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_als_user_update(als_user_update):
    # The update minimizes J_i: the gradient of J_i vanishes there.
    rng = np.random.default_rng(0)
    R = np.array([[5.0, 0, 3, 1], [0, 2, 0, 4]])
    V = rng.normal(size=(4, 2))
    lam = 0.1
    u = np.asarray(als_user_update(R, V, lam, 0), dtype=float)
    assert u.shape == (2,), f"expected shape (2,), got {u.shape}"
    rated = R[0] != 0
    grad = -2 * V[rated].T @ (R[0, rated] - V[rated] @ u)
    grad += 2 * lam * rated.sum() * u
    assert np.allclose(grad, 0, atol=1e-8), "the gradient of J_i is not 0"


def public_als_sweep(als_sweep):
    rng = np.random.default_rng(1)
    R = np.array([[5.0, 0, 3], [0, 2, 4], [1, 0, 0]])
    U, V = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    U0, V0 = U.copy(), V.copy()
    U1, V1 = als_sweep(R, U, V, 0.1)
    assert np.shape(U1) == (3, 2) and np.shape(V1) == (3, 2)
    assert np.array_equal(U, U0) and np.array_equal(V, V0), (
        "als_sweep must not modify its inputs"
    )
    # After the item half-step, each item's gradient is zero.
    U1, V1 = np.asarray(U1, float), np.asarray(V1, float)
    for j in range(3):
        rated = R[:, j] != 0
        r = R[rated, j] - U1[rated] @ V1[j]
        grad = -2 * U1[rated].T @ r + 2 * 0.1 * rated.sum() * V1[j]
        assert np.allclose(grad, 0, atol=1e-8), f"item {j} is not optimal"


def public_weighted_objective(weighted_objective):
    # One rating, one user, one item, k = 1: (5 - 2*1)^2 + lam*(1*4 + 1*1)
    R = np.array([[5.0]])
    value = weighted_objective(R, np.array([[2.0]]), np.array([[1.0]]), 0.5)
    assert np.isclose(value, 9 + 0.5 * 5), f"got {value}, expected 11.5"


# --- correct earlier functions for the public tests ----------------------
# A public test of a function that calls an earlier exercise's function
# runs it with this version in place of the student's, as the grader runs
# it with its reference: one mistake fails one check. They call the
# package, which students have anyway (and may not call in their answers).


def correct_als_user_update(R, V, lam, i):
    from recsys_lessons import als

    return als.solve_factors(np.asarray(R, dtype=float)[[i]], V, lam)[0]


# --- references (plain loops, from the chapter's equations) --------------


def _solve(A, b):
    """Gaussian elimination with partial pivoting, written out."""
    k = len(b)
    M = [list(map(float, A[r])) + [float(b[r])] for r in range(k)]
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(c + 1, k):
            f = M[r][c] / M[c][c]
            for cc in range(c, k + 1):
                M[r][cc] -= f * M[c][cc]
    x = [0.0] * k
    for r in reversed(range(k)):
        s = M[r][k] - sum(M[r][cc] * x[cc] for cc in range(r + 1, k))
        x[r] = s / M[r][r]
    return x


def reference_als_user_update(R, V, lam, i):
    """Equation (eq-als-user), w_i = n_i:

    (V_O^T V_O + lam n_i I) u = V_O^T r_O.
    """
    n, k = len(V), len(V[0])
    rated = [j for j in range(n) if R[i][j] != 0]
    A = [[0.0] * k for _ in range(k)]
    b = [0.0] * k
    for j in rated:
        for a in range(k):
            b[a] += R[i][j] * V[j][a]
            for c in range(k):
                A[a][c] += V[j][a] * V[j][c]
    for a in range(k):
        A[a][a] += lam * len(rated)
    if not rated:
        return np.zeros(k)
    return np.array(_solve(A, b))


def reference_als_sweep(R, U, V, lam):
    """All users (V fixed), then all items with the new users."""
    R = np.asarray(R, dtype=float)
    U1 = np.array(
        [reference_als_user_update(R, V, lam, i) for i in range(len(R))]
    )
    V1 = np.array(
        [
            reference_als_user_update(R.T, U1, lam, j)
            for j in range(R.shape[1])
        ]
    )
    return U1, V1


def reference_weighted_objective(R, U, V, lam):
    """J with the weighted penalty:

    SSE + lam (sum_i n_i |u_i|^2 + sum_j n_j |v_j|^2).
    """
    m, n = len(R), len(R[0])
    total = 0.0
    for i in range(m):
        for j in range(n):
            if R[i][j] != 0:
                err = R[i][j] - sum(
                    U[i][a] * V[j][a] for a in range(len(U[i]))
                )
                total += err * err
    for i in range(m):
        n_i = sum(1 for j in range(n) if R[i][j] != 0)
        total += lam * n_i * sum(x * x for x in U[i])
    for j in range(n):
        n_j = sum(1 for i in range(m) if R[i][j] != 0)
        total += lam * n_j * sum(x * x for x in V[j])
    return total


# --- hidden inputs --------------------------------------------------------


def _ratings(rng, m, n, density=0.5):
    R = rng.integers(1, 6, size=(m, n)).astype(float)
    R[rng.random((m, n)) > density] = 0
    # Every user and every item has a rating, as in the chapter's data.
    R[np.arange(m), rng.integers(0, n, size=m)] = rng.integers(1, 6, size=m)
    R[rng.integers(0, m, size=n), np.arange(n)] = rng.integers(1, 6, size=n)
    return R


def _probes(label):
    """Fixed inputs added to every draw, the same for every student:
    m != n, users and items with different numbers of ratings, a user
    with fewer ratings than k. Each one defeats a wrong variant that
    random inputs may let through (lam, lam n or 2 lam n_i instead of
    lam n_i, V^T V over all items, items first or from the old users,
    the user and item weights swapped)."""
    R = np.array(
        [
            [4.0, 0, 0, 2, 0],
            [0, 5, 3, 0, 1],
            [2, 0, 4, 0, 0],
            [0, 3, 0, 1, 0],
        ]
    )
    U = np.array([[0.6, -0.2], [1.1, 0.4], [-0.3, 0.9], [0.5, 0.5]])
    V = np.array(
        [
            [0.8, -0.6, 0.3],
            [0.2, 1.0, -0.4],
            [-0.5, 0.4, 0.9],
            [1.2, 0.1, 0.5],
            [0.3, -0.9, -0.2],
        ]
    )
    return {
        "ex-ch2-user": [(R, V, 0.5, 2), (R, V[:, :2], 0.1, 1)],
        "ex-ch2-sweep": [(R, U, V[:, :2], 0.3)],
        "ex-ch2-weighted-objective": [(R, U, V[:, :2], 0.5)],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for _ in range(4):
        m, n, k = rng.integers(3, 9), rng.integers(3, 9), rng.integers(1, 4)
        R = _ratings(rng, m, n)
        U, V = rng.normal(size=(m, k)), rng.normal(size=(n, k))
        lam = float(rng.choice([0.01, 0.1, 1.0]))
        if label == "ex-ch2-user":
            i = int(rng.integers(m))
            args = (R, V, lam, i)
            cases.append((args, reference_als_user_update(*args)))
        elif label == "ex-ch2-sweep":
            args = (R, U, V, lam)
            cases.append((args, reference_als_sweep(*args)))
        elif label == "ex-ch2-weighted-objective":
            args = (R, U, V, lam)
            cases.append((args, reference_weighted_objective(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch2-user": reference_als_user_update,
        "ex-ch2-sweep": reference_als_sweep,
        "ex-ch2-weighted-objective": reference_weighted_objective,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
