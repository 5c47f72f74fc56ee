"""Graded exercises of Chapter 7 (notebooks/07_movielens.ipynb).

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

The chapter runs on MovieLens, which a grader cannot use as hidden input:
the graded functions work on small arrays (ratings in half stars from 0.5
to 5, 0 = unobserved), and the chapter's MovieLens exercises enter only as
written questions, with statements that need no data. Where a chapter
statement asks for a check on MovieLens, ``statement`` replaces it here.
"""

import math

import numpy as np

SETUP = """
import numpy as np

from recsys_lessons import metrics, ranking  # for your own checks
from recsys_lessons.baselines import fit_biases
from recsys_lessons.data import toy_ratings

R = toy_ratings()  # Chapter 2's 5 x 5 matrix, 0 = unobserved
"""

QUESTIONS = [
    {
        "label": "ex-ch7-cold-rmse",
        "function": "cold_rmse",
        "points": 2,
        # The chapter's statement without its MovieLens check.
        "statement": r"""
Write `cold_rmse(train, test, predictions, scale=(0.5, 5.0))`. `train` and
`test` are $m\times n$ arrays of ratings (0 = unobserved, no entry observed
in both) and `predictions` an $m\times n$ array of predicted ratings. Clip
the predictions to the star scale `scale`, then return the pair
`(rmse_unseen, rmse_seen)`: the RMSE over the test ratings of the movies
with no training rating (the protocol's unseen movies) and over all the
other test ratings. (The chapter checks it on MovieLens against the bias
model's `rmse`; here the test under it checks small cases.)
""",
    },
    {"label": "ex-ch7-bias-sweep", "function": "bias_sweep", "points": 3},
    {
        "label": "ex-ch7-user-ndcg",
        "function": "user_ndcg",
        "points": 3,
        "statement": r"""
Write `user_ndcg(scores, train_row, test_row, k=10, threshold=4.0)`: the
ranking protocol of the chapter's section “Ranking” for one user. `scores`
holds the user's scores of the $n$ movies, `train_row` and `test_row` the
user's training and held-out ratings (0 = unobserved). The candidates are
the movies the user did not rate in training, ranked by decreasing score,
ties broken by the lower movie index; the first `k` are shown (all of them
if there are fewer). A held-out rating $r \ge$ `threshold` (a number above
3) has the label $r - 3$, every other movie the label 0. Return NDCG@k with
the exponential gain, the ideal list being all of the user's held-out
labels (0 for a user with no relevant held-out movie). You can check it on
small random arrays: give `ranking.ranked_relevance` the user's scores
and labels as 1-row matrices (the labels $r - 3$ at or above the
threshold and 0 otherwise, not the ratings), excluding the training
ratings, then score its `lists` with `metrics.ndcg_at_k` and
`ideal_relevance=lists.ideal`.
""",
    },
    {
        "label": "ex-ch7-cold",
        "points": 2,
        "statement": r"""
On the per-user leave-latest-out split of MovieLens, the bias model
$\mu + b_u + b_i$ fitted with $\lambda = 3$ has a larger test RMSE (clipped
to the star scale) on the test ratings of movies that have no training
rating than on all the others.
What does its prediction for an unseen movie reduce to, and why is its error
larger?
""",
        "rubric": """
            1 point for the prediction: an unseen movie has no ratings
            (no residuals) to average, so its bias is b_i = 0 and the
            prediction is mu + b_u (clipped): the model knows the user,
            not the movie; 1 point for why: the movie's own offset from
            the mean (how much better or worse it is rated than average)
            is unknown, so it stays whole in the error, while for a seen
            movie b_i removes it.
        """,
    },
    {
        "label": "ex-ch7-bias-ranking",
        "points": 2,
        "statement": r"""
For one user, $\mu + b_u$ is the same for every movie, so the bias model
ranks movies by $b_i$ alone, with
$b_i = \sum_{u} (r_{ui} - \mu - b_u) / (\lambda + n_i)$ over the $n_i$ users
who rated movie $i$. On the random split of MovieLens, ranking every user's
candidates by the item biases of
`fit_biases(train, lam_user=lam, lam_item=lam)` gives NDCG@10 of 0.019
for $\lambda = 3$, 0.105 for $\lambda = 30$ and 0.129 for
$\lambda = 100$; showing everyone the most popular movies gives 0.133
(the chapter's numbers).
Explain this trend from the formula for $b_i$, and use it to explain why
the biases + ALS models of the chapter's ranking table, whose biases use
$\lambda = 3$, are the worst rankers.
""",
        "rubric": """
            1 point for the trend: with a small lambda the denominator is
            about n_i, so a movie with a few high ratings can get one
            of the largest biases and the top 10 by b_i hold movies with
            few ratings (a median of 12 at lambda = 3); a larger lambda
            shrinks those biases towards 0 (lambda dominates n_i) and
            leaves on top movies with many good ratings, close to a
            popularity ranking;
            1 point for the link: with lambda = 3 the biases + ALS
            models' item biases put such movies first; the factors on
            top change that little for the weighted variant (NDCG@10
            0.018 against 0.019 for the item biases alone) and somewhat
            for the plain one (0.070), so their top 10 are movies users
            seldom pick (a fair predicted rating, but not what is rated
            in the test set). It is the biases' lambda, chosen for RMSE:
            with lambda = 100 for the biases the plain variant ranks
            about as well as most popular.
        """,
    },
]


# --- public tests (students see and run these) ---------------------------


def public_cold_rmse(cold_rmse):
    # Movie 0 has a training rating, movie 1 has none (it is unseen).
    train = np.array([[4.0, 0.0], [0.0, 0.0]])
    test = np.array([[0.0, 3.0], [5.0, 2.0]])
    got = cold_rmse(train, test, test.copy())
    assert isinstance(got, tuple) and len(got) == 2, (
        "return the pair (rmse_unseen, rmse_seen)"
    )
    assert np.allclose(got, 0), "exact predictions have RMSE 0"
    # Off by 1 on both unseen ratings, by 2 on the seen one; entries
    # outside the test set do not count.
    pred = test + np.array([[7.0, 1.0], [-2.0, -1.0]])
    got = cold_rmse(train, test, pred)
    assert np.allclose(got, (1.0, 2.0)), f"got {got}, expected (1, 2)"
    # Predictions are clipped to the star scale first.
    got = cold_rmse(train, test, np.full((2, 2), 9.0), (0.5, 5.0))
    assert np.isclose(got[1], 0.0), "a prediction of 9 counts as 5"


def public_bias_sweep(bias_sweep):
    R = np.array([[5.0, 3, 0, 1], [4, 0, 0, 1], [1, 1, 0, 5], [0, 1, 0, 4]])
    item_bias = np.array([0.5, -0.5, 0.3, 0.2])
    kept = item_bias.copy()
    lam = 2.0
    result = bias_sweep(R, item_bias, lam)
    assert isinstance(result, tuple) and len(result) == 2, (
        "return the pair (user_bias, item_bias)"
    )
    b_user, b_item = result
    assert np.array_equal(item_bias, kept), "item_bias must not change"
    b_user = np.asarray(b_user, dtype=float)
    b_item = np.asarray(b_item, dtype=float)
    assert b_user.shape == (4,) and b_item.shape == (4,)
    rated = R != 0
    mu = R[rated].mean()
    # Each new b_u minimizes the objective with the old item biases
    # fixed: its derivative, -2 sum(residuals) + 2 lam b_u, is 0.
    for u in range(4):
        residuals = (R[u] - mu - b_user[u] - kept)[rated[u]]
        assert np.isclose(residuals.sum(), lam * b_user[u]), (
            f"user {u}'s bias is not optimal for the given item biases"
        )
    # Each new b_i minimizes it with the *new* user biases fixed.
    for i in range(4):
        residuals = (R[:, i] - mu - b_user - b_item[i])[rated[:, i]]
        assert np.isclose(residuals.sum(), lam * b_item[i]), (
            f"movie {i}'s bias is not optimal for the new user biases"
        )


def public_user_ndcg(user_ndcg):
    train = np.array([5.0, 0, 0, 0, 0, 0])
    test = np.array([0.0, 4.5, 0, 3.0, 5.0, 0])
    # Movie 4 (5 stars, label 2) then movie 1 (4.5, label 1.5) first:
    # the ideal top 2.
    scores = np.array([9.0, 2, 0, 1, 3, 0])
    assert np.isclose(user_ndcg(scores, train, test, 2), 1.0)
    # Movie 0 was rated in training: it is never shown, whatever its score.
    low = scores.copy()
    low[0] = -9.0
    assert np.isclose(
        user_ndcg(scores, train, test, 3), user_ndcg(low, train, test, 3)
    ), "a movie rated in training is not a candidate"
    # Swapping the two relevant movies costs something.
    swapped = np.array([9.0, 3, 0, 1, 2, 0])
    assert user_ndcg(swapped, train, test, 2) < 1 - 1e-9
    # The ideal list holds all the held-out labels, shown or not.
    missed = np.array([9.0, 0, 2, 1, 3, 0])  # movie 1 is not in the top 2
    assert user_ndcg(missed, train, test, 2) < 1 - 1e-9
    # From 5 stars, movie 1 (4.5 stars) is no longer relevant.
    assert user_ndcg(swapped, train, test, 1) > 0
    assert user_ndcg(swapped, train, test, 1, 5.0) == 0
    # Ties go to the lower index: equal scores rank like 5, 4, 3, ...
    flat, falling = np.zeros(6), -np.arange(6.0)
    assert np.isclose(
        user_ndcg(flat, train, test, 3), user_ndcg(falling, train, test, 3)
    ), "tied scores are broken by the lower movie index"
    # A held-out 3 is below the threshold: nothing relevant, NDCG 0.
    only_low = np.array([0.0, 0, 0, 3.0, 0, 0])
    assert user_ndcg(scores, train, only_low, 3) == 0


# --- references (plain loops, from the chapter's definitions) ------------


def reference_cold_rmse(train, test, predictions, scale=(0.5, 5.0)):
    """RMSE over the test ratings of unseen movies, and of the others."""
    m, n = len(test), len(test[0])
    low, high = scale
    sums, counts = [0.0, 0.0], [0, 0]
    for i in range(n):
        unseen = all(train[u][i] == 0 for u in range(m))
        group = 0 if unseen else 1
        for u in range(m):
            if test[u][i] != 0:
                p = min(max(predictions[u][i], low), high)
                sums[group] += (p - test[u][i]) ** 2
                counts[group] += 1
    return (
        math.sqrt(sums[0] / counts[0]),
        math.sqrt(sums[1] / counts[1]),
    )


def reference_bias_sweep(R, item_bias, lam):
    """b_u from the given b_i, then b_i from the new b_u (eq-bias)."""
    m, n = len(R), len(R[0])
    observed = [(u, i) for u in range(m) for i in range(n) if R[u][i] != 0]
    mu = sum(R[u][i] for u, i in observed) / len(observed)
    user_bias = []
    for u in range(m):
        total, count = 0.0, 0
        for i in range(n):
            if R[u][i] != 0:
                total += R[u][i] - mu - item_bias[i]
                count += 1
        user_bias.append(total / (lam + count))
    new_item_bias = []
    for i in range(n):
        total, count = 0.0, 0
        for u in range(m):
            if R[u][i] != 0:
                total += R[u][i] - mu - user_bias[u]
                count += 1
        new_item_bias.append(total / (lam + count))
    return np.array(user_bias), np.array(new_item_bias)


def reference_user_ndcg(scores, train_row, test_row, k=10, threshold=4.0):
    """The chapter's protocol for one user, exponential gain."""
    n = len(scores)
    labels = [
        test_row[j] - 3.0 if test_row[j] >= threshold else 0.0
        for j in range(n)
    ]
    candidates = [j for j in range(n) if train_row[j] == 0]
    order = sorted(candidates, key=lambda j: (-scores[j], j))
    dcg = sum(
        (2.0 ** labels[j] - 1.0) / math.log2(p + 2)
        for p, j in enumerate(order[:k])
    )
    ideal = sorted(labels, reverse=True)[:k]
    idcg = sum(
        (2.0**label - 1.0) / math.log2(p + 2)
        for p, label in enumerate(ideal)
    )
    return dcg / idcg if idcg > 0 else 0.0


# --- hidden inputs --------------------------------------------------------


def _stars(rng, shape):
    """Ratings in half stars, 0.5 to 5."""
    return rng.integers(1, 11, size=shape) / 2.0


def _cold_case(rng):
    """train/test with at least one test rating of an unseen movie and of
    a seen one; predictions that sometimes leave the star scale."""
    while True:
        m, n = int(rng.integers(3, 8)), int(rng.integers(4, 9))
        full = _stars(rng, (m, n))
        observed = rng.random((m, n)) < 0.6
        held_out = rng.random((m, n)) < 0.3
        cold = rng.choice(n, size=int(rng.integers(1, 3)), replace=False)
        held_out[:, cold] = True  # every rating of these movies is held out
        train = np.where(observed & ~held_out, full, 0.0)
        test = np.where(observed & held_out, full, 0.0)
        unseen = np.all(train == 0, axis=0)
        in_test = test != 0
        if (in_test & unseen).any() and (in_test & ~unseen).any():
            predictions = rng.normal(3.0, 1.5, size=(m, n))
            return train, test, predictions


def _user_case(rng, relevant=True):
    n = int(rng.integers(6, 16))
    train = np.where(rng.random(n) < 0.3, _stars(rng, n), 0.0)
    train[int(rng.integers(n))] = 0.0  # at least one candidate movie
    test = np.where(
        (train == 0) & (rng.random(n) < 0.5), _stars(rng, n), 0.0
    )
    free = np.flatnonzero(train == 0)
    if relevant:  # held-out ratings relevant under every threshold
        for j in rng.choice(free, size=min(2, free.size), replace=False):
            test[j] = rng.choice([4.5, 5.0])
    else:  # held-out ratings, none relevant
        test = np.where(test >= 3.5, 3.0, test)
        test[rng.choice(free)] = 3.0
    if rng.random() < 0.5:
        scores = rng.normal(size=n)
    else:  # whole-number scores, with ties
        scores = rng.integers(0, 4, size=n).astype(float)
    return scores, train, test


def _probes(label):
    """Fixed inputs added to every draw, the same for every student:
    predictions outside a star scale other than the default one, the
    default arguments left out, a user and a movie without ratings,
    a held-out rating equal to the threshold, tied scores, relevant
    movies below position k, a high score on a movie rated in training.
    Each one defeats a wrong variant that random inputs may let through
    (`scale` ignored, r > threshold, an ideal list cut to the shown
    movies or not cut at k, ties broken the other way, wrong defaults)."""
    train = np.array([[4.0, 0, 3, 0], [0, 5, 0, 0], [2, 0, 0, 0]])
    test = np.array([[0.0, 3.5, 0, 2], [1, 0, 0, 4.5], [0, 0, 4, 3]])
    predictions = np.array(
        [[9.0, 4.6, -5, 0.2], [0.7, 9, 9, 4.3], [-5, 9, 6, 3.3]]
    )
    R = np.array(
        [
            [4.0, 0, 3.5, 5, 0],
            [0, 2, 4.5, 0, 0],
            [1.5, 3, 0, 4, 0],
            [0, 0, 0, 0, 0],
        ]
    )
    item_bias = np.array([0.3, -0.4, 0.2, 0.5, 0.7])
    row_train = np.zeros(12)
    row_train[[0, 5]] = 5.0, 3.5
    row_test = np.zeros(12)
    row_test[[1, 2, 4, 6, 8, 10, 11]] = 4.0, 5, 4.5, 3.5, 4, 3, 5
    scores = np.zeros(12)
    scores[[0, 1, 4, 6, 8, 2, 11]] = 10.0, 2, 2, 2, 2, 1, 0.5
    wide_train = np.zeros(16)
    wide_train[3] = 4.0
    wide_test = np.zeros(16)
    wide_test[[1, 7, 12, 14]] = 3.5, 5, 4.5, 4
    return {
        "ex-ch7-cold-rmse": [
            (train, test, predictions, (1.0, 4.0)),
            (train, test, predictions - 0.5),
        ],
        "ex-ch7-bias-sweep": [(R, item_bias, 2.0)],
        "ex-ch7-user-ndcg": [
            (scores, row_train, row_test, 3, 4.0),
            (-np.arange(16.0), wide_train, wide_test),
            (np.zeros(12), row_train, row_test, 20, 4.5),
        ],
    }[label]


def hidden_cases(label, seed):
    """[(args, expected), ...] for ``label``; ``seed`` fixes the draw,
    then the fixed probes of ``_probes`` follow."""
    rng = np.random.default_rng([seed, sum(map(ord, label))])
    cases = []
    for case in range(5):
        if label == "ex-ch7-cold-rmse":
            train, test, predictions = _cold_case(rng)
            scale = ((0.5, 5.0), (1.0, 5.0))[case % 2]
            args = (train, test, predictions, scale)
            cases.append((args, reference_cold_rmse(*args)))
        elif label == "ex-ch7-bias-sweep":
            m, n = int(rng.integers(3, 9)), int(rng.integers(3, 9))
            R = np.where(rng.random((m, n)) < 0.5, _stars(rng, (m, n)), 0.0)
            R[0, 0] = _stars(rng, 1)[0]  # at least one rating
            if case == 1:
                R[:, -1] = 0.0  # a movie nobody rated
            if case == 2:
                R[-1, :] = 0.0  # a user without ratings
            item_bias = rng.normal(0.0, 0.5, size=n)
            lam = float(rng.choice([0.5, 1.0, 3.0, 10.0]))
            args = (R, item_bias, lam)
            cases.append((args, reference_bias_sweep(*args)))
        elif label == "ex-ch7-user-ndcg":
            scores, train, test = _user_case(rng, relevant=case != 4)
            k = int(rng.integers(2, 11))
            threshold = float(rng.choice([3.5, 4.0, 4.5]))
            args = (scores, train, test, k, threshold)
            cases.append((args, reference_user_ndcg(*args)))
        else:
            raise ValueError(f"no hidden cases for {label}")
    reference = {
        "ex-ch7-cold-rmse": reference_cold_rmse,
        "ex-ch7-bias-sweep": reference_bias_sweep,
        "ex-ch7-user-ndcg": reference_user_ndcg,
    }[label]
    return cases + [(args, reference(*args)) for args in _probes(label)]
