"""Graded exercises of Chapter 1 (notebooks/01_objective.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (a finite-difference agreement, a hand-computed
  case), never the answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

Ratings use the book's convention: 0 = unobserved. The penalty is the
plain one, lam (|U|_F^2 + |V|_F^2), whose gradient in U is 2 lam U.
"""

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import als, exercises, mf  # for your own checks
from recsys_lessons.data import toy_ratings

R = toy_ratings()  # the lesson's 5 x 5 matrix, 0 = unobserved
"""

QUESTIONS = [
    {"label": "ex-ch1-objective", "function": "objective", "points": 2},
    {
        "label": "ex-ch1-gradient",
        "function": "objective_grad_U",
        "points": 3,
    },
    {"label": "ex-ch1-rmse", "function": "rmse_observed", "points": 2},
    {
        "label": "ex-ch1-ambiguity",
        "points": 2,
        "rubric": """
            1 point for part 1: UT (V T^-T)^T = U V^T, and the penalty is
            unchanged for every U, V if and only if T is orthogonal (both
            directions; the converse needs a choice such as V = 0 and a
            single non-zero row of U). 1 point for parts 2 and 3: with the
            hint, J(U, V) - J(0, 0) >= (lam - s_1)(|U|^2 + |V|^2) >= 0, so
            zero is the only minimizer for lam >= s_1; for lam < s_1 the
            leading singular pair scaled by a small t lowers J; and the
            toy-matrix fits show zero factors just above s_1 and non-zero
            ones just below. Half of this point if either direction of
            part 2 or the numerical check is missing. Do not require, or
            reward, a claim that there is no continuum at lam = 0: there
            the existence argument does not apply, but when a minimizer
            exists (on the toy matrix, an exact rank-2 fit with J = 0),
            every (UT, V T^-T) with T invertible is one too (for k = 1,
            every (cU, V / c) with c != 0). Nor reward a claim that for
            k = 1 the minimizer is unique up to sign: the symmetry argument
            shows only that +-1 are the orthogonal 1 x 1 matrices.
        """,
    },
    {
        "label": "ex-ch1-hessian",
        "points": 2,
        "rubric": """
            1 point for the Hessian 2 (V_Omega_i^T V_Omega_i + lam n_i I)
            (the factor 2 and the weight n_i both needed). 1 point for the
            user without ratings: J_i is identically 0, so there is no
            strict convexity and every u_i is a minimizer; a sensible
            choice is u_i = 0 (what recsys_lessons does).
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_objective(objective):
    # One rating (the 0 is unobserved), k = 1: (5 - 2*1)^2 = 9, and the
    # plain penalty counts every row of U and V once: 0.5 (4 + 1 + 9) = 7.
    R = np.array([[5.0, 0.0]])
    U, V = np.array([[2.0]]), np.array([[1.0], [3.0]])
    value = objective(R, U, V, 0.5)
    assert np.isclose(value, 16.0), f"got {value}, expected 9 + 7 = 16"


def public_objective_grad_U(objective_grad_U):
    # J is quadratic in U: central differences agree with the gradient.
    rng = np.random.default_rng(0)
    R = np.array([[5.0, 0, 3, 1], [0, 2, 0, 4], [1, 0, 0, 0]])
    U, V = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    lam = 0.3
    U0 = U.copy()

    def J(U):
        E = np.where(R != 0, R - U @ V.T, 0.0)
        return np.sum(E**2) + lam * (np.sum(U**2) + np.sum(V**2))

    G = np.asarray(objective_grad_U(R, U, V, lam), dtype=float)
    assert G.shape == U.shape, f"expected shape {U.shape}, got {G.shape}"
    assert np.array_equal(U, U0), "objective_grad_U must not modify U"
    h = 1e-5
    for i in range(3):
        for f in range(2):
            step = np.zeros_like(U)
            step[i, f] = h
            slope = (J(U + step) - J(U - step)) / (2 * h)
            assert np.isclose(G[i, f], slope, rtol=1e-5, atol=1e-6), (
                f"entry ({i}, {f}): {G[i, f]:.6f}, finite difference "
                f"{slope:.6f}"
            )


def public_rmse_observed(rmse_observed):
    # Predictions [[2, 1], [4, 2]]; observed errors 3, -3 and 1.
    R = np.array([[5.0, 0.0], [1.0, 3.0]])
    U, V = np.array([[1.0], [2.0]]), np.array([[2.0], [1.0]])
    value = rmse_observed(R, U, V)
    assert np.isclose(value, np.sqrt(19 / 3)), (
        f"got {value}, expected sqrt(19 / 3)"
    )
    # An exact fit of the observed entries has error 0, whatever it
    # predicts for the unobserved one.
    R = np.array([[2.0, 0.0], [4.0, 2.0]])
    value = rmse_observed(R, U, V)
    assert np.isclose(value, 0.0, atol=1e-12), f"got {value}, expected 0"


# --- references (plain loops, from the chapter's equations) --------------


def _dot(u, v):
    return sum(a * b for a, b in zip(u, v))


def reference_objective(R, U, V, lam):
    """Equation (eq-mf-objective) with the plain penalty w_i = w_j = 1."""
    total = 0.0
    for i in range(len(R)):
        for j in range(len(R[0])):
            if R[i][j] != 0:  # (i, j) in Omega
                err = R[i][j] - _dot(U[i], V[j])
                total += err * err
    total += lam * sum(_dot(u, u) for u in U)
    total += lam * sum(_dot(v, v) for v in V)
    return total


def reference_objective_grad_U(R, U, V, lam):
    """dJ/du_i = -2 sum_{j in Omega_i} (r_ij - u_i.v_j) v_j + 2 lam u_i."""
    m, n, k = len(R), len(R[0]), len(U[0])
    G = np.zeros((m, k))
    for i in range(m):
        for f in range(k):
            G[i, f] = 2 * lam * U[i][f]
        for j in range(n):
            if R[i][j] != 0:
                err = R[i][j] - _dot(U[i], V[j])
                for f in range(k):
                    G[i, f] -= 2 * err * V[j][f]
    return G


def reference_rmse_observed(R, U, V):
    """sqrt of the mean of (r_ij - u_i.v_j)^2 over (i, j) in Omega."""
    total, count = 0.0, 0
    for i in range(len(R)):
        for j in range(len(R[0])):
            if R[i][j] != 0:
                err = R[i][j] - _dot(U[i], V[j])
                total += err * err
                count += 1
    return (total / count) ** 0.5


# --- hidden inputs --------------------------------------------------------


def _ratings(rng, m, n, density=0.5):
    R = rng.integers(1, 6, size=(m, n)).astype(float)
    R[rng.random((m, n)) > density] = 0
    # Every user and every item has a rating, as in the chapter's data.
    R[np.arange(m), rng.integers(0, n, size=m)] = rng.integers(1, 6, size=m)
    R[rng.integers(0, m, size=n), np.arange(n)] = rng.integers(1, 6, size=n)
    return R


def _probes(label):
    """Fixed inputs added to every draw, the same for every student: a
    user and an item without ratings, a penalty that matters, m != n.
    Each one defeats a wrong variant that random inputs may let through
    (a penalty of lam or lam/2, a weighted penalty, rows without ratings
    left out of it, errors over all cells)."""
    R = np.array([[5.0, 0, 0, 3], [0, 0, 0, 0], [1, 4, 0, 2]])
    U = np.array([[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]])
    V = np.array([[0.5, 1.0], [-0.7, 0.2], [1.1, -0.3], [0.4, 0.9]])
    return {
        "ex-ch1-objective": [(R, U, V, 0.5)],
        "ex-ch1-gradient": [(R, U, V, 0.5)],
        "ex-ch1-rmse": [(R, U, V)],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for _ in range(4):
        m, n, k = rng.integers(2, 9), rng.integers(2, 9), rng.integers(1, 4)
        R = _ratings(rng, m, n, density=float(rng.uniform(0.3, 0.8)))
        U, V = rng.normal(size=(m, k)), rng.normal(size=(n, k))
        lam = float(rng.choice([0.0, 0.01, 0.1, 1.0]))
        if label == "ex-ch1-objective":
            args = (R, U, V, lam)
            cases.append((args, reference_objective(*args)))
        elif label == "ex-ch1-gradient":
            args = (R, U, V, lam)
            cases.append((args, reference_objective_grad_U(*args)))
        elif label == "ex-ch1-rmse":
            args = (R, U, V)
            cases.append((args, reference_rmse_observed(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch1-objective": reference_objective,
        "ex-ch1-gradient": reference_objective_grad_U,
        "ex-ch1-rmse": reference_rmse_observed,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
