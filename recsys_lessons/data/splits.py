"""Hold-out splits and the explicit-to-implicit conversion."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._validation import (
    check_float,
    check_ratings,
    check_rng,
    check_same_shape,
    check_sparse,
)

__all__ = [
    "train_test_split",
    "temporal_split",
    "global_time_split",
    "to_implicit",
]


def _row_of_entry(M):
    return np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))


def _split_by_order(M, order_key, test_fraction):
    """Send the last ``floor(f * n_u + 1/2)`` entries of each row (by
    ``order_key``) to test, keeping at least one entry of every non-empty
    row in train."""
    rows = _row_of_entry(M)
    counts = np.diff(M.indptr)
    n_test = np.minimum(
        np.floor(test_fraction * counts + 0.5).astype(np.int64), counts - 1
    )
    n_test = np.maximum(n_test, 0)
    order = np.lexsort((order_key, rows))
    position = np.empty(M.nnz, dtype=np.int64)
    position[order] = np.arange(M.nnz) - M.indptr[rows[order]]
    is_test = position >= (counts - n_test)[rows]
    cols = M.indices
    train = sp.csr_matrix(
        (M.data[~is_test], (rows[~is_test], cols[~is_test])), shape=M.shape
    )
    test = sp.csr_matrix(
        (M.data[is_test], (rows[is_test], cols[is_test])), shape=M.shape
    )
    train.sort_indices()
    test.sort_indices()
    return train, test


def train_test_split(R, test_fraction=0.2, seed=0):
    """Per-user random hold-out.

    Of a user with ``n`` ratings,
    ``min(n - 1, floor(test_fraction * n + 1/2))`` ratings chosen uniformly
    at random go to the test matrix and the rest to the training matrix, so
    every user with a rating keeps at least one training rating and can be
    scored.

    Parameters
    ----------
    R : array or sparse matrix, shape (n_users, n_items)
        Observed ratings (0 = unobserved).
    test_fraction : float in [0, 1)
    seed : int, Generator or None

    Returns
    -------
    train, test : scipy.sparse.csr_matrix
        Same shape as ``R``; their sum is ``R`` and their patterns are
        disjoint.

    Notes
    -----
    Defined in: Chapter 2.
    """
    M = check_ratings(R)
    test_fraction = check_float(test_fraction, "test_fraction", low=0.0)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be < 1, got {test_fraction}")
    rng = check_rng(seed)
    return _split_by_order(M, rng.random(M.nnz), test_fraction)


def temporal_split(R, timestamps, test_fraction=0.2):
    """Per-user leave-latest-out: each user's latest ratings go to test.

    Same counts as :func:`train_test_split`, but the held-out ratings are
    each user's most recent ones (ties broken by item index). There is no
    common cut-off: other users' training ratings may be later than a
    user's test ratings. :func:`global_time_split` holds out by one
    cut-off time for everyone.

    Parameters
    ----------
    R : array or sparse matrix, shape (n_users, n_items)
    timestamps : sparse matrix with the same pattern as ``R``
        Time of each rating (any finite number that grows with time, e.g.
        Unix seconds).
    test_fraction : float in [0, 1)

    Returns
    -------
    train, test : scipy.sparse.csr_matrix
        New matrices; ``R`` and ``timestamps`` are not modified.

    Notes
    -----
    Defined in: Part III.
    """
    M, T, test_fraction = _checked_times(R, timestamps, test_fraction)
    return _split_by_order(M, T.data, test_fraction)


def global_time_split(R, timestamps, test_fraction=0.2):
    """Split by time at one cut-off for all users.

    All ratings are ordered by time; the latest
    ``floor(test_fraction * nnz + 1/2)`` of them go to the test matrix and
    the rest to the training matrix. Ties are broken deterministically:
    ratings with the same time are ordered by user (row) index, then by
    item (column) index, and the later ones in that order go to test. So
    every training rating is no later than every test rating, and no
    model fitted on the training matrix sees a rating made after the
    cut-off, by any user. Unlike :func:`temporal_split`, a user may keep
    no training rating (all of their ratings are recent) or no test
    rating (they stopped rating before the cut-off).

    Parameters
    ----------
    R : array or sparse matrix, shape (n_users, n_items)
    timestamps : sparse matrix with the same pattern as ``R``
        Time of each rating (any finite number that grows with time, e.g.
        Unix seconds).
    test_fraction : float in [0, 1)

    Returns
    -------
    train, test : scipy.sparse.csr_matrix
        New matrices; their sum is ``R`` and their patterns are disjoint;
        ``R`` and ``timestamps`` are not modified.

    Notes
    -----
    Defined in: Chapter 7.
    """
    M, T, test_fraction = _checked_times(R, timestamps, test_fraction)
    rows = _row_of_entry(M)
    n_test = int(np.floor(test_fraction * M.nnz + 0.5))
    order = np.lexsort((M.indices, rows, T.data))
    is_test = np.zeros(M.nnz, dtype=bool)
    is_test[order[M.nnz - n_test :]] = True
    cols = M.indices
    train = sp.csr_matrix(
        (M.data[~is_test], (rows[~is_test], cols[~is_test])), shape=M.shape
    )
    test = sp.csr_matrix(
        (M.data[is_test], (rows[is_test], cols[is_test])), shape=M.shape
    )
    train.sort_indices()
    test.sort_indices()
    return train, test


def _checked_times(R, timestamps, test_fraction):
    """``R`` and ``timestamps`` as aligned CSR copies, and the fraction."""
    M = check_ratings(R)
    # A checked copy: sorting the caller's own matrix would put anything
    # kept aligned with its .data out of step.
    T = check_sparse(timestamps, "timestamps")
    check_same_shape(M, T, "R", "timestamps")
    same = (
        T.nnz == M.nnz
        and np.array_equal(T.indptr, M.indptr)
        and np.array_equal(T.indices, M.indices)
    )
    if not same:
        raise ValueError(
            "timestamps must have exactly the sparsity pattern of R "
            "(one time per rating)"
        )
    test_fraction = check_float(test_fraction, "test_fraction", low=0.0)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be < 1, got {test_fraction}")
    return M, T, test_fraction


def to_implicit(R, threshold=4.0):
    """Explicit ratings to binary interactions: 1 where ``R >= threshold``.

    Ratings below the threshold become *unobserved*, not negative: implicit
    feedback has no negatives, only positives and the unknown.

    Returns
    -------
    scipy.sparse.csr_matrix of float64 ones, same shape as ``R``.

    Notes
    -----
    Defined in: Chapter 4.
    """
    M = check_ratings(R)
    threshold = check_float(threshold, "threshold")
    X = M.copy()
    X.data = (X.data >= threshold).astype(np.float64)
    X.eliminate_zeros()
    return X
