"""Every reader: both editions of the built book meet WCAG 2.1 AA.

The book (``make book student``, built once per run: tests/book_site.py)
is served on 127.0.0.1 and read in Debian's Chromium:

* axe-core (npm, pinned in tests/axe/, installed into .venv/axe by make
  test; never a CDN) finds no violation, at any impact level, under the
  rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa, on every page of both
  editions, with every collapsed block (solutions, figure data) open;
* every figure's text alternative is the sentence its chapter computed
  (recsys_lessons.figures.show), never a file name, and its data follow it
  as tables;
* every explorer is driven by the keyboard alone: Tab reaches each
  control, arrow keys, Home and End move it, and the accessibility tree
  announces the setting itself ("λ = 0.01") and, in a live region, the
  helper's numbers for that setting;
* every formula is exposed to the accessibility tree as MathML;
* every chapter is photographed under Chromium's simulated protanopia,
  deuteranopia and achromatopsia (``_build/screenshots/cvd``), for a
  reviewer; the colour rule itself is checked where the figures are made
  (recsys_lessons.figures.check_colours, tests/test_figures.py).

Counts per page land in ``_build/accessibility/`` for the closing notes.
"""

import json
import re

import nbformat
import pytest
from book_site import (
    BUILD,
    CHAPTERS,
    PAGES,
    ROOT,
    STUDENT_PAGES,
    expected_caption_numbers,
    try_it_figures,
    visit,
)

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXPLORER_CHAPTERS = [
    "01_objective",
    "02_als",
    "03_svd",
    "04_bpr",
    "05_lambdarank",
    "06_metrics",
]
REPORT = BUILD / "accessibility"


OPEN_ALL = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  // Solutions (sphinx-togglebutton), opened as a reader opens them.
  document.querySelectorAll('button.toggle-button')
    .forEach(b => b.click());
}"""


def axe(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )


def built_pages(edition):
    """Every page the edition serves (not the redirect stub), and the
    search page with results."""
    root = BUILD / edition
    pages = [
        path.relative_to(root).as_posix()
        for path in sorted(root.rglob("*.html"))
        if "_static" not in path.parts
        and 'http-equiv="Refresh"' not in path.read_text()[:300]
    ]
    return [*pages, "search.html?q=NDCG"]


@pytest.mark.parametrize(
    "edition, mode",
    # The theme's switch offers a dark mode: it must meet AA too.
    [("html", "light"), ("student", "light"), ("html", "dark")],
)
def test_axe_finds_no_violation(server, browser, edition, mode):
    assert AXE.exists(), "axe-core is not installed: run make test"
    pages = built_pages(edition)
    names = {p.split(".html")[0] for p in pages}
    assert names >= {p for p in PAGES if edition == "html"} | {
        p for p in STUDENT_PAGES if edition == "student"
    }
    failed = {}
    for name in pages:
        page, problems = visit(
            browser, f"{server}/{edition}/{name}", mode=mode
        )
        try:
            theme = page.evaluate("document.documentElement.dataset.theme")
            assert theme == mode, name
            page.evaluate(OPEN_ALL)
            result = axe(page)
            assert result["testEngine"]["version"].startswith("4."), name
            found = {
                v["id"]: {
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"]],
                    "help": v["help"],
                }
                for v in result["violations"]
            }
            out = REPORT / edition / mode / f"{name.replace('?', '_')}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(found, indent=1))
            if found or problems:
                failed[name] = {"axe": found, "loading": problems}
        finally:
            page.close()
    assert failed == {}, json.dumps(failed, indent=1)[:4000]


def stored_alts(chapter):
    """The text alternatives the chapter's notebook stores, in order;
    None for a figure of timings (nbval-ignore-output), which the build
    measured afresh."""
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4)
    return [
        None
        if "nbval-ignore-output" in cell.metadata.get("tags", [])
        else out["metadata"]["image/png"]["alt"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]


@pytest.mark.parametrize("edition", ["html", "student"])
@pytest.mark.parametrize("chapter", ["00_tour", *CHAPTERS])
def test_every_figure_says_what_it_shows(server, browser, edition, chapter):
    page, _ = visit(browser, f"{server}/{edition}/notebooks/{chapter}.html")
    try:
        figures = page.evaluate(
            """() => [...document.querySelectorAll('main img')]
              .filter(i => i.closest('.cell_output'))
              .map(i => {
                const cell = i.closest('.cell_output');
                const data = cell.querySelector('details.figure-data');
                return {alt: i.getAttribute('alt'),
                        tables: data ? data.querySelectorAll(
                          'table th[scope=col]').length : 0};
              })"""
        )
        alts = stored_alts(chapter)
        assert len(figures) == len(alts) >= 1
        for shown, stored in zip(figures, alts):
            assert shown["alt"] == stored or stored is None
            assert not re.search(r"\.(png|svg|jpe?g)$", shown["alt"])
            assert re.search(r"\d", shown["alt"]), "no key number"
            assert shown["tables"] > 0, "the figure's data are missing"
    finally:
        page.close()


def ax_nodes(page):
    cdp = page.context.new_cdp_session(page)
    try:
        return cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()


def announced(page, stop, label):
    """What a screen reader says for the slider ``stop``: the
    accessibility tree must hold a slider named ``label`` (its ``<label>``)
    whose position is the input's; the value it announces is the input's
    ``aria-valuetext``. (Chromium's DevTools tree reports a range input's
    position, not its aria-valuetext, so the text is read off the element
    the tree points at.)"""
    position = int(page.locator(f"#{stop}").input_value())
    named = [
        node
        for node in ax_nodes(page)
        if node.get("role", {}).get("value") == "slider"
        and node.get("name", {}).get("value") == label
    ]
    assert len(named) == 1, f"no single slider named {label!r}"
    assert named[0]["value"]["value"] == position
    return page.locator(f"#{stop}").get_attribute("aria-valuetext")


def live_text(page):
    return page.locator(".explorer-readout[aria-live=polite]").inner_text()


def settle(page, before):
    """Wait until the live region differs from ``before`` (or 2 s)."""
    page.wait_for_function(
        "t => document.querySelector('.explorer-readout').textContent"
        " !== t",
        arg=before,
        timeout=2000,
    )


@pytest.mark.parametrize("chapter", EXPLORER_CHAPTERS)
def test_explorer_by_keyboard_alone(server, browser, chapter):
    import numba

    numba.set_num_threads(1)  # as the book's build computed the grid
    page, problems = visit(
        browser, f"{server}/html/notebooks/{chapter}.html"
    )
    try:
        el = page.locator("div.vegalite-output")
        fig = try_it_figures()[el.get_attribute("aria-label")]
        knobs = list(fig.knobs)
        controls = page.locator(".explorer-controls input")
        # From the top of the page, Tab alone reaches every control, in
        # the knobs' order (a radio group is one stop).
        page.evaluate("() => document.activeElement.blur()")
        reached = []
        for _ in range(600):
            page.keyboard.press("Tab")
            info = page.evaluate(
                """() => { const a = document.activeElement;
                  return a.closest('.explorer-controls')
                    ? (a.type === 'radio' ? a.name : a.id) : null; }"""
            )
            if info is not None and info not in reached:
                reached.append(info)
            if len(reached) == len(knobs):
                break
        assert [r.rsplit("ctl_", 1)[1] for r in reached] == [
            k.name for k in knobs
        ]
        setting = dict(fig.default)

        def check():
            text = live_text(page)
            for number in expected_caption_numbers(fig, setting):
                assert number in text, (setting, number, text)

        check()
        for knob, stop in zip(knobs, reached):
            texts = knob.texts()
            if knob.kind == "options":
                radio = page.locator(f'input[name="{stop}"]:checked')
                radio.focus()
                i = knob.grid.index(setting[knob.name])
                before = live_text(page)
                page.keyboard.press("ArrowRight")
                i = (i + 1) % len(knob.grid)
                setting[knob.name] = knob.grid[i]
                settle(page, before)
                focused = page.evaluate(
                    "() => document.activeElement.value"
                )
                assert int(focused) == i
                check()
                continue
            page.locator(f"#{stop}").focus()
            label = page.locator(f'label[for="{stop}"]').inner_text()
            assert label == knob.label
            i = knob.grid.index(setting[knob.name])
            for key in ("End", "Home", "ArrowRight"):
                j = {"End": len(knob.grid) - 1, "Home": 0}.get(key, 1)
                before = live_text(page)
                page.keyboard.press(key)
                if j != i:
                    settle(page, before)
                i = j
                setting[knob.name] = knob.grid[i]
                assert announced(page, stop, knob.label) == texts[i]
                check()
        assert problems == [], "\n".join(problems)
        assert controls.count() >= len(knobs)
    finally:
        page.close()


MATH = """() => {
  const boxes = [...document.querySelectorAll('mjx-container')];
  return {
    boxes: boxes.length,
    mathml: boxes.filter(
      b => b.querySelector('mjx-assistive-mml math')).length,
  };
}"""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_formulas_reach_the_accessibility_tree_as_mathml(
    server, browser, chapter
):
    page, _ = visit(browser, f"{server}/html/notebooks/{chapter}.html")
    try:
        page.evaluate(OPEN_ALL)
        counts = page.evaluate(MATH)
        assert counts["boxes"] > 0
        assert counts["mathml"] == counts["boxes"]
        roles = [n.get("role", {}).get("value") for n in ax_nodes(page)]
        exposed = roles.count("MathMLMath") + roles.count("math")
        assert exposed >= 0.9 * counts["boxes"], (exposed, counts)
    finally:
        page.close()


@pytest.mark.parametrize("chapter", ["00_tour", *CHAPTERS])
def test_chapters_photographed_under_colour_vision_deficiencies(
    server, browser, chapter
):
    page, _ = visit(browser, f"{server}/html/notebooks/{chapter}.html")
    shots = BUILD / "screenshots" / "cvd"
    shots.mkdir(parents=True, exist_ok=True)
    cdp = page.context.new_cdp_session(page)
    try:
        plain = page.locator("main").screenshot()
        for deficiency in ("protanopia", "deuteranopia", "achromatopsia"):
            cdp.send(
                "Emulation.setEmulatedVisionDeficiency",
                {"type": deficiency},
            )
            seen = page.locator("main").screenshot(
                path=str(shots / f"{chapter}_{deficiency}.png")
            )
            assert seen != plain, f"{deficiency} was not simulated"
    finally:
        cdp.detach()
        page.close()
