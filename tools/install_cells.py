"""Point every notebook's install cell at ``_config.yml``'s repository.

``repository.url`` and ``repository.branch`` in ``_config.yml`` are the one
place that says where the book's package comes from: the launch buttons
use them, and so does the first cell of every chapter, which installs
``recsys_lessons`` where it is missing (Colab, Binder). ``make book``,
``make student`` and ``make assignments`` run this first; it rewrites the
cell's ``REPO = "git+<url>@<branch>"`` line where it differs and names
each notebook it changed. (``make assignments`` writes the assignments'
install cells from the same two values.)
"""

import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r'^REPO = "git\+[^"]*"$', re.M)


def source():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]
    return f"git+{repository['url']}@{repository['branch']}"


def main(folder=ROOT / "notebooks"):
    wanted = f'REPO = "{source()}"'
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code")
        if not LINE.search(cell.source):
            sys.exit(f"{path}: its first code cell has no REPO line")
        new = LINE.sub(wanted, cell.source)
        if new != cell.source:
            cell.source = new
            nbformat.write(nb, path)
            print(f"{path.name}: install cell now uses {source()}")


if __name__ == "__main__":
    main(*sys.argv[1:])
