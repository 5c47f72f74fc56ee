"""Sphinx extension: Vega-Lite figures drawn with JavaScript from the site.

The MyST-NB plugin ``recsys_lessons.explorers.MystNbVegaLite`` writes each
``application/vnd.vegalite.v5+json`` output into the page as a
``div.vegalite-output`` holding its spec. This extension

* writes the JavaScript bundle of Vega, Vega-Lite and vega-embed that the
  ``vl-convert-python`` package builds (``vl_convert.javascript_bundle``,
  no network) into ``_static/`` of the built site, under a name that
  carries the versions, and ``vegalite_embed.js`` (a few lines calling
  ``vegaEmbed``) beside it;
* adds both, as module scripts, to the pages that hold such a figure, and
  only to those (the bundle is about 0.9 MB, 0.3 MB compressed).

No page requests anything from another host for these figures.

Configuration: ``vegalite_offline_version`` (default ``"6.4"``), the
Vega-Lite version of the bundle, one of
``vl_convert.get_vegalite_versions()``. The specs name Vega-Lite 5 (what
JupyterLab draws them with) and use only what both versions have; the glue
drops their ``$schema`` so that vega-embed draws them without a version
warning.
"""

import shutil
from importlib.metadata import version
from pathlib import Path

from docutils import nodes

GLUE = Path(__file__).with_name("vegalite_embed.js")
MARKER = 'class="vegalite-output"'


def bundle_name(app):
    # The versions in the name: a new bundle is a new URL, never a stale
    # cached file.
    vl = app.config.vegalite_offline_version
    return f"vega-bundle-vl{vl}-vlconvert{version('vl-convert-python')}.js"


def has_figure(doctree):
    return doctree is not None and any(
        MARKER in node.astext()
        for node in doctree.findall(nodes.raw)
        if "html" in node.get("format", "").split()
    )


def add_scripts(app, pagename, templatename, context, doctree):
    if has_figure(doctree):
        # Module scripts: deferred, run in order, and the bundle's top-level
        # names (e.g. ``_``) stay out of the page's global scope, where
        # Sphinx's doctools.js already declares ``const _``.
        app.add_js_file(bundle_name(app), type="module")
        app.add_js_file(GLUE.name, type="module")


def check_version(app, config):
    import vl_convert

    known = vl_convert.get_vegalite_versions()
    if config.vegalite_offline_version not in known:
        raise ValueError(
            f"vegalite_offline_version must be one of {known}, got "
            f"{config.vegalite_offline_version!r}"
        )


def write_assets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import vl_convert

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / bundle_name(app)
    if not bundle.exists():
        text = vl_convert.javascript_bundle(
            vl_version=app.config.vegalite_offline_version
        )
        bundle.write_text(text, encoding="utf-8")
    shutil.copyfile(GLUE, static / GLUE.name)


def setup(app):
    app.add_config_value("vegalite_offline_version", "6.4", "html")
    app.connect("config-inited", check_version)
    app.connect("html-page-context", add_scripts)
    app.connect("build-finished", write_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
