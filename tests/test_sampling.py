import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons.sampling import is_positive, sample_negatives

DENSE = np.array(
    [[1.0, 0, 1, 0, 1, 0], [0, 1.0, 0, 0, 0, 1], [1.0, 1, 1, 1, 1, 0]]
)


def _unsorted_with_stored_zero():
    # Row 0 lists its items in decreasing order; row 1 stores a zero at
    # item 3: a valid CSR matrix, not canonical.
    data = np.array([1.0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
    indices = np.array([4, 2, 0, 1, 3, 5, 0, 1, 2, 3, 4])
    indptr = np.array([0, 3, 6, 11])
    M = sp.csr_matrix((data, indices, indptr), shape=DENSE.shape)
    M.has_sorted_indices = False
    return M


def test_is_positive_reads_unsorted_indices_and_stored_zeros():
    X = _unsorted_with_stored_zero()
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    users, items = np.divmod(np.arange(DENSE.size), DENSE.shape[1])
    got = is_positive(X, users, items)
    assert np.array_equal(got, DENSE[users, items] != 0)
    # the caller's matrix is not made canonical in place
    assert all(
        np.array_equal(a, b)
        for a, b in zip(before, (X.data, X.indices, X.indptr))
    )


def test_sample_negatives_never_returns_a_positive():
    X = _unsorted_with_stored_zero()
    users = np.repeat([0, 1, 2], 200)
    items = sample_negatives(X, users, np.random.default_rng(0))
    assert np.all(DENSE[users, items] == 0)
    # user 1's stored zero (item 3) is a negative like the others
    assert 3 in items[users == 1]


def test_sampling_checks_its_arguments():
    X = sp.csr_matrix(DENSE)
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="rng must be a numpy.random"):
        sample_negatives(X, [0], 0)
    with pytest.raises(ValueError, match=r"users must lie in \[0, 3\)"):
        sample_negatives(X, [3], rng)
    with pytest.raises(ValueError, match="items must lie in"):
        is_positive(X, [0], [-1])
    with pytest.raises(ValueError, match="equal length"):
        is_positive(X, [0, 1], [0])
    with pytest.raises(ValueError, match="users: a user has interacted"):
        sample_negatives(sp.csr_matrix(np.ones((2, 3))), [1], rng)


@pytest.mark.parametrize("cls", [sp.csr_matrix, sp.csr_array])
@pytest.mark.parametrize(
    "flag", [None, "has_sorted_indices", "has_canonical_format"]
)
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "bsr"])
def test_sampling_reads_matrices_whose_flags_lie(cls, flag, fmt):
    # Rows list their items out of order, while the matrix may claim to be
    # sorted: the answers must come from the entries, not from the flags.
    data = np.ones(10)
    indices = np.array([4, 2, 0, 5, 1, 4, 3, 2, 1, 0])
    X = cls((data, indices, np.array([0, 3, 5, 10])), shape=DENSE.shape)
    X = X if fmt == "csr" else X.asformat(fmt)
    if flag is not None and hasattr(X, flag):
        setattr(X, flag, True)
    users, items = np.divmod(np.arange(DENSE.size), DENSE.shape[1])
    assert np.array_equal(
        is_positive(X, users, items), DENSE[users, items] != 0
    )
    drawn = sample_negatives(
        X, np.repeat([0, 1, 2], 100), np.random.default_rng(1)
    )
    assert np.all(DENSE[np.repeat([0, 1, 2], 100), drawn] == 0)
