"""Chapter 4's Try it (recsys_lessons.tryit.bpr_small): its numbers are
the chapter's ``bpr.fit_bpr`` on the figure's small split.

The generic checks (grid, explorer, live figure) are in tests/test_tryit.py.
"""

import numpy as np
import pytest
from tryit_support import assert_live_ranges, grid_table, one_numba_thread

from recsys_lessons import bpr, metrics
from recsys_lessons.data import (
    synthetic_ratings,
    to_implicit,
    train_test_split,
)
from recsys_lessons.tryit import bpr_small

FIG = bpr_small.TRY_IT


@pytest.fixture(autouse=True)
def one_thread():
    with one_numba_thread():
        yield


@pytest.fixture(scope="module")
def table():
    return grid_table(FIG)


@pytest.fixture(scope="module")
def data():
    # Built here as the chapter builds its full-size split.
    ratings = synthetic_ratings(300, 500, seed=0)
    X = to_implicit(ratings.ratings, threshold=4)
    return train_test_split(X, test_fraction=0.2, seed=0)


def rows(table, setting):
    mask = np.ones(len(table), dtype=bool)
    for name, value in setting.items():
        mask &= (table[name] == value).to_numpy()
    return table[mask].set_index("epochs")


def test_the_split_is_the_chapters_recipe_at_300_by_500(data):
    train, test = bpr_small.split()
    assert train.shape == test.shape == (300, 500)
    for ours, theirs in zip((train, test), data):
        assert (ours != theirs).nnz == 0
    assert (
        train.nnz + test.nnz
        == to_implicit(
            synthetic_ratings(300, 500, seed=0).ratings, threshold=4
        ).nnz
    )


def test_default_is_the_chapters_setting():
    # Chosen on the chapter's validation split: k 16, λ 0.02, η 0.05; the
    # chapter trains 30 epochs.
    assert FIG.default == {
        "k": 16,
        "lam": 0.02,
        "learning_rate": 0.05,
        "epochs": 30,
    }


@pytest.mark.parametrize(
    "setting",
    [
        {"k": 16, "lam": 0.02, "learning_rate": 0.05},
        {"k": 4, "lam": 0.005, "learning_rate": 0.2},
        {"k": 32, "lam": 0.08, "learning_rate": 0.0125},
    ],
)
def test_grid_auc_is_fit_bprs_history(table, data, setting):
    """Every epoch the figure keeps: the held-out AUC of fit_bpr, trained
    the way the chapter trains it, after that epoch."""
    train, test = data
    fit = bpr.fit_bpr(
        train,
        setting["k"],
        setting["lam"],
        learning_rate=setting["learning_rate"],
        n_epochs=30,
        seed=0,
        test=test,
    )
    shown = rows(table, setting)
    assert list(shown.index) == list(bpr_small.EPOCHS)
    for epoch in bpr_small.EPOCHS:
        assert shown.loc[epoch, "auc"] == fit.history["auc"][epoch]


def test_popular_auc_is_the_mean_per_user_auc_of_popularity(data):
    train, test = data
    counts = np.bincount(train.indices, minlength=train.shape[1])
    scores = np.tile(counts.astype(float), (train.shape[0], 1))
    expected = metrics.auc(scores, test, exclude=train)
    assert bpr_small.popular_auc() == pytest.approx(expected, rel=1e-12)


def test_a_shorter_run_computes_the_auc_after_its_last_epoch(data):
    """7 epochs is no epoch of the grid: the live version still reads the
    AUC after it, as fit_bpr reports it."""
    train, test = data
    table = bpr_small.run(8, 0.01, 0.1, 7)
    fit = bpr.fit_bpr(
        train, 8, 0.01, learning_rate=0.1, n_epochs=7, seed=0, test=test
    )
    assert np.isnan(table["auc"].iloc[0])
    assert table["auc"].iloc[-1] == fit.history["auc"][7]
    for epoch in (1, 2, 3, 4, 5, 6):
        assert table["auc"].iloc[epoch] == fit.history["auc"][epoch]


def test_an_overflowing_step_ends_the_curve(data):
    """The live η slider reaches 1.58; with k = 64 and a tiny λ the
    factors overflow. fit_bpr raises; the figure's curve stops instead,
    and its last row (the caption's) has no AUC."""
    train, test = data
    setting = (64, 6.3e-5, 1.58, 30)
    k, lam, learning_rate, epochs = setting
    with pytest.raises(ValueError, match="overflow"):
        bpr.fit_bpr(
            train,
            k,
            lam,
            learning_rate=learning_rate,
            n_epochs=epochs,
            seed=0,
            test=test,
        )
    auc = bpr_small.run(*setting)["auc"].to_numpy()
    assert np.isnan(auc[-1])
    last = np.flatnonzero(~np.isnan(auc))
    assert last.size > 0
    assert np.isnan(auc[last[-1] + 1 :]).all()


def test_the_grid_never_overflows(table):
    assert np.isfinite(table["auc"]).all()


def test_run_takes_the_documented_live_ranges():
    """run's docstring: k 1 .. 64, λ 10**-4.25 .. 10**-0.75, η 10**-3.25
    .. 10**0.25, epochs 1 .. 30."""
    ends = {
        "k": (1, 64),
        "lam": (10**-4.25, 10**-0.75),
        "learning_rate": (10**-3.25, 10**0.25),
        "epochs": (1, 30),
    }
    assert_live_ranges(FIG, ends)
