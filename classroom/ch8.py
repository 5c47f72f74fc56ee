"""Graded exercises of Chapter 8 (notebooks/08_scale.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (an optimality condition, a hand-computed case),
  never the answer itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's definitions, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

The chapter runs Spark (Java) on MovieLens, neither of which a grader can
use: the graded functions work on small arrays and lists, the assignment
needs NumPy only, and where a chapter statement asks for a check against
Spark or on MovieLens, ``statement`` replaces it here.
"""

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import implicit_als, metrics  # for your own checks
from recsys_lessons.data import toy_ratings

R = toy_ratings()  # Chapter 2's 5 x 5 matrix, 0 = unobserved
"""

QUESTIONS = [
    {
        "label": "ex-ch8-shipped",
        "function": "vectors_shipped",
        "points": 3,
        # The chapter's statement without its MovieLens check.
        "statement": r"""
Write `vectors_shipped(R, n_blocks)`: for a rating matrix `R` (an
$m\times n$ NumPy array, 0 = unobserved) and $B$ = `n_blocks` $\ge 1$
blocks on each side (user $i$ in block $i \bmod B$, item $j$ in block
$j \bmod B$), return, as an integer, the number of factor vectors one
iteration of Spark's ALS sends, {eq}`eq-spark-shipped`: in the item
half-step each user's factor goes once to every item block that holds an
item the user rated, in the user half-step each item's factor once to every
user block that holds a user who rated it. Use plain loops or sets. Users
and items without ratings are sent nowhere, and $B$ may be larger than $m$
or $n$. (The chapter checks it on MovieLens against its `shipped`; here the
test under it checks small cases, among them $B = 1$, where the count is
the number of users and items that have at least one rating.)
""",
    },
    {
        "label": "ex-ch8-implicit-user",
        "function": "implicit_user",
        "points": 3,
        # The chapter's statement without its MovieLens check.
        "statement": r"""
Write `implicit_user(r, Y, lam, alpha)`: user $i$'s step {eq}`eq-hkv-user`
of {ref}`sec-scale-implicit`, with the paper's plain penalty
$\lambda I_k$. `r` is the user's row of interaction counts (a float array
of length $n$, entries $\ge 0$, 0 = no interaction), `Y` the $n\times k$
item factors (the section's $V$), `lam` $> 0$ and `alpha` $> 0$ numbers.
Every item $j$ has the confidence $c_j = 1 + \alpha r_j$ and the
preference $p_j = 1$ if $r_j > 0$, else 0. Return $u_i$, an array of shape
`(k,)` (the zero vector for a user without interactions), without modifying
the arguments. Use the $V^\top V$ trick: apart from computing $Y^\top Y$,
touch only the $n_i$ items with $r_j > 0$ (no $n\times n$ matrix, no loop
over all items). (The chapter checks it on MovieLens against the user
half-step of `fit_implicit_als`; here the test under it checks that the
gradient of the user's objective, over all $n$ items, vanishes.)
""",
    },
    {
        "label": "ex-ch8-spark-ap",
        "function": "spark_average_precision",
        "points": 2,
        # The chapter's statement without its check against Spark.
        "statement": r"""
Write `spark_average_precision(ranked, relevant, k)`: one user's AP@k with
the conventions of Spark's `RankingMetrics` listed in
{ref}`sec-scale-ranking-metrics`. `ranked` is the list of recommended ids,
best first, and `relevant` the list of the user's relevant ids, in any
order: lists of distinct integers, possibly empty; `ranked` may be shorter
than `k`, an integer $\ge 1$. Relevance is binary (an id is relevant if it
is in `relevant`). Walk the first `k` entries of `ranked` (all of them if
there are fewer); at each position $p = 1, 2, \dots$ that holds a relevant
id, add the precision of the first $p$ entries (the number of relevant ids
among them, divided by $p$). Return the sum divided by
$\min(|\text{relevant}|, k)$, with the given `k` even when `ranked` is
shorter, as a float; a user with nothing relevant scores 0. (The chapter
checks that its mean over the users of its ranking table is Spark's MAP@10;
here the test under it checks small cases by hand.)
""",
    },
    {
        "label": "ex-ch8-weighted",
        "points": 2,
        # The chapter's statement without its MovieLens check.
        "statement": r"""
Spark's implicit mode (`implicitPrefs=True`) solves, for each user,
{eq}`eq-spark-implicit`, where $n^+_i$ is the number of the user's
interactions. Derive it: write user $i$'s part of {eq}`eq-hkv-objective`
with the penalty $\lambda n^+_i \lVert u\rVert^2$ in place of
$\lambda \lVert u\rVert^2$ and set its gradient to zero. Then compare with
the paper's plain penalty $\lambda_0 \lVert u\rVert^2$ when Spark is given
$\lambda = \lambda_0 / \bar n$, with $\bar n$ the mean number of
interactions per user (so that its penalty is, on average over the users,
as large as the plain one): which users' factors does the weighted penalty
shrink more, relative to the other users' factors, and why?
""",
        "rubric": """
            1 point for the derivation: user i's part is J_i(u) =
            sum_j c_ij (p_ij - u^T v_j)^2 + lam n+_i |u|^2, its gradient
            -2 V^T C^i (p(i) - V u) + 2 lam n+_i u; setting it to 0 gives
            (V^T C^i V + lam n+_i I_k) u_i = V^T C^i p(i) (only the
            penalty term changes); 1 point for the comparison: user i's
            penalty becomes lam_0 n+_i / n_bar, larger than the plain
            lam_0 for users with more interactions than the mean and
            smaller for users with fewer, so heavy users' factors shrink
            more relative to light users' (the ratio of their factor
            norms falls; the chapter measures it on MovieLens, where the
            users' penalty alone gives about 40% of the fall). Noting
            that all norms change, since the items' penalties change
            too, is welcome but not required.
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_vectors_shipped(vectors_shipped):
    # 3 users, 4 items; user 2 and item 3 have no rating.
    R = np.array([[5.0, 0, 3, 0], [0, 4, 1, 0], [0, 0, 0, 0]])
    got = vectors_shipped(R, 1)
    assert isinstance(got, (int, np.integer)), (
        f"return an integer, got {type(got).__name__}"
    )
    # One block: each user and item with a rating is counted once.
    assert got == 2 + 3, f"B = 1: got {got}, expected 5 (2 users, 3 items)"
    # B = 2, counted by hand. Item half-step: user 0 rated items 0 and 2,
    # both in item block 0 (sent once); user 1 rated items 1 and 2, in
    # blocks 1 and 0 (sent twice): 3. User half-step: items 0 and 1 go to
    # one user block each, item 2 (users 0 and 1) to two: 4.
    got = vectors_shipped(R, 2)
    assert got == 3 + 4, f"B = 2: got {got}, expected 7"
    # With at least as many blocks as users and items, every block holds
    # one user or item: one vector per rating in each half-step.
    for B in (4, 9):
        got = vectors_shipped(R, B)
        assert got == 2 * 4, f"B = {B}: got {got}, expected 2 x 4 ratings"


def public_implicit_user(implicit_user):
    rng = np.random.default_rng(0)
    Y = rng.normal(size=(6, 3))
    r = np.array([2.0, 0, 0, 1, 0, 5])
    lam, alpha = 0.5, 4.0
    x = np.asarray(implicit_user(r, Y, lam, alpha), dtype=float)
    assert x.shape == (3,), f"expected shape (3,), got {x.shape}"
    # x minimizes the user's objective over all n items,
    # sum_j c_j (p_j - y_j . x)^2 + lam |x|^2: its gradient is 0 there.
    c = 1 + alpha * r
    p = (r > 0).astype(float)
    grad = -2 * Y.T @ (c * (p - Y @ x)) + 2 * lam * x
    assert np.allclose(grad, 0, atol=1e-8), (
        "the gradient of the user's objective is not 0"
    )
    # No interaction: the right-hand side is 0, and so is the factor.
    x0 = np.asarray(implicit_user(np.zeros(6), Y, lam, alpha), dtype=float)
    assert x0.shape == (3,) and np.allclose(x0, 0), (
        "a user without interactions gets the zero vector"
    )


def public_spark_average_precision(spark_average_precision):
    ap = spark_average_precision
    # Hits at positions 1 and 3: (1/1 + 2/3) / min(2, 4).
    got = ap([5, 1, 7, 3], [7, 5], 4)
    assert isinstance(got, (float, np.floating)), (
        f"return a float, got {type(got).__name__}"
    )
    assert np.isclose(got, (1 + 2 / 3) / 2), f"got {got}, expected 5/6"
    # Only the first k positions count: one hit, divided by min(2, 2).
    assert np.isclose(ap([5, 1, 7, 3], [7, 5], 2), 1 / 2)
    # The order of the relevant ids does not matter.
    assert np.isclose(ap([5, 1, 7, 3], [5, 7], 4), (1 + 2 / 3) / 2)
    # A perfect top 3 of a user with 5 relevant ids scores 1.
    assert np.isclose(ap([4, 2, 9, 1], [1, 2, 3, 4, 9], 3), 1.0)
    # A list shorter than k is still divided by min(|relevant|, k).
    assert np.isclose(ap([8], [8, 6], 10), 1 / 2)
    # Nothing relevant, or no relevant id shown: 0.
    assert ap([1, 2, 3], [], 3) == 0
    assert ap([1, 2, 3], [4], 3) == 0


# --- references (plain loops, from the chapter's definitions) ------------


def reference_vectors_shipped(R, n_blocks):
    """S(B, B) of (eq-spark-shipped), block pair by block pair."""
    m, n = len(R), len(R[0])
    B = n_blocks
    total = 0
    for b in range(B):  # user block
        for c in range(B):  # item block
            # the users of block b who rated an item of block c ...
            for i in range(b, m, B):
                if any(R[i][j] != 0 for j in range(c, n, B)):
                    total += 1
            # ... and the items of block c rated by a user of block b
            for j in range(c, n, B):
                if any(R[i][j] != 0 for i in range(b, m, B)):
                    total += 1
    return total


def reference_implicit_user(r, Y, lam, alpha):
    """(eq-hkv-user) built as written, over all n items:

    (sum_j c_j y_j y_j^T + lam I) x = sum_j c_j p_j y_j.
    """
    n, k = len(Y), len(Y[0])
    A = [[0.0] * k for _ in range(k)]
    b = [0.0] * k
    for j in range(n):
        c = 1.0 + alpha * r[j]
        p = 1.0 if r[j] > 0 else 0.0
        for a in range(k):
            b[a] += c * p * Y[j][a]
            for d in range(k):
                A[a][d] += c * Y[j][a] * Y[j][d]
    for a in range(k):
        A[a][a] += lam
    return np.linalg.solve(np.array(A), np.array(b))


def reference_spark_average_precision(ranked, relevant, k):
    """AP@k with RankingMetrics' conventions, precision recounted at
    each hit."""
    if len(relevant) == 0:
        return 0.0
    total = 0.0
    for p in range(1, min(k, len(ranked)) + 1):
        if ranked[p - 1] in relevant:
            hits = 0
            for q in range(p):
                if ranked[q] in relevant:
                    hits += 1
            total += hits / p
    return total / min(len(relevant), k)


# --- hidden inputs --------------------------------------------------------


def _ratings(rng, m, n, density):
    """Half-star ratings, 0 = unobserved, at least one rating."""
    R = rng.integers(1, 11, size=(m, n)) / 2.0
    R[rng.random((m, n)) > density] = 0.0
    R[rng.integers(m), rng.integers(n)] = 4.0
    return R


def _counts(rng, n, zero=0.5):
    """A user's interaction counts: 0 to 6, or strengths like 0.5."""
    if rng.random() < 0.7:
        r = rng.integers(1, 7, size=n).astype(float)
    else:
        r = rng.choice([0.5, 1.0, 1.5, 2.5, 4.0], size=n)
    r[rng.random(n) < zero] = 0.0
    return r


def _lists(rng, case):
    """(ranked, relevant, k): distinct ids, Python lists of ints."""
    pool = rng.permutation(40)
    length = (
        int(rng.integers(0, 13)) if case != 3 else int(rng.integers(1, 4))
    )
    ranked = pool[:length].tolist()
    n_rel = int(rng.integers(1, 9)) if case != 1 else 0
    # relevant ids drawn from the list and from outside it
    relevant = rng.choice(pool[:20], size=n_rel, replace=False).tolist()
    k = int(rng.integers(1, 13)) if case != 3 else int(rng.integers(5, 15))
    return ranked, relevant, k


def _probes(label):
    """Fixed inputs added to every draw, the same for every student:
    a user and an item without ratings, B larger than m and n, a user
    whose rated items share a block; a user without interactions, counts
    above 1 and strengths below 1, fewer interactions (and items) than k;
    nothing relevant, an empty list, relevant ids only below position k,
    a list shorter than k with more relevant ids than the list holds,
    more relevant ids than k. Each one defeats a wrong variant that random
    inputs may let through (a count per rating, contiguous blocks
    i // B, one half-step only; c = alpha r, p = r, the weighted penalty
    lam n_i, Y^T Y left out; the "all" denominator, min(|relevant|,
    len(ranked)), positions counted from 0, hits counted past k)."""
    R = np.array(
        [
            [4.0, 0, 3, 0, 0, 5],
            [0, 0, 0, 0, 0, 0],
            [2, 5, 0, 0, 1, 0],
            [0, 3, 4, 0, 0, 0],
            [1, 0, 0, 0, 2, 4],
        ]
    )
    Y = np.array(
        [
            [0.8, -0.6, 0.3],
            [0.2, 1.0, -0.4],
            [-0.5, 0.4, 0.9],
            [1.2, 0.1, 0.5],
            [0.3, -0.9, -0.2],
            [-0.7, 0.6, 0.1],
        ]
    )
    Y3 = np.array(
        [
            [0.5, -1.1, 0.2, 0.7],
            [0.9, 0.3, -0.6, 0.1],
            [-0.4, 0.8, 1.0, -0.3],
        ]
    )
    return {
        "ex-ch8-shipped": [(R, 1), (R, 2), (R, 3), (R, 7), (R.T.copy(), 4)],
        "ex-ch8-implicit-user": [
            (np.array([0.0, 3, 0, 0, 1, 6]), Y, 0.5, 10.0),
            (np.zeros(6), Y, 1.0, 40.0),
            (np.array([0.0, 0.5, 0, 0, 0, 0]), Y, 0.1, 2.0),
            (np.array([2.0, 0, 1.5]), Y3, 2.0, 1.0),  # n = 3 < k = 4
        ],
        "ex-ch8-spark-ap": [
            ([3, 8, 1, 6, 2], [], 5),
            ([], [4, 9], 3),
            ([3, 8, 1, 6, 2], [6, 2, 11], 3),
            ([7, 4], [4, 7, 12, 30], 10),
            ([5, 2, 9, 7, 1, 3], [1, 2, 3, 5, 7, 9, 11, 13], 4),
            ([10, 20, 30, 40], [40, 10], 1),
            ([10, 20, 30, 40], [40, 20], 10),
        ],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for case in range(5):
        if label == "ex-ch8-shipped":
            m, n = int(rng.integers(2, 10)), int(rng.integers(2, 10))
            R = _ratings(rng, m, n, float(rng.choice([0.2, 0.4, 0.7])))
            if case == 1:
                R[-1, :] = 0.0  # a user without ratings
                R[0, 0] = 3.0
            if case == 2:
                R[:, -1] = 0.0  # an item without ratings
                R[0, 0] = 3.0
            B = int(rng.integers(1, max(m, n) + 4))
            if case == 3:
                B = max(m, n) + int(rng.integers(1, 4))  # B > m and n
            args = (R, B)
            cases.append((args, reference_vectors_shipped(*args)))
        elif label == "ex-ch8-implicit-user":
            n, k = int(rng.integers(3, 13)), int(rng.integers(1, 5))
            Y = rng.normal(0.0, 0.7, size=(n, k))
            r = _counts(rng, n)
            if case == 1:
                r[:] = 0.0  # a user without interactions
            lam = float(rng.choice([0.1, 0.5, 1.0, 5.0]))
            alpha = float(rng.choice([1.0, 2.0, 10.0, 40.0]))
            args = (r, Y, lam, alpha)
            cases.append((args, reference_implicit_user(*args)))
        elif label == "ex-ch8-spark-ap":
            args = _lists(rng, case)
            cases.append((args, reference_spark_average_precision(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch8-shipped": reference_vectors_shipped,
        "ex-ch8-implicit-user": reference_implicit_user,
        "ex-ch8-spark-ap": reference_spark_average_precision,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
