"""One style, held by a tool: Ruff formats and lints the package, the tests
and the notebooks (configuration in ``pyproject.toml``; ``make format``
applies it). Printed output follows the same width as code: at a 1280-pixel
window the book's output blocks show 77 characters (the browser test checks
the rendered pages), so no stored text output line is longer than the
configured line length."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
WIDTH = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
    "ruff"
]["line-length"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize(
    "command", [["check"], ["format", "--check", "--diff"]], ids=" ".join
)
def test_ruff_passes(command):
    done = subprocess.run(
        [str(RUFF), *command, "."], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def text_outputs(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield "".join(out["text"])
        data = out.get("data", {})
        # A widget's text/plain is not shown where its view can be drawn.
        if "text/plain" in data and not any(
            "widget" in mime for mime in data
        ):
            if not any(m.startswith("image/") for m in data):
                yield "".join(data["text/plain"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_printed_output_fits_the_code_column(path):
    cells = json.loads(path.read_text())["cells"]
    wide = [
        line
        for cell in cells
        for text in text_outputs(cell)
        for line in text.splitlines()
        if len(line) > WIDTH
    ]
    assert not wide, (
        f"{len(wide)} output lines over {WIDTH}:\n" + "\n".join(wide[:10])
    )
