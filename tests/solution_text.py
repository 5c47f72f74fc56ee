"""What a student edition must not contain: the text of every solution.

``solution_lines(name)`` returns the distinctive lines (25 characters or
more, not also found outside solutions) of chapter ``name``'s solutions:
their Markdown, their code and the text outputs of that code. Used by the
classroom tests (student notebooks) and the browser tests (every file the
student edition serves).
"""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(
    p.stem for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb")
)


def _outputs(cell):
    text = []
    for out in cell.get("outputs", []):
        if "text" in out:
            text.append(out["text"])
        elif "text/plain" in out.get("data", {}):
            text.append(out["data"]["text/plain"])
    return "\n".join(text)


def _parts(name):
    """Chapter ``name``'s solution lines, and the lines it shows outside
    its solutions."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    inside, lines, outside = False, set(), set()
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "markdown":
            for block in re.findall(
                r"^````\{solution\}[^\n]*\n(.*?)^````", text, re.S | re.M
            ):
                lines.update(block.splitlines())
            text_out = re.sub(
                r"^````\{solution\}[^\n]*\n.*?^````",
                "",
                text,
                flags=re.S | re.M,
            )
            if "{solution-end}" in text:
                inside = False
                text_out = text_out.split("{solution-end}", 1)[1]
            if "{solution-start}" in text:
                before, after = text_out.split("{solution-start}", 1)
                outside.update(before.splitlines())
                lines.update(after.split("````\n", 1)[-1].splitlines())
                inside = True
                continue
            (lines if inside else outside).update(text_out.splitlines())
        elif inside:
            lines.update(text.splitlines())
            lines.update(_outputs(cell).splitlines())
        else:
            outside.update(text.splitlines())
            outside.update(_outputs(cell).splitlines())
    return lines, outside


def _distinctive(lines, outside):
    # A line that is part of the book's text elsewhere (a loop header shown
    # in a section, say) gives nothing away.
    shown = normalise("\n".join(outside))
    return {
        line.strip()
        for line in lines - outside
        if len(line.strip()) >= 25
        and normalise(line) not in shown
        and not line.strip().startswith(("def ", '"""', ":class:"))
    }


def solution_lines(name):
    return _distinctive(*_parts(name))


def all_solution_lines():
    """Every chapter's solution lines, less the lines any chapter shows
    outside its solutions (the student edition shows those too)."""
    parts = {name: _parts(name) for name in CHAPTERS}
    shown = set().union(*(outside for _, outside in parts.values()))
    return {
        name: _distinctive(lines, shown)
        for name, (lines, _) in parts.items()
    }


def normalise(text):
    """Math and Markdown marks out, whitespace collapsed."""
    for mark in ("\\(", "\\)", "\\[", "\\]", "$", "`", "**"):
        text = text.replace(mark, "")
    return " ".join(text.split())


def leaks(text, lines):
    """The solution ``lines`` found in ``text`` (both normalised)."""
    flat = normalise(text)
    return sorted(line for line in lines if normalise(line) in flat)
