"""One symbol, one meaning (book/notation.md): sigma is only the sigmoid.

Singular values are s_l, BPR's prior scale is tau and RankNet's shape
parameter is gamma, in the text and in the package's keywords alike.
"""

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import recsys_lessons

ROOT = Path(__file__).resolve().parents[1]


def test_no_sigma_with_an_index_or_a_power_in_the_text():
    # sigma_l (singular values), sigma_p or sigma^2 (a prior) would give the
    # sigmoid's letter a second meaning.
    pattern = re.compile(r"\\sigma\s*[_^]")
    # The notation page itself names the letters other books use.
    pages = [
        (p, p.read_text())
        for p in (ROOT / "book").glob("*.md")
        if p.name != "notation.md"
    ]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join(
            "".join(c["source"])
            for c in cells
            if c["cell_type"] == "markdown"
        )
        pages.append((path, text))
    for path, text in pages:
        hits = [m.group(0) for m in pattern.finditer(text)]
        assert not hits, f"{path.name}: {hits}"


def test_no_public_function_takes_a_sigma_keyword():
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if callable(obj) and not inspect.isclass(obj):
                params = inspect.signature(obj).parameters
                assert "sigma" not in params, f"{info.name}.{name}"
