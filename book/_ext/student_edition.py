"""Sphinx extension for the student edition: no solution, anywhere.

* Removes every exercise solution from the pages. sphinx-exercise's own
  ``hide_solutions`` leaves gated solutions (``solution-start`` ...
  ``solution-end`` spanning notebook cells) broken: the solution's code
  cells stay visible and the build fails on a stray end node. This
  transform runs after sphinx-exercise has merged each gated solution into
  one solution node, and removes all solution nodes, gated or not.
* Says at the top of each chapter that its download and launch buttons open
  the chapter's assignment notebook.
* Leaves out the teacher's page (``book/classroom.md``: the student
  edition's table of contents, ``tools/student_config.py``, does not list
  it) and rewrites the sentences that point to it or describe the full
  edition (:data:`STUDENT_TEXT`).
* When the build finishes, replaces each chapter's served source
  (``_sources/notebooks/*.ipynb``, what the download button serves) with
  the student notebook from ``student/notebooks`` (``make assignments``).
  The launch buttons point there too (``tools/student_config.py`` sets
  ``repository.path_to_book: student``).
"""

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node

NOTE = (
    "Student edition: the download and launch buttons of this page open "
    "the chapter's assignment notebook, its exercises with cells to fill "
    "in and check cells, not the chapter itself."
)


class RemoveSolutions(SphinxTransform):
    # sphinx-exercise merges gated solutions at priority 10
    default_priority = 11

    def apply(self):
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)
        docname = self.env.docname
        if docname.startswith("notebooks/0") and not docname.endswith(
            "00_tour"
        ):
            section = next(iter(self.document.findall(nodes.section)), None)
            if section is not None:
                note = nodes.note("", nodes.paragraph("", NOTE))
                title = next(iter(section.findall(nodes.title)))
                section.insert(section.index(title) + 1, note)


def serve_student_notebooks(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    # The pages' served Markdown sources get the student edition's text.
    for page in (Path(app.outdir) / "_sources").rglob("*.md*"):
        text = page.read_text(encoding="utf-8")
        for full, student in STUDENT_TEXT.items():
            text = text.replace(full, student)
        page.write_text(text, encoding="utf-8")
    source = Path(app.confdir) / "student" / "notebooks"
    target = Path(app.outdir) / "_sources" / "notebooks"
    for served in target.glob("*.ipynb"):
        replacement = source / served.name
        if not replacement.exists():
            raise RuntimeError(
                f"no student notebook for {served.name}: "
                "run make assignments"
            )
        shutil.copyfile(replacement, served)


# Text of the full edition -> the student edition's.
PREFACE_FULL = (
    "Every chapter ends with exercises whose solutions are hidden behind "
    "a\n  toggle; a student edition (`make student`) leaves the solutions "
    "out\n  altogether, and one exercise per chapter is checked "
    "automatically. See\n  {doc}`classroom`."
)
PREFACE_STUDENT = (
    "This is the student edition: every chapter ends with exercises,\n"
    "  without their solutions; the graded ones are your course's "
    "assignments,\n  and one exercise per chapter can be checked with "
    "`exercises.check`."
)
RUN_FULL = (
    "Run\n: Clone the repository and run `make book` once: it creates "
    "a virtual\n  environment with pinned versions, installs "
    "`recsys_lessons`, registers\n  the notebook kernel and builds the "
    "book. Open any notebook in `notebooks/`\n  with Jupyter (`make lab` "
    "opens JupyterLab with the MyST markup rendered\n  as in the book); "
    'each "Try it" section there also has a live version,\n  which '
    "computes any setting, not only the grid's."
)
RUN_STUDENT = (
    "Run\n: Each chapter's download, Colab and Binder buttons open its "
    "assignment\n  notebook; its first cell installs `recsys_lessons` "
    'where it is missing.\n  The "Try it" figures work in these pages as '
    "they are."
)
STUDENT_TEXT = {
    RUN_FULL: RUN_STUDENT,
    "({doc}`../book/classroom`)": "(your course's assignments)",
    "(see {doc}`classroom`)": "(each chapter's self-check exercise)",
    PREFACE_FULL: PREFACE_STUDENT,
}


def student_text(app, docname, source):
    text = source[0]
    for full, student in STUDENT_TEXT.items():
        # In a notebook's JSON a newline is written as \n.
        text = text.replace(full, student)
        text = text.replace(
            full.replace("\n", "\\n"), student.replace("\n", "\\n")
        )
    source[0] = text


def setup(app):
    app.connect("source-read", student_text)
    app.add_transform(RemoveSolutions)
    app.connect("build-finished", serve_student_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
