"""Write the student edition's config: the book's _config.yml plus the
``student_edition`` extension (book/_ext), which removes every solution and
serves the student notebooks in place of the chapters."""

import sys
from pathlib import Path

import yaml


def student_toc(source, target):
    """The table of contents without the teacher's page."""
    with open(source) as f:
        toc = yaml.safe_load(f)
    for part in toc.get("parts", []):
        part["chapters"] = [
            c for c in part["chapters"] if c.get("file") != "book/classroom"
        ]
    with open(target, "w") as f:
        yaml.safe_dump(toc, f, sort_keys=False, allow_unicode=True)


def main(source, target, toc_target=None):
    with open(source) as f:
        config = yaml.safe_load(f)
    sphinx = config.setdefault("sphinx", {})
    local = sphinx.setdefault("local_extensions", {})
    # Jupyter Book finds local extensions relative to the config file,
    # which this one is not beside: absolute paths.
    for name, path in local.items():
        local[name] = str(Path(path).resolve())
    local["student_edition"] = str(Path("book/_ext").resolve())
    config["title"] = config["title"] + " (student edition)"
    # Launch buttons open student/notebooks/<page>.ipynb (make assignments),
    # and no button leads to the repository, which holds the full book.
    config["repository"]["path_to_book"] = "student"
    config.setdefault("html", {})["use_repository_button"] = False
    with open(target, "w") as f:
        yaml.safe_dump(config, f, sort_keys=False, allow_unicode=True)
    if toc_target:
        student_toc(Path(source).with_name("_toc.yml"), toc_target)


if __name__ == "__main__":
    main(*sys.argv[1:4])
