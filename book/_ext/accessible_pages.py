"""Sphinx extension: markup that assistive technology reads correctly.

docutils writes a bibliography as ``<div role="list">`` whose entries have
``role="doc-biblioentry"``. That role is deprecated in WAI-ARIA (DPub-ARIA
1.1), and a list whose children are not list items breaks the list for
screen readers (axe: aria-deprecated-role, aria-required-children). Each
entry becomes a ``listitem``; the list keeps its role.

Checked on every page of both editions by tests/test_accessibility.py.
"""


def fix_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace(
            'role="doc-biblioentry"', 'role="listitem"'
        )


def setup(app):
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
