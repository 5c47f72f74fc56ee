"""make book's cache of executed notebooks (tools/run_notebooks.py).

It is kept while the inputs of the outputs are unchanged, and only the
notebooks whose code changed execute again; a change to the package, the
pins or the thread settings empties it.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "run_notebooks", ROOT / "tools" / "run_notebooks.py"
)
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "recsys_lessons").mkdir(parents=True)
    (root / "recsys_lessons" / "als.py").write_text("x = 1\n")
    (root / "requirements.txt").write_text("numpy==2.4.6\n")
    (root / "notebooks").mkdir()
    return root


def test_digest_follows_the_package_pins_and_threads(project, monkeypatch):
    digest = run_notebooks.inputs_digest
    before = digest(project)
    assert digest(project) == before
    (project / "recsys_lessons" / "als.py").write_text("x = 2\n")
    after_package = digest(project)
    assert after_package != before
    (project / "requirements.txt").write_text("numpy==2.4.7\n")
    after_pins = digest(project)
    assert after_pins != after_package
    monkeypatch.setenv("NUMBA_NUM_THREADS", "7")
    after_threads = digest(project)
    assert after_threads != after_pins
    # Not an input: make test checks that the outputs do not depend on it.
    monkeypatch.setenv("NUMBA_CPU_NAME", "generic")
    assert digest(project) == after_threads
    # Nor the notebooks: jupyter-cache keys each one on its code.
    (project / "notebooks" / "a.ipynb").write_text("{}")
    assert digest(project) == after_threads


def notebook(path, source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def test_only_changed_notebooks_execute_again(project, tmp_path, capsys):
    a, b = (
        project / "notebooks" / "a.ipynb",
        project / "notebooks" / "b.ipynb",
    )
    notebook(a, "print(1)")
    notebook(b, "print(2)")
    cache = tmp_path / "cache"

    def run():
        assert run_notebooks.run_into_cache([a, b], cache, project) == 0
        out = capsys.readouterr().out
        return {
            Path(line.split()[1]).name
            for line in out.splitlines()
            if line.startswith("executed")
        }

    assert run() == {"a.ipynb", "b.ipynb"}
    assert run() == set()
    notebook(b, "print(3)")
    assert run() == {"b.ipynb"}
    # A package change empties the cache: everything executes again.
    (project / "recsys_lessons" / "als.py").write_text("x = 3\n")
    assert run() == {"a.ipynb", "b.ipynb"}
