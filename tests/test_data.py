import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons.data import (
    global_time_split,
    synthetic_ratings,
    temporal_split,
    to_implicit,
    toy_ratings,
    train_test_split,
)


def test_toy_matrix_shape_scale_and_copy():
    R = toy_ratings()
    assert R.shape == (5, 5)
    observed = R[R != 0]
    assert observed.size == 14
    assert set(np.unique(observed)) <= {1, 2, 3, 4, 5}
    assert (R != 0).any(axis=0).all() and (R != 0).any(axis=1).all()
    R[0, 0] = 99
    assert toy_ratings()[0, 0] == 5


def test_toy_matrix_comment_holds():
    # The statements of the comment above toy.py's matrix.
    R = toy_ratings()
    assert list(R[[0, 1], 0]) == [5, 4] and list(R[[0, 1], 3]) == [1, 1]
    assert R[0, 1] == 3
    late = R[2:]
    assert np.all(np.isin(np.nonzero(late >= 4)[1], [2, 3, 4]))
    first_two = late[:, :2]
    assert np.all(first_two[first_two != 0] == 1)


def test_synthetic_is_deterministic_per_seed():
    a = synthetic_ratings(100, 80, seed=7, density=0.3)
    b = synthetic_ratings(100, 80, seed=7, density=0.3)
    c = synthetic_ratings(100, 80, seed=8, density=0.3)
    assert (a.ratings != b.ratings).nnz == 0
    assert np.array_equal(a.user_factors, b.user_factors)
    assert (a.ratings != c.ratings).nnz > 0


def test_synthetic_default_is_movielens_100k_sized():
    d = synthetic_ratings()
    R = d.ratings
    assert R.shape == (943, 1682)
    assert abs(R.nnz - 100_000) < 1_000
    assert set(np.unique(R.data)) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert np.diff(R.indptr).min() >= 20
    counts = np.bincount(R.indices, minlength=R.shape[1])
    # Long tail: the top 10% of items hold far more than 10% of the ratings.
    top = np.sort(counts)[::-1][: R.shape[1] // 10].sum()
    assert top / R.nnz > 0.3
    assert d.user_factors.shape == (943, 8) and d.item_factors.shape == (
        1682,
        8,
    )
    assert np.allclose(d.item_factors.sum(axis=1), 1.0)
    assert np.array_equal(d.item_genres, d.item_factors.argmax(axis=1))


def test_synthetic_ratings_follow_the_planted_model():
    d = synthetic_ratings(
        300, 200, density=0.3, noise=0.3, seed=1, min_ratings_per_user=5
    )
    R = d.ratings.tocoo()
    expected = np.clip(d.expected_rating(R.row, R.col), 1, 5)
    # Rounding adds at most 0.5 and noise is small: the observed rating
    # tracks the truth.
    assert np.corrcoef(expected, R.data)[0, 1] > 0.9
    assert np.mean(np.abs(expected - R.data)) < 0.5


def test_split_is_a_partition_per_user(split_data):
    train, test = split_data
    assert train.shape == test.shape
    assert train.multiply(test).nnz == 0
    assert np.all(np.diff(train.indptr) >= 1)
    full = train + test
    d = synthetic_ratings(
        n_users=200,
        n_items=150,
        rank=4,
        density=0.1,
        min_ratings_per_user=5,
        seed=11,
    )
    assert (full != d.ratings).nnz == 0
    n = np.diff(full.indptr)
    expected = np.minimum(np.floor(0.2 * n + 0.5), n - 1)
    assert np.array_equal(np.diff(test.indptr), expected)


def test_split_keeps_single_rating_users_in_train():
    R = np.zeros((3, 4))
    R[0, 1] = 4
    R[1, :] = [1, 2, 3, 4]
    R[2, 0] = 5
    train, test = train_test_split(R, 0.5, seed=0)
    assert train[0, 1] == 4 and train[2, 0] == 5
    assert test[1].nnz == 2 and train[1].nnz == 2


def test_split_is_random_but_reproducible(split_data):
    d = synthetic_ratings(
        n_users=200,
        n_items=150,
        rank=4,
        density=0.1,
        min_ratings_per_user=5,
        seed=11,
    )
    a = train_test_split(d.ratings, 0.2, seed=0)[1]
    b = train_test_split(d.ratings, 0.2, seed=1)[1]
    assert (a != split_data[1]).nnz == 0
    assert (a != b).nnz > 0


def test_temporal_split_holds_out_the_latest():
    R = sp.csr_matrix(
        np.array([[5, 4, 3, 2, 1], [1, 0, 2, 0, 3]], dtype=float)
    )
    T = sp.csr_matrix(
        np.array([[50, 10, 40, 20, 30], [3, 0, 1, 0, 2]], dtype=float)
    )
    train, test = temporal_split(R, T, 0.4)
    assert sorted(test[0].indices.tolist()) == [0, 2]
    assert test[1].indices.tolist() == [0]
    with pytest.raises(ValueError, match="sparsity pattern"):
        temporal_split(R, sp.csr_matrix(np.ones((2, 5))), 0.4)


def global_time_reference(R, T, test_fraction):
    """global_time_split by plain loops: sort (time, user, item) triples,
    send the last round(f * nnz) to test."""
    entries = []
    for u in range(R.shape[0]):
        for i in range(R.shape[1]):
            if R[u, i] != 0:
                entries.append((T[u, i], u, i))
    entries.sort()
    n_test = int(np.floor(test_fraction * len(entries) + 0.5))
    train, test = np.zeros(R.shape), np.zeros(R.shape)
    for position, (_, u, i) in enumerate(entries):
        target = test if position >= len(entries) - n_test else train
        target[u, i] = R[u, i]
    return train, test


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("fraction", [0.0, 0.2, 0.5, 0.9])
def test_global_time_split_matches_a_plain_loop(seed, fraction):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 8, size=2))
    mask = rng.random(shape) < 0.6
    mask.flat[rng.integers(mask.size)] = True
    R = np.where(mask, rng.integers(1, 6, size=shape), 0).astype(float)
    # few distinct times, so that many ratings tie at the cut-off
    times = rng.integers(0, 4, size=shape).astype(float)
    T = sp.csr_matrix((times[mask.nonzero()], mask.nonzero()), shape=shape)
    train, test = global_time_split(R, T, fraction)
    want_train, want_test = global_time_reference(R, times, fraction)
    assert np.array_equal(train.toarray(), want_train)
    assert np.array_equal(test.toarray(), want_test)
    if test.nnz and train.nnz:
        assert T[train.nonzero()].max() <= T[test.nonzero()].min()


def test_global_time_split_one_cut_off_and_its_ties():
    R = sp.csr_matrix(
        np.array([[5, 4, 3, 2, 1], [1, 0, 2, 0, 3]], dtype=float)
    )
    T = sp.csr_matrix(
        np.array([[50, 10, 25, 20, 30], [30, 0, 60, 0, 30]], dtype=float)
    )
    # 8 ratings, 0.375 * 8 = 3 to test: times 60 and 50, then one of the
    # three ratings at time 30: (1, 4), the last by user, then item
    train, test = global_time_split(R, T, 0.375)
    assert sorted(zip(*test.nonzero())) == [(0, 0), (1, 2), (1, 4)]
    assert train.nnz == 5 and (train + test != R).nnz == 0
    with pytest.raises(ValueError, match="sparsity pattern"):
        global_time_split(R, sp.csr_matrix(np.ones((2, 5))), 0.4)
    with pytest.raises(ValueError, match="test_fraction"):
        global_time_split(R, T, 1.0)
    with pytest.raises(TypeError, match="timestamps"):
        global_time_split(R, T.toarray(), 0.2)


def test_to_implicit_thresholds_and_drops_below():
    R = np.array([[5, 3, 0], [4, 1, 2]], dtype=float)
    X = to_implicit(R, 4)
    assert X.toarray().tolist() == [[1, 0, 0], [1, 0, 0]]
    assert X.nnz == 2
