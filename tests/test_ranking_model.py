"""``scores`` and ``recommend`` of the ranking models against brute force.

BPR, LambdaRank and implicit ALS share them (``_ranking_model``). The
oracle scores each item with a plain loop over the factors and sorts by
(-score, item index), which is the tie rule ``ranking.top_k`` documents.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons import bpr, implicit_als, lambdarank
from recsys_lessons.data import synthetic_ratings, to_implicit


@pytest.fixture(scope="module")
def train():
    d = synthetic_ratings(
        n_users=40, n_items=30, density=0.2, seed=5, min_ratings_per_user=4
    )
    return to_implicit(d.ratings, 3)


@pytest.fixture(scope="module", params=["bpr", "lambdarank", "implicit"])
def model(request, train):
    if request.param == "bpr":
        return bpr.fit_bpr(train, 4, n_epochs=2, seed=0)
    if request.param == "lambdarank":
        return lambdarank.fit_lambdarank(
            train, 4, n_epochs=2, n_candidates=10, seed=0
        )
    return implicit_als.fit_implicit_als(
        train, 4, 0.1, alpha=5.0, n_iters=2, seed=0
    )


def loop_score(U, V, u, i):
    return sum(U[u, f] * V[i, f] for f in range(U.shape[1]))


def brute_top(U, V, u, k, seen=()):
    items = [i for i in range(V.shape[0]) if i not in set(seen)]
    items.sort(key=lambda i: (-loop_score(U, V, u, i), i))
    return items[:k]


def test_scores_equal_the_dot_products(model):
    users = [0, 7, 7, 39]
    S = model.scores(users)
    assert S.shape == (4, model.V.shape[0])
    for row, u in enumerate(users):
        for i in range(model.V.shape[0]):
            assert S[row, i] == pytest.approx(
                loop_score(model.U, model.V, u, i), abs=1e-12
            )
    assert np.allclose(model.scores(7), S[1], rtol=0, atol=1e-14)


@pytest.mark.parametrize("form", ["csr", "coo", "dense"])
def test_recommend_equals_brute_force_top_k(model, train, form):
    exclude = {
        "csr": train,
        "coo": sp.coo_matrix(train),
        "dense": train.toarray(),
    }[form]
    for u in range(0, 40, 3):
        seen = list(train[u].indices)
        for k in (1, 5, 30):
            got = model.recommend(u, k, exclude=exclude)
            want = brute_top(model.U, model.V, u, k, seen)
            assert got.tolist() == want
            assert not set(got) & set(seen)


def test_recommend_without_exclusion_and_past_the_catalogue(model):
    n = model.V.shape[0]
    assert model.recommend(3, 4).tolist() == brute_top(
        model.U, model.V, 3, 4
    )
    assert sorted(model.recommend(3, 10**6).tolist()) == list(range(n))


def test_ties_go_to_the_lower_item_and_short_lists_stay_short():
    V = np.array([[1.0], [2.0], [2.0], [0.5], [2.0]])
    m = bpr.BPRResult(np.array([[1.0], [-1.0]]), V)
    assert m.recommend(0, 3).tolist() == [1, 2, 4]
    assert m.recommend(1, 2).tolist() == [3, 0]
    seen = np.array([[0, 1, 1, 1, 1], [1, 1, 1, 1, 1]])
    assert m.recommend(0, 3, exclude=seen).tolist() == [0]
    assert m.recommend(1, 3, exclude=seen).tolist() == []


def test_bad_arguments_are_refused_by_name(model, train):
    with pytest.raises(ValueError, match="user must be <= 39"):
        model.recommend(40, 3)
    with pytest.raises(TypeError, match="user"):
        model.recommend(1.0, 3)
    with pytest.raises(ValueError, match="k must be >= 1"):
        model.recommend(1, 0)
    with pytest.raises(ValueError, match="exclude must have the model"):
        model.recommend(1, 3, exclude=train[:5])
    with pytest.raises(ValueError, match="users must lie in"):
        model.scores([0, 40])
    with pytest.raises(ValueError, match="U and V"):
        bpr.BPRResult(
            np.full((2, 1), 1e200), np.full((3, 1), 1e200)
        ).scores(0)
