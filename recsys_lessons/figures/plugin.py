"""The book's MyST-NB plugin for :func:`recsys_lessons.figures.show`'s
images: their ``alt``, and a numbered figure when they have a caption.

Registered in ``pyproject.toml`` (entry point group
``myst_nb.mime_renderers``) as ``recsys_lessons.figures:MystNbAlt``,
which the package re-exports. Infrastructure, not called in a chapter:
outside ``__all__`` and the hardening battery (``tests/test_contracts.py``
exempts it).
"""

from __future__ import annotations

# Shared with the explorers' plugin, which must not import Matplotlib;
# re-exported by the package under its old name.
from .._numbered_figure import numbered_figure as _numbered_figure

__all__: list[str] = []


class MystNbAlt:
    """MyST-NB mime renderer plugin: a PNG output's ``alt`` from its
    metadata.

    MyST-NB takes an image's ``alt`` only from the cell's metadata, which
    would be typed by hand; :func:`show` puts it in the output's metadata,
    computed with the figure. Registered in ``pyproject.toml`` under
    ``myst_nb.mime_renderers``.

    Notes
    -----
    Used by: every chapter's figures (not called in a chapter).
    """

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != "image/png":
            return None
        meta = data.output_metadata.get("image/png", {})
        alt = meta.get("alt") if isinstance(meta, dict) else None
        if not isinstance(alt, str) or not alt:
            return None
        nodes = renderer.render_image(data)
        for node in nodes:
            node["alt"] = alt
        if meta.get("caption") and meta.get("name"):
            return [_numbered_figure(renderer.renderer, nodes, meta, data)]
        return nodes
