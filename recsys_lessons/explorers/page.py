"""An explorer on a page: its output type, the book's plugin, Colab's view.

Used by every Try it figure.
"""

from __future__ import annotations

import html
import json
import sys

from .._numbered_figure import numbered_figure
from .._validation import (
    check_int,
)
from .checks import (
    _alt,
)

__all__ = [
    "VEGALITE_MIME",
    "VEGALITE_SCHEMA",
    "MAX_BYTES",
    "Explorer",
]

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
# The HTML builders of Sphinx; others (LaTeX, text) keep text/plain.
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
# Page weight: an explorer's spec (data included) above this is refused.
MAX_BYTES = 1_000_000
# vega-embed options, in the output's metadata: JupyterLab and the book
# both draw SVG (its text can be read and searched) and offer only the
# export actions (no link to the online Vega editor).
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {
        "export": True,
        "source": False,
        "compiled": False,
        "editor": False,
    },
}


class Explorer:
    """An Altair chart shown as ``application/vnd.vegalite.v5+json``.

    JupyterLab and Notebook 7 draw that output type with the Vega-Lite
    they ship; the book draws it through :class:`MystNbVegaLite`. The
    spec's ``$schema`` is :data:`VEGALITE_SCHEMA`.

    Parameters
    ----------
    chart : altair chart
    max_bytes : int
        A spec larger than this (compact JSON) raises ``ValueError``.
    description : str

    Attributes
    ----------
    chart, spec : the chart and its dict; nbytes : its compact JSON size.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """

    def __init__(self, chart, *, max_bytes=MAX_BYTES, description=""):
        alt = _alt()
        if not isinstance(chart, alt.TopLevelMixin):
            raise TypeError(
                f"chart must be an Altair chart, got {type(chart).__name__}"
            )
        spec = chart.to_dict()
        spec["$schema"] = VEGALITE_SCHEMA
        self._keep(chart, spec, max_bytes, description)

    @classmethod
    def from_spec(cls, spec, *, max_bytes=MAX_BYTES, description=""):
        """An explorer from a Vega-Lite spec (a dict), without Altair."""
        if not isinstance(spec, dict):
            raise TypeError(
                f"spec must be a dict, got {type(spec).__name__}"
            )
        self = cls.__new__(cls)
        self._keep(None, spec, max_bytes, description)
        return self

    def _keep(self, chart, spec, max_bytes, description):
        # Both constructors end here, with the keywords they share.
        max_bytes = check_int(max_bytes, "max_bytes", low=1)
        if not isinstance(description, str):
            raise TypeError("description must be a str")
        self.chart = chart
        self.description = description
        self.spec = spec
        self.nbytes = len(_compact_json(spec))
        if self.nbytes > max_bytes:
            raise ValueError(
                f"the explorer's spec is {self.nbytes} bytes, over "
                f"max_bytes={max_bytes}: thin the grid or the data"
            )

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = "<Explorer: an interactive Vega-Lite chart>"
        if self.description:
            text += "\n" + self.description
        data = {VEGALITE_MIME: self.spec, "text/plain": text}
        metadata = {VEGALITE_MIME: {"embed_options": EMBED_OPTIONS}}
        if "google.colab" in sys.modules:
            # Colab draws no Vega-Lite output type: there, and only there
            # (never in the book), an HTML view that loads vega-embed from
            # the jsDelivr CDN, as Altair's own Colab renderer does.
            data["text/html"] = _colab_html(self.spec)
        return data, metadata

    def __repr__(self):
        return f"<Explorer, {self.nbytes} bytes>"


def _colab_html(spec):
    from altair.utils.html import spec_to_html

    return spec_to_html(
        spec,
        mode="vega-lite",
        vega_version="5",
        vegaembed_version="6",
        vegalite_version="5.20.1",
        output_div=f"vis-{id(spec):x}",
        embed_options=EMBED_OPTIONS,
        fullhtml=False,
    )


def _compact_json(spec):
    return json.dumps(spec, separators=(",", ":"), allow_nan=False)


def html_for_spec(spec, embed_options=None):
    """The HTML the book shows for a Vega-Lite spec (a dict, or its JSON).

    A ``div.vegalite-output`` holding the spec as a JSON script and the
    vega-embed options (a dict) in ``data-embed-options``; the page's
    ``vegalite_embed.js`` (book/_ext/vegalite_offline.py) draws it. ``<``,
    ``>`` and ``&`` are escaped, so that no string of the spec can end the
    script element.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """
    if isinstance(spec, str):
        spec = json.loads(spec)
    if not isinstance(spec, dict):
        raise TypeError(f"spec must be a dict, got {type(spec).__name__}")
    embed_options = {} if embed_options is None else embed_options
    if not isinstance(embed_options, dict):
        raise TypeError(
            "embed_options must be a dict, "
            f"got {type(embed_options).__name__}"
        )
    text = (
        _compact_json(spec)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    label = html.escape(str(spec.get("description", "interactive figure")))
    options = html.escape(_compact_json(embed_options))
    return (
        f'<div class="vegalite-output" role="figure" aria-label="{label}" '
        f'data-embed-options="{options}">'
        f'<script type="application/json">{text}</script></div>'
    )


class MystNbVegaLite:
    """MyST-NB mime renderer plugin for Vega-Lite 5 outputs.

    Registered in ``pyproject.toml`` under the entry point group
    ``myst_nb.mime_renderers``. For the HTML builders it gives
    ``application/vnd.vegalite.v5+json`` the highest priority and renders
    it as raw HTML (:func:`html_for_spec`); other builders keep the
    output's text/plain. A spec whose ``usermeta`` holds a ``caption``
    and a ``name`` (``tryit.explore(..., caption=..., name=...)``) is
    wrapped in a numbered figure that ``{numref}`` cites, as
    ``figures.show`` does for a PNG.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).
    """

    mime_priority_overrides = [(b, VEGALITE_MIME, 5) for b in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != VEGALITE_MIME:
            return None
        from docutils import nodes

        meta = data.output_metadata.get(VEGALITE_MIME, {})
        options = (
            meta.get("embed_options") if isinstance(meta, dict) else None
        )
        spec = data.content
        if isinstance(spec, str):
            spec = json.loads(spec)
        shown = [
            nodes.raw(
                text=html_for_spec(spec, options),
                format="html",
                # Sphinx wraps a raw node with classes in a div of those
                # classes: MyST-NB's own, as for text/html outputs.
                classes=["output", "text_html"],
            )
        ]
        # tryit.explore's caption and name (checked there), as MystNbAlt
        # reads figures.show's from a PNG's metadata.
        usermeta = spec.get("usermeta") if isinstance(spec, dict) else None
        if (
            isinstance(usermeta, dict)
            and usermeta.get("caption")
            and usermeta.get("name")
        ):
            return [
                numbered_figure(renderer.renderer, shown, usermeta, data)
            ]
        return shown
