"""Numbered figures: a chapter's caption and name, and the book's figure.

A chapter gives a figure a caption and a name (``figures.show`` for a
Matplotlib figure, ``tryit.explore`` for a Try it explorer) so that its
prose can cite it with ``{numref}``. :func:`caption_and_name` checks the
pair where the chapter passes it; the book's MyST-NB plugins
(``figures.MystNbAlt``, ``explorers.MystNbVegaLite``) read it back from
the output and wrap their nodes in :func:`numbered_figure`.

Core only: docutils is imported when the book's plugins run, and not by
this module, which the explorers import without the book's packages.
"""

from __future__ import annotations

import re

__all__ = ["LABEL", "caption_and_name", "numbered_figure"]

#: A figure's name: what ``{numref}`` cites, and the HTML id Sphinx gives
#: it (docutils would silently rewrite anything else).
LABEL = re.compile(r"[a-z][a-z0-9-]*")


def caption_and_name(caption, name):
    """The figure's caption and name, checked, for the output's metadata.

    Parameters
    ----------
    caption : str or None
        The caption (MyST markup allowed); its runs of white space become
        one space.
    name : str or None
        A label matching :data:`LABEL`.

    Returns
    -------
    dict
        ``{}`` when both are None, else ``{"caption": ..., "name": ...}``.

    Raises
    ------
    TypeError
        If ``caption`` or ``name`` is given but not a str.
    ValueError
        If only one of them is given, ``caption`` is blank, or ``name``
        is not a label.

    Notes
    -----
    Used by: ``figures.show`` and ``tryit.explore`` (not called in a
    chapter).
    """
    if caption is None and name is None:
        return {}
    if caption is None or name is None:
        raise ValueError(
            "caption and name go together: give both (a numbered figure)"
            " or neither"
        )
    for value, what in ((caption, "caption"), (name, "name")):
        if not isinstance(value, str):
            raise TypeError(
                f"{what} must be a str, got {type(value).__name__}"
            )
    caption = " ".join(caption.split())
    if not caption:
        raise ValueError("caption must not be empty")
    if not LABEL.fullmatch(name):
        raise ValueError(
            f"name must be a label of lower-case letters, digits and '-'"
            f" starting with a letter, got {name!r}"
        )
    return {"caption": caption, "name": name}


def numbered_figure(parser, children, meta, data):
    """A docutils figure around an output's nodes, for ``{numref}``.

    Named ``meta["name"]`` (an explicit target, so Sphinx numbers it and
    resolves ``{numref}``), its caption ``meta["caption"]`` parsed as MyST
    (as MyST-NB does for a cell's figure options, which would wrap every
    output of the cell, a figure's data block too).

    Parameters
    ----------
    parser : myst_parser renderer
        The MyST-NB plugin's ``renderer.renderer`` (its document, and
        the nested MyST parse of the caption).
    children : list of docutils nodes
        The output's nodes (an image, or an explorer's raw HTML).
    meta : dict
        :func:`caption_and_name`'s result (both keys).
    data : myst_nb MimeData
        The output, for its line in the source (in messages).

    Returns
    -------
    docutils.nodes.figure

    Raises
    ------
    ValueError
        If the caption does not parse as a paragraph (e.g. a line
        starting with ``- `` parses as a list).

    Notes
    -----
    Used by: the book's plugins ``figures.MystNbAlt`` and
    ``explorers.MystNbVegaLite`` (not called in a chapter).
    """
    from docutils import nodes

    figure = nodes.figure("", *children)
    figure.source, figure.line = parser.document["source"], data.line
    figure["names"].append(nodes.fully_normalize_name(meta["name"]))
    parser.document.note_explicit_target(figure, figure)
    holder = nodes.Element()
    with parser.current_node_context(holder):
        parser.nested_render_text(meta["caption"], data.line)
    first = holder.children[0] if holder.children else None
    if not isinstance(first, nodes.paragraph):
        raise ValueError(
            f"figure {meta['name']!r}: its caption must be one paragraph"
        )
    figure += nodes.caption(first.rawsource, "", *first.children)
    return figure
