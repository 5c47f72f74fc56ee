"""Compare a notebook's fresh outputs with its stored ones, as nbval does.

nbval compares the outputs of a kernel it runs itself. The book is
executed separately (``make book``, into a jupyter-cache), and
``differences`` applies nbval's rules to those outputs: the same cells
skipped (``nbval-ignore-output``, ``nbval-skip``, their comment markers),
the same keys left out (metadata, execution counts, PNG images, widget
model ids), stream chunks joined per stream, every other MIME type equal
to the letter.
"""

from __future__ import annotations

import json
from collections import defaultdict

from nbval.plugin import find_comment_markers, find_metadata_tags

SKIP_KEYS = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


def _unchecked(cell):
    options = dict(find_metadata_tags(cell.metadata))
    options.update(find_comment_markers(cell.source))
    return options.get("skip") or options.get("check") is False


def _flatten(outputs):
    """nbval's view of a cell's outputs: a list of values per key."""
    flat = defaultdict(list)
    streams = defaultdict(str)
    for out in outputs:
        if out.output_type == "stream":
            streams[out.name] += out.text
            continue
        for key, value in out.items():
            if key in SKIP_KEYS:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_KEYS:
                        flat[mime].append(data)
            else:
                flat[key].append(value)
    for name, text in streams.items():
        flat[name].append(text)
    return dict(flat)


def differences(stored, executed):
    """The code cells whose checked outputs differ, with the first line.

    ``stored`` and ``executed`` are two versions of one notebook
    (nbformat nodes) with the same code cells. Returns strings such as
    ``"Cell 21 (text/plain): 'users 4e-13' != 'users 5e-13'"``, numbered
    as nbval numbers its items (code cells from 0).
    """
    code = [c for c in stored.cells if c.cell_type == "code"]
    fresh = [c for c in executed.cells if c.cell_type == "code"]
    if [c.source for c in code] != [c.source for c in fresh]:
        return ["the executed notebook has other code cells"]
    found = []
    for number, (old, new) in enumerate(zip(code, fresh)):
        if _unchecked(old):
            continue
        a, b = _flatten(old.outputs), _flatten(new.outputs)
        if a == b:
            continue
        key = next(
            k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
        )
        found.append(
            f"Cell {number} ({key}): "
            f"{_first_difference(a.get(key), b.get(key))}"
        )
    return found


def _first_difference(a, b):
    """The first differing line of two outputs, each side cut short."""
    left = "\n".join(map(_text, a or [])).splitlines()
    right = "\n".join(map(_text, b or [])).splitlines()
    for x, y in zip(left, right):
        if x != y:
            return f"{x[:160]!r} != {y[:160]!r}"
    return f"{len(left)} lines stored, {len(right)} executed"


def _text(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=1, sort_keys=True)
