"""Chapter 1's Try it (recsys_lessons.tryit.overfitting): the grid against
the chapter's own computation (fit_als on an 80/20 split) and against the
objective and RMSE written out as plain loops over the ratings.

The generic checks (grid, explorer, live figure) are in tests/test_tryit.py.
"""

import json

import numpy as np
import pytest
from tryit_support import grid_table, one_numba_thread

from recsys_lessons import als, tryit
from recsys_lessons.data import synthetic_ratings, train_test_split
from recsys_lessons.tryit import overfitting

FIG = overfitting.TRY_IT


@pytest.fixture(autouse=True)
def one_thread():
    with one_numba_thread():
        yield


@pytest.fixture(scope="module")
def table():
    return grid_table(FIG)


@pytest.fixture(scope="module")
def split():
    # Built here, not through overfitting.split: the chapter's generator and
    # split at the figure's size.
    R = synthetic_ratings(n_users=300, n_items=500, seed=0).ratings
    return train_test_split(R, test_fraction=0.2, seed=0)


def row_of(table, k, lam, iterations):
    rows = table[
        (table["k"] == k)
        & np.isclose(table["lam"], lam, rtol=1e-12)
        & (table["iterations"] == iterations)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def objective_by_loops(R, U, V, lam):
    # eq-mf-objective, weighted: squared errors over Omega, plus
    # lam * n_i |u_i|^2 per user and lam * n_j |v_j|^2 per item.
    rows, cols = R.nonzero()
    total = 0.0
    n_user = np.zeros(R.shape[0])
    n_item = np.zeros(R.shape[1])
    for i, j in zip(rows, cols):
        total += (R[i, j] - U[i] @ V[j]) ** 2
        n_user[i] += 1
        n_item[j] += 1
    total += lam * sum(n_user[i] * (U[i] @ U[i]) for i in range(len(U)))
    total += lam * sum(n_item[j] * (V[j] @ V[j]) for j in range(len(V)))
    return total


def rmse_by_loops(R, U, V):
    rows, cols = R.nonzero()
    errors = [R[i, j] - U[i] @ V[j] for i, j in zip(rows, cols)]
    return (sum(e * e for e in errors) / len(errors)) ** 0.5


def test_data_is_the_chapters_generator_at_the_figures_size(split):
    train, test = overfitting.split()
    assert (overfitting.N_USERS, overfitting.N_ITEMS) == (300, 500)
    for ours, fresh in zip((train, test), split):
        assert ours.shape == fresh.shape == (300, 500)
        assert (ours != fresh).nnz == 0
        assert not ours.data.flags.writeable
    # The chapter's density (MovieLens-100K's), and a 20% test share.
    assert (train.nnz + test.nnz) / (300 * 500) == pytest.approx(0.063)
    assert test.nnz / (train.nnz + test.nnz) == pytest.approx(0.2, abs=0.01)
    assert train.multiply(test).nnz == 0


def test_default_is_the_chapters_fit(table, split):
    """k = 10, lam = 0.05, 20 iterations: the fit_als call of the
    chapter's table (weighted penalty, seed 0, test ratings)."""
    assert FIG.default == {"k": 10, "lam": 0.05, "iterations": 20}
    train, test = split
    fit = als.fit_als(train, 10, 0.05, n_iters=20, seed=0, test=test)
    row = row_of(table, 10, 0.05, 20)
    assert row["objective"] == fit.history["objective"][-1]
    assert row["train_rmse"] == fit.history["train_rmse"][-1]
    assert row["test_rmse"] == fit.history["test_rmse"][-1]
    # ... and the numbers by the formulas, from the fitted factors.
    R, T = train.toarray(), test.toarray()
    assert row["objective"] == pytest.approx(
        objective_by_loops(R, fit.U, fit.V, 0.05), rel=1e-10
    )
    assert row["train_rmse"] == pytest.approx(
        rmse_by_loops(R, fit.U, fit.V), rel=1e-10
    )
    assert row["test_rmse"] == pytest.approx(
        rmse_by_loops(T, fit.U, fit.V), rel=1e-10
    )


@pytest.mark.parametrize("k, at, t", [(1, -1, 1), (2, 0, 8), (20, 5, 50)])
def test_rows_are_the_formulas_at_that_iteration(table, split, k, at, t):
    """Other settings (lam = the grid's value at index ``at``): the
    factors after t sweeps (a callback of the same fit_als call), and J
    and the RMSEs by plain loops."""
    lam = FIG.knobs[1].grid[at]
    train, test = split
    seen = {}
    als.fit_als(
        train,
        k,
        lam,
        n_iters=t,
        seed=0,
        callback=lambda s, U, V: seen.update({s: (U.copy(), V.copy())}),
    )
    U, V = seen[t]
    row = row_of(table, k, lam, t)
    R, T = train.toarray(), test.toarray()
    assert row["objective"] == pytest.approx(
        objective_by_loops(R, U, V, lam), rel=1e-10
    )
    assert row["train_rmse"] == pytest.approx(rmse_by_loops(R, U, V), 1e-10)
    assert row["test_rmse"] == pytest.approx(rmse_by_loops(T, U, V), 1e-10)


def test_the_grid_shows_over_and_underfitting(table):
    """The chapter's claims about the figure: small lam with large k fits
    the training ratings better and the held-out ones worse than the
    default; large lam raises both errors; the lowest held-out error at
    20 iterations is at a larger lam than the default's."""
    default = row_of(table, 10, 0.05, 20)
    over = row_of(table, 20, FIG.knobs[1].grid[0], 20)
    under = row_of(table, 10, FIG.knobs[1].grid[-1], 20)
    assert over["train_rmse"] < default["train_rmse"]
    assert over["test_rmse"] > default["test_rmse"]
    assert under["train_rmse"] > default["train_rmse"]
    assert under["test_rmse"] > default["test_rmse"]
    at_20 = table[table["iterations"] == 20]
    best = at_20.loc[at_20["test_rmse"].idxmin()]
    assert best["lam"] > 0.05
    # The chapter's numbers: the overfit setting fits the training
    # ratings almost exactly, its held-out error far above the best one;
    # the largest lam leaves both errors near 1.8 at every k.
    assert over["train_rmse"] < 0.025
    assert over["test_rmse"] > best["test_rmse"] + 0.8
    worst = at_20[at_20["lam"] == FIG.knobs[1].grid[-1]]
    assert (
        worst[["train_rmse", "test_rmse"]].stack().between(1.75, 1.85).all()
    )


def test_rmse_axis_is_fixed_and_clipped(table):
    """The RMSE panel's y axis is 0 .. 2 for every setting; marks above it
    (the first iterations' held-out errors) are clipped."""
    spec = json.dumps(tryit.explore(FIG, table).spec)
    assert spec.count('"domain": [0, 2]') == 2  # the curves and points
    assert spec.count('"clip": true') == 2


def test_knobs_and_live_ranges():
    k, lam, its = FIG.knobs
    assert (k.kind, lam.kind, its.kind) == ("int", "log", "iterations")
    assert k.grid == (1, 2, 5, 10, 20) and (k.low, k.high) == (1, 30)
    assert len(lam.grid) == 7 and 0.05 in lam.grid
    assert np.allclose(np.diff(np.log10(lam.grid)), 0.5)
    assert (lam.low, lam.high) == (1e-4, 10.0)
    assert its.grid[0] == 1 and its.grid[-1] == overfitting.LAST == 50
