"""Every chapter's Try it figure (recsys_lessons.tryit.*): its grid, its
explorer and its live version agree with its compute function.

Chapter-specific checks (the default setting against the chapter's own
computation) are in tests/test_tryit_<module>.py.
"""

import importlib
import json
import math
import pkgutil

import numpy as np
import pandas as pd
import pytest
from tryit_support import one_numba_thread

from recsys_lessons import explorers, tryit

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(tryit.__path__)
    if not info.name.startswith("_")
)
FIGURES = {
    m: importlib.import_module(f"recsys_lessons.tryit.{m}").TRY_IT
    for m in MODULES
}


@pytest.fixture(scope="module")
def tables():
    return {}


@pytest.fixture(autouse=True)
def one_thread():
    # grid_table fits with one thread (make test pins one anyway).
    with one_numba_thread():
        yield


def table_of(tables, name):
    if name not in tables:
        tables[name] = tryit.grid_table(FIGURES[name])
    return tables[name]


def test_every_chapter_1_to_6_has_a_figure():
    assert len(FIGURES) == 6, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_grid_covers_every_knob(tables, name):
    fig = FIGURES[name]
    table = table_of(tables, name)
    along = fig.along
    others = [k for k in fig.knobs if k is not along]
    rows_per_setting = len(along.grid) if along else None
    settings = math.prod(len(k.grid) for k in others)
    if along is not None:
        assert len(table) == settings * rows_per_setting
    for k in fig.knobs:
        seen = sorted(set(table[k.name]))
        assert seen == sorted(k.grid), k.name
        assert k.default in k.grid
        if k.kind != "options":
            assert k.low <= min(k.grid) and max(k.grid) <= k.high
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            assert np.isfinite(table[column]).all(), column


@pytest.mark.parametrize("name", MODULES)
def test_grid_rows_equal_a_fit_of_that_length(tables, name):
    """The explorer keeps iteration t of one long fit: it must equal the
    last row of a fit of exactly t iterations (and the default setting's
    row the default fit's)."""
    fig = FIGURES[name]
    table = table_of(tables, name)
    along = fig.along
    default = fig.default
    picks = [default]
    if along is not None:
        for t in (along.grid[0], along.grid[len(along.grid) // 2]):
            picks.append({**default, along.name: t})
    for setting in picks:
        own = tryit.one_setting(fig, **setting)
        last = own.iloc[-1]
        mask = np.ones(len(table), dtype=bool)
        for k in fig.knobs:
            mask &= (table[k.name] == setting[k.name]).to_numpy()
        assert mask.sum() == 1, setting
        row = table[mask].iloc[0]
        for column in own.columns:
            assert row[column] == last[column], (setting, column)


@pytest.mark.parametrize("name", MODULES)
def test_explorer_spec_is_valid_and_small(tables, name):
    fig = FIGURES[name]
    ex = tryit.explore(fig, table_of(tables, name))
    assert ex.nbytes <= fig.max_bytes
    bundle, meta = ex._repr_mimebundle_()
    spec = bundle[explorers.VEGALITE_MIME]
    json.dumps(spec, allow_nan=False)
    names = {p["name"] for p in spec["params"]}
    assert names == {f"ctl_{k.name}" for k in fig.knobs}
    # Every control is bound to an input (nothing dead, nothing missing).
    assert all("bind" in p for p in spec["params"])
    # The data are inline: the page requests nothing.
    text = json.dumps(spec)
    assert '"url"' not in text


@pytest.mark.parametrize("name", MODULES)
def test_live_figure_equals_a_fresh_chart(name):
    """LiveFigure patches the first chart's spec; each patched spec must
    equal the spec built afresh for that setting."""
    fig = FIGURES[name]
    live = tryit.LiveFigure(fig)
    settings = [fig.default]
    changed = dict(fig.default)
    for k in fig.knobs:
        other = [g for g in k.grid if g != k.default]
        if other:
            changed[k.name] = other[-1]
    settings.append(changed)
    for setting in settings:
        got = live(setting).spec
        fresh = tryit.single(
            fig, tryit.one_setting(fig, **setting), setting
        ).spec
        a, b = dict(got), dict(fresh)
        assert (
            a["datasets"][a["data"]["name"]]
            == (b["datasets"][b["data"]["name"]])
        )
        for key in set(a) | set(b):
            if key not in ("datasets", "data"):
                assert a.get(key) == b.get(key), key


@pytest.mark.parametrize("name", MODULES)
def test_readouts_are_columns(tables, name):
    fig = FIGURES[name]
    table = table_of(tables, name)
    assert fig.readouts, "the caption must show at least one number"
    for column, fmt in fig.readouts:
        assert column in table.columns
        format(1.5, fmt)
