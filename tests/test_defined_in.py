"""A helper's "Defined in: Chapter N" names a chapter that uses it.

A reader who follows the tag must find the helper in that chapter, as in
d2l's "defined in section N". Helpers no chapter calls say what uses them
instead ("Used by: ...").
"""

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import recsys_lessons

ROOT = Path(__file__).resolve().parents[1]


def chapter_texts():
    texts = {}
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text())["cells"]
        texts[int(path.name[:2])] = "\n".join(
            "".join(c["source"]) for c in cells
        )
    return texts


def tagged_helpers():
    """(module, name, chapter) for every 'Defined in: ... Chapter N'."""
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_"):
                continue
            if getattr(obj, "__module__", None) != info.name:
                continue
            for tag in re.findall(
                r"Defined in: ([^\n]*)", inspect.getdoc(obj) or ""
            ):
                for chapter in re.findall(r"Chapter (\d+)", tag):
                    yield info.name, name, int(chapter)


def test_every_defined_in_chapter_names_the_helper():
    texts = chapter_texts()
    found = list(tagged_helpers())
    assert len(found) > 50  # the walk reached the package
    missing = [
        f"{module}.{name}: Chapter {chapter}"
        for module, name, chapter in found
        if not re.search(rf"\b{re.escape(name)}\b", texts.get(chapter, ""))
    ]
    assert not missing, (
        "'Defined in' names a chapter that never mentions the helper:\n"
        + "\n".join(missing)
    )


def test_the_package_docstring_lists_every_public_module():
    table = recsys_lessons.__doc__
    public = [
        info.name
        for info in pkgutil.iter_modules(recsys_lessons.__path__)
        if not info.name.startswith("_")
    ]
    assert len(public) > 10
    missing = [name for name in public if f"``{name}``" not in table]
    assert not missing, f"recsys_lessons.__doc__ leaves out {missing}"
