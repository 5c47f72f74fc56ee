"""Every reason a chapter gives names its evidence.

The book's numbers are re-computed by its check cells; its reasons are
not, unless someone says which check or derivation stands behind each.
A sentence of a chapter's prose that claims a cause, an equivalence or an
"only if" (it contains one of the words of ``CAUSAL``) must contain a
phrase listed in ``tests/claims/<chapter>.yml`` with its evidence:

``cell <id>``
    a code cell of the chapter whose ``assert`` statements would fail if
    the reason were wrong (not merely if a number changed);
``proof <label>``
    a derivation in the book that proves it line by line (a theorem,
    proof, exercise solution, equation or section label);
``test <file>::<function>``
    a test in ``tests/`` that checks it (a library's convention, a
    package property);
``cite <key>``
    a claim about what a paper or a library says, from its source
    (``book/references.bib``).

A new reason without an entry fails here and says which sentence; so
does an entry whose phrase is no longer in the chapter. Whether the
evidence is strict enough is the reviewer's call, made once per entry.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tests" / "claims"
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

CAUSAL = re.compile(
    r"\b(because|since|hence|therefore|thus|which is why|that is why|"
    r"this is why|the reason|exactly when|if and only if|only if|"
    r"only when|so that|due to|comes from|come from|explains?|"
    r"the one that matters)\b|(?:[,;] so\b|(?:^|\. )So\b)",
    re.IGNORECASE,
)
# Directive fences and their options are markup, not prose.
MARKUP = re.compile(r"^\s*(```|:::|:[a-z-]+:)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(\[`$])")


def normal(text):
    return " ".join(text.split())


def sentences(path):
    """(cell index, sentence) of every prose sentence of a chapter."""
    cells = json.loads(path.read_text())["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).splitlines()
        prose = "\n".join(ln for ln in lines if not MARKUP.match(ln))
        for paragraph in re.split(r"\n\s*\n", prose):
            for sentence in SENTENCE_END.split(normal(paragraph)):
                if sentence:
                    yield index, sentence


def register(path):
    file = REGISTER / f"{path.stem}.yml"
    assert file.exists(), f"{file.relative_to(ROOT)} is missing"
    entries = yaml.safe_load(file.read_text()) or []
    for entry in entries:
        assert set(entry) == {"says", "evidence"}, entry
    return entries


def code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return {
        c.get("id"): "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code"
    }


def book_labels():
    found = set()
    texts = [p.read_text() for p in (ROOT / "book").glob("*.md")]
    for path in CHAPTERS:
        texts += [
            "".join(c["source"])
            for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "markdown"
        ]
    for text in texts:
        found |= set(re.findall(r"^\((\S+)\)=\s*$", text, re.MULTILINE))
        found |= set(re.findall(r"^:(?:name|label): (\S+)", text, re.M))
        found |= set(re.findall(r"\$\$\s*\((\S+)\)", text))
        found |= set(re.findall(r"\{solution(?:-start)?\} (\S+)", text))
    return found


def bib_keys():
    bib = (ROOT / "book" / "references.bib").read_text()
    return set(re.findall(r"@\w+\{([^,\s]+),", bib))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_reason_in_a_chapter_names_its_evidence(path):
    phrases = [normal(e["says"]) for e in register(path)]
    bare = [
        f"cell {index}: {sentence}"
        for index, sentence in sentences(path)
        if CAUSAL.search(sentence)
        and not sentence.endswith("?")
        and not any(p in sentence for p in phrases)
    ]
    assert not bare, (
        f"{len(bare)} sentence(s) of {path.name} give a reason with no "
        f"entry in tests/claims/{path.stem}.yml:\n" + "\n".join(bare)
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_register_entry_is_in_its_chapter_and_its_evidence_exists(
    path,
):
    text = [s for _, s in sentences(path)]
    code = code_cells(path)
    labels = book_labels()
    keys = bib_keys()
    problems = []
    for entry in register(path):
        says, evidence = normal(entry["says"]), entry["evidence"].split()
        if not any(says in s for s in text):
            problems.append(f"not in the chapter: {says!r}")
        kind, target = evidence[0], " ".join(evidence[1:])
        if kind == "cell":
            source = code.get(target)
            if source is None:
                problems.append(f"{says!r}: no code cell {target}")
            elif not re.search(r"^\s*assert\b", source, re.MULTILINE):
                problems.append(f"{says!r}: cell {target} asserts nothing")
        elif kind == "proof":
            if target not in labels:
                problems.append(f"{says!r}: no label {target}")
        elif kind == "test":
            file, _, name = target.partition("::")
            test_file = ROOT / "tests" / file
            if not test_file.exists() or not re.search(
                rf"^def {re.escape(name)}\(", test_file.read_text(), re.M
            ):
                problems.append(f"{says!r}: no test {target}")
        elif kind == "cite":
            if target not in keys:
                problems.append(f"{says!r}: no reference {target}")
        else:
            problems.append(f"{says!r}: unknown evidence {kind!r}")
    assert not problems, "\n".join(problems)
