"""Graded exercises of Chapter 5 (notebooks/05_lambdarank.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (finite differences, a symmetry, a hand-computed
  case), never the answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

Conventions are the chapter's: RankNet's shape parameter is gamma,
Lambda_ij = -gamma |dNDCG_ij| / (1 + exp(gamma (s_i - s_j))) for a pair
with y_i > y_j; NDCG with the exponential gain 2^y - 1, the discount
1 / log2(p + 1) at position p = 1, 2, ..., no truncation; the ranking
sorts the scores in decreasing order, ties by index (as the chapter's
ex-ch5-delta states and ``lambdarank.delta_ndcg`` does).
"""

import math

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import exercises, lambdarank, metrics  # your checks
"""

QUESTIONS = [
    {"label": "ex-ch5-pair", "function": "pair_lambda", "points": 2},
    {"label": "ex-ch5-delta", "function": "swap_delta_ndcg", "points": 3},
    {
        "label": "ex-ch5-lambdas",
        "function": "lambdarank_forces",
        "points": 3,
        "uses": ["pair_lambda", "swap_delta_ndcg"],
    },
    {
        "label": "ex-ch5-sigma",
        "points": 2,
        "rubric": """
            1 point for the invariance: P_ij depends on gamma (s_i - s_j)
            only, and (gamma / c)(c s_i - c s_j) = gamma (s_i - s_j);
            1 point for the consequence: the factors can rescale the
            scores, so without a penalty gamma is not identifiable (the
            model absorbs it); with an L2 penalty the trade is exact:
            training with (gamma, lambda, eta) from (U, V) is training
            with (1, lambda / gamma, gamma eta) from sqrt(gamma) (U, V),
            the scores gamma times as large and every ranking the same
            (the forces satisfy Lambda^gamma(s) = gamma Lambda^1(gamma s),
            since |dNDCG| depends on the ranking only). Half of it for
            the qualitative trade (gamma against the size of the factors,
            like 1 / lambda) without the exact rescaling.
        """,
    },
    {
        "label": "ex-ch5-sum",
        "points": 2,
        "rubric": """
            1 point for (a): each pair adds Lambda_ij to Lambda_i and
            -Lambda_ij to Lambda_j, so the forces sum to 0 and a step on
            free scores leaves their mean unchanged;
            1 point for (b): u' = u - eta g with g = sum_t Lambda_t v_t and
            v_t' = v_t - eta Lambda_t u; summing s_t' over t, the terms
            with Lambda_t vanish by (a), leaving -eta g^T sum_t v_t
            (divided by n for the mean), with the one-step numerical
            check or a clear argument why it is not zero in general.
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_pair_lambda(pair_lambda):
    # Lambda_ij is d/ds_i of the pair's weighted cost
    # delta * ln(1 + exp(-gamma (s_i - s_j))): compare with finite
    # differences, and check the sign.
    h = 1e-6
    for s_i, s_j, gamma, delta in [
        (0.3, -0.2, 1.0, 1.0),
        (-1.0, 0.5, 2.0, 0.3),
        (2.0, 1.5, 0.5, 0.05),
    ]:

        def cost(a, b, gamma=gamma, delta=delta):
            return delta * np.log1p(np.exp(-gamma * (a - b)))

        value = float(pair_lambda(s_i, s_j, gamma, delta))
        fd = (cost(s_i + h, s_j) - cost(s_i - h, s_j)) / (2 * h)
        assert value < 0, "Lambda_ij must be negative (it pushes i up)"
        assert np.isclose(value, fd, rtol=1e-5, atol=1e-8), (
            f"pair_lambda{(s_i, s_j, gamma, delta)} = {value:.6f}, "
            f"finite differences give {fd:.6f}"
        )


def public_swap_delta_ndcg(swap_delta_ndcg):
    # Two items, the relevant one second: gains 0 and 1, discounts 1 and
    # 1/log2(3), IDCG = 1, so the swap changes NDCG by 1 - 1/log2(3).
    value = swap_delta_ndcg(
        np.array([1.0, 0.0]), np.array([0.0, 1.0]), 0, 1
    )
    assert np.isclose(value, 1 - 1 / np.log2(3)), f"got {value}"
    rng = np.random.default_rng(2)
    s = rng.normal(size=6)
    y = np.array([3.0, 0.0, 1.0, 2.0, 0.0, 1.0])
    for i in range(6):
        for j in range(6):
            if i == j:
                continue
            value = swap_delta_ndcg(s, y, i, j)
            assert value >= 0, "|dNDCG| is not negative"
            assert np.isclose(value, swap_delta_ndcg(s, y, j, i)), (
                "swapping i and j is swapping j and i"
            )
            # Only the ranking matters, not the score values.
            assert np.isclose(value, swap_delta_ndcg(3 * s + 1, y, i, j))
            if y[i] == y[j]:
                assert np.isclose(value, 0, atol=1e-12), (
                    "equal labels: the swap leaves NDCG unchanged"
                )


def public_lambdarank_forces(lambdarank_forces):
    # Two tied items, the first relevant: |dNDCG| = 1 - 1/log2(3) and
    # Lambda_01 = -|dNDCG| / (1 + e^0).
    forces = np.asarray(
        lambdarank_forces(np.zeros(2), np.array([1.0, 0.0]), 1.0), float
    )
    pair = -(1 - 1 / np.log2(3)) / 2
    assert forces.shape == (2,), f"shape {forces.shape}, expected (2,)"
    assert np.allclose(forces, [pair, -pair]), f"got {forces}"
    rng = np.random.default_rng(3)
    s = rng.normal(size=7)
    y = np.array([0.0, 2.0, 1.0, 0.0, 3.0, 0.0, 1.0])
    forces = np.asarray(lambdarank_forces(s, y, 2.0), float)
    assert forces.shape == (7,), f"shape {forces.shape}, expected (7,)"
    assert abs(forces.sum()) < 1e-12, "the forces of a list sum to 0"
    assert forces[4] < 0, "the most relevant item is pushed up"
    same = lambdarank_forces(s, np.full(7, 2.0), 2.0)
    assert np.allclose(same, 0), "equal labels: no pair, no force"


# --- correct earlier functions for the public tests ----------------------
# A public test of a function that calls an earlier exercise's function
# runs it with this version in place of the student's, as the grader runs
# it with its reference: one mistake fails one check. They call the
# package, which students have anyway (and may not call in their answers).


def correct_pair_lambda(s_i, s_j, gamma, delta):
    from recsys_lessons import lambdarank

    s = np.array([s_i, s_j], dtype=float)
    pairs = lambdarank._pair_lambdas(s, np.array([1.0, 0.0]), gamma, delta)
    return float(pairs[0, 1])


def correct_swap_delta_ndcg(scores, relevance, i, j):
    from recsys_lessons import lambdarank

    return float(lambdarank.delta_ndcg(scores, relevance)[i, j])


# --- references (plain loops, from the chapter's equations) --------------


def reference_pair_lambda(s_i, s_j, gamma, delta):
    """Equation (eq-lambdarank)."""
    return -gamma * delta / (1.0 + math.exp(gamma * (s_i - s_j)))


def _ndcg(order, relevance):
    """NDCG of the items in ``order`` (best first), exponential gain."""
    dcg = 0.0
    for p, item in enumerate(order, start=1):
        dcg += (2.0 ** relevance[item] - 1) / math.log2(p + 1)
    ideal = sorted(relevance, reverse=True)
    idcg = 0.0
    for p, label in enumerate(ideal, start=1):
        idcg += (2.0**label - 1) / math.log2(p + 1)
    return dcg / idcg


def reference_swap_delta_ndcg(scores, relevance, i, j):
    """|NDCG after swapping i and j - NDCG| by brute force."""
    n = len(scores)
    order = sorted(range(n), key=lambda t: (-scores[t], t))
    swapped = [j if t == i else i if t == j else t for t in order]
    return abs(_ndcg(swapped, relevance) - _ndcg(order, relevance))


def reference_lambdarank_forces(scores, relevance, gamma):
    """Equation (eq-lambda-i) with the pair terms of (eq-lambdarank)."""
    n = len(scores)
    forces = [0.0] * n
    for i in range(n):
        for j in range(n):
            if relevance[i] > relevance[j]:
                delta = reference_swap_delta_ndcg(scores, relevance, i, j)
                pair = reference_pair_lambda(
                    scores[i], scores[j], gamma, delta
                )
                forces[i] += pair
                forces[j] -= pair
    return np.array(forces)


# --- hidden inputs --------------------------------------------------------


def _list(rng):
    """Distinct random scores and labels 0-3 with at least one > 0."""
    n = int(rng.integers(3, 13))
    scores = rng.normal(scale=float(rng.choice([0.5, 1.0, 3.0])), size=n)
    relevance = rng.integers(0, 4, size=n).astype(float)
    relevance[rng.integers(n)] = float(rng.integers(1, 4))
    return scores, relevance


def _probes(label):
    """Fixed inputs added to every draw, the same for every student:
    gamma != 1, tied scores (ranked by index), a swap that lowers NDCG.
    Each one defeats a wrong variant that random inputs may let through
    (a missing gamma, ties broken the other way, a signed Delta NDCG)."""
    scores = np.array([1.0, 0.0, 1.0, 2.0, 0.0, 1.0])
    relevance = np.array([2.0, 0.0, 1.0, 0.0, 3.0, 1.0])
    return {
        "ex-ch5-pair": [(0.7, -0.4, 2.0, 0.3)],
        "ex-ch5-delta": [
            (scores, relevance, 4, 0),
            (scores, relevance, 0, 1),
        ],
        "ex-ch5-lambdas": [(scores, relevance, 1.5)],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for number in range(4):
        gamma = float(rng.choice([0.5, 1.0, 2.0, 4.0]))
        if label == "ex-ch5-pair":
            s_i, s_j = (float(x) for x in rng.normal(size=2))
            # delta = 1 is RankNet's pair term
            delta = 1.0 if number == 0 else float(rng.uniform(0.01, 1))
            args = (s_i, s_j, gamma, delta)
            cases.append((args, reference_pair_lambda(*args)))
        elif label == "ex-ch5-delta":
            scores, relevance = _list(rng)
            i, j = (
                int(t) for t in rng.choice(len(scores), 2, replace=False)
            )
            if relevance[i] == relevance[j]:  # a pair that moves NDCG
                relevance[i] += 1
            args = (scores, relevance, i, j)
            cases.append((args, reference_swap_delta_ndcg(*args)))
        elif label == "ex-ch5-lambdas":
            scores, relevance = _list(rng)
            args = (scores, relevance, gamma)
            cases.append((args, reference_lambdarank_forces(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch5-pair": reference_pair_lambda,
        "ex-ch5-delta": reference_swap_delta_ndcg,
        "ex-ch5-lambdas": reference_lambdarank_forces,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
