"""Sphinx extension: markup that assistive technology reads correctly.

docutils writes a bibliography as ``<div role="list">`` whose entries have
``role="doc-biblioentry"``. That role is deprecated in WAI-ARIA (DPub-ARIA
1.1), and a list whose children are not list items breaks the list for
screen readers (axe: aria-deprecated-role, aria-required-children). Each
entry becomes a ``listitem``; the list keeps its role.

MyST-NB's toggle of a ``hide-input`` cell is ``<summary aria-label="Toggle
hidden content">`` around the visible words "Show code cell source": a
name that leaves out the words a speech-input user says to click it (axe:
label-content-name-mismatch). Without the label, the name is the visible
words (the other prompt, "Hide ...", is not displayed while closed).

Checked on every page of both editions by tests/test_accessibility.py.
"""

HIDDEN_INPUT_TOGGLE = '<summary aria-label="Toggle hidden content">'


def fix_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not isinstance(body, str):
        return
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    context["body"] = body.replace(HIDDEN_INPUT_TOGGLE, "<summary>")


def setup(app):
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
