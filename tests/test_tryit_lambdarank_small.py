"""Chapter 5's Try it (recsys_lessons.tryit.lambdarank_small): its rows
against fits of ``fit_lambdarank`` called directly, as the chapter calls
it, and its NDCG@10 against a plain-loop NDCG.

The generic checks (grid, explorer, live figure) are in tests/test_tryit.py.
"""

import math

import numpy as np
import pytest
from tryit_support import assert_live_ranges, grid_table, one_numba_thread

from recsys_lessons import lambdarank, tryit
from recsys_lessons.data import synthetic_ratings, train_test_split
from recsys_lessons.tryit import lambdarank_small

FIG = lambdarank_small.TRY_IT


@pytest.fixture(autouse=True)
def one_thread():
    with one_numba_thread():
        yield


@pytest.fixture(scope="module")
def table():
    return grid_table(FIG)


@pytest.fixture(scope="module")
def data():
    """The section's data, built here as the chapter's text describes it:
    100 users, 200 items (rank 6, density 0.1, at least 10 ratings per
    user, seed 1), ratings 3..5 -> labels 1..3, split 80/20."""
    labels = synthetic_ratings(
        100, 200, rank=6, density=0.1, min_ratings_per_user=10, seed=1
    ).ratings
    labels.data = np.maximum(labels.data - 2, 0)
    labels.eliminate_zeros()
    return train_test_split(labels, test_fraction=0.2, seed=0)


def rows_of(table, setting):
    mask = np.ones(len(table), dtype=bool)
    for name, value in setting.items():
        if name != "epochs":
            mask &= (table[name] == value).to_numpy()
    return table[mask]


def direct_fit(data, gamma, truncation, k, lam, epochs):
    train, test = data
    return lambdarank.fit_lambdarank(
        train,
        k,
        lam,
        learning_rate=0.1,
        n_epochs=epochs,
        gamma=gamma,
        cutoff=truncation,
        n_candidates=30,
        seed=0,
        test=test,
    )


def test_the_data_is_the_described_set(data):
    train, test = lambdarank_small.split()
    want_train, want_test = data
    assert train.shape == test.shape == (100, 200)
    for got, want in ((train, want_train), (test, want_test)):
        assert (got != want).nnz == 0
        assert not got.data.flags.writeable


def test_default_is_the_chapters_setting(table, data):
    """γ = 1, no truncation, k = 16, λ = 0.005, 15 epochs (the chapter's
    old widget's defaults): every kept epoch of the grid equals a
    20-epoch ``fit_lambdarank`` called directly."""
    assert FIG.default == {
        "gamma": 1.0,
        "truncation": "none",
        "k": 16,
        "lam": 0.005,
        "epochs": 15,
    }
    fit = direct_fit(data, 1.0, None, 16, 0.005, 20)
    rows = rows_of(table, FIG.default)
    assert tuple(rows["epochs"]) == FIG.along.grid
    assert list(rows["ndcg"]) == [
        fit.history["ndcg"][t] for t in rows["epochs"]
    ]
    # A fit of exactly 15 epochs ends where the 20-epoch fit was at 15.
    short = direct_fit(data, 1.0, None, 16, 0.005, 15)
    row = rows[rows["epochs"] == 15].iloc[0]
    assert row["ndcg"] == short.history["ndcg"][-1]


@pytest.mark.parametrize(
    "setting, truncation",
    [
        ({"gamma": 10**0.5, "truncation": "10", "k": 8, "lam": 0.05}, 10),
        (
            {"gamma": 10**-0.5, "truncation": "none", "k": 32, "lam": 5e-4},
            None,
        ),
    ],
)
def test_other_settings_are_direct_fits(table, data, setting, truncation):
    fit = direct_fit(
        data,
        setting["gamma"],
        truncation,
        setting["k"],
        setting["lam"],
        20,
    )
    rows = rows_of(table, setting)
    assert len(rows) == len(FIG.along.grid)
    assert list(rows["ndcg"]) == [
        fit.history["ndcg"][t] for t in rows["epochs"]
    ]


def plain_ndcg_at_10(U, V, train, test):
    """Mean over users with held-out labels of NDCG@10: ranking by U V^T
    (training items excluded, ties by index), gain 2^y - 1, discount
    1 / log2(p + 1), ideal from the user's held-out labels."""
    train, test = train.toarray(), test.toarray()
    values = []
    for u in range(test.shape[0]):
        if not test[u].any():
            continue
        scores = [
            (-float(U[u] @ V[i]), i)
            for i in range(test.shape[1])
            if train[u, i] == 0
        ]
        ranked = [i for _, i in sorted(scores)][:10]
        dcg = sum(
            (2 ** test[u, i] - 1) / math.log2(p + 2)
            for p, i in enumerate(ranked)
        )
        ideal = sorted(test[u], reverse=True)[:10]
        idcg = sum(
            (2**y - 1) / math.log2(p + 2) for p, y in enumerate(ideal)
        )
        values.append(dcg / idcg)
    return sum(values) / len(values)


def test_ndcg_column_is_held_out_ndcg_at_10(table, data):
    """The curve's value at the default's last epoch, by a plain loop."""
    fit = direct_fit(data, 1.0, None, 16, 0.005, 15)
    row = rows_of(table, FIG.default)
    row = row[row["epochs"] == 15].iloc[0]
    assert row["ndcg"] == pytest.approx(
        plain_ndcg_at_10(fit.U, fit.V, *data), rel=1e-12
    )


def test_truncation_options():
    assert lambdarank_small.truncation_level("none") is None
    assert lambdarank_small.truncation_level("10") == 10
    for bad in ("0x10", "", "ten", 10, None):
        with pytest.raises(ValueError):
            lambdarank_small.truncation_level(bad)


def test_grids_offer_what_the_chapter_suggests():
    """The section's text: λ ten times larger and smaller than the
    default, γ = 3.2 (the largest), K = 10, up to 20 epochs; live, the
    old widget's ranges."""
    knobs = {k.name: k for k in FIG.knobs}
    lam = knobs["lam"].grid
    assert lam == pytest.approx((0.0005, 0.005, 0.05), rel=1e-12)
    assert round(max(knobs["gamma"].grid), 1) == 3.2
    assert knobs["truncation"].grid == ("none", "10")
    assert knobs["k"].grid == (8, 16, 32)
    assert knobs["epochs"].grid[-1] == 20
    assert (knobs["epochs"].low, knobs["epochs"].high) == (1, 40)
    assert (knobs["k"].low, knobs["k"].high) == (2, 32)
    assert (knobs["gamma"].low, knobs["gamma"].high) == (0.1, 10.0)
    assert (knobs["lam"].low, knobs["lam"].high) == (1e-4, 1.0)


def test_curve_axes(table):
    spec = tryit.explore(FIG, table).spec
    text = str(spec)
    assert "'title': 'epoch'" in text
    assert "'domain': [0.0, 0.35]" in text
    # Clamped at the top: no value of the grid is.
    assert table["ndcg"].between(*lambdarank_small.NDCG_AXIS).all()


def test_popular_ndcg_is_the_plain_ndcg_of_popularity(table, data):
    """The dashed line: every user's unseen items ranked by their count of
    training labels, scored by the plain loop; and the panel draws it."""
    train, test = data
    counts = np.bincount(train.indices, minlength=train.shape[1])
    expected = plain_ndcg_at_10(
        np.ones((train.shape[0], 1)), counts[:, None].astype(float), *data
    )
    assert lambdarank_small.popular_ndcg() == pytest.approx(
        expected, rel=1e-12
    )
    spec = str(tryit.explore(FIG, table).spec)
    assert f"most popular {expected:.3f}" in spec


def test_run_takes_the_documented_live_ranges():
    """run's docstring: γ 10**-1.25 .. 10**1.25, k 2 .. 32, λ 10**-4.25
    .. 10**0.25, epochs 1 .. 40, K "none" or "10"."""
    ends = {
        "gamma": (10**-1.25, 10**1.25),
        "k": (2, 32),
        "lam": (10**-4.25, 10**0.25),
        "epochs": (1, 40),
    }
    assert_live_ranges(FIG, ends)
    with pytest.raises(ValueError):
        FIG.check(**{**FIG.default, "truncation": "5"})
