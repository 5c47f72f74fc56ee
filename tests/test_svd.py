import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons import svd
from recsys_lessons.data import synthetic_ratings, toy_ratings


def dense_centered(R):
    R = R.toarray() if sp.issparse(R) else np.asarray(R)
    A = np.zeros_like(R, dtype=float)
    means = np.zeros(R.shape[0])
    for i in range(R.shape[0]):
        seen = R[i] != 0
        means[i] = R[i, seen].mean()
        A[i, seen] = R[i, seen] - means[i]
    return A, means


@pytest.mark.parametrize("shape,k", [((30, 20), 4), ((500, 450), 10)])
def test_truncated_svd_equals_full_svd_cut_by_hand(shape, k):
    # (500, 450) with k=10 takes the ARPACK path, (30, 20) the LAPACK one.
    d = synthetic_ratings(
        *shape, rank=5, density=0.2, min_ratings_per_user=3, seed=5
    )
    model = svd.truncated_svd(d.ratings, k)
    A, means = dense_centered(d.ratings)
    U, s, Vt = np.linalg.svd(A)
    assert np.allclose(model.user_means, means)
    assert np.allclose(model.singular_values, s[:k], rtol=1e-9)
    best = means[:, None] + (U[:, :k] * s[:k]) @ Vt[:k]
    assert np.allclose(model.reconstruct(), best, atol=1e-8)
    assert np.allclose(model.energy(), np.cumsum(s[:k] ** 2) / np.sum(s**2))


def test_eckart_young_no_random_rank_k_matrix_beats_it(rng):
    R = toy_ratings()
    A, means = dense_centered(R)
    k = 2
    model = svd.truncated_svd(R, k)
    best = np.linalg.norm(A - (model.reconstruct() - means[:, None]))
    start = rng.normal(size=(5, k)), rng.normal(size=(5, k))
    for _ in range(2000):
        X = rng.normal(size=(5, k)) + start[0]
        Y = rng.normal(size=(5, k)) + start[1]
        assert np.linalg.norm(A - X @ Y.T) >= best - 1e-12
    # and a local random search started at the optimum never improves it
    Uk = model.user_factors * model.singular_values
    for scale in (1e-1, 1e-3):
        for _ in range(500):
            X = Uk + scale * rng.normal(size=Uk.shape)
            Y = model.item_factors + scale * rng.normal(
                size=model.item_factors.shape
            )
            assert np.linalg.norm(A - X @ Y.T) >= best - 1e-12


def test_centering_imputes_user_mean_for_missing_entries():
    R = np.array([[4.0, 0, 2.0], [0, 5.0, 0]])
    C, means = svd.center_by_user_mean(R)
    assert means.tolist() == [3.0, 5.0]
    assert C.toarray().tolist() == [[1.0, 0, -1.0], [0, 0, 0]]
    assert C.nnz == 3
    full = svd.truncated_svd(R, 2)
    assert np.allclose(full.reconstruct(), [[4, 3, 2], [5, 5, 5]])


def test_prediction_clipping_and_errors():
    R = toy_ratings()
    model = svd.truncated_svd(R, 1)
    full = model.reconstruct()
    assert np.allclose(model.reconstruct(clip=(1, 5)), np.clip(full, 1, 5))
    rows, cols = np.nonzero(R)
    err = R[rows, cols] - full[rows, cols]
    assert model.rmse(R) == pytest.approx(np.sqrt(np.mean(err**2)))
    assert model.mae(R) == pytest.approx(np.mean(np.abs(err)))


def test_captured_energy_closed_form():
    assert np.allclose(svd.captured_energy([3.0, 4.0]), [9 / 25, 1.0])
    assert np.allclose(
        svd.captured_energy([3.0], total_energy=25.0), [9 / 25]
    )


def test_sign_convention_is_deterministic():
    d = synthetic_ratings(
        40, 30, rank=3, density=0.3, min_ratings_per_user=3, seed=2
    )
    a = svd.truncated_svd(d.ratings, 3)
    b = svd.truncated_svd(d.ratings.toarray(), 3)
    assert np.array_equal(a.item_factors, b.item_factors)
    top = np.argmax(np.abs(a.item_factors), axis=0)
    assert np.all(a.item_factors[top, range(3)] > 0)


def test_truncating_a_larger_model_equals_fitting_the_smaller_one():
    d = synthetic_ratings(
        60, 50, rank=4, density=0.3, min_ratings_per_user=3, seed=4
    )
    big = svd.truncated_svd(d.ratings, 10)
    small = svd.truncated_svd(d.ratings, 3)
    assert np.allclose(
        big.truncate(3).reconstruct(), small.reconstruct(), atol=1e-10
    )


def test_zero_centred_matrix_gives_zero_singular_values_on_both_paths():
    # Issue #16, item 4: implicit 0/1-like data centres to all zeros; the
    # ARPACK path (k = 5) cannot start on it and used to raise
    # ArpackError. Both paths must give the rank-k SVD of the zero
    # matrix: zero singular values, LAPACK's unit vectors.
    R = sp.identity(500, format="csr") * 3
    arpack = svd.truncated_svd(R, 5)
    lapack = svd.truncated_svd(R, 200)  # k > min(m, n) / 3: dense
    assert np.array_equal(arpack.singular_values, np.zeros(5))
    assert np.array_equal(arpack.user_factors, lapack.user_factors[:, :5])
    assert np.array_equal(arpack.item_factors, lapack.item_factors[:, :5])
    assert np.array_equal(arpack.reconstruct(), np.full((500, 500), 3.0))
    assert np.array_equal(arpack.energy(), np.zeros(5))
    assert np.array_equal(arpack.predict([0, 499], [7, 0]), [3.0, 3.0])


def test_dense_svd_of_a_huge_matrix_is_refused_by_name():
    R = sp.csr_matrix(
        (np.array([4.0, 2.0, 5.0]), ([0, 0, 1], [3, 5, 2])),
        shape=(20_000, 10_000),
    )
    with pytest.raises(ValueError, match=r"k = 4000 > min\(m, n\) / 3"):
        svd.truncated_svd(R, 4000)


def test_captured_energy_is_scale_free_and_refuses_zeros():
    s = np.array([3.0, 2.0, 1.0])
    assert np.allclose(
        svd.captured_energy(s * 1e300), svd.captured_energy(s)
    )
    with pytest.raises(ValueError, match="singular_values are all zero"):
        svd.captured_energy([0.0, 0.0])
