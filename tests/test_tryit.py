"""Every chapter's Try it figure (recsys_lessons.tryit.*): its grid, its
explorer and its live version agree with its compute function.

Chapter-specific checks (the default setting against the chapter's own
computation) are in tests/test_tryit_<module>.py.
"""

import importlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from tryit_support import chapter_figures, one_numba_thread

from recsys_lessons import explorers, tryit

FIGURES = chapter_figures()
MODULES = sorted(FIGURES)


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


def test_the_machinery_modules_hold_what_tryit_exports():
    """tryit.Knob, tryit.explore, ... are the submodules' own objects, and
    no machinery module passes for a chapter figure."""
    homes = {
        "KINDS": "knob",
        "Knob": "knob",
        "TryIt": "figure",
        "grid_table": "calls",
        "explore": "calls",
        "one_setting": "calls",
        "single": "calls",
        "LiveFigure": "live",
    }
    assert sorted(tryit.__all__) == sorted(homes)
    for name, home in homes.items():
        module = importlib.import_module(f"recsys_lessons.tryit.{home}")
        assert getattr(tryit, name) is getattr(module, name), name
        assert name in module.__all__
    assert not set(homes.values()) & set(FIGURES)


def halving(calls=None):
    """A small figure: y halves at each iteration (``calls`` records the
    iteration counts ``compute`` was called with)."""

    def compute(iterations):
        if calls is not None:
            calls.append(iterations)
        t = pd.Series(range(iterations + 1))
        return pd.DataFrame({"iterations": t, "y": 0.5**t})

    return tryit.TryIt(
        compute,
        [tryit.Knob("iterations", "iterations", (1, 2, 4), 4, "t")],
        lambda c: [
            explorers.caption_panel(
                list(c.values()), "'y = ' + format(datum.y, '.3f')"
            )
        ],
        "y halves at each iteration",
    )


def test_explore_keeps_a_caption_and_name_in_usermeta_only():
    fig = halving()
    table = tryit.grid_table(fig)
    plain = tryit.explore(fig, table)
    named = tryit.explore(
        fig, table, caption=" y halves\n at each  step. ", name="fig-y"
    )
    assert named.spec["usermeta"] == {
        **plain.spec["usermeta"],
        "caption": "y halves at each step.",
        "name": "fig-y",
    }
    rest = {k: v for k, v in named.spec.items() if k != "usermeta"}
    assert rest == {k: v for k, v in plain.spec.items() if k != "usermeta"}
    # Without them the spec is the one explore always made.
    assert list(plain.spec["usermeta"]) == ["controls", "readouts"]
    method = fig.explore(
        table, caption="y halves at each step.", name="fig-y"
    )
    assert method.spec == named.spec


@pytest.mark.parametrize(
    "figure, error",
    [
        (dict(caption="Halving."), ValueError),
        (dict(name="fig-y"), ValueError),
        (dict(caption=" \n ", name="fig-y"), ValueError),
        (dict(caption=3, name="fig-y"), TypeError),
        (dict(caption="Halving.", name=b"fig-y"), TypeError),
        (dict(caption="Halving.", name="Fig-Y"), ValueError),
        (dict(caption="Halving.", name="1-y"), ValueError),
        (dict(caption="Halving.", name="fig y"), ValueError),
        (dict(caption="Halving.", name="fig_y"), ValueError),
    ],
)
def test_explore_refuses_a_caption_or_name_as_figures_show_does(
    figure, error
):
    calls = []
    with pytest.raises(error) as ours:
        tryit.explore(halving(calls), **figure)
    assert not calls, "refused before the grid's fits"
    # figures.show refuses the same pair with the same message.
    import matplotlib.pyplot as plt

    from recsys_lessons import figures

    drawn, ax = plt.subplots()
    ax.plot([1, 2], [0.5, 0.25])
    try:
        with pytest.raises(error) as theirs:
            figures.show(drawn, "It halves to 0.25.", **figure)
    finally:
        plt.close(drawn)
    assert str(ours.value) == str(theirs.value)
