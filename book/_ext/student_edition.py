"""Sphinx extension for the student edition: no solution, anywhere.

* Removes every exercise solution from the pages. sphinx-exercise's own
  ``hide_solutions`` leaves gated solutions (``solution-start`` ...
  ``solution-end`` spanning notebook cells) broken: the solution's code
  cells stay visible and the build fails on a stray end node. This
  transform runs after sphinx-exercise has merged each gated solution into
  one solution node, and removes all solution nodes, gated or not.
* Says at the top of each chapter that its download and launch buttons open
  the chapter's assignment notebook.
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


def setup(app):
    app.add_transform(RemoveSolutions)
    app.connect("build-finished", serve_student_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
