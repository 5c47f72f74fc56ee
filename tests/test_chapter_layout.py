"""How a chapter reads (issue #26): prose first, checks out of the way.

* No ``assert`` in a cell the page shows: checks live in the cell after,
  tagged ``remove-cell`` (executed by the book build and nbval, omitted
  from the page).
* No code cell the page shows is longer than ``MAX_LINES``.
* Every figure (``figures.show``) and Try-it explorer (``tryit.explore``)
  has a caption and a name, and the prose cites the name.
* Every chapter ends with a Summary before its exercises.
* Every ``{glue:text}`` role names a number its chapter glues.
"""

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted(
    (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")
)
# The issue asks for "under about 25 lines"; exercise solutions keep their
# structure (the assignments are cut from them), so the hard limit leaves
# room for the longest of them.
MAX_LINES = 35
HIDDEN = {"remove-cell", "remove-input"}


def cells(path):
    return json.loads(path.read_text())["cells"]


def shown_code(path):
    for cell in cells(path):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "code" and not tags & HIDDEN:
            yield cell, "".join(cell["source"])


def calls(source, name):
    """The keyword names of every call to ``*.name(...)`` in source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return []
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == name
        ):
            found.append({k.arg: k.value for k in node.keywords})
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_page_shows_no_assert_and_no_long_cell(path):
    asserts, long = [], []
    for cell, source in shown_code(path):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        if any(isinstance(n, ast.Assert) for n in ast.walk(tree)):
            asserts.append(cell["id"])
        if len(source.splitlines()) > MAX_LINES:
            long.append(cell["id"])
    assert not asserts, f"asserts in shown cells {asserts}"
    assert not long, f"shown cells over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_captioned_named_and_cited(path):
    markdown = "\n".join(
        "".join(c["source"])
        for c in cells(path)
        if c["cell_type"] == "markdown"
    )
    cited = set(re.findall(r"\{numref\}`(?:[^`<]*<)?([^`>]+)>?`", markdown))
    names = []
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for kw in calls(source, "show") + calls(source, "explore"):
            assert "caption" in kw and "name" in kw, cell["id"]
            names.append(ast.literal_eval(kw["name"]))
    assert len(names) == len(set(names))
    assert set(names) <= cited, f"never cited: {set(names) - cited}"


@pytest.mark.parametrize(
    "path",
    [p for p in NOTEBOOKS if p.stem[:2] != "00"],
    ids=lambda p: p.stem,
)
def test_a_summary_comes_before_the_exercises(path):
    headings = [
        line
        for c in cells(path)
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if re.match(r"#{2} ", line)
    ]
    assert "## Summary" in headings, headings
    if "## Exercises" in headings:
        assert headings.index("## Summary") < headings.index("## Exercises")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glued_number_in_the_prose_is_glued(path):
    glued = {
        out["metadata"]["scrapbook"]["name"]
        for c in cells(path)
        for out in c.get("outputs", [])
        if "scrapbook" in out.get("metadata", {})
    }
    used = set()
    for c in cells(path):
        if c["cell_type"] == "markdown":
            used |= {
                m.split(":")[0]
                for m in re.findall(
                    r"\{glue(?::text)?\}`([^`]+)`", "".join(c["source"])
                )
            }
    assert used <= glued, f"not glued: {used - glued}"
    assert glued <= used, f"glued but never used: {glued - used}"
