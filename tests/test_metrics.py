import math

import numpy as np
import pytest
from ranx import Qrels, Run, evaluate
from sklearn.metrics import ndcg_score

from recsys_lessons import metrics as M
from recsys_lessons.ranking import ranked_relevance, top_k

LOG2 = math.log2


# ---- golden cases, each term written out by hand -------------------------


def test_lesson_worked_example_exponential_gain():
    ranked = [3, 2, 3, 0, 1]
    dcg = (
        7 / LOG2(2) + 3 / LOG2(3) + 7 / LOG2(4) + 0 / LOG2(5) + 1 / LOG2(6)
    )
    idcg = (
        7 / LOG2(2) + 7 / LOG2(3) + 3 / LOG2(4) + 1 / LOG2(5) + 0 / LOG2(6)
    )
    assert M.dcg_at_k(ranked) == pytest.approx(dcg, rel=1e-15)
    assert M.dcg_at_k([3, 3, 2, 1, 0]) == pytest.approx(idcg, rel=1e-15)
    assert M.ndcg_at_k(ranked) == pytest.approx(dcg / idcg, rel=1e-15)


def test_lesson_worked_example_linear_gain_and_cutoff():
    ranked = [3, 2, 3, 0, 1]
    dcg3 = 3 + 2 / LOG2(3) + 3 / 2
    idcg3 = 3 + 3 / LOG2(3) + 2 / 2
    assert M.ndcg_at_k(ranked, 3, "linear") == pytest.approx(
        dcg3 / idcg3, rel=1e-15
    )


def test_average_precision_by_hand_and_denominators():
    ranked = [1, 0, 1, 0, 0, 1]
    # hits at 1, 3, 6: precisions 1, 2/3, 3/6
    assert M.average_precision(ranked) == pytest.approx(
        (1 + 2 / 3 + 3 / 6) / 3
    )
    # at k=3 with 5 relevant items in all: "all" divides by 5, "min_k" by
    # min(3, 5)
    assert M.average_precision(ranked, 3, n_relevant=5) == pytest.approx(
        (1 + 2 / 3) / 5
    )
    assert M.average_precision(
        ranked, 3, n_relevant=5, denominator="min_k"
    ) == pytest.approx((1 + 2 / 3) / 3)
    assert M.average_precision(
        [1, 1, 1], 3, n_relevant=5, denominator="min_k"
    ) == pytest.approx(1.0)


def apk(predicted, actual, k):
    """Kaggle's ml_metrics ``apk`` as documented, in a plain loop: the
    precision at each hit among the first k predictions, divided by
    min(len(actual), k)."""
    score, hits = 0.0, 0
    for p, item in enumerate(predicted[:k], start=1):
        if item in actual and item not in predicted[: p - 1]:
            hits += 1
            score += hits / p
    return score / min(len(actual), k) if actual else 0.0


def test_min_k_average_precision_keeps_the_requested_k():
    # one hit at rank 1 of a one-item list, k = 10, 5 relevant items:
    # 1 / min(10, 5), however short the list
    assert M.average_precision(
        [1], 10, n_relevant=5, denominator="min_k"
    ) == pytest.approx(0.2)
    assert M.average_precision(
        [1, 1], 10, n_relevant=5, denominator="min_k"
    ) == pytest.approx(0.4)
    # padding the list with misses changes nothing
    assert M.average_precision(
        [1, 1] + [0] * 8, 10, n_relevant=5, denominator="min_k"
    ) == pytest.approx(0.4)


def test_min_k_average_precision_matches_apk_on_short_lists(rng):
    for _ in range(300):
        n_items = int(rng.integers(1, 15))
        actual = set(
            rng.choice(20, size=int(rng.integers(1, 8)), replace=False)
        )
        predicted = list(rng.permutation(20)[:n_items])
        k = int(rng.integers(1, 20))
        rel = [float(i in actual) for i in predicted]
        ours = M.average_precision(
            rel, k, n_relevant=len(actual), denominator="min_k"
        )
        assert ours == pytest.approx(apk(predicted, actual, k), abs=1e-15)


def test_precision_recall_hit_rate_by_hand():
    ranked = [0, 2, 0, 1, 0]
    assert M.precision_at_k(ranked, 4) == 0.5
    assert M.precision_at_k([1, 1], 4) == 0.5
    assert M.recall_at_k(ranked, 2, n_relevant=4) == 0.25
    assert (
        M.hit_rate_at_k(ranked, 1) == 0.0
        and M.hit_rate_at_k(ranked, 2) == 1.0
    )


def test_users_with_no_relevant_items_score_zero():
    zeros = np.zeros((2, 4))
    assert np.all(M.ndcg_at_k(zeros, 3) == 0)
    assert np.all(M.average_precision(zeros) == 0)
    assert np.all(M.recall_at_k(zeros, 2) == 0)


def test_ideal_relevance_beyond_the_list_lowers_ndcg():
    full = M.ndcg_at_k([1, 0], 2, ideal_relevance=[1, 1, 0])
    assert full == pytest.approx(1 / (1 + 1 / LOG2(3)))


def test_batch_equals_row_by_row(rng):
    rel = rng.integers(0, 4, size=(20, 12)).astype(float)
    for fn in (
        lambda r: M.ndcg_at_k(r, 5),
        lambda r: M.dcg_at_k(r, 5, "linear"),
        lambda r: M.average_precision(r, 5),
        lambda r: M.recall_at_k(r, 5),
    ):
        batch = fn(rel)
        assert np.allclose(
            batch, [fn(row) for row in rel], rtol=1e-14, atol=0
        )
    assert M.map_at_k(rel, 5) == pytest.approx(
        np.mean([M.average_precision(r, 5) for r in rel])
    )


# ---- against scikit-learn and ranx on random inputs ----------------------


def random_lists(rng, n_users=40, n_items=25):
    scores = rng.normal(size=(n_users, n_items))  # continuous: no ties
    labels = rng.integers(0, 4, size=(n_users, n_items)) * (
        rng.random((n_users, n_items)) < 0.4
    )
    labels[0] = 0  # one user with nothing relevant
    return scores, labels.astype(float)


@pytest.mark.parametrize("k", [5, 10, 25])
def test_ndcg_linear_matches_scikit_learn(rng, k):
    scores, labels = random_lists(rng)
    lists = ranked_relevance(scores, labels, k)
    ours = M.ndcg_at_k(
        lists.relevance, k, "linear", ideal_relevance=lists.ideal
    )
    theirs = ndcg_score(labels, scores, k=k)
    assert ours.mean() == pytest.approx(theirs, rel=1e-12)


def ranx_inputs(scores, labels):
    qrels = {
        f"u{u}": {
            f"i{i}": int(labels[u, i])
            for i in np.flatnonzero(labels[u] > 0)
        }
        for u in range(labels.shape[0])
    }
    qrels = {q: d for q, d in qrels.items() if d}
    run = {
        f"u{u}": {
            f"i{i}": float(scores[u, i]) for i in range(scores.shape[1])
        }
        for u in range(scores.shape[0])
        if f"u{u}" in qrels
    }
    keep = [u for u in range(labels.shape[0]) if f"u{u}" in qrels]
    return Qrels(qrels), Run(run), keep


@pytest.mark.parametrize("k", [5, 10])
def test_metrics_match_ranx(rng, k):
    scores, labels = random_lists(rng)
    qrels, run, keep = ranx_inputs(scores, labels)
    names = [
        f"ndcg@{k}",
        f"ndcg_burges@{k}",
        f"map@{k}",
        f"precision@{k}",
        f"recall@{k}",
        f"hit_rate@{k}",
    ]
    evaluate(qrels, run, names)
    # ranx keeps per-query values on the run, keyed by query id.
    got = {
        name: np.array([run.scores[name][f"u{u}"] for u in keep])
        for name in names
    }
    lists = ranked_relevance(scores[keep], labels[keep], k)
    rel, ideal, n_rel = lists.relevance, lists.ideal, lists.n_relevant
    assert np.allclose(
        M.ndcg_at_k(rel, k, "linear", ideal),
        got[f"ndcg@{k}"],
        rtol=1e-12,
        atol=1e-15,
    )
    assert np.allclose(
        M.ndcg_at_k(rel, k, "exponential", ideal),
        got[f"ndcg_burges@{k}"],
        rtol=1e-12,
        atol=1e-15,
    )
    assert np.allclose(
        M.average_precision(rel, k, n_rel),
        got[f"map@{k}"],
        rtol=1e-12,
        atol=1e-15,
    )
    assert np.allclose(
        M.precision_at_k(rel, k), got[f"precision@{k}"], rtol=1e-12
    )
    assert np.allclose(
        M.recall_at_k(rel, k, n_rel), got[f"recall@{k}"], rtol=1e-12
    )
    assert np.allclose(
        M.hit_rate_at_k(rel, k), got[f"hit_rate@{k}"], rtol=1e-12
    )


# ---- ranking helpers -----------------------------------------------------


def test_top_k_matches_sorting_by_hand_with_ties_and_exclusions(rng):
    scores = np.round(rng.normal(size=(15, 12)), 1)  # many ties
    excl = rng.random((15, 12)) < 0.3
    got = top_k(scores, 5, exclude=excl)
    for u in range(15):
        eligible = [i for i in range(12) if not excl[u, i]]
        eligible.sort(key=lambda i: (-scores[u, i], i))
        want = (eligible + [-1] * 5)[:5]
        assert got[u].tolist() == want


@pytest.mark.parametrize("k", [1, 3, 12, 40])
def test_top_k_equals_a_stable_full_sort(rng, k):
    scores = np.round(rng.normal(size=(30, 12)), 1)
    got = top_k(scores, k)
    want = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    assert np.array_equal(got, want)


def test_catalogue_coverage_by_hand():
    lists = np.array([[0, 3, -1], [3, 4, 0]])
    assert M.catalogue_coverage(lists, 10) == 3 / 10
    with pytest.raises(ValueError, match="outside a catalogue"):
        M.catalogue_coverage(lists, 4)


# ---- argument checks the hardening battery does not reach (issue #16) ----


def _auc_by_pairs(scores, pos, excl):
    values = []
    for s, p, e in zip(scores, pos, excl):
        neg = ~p & ~e
        if p.any() and neg.any():
            d = s[p][:, None] - s[neg][None, :]
            values.append(np.mean((d > 0) + 0.5 * (d == 0)))
    return np.mean(values)


@pytest.mark.parametrize("offset", [0.0, 2.0**54, -(2.0**60)])
def test_auc_with_exclude_at_any_score_magnitude(rng, offset):
    # Excluded items used to be pushed to S.min() - 1, which equals
    # S.min() from 2**53 on: the AUC then came out as -0.5.
    steps = rng.integers(0, 6, size=(6, 9)).astype(float)
    scores = offset + steps * max(1.0, abs(offset) * 2.0**-50)
    pos = rng.random((6, 9)) < 0.3
    excl = (rng.random((6, 9)) < 0.3) & ~pos
    pos[0, 0], excl[0, 0], pos[0, 1], excl[0, 1] = True, False, False, False
    assert M.auc(scores, pos, excl) == pytest.approx(
        _auc_by_pairs(scores, pos, excl), abs=1e-12
    )


def test_exponential_gain_label_limit():
    from recsys_lessons._validation import MAX_EXPONENTIAL_LABEL

    top = float(MAX_EXPONENTIAL_LABEL)
    assert np.isfinite(M.ndcg_at_k([1.0, top, 0.0]))
    for call in (M.dcg_at_k, M.ndcg_at_k):
        with pytest.raises(ValueError, match="MAX_EXPONENTIAL_LABEL"):
            call([1.0, top + 1, 0.0])
    with pytest.raises(ValueError, match="ideal_relevance holds a label"):
        M.ndcg_at_k([1.0, 0.0], ideal_relevance=[2000.0, 1.0])
    assert M.ndcg_at_k([2000.0, 1.0], gain="linear") == 1.0


def test_map_of_no_users_is_an_error_not_nan():
    with pytest.raises(ValueError, match="no users"):
        M.map_at_k(np.zeros((0, 3)))


def test_masks_refuse_nan_and_broken_sparse_matrices(rng):
    import scipy.sparse as sp

    scores = rng.normal(size=(2, 3))
    pos = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    with pytest.raises(ValueError, match="positives contains NaN"):
        M.auc(scores, np.where(pos > 0, np.nan, 0.0))
    broken = sp.csr_matrix(pos)
    broken.indices[0] = 10**6
    with pytest.raises(ValueError, match="exclude is not a valid sparse"):
        M.auc(scores, pos, broken)
    with pytest.raises(ValueError, match="exclude is not a valid sparse"):
        top_k(scores, 2, exclude=broken)
