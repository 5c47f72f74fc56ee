"""Binder's environment (``binder/``) builds and runs every assignment.

repo2docker reads ``binder/`` instead of the repository's root: a Python
pinned by ``runtime.txt``, ``requirements.txt`` installed into it, then
``postBuild`` run from the repository's root. Here the same three steps
are taken in a fresh environment, and every assignment notebook, with the
teacher's solutions filled in, is executed there: each public check must
pass. (The image itself cannot be built here: repo2docker needs Docker.)
"""

import json
import re
import shlex
import sys
import tomllib
from pathlib import Path

from test_packaging import (
    PINS,
    fresh_env,
    make_assignments,
    pip_install,
    run,
)

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def pins(path):
    found = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            found[name.lower().replace("_", "-")] = version
    return found


def test_binder_pins_a_python_the_package_supports():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    major, minor = map(
        int, re.fullmatch(r"python-(\d+)\.(\d+)", runtime).groups()
    )
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"
    ]
    low = tuple(map(int, floor.removeprefix(">=").split(".")))
    assert (major, minor) >= low >= (3, 11)
    # The book's own environment runs the same minor version.
    assert sys.version_info[:2] == (major, minor)


def test_binder_requirements_resolve_for_that_python(tmp_path):
    runtime = (BINDER / "runtime.txt").read_text().strip()
    version = runtime.removeprefix("python-")
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--ignore-installed",
        "--only-binary=:all:",
        "--python-version",
        version,
        "--target",
        tmp_path / "t",
        "-r",
        BINDER / "requirements.txt",
    )
    # The same versions as the book's pins, so Binder computes what the
    # book shows.
    book = pins(PINS)
    for name, version in pins(BINDER / "requirements.txt").items():
        assert book.get(name) == version, (name, version, book.get(name))


def test_every_assignment_runs_in_the_binder_environment(tmp_path):
    python = fresh_env(tmp_path / "venv")
    pip_install(python, "-r", BINDER / "requirements.txt")
    # What repo2docker's image has already: a kernel (nbclient runs it).
    pip_install(python, "ipykernel", "nbclient")
    post = (BINDER / "postBuild").read_text()
    command = next(
        line for line in post.splitlines() if line.startswith("pip ")
    )
    run(
        python,
        "-m",
        *shlex.split(command),
        cwd=ROOT,
    )
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "b")
    out = make_assignments(tmp_path)
    script = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "for path in sys.argv[1:]:\n"
        "    nb = nbformat.read(path, as_version=4)\n"
        "    NotebookClient(nb, kernel_name='b', timeout=300).execute()\n"
        "    for cell in nb.cells:\n"
        "        if cell.source.startswith('grader.check('):\n"
        "            said = [o.get('text', '') for o in cell.outputs]\n"
        "            print(path, ''.join(said).strip())\n"
    )
    notebooks = sorted((out / "solutions").glob("*.ipynb"))
    assert len(notebooks) == 8
    shown = run(python, "-c", script, *notebooks, cwd=tmp_path)
    lines = shown.strip().splitlines()
    assert len(lines) >= 24
    for line in lines:
        assert line.endswith("the public tests pass"), line
    freeze = run(python, "-m", "pip", "freeze").lower()
    for heavy in ("pyspark", "jupyter-book", "otter-grader", "sphinx"):
        assert heavy not in freeze, heavy
    json.dumps(lines)
