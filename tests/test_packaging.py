"""The package as users install it, not the source tree.

Every other test imports ``recsys_lessons`` from the editable install of the
checkout, which hides anything the built distributions leave out. Here:

* the wheel and the sdist are built in isolation (``python -m build``, as
  pip builds them), the wheel from the sdist, so both must be complete;
* the wheel goes into a fresh virtual environment outside the checkout,
  where every public module is imported and a short smoke run is made;
* a second fresh environment installs the package the way a notebook's first
  cell does, from a git URL (``git+file://`` of a repository holding the
  package files of this working tree), by executing that cell, and then runs
  a whole chapter.

Versions of the dependencies are held to the book's pins
(``requirements.txt``, as pip constraints) so that the run is reproducible.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "requirements.txt"
CHAPTER = "02_als.ipynb"

SMOKE = r"""
import importlib, pkgutil, sys
import numpy as np
import recsys_lessons
from recsys_lessons import als, bpr, metrics, mf
from recsys_lessons.data import synthetic_ratings, to_implicit, toy_ratings

if sys.argv[1:] == ["installed"]:
    assert "site-packages" in recsys_lessons.__file__
extras = {
    "recsys_lessons.figures",
    "recsys_lessons.plots",
    "recsys_lessons.widgets",
}
# The walk lists a package's submodules only if the package imports, so
# an extra's submodules (recsys_lessons.figures.text, ...) would be
# counted with the extra installed and not without: leave them out.
inside_extra = tuple(name + "." for name in extras)
core = [m.name for m in pkgutil.walk_packages(
    recsys_lessons.__path__, "recsys_lessons.")
    if not m.name.startswith(inside_extra)]
for name in core:
    if name not in extras:
        importlib.import_module(name)
for name in sorted(extras):
    try:
        importlib.import_module(name)
    except ImportError as exc:
        assert "recsys_lessons[" in str(exc), exc
        print("extra needed:", name)
    else:
        print("imported:", name)

# Chapter 2: the lesson's example from its own start.
R = toy_ratings()
start = als.lesson_start(5, 5, 2)
fit = als.fit_als(R, 2, 0.01, n_iters=20, penalty="weighted", init=start)
J = mf.objective(R, fit.U, fit.V, 0.01, penalty="plain")
print("loss", round(J, 4))
# One metric: the lesson's NDCG@5 example.
print("ndcg", round(float(metrics.ndcg_at_k([3, 2, 3, 0, 1], 5)), 4))
# One ranking fit.
data = synthetic_ratings(
    60, 40, rank=3, density=0.3, min_ratings_per_user=3, seed=0
)
X = to_implicit(data.ratings)
b = bpr.fit_bpr(X, 4, 0.01, learning_rate=0.05, n_epochs=3, seed=0)
assert np.all(np.isfinite(b.U)) and np.all(np.isfinite(b.V))
print("modules", len(core))
"""


# pip compiles every installed module to bytecode by default, half of an
# install's time here; Python compiles the modules a test imports anyway.
NO_BYTECODE = {"PIP_COMPILE": "0"}


def run(*args, cwd=None, env=None):
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**(os.environ if env is None else env), **NO_BYTECODE},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def fresh_env(path):
    run(sys.executable, "-m", "venv", path)
    python = path / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
    return python


def pip_install(python, *requirements):
    run(python, "-m", "pip", "install", "-q", "-c", PINS, *requirements)


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=ROOT)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def package_files():
    listed = run("git", "ls-files", "recsys_lessons", cwd=ROOT).split()
    return {p for p in listed if p.endswith(".py")}


def test_wheel_holds_every_module_of_the_package(dists):
    wheel, _ = dists
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    missing = package_files() - names
    assert not missing, f"modules missing from the wheel: {sorted(missing)}"
    assert "recsys_lessons/data/toy.py" in names


def test_sdist_holds_every_module_of_the_package(dists):
    import tarfile

    _, sdist = dists
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    missing = package_files() - names
    assert not missing, f"modules missing from the sdist: {sorted(missing)}"


def test_version_is_defined_once(dists):
    import recsys_lessons

    wheel, _ = dists
    assert wheel.name.startswith(
        f"recsys_lessons-{recsys_lessons.__version__}-"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"
    ]
    assert "version" not in project and "version" in project["dynamic"]


def numbers(out):
    return [line for line in out.splitlines() if line.split()[0] in NUMBERS]


NUMBERS = ("loss", "ndcg", "modules")


def test_the_wheel_works_in_a_fresh_environment(dists, tmp_path):
    wheel, _ = dists
    # The same smoke run in the source tree is the reference.
    expected = numbers(run(sys.executable, "-c", SMOKE, cwd=tmp_path))
    python = fresh_env(tmp_path / "venv")
    # Core only: the figures and sliders must say which extra they need.
    pip_install(python, wheel)
    out = run(python, "-c", SMOKE, "installed", cwd=tmp_path)
    assert "extra needed: recsys_lessons.plots" in out
    assert "extra needed: recsys_lessons.figures" in out
    assert "extra needed: recsys_lessons.widgets" in out
    assert numbers(out) == expected
    # With the book's extras, every module imports.
    pip_install(python, f"{wheel}[book]")
    out = run(python, "-c", SMOKE, "installed", cwd=tmp_path)
    assert "imported: recsys_lessons.plots" in out
    assert "imported: recsys_lessons.figures" in out
    assert "imported: recsys_lessons.widgets" in out
    assert numbers(out) == expected


def package_repository(path):
    """A git repository of the working tree's package files (committed)."""
    path.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, path / name)
    shutil.copytree(
        ROOT / "recsys_lessons",
        path / "recsys_lessons",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@127.0.0.1"]
    run(*git, "init", "-q", "-b", "main", cwd=path)
    run(*git, "add", "-A", cwd=path)
    run(*git, "commit", "-qm", "package", cwd=path)
    return path


def make_assignments(tmp_path, *options):
    """``make assignments`` into ``tmp_path``; the assignments' folder."""
    out = tmp_path / "assignments"
    run(
        sys.executable,
        ROOT / "tools" / "make_assignments.py",
        "--no-check",
        "--out",
        out,
        "--student",
        tmp_path / "student",
        "--course",
        tmp_path / "course",
        *options,
        cwd=ROOT,
    )
    return out


def execute_in_fresh_env(path, constraints, tmp_path):
    """Execute notebook ``path`` in place, in a fresh venv that has only a
    kernel; pip inside it is held to ``constraints``. Returns pip freeze."""
    python = fresh_env(tmp_path / "venv")
    pip_install(python, "ipykernel", "nbclient", "nbformat")
    run(
        python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "py"
    )
    run(
        python,
        "-c",
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, kernel_name='py', timeout=600).execute()\n"
        "nbformat.write(nb, sys.argv[1])\n",
        path,
        cwd=tmp_path,
        env={**os.environ, "PIP_CONSTRAINT": str(constraints)},
    )
    return run(python, "-m", "pip", "freeze")


def test_a_chapter_runs_after_its_own_install_cell(tmp_path):
    # The notebook's first cell, pointed at this checkout instead of the
    # public repository, does the installing, as on Colab or Binder.
    config = (ROOT / "_config.yml").read_text()
    url = next(
        line.split("url:", 1)[1].strip()
        for line in config.splitlines()
        if line.strip().startswith("url:")
    )
    nb = json.loads((ROOT / "notebooks" / CHAPTER).read_text())
    install = "".join(nb["cells"][1]["source"])
    assert f"git+{url}" in install, "the install cell names another URL"
    repo = package_repository(tmp_path / "repo")
    nb["cells"][1]["source"] = install.replace(
        f"git+{url}", f"git+file://{repo}"
    )
    path = tmp_path / CHAPTER
    path.write_text(json.dumps(nb))

    # The install cell's pip resolves to the book's pinned versions.
    freeze = execute_in_fresh_env(path, PINS, tmp_path)
    assert f"recsys_lessons @ git+file://{repo}" in freeze, freeze
    executed = json.loads(path.read_text())
    errors = [
        o
        for c in executed["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors


COLAB = r"""
# A simulated Colab kernel: Colab's shell class (google.colab._shell.Shell,
# an IPython InteractiveShell, which is how Otter and others detect Colab),
# a google.colab module, no notebook file on disk (Colab opens notebooks
# from GitHub or Drive), a working folder that holds nothing of the book.
import contextlib, io, json, os, sys, tempfile, types

from IPython.core.interactiveshell import InteractiveShell

google = types.ModuleType("google")
colab = types.ModuleType("google.colab")
name = "google.colab._shell"
shell_module = types.ModuleType(name)
Shell = type("Shell", (InteractiveShell,), {"__module__": name})
shell_module.Shell = Shell
colab._shell = shell_module
google.colab = colab
sys.modules.update(
    {
        "google": google,
        "google.colab": colab,
        "google.colab._shell": shell_module,
    }
)
with open(sys.argv[1]) as f:
    nb = json.load(f)
os.remove(sys.argv[1])
os.chdir(tempfile.mkdtemp())
shell = Shell.instance()
assert "google.colab" in str(shell), str(shell)
said = []
for cell in nb["cells"]:
    if cell["cell_type"] != "code":
        continue
    source = "".join(cell["source"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = shell.run_cell(source)
    error = result.error_in_exec or result.error_before_exec
    said.append({"source": source, "out": out.getvalue(),
                 "error": repr(error) if error else None})
print(json.dumps(said))
"""


def test_an_assignment_runs_on_a_simulated_colab(tmp_path):
    # What the student edition's Colab button opens: the assignment
    # notebook, in a Python that has IPython and NumPy (as Colab does) but
    # not the book's package, which the first cell installs from the
    # course's repository (here a git+file:// copy of this working tree,
    # at the release tag _config.yml would name).
    repo = package_repository(tmp_path / "repo")
    run("git", "tag", "v-test", cwd=repo)
    out = make_assignments(
        tmp_path, "2", "--repository", f"file://{repo}", "--ref", "v-test"
    )
    shipped = json.loads(
        (ROOT / "student" / "notebooks" / CHAPTER).read_text()
    )
    made = json.loads((tmp_path / "student" / CHAPTER).read_text())
    # The same notebook as the committed one but for the install source.
    strip = lambda nb: [  # noqa: E731
        c["source"]
        for c in nb["cells"]
        if "SOURCE = " not in "".join(c["source"])
    ]
    assert strip(made) == strip(shipped)
    # The teacher's solutions in the student notebook: every check passes.
    teacher = json.loads((out / "solutions" / CHAPTER).read_text())
    for cell, solved in zip(made["cells"], teacher["cells"]):
        if "".join(cell["source"]).startswith("def "):
            cell["source"] = solved["source"]
    path = tmp_path / "from-github.ipynb"
    path.write_text(json.dumps(made))
    python = fresh_env(tmp_path / "venv")
    pip_install(python, "ipython", "numpy")
    shown = run(
        python,
        "-c",
        COLAB,
        path,
        cwd=tmp_path,
        env={**os.environ, "PIP_CONSTRAINT": str(PINS)},
    )
    cells = json.loads(shown.splitlines()[-1])
    assert not path.exists()
    freeze = run(python, "-m", "pip", "freeze")
    assert f"recsys_lessons @ git+file://{repo}@" in freeze, freeze
    assert [c for c in cells if c["error"]] == [], cells
    checks = [c for c in cells if c["source"].startswith("grader.check(")]
    assert len(checks) == 3
    for cell in checks:
        assert "the public tests pass" in cell["out"], cell
