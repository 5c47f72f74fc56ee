import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from recsys_lessons import plots, widgets
from recsys_lessons.data import toy_ratings


def test_figures_have_labelled_axes():
    plots.use_book_style()
    fig, axes = plt.subplots(1, 5, figsize=(15, 3))
    plots.heatmap(toy_ratings(), axes[0], title="toy")
    plots.sparsity(toy_ratings(), axes[1])
    plots.curves(
        {"train_rmse": [3, 2, 1], "test_rmse": [3, 2.5, 2]},
        axes[2],
        ylabel="RMSE",
    )
    plots.spectrum([3.0, 2.0, 1.0], axes[3], energy=[0.6, 0.9, 1.0])
    plots.embedding_scatter(
        np.random.default_rng(0).normal(size=(20, 2)),
        np.arange(20) % 3,
        axes[4],
    )
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    texts = [t.get_text() for t in axes[0].texts]
    # One "?" per unobserved cell, counted from the matrix itself.
    unobserved = int((toy_ratings() == 0).sum())
    assert texts.count("?") == unobserved and "5.0" in texts
    assert [line.get_label() for line in axes[2].get_lines()] == [
        "train rmse",
        "test rmse",
    ]
    plt.close(fig)


def test_sliders_update_on_release_and_log_scale():
    k = widgets.k_slider(5, 1, 20)
    lam = widgets.lam_slider(0.1, -3, 1)
    assert not k.continuous_update and not lam.continuous_update
    assert (lam.min, lam.max, lam.base) == (-3, 1, 10)
    lam.value = 1e-3
    assert lam.value == 1e-3


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        (0.05, -4, 1),
        (0.02, -4, 0),
        (0.005, -4, 0),
        (0.1, -3, 1),
        (1.0, -1, 1),
    ],
)
def test_lam_slider_default_is_a_position_to_return_to(value, low, high):
    lam = widgets.lam_slider(value, low, high)
    positions = (lam.max - lam.min) / lam.step
    assert abs(positions - round(positions)) < 1e-9
    offset = (math.log10(value) - lam.min) / lam.step
    assert abs(offset - round(offset)) < 1e-9  # the default is a step
    # The range still covers what was asked, by less than one step more.
    assert low - lam.step < lam.min <= low + 1e-12
    assert high - 1e-12 <= lam.max < high + lam.step
    assert lam.value == value


class FakeHandle:
    """Records what the live version shows, in place of IPython's."""

    shown = []

    def display(self, obj):
        FakeHandle.shown.append(obj)

    update = display


@pytest.fixture
def fake_display(monkeypatch):
    FakeHandle.shown = []
    monkeypatch.setattr(widgets, "DisplayHandle", FakeHandle)
    monkeypatch.setattr(widgets, "display", lambda obj: None)
    return FakeHandle.shown


def caption_setting(explorer):
    """The parameters the shown chart was drawn for."""
    return {p["name"][4:]: p["value"] for p in explorer.spec["params"]}


def test_live_explorer_draws_default_then_each_new_setting(fake_display):
    from recsys_lessons import tryit
    from recsys_lessons.tryit import als_toy

    fig = als_toy.TRY_IT
    box = widgets.live_explorer(fig)
    controls = dict(zip([k.name for k in fig.knobs], box.children))
    assert caption_setting(fake_display[-1]) == fig.default
    controls["k"].value = 4
    controls["penalty"].value = "plain"
    assert caption_setting(fake_display[-1]) == {
        **fig.default,
        "k": 4,
        "penalty": "plain",
    }
    assert len(box.timings) == 2 and all(t > 0 for t in box.timings)
    # The shown chart is the one built afresh for that setting.
    setting = {**fig.default, "k": 4, "penalty": "plain"}
    fresh = tryit.single(fig, tryit.one_setting(fig, **setting), setting)
    a, b = fake_display[-1].spec, fresh.spec
    assert (
        a["datasets"][a["data"]["name"]]
        == (b["datasets"][b["data"]["name"]])
    )
    # Back to a setting already seen: the same chart, not a new fit.
    controls["k"].value = 2
    controls["penalty"].value = "weighted"
    assert fake_display[-1] is fake_display[0]


def test_knob_widgets_span_the_knob_and_start_at_its_default():
    from recsys_lessons.tryit import als_toy

    for knob in als_toy.TRY_IT.knobs:
        ctl = widgets.knob_widget(knob)
        assert ctl.value == knob.default
        if knob.kind == "options":
            assert list(ctl.options) == list(knob.grid)
        elif knob.kind == "log":
            assert ctl.min <= math.log10(knob.low) + 1e-9
            assert ctl.max >= math.log10(knob.high) - 1e-9
        else:
            assert (ctl.min, ctl.max) == (knob.low, knob.high)


def test_saved_controls_read_as_text_before_a_kernel_runs(fake_display):
    from recsys_lessons.tryit import als_toy

    box = widgets.live_explorer(als_toy.TRY_IT)
    text = box._repr_mimebundle_()["text/plain"]
    assert "VBox" not in text and "IntSlider" not in text
    assert "k (factors)" in text and "penalty" in text
    assert "Run this cell in Jupyter" in text


def test_live_explorer_announces_the_setting_and_the_helpers_numbers(
    fake_display,
):
    from recsys_lessons import tryit
    from recsys_lessons.tryit import als_toy

    fig = als_toy.TRY_IT
    box = widgets.live_explorer(fig)
    for k in (2, 4):
        box.children[0].value = k
        setting = {**fig.default, "k": k}
        rmse = tryit.one_setting(fig, **setting).iloc[-1]["train_rmse"]
        assert box.status.value == (
            '<p role="status" aria-live="polite" aria-atomic="true">'
            f"k = {k}, λ = 0.01, 20 iterations, weighted: "
            f"train RMSE {rmse:.3f}</p>"
        )
    # The λ slider's readout is the value as the book writes it.
    lam = box.children[1]
    assert lam.readout_format == ".3g" and f"{lam.value:.3g}" == "0.01"


def test_knob_texts_read_as_settings():
    from recsys_lessons.tryit import Knob

    assert Knob("lam", "log", (0.01, 0.1), 0.1, "λ").texts() == [
        "λ = 0.01",
        "λ = 0.1",
    ]
    assert Knob("t", "iterations", (1, 40), 40, "iterations").texts() == [
        "1 iteration",
        "40 iterations",
    ]
    assert Knob("k", "int", (1, 2), 2, "k (factors)").text(7) == "k = 7"
    assert Knob("o", "int", (0, 1), 0, "order #").text(3) == "order #3"
    with pytest.raises(ValueError, match="value"):
        Knob("p", "options", ("a", "b"), "a", "penalty").text("c")
