"""The book's configuration agrees with itself.

One repository URL, every notebook in the TOC.
"""

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_notebook_installs_the_package_from_the_configured_repo():
    # _config.yml's repository url and branch (a release tag pins it) are
    # the one place; tools/install_cells.py and make assignments follow it.
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())[
        "repository"
    ]
    url = f"{repository['url']}@{repository['branch']}"
    for path in sorted(
        [
            *(ROOT / "notebooks").glob("*.ipynb"),
            *(ROOT / "student" / "notebooks").glob("*.ipynb"),
        ]
    ):
        cells = [
            c
            for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"
        ]
        first = "".join(cells[0]["source"])
        assert (
            "import recsys_lessons" in first and f'git+{url}"' in first
        ), f"{path.name}: install cell missing or stale"


def test_every_notebook_and_page_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for path in [
        *(ROOT / "notebooks").glob("*.ipynb"),
        *(ROOT / "book").glob("*.md"),
    ]:
        assert str(path.relative_to(ROOT).with_suffix("")) in toc, (
            f"{path} is not in _toc.yml"
        )


def test_launch_buttons_are_configured():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert (
        config["launch_buttons"]["binderhub_url"]
        and config["launch_buttons"]["colab_url"]
    )
    assert config["execute"]["execute_notebooks"] == "cache"
