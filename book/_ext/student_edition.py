"""Sphinx extension for the student edition: remove every exercise solution.

sphinx-exercise's own ``hide_solutions`` leaves gated solutions
(``solution-start`` ... ``solution-end`` spanning notebook cells) broken:
the solution's code cells stay visible and the build fails on a stray end
node. This transform runs after sphinx-exercise has merged each gated
solution into one solution node, and removes all solution nodes, gated or
not.
"""

from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node


class RemoveSolutions(SphinxTransform):
    # sphinx-exercise merges gated solutions at priority 10
    default_priority = 11

    def apply(self):
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


def setup(app):
    app.add_transform(RemoveSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
