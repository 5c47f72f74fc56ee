// Draws every Vega-Lite output of the page (div.vegalite-output, written by
// recsys_lessons.explorers.MystNbVegaLite) with the vega-embed of the bundle
// served from this site (book/_ext/vegalite_offline.py). Both are module
// scripts: they run in order, once the page is parsed. The view is kept on
// the element (el.vegaView); el.dataset.rendered is set once it is drawn.
//
// An explorer's spec lists its controls in usermeta (explorers.explorer).
// Vega-Lite's own inputs show the raw number they move ("log10 λ -2") and
// announce nothing, so the page draws its own instead: a labelled slider
// per control whose value is the setting itself (aria-valuetext "λ = 0.01",
// and the same text beside it), radio buttons in a fieldset, and the
// caption's text copied into a live region after every change, which
// screen readers announce. Vega's inputs stay in the view, hidden.
let count = 0;

function readout(el, names) {
  const texts = names.flatMap((name) => [
    ...el.querySelectorAll(`g.${name}_marks text`),
  ]);
  return texts.map((t) => t.textContent).join(" ");
}

function slider(control, id, move) {
  const box = document.createElement("div");
  box.className = "explorer-control";
  const label = box.appendChild(document.createElement("label"));
  label.htmlFor = id;
  label.textContent = control.label;
  const input = box.appendChild(document.createElement("input"));
  Object.assign(input, {
    type: "range",
    id,
    min: 0,
    max: control.signals.length - 1,
    step: 1,
    value: control.value,
  });
  const shown = box.appendChild(document.createElement("output"));
  shown.htmlFor = id;
  // The value is already announced through aria-valuetext.
  shown.setAttribute("aria-hidden", "true");
  const set = () => {
    const i = Number(input.value);
    input.setAttribute("aria-valuetext", control.texts[i]);
    shown.textContent = control.texts[i];
    return i;
  };
  set();
  input.addEventListener("input", () => move(control.signals[set()]));
  return box;
}

function radios(control, id, move) {
  const box = document.createElement("fieldset");
  box.className = "explorer-control";
  box.appendChild(document.createElement("legend")).textContent =
    control.label;
  control.signals.forEach((signal, i) => {
    const label = box.appendChild(document.createElement("label"));
    const input = label.appendChild(document.createElement("input"));
    Object.assign(input, {
      type: "radio",
      name: id,
      value: String(i),
      checked: i === control.value,
    });
    label.appendChild(document.createTextNode(control.texts[i]));
    input.addEventListener("change", () => input.checked && move(signal));
  });
  return box;
}

function controls(el, view, meta) {
  const panel = document.createElement("div");
  panel.className = "explorer-controls";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Settings of the figure");
  const live = document.createElement("p");
  live.className = "explorer-readout";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  const names = meta.readouts || [];
  const update = () => {
    live.textContent = readout(el, names);
  };
  for (const control of meta.controls) {
    const id = `explorer-${++count}-${control.param}`;
    const move = (signal) =>
      view
        .signal(control.param, signal)
        .runAsync()
        .then(update)
        .catch((error) => console.error(error));
    const make = control.kind === "radio" ? radios : slider;
    panel.appendChild(make(control, id, move));
  }
  update();
  return [panel, live];
}

for (const el of document.querySelectorAll("div.vegalite-output")) {
  const spec = JSON.parse(el.querySelector("script").textContent);
  // The spec names Vega-Lite 5, the version JupyterLab draws it with; the
  // bundle's Vega-Lite 6 draws the same spec, without a version warning.
  delete spec.$schema;
  const meta = spec.usermeta || {};
  // The options of the output's metadata, as JupyterLab applies them.
  const options = JSON.parse(el.dataset.embedOptions || "{}");
  const target = el.appendChild(document.createElement("div"));
  window
    .vegaEmbed(target, spec, { ...options, mode: "vega-lite" })
    .then((result) => {
      el.vegaView = result.view;
      // The export menu's button is an icon: give it a name.
      const menu = target.querySelector("details > summary");
      if (menu) {
        menu.setAttribute("aria-label", "Save the figure (SVG or PNG)");
        menu.querySelector("svg")?.setAttribute("aria-hidden", "true");
      }
      if (meta.controls && meta.controls.length) {
        el.classList.add("has-own-controls");
        const [panel, live] = controls(el, result.view, meta);
        el.insertBefore(panel, target);
        el.insertBefore(live, target);
      }
      // When it became interactive, in ms since navigation started.
      el.dataset.renderedAt = performance.now().toFixed(0);
      el.dataset.rendered = "true";
    })
    .catch((error) => {
      target.textContent = `This figure could not be drawn: ${error}`;
      console.error(error);
    });
}
