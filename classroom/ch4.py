"""Graded exercises of Chapter 4 (notebooks/04_bpr.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (finite differences, a hand-computed case), never the
  answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

Conventions are the chapter's: the per-triple loss eq-bpr-loss with the
penalty lambda |theta|^2 (gradient 2 lambda theta), g = 1 - sigma(x);
the per-user AUC counts ties one half and leaves the excluded (training)
items out of the negatives.
"""

import math

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import bpr, exercises, metrics  # for your own checks
"""

QUESTIONS = [
    {
        "label": "ex-ch4-gradient",
        "function": "triple_gradient",
        "points": 3,
    },
    {
        "label": "ex-ch4-step",
        "function": "bpr_step",
        "points": 2,
        "uses": ["triple_gradient"],
    },
    {"label": "ex-ch4-auc", "function": "user_auc", "points": 3},
    {
        "label": "ex-ch4-prior",
        "points": 2,
        "rubric": """
            1 point for tau = 1 / sqrt(2 lam) = 5 (from lam = 1/(2
            tau^2), the book's penalty scale with no factor 1/2);
            1 point for "not the same prior": one SGD step draws (u, i)
            with probability 1/|I+| and j with probability 1/(n - n_u),
            and penalizes u_u once; so an epoch descends, in
            expectation, the sum over D_S of -ln sigma(x_uij) / (n - n_u)
            plus lam n_u |u_u|^2 (plus item terms). Rescaled so that each
            triple of D_S has weight 1, as in BPR-Opt, u_u's penalty is
            lam n_u (n - n_u) |u_u|^2: prior variance
            tau_u^2 = 1 / (2 lam n_u (n - n_u)), tau_u = 5 / sqrt(n_u
            (n - n_u)), far tighter than 5 and tighter for active users
            (n_u < n/2). Half of it for the factor n_u alone (variance
            1/(2 lam n_u), the penalty relative to one epoch's data term,
            not to BPR-Opt).
        """,
    },
    {
        "label": "ex-ch4-sampling",
        "points": 2,
        "rubric": """
            1 point for the sampler: u uniform among the users with at
            least one positive, then i uniform in I_u^+ and j uniform
            among u's non-positives (as before);
            1 point for the prediction with its reason: the AUC is an
            average over users in which each counts equally, light users
            get more updates, so it may rise; with the caveat that light
            users may overfit unless lambda is raised (either direction
            earns the point if argued from the per-user average).
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_triple_gradient(triple_gradient):
    # The gradient agrees with central finite differences of the loss
    # l = -ln sigma(u.(v_i - v_j)) + lam (|u|^2 + |v_i|^2 + |v_j|^2).
    rng = np.random.default_rng(0)
    lam = 0.1

    def loss(u, v_i, v_j):
        x = u @ (v_i - v_j)
        return np.log1p(np.exp(-x)) + lam * (u @ u + v_i @ v_i + v_j @ v_j)

    point = list(rng.normal(size=(3, 3)))
    grads = triple_gradient(*[p.copy() for p in point], lam)
    assert len(grads) == 3, "return the three gradients (u, v_i, v_j)"
    h = 1e-6
    for which, name in enumerate(("u_u", "v_i", "v_j")):
        grad = np.asarray(grads[which], dtype=float)
        assert grad.shape == (3,), f"{name}: shape {grad.shape}, not (3,)"
        for f in range(3):
            up = [p.copy() for p in point]
            down = [p.copy() for p in point]
            up[which][f] += h
            down[which][f] -= h
            fd = (loss(*up) - loss(*down)) / (2 * h)
            assert np.isclose(grad[f], fd, rtol=1e-5, atol=1e-7), (
                f"d l / d {name}[{f}]: got {grad[f]:.6f}, finite "
                f"differences give {fd:.6f}"
            )


def public_bpr_step(bpr_step):
    rng = np.random.default_rng(1)
    U, V = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    U0, V0 = U.copy(), V.copy()
    (u, i, j), lam, eta = (1, 0, 3), 0.05, 0.5
    U1, V1 = bpr_step(U, V, (u, i, j), lam, eta)
    assert np.array_equal(U, U0) and np.array_equal(V, V0), (
        "bpr_step must not modify its inputs"
    )
    U1, V1 = np.asarray(U1, float), np.asarray(V1, float)
    assert U1.shape == (3, 2) and V1.shape == (4, 2)
    assert np.array_equal(np.delete(U1, u, 0), np.delete(U0, u, 0))
    assert np.array_equal(V1[[1, 2]], V0[[1, 2]]), "only v_i, v_j move"

    # Each moved vector goes -eta times the loss's gradient, which is
    # computed here by central finite differences.
    def loss(x_u, x_i, x_j):
        x = x_u @ (x_i - x_j)
        return np.log1p(np.exp(-x)) + lam * (
            x_u @ x_u + x_i @ x_i + x_j @ x_j
        )

    point = [U0[u], V0[i], V0[j]]
    moved = [U1[u] - U0[u], V1[i] - V0[i], V1[j] - V0[j]]
    h = 1e-6
    for which, name in enumerate(("u_u", "v_i", "v_j")):
        for f in range(2):
            up = [p.copy() for p in point]
            down = [p.copy() for p in point]
            up[which][f] += h
            down[which][f] -= h
            fd = (loss(*up) - loss(*down)) / (2 * h)
            assert np.isclose(moved[which][f], -eta * fd, rtol=1e-5), (
                f"{name}[{f}] did not move by -eta times the gradient"
            )


def public_user_auc(user_auc):
    scores = np.array([3.0, 1.0, 2.0, 0.0, 5.0])
    none = np.array([], dtype=int)
    # Item 4 is excluded: the positive 0 beats the negatives 1, 2, 3.
    value = user_auc(scores, np.array([0]), np.array([4]))
    assert np.isclose(value, 1.0), f"got {value}, expected 1.0"
    # The positive 3 is below every other item.
    value = user_auc(scores, np.array([3]), none)
    assert np.isclose(value, 0.0), f"got {value}, expected 0.0"
    # Everything tied: every pair counts one half.
    value = user_auc(np.zeros(4), np.array([1, 2]), none)
    assert np.isclose(value, 0.5), f"got {value}, expected 0.5"
    # One win and one tie out of two pairs.
    value = user_auc(np.array([1.0, 1.0, 0.0]), np.array([0]), none)
    assert np.isclose(value, 0.75), f"got {value}, expected 0.75"


# --- correct earlier functions for the public tests ----------------------
# A public test of a function that calls an earlier exercise's function
# runs it with this version in place of the student's, as the grader runs
# it with its reference: one mistake fails one check. They call the
# package, which students have anyway (and may not call in their answers).


def correct_triple_gradient(u, v_i, v_j, lam):
    from recsys_lessons import bpr

    U = np.asarray(u, dtype=float)[None]
    V = np.array([v_i, v_j], dtype=float)
    dU, dV = bpr.bpr_gradient(U, V, np.array([[0, 0, 1]]), lam)
    return dU[0], dV[0], dV[1]


# --- references (plain loops, from the chapter's equations) --------------


def reference_triple_gradient(u, v_i, v_j, lam):
    """Equation (eq-bpr-grad): g = 1 - sigma(x), x = u.(v_i - v_j)."""
    k = len(u)
    x = sum(u[f] * (v_i[f] - v_j[f]) for f in range(k))
    g = 1.0 / (1.0 + math.exp(x))
    grad_u = [-g * (v_i[f] - v_j[f]) + 2 * lam * u[f] for f in range(k)]
    grad_i = [-g * u[f] + 2 * lam * v_i[f] for f in range(k)]
    grad_j = [g * u[f] + 2 * lam * v_j[f] for f in range(k)]
    return np.array(grad_u), np.array(grad_i), np.array(grad_j)


def reference_bpr_step(U, V, triple, lam, learning_rate):
    """Step 4 of the chapter: every update from the values before it."""
    u, i, j = triple
    grad_u, grad_i, grad_j = reference_triple_gradient(
        U[u], V[i], V[j], lam
    )
    U1 = [list(map(float, row)) for row in U]
    V1 = [list(map(float, row)) for row in V]
    for f in range(len(U[u])):
        U1[u][f] = U[u][f] - learning_rate * grad_u[f]
        V1[i][f] = V[i][f] - learning_rate * grad_i[f]
        V1[j][f] = V[j][f] - learning_rate * grad_j[f]
    return np.array(U1), np.array(V1)


def reference_user_auc(scores, positives, exclude):
    """Share of (positive, negative) pairs ordered right, ties 1/2."""
    pos = set(int(p) for p in positives)
    out = set(int(e) for e in exclude)
    negatives = [t for t in range(len(scores)) if t not in pos | out]
    total = 0.0
    for p in pos:
        for q in negatives:
            if scores[p] > scores[q]:
                total += 1.0
            elif scores[p] == scores[q]:
                total += 0.5
    return total / (len(pos) * len(negatives))


# --- hidden inputs --------------------------------------------------------


def _auc_case(rng):
    n = int(rng.integers(5, 31))
    if rng.random() < 0.5:  # few distinct values: many ties
        scores = rng.integers(0, 5, size=n).astype(float)
    else:
        scores = np.round(rng.normal(size=n), 2)
    order = rng.permutation(n)
    n_pos = int(rng.integers(1, n // 3 + 1))
    n_out = int(rng.integers(0, n // 3 + 1))
    positives = np.sort(order[:n_pos])
    exclude = np.sort(order[n_pos : n_pos + n_out])
    return scores, positives, exclude


def _probes(label):
    """Fixed inputs added to every draw, the same for every student: a
    penalty and a step that matter, a triple with i > j, ties between a
    positive and a negative, a high-scored excluded item, no exclusion.
    Each one defeats a wrong variant that random inputs may let through
    (lam for 2 lam, sequential updates, ties counted 0 or 1, excluded
    items kept among the negatives or in the count)."""
    u = np.array([0.8, -1.1, 0.5])
    v_i = np.array([1.2, 0.3, -0.7])
    v_j = np.array([-0.4, 0.9, 0.6])
    U = np.array([[0.5, -0.3], [0.1, 0.9], [-0.8, 0.6]])
    V = np.array([[0.7, 0.2], [-0.5, 1.1], [0.4, -0.6], [1.0, 0.3]])
    scores = np.array([2.0, 1.0, 2.0, 0.0, 3.0, 1.0, 2.0])
    none = np.array([], dtype=int)
    return {
        "ex-ch4-gradient": [(u, v_i, v_j, 0.25)],
        "ex-ch4-step": [(U, V, (2, 3, 1), 0.1, 0.5)],
        "ex-ch4-auc": [
            (scores, np.array([0, 5]), np.array([4])),
            (np.array([0.5, 0.5, 0.1, 0.9]), np.array([1]), none),
        ],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for _ in range(4):
        k = int(rng.integers(1, 6))
        scale = float(rng.choice([0.1, 0.5, 1.0, 2.0]))
        lam = float(rng.choice([0.0, 0.01, 0.1, 1.0]))
        if label == "ex-ch4-gradient":
            u, v_i, v_j = rng.normal(scale=scale, size=(3, k))
            args = (u, v_i, v_j, lam)
            cases.append((args, reference_triple_gradient(*args)))
        elif label == "ex-ch4-step":
            m, n = int(rng.integers(2, 7)), int(rng.integers(3, 9))
            U = rng.normal(scale=scale, size=(m, k))
            V = rng.normal(scale=scale, size=(n, k))
            i, j = (int(t) for t in rng.choice(n, size=2, replace=False))
            triple = (int(rng.integers(m)), i, j)
            eta = float(rng.choice([0.01, 0.1, 0.5]))
            args = (U, V, triple, lam, eta)
            cases.append((args, reference_bpr_step(*args)))
        elif label == "ex-ch4-auc":
            args = _auc_case(rng)
            cases.append((args, reference_user_auc(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch4-gradient": reference_triple_gradient,
        "ex-ch4-step": reference_bpr_step,
        "ex-ch4-auc": reference_user_auc,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
