"""recsys_lessons.explorers: grids, inline data, controls, panels, and the
Vega-Lite output the book and JupyterLab draw.

Independent references: hand-built tables, Altair's own Vega-Lite schema,
and vl-convert's Vega-Lite 5.20 (what JupyterLab 4 ships) and 6.4 (what
the book serves) drawing the spec to SVG.
"""

import json
import re
from pathlib import Path

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from recsys_lessons import explorers as ex


def test_log_grid():
    g = ex.log_grid(-4, 1, 4)
    assert g.size == 21 and g[0] == 1e-4 and g[-1] == 10.0 and g[8] == 0.01
    np.testing.assert_allclose(np.diff(np.log10(g)), 0.25)
    for bad, err in [
        ((1, 1, 4), ValueError),
        ((0, 1, 0), ValueError),
        ((0.5, 1, 4), TypeError),
        ((0, 1, True), TypeError),
    ]:
        with pytest.raises(err):
            ex.log_grid(*bad)


def test_iteration_steps():
    s = ex.iteration_steps(400)
    assert s[:8] == [1, 2, 3, 4, 5, 6, 8, 10] and s[-1] == 400
    assert s == sorted(set(s))
    assert ex.iteration_steps(7) == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(ValueError):
        ex.iteration_steps(0)
    with pytest.raises(ValueError):
        ex.iteration_steps(10, mantissas=(0.5,))


def compute(a, b, iterations):
    return pd.DataFrame(
        {
            "t": np.arange(iterations + 1),
            "y": a * 10.0 + b + np.arange(iterations + 1),
        }
    )


def test_grid_frame():
    f = ex.grid_frame(
        compute, {"a": [1, 2], "b": [0.5, 1.5, 2.5]}, {"iterations": 3}
    )
    assert list(f.columns) == ["a", "b", "t", "y"] and len(f) == 24
    assert f.attrs["settings"] == 6 and f.attrs["seconds"] >= 0
    import numba

    n = numba.get_num_threads()
    seen = []
    ex.grid_frame(
        lambda a: (
            seen.append(numba.get_num_threads()),
            pd.DataFrame({"y": [a]}),
        )[1],
        {"a": [1, 2]},
    )
    assert seen == [1, 1] and numba.get_num_threads() == n
    with pytest.raises(ValueError):
        ex.grid_frame(compute, {"a": [1]}, threads=0)
    row = f[(f.a == 2) & (f.b == 1.5) & (f.t == 3)]
    assert row.y.item() == 24.5
    with pytest.raises(TypeError):
        ex.grid_frame(42, {"a": [1]})
    with pytest.raises(ValueError):
        ex.grid_frame(compute, {"a": []}, {"iterations": 1})
    with pytest.raises(ValueError):
        ex.grid_frame(compute, {"a": [1, 1]}, {"iterations": 1})
    with pytest.raises(ValueError):
        ex.grid_frame(compute, {"a b": [1]}, {"iterations": 1})
    with pytest.raises(TypeError):
        ex.grid_frame(lambda a: [a], {"a": [1]})
    with pytest.raises(ValueError):
        ex.grid_frame(lambda a: pd.DataFrame({"a": [a]}), {"a": [1]})
    with pytest.raises(ValueError):
        ex.grid_frame(compute, {"a": [1], "b": [1]}, {"a": 1})


def test_matrix_columns_round_trip():
    stack = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    cols = ex.matrix_columns(stack, "p")
    assert cols.shape == (2, 12) and cols.columns[5] == "p_1_1"
    np.testing.assert_array_equal(ex.matrix_at(cols.iloc[1]), stack[1])
    with pytest.raises(ValueError):
        ex.matrix_columns(np.zeros((3, 3)))
    with pytest.raises(ValueError):
        ex.matrix_columns(np.full((1, 2, 2), np.nan))
    with pytest.raises(TypeError):
        ex.matrix_at(cols)


def test_inline_data_rounds_once_and_correctly():
    f = pd.DataFrame(
        {
            "k": [1, 2],
            "r": [0.12345, 2.0004999],
            "z": [123456.7, -0.00001234],
            "s": ["a", "b"],
            "q": [np.nan, 1.0],
        }
    )
    d = ex.inline_data(f, significant=3, decimals={"r": 3})
    lines = d.values.splitlines()
    assert lines[0] == "k,r,z,s,q"
    assert lines[1] == f"1,{0.12345:.3f},1.23e+05,a,"
    assert lines[2] == "2,2.000,-1.23e-05,b,1"
    assert d.format.parse == {
        "k": "number",
        "r": "number",
        "z": "number",
        "q": "number",
    }
    with pytest.raises(ValueError):
        ex.inline_data(pd.DataFrame({"s": ["a,b"]}))
    with pytest.raises(ValueError):
        ex.inline_data(f, decimals={"nope": 1})
    with pytest.raises(ValueError):
        ex.inline_data(pd.DataFrame({"x": [np.inf]}))
    with pytest.raises(TypeError):
        ex.inline_data([1, 2])


def test_controls_validate():
    with pytest.raises(ValueError):
        ex.slider("k", [1, 2, 4])
    with pytest.raises(ValueError):
        ex.slider("k", [1, 2, 3], value=7)
    with pytest.raises(ValueError):
        ex.log_slider("lam", [0, 1])
    with pytest.raises(ValueError):
        ex.log_slider("lam", [1e-3, 1e-2, 1])
    with pytest.raises(TypeError):
        ex.radio("p", "ab")
    with pytest.raises(ValueError):
        ex.radio("p", ["a", "a"])
    with pytest.raises(ValueError):
        ex.step_slider("t", [3, 1, 2])
    lam = ex.log_slider("lam", ex.log_grid(-4, 1, 4), 0.01)
    assert lam.param.param.value == -2.0
    assert "0.125" in lam.test


def small_explorer(
    readout="'RMSE ' + format(datum.train_rmse, '.3f')", **figure
):
    R = np.array([[5.0, 0], [1, 3]])
    rows = []
    for k in (1, 2):
        for lam in ex.log_grid(-1, 0, 2):
            for pen in ("weighted", "plain"):
                for t in (1, 2, 3, 5):
                    rows.append(
                        {
                            "k": k,
                            "lam": lam,
                            "penalty": pen,
                            "t": t,
                            "objective": k * lam * t + 1.0,
                            "train_rmse": 0.001 * k * t,
                        }
                        | {
                            f"p_{i}_{j}": k * t + i - j
                            for i in range(2)
                            for j in range(2)
                        }
                    )
    frame = pd.DataFrame(rows)
    cs = [
        ex.slider("k", [1, 2], 2),
        ex.log_slider("lam", ex.log_grid(-1, 0, 2), 0.1),
        ex.step_slider("t", [1, 2, 3, 5], 3),
        ex.radio("penalty", ["weighted", "plain"]),
    ]
    cap = ex.caption_panel(cs, readout)
    cur = ex.history_panel(cs, cs[2], "objective", logx=True, logy=True)
    mat = ex.matrix_panel(
        cs, "p", shape=(2, 2), domain=(1, 5), outline=R != 0
    )
    return ex.explorer(
        ex.inline_data(frame, decimals={"train_rmse": 3}),
        cs,
        [cap, [cur, mat]],
        **figure,
    )


def test_explorer_output_is_vegalite_5_and_compiles_with_5_and_6():
    e = small_explorer()
    bundle, meta = e._repr_mimebundle_()
    assert set(bundle) == {ex.VEGALITE_MIME, "text/plain"}
    assert meta[ex.VEGALITE_MIME]["embed_options"]["renderer"] == "svg"
    spec = bundle[ex.VEGALITE_MIME]
    assert spec["$schema"] == ex.VEGALITE_SCHEMA
    schema = json.loads(
        (
            Path(alt.__file__).parent
            / "vegalite/v6/schema/vega-lite-schema.json"
        ).read_text()
    )
    # The spec against the schema; the schema itself is not checked
    # against its metaschema (jsonschema.validate would, and with the URI
    # format checkers JupyterLab installs it rejects Vega-Lite's "$ref"s,
    # which use "<" and ">").
    jsonschema.Draft7Validator(schema).validate(
        {k: v for k, v in spec.items() if k != "$schema"}
    )
    svg5 = vlc.vegalite_to_svg(spec, vl_version="5.20")
    svg6 = vlc.vegalite_to_svg(spec, vl_version="6.4")
    for svg in (svg5, svg6):
        # default setting: k=2, t=3 -> RMSE 0.006; cell (0,0) = k*t = 6
        assert "RMSE 0.006" in svg and ">6<" in svg.replace("</tspan>", "<")
    assert e.nbytes == len(json.dumps(spec, separators=(",", ":")))


SETTING = (
    "'k=' + datum.k + ' lam=' + format(datum.lam, '.3~g') + ' t=' + datum.t"
    " + ' pen=' + datum.penalty"
)


def test_the_books_controls_move_to_each_value_they_announce():
    """Each control's usermeta (what the book's own inputs use): its
    label, and for every value the text announced and the parameter value
    set. Vega itself (vl-convert) draws the spec with the parameter at
    each of those values: the caption must show that very setting."""
    e = small_explorer(SETTING)
    meta = e.spec["usermeta"]
    assert meta["readouts"] == ["caption"]
    controls = {c["param"]: c for c in meta["controls"]}
    assert {p: c["label"] for p, c in controls.items()} == {
        "ctl_k": "k",
        "ctl_lam": "lam",
        "ctl_t": "t",
        "ctl_penalty": "penalty",
    }
    assert controls["ctl_lam"]["texts"] == [
        "lam = 0.1",
        "lam = 0.316",
        "lam = 1",
    ]
    assert controls["ctl_t"]["texts"][-1] == "t = 5"
    assert controls["ctl_penalty"]["texts"] == ["weighted", "plain"]
    values = {
        "ctl_k": [1, 2],
        "ctl_lam": ["0.1", "0.316", "1"],
        "ctl_t": [1, 2, 3, 5],
        "ctl_penalty": ["weighted", "plain"],
    }
    shown = {
        "ctl_k": "k=",
        "ctl_lam": "lam=",
        "ctl_t": "t=",
        "ctl_penalty": "pen=",
    }
    for param, control in controls.items():
        start = control["signals"][control["value"]]
        for i, signal in enumerate(control["signals"]):
            spec = json.loads(json.dumps(e.spec))
            for p in spec["params"]:
                if p["name"] == param:
                    assert p["value"] == start
                    p["value"] = signal
            svg = vlc.vegalite_to_svg(spec, vl_version="6.4")
            want = f"{shown[param]}{values[param][i]}"
            assert re.search(re.escape(want) + r"( |<)", svg), (param, i)


def test_control_texts_are_checked():
    with pytest.raises(ValueError, match="texts"):
        ex.slider("k", [1, 2], texts=["one"])
    with pytest.raises(TypeError, match="texts"):
        ex.radio("p", ["a", "b"], texts=[1, 2])
    with pytest.raises(ValueError, match="texts"):
        ex.log_slider("lam", [0.1, 1.0], texts=["a", " "])
    c = ex.step_slider(
        "t", [1, 2, 5], 5, texts=["1 step", "2 steps", "5 steps"]
    )
    assert c.spec()["value"] == 2 and c.spec()["texts"][2] == "5 steps"


def test_explorer_size_limit():
    with pytest.raises(ValueError, match="max_bytes"):
        ex.Explorer(small_explorer().chart, max_bytes=1000)
    with pytest.raises(TypeError):
        ex.Explorer({"mark": "point"})


def test_html_for_spec_escapes_script_end():
    html = ex.html_for_spec(
        {"description": "</script><b>", "mark": "point"}
    )
    inner = re.search(
        r'<script type="application/json">(.*)</script></div>$', html
    )[1]
    assert (
        "</" not in inner
        and json.loads(inner)["description"] == "</script><b>"
    )


def test_mystnb_plugin():
    class Data:
        mime_type = ex.VEGALITE_MIME
        content = {"mark": "point"}
        output_metadata = {
            ex.VEGALITE_MIME: {"embed_options": {"renderer": "svg"}}
        }

    nodes = ex.MystNbVegaLite.handle_mime(None, Data, False)
    assert (
        nodes[0]["format"] == "html"
        and 'class="vegalite-output"' in nodes[0].astext()
    )
    assert (
        'data-embed-options="{&quot;renderer&quot;:&quot;svg&quot;}"'
        in nodes[0].astext()
    )
    assert ex.MystNbVegaLite.handle_mime(None, Data, True) is None
    Data.mime_type = "text/plain"
    assert ex.MystNbVegaLite.handle_mime(None, Data, False) is None

    # priority of the plugin when registered (here: by hand)
    assert (
        "html",
        ex.VEGALITE_MIME,
        5,
    ) in ex.MystNbVegaLite.mime_priority_overrides


def test_a_caption_and_name_go_into_usermeta_and_nothing_else():
    plain = small_explorer()
    named = small_explorer(caption="A *small* one.", name="fig-small")
    assert named.spec["usermeta"] == {
        **plain.spec["usermeta"],
        "caption": "A *small* one.",
        "name": "fig-small",
    }
    rest = {k: v for k, v in named.spec.items() if k != "usermeta"}
    assert rest == {k: v for k, v in plain.spec.items() if k != "usermeta"}
    assert not {"caption", "name"} & set(plain.spec["usermeta"])
    with pytest.raises(ValueError, match="go together"):
        small_explorer(name="fig-small")


PAGE_CONF = """
extensions = ["myst_nb"]
nb_execution_mode = "off"
numfig = True
exclude_patterns = ["_build"]
"""


def build_page(tmp_path, cells):
    """A one-page MyST-NB book of ``cells`` (stored outputs, no kernel),
    built to HTML with the plugins of pyproject.toml (installed entry
    points): its resolved doctree, its HTML and Sphinx's warnings."""
    import io

    import nbformat
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(PAGE_CONF)
    book = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            },
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(book, src / "index.ipynb")
    out, warnings = tmp_path / "html", io.StringIO()
    app = Sphinx(
        src,
        src,
        out,
        tmp_path / "doctrees",
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    doctree = app.env.get_and_resolve_doctree("index", app.builder)
    return doctree, (out / "index.html").read_text(), warnings.getvalue()


def explorer_cell(explorer):
    """A code cell that showed ``explorer`` (its stored output)."""
    import nbformat

    bundle, meta = explorer._repr_mimebundle_()
    output = nbformat.v4.new_output(
        "display_data", data=bundle, metadata=meta
    )
    return nbformat.v4.new_code_cell("shown", outputs=[output])


def test_the_book_numbers_a_captioned_explorer(tmp_path):
    """Through Sphinx and MyST-NB: the explorer with a caption and a name
    sits in a numbered figure that {numref} cites, its caption parsed as
    MyST; the one without is the raw HTML it always was, and both keep
    the div.vegalite-output that the page's script draws and fits with
    its own controls (book/_ext/vegalite_embed.js finds every such div
    and adds its controls inside it, wherever it sits)."""
    import nbformat
    from docutils import nodes

    named = small_explorer(caption="A *small* explorer.", name="fig-small")
    doctree, html, warnings = build_page(
        tmp_path,
        [
            nbformat.v4.new_markdown_cell(
                "# Page\n\nAs {numref}`fig-small` shows."
            ),
            explorer_cell(named),
            explorer_cell(small_explorer()),
        ],
    )
    assert "WARNING" not in warnings, warnings
    (figure,) = doctree.findall(nodes.figure)
    assert figure["ids"] == ["fig-small"]
    assert figure["names"] == ["fig-small"]
    caption = figure.next_node(nodes.caption)
    assert caption.astext() == "A small explorer."
    assert caption.next_node(nodes.emphasis).astext() == "small"
    drawn = [
        n
        for n in doctree.findall(nodes.raw)
        if 'class="vegalite-output"' in n.astext()
    ]
    assert len(drawn) == 2
    assert drawn[0].parent is figure
    assert not any(isinstance(p, nodes.figure) for p in parents(drawn[1]))
    # The reference resolves to the figure's number.
    (ref,) = [
        n for n in doctree.findall(nodes.reference) if "fig-small" in str(n)
    ]
    assert ref["refid"] == "fig-small" and ref.astext() == "Fig. 1"
    # In the page: one <figure>, the explorer's div inside it, then the
    # numbered caption.
    found = re.search(
        r'<figure[^>]*id="fig-small"[^>]*>(.*?)</figure>', html, re.S
    )
    assert found, html
    inner = found[1]
    assert inner.count('<div class="vegalite-output"') == 1
    assert inner.index("vegalite-output") < inner.index("<figcaption>")
    assert "Fig. 1" in inner and "<em>small</em>" in inner
    assert html.count('<div class="vegalite-output"') == 2


def parents(node):
    while node.parent is not None:
        node = node.parent
        yield node


def test_numpy_values_make_plain_expressions():
    t = ex.step_slider("t", np.array([1, 2, 5]), np.int64(2))
    assert "[1,2,5]" in t.test and t.param.param.value == 1
    k = ex.slider("k", np.arange(1, 6), np.int64(3))
    assert k.values == (1, 2, 3, 4, 5) and type(k.values[0]) is int
    with pytest.raises(ValueError):
        ex.radio("p", ["a", ""])
    with pytest.raises(TypeError):
        ex.radio("p", ["a", 1])


def test_panels_validate_by_name():
    cs = [ex.slider("k", [1, 2]), ex.step_slider("t", [1, 2, 5])]
    for kwargs, exc, word in [
        ({"logx": 1}, TypeError, "logx"),
        ({"width": 0}, ValueError, "width"),
        ({"title": 3}, TypeError, "label"),
    ]:
        with pytest.raises(exc, match=word):
            ex.history_panel(cs, cs[1], "y", **kwargs)
    with pytest.raises(ValueError, match="along"):
        ex.history_panel(cs, ex.slider("z", [1]), "y")
    for kwargs, exc, word in [
        ({"shape": 5, "domain": (0, 1)}, TypeError, "shape"),
        ({"shape": (2, 2, 2), "domain": (0, 1)}, ValueError, "shape"),
        ({"shape": (2, 2), "domain": (1, 0)}, ValueError, "domain"),
        ({"shape": (2, 2), "domain": (0, 1), "fmt": 1}, TypeError, "fmt"),
        (
            {"shape": (2, 2), "domain": (0, 1), "outline": np.ones((3, 3))},
            ValueError,
            "outline",
        ),
    ]:
        with pytest.raises(exc, match=word):
            ex.matrix_panel(cs, **kwargs)
    with pytest.raises(TypeError, match="rows"):
        ex.explorer(pd.DataFrame({"k": [1]}), cs, [42])
    with pytest.raises(ValueError, match="rows"):
        ex.explorer(pd.DataFrame({"k": [1]}), cs, [])


def test_fixed_controls_draw_one_setting():
    """The live version's chart: fixed controls select the one setting's
    rows, up to the selected iteration."""
    frame = pd.DataFrame(
        {
            "t": [1, 2, 3, 5],
            "objective": [4.0, 3.0, 2.5, 2.0],
            "train_rmse": [0.5, 0.25, 0.125, 0.0625],
        }
    )
    cs = [ex.fixed("k", 2), ex.fixed("t", 3, match=True, values=(1, 5))]
    assert cs[0].test == "true" and "ctl_t" in cs[1].test
    assert cs[1].values == (1, 5)
    cap = ex.caption_panel(cs, "'RMSE ' + format(datum.train_rmse, '.3f')")
    cur = ex.history_panel(cs, cs[1], "objective")
    e = ex.explorer(ex.inline_data(frame), cs, [cap, cur])
    svg = vlc.vegalite_to_svg(e.spec, vl_version="5.20")
    assert "RMSE 0.125" in svg
    with pytest.raises(TypeError):
        ex.fixed("k", [1])
    with pytest.raises(ValueError):
        ex.fixed("k", float("nan"))
    with pytest.raises(TypeError):
        ex.fixed("k", 1, match=1)


def test_from_spec_checks_its_size():
    spec = small_explorer().spec
    e = ex.Explorer.from_spec(spec, description="d")
    assert e.nbytes == small_explorer().nbytes and e.chart is None
    with pytest.raises(ValueError, match="max_bytes"):
        ex.Explorer.from_spec(spec, max_bytes=100)
    with pytest.raises(TypeError):
        ex.Explorer.from_spec("{}")


def test_colab_gets_an_html_view_and_nothing_else_does(monkeypatch):
    """Colab renders no Vega-Lite output type, so there (only there) the
    bundle adds HTML that loads vega-embed from a CDN; the book and
    JupyterLab never see it."""
    import sys
    import types

    e = small_explorer()
    bundle, _ = e._repr_mimebundle_()
    assert "text/html" not in bundle
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("c"))
    bundle, _ = e._repr_mimebundle_()
    page = bundle["text/html"]
    assert "cdn.jsdelivr.net/npm/vega-embed@6" in page
    assert "cdn.jsdelivr.net/npm/vega-lite@5.20.1" in page
    assert json.dumps(e.spec["params"])[:40] in page
