"""The shared validation layer and the data functions it guards (#16)."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons._validation import (
    check_clip,
    check_factors,
    check_index,
    check_index_pairs,
    check_ratings,
    check_sparse,
)
from recsys_lessons.data import (
    load_movielens,
    synthetic_ratings,
    temporal_split,
)

R = np.array([[5.0, 0, 3], [0, 4.0, 1], [2.0, 0, 0]])


def _csr():
    M = sp.csr_matrix(R)
    M.sort_indices()
    return M


def _broken(fmt, how):
    if fmt == "csr" or fmt == "csc":
        M = _csr() if fmt == "csr" else _csr().tocsc()
        if how == "index":
            M.indices[0] = 10**6
        elif how == "negative":
            M.indices[0] = -1
        elif how == "indptr":
            M.indptr[1] = M.indptr[-1] + 1
        elif how == "end":
            M.indptr[-1] -= 1
        return M
    if fmt == "coo":
        M = _csr().tocoo()
        M.col[0] = 10**6
        return M
    if fmt == "lil":
        M = _csr().tolil()
        M.rows[0] = [10**6]
        M.data[0] = [1.0]
        return M
    if fmt == "bsr":
        M = sp.bsr_matrix(np.eye(4), blocksize=(2, 2))
        M.indices[0] = 10**6
        return M
    raise AssertionError(fmt)


@pytest.mark.parametrize(
    "fmt,how",
    [
        ("csr", "index"),
        ("csr", "negative"),
        ("csr", "indptr"),
        ("csr", "end"),
        ("csc", "index"),
        ("csc", "indptr"),
        ("coo", "index"),
        ("lil", "index"),
        ("bsr", "index"),
    ],
)
def test_structurally_invalid_sparse_is_refused_by_name(fmt, how):
    with pytest.raises(ValueError, match="R is not a valid sparse matrix"):
        check_ratings(_broken(fmt, how))


def test_the_issue_reproduction_is_refused():
    M = sp.csr_matrix(
        (np.array([1.0]), np.array([10**6]), np.array([0, 1])), shape=(1, 3)
    )
    with pytest.raises(ValueError, match="indices must lie in"):
        check_ratings(M)


@pytest.mark.parametrize(
    "fmt", ["csr", "csc", "coo", "lil", "dok", "dia", "bsr", "array"]
)
def test_every_format_is_accepted_and_equal(fmt):
    if fmt == "array":
        A = sp.csr_array(R)
    elif fmt == "bsr":
        A = sp.bsr_matrix(R, blocksize=(1, 1))
    else:
        A = sp.csr_matrix(R).asformat(fmt)
    M = check_ratings(A)
    assert M.format == "csr" and M.has_canonical_format
    np.testing.assert_array_equal(M.toarray(), R)


def test_canonical_form_is_made_on_a_copy():
    M = sp.csr_matrix(
        (
            np.array([3.0, 0.0, 5.0, 1.0, 1.0]),
            np.array([2, 1, 0, 1, 1]),
            np.array([0, 3, 5, 5]),
        ),
        shape=(3, 3),
    )
    before = [a.copy() for a in (M.data, M.indices, M.indptr)]
    out = check_ratings(M)
    after = (M.data, M.indices, M.indptr)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    assert not np.shares_memory(out.data, M.data)
    np.testing.assert_array_equal(
        out.toarray(), [[5.0, 0, 3], [0, 2.0, 0], [0, 0, 0]]
    )


def test_duplicates_are_summed_before_the_finiteness_check():
    M = sp.coo_matrix(
        (np.array([1e308, 1e308]), (np.array([0, 0]), np.array([1, 1]))),
        shape=(2, 2),
    )
    with pytest.raises(ValueError, match="R contains NaN or infinite"):
        check_ratings(M)


@pytest.mark.parametrize(
    "bad,exc,words",
    [
        (R + 1j, TypeError, "R must hold real numbers"),
        (sp.csr_matrix(R + 1j), TypeError, "R must hold real numbers"),
        (R.astype(str), TypeError, "R must hold numbers"),
        (R.astype(object), TypeError, "R must hold numbers"),
        ([["1", "2"], ["3", "4"]], TypeError, "R must hold numbers"),
        ([[1.0, 2.0], [3.0]], ValueError, "R is not a rectangular"),
        ("ratings", TypeError, "R must be a 2-D"),
    ],
)
def test_complex_non_numeric_and_ragged_are_refused(bad, exc, words):
    with pytest.raises(exc, match=words):
        check_ratings(bad)


def test_check_sparse_keeps_zeros_and_copies():
    T = sp.csr_matrix(
        (np.array([0.0, 7.0]), np.array([1, 0]), np.array([0, 2])),
        shape=(1, 2),
    )
    before = T.indices.copy()
    out = check_sparse(T, "timestamps")
    assert out.nnz == 2 and out.has_sorted_indices
    np.testing.assert_array_equal(T.indices, before)
    with pytest.raises(TypeError, match="timestamps must be a scipy"):
        check_sparse(np.ones((2, 2)), "timestamps")


@pytest.mark.parametrize(
    "F,exc,words",
    [
        (np.ones((2, 2)) + 1j, TypeError, "U must hold real numbers"),
        (np.ones((2, 0)), ValueError, "U must have at least one"),
        (np.ones((2, 2)).astype(str), TypeError, "U must hold numbers"),
        (np.ones((2, 2), dtype=bool), TypeError, "U must hold numbers"),
    ],
)
def test_check_factors_refuses(F, exc, words):
    with pytest.raises(exc, match=words):
        check_factors(F, "U")


@pytest.mark.parametrize(
    "arr,exc,words",
    [
        ([0, 3], ValueError, r"rows must lie in \[0, 3\)"),
        ([-1], ValueError, "rows must lie in"),
        ([0.0], TypeError, "rows must hold integers"),
        ([True], TypeError, "rows must hold integers"),
        (["0"], TypeError, "rows must hold numbers"),
        ([[0], [1, 2]], ValueError, "rows is not a rectangular"),
        ([[0]], ValueError, "rows must be 1-D"),
    ],
)
def test_check_index_refuses(arr, exc, words):
    with pytest.raises(exc, match=words):
        check_index(arr, "rows", 3)


def test_check_index_accepts_valid_and_empty():
    np.testing.assert_array_equal(check_index([2, 0], "rows", 3), [2, 0])
    assert check_index([], "rows", 3).dtype == np.int64
    with pytest.raises(ValueError, match="rows and cols must have equal"):
        check_index_pairs([0, 1], [0], (3, 3))


@pytest.mark.parametrize(
    "clip,exc,words",
    [
        ((5, 1), ValueError, "clip must have low < high"),
        ((3, 3), ValueError, "clip must have low < high"),
        ((np.nan, 5), ValueError, r"clip\[0\] must be finite"),
        ((1, "5"), TypeError, r"clip\[1\] must be a real"),
        ((1,), TypeError, "clip must be None or a pair"),
        ("15", TypeError, "clip must be None or a pair"),
    ],
)
def test_check_clip_refuses(clip, exc, words):
    with pytest.raises(exc, match=words):
        check_clip(clip)


def test_check_clip_accepts():
    assert check_clip(None) is None
    assert check_clip([1, 5]) == (1.0, 5.0)


# -- data ----------------------------------------------------------------


@pytest.mark.parametrize("density", [0.45, 0.5, 0.9, 1.0])
def test_synthetic_ratings_finishes_at_any_density(density):
    start = time.perf_counter()
    d = synthetic_ratings(100, 100, density=density, seed=0)
    assert time.perf_counter() - start < 10
    assert d.ratings.nnz == round(density * 100 * 100)


@pytest.mark.parametrize(
    "kwargs,words",
    [
        (dict(n_users=10**7), "n_users must be <= 1000000"),
        (dict(n_users=10**5, n_items=10**5), "n_users \\* n_items must be"),
        (dict(rank=2000), "rank must be <= 1000"),
        (dict(noise=1e300), "noise must be <= 100"),
        (dict(popularity_exponent=1e300), "popularity_exponent must be"),
        (dict(selection_strength=1e300), "selection_strength must be"),
        (dict(genre_concentration=1e300), "genre_concentration must be"),
    ],
)
def test_synthetic_ratings_states_its_limits(kwargs, words):
    with pytest.raises(ValueError, match=words):
        synthetic_ratings(**kwargs)


def test_expected_rating_checks_rows_cols_and_clip():
    d = synthetic_ratings(
        10, 8, rank=2, density=0.5, min_ratings_per_user=2
    )
    value = d.expected_rating([0, 9], [7, 0], clip=(1, 5))
    assert value.shape == (2,) and np.all((value >= 1) & (value <= 5))
    with pytest.raises(ValueError, match="rows must lie in"):
        d.expected_rating([-1], [0])
    with pytest.raises(ValueError, match="cols must lie in"):
        d.expected_rating([0], [8])
    with pytest.raises(ValueError, match="clip must have low < high"):
        d.expected_rating([0], [0], clip=(5, 1))


def test_temporal_split_leaves_its_arguments_alone():
    R = sp.csr_matrix(
        (np.array([3.0, 5.0]), np.array([2, 0]), np.array([0, 2])),
        shape=(1, 3),
    )
    T = sp.csr_matrix(
        (np.array([20.0, 10.0]), np.array([2, 0]), np.array([0, 2])),
        shape=(1, 3),
    )
    saved = [a.copy() for a in (R.indices, R.data, T.indices, T.data)]
    train, test = temporal_split(R, T, 0.5)
    now = (R.indices, R.data, T.indices, T.data)
    assert all(np.array_equal(a, b) for a, b in zip(saved, now))
    assert test.toarray().tolist() == [[0.0, 0.0, 3.0]]


def _zip(ratings_csv):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ml-latest-small/ratings.csv", ratings_csv)
        zf.writestr(
            "ml-latest-small/movies.csv",
            "movieId,title,genres\n10,A film (1999),Drama\n",
        )
    return buf.getvalue()


GOOD = "userId,movieId,rating,timestamp\n1,10,4.0,100\n"


@pytest.mark.parametrize(
    "spell", [str.upper, lambda h: "SHA256:" + h, lambda h: h]
)
def test_any_spelling_of_a_sha256_hash_is_accepted(tmp_path, spell):
    body = _zip(GOOD)
    (tmp_path / "ml-latest-small.zip").write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    known = (
        spell("sha256:" + digest) if spell is str.upper else spell(digest)
    )
    ml = load_movielens(data_home=tmp_path, known_hash=known)
    assert ml.ratings.nnz == 1


@pytest.mark.parametrize(
    "csv,words",
    [
        ("userId,movieId,timestamp\n1,10,100\n", "no column 'rating'"),
        ("userId,movieId,rating,timestamp\n1,10,,100\n", "column 'rating'"),
        (
            "userId,movieId,rating,timestamp\n1,10,0,100\n",
            "rating that is not a positive",
        ),
    ],
)
def test_a_zip_without_usable_ratings_is_refused(tmp_path, csv, words):
    body = _zip(csv)
    (tmp_path / "ml-latest-small.zip").write_bytes(body)
    known = "sha256:" + hashlib.sha256(body).hexdigest()
    with pytest.raises(ValueError, match=words):
        load_movielens(data_home=tmp_path, known_hash=known)


@pytest.mark.parametrize(
    "known,exc,words",
    [
        ("sha256:xyz", ValueError, "known_hash: a sha256 digest is 64"),
        ("crc32:abcd", ValueError, "known_hash must start with"),
        (3, TypeError, "known_hash must be None or a str"),
    ],
)
def test_a_malformed_hash_is_refused_by_name(tmp_path, known, exc, words):
    with pytest.raises(exc, match=words):
        load_movielens(data_home=tmp_path, known_hash=known)
