import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons.data import synthetic_ratings, train_test_split


@pytest.fixture(scope="session")
def small_data():
    """A small synthetic matrix; one user and one item have no ratings."""
    d = synthetic_ratings(
        n_users=60,
        n_items=40,
        rank=3,
        density=0.3,
        min_ratings_per_user=3,
        seed=3,
    )
    R = d.ratings.tolil()
    R[5, :] = 0
    R[:, 7] = 0
    R = sp.csr_matrix(R)
    R.eliminate_zeros()
    return R


@pytest.fixture(scope="session")
def split_data():
    d = synthetic_ratings(
        n_users=200,
        n_items=150,
        rank=4,
        density=0.1,
        min_ratings_per_user=5,
        seed=11,
    )
    return train_test_split(d.ratings, 0.2, seed=0)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
