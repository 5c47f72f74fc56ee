import numpy as np
import pytest

from recsys_lessons import evaluation, metrics, sampling
from recsys_lessons import lambdarank as lr
from recsys_lessons.data import synthetic_ratings, train_test_split


def ndcg_of_order(scores, y, k, gain):
    order = np.argsort(-scores, kind="stable")
    return metrics.ndcg_at_k(y[order], k, gain)


@pytest.mark.parametrize("k", [None, 3])
@pytest.mark.parametrize("gain", ["exponential", "linear"])
def test_delta_ndcg_equals_brute_force_swaps(rng, k, gain):
    for _ in range(5):
        s = rng.normal(size=8)
        y = rng.integers(0, 4, size=8).astype(float)
        D = lr.delta_ndcg(s, y, k, gain)
        base = ndcg_of_order(s, y, k, gain)
        for i in range(8):
            for j in range(8):
                swapped = s.copy()
                swapped[i], swapped[j] = s[j], s[i]
                assert D[i, j] == pytest.approx(
                    abs(ndcg_of_order(swapped, y, k, gain) - base),
                    abs=1e-12,
                )


def test_ranknet_gradient_matches_finite_differences(rng):
    s = rng.normal(size=7)
    y = rng.integers(0, 3, size=7).astype(float)
    g = lr.ranknet_gradients(s, y, gamma=1.7)
    h = 1e-6
    for i in range(7):
        e = np.zeros(7)
        e[i] = h
        num = (
            lr.ranknet_loss(s + e, y, 1.7) - lr.ranknet_loss(s - e, y, 1.7)
        ) / (2 * h)
        assert num == pytest.approx(g[i], abs=1e-8)


@pytest.mark.parametrize("k", [None, 4])
def test_lambdas_are_the_gradient_of_the_delta_weighted_cost(rng, k):
    s = rng.normal(size=9)
    y = rng.integers(0, 4, size=9).astype(float)
    W = lr.delta_ndcg(s, y, k)
    g = lr.lambda_gradients(s, y, gamma=0.8, cutoff=k)
    h = 1e-6
    for i in range(9):
        e = np.zeros(9)
        e[i] = h
        num = (
            lr.ranknet_loss(s + e, y, 0.8, W)
            - lr.ranknet_loss(s - e, y, 0.8, W)
        ) / (2 * h)
        assert num == pytest.approx(g[i], abs=1e-8)


def test_lambda_signs_and_balance(rng):
    s = np.zeros(4)
    y = np.array([0.0, 2.0, 1.0, 0.0])
    g = lr.lambda_gradients(s, y)
    assert g.sum() == pytest.approx(0.0, abs=1e-15)
    assert (
        g[1] < 0 and g[0] > 0
    )  # relevant pushed up, irrelevant pushed down
    assert np.all(lr.lambda_gradients(s, np.zeros(4)) == 0)


def test_truncation_zeroes_pairs_below_k():
    s = np.array([4.0, 3.0, 2.0, 1.0, 0.0])
    y = np.array([0.0, 0.0, 0.0, 2.0, 1.0])
    D = lr.delta_ndcg(s, y, cutoff=2)
    assert D[3, 4] == 0 and D[0, 3] > 0


def test_compiled_epoch_equals_reference(rng):
    d = synthetic_ratings(
        40, 60, rank=3, density=0.2, min_ratings_per_user=4, seed=2
    )
    R = d.ratings
    for method in ("lambdarank", "ranknet"):
        for k in (None, 5):
            cands = sampling.sample_candidates(R, 20, seed=4)
            order = np.random.default_rng(0).permutation(R.shape[0])
            U = rng.normal(scale=0.1, size=(40, 6))
            V = rng.normal(scale=0.1, size=(60, 6))
            U2, V2 = U.copy(), V.copy()
            lr.lambdarank_epoch(
                U,
                V,
                cands,
                order,
                0.05,
                0.01,
                gamma=1.3,
                cutoff=k,
                method=method,
            )
            lr.lambdarank_epoch_reference(
                U2,
                V2,
                cands,
                order,
                0.05,
                0.01,
                gamma=1.3,
                cutoff=k,
                method=method,
            )
            assert (
                np.max(np.abs(U - U2)) < 1e-12
                and np.max(np.abs(V - V2)) < 1e-12
            )


def test_candidates_hold_positives_and_negatives():
    d = synthetic_ratings(
        30, 50, rank=3, density=0.3, min_ratings_per_user=4, seed=2
    )
    R = d.ratings
    indptr, items, labels = sampling.sample_candidates(R, 20, seed=0)
    dense = R.toarray()
    for u in range(30):
        c = items[indptr[u] : indptr[u + 1]]
        y = labels[indptr[u] : indptr[u + 1]]
        assert c.size == 20
        assert np.array_equal(dense[u, c], y)
        assert (y > 0).sum() == min(10, (dense[u] > 0).sum())


def test_lambdarank_training_raises_heldout_ndcg():
    d = synthetic_ratings(
        120, 100, rank=3, density=0.2, min_ratings_per_user=5, seed=8
    )
    train, test = train_test_split(d.ratings, 0.2, seed=0)
    res = lr.fit_lambdarank(
        train,
        8,
        0.005,
        learning_rate=0.05,
        n_epochs=10,
        n_candidates=30,
        seed=0,
        test=test,
    )
    assert res.history["ndcg"].shape == (11,)
    assert res.history["ndcg"][-1] > res.history["ndcg"][0] + 0.05


def test_gamma_and_score_scale_trade_off(rng):
    # P_ij depends on gamma (s_i - s_j) only; the forces carry one more
    # factor gamma, so scaling s by c and gamma by 1/c divides them by c.
    s = rng.normal(size=6)
    y = rng.integers(0, 4, size=6).astype(float)
    g = lr.lambda_gradients(s, y, gamma=1.5)
    assert np.allclose(
        lr.lambda_gradients(4.0 * s, y, gamma=1.5 / 4.0),
        g / 4.0,
        rtol=1e-12,
    )


def _loop_integral(force, s, a, b, radius, n):
    total = 0.0
    for t in (np.arange(n) + 0.5) * 2 * np.pi / n:
        p = s.copy()
        p[a] += radius * np.cos(t)
        p[b] += radius * np.sin(t)
        f = force(p)
        total += radius * (-f[a] * np.sin(t) + f[b] * np.cos(t))
    return total * 2 * np.pi / n


def test_lambdarank_forces_are_no_gradient_field():
    # Chapter 5: around a loop through other rankings the forces do not
    # integrate to 0, so no cost has them as its gradient; RankNet's do.
    s = np.array([0.5, 0.4, 0.3, 0.2, 0.1])
    y = np.array([0.0, 2.0, 3.0, 1.0, 0.0])
    lam_loop = _loop_integral(
        lambda p: lr.lambda_gradients(p, y), s, 0, 2, 0.3, 500
    )
    rn_loop = _loop_integral(
        lambda p: lr.ranknet_gradients(p, y), s, 0, 2, 0.3, 500
    )
    assert abs(lam_loop) > 0.05 and abs(rn_loop) < 1e-12
    # a loop that crosses no tie stays inside one ranking: integral 0
    small = _loop_integral(
        lambda p: lr.lambda_gradients(p, y), s, 0, 2, 0.03, 500
    )
    assert abs(small) < 1e-12


def test_one_mf_step_moves_the_mean_score_by_the_exercise_formula(rng):
    # Forces sum to 0, yet with shared factors the list's mean score moves
    # by -(eta / n) (sum_t Lambda_t v_t) . (sum_t v_t) (lambda = 0).
    U = rng.normal(size=(1, 3))
    V = rng.normal(size=(7, 3))
    y = np.array([2.0, 0.0, 1.0, 3.0, 0.0, 0.0, 1.0])
    s = V @ U[0]
    force = lr.lambda_gradients(s, y)
    predicted = -0.2 / 7 * (force @ V) @ V.sum(axis=0)
    lr.lambdarank_epoch(
        U, V, (np.array([0, 7]), np.arange(7), y), [0], 0.2, 0.0
    )
    moved = (V @ U[0]).mean() - s.mean()
    assert abs(force.sum()) < 1e-15
    assert abs(moved) > 1e-4
    assert moved == pytest.approx(predicted, rel=1e-10)


@pytest.mark.parametrize(
    "epoch", [lr.lambdarank_epoch, lr.lambdarank_epoch_reference]
)
def test_penalty_is_lam_times_squared_norm(rng, epoch):
    # A list whose labels are all equal has no pair, so no force: the step
    # is the penalty's alone. lam * |theta|^2 (no 1/2, Chapter 5's
    # eq-lambdarank-mf-step) has gradient 2 * lam * theta, so each factor
    # the list touches shrinks by 1 - 2 * eta * lam; the others stay put.
    U = rng.normal(size=(2, 3))
    V = rng.normal(size=(6, 3))
    U0, V0 = U.copy(), V.copy()
    items = np.array([1, 3, 4])
    lists = (np.array([0, 0, 3]), items, np.ones(3))
    eta, lam = 0.1, 0.25
    epoch(U, V, lists, [0, 1], eta, lam)
    shrink = 1.0 - 2.0 * eta * lam
    assert np.allclose(U[1], shrink * U0[1], rtol=1e-14, atol=0)
    assert np.array_equal(U[0], U0[0])
    assert np.allclose(V[items], shrink * V0[items], rtol=1e-14, atol=0)
    rest = np.setdiff1d(np.arange(6), items)
    assert np.array_equal(V[rest], V0[rest])


@pytest.mark.parametrize("method", ["lambdarank", "ranknet"])
def test_fit_is_the_plain_epoch_loop(method):
    # Chapter 5's train_mf writes fit_lambdarank's loop out by hand.
    d = synthetic_ratings(
        60, 80, rank=3, density=0.2, min_ratings_per_user=4, seed=3
    )
    R = d.ratings
    res = lr.fit_lambdarank(
        R,
        4,
        0.01,
        learning_rate=0.05,
        n_epochs=3,
        gamma=1.0,
        n_candidates=20,
        method=method,
        seed=7,
    )
    rng = np.random.default_rng(7)
    U = rng.normal(0.0, 0.1, (60, 4))
    V = rng.normal(0.0, 0.1, (80, 4))
    for _ in range(3):
        lists = sampling.sample_candidates(R, 20, rng)
        order = rng.permutation(60)
        lr.lambdarank_epoch(U, V, lists, order, 0.05, 0.01, method=method)
    assert np.array_equal(U, res.U) and np.array_equal(V, res.V)


# -- argument checks the hardening battery does not reach (issue #16)


def _one_list(rng):
    U = rng.normal(size=(2, 3))
    V = rng.normal(size=(6, 3))
    lists = (np.array([0, 3, 6]), np.arange(6), np.array([2.0, 0, 1] * 2))
    return U, V, lists


@pytest.mark.parametrize(
    "epoch", [lr.lambdarank_epoch, lr.lambdarank_epoch_reference]
)
def test_epoch_checks_everything_before_updating(rng, epoch):
    U, V, (indptr, items, labels) = _one_list(rng)
    U0, V0 = U.copy(), V.copy()
    bad_items = items.copy()
    bad_items[-1] = 6  # one past V's rows
    with pytest.raises(ValueError, match="candidates"):
        epoch(U, V, (indptr, bad_items, labels), [0, 1], 0.1, 0.0)
    with pytest.raises(ValueError, match="order"):
        epoch(U, V, (indptr, items, labels), [0, 2], 0.1, 0.0)
    assert np.array_equal(U, U0) and np.array_equal(V, V0)
    # U and V are updated in place: a copy would leave them unchanged
    with pytest.raises(TypeError, match="U must be a float64"):
        epoch(U.astype(int), V, (indptr, items, labels), [0], 0.1, 0.0)
    V.setflags(write=False)
    with pytest.raises(ValueError, match="V is read-only"):
        epoch(U, V, (indptr, items, labels), [0], 0.1, 0.0)


@pytest.mark.parametrize(
    "epoch", [lr.lambdarank_epoch, lr.lambdarank_epoch_reference]
)
def test_epoch_overflow_is_an_error_naming_the_learning_rate(rng, epoch):
    U, V, lists = _one_list(rng)
    with pytest.raises(ValueError, match="learning_rate"):
        epoch(U * 1e200, V * 1e200, lists, [0, 1], 10.0, 0.0, gamma=100)


def test_fit_overflow_is_an_error_naming_the_learning_rate():
    R = np.array([[3.0, 0, 1, 0], [0, 2.0, 0, 1], [1.0, 0, 0, 2]])
    U0 = np.full((3, 2), 1e200)
    V0 = np.full((4, 2), -1e200)
    with pytest.raises(ValueError, match="learning_rate"):
        lr.fit_lambdarank(
            R,
            2,
            0.0,
            learning_rate=10.0,
            n_epochs=2,
            gamma=100.0,
            n_candidates=4,
            init=(U0, V0),
        )


def test_exponential_gain_label_limit():
    from recsys_lessons._validation import MAX_EXPONENTIAL_LABEL

    s = np.array([0.3, 0.2, 0.1])
    top = float(MAX_EXPONENTIAL_LABEL)
    assert np.all(np.isfinite(lr.lambda_gradients(s, [top, 1.0, 0.0])))
    for call in (lr.delta_ndcg, lr.lambda_gradients):
        with pytest.raises(ValueError, match="MAX_EXPONENTIAL_LABEL"):
            call(s, [top + 1, 1.0, 0.0])
    # the linear gain and RankNet (no gains) take any label
    big = np.array([2000.0, 1.0, 0.0])
    assert np.all(np.isfinite(lr.delta_ndcg(s, big, gain="linear")))
    assert np.all(np.isfinite(lr.ranknet_gradients(s, big)))


def test_labels_must_be_nonnegative_and_errors_name_test():
    R = np.array([[3.0, 0, 1, 0], [0, 2.0, 0, 1], [1.0, 0, 0, 2]])
    with pytest.raises(ValueError, match="R must hold relevance labels"):
        sampling.sample_candidates(-R, 2)
    with pytest.raises(ValueError, match="test must hold relevance"):
        lr.fit_lambdarank(R, 2, n_epochs=1, n_candidates=4, test=-R)
    with pytest.raises(ValueError, match="test holds a label"):
        lr.fit_lambdarank(R, 2, n_epochs=1, n_candidates=4, test=R * 500)


def test_heldout_ndcg_checks_its_arguments(rng):
    R = np.array([[3.0, 0, 1, 0], [0, 2.0, 0, 1], [1.0, 0, 0, 2]])
    train = (R > 0) & (R < 2)
    test = np.where(R >= 2, R, 0.0)
    U, V = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    value = evaluation.heldout_ndcg(U, V, test, train, cutoff=2)
    assert 0.0 <= value <= 1.0
    for bad, words in (
        (dict(U=U[:2]), "U must have 3 rows"),
        (dict(V=V[:, :1]), "V must have 2 columns"),
        (dict(U=U * np.nan), "U contains NaN"),
        (dict(test=-test), "test must hold relevance labels"),
        (dict(test=test * 500), "test holds a label"),
        (dict(cutoff=0), "cutoff must be >= 1"),
        (dict(gain="log"), "gain must be one of"),
        (dict(U=U * 1e200, V=V * 1e200), "U and V are too large"),
    ):
        args = dict(U=U, V=V, test=test, train=train, cutoff=2) | bad
        with pytest.raises((TypeError, ValueError), match=words):
            evaluation.heldout_ndcg(**args)
    assert np.isfinite(
        evaluation.heldout_ndcg(U, V, test * 500, train, 2, "linear")
    )
