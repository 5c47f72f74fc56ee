"""Errata admonitions, the errata page and the lesson's coverage page agree.

Every "Erratum" admonition in a chapter has a row on the errata page
(``book/errata.md``) and at least one entry on the coverage page
(``book/lesson.md``, "The lesson, line by line"); every erratum either page
names exists; every reference of the coverage page resolves to a label of
the book. The Sphinx build (nitpicky, warnings as errors) also fails on a
broken reference; this test says which of the three pages is out of step.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRATA = ROOT / "book" / "errata.md"
COVERAGE = ROOT / "book" / "lesson.md"

ADMONITION = re.compile(
    r"^:::+\{admonition\} Erratum:[^\n]*\n(?::[^\n]*\n)*?:name: (\S+)",
    re.MULTILINE,
)
REF = re.compile(r"\{(ref|eq|prf:ref|numref|doc)\}`(?:[^`<]*<)?([^`>]+)>?`")


def sources():
    """(name, markdown text) of every chapter and page of the book."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = "\n\n".join(
            "".join(c["source"])
            for c in cells
            if c["cell_type"] == "markdown"
        )
        yield path.stem, text
    for path in sorted((ROOT / "book").glob("*.md")):
        yield path.stem, path.read_text()


def errata_admonitions():
    found = {}
    for name, text in sources():
        for label in ADMONITION.findall(text):
            assert label not in found, f"{label} defined twice"
            found[label] = name
    return found


def labels():
    """Every target a reference can name: section and equation labels,
    admonition names, and sphinx-proof / sphinx-exercise labels."""
    found = set()
    for _, text in sources():
        found |= set(re.findall(r"^\((\S+)\)=\s*$", text, re.MULTILINE))
        found |= set(re.findall(r"^:(?:name|label): (\S+)", text, re.M))
        found |= set(re.findall(r"\$\$\s*\((\S+)\)", text))
    return found


def refs(text):
    return [(kind, target.strip()) for kind, target in REF.findall(text)]


def test_the_chapters_have_errata():
    assert len(errata_admonitions()) >= 4


def test_every_erratum_has_a_row_on_the_errata_page():
    page = ERRATA.read_text()
    rows = {t for _, t in refs(page)}
    admonitions = errata_admonitions()
    missing = sorted(set(admonitions) - rows)
    assert not missing, (
        f"errata without a row on the errata page: {missing}"
    )
    stale = sorted(t for t in rows if t.startswith("erratum-"))
    stale = [t for t in stale if t not in admonitions]
    assert not stale, f"errata page rows without an admonition: {stale}"


def test_every_errata_row_says_what_is_wrong_right_and_checked():
    table = [
        line
        for line in ERRATA.read_text().splitlines()
        if line.startswith("|") and "erratum-" in line
    ]
    for line in table:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), (
            "a row needs chapter, erratum, the lesson says, what is "
            f"right, how the book checked it: {line[:80]}"
        )


def test_every_erratum_is_in_the_coverage_page():
    targets = {t for _, t in refs(COVERAGE.read_text())}
    missing = sorted(set(errata_admonitions()) - targets)
    assert not missing, f"errata the coverage page never cites: {missing}"


def test_every_reference_of_the_coverage_and_errata_pages_resolves():
    known = labels()
    for page in (COVERAGE, ERRATA):
        for kind, target in refs(page.read_text()):
            if kind == "doc":
                stem = (page.parent / target).resolve()
                assert stem.with_suffix(".ipynb").exists() or (
                    stem.with_suffix(".md").exists()
                ), f"{page.name}: no page {target}"
            else:
                assert target in known, f"{page.name}: no label {target}"


def test_every_coverage_row_has_a_verdict():
    verdicts = ("holds", "condition", "wrong", "ambiguous")
    rows = [
        line
        for line in COVERAGE.read_text().splitlines()
        if line.startswith("|")
        and not set(line) <= set("|-: ")
        and line.split("|")[1].strip() != "#"
    ]
    assert len(rows) >= 30, "the coverage page walks the whole lesson"
    for line in rows:
        verdict = line.strip("|").split("|")[-1].lower()
        assert any(v in verdict for v in verdicts), line[:80]
        if "wrong" in verdict or "ambiguous" in verdict:
            assert "erratum-" in line, f"no erratum linked: {line[:80]}"


def stored_text(stem):
    """Everything a chapter printed, as stored in the notebook."""
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text", "")))
            out.append("".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(out)


CHAPTERS = {
    int(p.stem[:2]): p.stem for p in (ROOT / "notebooks").glob("0*.ipynb")
}


def test_numbers_on_the_errata_page_are_printed_by_the_chapter():
    # The page repeats a few numbers; each must be one the chapter's code
    # printed (stored output), not one typed in by hand.
    for line in ERRATA.read_text().splitlines():
        if not (line.startswith("|") and "erratum-" in line):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        chapter, ours = int(cells[0]), " ".join(cells[3:])
        text = stored_text(CHAPTERS[chapter])
        for number in re.findall(r"(?<![\w$^{.])\d+\.\d+|\b\d{3,}\b", ours):
            assert number in text, (
                f"chapter {chapter} prints no {number} ({cells[1][:40]})"
            )
