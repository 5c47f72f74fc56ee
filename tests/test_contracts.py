"""The package's contracts with its readers and its own tests.

* A helper's "Defined in: Chapter N" names a chapter that uses it: a
  reader who follows the tag finds the helper there (d2l's "defined in
  section N"). Helpers no chapter calls say what uses them ("Used by").
* The package docstring's module table names every public module.
* Every public function and class is in its module's ``__all__``, which
  is what ``tests/test_hardening.py`` walks, or is exempt here with the
  reason.
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


# Public by name but not part of the API a reader calls, so outside the
# hardening battery.
EXEMPT = {
    "recsys_lessons.explorers.page.html_for_spec": "the book's plugin",
    "recsys_lessons.explorers.page.MystNbVegaLite": "the book's plugin",
    "recsys_lessons.figures.plugin.MystNbAlt": "the book's plugin",
    "recsys_lessons.widgets.Controls": "the widget knob_widget returns",
}
# Each Try it module's figure layout, called by its TryIt.
EXEMPT.update(
    {
        f"recsys_lessons.tryit.{name}.panels": "its TryIt's layout"
        for name in (
            "als_toy",
            "bpr_small",
            "lambdarank_small",
            "metrics_order",
            "overfitting",
            "svd_k",
        )
    }
)


def public_definitions():
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_"):
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if obj.__module__ == info.name:
                yield module, name


def test_every_public_function_is_in_all_or_exempt():
    seen = list(public_definitions())
    assert len(seen) > 100
    outside = [
        f"{module.__name__}.{name}"
        for module, name in seen
        if name not in getattr(module, "__all__", ())
        and f"{module.__name__}.{name}" not in EXEMPT
    ]
    assert not outside, (
        "public but not in __all__ (so the hardening battery skips it): "
        f"{outside}"
    )
    stale = set(EXEMPT) - {f"{m.__name__}.{n}" for m, n in seen}
    assert not stale, f"exempt but no longer defined: {sorted(stale)}"


def _section_of(doc, line_no):
    """The numpydoc section heading above line ``line_no`` (or None)."""
    lines = doc.splitlines()
    for i in range(line_no - 1, 0, -1):
        if set(lines[i].strip()) == {"-"} and lines[i - 1].strip():
            return lines[i - 1].strip()
    return None


def test_defined_in_and_used_by_sit_in_the_notes_section():
    # numpydoc renders a paragraph after "Returns" as part of the return
    # value; in "Notes" it reads as what it is.
    misplaced, seen = [], 0
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != info.name:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            doc = inspect.getdoc(obj) or ""
            for i, line in enumerate(doc.splitlines()):
                if re.match(r"(Defined in|Used by):", line.strip()):
                    seen += 1
                    if _section_of(doc, i) != "Notes":
                        misplaced.append(f"{info.name}.{name}")
    assert seen > 100
    assert not misplaced, f"'Defined in' outside Notes: {misplaced}"
