"""Graded exercises of Chapter 6 (notebooks/06_metrics.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (the best order scores 1, a hand-computed case),
  never the answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

The chapter's conventions: positions p = 1, 2, ... are discounted by
1 / log2(p + 1); the gain is 2^rel - 1 ("exponential", the default) or
rel ("linear"); the ideal list is all of the user's labels, sorted; an
item is relevant for AP when its label is > 0; AP's denominator is all of
the user's relevant items ("all") or min(k, that number) ("min_k"); a
list with nothing to find (IDCG = 0, D = 0) scores 0.
"""

import math

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import exercises, metrics  # for your own checks

ranked = np.array([3.0, 2, 3, 0, 1])  # the chapter's worked example
hits = np.array([1.0, 0, 1, 0, 0, 1])  # the AP example: 4 relevant in all
"""

QUESTIONS = [
    {"label": "ex-ch6-dcg", "function": "dcg_at_k", "points": 2},
    {
        "label": "ex-ch6-ndcg",
        "function": "ndcg_at_k",
        "points": 3,
        "uses": ["dcg_at_k"],
    },
    {"label": "ex-ch6-metrics", "function": "ap_at_k", "points": 3},
    {
        "label": "ex-ch6-bound",
        "points": 2,
        "rubric": """
            1 point for the rearrangement argument: the discounts
            decrease, so for the gains h_1..h_m an order puts at the
            first m = min(n, K) positions, sum h_p d_p is at most the
            sum with those same gains sorted in decreasing order; 1 point
            for the cut-off step: the p-th largest of any m of the gains
            is at most the p-th largest of all n (at least p of all the
            gains are >= it), and the discounts are positive, so the
            sorted sum is at most the sum of the m largest gains of all
            against d_1..d_m, which is IDCG@K. "Items below K only remove
            non-negative terms" without the p-th-largest step earns at
            most half of this point.
        """,
    },
    {
        "label": "ex-ch6-denominator",
        "points": 2,
        "rubric": """
            1 point for the two values (every P@p = 1, the sum is 10:
            AP@10 = 10/30 = 1/3 with D = |relevant|, 10/10 = 1 with
            D = min(K, |relevant|)); 1 point for a reasoned choice:
            min(K, .) judges the 10 shown items, which is what a top-10
            recommender controls, while |relevant| also penalizes the
            list for being short (it mixes in recall); either choice
            earns the point if it is argued and the answer says numbers
            under different conventions are not comparable.
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_dcg_at_k(dcg_at_k):
    # Position 1 is not discounted: the gain of a 3 is 2^3 - 1 or 3.
    assert np.isclose(dcg_at_k([3.0], 1), 7.0), "exponential gain"
    assert np.isclose(dcg_at_k([3.0], 1, "linear"), 3.0), "linear gain"
    # Position 3 is discounted by 1 / log2(4) = 1/2.
    assert np.isclose(dcg_at_k([0.0, 0.0, 2.0], 3, "linear"), 1.0)
    assert np.isclose(dcg_at_k([0.0, 0.0, 2.0], 3), 1.5)
    # Items below position k do not count; k beyond the list is allowed.
    assert np.isclose(dcg_at_k([1.0, 2.0, 3.0], 1, "linear"), 1.0)
    assert np.isclose(
        dcg_at_k([1.0, 1.0], 5, "linear"), dcg_at_k([1.0, 1.0], 2, "linear")
    ), "with k > the list's length the sum runs over the whole list"


def public_ndcg_at_k(ndcg_at_k):
    rel = np.array([3.0, 0.0, 2.0, 1.0])
    # The labels in decreasing order are the ideal list: NDCG = 1.
    for gain in ("exponential", "linear"):
        value = ndcg_at_k(np.sort(rel)[::-1], 3, gain)
        assert np.isclose(value, 1.0), f"the best order gives {value}"
    # Any order of the same labels scores in [0, 1].
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2]):
        value = ndcg_at_k(rel[order], 3)
        assert 0 <= value <= 1 + 1e-12, f"NDCG {value} outside [0, 1]"
    # A relevant item the system did not return lowers NDCG below 1.
    value = ndcg_at_k([3.0, 2.0], 2, ideal_relevance=[2.0, 3.0, 3.0])
    assert value < 1 - 1e-9, "the ideal list is all the user's labels"
    # Nothing relevant: 0, not 0/0.
    assert ndcg_at_k([0.0, 0.0], 2) == 0


def public_ap_at_k(ap_at_k):
    # Relevance is binary: labels 1 and 3 count alike.
    assert np.isclose(
        ap_at_k([3.0, 0, 1], 3, 2), ap_at_k([1.0, 0, 1], 3, 2)
    )
    # A list that starts with all of the user's relevant items scores 1.
    assert np.isclose(ap_at_k([2.0, 1.0, 0.0, 0.0], 4, 2), 1.0)
    # [1, 0, 1] with D = 2: P@1 = 1 and P@3 = 2/3 at the relevant positions.
    assert np.isclose(ap_at_k([1.0, 0, 1], 3, 2), (1 + 2 / 3) / 2)
    # Positions below k do not count.
    assert np.isclose(ap_at_k([0.0, 0, 1], 2, 1), 0.0)
    # The user has relevant items the list does not show: AP < 1; the
    # "min_k" denominator is never the larger one.
    low = ap_at_k([1.0, 1.0], 2, 5)
    high = ap_at_k([1.0, 1.0], 2, 5, "min_k")
    assert 0 < low < 1 and low <= high <= 1
    # Nothing to find: 0, not 0/0.
    assert ap_at_k([0.0, 0.0], 2, 0) == 0


# --- correct earlier functions for the public tests ----------------------
# A public test of a function that calls an earlier exercise's function
# runs it with this version in place of the student's, as the grader runs
# it with its reference: one mistake fails one check. They call the
# package, which students have anyway (and may not call in their answers).


def correct_dcg_at_k(ranked_relevance, k, gain="exponential"):
    from recsys_lessons import metrics

    return float(metrics.dcg_at_k(ranked_relevance, k, gain))


# --- references (plain loops, from the chapter's equations) --------------


def _gain(label, gain):
    return 2.0**label - 1.0 if gain == "exponential" else float(label)


def reference_dcg_at_k(ranked_relevance, k, gain="exponential"):
    """Equation (eq-dcg): sum over p <= k of gain(rel_p) / log2(p + 1)."""
    total = 0.0
    for p, label in enumerate(ranked_relevance, start=1):
        if p > k:
            break
        total += _gain(label, gain) / math.log2(p + 1)
    return total


def reference_ndcg_at_k(
    ranked_relevance, k, gain="exponential", ideal_relevance=None
):
    """Equation (eq-ndcg), the ideal list = the user's labels, sorted."""
    if ideal_relevance is None:
        ideal_relevance = ranked_relevance
    ideal = sorted((float(x) for x in ideal_relevance), reverse=True)
    idcg = reference_dcg_at_k(ideal, k, gain)
    if idcg == 0:
        return 0.0
    return reference_dcg_at_k(ranked_relevance, k, gain) / idcg


def reference_ap_at_k(ranked_relevance, k, n_relevant, denominator="all"):
    """Equation (eq-ap): P@p summed at the relevant p <= k, over D."""
    found, total = 0, 0.0
    for p, label in enumerate(ranked_relevance, start=1):
        if p > k:
            break
        if label > 0:
            found += 1
            total += found / p
    D = n_relevant if denominator == "all" else min(k, n_relevant)
    return total / D if D > 0 else 0.0


# --- hidden inputs --------------------------------------------------------


def _labels(rng, size):
    """Graded labels >= 0: mostly whole numbers, sometimes half ones."""
    top = int(rng.integers(1, 5))
    labels = rng.integers(0, top + 1, size=size).astype(float)
    if rng.random() < 0.3:
        labels = labels / 2
    return labels


def _probes(label):
    """Fixed inputs added to every draw, the same for every student: half
    labels, k inside and beyond the list, an unsorted ideal list longer
    than k with relevant items the list misses, N > the list's length,
    the default arguments left out, D = 0. Each one defeats a wrong
    variant that random inputs may let through (IDCG not cut at k or cut
    at the list's length, ideal_relevance ignored, D = min(len, N),
    denominator ignored, labels >= 1 as relevant, wrong defaults)."""
    rel = np.array([0.5, 3.0, 0.0, 2.0, 1.0, 1.5])
    return {
        "ex-ch6-dcg": [(rel, 4, "exponential"), (rel, 9)],
        "ex-ch6-ndcg": [
            (
                np.array([1.0, 3.0, 0.0]),
                3,
                "exponential",
                np.array([0.0, 1.0, 3.0, 2.0, 2.0, 1.0, 0.0]),
            ),
            (
                np.array([2.0, 0.0]),
                5,
                "linear",
                np.array([2.0, 1.0, 0.0, 2.0, 1.0, 0.0, 3.0]),
            ),
            (np.array([1.0, 0.0, 2.0, 3.0]), 2),
        ],
        "ex-ch6-metrics": [
            (np.array([0.0, 0.5, 2.0, 0.0, 1.0, 0.0]), 4, 5, "min_k"),
            (np.array([1.0, 0.0, 1.0]), 3, 6),
            (np.zeros(3), 2, 0, "min_k"),
        ],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for case in range(5):
        gain = ("exponential", "linear")[case % 2]
        if label == "ex-ch6-dcg":
            rel = _labels(rng, int(rng.integers(1, 11)))
            # k beyond the list's length in one case of five
            k = (
                len(rel) + 2
                if case == 4
                else int(rng.integers(1, len(rel) + 1))
            )
            args = (rel, k, gain)
            cases.append((args, reference_dcg_at_k(*args)))
        elif label == "ex-ch6-ndcg":
            user = _labels(rng, int(rng.integers(3, 13)))
            if case == 3:  # a user with nothing relevant
                user[:] = 0.0
            shown = rng.permutation(user)[
                : int(rng.integers(1, len(user) + 1))
            ]
            k = int(rng.integers(1, len(user) + 3))
            ideal = None if case == 0 else user
            if ideal is None:
                shown = rng.permutation(user)
            args = (shown, k, gain, ideal)
            cases.append((args, reference_ndcg_at_k(*args)))
        elif label == "ex-ch6-metrics":
            rel = _labels(rng, int(rng.integers(2, 11)))
            rel[int(rng.integers(len(rel)))] = 1.0  # one hit at least
            k = int(rng.integers(1, len(rel) + 1))  # k <= the list's length
            in_list = int(sum(1 for x in rel if x > 0))
            n_relevant = in_list + int(rng.integers(0, 4))
            denominator = ("all", "min_k")[int(rng.integers(2))]
            args = (rel, k, n_relevant, denominator)
            cases.append((args, reference_ap_at_k(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch6-dcg": reference_dcg_at_k,
        "ex-ch6-ndcg": reference_ndcg_at_k,
        "ex-ch6-metrics": reference_ap_at_k,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
