"""recsys_lessons.figures: text alternatives, data tables, colour checks.

Each is compared with something independent: the arrays the figure was
drawn from (NumPy's own min, argmin, ...), colorspacious's Machado et al.
(2009) simulation and CIELab conversion, docutils' image node.
"""

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from colorspacious import cspace_convert  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from recsys_lessons import figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def lines_figure(rng):
    x = np.sort(rng.uniform(0.001, 10, 12))
    train = rng.uniform(0.2, 0.9, 12)
    test = rng.uniform(0.5, 1.2, 12)
    fig, ax = plt.subplots()
    ax.plot(x, train, marker="o", label="train")
    ax.plot(x, test, marker="s", label="test")
    ax.axhline(0.8, color="0.5", label="mean")
    ax.set_xscale("log")
    ax.set_xlabel("λ")
    ax.set_ylabel("RMSE")
    ax.set_title("RMSE at k = 10")
    return fig, x, train, test


def test_describe_states_each_line_extremes_from_the_drawn_data(rng):
    fig, x, train, test = lines_figure(rng)
    (text,) = figures.describe(fig)
    for name, y in (("train", train), ("test", test)):
        lo, hi = np.argmin(y), np.argmax(y)
        part = text.split(f"Line “{name}”: ")[1].split(".", 1)[0]
        assert f"{len(y)} points" in text
        assert (
            f"lowest {y[lo]:.3g} at x = {x[lo]:.3g}"
            in part + "." + (text.split(f"Line “{name}”: ")[1])
        )
        assert f"highest {y[hi]:.3g} at x = {x[hi]:.3g}" in text
        assert f"first {y[0]:.3g}, last {y[-1]:.3g}" in text
    assert "log scale" in text and "“RMSE at k = 10”" in text
    assert "a horizontal line “mean” at y = 0.8" in text


def test_tables_hold_every_drawn_point_in_order(rng):
    fig, x, train, test = lines_figure(rng)
    ((caption, header, rows),) = figures.figure_tables(fig)
    assert header == ["λ", "train", "test"]
    assert [r[0] for r in rows] == [f"{v:.3g}" for v in x]
    assert [r[1] for r in rows] == [f"{v:.3g}" for v in train]
    assert [r[2] for r in rows] == [f"{v:.3g}" for v in test]


def test_long_tables_are_thinned_and_say_so():
    fig, ax = plt.subplots()
    y = np.arange(1000) / 7.0
    ax.plot(np.arange(1000), y)
    ((caption, _, rows),) = figures.figure_tables(fig)
    assert len(rows) <= figures.MAX_ROWS + 1
    assert "one row in every 17 of 1000" in caption
    assert rows[-1][0] == "999" and rows[0][0] == "0"


def test_bars_with_error_bars_and_small_images():
    fig, (a, b) = plt.subplots(1, 2)
    a.bar(["ALS", "BPR"], [0.41, 0.39], yerr=[0.01, 0.02])
    a.set_ylabel("NDCG@10")
    m = np.array([[1.0, np.nan], [3.0, 4.5]])
    b.imshow(np.ma.masked_invalid(m))
    text = " ".join(figures.describe(fig))
    assert "Bars: ALS 0.41 ± 0.01, BPR 0.39 ± 0.02." in text
    assert (
        "Image of 2 by 2 cells, values from 1 to 4.5, 1 cells empty" in text
    )
    tables = figures.figure_tables(fig)
    assert tables[0][1:] == (
        ["", "NDCG@10", "±"],
        [["ALS", "0.41", "0.01"], ["BPR", "0.39", "0.02"]],
    )
    assert tables[1][1:] == (
        ["", "0", "1"],
        [["0", "1", ""], ["1", "3", "4.5"]],
    )
    # Rows and columns named by the ticks a heatmap sets.
    b.set_xticks([0, 1], ["λ = 0.01", "λ = 0.1"])
    b.set_yticks([0, 1], ["k = 2", "k = 4"])
    b.set_xlabel("λ")
    b.set_ylabel("k")
    header, rows = figures.figure_tables(fig)[1][1:]
    assert header == ["k (rows), λ (columns)", "λ = 0.01", "λ = 0.1"]
    assert [r[0] for r in rows] == ["k = 2", "k = 4"]


def test_twins_points_math_and_clipped_lines():
    fig, ax = plt.subplots()
    ax.bar([1, 2, 3], [5.0, 3.0, 1.0])
    ax.set_xlabel("component")
    ax.set_ylabel("singular value")
    right = ax.twinx()
    right.plot([1, 2, 3], [0.6, 0.9, 1.0], marker="o")
    right.set_ylabel("captured energy")
    (text,) = figures.describe(fig)  # one panel, not two
    assert "right y axis “captured energy”" in text
    assert "On the right axis, line “line 1”: 3 points" in text
    assert figures.figure_tables(fig)[1][0] == "The plot, right axis: lines"

    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [4, 0, 2], "o", label="ratings")
    ax.plot([0, 1, 2], [1, 2, 30], "-", label="$\\lambda$ path")
    ax.set_ylim(0, 5)
    ax.set_xlabel("$(U^*, V^*)$")
    (text,) = figures.describe(fig)
    assert "Points “ratings”: 3, x from 0 to 2, y from 0 to 4." in text
    assert "Line “λ path”" in text and "x axis “(U*, V*)”" in text
    assert "(1 outside the plotted range, 0 to 5)" in text


def test_wide_tables_wrap_to_the_code_column():
    InteractiveShell.instance()
    fig, ax = plt.subplots()
    ax.imshow(np.arange(40.0).reshape(2, 20) / 7)
    ax.set_xticks(range(20), [f"item {j}" for j in range(20)])
    with capture_output() as out:
        figures.show(fig, "Values from 0 to 5.57.")
    text = out.outputs[1].data["text/plain"]
    assert max(len(line) for line in text.splitlines()) <= 76
    assert "item 19 5.57" in text.replace("\n    ", " ")


@pytest.mark.parametrize(
    "summary, ok",
    [
        ("Test RMSE is lowest, 0.641, at λ = 0.05.", True),
        ("Test RMSE is lowest, 0.642, at λ = 0.05.", False),
        ("Test RMSE is lowest, 0.64, at λ = 0.05.", True),  # coarser
        ("Test RMSE is lowest, 0.6, at k = 10.", True),  # title's 10
        ("The mean is 80 % of 1.", True),  # 0.8 as a percent
        ("The mean is 81 % of 1.", False),
        ("It reaches 3.", False),
    ],
)
def test_summary_numbers_must_be_drawn(summary, ok):
    fig, ax = plt.subplots()
    ax.plot([0.01, 0.05, 0.1], [0.7, 0.641, 0.65])
    ax.axhline(0.8)
    ax.set_title("k = 10")
    if ok:
        figures.check_summary(fig, summary)
    else:
        with pytest.raises(ValueError, match="summary states"):
            figures.check_summary(fig, summary)


def test_colour_simulation_matches_colorspacious(rng):
    rgb = rng.uniform(0, 1, (200, 3))
    for mine, theirs in (
        ("protanopia", "protanomaly"),
        ("deuteranopia", "deuteranomaly"),
    ):
        ref = cspace_convert(
            rgb,
            {"name": "sRGB1+CVD", "cvd_type": theirs, "severity": 100},
            "sRGB1",
        )
        got = figures.simulate_cvd(rgb, mine)
        np.testing.assert_allclose(got, np.clip(ref, 0, 1), atol=1e-9)
    grey = figures.simulate_cvd(rgb, "achromatopsia")
    np.testing.assert_allclose(grey[:, 0], grey[:, 1], atol=1e-12)
    np.testing.assert_allclose(grey[:, 1], grey[:, 2], atol=1e-12)
    # The grey keeps the colour's lightness (CIE L*).
    np.testing.assert_allclose(
        cspace_convert(grey, "sRGB1", "CIELab")[:, 0],
        cspace_convert(rgb, "sRGB1", "CIELab")[:, 0],
        atol=0.05,
    )
    np.testing.assert_allclose(
        figures._lab(rgb), cspace_convert(rgb, "sRGB1", "CIELab"), atol=0.01
    )


def two_lines(c1, c2, **second):
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [1, 2, 3], color=c1, label="a")
    ax.plot([1, 2, 3], [3, 2, 1], color=c2, label="b", **second)
    return fig


def test_red_green_alone_is_refused_and_a_marker_fixes_it():
    with pytest.raises(ValueError, match="deuteranopia"):
        figures.check_colours(two_lines("#d62728", "#2ca02c"))
    figures.check_colours(two_lines("#d62728", "#2ca02c", marker="o"))
    figures.check_colours(two_lines("#d62728", "#2ca02c", linestyle="--"))
    # Okabe-Ito blue and vermillion: apart under protanopia and
    # deuteranopia, but only 8 L* apart in greys.
    with pytest.raises(ValueError, match="achromatopsia"):
        figures.check_colours(two_lines("#0072B2", "#D55E00"))
    # Black and yellow stay far apart under all three.
    figures.check_colours(two_lines("#000000", "#F0E442"))
    # Point sets told apart by their marker's shape, ▲ against ▼.
    fig, ax = plt.subplots()
    ax.scatter([1, 2], [1, 2], color="#0072B2", marker="^")
    ax.scatter([1, 2], [2, 1], color="#D55E00", marker="v")
    figures.check_colours(fig)
    ax.scatter([1, 2], [3, 3], color="#D55E00", marker="^")
    with pytest.raises(ValueError, match="achromatopsia"):
        figures.check_colours(fig)


def test_show_displays_the_alt_text_and_the_data(rng):
    InteractiveShell.instance()
    fig, x, train, test = lines_figure(rng)
    i = int(np.argmin(test))
    summary = f"Test RMSE is lowest, {test[i]:.3f}, at λ = {x[i]:.3g}."
    with capture_output() as out:
        figures.show(fig, summary)
    image, data = out.outputs
    alt = summary + " The figure's data follow it."
    assert image.data["text/plain"] == alt
    assert image.metadata == {"image/png": {"alt": alt}}
    png = base64.b64decode(image.data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
    html = data.data["text/html"]
    assert html.startswith('<details class="figure-data">')
    assert html.count("<table>") == 1
    assert html.count('<th scope="row">') == len(x)
    assert f"<td>{test[i]:.3g}</td>" in html


def test_show_refuses_a_stale_sentence_and_a_colour_only_pair():
    InteractiveShell.instance()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [0.5, 0.25])
    with pytest.raises(ValueError, match="summary states"):
        figures.show(fig, "It falls to 0.1.")
    with pytest.raises(ValueError, match="differ only in colour"):
        figures.show(two_lines("#d62728", "#2ca02c"), "Two lines.")


def test_the_book_plugin_writes_the_alt_into_the_image_node():
    from docutils import nodes

    class Renderer:
        def render_image(self, data):
            return [nodes.image(uri="x.png")]

    class Data:
        mime_type = "image/png"
        output_metadata = {"image/png": {"alt": "RMSE falls to 0.5."}}

    (node,) = figures.MystNbAlt.handle_mime(Renderer(), Data(), False)
    assert node["alt"] == "RMSE falls to 0.5."
    Data.output_metadata = {}
    assert figures.MystNbAlt.handle_mime(Renderer(), Data(), False) is None
    Data.mime_type = "text/plain"
    assert figures.MystNbAlt.handle_mime(Renderer(), Data(), False) is None
