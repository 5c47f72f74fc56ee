"""Graded exercises of Chapter 3 (notebooks/03_svd.ipynb).

``QUESTIONS`` lists the chapter's graded exercises by their label in the
chapter; ``make assignments`` takes each statement and solution from the
chapter. For an autograded exercise this module holds:

* ``public_<function>(<function>)``: the test students see and run; it
  checks a property (a rank, a hand-computed case), never the answer
  itself, and must be self-contained (NumPy only);
* ``reference_<function>``: a plain-loop implementation written from the
  chapter's equations, independent of ``recsys_lessons`` and of the
  chapter's solution code;
* ``hidden_cases(label, seed)``: random inputs the student never sees,
  each with the reference's expected value.

Ratings use the book's convention: 0 = unobserved. The chapter's recipe:
centre each user's observed ratings by that user's mean over them, leave
the holes at 0 (the user's mean imputed), truncate the SVD of that matrix
A at rank k, predict mean_i + (A_k)_ij.

Singular vectors are defined up to sign (and, for equal singular values,
up to rotation), so the hidden tests grade only unique quantities: the
centred matrix, energy shares and the rank-k reconstruction, on matrices
whose s_k and s_(k+1) are well apart. The references obtain A_k without
an SVD: with b_1..b_k the leading eigenvectors of A^T A (thm-svd),
A_k = sum_l s_l a_l b_l^T = sum_l (A b_l) b_l^T.
"""

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import exercises, svd  # for your own checks
from recsys_lessons.data import toy_ratings

R = toy_ratings()  # the lesson's 5 x 5 matrix, 0 = unobserved
"""

QUESTIONS = [
    {
        "label": "ex-ch3-center",
        "function": "center_user_means",
        "points": 2,
    },
    {
        "label": "ex-ch3-energy",
        "function": "energy_share",
        "points": 2,
        "uses": ["center_user_means"],
    },
    {
        "label": "ex-ch3-predict",
        "function": "svd_predict",
        "points": 3,
        "uses": ["center_user_means"],
    },
    {
        "label": "ex-ch3-zero",
        "points": 2,
        "rubric": """
            1 point for what the rank-1 SVD of the zero-filled matrix
            captures: where the ratings are (item popularity and user
            activity), since observed values of about 3.5 stand against a
            sea of zeros. 1 point for the consequence: predictions for
            unrated cells are small (near 0, far below the 1-5 scale, hence
            a poor RMSE) but ordered by popularity, so the method behaves
            like a most-popular recommender.
        """,
    },
    {
        "label": "ex-ch3-weighted",
        "points": 2,
        "rubric": """
            1 point for a valid 2 x 2 example: a matrix with at least
            one unobserved cell and a rank-1 matrix that fits the observed
            cells exactly (e.g. A = [[1, 1], [1, 0]] with the 0
            unobserved, M = all ones). 1 point for showing that the
            truncated SVD of the filled matrix differs from that fit (it
            has a positive error on the observed cells). A valid reason:
            a rank-1 matrix's Frobenius norm is its one singular value, so
            |A_1|_F = (1 + sqrt 5) / 2 = 1.618, not |M|_F = 2; and M is the
            only rank-1 matrix exact on the three observed cells.
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_center_user_means(center_user_means):
    # User 0 rated 4 and 2 (mean 3), user 1 rated 3 (mean 3).
    R = np.array([[4.0, 0.0, 2.0], [0.0, 3.0, 0.0]])
    R0 = R.copy()
    out = center_user_means(R)
    assert isinstance(out, (tuple, list)) and len(out) == 2, (
        "return a pair (A, means)"
    )
    A, means = (np.asarray(x, dtype=float) for x in out)
    assert np.array_equal(R, R0), "center_user_means must not modify R"
    assert A.shape == (2, 3) and means.shape == (2,), (
        f"shapes {A.shape} and {means.shape}, expected (2, 3) and (2,)"
    )
    assert np.allclose(means, [3.0, 3.0]), (
        f"means {means}: average each user's observed ratings only"
    )
    assert np.allclose(A, [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]), (
        "A should hold r_ij - mean_i on observed cells and 0 in the holes"
    )


def public_energy_share(energy_share):
    # Centred by the means over observed ratings, [[3, 1, 0], [2, 0, 4]]
    # becomes A = [[1, -1, 0], [-1, 0, 1]]; A A^T = [[2, -1], [-1, 2]]
    # has eigenvalues 3 and 1, so s_1^2 / (s_1^2 + s_2^2) = 3 / 4.
    R = np.array([[3.0, 1.0, 0.0], [2.0, 0.0, 4.0]])
    share = energy_share(R, 1)
    assert np.isclose(share, 0.75), f"got {share}, expected 0.75"
    # On any matrix the shares grow with k and reach 1 at k = min(m, n).
    rng = np.random.default_rng(0)
    R = rng.integers(1, 6, size=(4, 6)).astype(float)
    R[rng.random((4, 6)) < 0.3] = 0
    R[:, 0] = [5.0, 1.0, 2.0, 4.0]  # every user has a rating
    shares = np.array([energy_share(R, k) for k in range(1, 5)])
    assert np.all(np.diff(shares) >= -1e-12), f"not increasing: {shares}"
    assert np.isclose(shares[-1], 1.0), f"share at k = 4 is {shares[-1]}"


def public_svd_predict(svd_predict):
    # With k = min(m, n) nothing is truncated: observed cells are
    # reproduced and each hole gets its user's mean (2 for user 0, who
    # rated 3 and 1; 3 for user 1, who rated 2 and 4).
    R = np.array([[3.0, 1.0, 0.0], [2.0, 0.0, 4.0]])
    P = np.asarray(svd_predict(R, 2), dtype=float)
    assert P.shape == (2, 3), f"shape {P.shape}, expected (2, 3)"
    expected = [[3.0, 1.0, 2.0], [2.0, 3.0, 4.0]]
    assert np.allclose(P, expected), (
        "with k = min(m, n), observed cells should be reproduced and "
        "holes predicted as the user's mean"
    )
    # With k = 1 the prediction minus the user means has rank 1.
    rng = np.random.default_rng(1)
    R = rng.integers(1, 6, size=(5, 4)).astype(float)
    R[rng.random((5, 4)) < 0.3] = 0
    R[:, 0] = [5.0, 1.0, 2.0, 4.0, 3.0]  # every user has a rating
    R0 = R.copy()
    P = np.asarray(svd_predict(R, 1), dtype=float)
    assert np.array_equal(R, R0), "svd_predict must not modify R"
    means = R.sum(axis=1) / (R != 0).sum(axis=1)
    s = np.linalg.svd(P - means[:, None], compute_uv=False)
    assert s[1] < 1e-8 * s[0], f"P - means has singular values {s}"


# --- correct earlier functions for the public tests ----------------------
# A public test of a function that calls an earlier exercise's function
# runs it with this version in place of the student's, as the grader runs
# it with its reference: one mistake fails one check. They call the
# package, which students have anyway (and may not call in their answers).


def correct_center_user_means(R):
    from recsys_lessons import svd

    centered, means = svd.center_by_user_mean(np.asarray(R, dtype=float))
    return centered.toarray(), means


# --- references (plain loops, from the chapter's equations) --------------


def reference_center_user_means(R):
    """mean_i over Omega_i; A_ij = r_ij - mean_i on Omega, 0 elsewhere."""
    m, n = len(R), len(R[0])
    A = np.zeros((m, n))
    means = np.zeros(m)
    for i in range(m):
        rated = [j for j in range(n) if R[i][j] != 0]
        means[i] = sum(R[i][j] for j in rated) / len(rated)
        for j in rated:
            A[i, j] = R[i][j] - means[i]
    return A, means


def _gram(A):
    """A^T A, entry by entry."""
    m, n = A.shape
    G = np.zeros((n, n))
    for a in range(n):
        for b in range(n):
            G[a, b] = sum(A[i, a] * A[i, b] for i in range(m))
    return G


def _spectrum(A):
    """s_l^2 (descending) and the b_l: eigenpairs of A^T A (thm-svd)."""
    values, vectors = np.linalg.eigh(_gram(A))
    order = np.argsort(values)[::-1]
    return np.maximum(values[order], 0.0), vectors[:, order]


def reference_energy_share(R, k):
    """sum_{l <= k} s_l^2 / |A|_F^2, with |A|_F^2 = sum_ij a_ij^2."""
    A, _ = reference_center_user_means(R)
    squares, _ = _spectrum(A)
    total = sum(
        A[i, j] ** 2 for i in range(A.shape[0]) for j in range(A.shape[1])
    )
    return float(sum(squares[:k]) / total)


def reference_svd_predict(R, k):
    """mean_i + (A_k)_ij, A_k = sum_{l <= k} (A b_l) b_l^T."""
    A, means = reference_center_user_means(R)
    _, B = _spectrum(A)
    m, n = A.shape
    P = np.zeros((m, n))
    for i in range(m):
        for j in range(n):
            P[i, j] = means[i]
            for col in range(k):
                a_b = sum(A[i, c] * B[c, col] for c in range(n))
                P[i, j] += a_b * B[j, col]
    return P


# --- hidden inputs --------------------------------------------------------


def _ratings(rng, m, n, density):
    R = rng.integers(1, 6, size=(m, n)).astype(float)
    R[rng.random((m, n)) > density] = 0
    # Every user and every item has a rating, as in the chapter's data.
    R[np.arange(m), rng.integers(0, n, size=m)] = rng.integers(1, 6, size=m)
    R[rng.integers(0, m, size=n), np.arange(n)] = rng.integers(1, 6, size=n)
    return R


def _separated(R, k):
    """s_k and s_(k+1) well apart (s_(k+1) = 0 past the last one)."""
    A, _ = reference_center_user_means(R)
    squares, _ = _spectrum(A)
    s = np.sqrt(np.append(squares, 0.0))
    return s[0] > 1e-6 and s[k - 1] - s[k] > 1e-3 * s[0]


def _probes(label):
    """Fixed inputs added to every draw, the same for every student:
    m != n, users with different means, k = 1 and k = 2 below the rank,
    predictions outside the star scale. Each one defeats a wrong variant
    that random inputs may let through (s_l for s_l^2, k +- 1 values,
    other centrings, clipping, observed cells kept as rated)."""
    few = np.array([[4.0, 0, 1, 0], [0, 3, 0, 0], [5, 1, 0, 4]])
    R = np.array(
        [
            [5.0, 5, 0, 1, 0],
            [5, 0, 1, 0, 1],
            [0, 1, 5, 5, 0],
            [1, 0, 5, 0, 5],
        ]
    )
    return {
        "ex-ch3-center": [(few,), (R,)],
        "ex-ch3-energy": [(R, 1), (R, 2)],
        "ex-ch3-predict": [(R, 1), (R, 2)],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    while len(cases) < 4:
        m, n = int(rng.integers(2, 9)), int(rng.integers(2, 9))
        R = _ratings(rng, m, n, float(rng.uniform(0.3, 0.9)))
        k = int(rng.integers(1, min(m, n) + 1))
        if not _separated(R, k):
            continue  # the truncation is not unique: draw again
        if label == "ex-ch3-center":
            args = (R,)
            cases.append((args, reference_center_user_means(*args)))
        elif label == "ex-ch3-energy":
            args = (R, k)
            cases.append((args, reference_energy_share(*args)))
        elif label == "ex-ch3-predict":
            args = (R, k)
            cases.append((args, reference_svd_predict(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch3-center": reference_center_user_means,
        "ex-ch3-energy": reference_energy_share,
        "ex-ch3-predict": reference_svd_predict,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
