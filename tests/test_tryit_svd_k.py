"""Chapter 3's Try it (recsys_lessons.tryit.svd_k): every k against the
chapter's own computation (truncating the top-50 SVD) and against a dense
LAPACK SVD of the centred matrix, built here by hand.

The generic checks (grid, explorer, live figure) are in tests/test_tryit.py.
"""

import numpy as np
import pytest

from recsys_lessons import svd, tryit
from recsys_lessons.data import synthetic_ratings, train_test_split
from recsys_lessons.tryit import svd_k

FIG = svd_k.TRY_IT


@pytest.fixture(scope="module")
def table():
    return tryit.grid_table(FIG)


@pytest.fixture(scope="module")
def split():
    # The chapter's data, built here (not through svd_k.decomposition).
    data = synthetic_ratings(seed=0)
    return train_test_split(data.ratings, test_fraction=0.2, seed=0)


@pytest.fixture(scope="module")
def dense(split):
    """The centred training matrix by hand (user means over the observed
    ratings, holes 0) and its full LAPACK SVD."""
    train, _ = split
    R = train.toarray()
    observed = R != 0
    means = R.sum(axis=1) / observed.sum(axis=1)
    A = np.where(observed, R - means[:, None], 0.0)
    a, s, bT = np.linalg.svd(A, full_matrices=False)
    return means, A, a, s, bT


def held_out_rmse(test, predict):
    rows = np.repeat(np.arange(test.shape[0]), np.diff(test.indptr))
    errors = test.data - np.clip(predict(rows, test.indices), 1, 5)
    return np.sqrt(np.mean(errors**2))


def inline_values(spec):
    """The ``values`` lists of the panels' own data, anywhere in a spec."""
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            yield data["values"]
        for value in spec.values():
            yield from inline_values(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from inline_values(value)


def test_default_is_the_chapters_best_k(table, split):
    """The chapter: full = truncated_svd(train, 50); the test RMSE of
    full.truncate(k) for k = 1..50; its lowest at k = 10."""
    train, test = split
    full = svd.truncated_svd(train, 50)
    curve = [full.truncate(k).rmse(test, clip=(1, 5)) for k in range(1, 51)]
    assert FIG.default == {"k": 1 + int(np.argmin(curve))} == {"k": 10}
    assert list(table["k"]) == list(range(1, 51))
    assert np.allclose(table["test_rmse"], curve, rtol=1e-12, atol=0)
    assert np.allclose(table["energy"], full.energy(), rtol=1e-12, atol=0)
    row = table[table["k"] == 10].iloc[0]
    assert round(row["test_rmse"], 3) == 0.910  # the chapter's print


def test_rows_equal_a_dense_svd_by_hand(table, split, dense):
    """Energy, test RMSE and the predicted block of every k, from
    LAPACK's SVD of the centred matrix (ARPACK computed the figure's)."""
    _, test = split
    means, A, a, s, bT = dense
    total = np.sum(A**2)
    block = np.ix_(np.arange(20), np.arange(20))
    for k in (1, 2, 10, 27, 50):
        row = table[table["k"] == k].iloc[0]
        assert row["energy"] == pytest.approx(
            np.sum(s[:k] ** 2) / total, rel=1e-9
        )
        A_k = (a[:, :k] * s[:k]) @ bT[:k]

        def predict(rows, cols, A_k=A_k):
            return means[rows] + A_k[rows, cols]

        assert row["test_rmse"] == pytest.approx(
            held_out_rmse(test, predict), rel=1e-9
        )
        expected = np.clip(means[:, None] + A_k, 1, 5)[block]
        got = np.array(
            [[row[f"p_{i}_{j}"] for j in range(20)] for i in range(20)]
        )
        assert np.allclose(got, expected, rtol=0, atol=1e-9), k


def test_k_independent_panels(dense, split):
    """The spectrum bars are the singular values; the curve of the RMSE
    panel is the test RMSE of every k (as in the rows); the dots mark the
    training ratings of the block."""
    train, _ = split
    _, _, _, s, _ = dense
    curves = svd_k.curves()
    assert list(curves["component"]) == list(range(1, 51))
    assert np.allclose(curves["s"], s[:50], rtol=1e-9, atol=0)
    for k in (1, 10, 50):
        own = svd_k.run(k).iloc[0]
        assert curves["test_rmse"][k - 1] == own["test_rmse"]
    inline = list(inline_values(tryit.explore(FIG).spec))
    (dots,) = [v for v in inline if set(v[0]) == {"row", "col"}]
    (bars,) = [v for v in inline if set(v[0]) == {"component", "s"}]
    marked = set(zip(*np.nonzero(train[:20, :20].toarray())))
    assert {(d["row"], d["col"]) for d in dots} == marked
    assert len(dots) == len(marked) > 0
    (line,) = [v for v in inline if set(v[0]) == {"k", "test_rmse"}]
    assert [b["s"] for b in bars] == list(curves["s"].round(2))
    assert [p["k"] for p in line] == list(range(1, 51))
    assert [p["test_rmse"] for p in line] == list(
        curves["test_rmse"].round(3)
    )


def test_cached_data_is_read_only_and_copied():
    full, test, observed = svd_k.decomposition()
    assert full.k == svd_k.TOP == 50
    for array in (full.singular_values, test.data, observed):
        assert not array.flags.writeable
    a, b = svd_k.curves(), svd_k.curves()
    a.loc[0, "s"] = -1.0
    assert b.loc[0, "s"] > 0 and svd_k.curves().loc[0, "s"] > 0


def test_knob():
    (k,) = FIG.knobs
    assert k.kind == "int" and k.grid == tuple(range(1, 51))
    assert (k.low, k.high) == (1, 50)
    assert k.control().test.startswith("abs(")  # a plain slider over k


def test_things_to_try(split, dense):
    """The section's things to try, from LAPACK's SVD by hand: at k = 1,
    10, 50 the energy, the train and test RMSE (clipped predictions), the
    block's distance from the user means and, at its training ratings
    (the dots), from those ratings."""
    train, test = split
    means, A, a, s, bT = dense
    R = train.toarray()
    observed = R != 0
    total = np.sum(A**2)
    found = {}
    for k in (1, 10, 50):
        P = np.clip(means[:, None] + (a[:, :k] * s[:k]) @ bT[:k], 1, 5)
        train_rmse = np.sqrt(np.mean((P - R)[observed] ** 2))

        def predict(rows, cols, P=P):
            return P[rows, cols]

        block, dots = P[:20, :20].round(2), observed[:20, :20]
        found[k] = (
            round(100 * np.sum(s[:k] ** 2) / total, 1),
            round(train_rmse, 3),
            round(held_out_rmse(test, predict), 3),
            np.abs(block - means[:20, None]).max(),
            round(np.abs(block - R[:20, :20])[dots].mean(), 2),
        )
    assert [found[k][0] for k in (1, 10, 50)] == [3.3, 18.1, 37.7]
    assert [found[k][1] for k in (1, 10, 50)] == [0.968, 0.852, 0.716]
    assert [found[k][2] for k in (1, 10, 50)] == [0.983, 0.910, 0.954]
    assert found[1][3] < 0.25
    assert [found[k][4] for k in (1, 10, 50)] == [0.63, 0.53, 0.46]
