import math

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w
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


def test_saved_controls_read_as_text_before_a_kernel_runs():
    box = widgets.live(
        lambda k, lam: plt.figure(),
        k=widgets.k_slider(3),
        lam=widgets.lam_slider(0.05),
    )
    text = box._repr_mimebundle_()["text/plain"]
    assert "VBox" not in text and "FloatLogSlider" not in text
    assert "k (factors)" in text and "λ (log scale)" in text
    assert "Run this cell in Jupyter" in text


def test_live_draws_default_then_redraws_on_change():
    seen = []

    def draw(k, lam):
        seen.append((k, lam))
        plt.figure()

    k = widgets.k_slider(3)
    lam = widgets.lam_slider(0.1)
    box = widgets.live(draw, k=k, lam=lam)
    assert isinstance(box, w.VBox) and list(box.children) == [k, lam]
    assert seen == [(3, 0.1)]  # the default figure, drawn once
    k.value = 7
    assert seen[-1] == (7, 0.1)
    assert (
        plt.get_fignums() == []
    )  # each figure is shown through the display handle only
