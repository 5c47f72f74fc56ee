// Draws every Vega-Lite output of the page (div.vegalite-output, written by
// recsys_lessons.explorers.MystNbVegaLite) with the vega-embed of the bundle
// served from this site (book/_ext/vegalite_offline.py). Both are module
// scripts: they run in order, once the page is parsed. The view is kept on
// the element (el.vegaView); el.dataset.rendered is set once it is drawn.
for (const el of document.querySelectorAll("div.vegalite-output")) {
  const spec = JSON.parse(el.querySelector("script").textContent);
  // The spec names Vega-Lite 5, the version JupyterLab draws it with; the
  // bundle's Vega-Lite 6 draws the same spec, without a version warning.
  delete spec.$schema;
  // The options of the output's metadata, as JupyterLab applies them.
  const options = JSON.parse(el.dataset.embedOptions || "{}");
  const target = el.appendChild(document.createElement("div"));
  window
    .vegaEmbed(target, spec, { ...options, mode: "vega-lite" })
    .then((result) => {
      el.vegaView = result.view;
      // When it became interactive, in ms since navigation started.
      el.dataset.renderedAt = performance.now().toFixed(0);
      el.dataset.rendered = "true";
    })
    .catch((error) => {
      target.textContent = `This figure could not be drawn: ${error}`;
      console.error(error);
    });
}
