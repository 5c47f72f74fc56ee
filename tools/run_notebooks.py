"""Execute notebooks in place, top to bottom in one fresh kernel each (``make notebooks``).

The stored outputs are what nbval later compares against, so this is the
only way outputs should be refreshed.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        # Execution timestamps change on every run and say nothing to a reader.
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, path)
    print(f"executed {path}")


def main(args):
    paths = []
    for arg in args or ["notebooks"]:
        p = Path(arg)
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    for path in paths:
        run(path)


if __name__ == "__main__":
    main(sys.argv[1:])
