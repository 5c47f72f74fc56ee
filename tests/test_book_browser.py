"""The built book in a real browser: Debian's Chromium driven by Playwright.

Builds the book and the student edition (``make book student``), serves
``_build`` on 127.0.0.1 and visits every page. The machine has no internet,
like many classrooms: any request to another host fails the test, on every
page of both editions. Every chapter's explorer is driven like a reader
would: each control moved, the figure redrawn, the number it shows compared
with the helper's. Screenshots of the chapters and of each explorer in two
settings land in ``_build/screenshots``.
"""

import html
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import yaml
from book_site import (
    BUILD,
    CACHE,
    CHAPTERS,
    PAGES,
    ROOT,
    expected_caption_numbers,
    try_it_figures,
    visit,
)
from jupyter_cache import get_cache
from solution_text import all_solution_lines, leaks
from stored_outputs import differences

# The chapters with a "Try it" explorer; 07 (MovieLens) and 08 (Spark)
# have none: their data are too large for a precomputed grid.
WIDGET_CHAPTERS = [
    "01_objective",
    "02_als",
    "03_svd",
    "04_bpr",
    "05_lambdarank",
    "06_metrics",
]


@pytest.mark.parametrize(
    "notebook",
    sorted((ROOT / "notebooks").glob("*.ipynb")),
    ids=lambda path: path.stem,
)
def test_executed_book_shows_the_stored_outputs(server, notebook):
    """The book executed on another processor prints what nbval checks.

    nbval re-runs the notebooks on the session's processor
    (``cpu_targets.TEST_CPU``); the book was executed on ``BOOK_CPU``.
    Each checked output of each cell must equal the stored one, under
    nbval's rules (``stored_outputs.differences``).
    """
    stored = nbformat.read(notebook, as_version=4)
    _, executed = get_cache(str(CACHE)).merge_match_into_notebook(stored)
    assert differences(stored, executed) == []


PROSE = """() => {
  const main = document.querySelector('main') || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('pre, .highlight, script, mjx-container')
    .forEach(e => e.remove());
  return copy.innerText;
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_cleanly_with_math_and_images(
    server, browser, page_name
):
    page, problems = visit(browser, f"{server}/html/{page_name}.html")
    try:
        prose = page.evaluate(PROSE)
        assert (
            "$$" not in prose and "\\(" not in prose and "\\[" not in prose
        ), "untypeset math left in the text"
        broken = page.evaluate(
            "() => [...document.images]"
            ".filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)"
        )
        assert broken == [], f"images that did not load: {broken}"
        assert problems == [], "\n".join(problems)
        if page_name.startswith("notebooks/0") and not page_name.endswith(
            "00_tour"
        ):
            assert page.locator("mjx-container").count() > 0, (
                "a chapter without typeset math"
            )
            shots = BUILD / "screenshots"
            shots.mkdir(exist_ok=True)
            page.screenshot(
                path=str(shots / f"{Path(page_name).name}.png"),
                full_page=True,
            )
    finally:
        page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_its_figures_and_no_dead_widget(
    server, browser, chapter
):
    page, _ = visit(browser, f"{server}/html/notebooks/{chapter}.html")
    try:
        figures = page.evaluate(
            "() => [...document.querySelectorAll('.cell_output img')]"
            ".filter(i => i.naturalWidth > 0).length"
        )
        explorers = page.locator("div.vegalite-output").count()
        assert figures + explorers >= 1, "no figure in the chapter"
        # No saved ipywidgets: with no kernel they would be dead controls.
        assert page.locator('script[type*="jupyter.widget"]').count() == 0
        if chapter in WIDGET_CHAPTERS:
            assert explorers == 1, "the Try it section has no explorer"
    finally:
        page.close()


# --- the explorers: every control moves the figure, offline ---------------


def knob_value(knob, signal):
    """The knob's value for a control's parameter (as explorers.py binds
    it: log sliders move the exponent, step sliders the position)."""
    if knob.kind == "log":
        return min(knob.grid, key=lambda g: abs(math.log10(g) - signal))
    if knob.kind == "options" or knob.control().test.startswith("abs("):
        return signal
    return knob.grid[int(signal)]


EXPLORER_STATE = """el => ({
  svg: el.querySelector('svg').outerHTML,
  caption: [...el.querySelectorAll('g.caption_marks text')]
    .map(t => t.textContent).join(' '),
  signals: Object.fromEntries(
    [...el.querySelectorAll('.vega-bindings input')].map(i => i.name)
      .map(n => [n, el.vegaView.signal(n)])),
})"""

# Moves a control as a reader does: the page's own input for the
# parameter (book/_ext/vegalite_embed.js), set to the grid position whose
# parameter value is ``value``.
MOVE = """([el, name, value]) => {
  const start = performance.now();
  const spec = JSON.parse(el.querySelector('script').textContent);
  const control = spec.usermeta.controls.find(c => c.param === name);
  const i = control.signals.findIndex(
    s => s === value || Math.abs(s - value) < 1e-9);
  const inputs = [...el.querySelectorAll(
    `.explorer-controls input[id$="-${name}"],` +
    ` .explorer-controls input[name$="-${name}"]`)];
  if (inputs[0].type === 'radio') {
    inputs[i].click();
  } else {
    inputs[0].value = String(i);
    inputs[0].dispatchEvent(new Event('input', {bubbles: true}));
  }
  return el.vegaView.runAsync().then(() => performance.now() - start);
}"""


def other_positions(knob):
    """Two positions of the control other than the default: the ends of
    its range, or the next ones in."""
    control = knob.control()
    param = control.param.param
    bind = param.bind
    if knob.kind == "options":
        return [v for v in knob.grid if v != knob.default][:2] or []
    lo, hi, step = bind.min, bind.max, bind.step
    count = int(round((hi - lo) / step))
    here = int(round((param.value - lo) / step))
    picks = [i for i in (count, 0, count // 2, 1) if i != here]
    return [round(lo + i * step, 12) for i in picks[:2]]


@pytest.mark.parametrize("chapter", WIDGET_CHAPTERS)
def test_explorer_controls_move_the_figure_to_the_helpers_numbers(
    server, browser, chapter
):
    import numba

    numba.set_num_threads(1)  # as the book's build computed the grid
    figures = try_it_figures()
    page, problems = visit(
        browser, f"{server}/html/notebooks/{chapter}.html"
    )
    try:
        el = page.locator("div.vegalite-output").first
        page.wait_for_selector(
            "div.vegalite-output[data-rendered]", timeout=10_000
        )
        loaded = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0]"
            ".loadEventEnd"
        )
        ready = float(el.get_attribute("data-rendered-at"))
        assert ready - loaded <= 1000, (
            f"interactive {ready - loaded:.0f} ms after the page loaded"
        )
        fig = figures[el.get_attribute("aria-label")]
        knobs = {f"ctl_{k.name}": k for k in fig.knobs}
        shots = BUILD / "screenshots"
        shots.mkdir(exist_ok=True)

        def check(state):
            setting = {
                knobs[n].name: knob_value(knobs[n], v)
                for n, v in state["signals"].items()
            }
            assert set(setting) == {k.name for k in fig.knobs}
            for number in expected_caption_numbers(fig, setting):
                assert number in state["caption"], (
                    setting,
                    number,
                    state["caption"],
                )
            return setting

        handle = el.element_handle()
        state = page.evaluate(EXPLORER_STATE, handle)
        assert check(state) == fig.default
        el.screenshot(path=str(shots / f"explorer_{chapter}_default.png"))
        moved, redraws = 0, []
        for name, knob in knobs.items():
            before = state
            for position in other_positions(knob):
                redraws.append(
                    page.evaluate(MOVE, [handle, name, position])
                )
                state = page.evaluate(EXPLORER_STATE, handle)
                assert state["svg"] != before["svg"], (
                    f"moving {name} to {position} changed nothing"
                )
                setting = check(state)
                assert setting[knob.name] != fig.default[knob.name]
                before = state
                moved += 1
        assert moved >= 2 * len(knobs) - sum(
            len(k.grid) < 3 for k in fig.knobs
        )
        el.screenshot(path=str(shots / f"explorer_{chapter}_moved.png"))
        # Reported, not asserted (a timing is no unit test): the closing
        # notes of the explorers quote these.
        (shots / f"explorer_{chapter}_timings.json").write_text(
            json.dumps(
                {
                    "load_event_ms": loaded,
                    "interactive_ms": ready,
                    "redraw_ms": sorted(round(r, 1) for r in redraws),
                }
            )
        )
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("edition", ["html", "student"])
def test_no_page_requests_another_host(server, browser, edition):
    pages = sorted((BUILD / edition).rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        if "_static" in path.parts:
            continue
        if 'http-equiv="Refresh"' in path.read_text()[:300]:
            continue  # a redirect stub (index.html): its target is visited
        rel = path.relative_to(BUILD).as_posix()
        page, problems = visit(browser, f"{server}/{rel}")
        try:
            if page.locator("div.vegalite-output").count():
                page.wait_for_selector(
                    "div.vegalite-output[data-rendered]", timeout=10_000
                )
            outside_requests = [p for p in problems if "another host" in p]
            assert outside_requests == [], rel
        finally:
            page.close()


def test_explorer_pages_stay_small(server):
    """No chapter page grows by more than 3 MB: its explorer's spec (data
    inline) and the Vega bundle the page loads."""
    html_dir = BUILD / "html"
    (bundle,) = (html_dir / "_static").glob("vega-bundle-*.js")
    for chapter in WIDGET_CHAPTERS:
        text = (html_dir / "notebooks" / f"{chapter}.html").read_text()
        assert bundle.name in text
        figures = re.findall(
            r'<div class="vegalite-output".*?</script></div>', text, re.S
        )
        assert len(figures) == 1, chapter
        added = len(figures[0].encode()) + bundle.stat().st_size
        assert added <= 3_000_000, (chapter, added)


# Code, outputs and tables must fit the column at a 1280-pixel window.
SCROLLING = """() => [...document.querySelectorAll(
    'main pre, main .cell_output, main table, main .highlight')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + ' ' + e.scrollWidth + '>' + e.clientWidth + ': '
            + e.innerText.split('\\n').reduce(
              (a, b) => (b.length > a.length ? b : a), '').slice(0, 90))"""


@pytest.mark.parametrize("chapter", ["00_tour", *CHAPTERS])
def test_no_code_or_output_scrolls_sideways(server, browser, chapter):
    page, _ = visit(browser, f"{server}/html/notebooks/{chapter}.html")
    try:
        assert page.viewport_size["width"] == 1280
        wide = page.evaluate(SCROLLING)
        assert wide == [], "blocks that scroll sideways:\n" + "\n".join(
            wide
        )
    finally:
        page.close()


def test_search_finds_the_metrics_chapter(server, browser):
    page, problems = visit(browser, f"{server}/html/search.html?q=NDCG")
    try:
        page.wait_for_selector(
            "#search-results ul.search li", timeout=20_000
        )
        links = page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.href)"
        )
        assert any("06_metrics" in href for href in links), links
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_edition_has_no_solutions(server, browser, chapter):
    full, _ = visit(browser, f"{server}/html/notebooks/{chapter}.html")
    student, problems = visit(
        browser, f"{server}/student/notebooks/{chapter}.html"
    )
    try:
        assert full.locator(".solution").count() >= 3, (
            "the full book lost its solutions"
        )
        assert student.locator(".solution").count() == 0
        assert (
            student.locator(".exercise").count()
            == full.locator(".exercise").count()
        )
        solution_text = full.eval_on_selector_all(
            ".solution", "els => els.map(e => e.innerText)"
        )
        student_text = student.inner_text("main")
        for text in solution_text:
            body = [line for line in text.splitlines() if len(line) > 30]
            assert not any(line in student_text for line in body), (
                "solution text in the student edition"
            )
        assert problems == [], "\n".join(problems)
    finally:
        full.close()
        student.close()


# --- the student edition gives away no answer ----------------------------

REPOSITORY = "https://github.com/recsys-lessons/recsys-lessons"


def readable(path):
    """The text a file shows: HTML without tags, notebooks by cell."""
    text = path.read_text(errors="ignore")
    if path.suffix == ".html":
        text = re.sub(r"<[^>]+>", "", text)
        return html.unescape(text)
    if path.suffix == ".ipynb":
        body = json.loads(text)
        parts = []
        for cell in body["cells"]:
            parts.append("".join(cell["source"]))
            for out in cell.get("outputs", []):
                parts.append("".join(out.get("text", "")))
                parts.append(
                    "".join(out.get("data", {}).get("text/plain", ""))
                )
        return "\n".join(parts)
    return text


@pytest.fixture(scope="module")
def every_solution_line():
    return set().union(*all_solution_lines().values())


def test_student_edition_serves_no_solution_anywhere(
    server, every_solution_line
):
    student = BUILD / "student"
    scanned = 0
    for path in sorted(student.rglob("*")):
        if path.suffix not in (".html", ".ipynb", ".js", ".txt", ".json"):
            continue
        if "_static" in path.parts and path.name != "searchindex.js":
            continue  # the theme's and libraries' own files
        found = leaks(readable(path), every_solution_line)
        assert found == [], f"{path.relative_to(BUILD)} holds {found[:3]}"
        scanned += 1
    assert scanned > 20
    # The same scan does find the solutions in the full edition.
    for chapter in CHAPTERS:
        full = BUILD / "html" / "notebooks" / f"{chapter}.html"
        assert leaks(readable(full), every_solution_line), chapter


def test_student_edition_links_to_no_full_notebook(server):
    student = BUILD / "student"
    for page in student.rglob("*.html"):
        text = page.read_text()
        for href in re.findall(r'href="([^"]+)"', text):
            assert href.rstrip("/") != REPOSITORY, (
                f"{page.name} links to the repository"
            )
            if ".ipynb" in href:
                assert "_sources/notebooks/" in href or (
                    "student/notebooks/" in href
                ), f"{page.name} links to a full notebook: {href}"
    served = sorted((student / "_sources" / "notebooks").glob("*.ipynb"))
    assert len(served) == len(CHAPTERS) + 1
    for notebook in served:
        assert (
            notebook.read_bytes()
            == (ROOT / "student" / "notebooks" / notebook.name).read_bytes()
        ), f"{notebook.name} is not the student notebook"


def test_student_edition_leaves_out_the_teachers_page(server):
    student = BUILD / "student"
    assert (BUILD / "html" / "book" / "classroom.html").exists()
    assert not (student / "book" / "classroom.html").exists()
    assert not list(student.rglob("classroom.*"))
    for page in student.rglob("*.html"):
        text = page.read_text()
        assert "classroom.html" not in text, page.name
        assert "Teaching with this book" not in text, page.name
        assert "grading-secret" not in text, page.name
    preface = (student / "book" / "preface.html").read_text()
    assert "hidden behind a" not in preface
    assert "This is the student edition" in preface
    assert "Open any notebook in" not in preface
    # The page's served source says the same.
    source = (student / "_sources" / "book" / "preface.md").read_text()
    assert "This is the student edition" in source
    assert "{doc}`classroom`" not in source


def repository_path(url):
    """The file in this repository that a Binder or Colab link opens."""
    parsed = urlparse(url)
    if "mybinder.org" in parsed.netloc:
        return parse_qs(parsed.query)["urlpath"][0].removeprefix("tree/")
    if "colab.research.google.com" in parsed.netloc:
        branch = yaml.safe_load((ROOT / "_config.yml").read_text())[
            "repository"
        ]["branch"]
        return parsed.path.split(f"/blob/{branch}/", 1)[1]
    raise AssertionError(f"unknown launch link {url}")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_pages_download_and_launch_only_the_assignment(
    server, browser, chapter, every_solution_line
):
    page, problems = visit(
        browser, f"{server}/student/notebooks/{chapter}.html"
    )
    try:
        assert "assignment notebook" in page.inner_text("main")
        downloads = page.eval_on_selector_all(
            ".dropdown-download-buttons a", "els => els.map(e => e.href)"
        )
        launches = page.eval_on_selector_all(
            ".dropdown-launch-buttons a", "els => els.map(e => e.href)"
        )
        assert downloads and len(launches) >= 2
        assignment = ROOT / "student" / "notebooks" / f"{chapter}.ipynb"
        for url in downloads + [
            u for u in launches if u.startswith(server)
        ]:
            response = page.request.get(url)
            assert response.ok, url
            assert response.body() == assignment.read_bytes(), url
        for url in (u for u in launches if not u.startswith(server)):
            path = repository_path(url)
            assert path == f"student/notebooks/{chapter}.ipynb", url
            opened = ROOT / path
            assert leaks(readable(opened), every_solution_line) == []
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


def test_assignments_number_equations_as_the_book_does(server):
    # make_assignments.py turns {eq} references into "(2.1)": the numbers
    # must be the ones the built chapter pages show.
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from make_assignments import headings

    refs, _ = headings(sorted((ROOT / "notebooks").glob("*.ipynb")))
    ours = {k[3:]: v for k, v in refs.items() if k.startswith("eq:")}
    shown = {}
    for page in (BUILD / "html" / "notebooks").glob("*.html"):
        text = page.read_text()
        for m in re.finditer(
            r'id="equation-([\w-]+)".*?class="eqno">\(([\d.]+)\)',
            text,
            re.S,
        ):
            shown[m[1]] = m[2]
    assert ours and ours == shown
