// The graph page: draws /api/graph with Cytoscape.js, filters, search, details with evidence,
// and ego views. Everything from the data is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("graph-config").textContent);
  const status = document.getElementById("graph-status");
  const details = document.getElementById("details");
  const egoButton = document.getElementById("ego-button");
  // Tests and curious readers can reach the instance and the last load's timing here.
  const state = { cy: null, ready: false, loadMs: null, layoutMs: null, selected: null };
  window.kgGraph = state;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(text) { status.textContent = text; }

  if (typeof window.cytoscape !== "function") {
    say("The graph library is not loaded: build the front-end (make vendor).");
    return;
  }

  const style = [
    { selector: "node", style: {
        "background-color": "#888", "width": "data(size)", "height": "data(size)",
        "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 8,
        "text-valign": "bottom", "text-margin-y": 2, "color": "#222",
        "text-max-width": 120, "text-wrap": "ellipsis", "border-width": 0 } },
    { selector: "node[kind = 'state']", style: {
        "background-color": "#2f6db5", "shape": "ellipse", "font-size": 11,
        "font-weight": "bold", "min-zoomed-font-size": 4 } },
    { selector: "node[kind = 'person']", style: { "background-color": "#7c4dba" } },
    { selector: "node[kind = 'organization']", style: {
        "background-color": "#4f9e9a", "shape": "hexagon" } },
    { selector: "node[kind = 'agreement']", style: {
        "background-color": "#c98a1c", "shape": "diamond" } },
    { selector: "node[kind = 'event']", style: {
        "background-color": "#b0456a", "shape": "round-triangle" } },
    { selector: "edge", style: {
        "width": "data(w)", "line-color": "#c4c4c4", "curve-style": "haystack",
        "haystack-radius": 0, "opacity": 0.8 } },
    { selector: "edge[kind = 'relation']", style: { "line-color": "#8a8a8a", "opacity": 0.95 } },
    { selector: "edge[polarity = 'cooperative']", style: { "line-color": "#2e9e44" } },
    { selector: "edge[polarity = 'conflictual']", style: { "line-color": "#d0342c" } },
    { selector: "edge[polarity = 'mixed']", style: { "line-color": "#e08a00" } },
    { selector: ":selected", style: {
        "border-width": 3, "border-color": "#111", "line-color": "#111", "z-index": 10 } },
    { selector: ".faded", style: { "opacity": 0.15 } },
  ];

  const cy = window.cytoscape({
    container: document.getElementById("cy"), style, elements: [],
    minZoom: 0.05, maxZoom: 4, wheelSensitivity: 0.3, boxSelectionEnabled: false,
  });
  state.cy = cy;

  // Sizes from evidence counts, computed once here rather than by style functions per frame.
  function prepare(elements) {
    for (const n of elements.nodes) {
      const d = n.data;
      const base = d.kind === "state" ? 22 : 12;
      d.size = Math.min(60, base + 4 * Math.sqrt(d.evidence || 0));
    }
    for (const e of elements.edges) {
      const d = e.data;
      d.w = Math.min(10, 1 + 1.2 * Math.log2(1 + (d.evidence || 0)));
    }
    return elements;
  }

  function layoutFor(count) {
    // fcose's spectral "draft" pass is near-linear; the full force refinement is kept for
    // graphs small enough to refine in well under a second.
    if (count > 600) {
      return { name: "fcose", quality: "draft", animate: false, randomize: true,
               nodeSeparation: 60, idealEdgeLength: 60, fit: true, padding: 20 };
    }
    return { name: "fcose", quality: "default", animate: false, randomize: true,
             nodeRepulsion: 6000, idealEdgeLength: 70, fit: true, padding: 30 };
  }

  function updateSearchList() {
    const list = document.getElementById("node-names");
    list.replaceChildren();
    const labels = new Set();
    cy.nodes().forEach((n) => labels.add(n.data("label")));
    [...labels].sort().slice(0, 3000).forEach((label) => list.append(el("option", { value: label })));
  }

  async function load(url, centre) {
    state.ready = false;
    const t0 = performance.now();
    say("Loading…");
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      data = await response.json();
      if (!response.ok) { say(data.error || `The server answered ${response.status}.`); return; }
    } catch (err) {
      say(`Could not load the graph: ${err.message}`);
      return;
    }
    const elements = prepare(data.elements);
    const count = elements.nodes.length;
    const big = count > 1000;
    // Cheaper rendering while panning and zooming a big graph keeps interaction smooth.
    // (a renderer setting of Cytoscape.js, otherwise fixed when the instance is made)
    const renderer = cy.renderer();
    if (renderer) renderer.hideEdgesOnViewport = big;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    const t1 = performance.now();
    const layout = cy.layout(layoutFor(count));
    layout.one("layoutstop", () => {
      state.layoutMs = Math.round(performance.now() - t1);
      state.loadMs = Math.round(performance.now() - t0);
      state.ready = true;
      document.body.dataset.graphReady = "1";
      const c = data.counts || {};
      say(`${c.nodes ?? count} nodes and ${c.edges ?? elements.edges.length} links` +
          (c.total_nodes && c.total_nodes !== c.nodes ? ` (of ${c.total_nodes} nodes)` : "") +
          `; drawn in ${(state.loadMs / 1000).toFixed(1)} s.`);
      updateSearchList();
      if (centre) select(cy.getElementById(centre));
    });
    layout.run();
  }

  function graphUrl() {
    const form = document.getElementById("filters");
    const params = new URLSearchParams();
    const kinds = [...form.querySelectorAll("input[name=kind]")];
    const checked = kinds.filter((k) => k.checked).map((k) => k.value);
    if (checked.length && checked.length < kinds.length) params.set("kind", checked.join(","));
    for (const name of ["state", "since", "until"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (config.initial.view && config.initial.view !== "viewer") params.set("view", config.initial.view);
    return `${config.api}?${params}`;
  }

  function row(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.append(el("dt", {}, term), el("dd", {}, value));
  }

  async function showDetails(id) {
    details.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    let data;
    try {
      const response = await fetch(`${config.node}?iri=${encodeURIComponent(id)}`);
      data = await response.json();
      if (!response.ok) { details.replaceChildren(el("p", {}, data.error || "Not found.")); return; }
    } catch (err) {
      details.replaceChildren(el("p", {}, `Could not load the details: ${err.message}`));
      return;
    }
    const a = data.attributes || {};
    const title = el("h2", {}, a.label || id);
    const kind = el("p", { class: "kind" }, el("span", { class: `swatch k-${a.kind}` }), a.kind || "");
    const dl = el("dl", { class: "attrs" });
    for (const key of ["iso3", "position", "code", "status", "date", "place", "polarity",
                       "cooperative", "conflictual", "reports", "evidence", "first", "last"]) {
      row(dl, key, a[key]);
    }
    const parts = [title, kind, dl];
    if (data.url) parts.push(el("p", {}, el("a", { href: data.url, class: "entity-link" }, "Open its page →")));
    parts.push(el("h3", {}, `Evidence (${data.evidence_total})`));
    if (data.evidence.length) {
      const list = el("ul", { class: "evidence" });
      for (const e of data.evidence) {
        list.append(el("li", {}, el("q", {}, e.sentence), " ",
          el("span", { class: "src" }, el("a", { href: e.url }, e.report))));
      }
      parts.push(list);
      if (data.evidence_total > data.evidence.length) {
        parts.push(el("p", { class: "muted" }, `${data.evidence_total - data.evidence.length} more on its page.`));
      }
    } else {
      parts.push(el("p", { class: "muted" }, "No evidence sentence."));
    }
    if (data.neighbours && data.neighbours.length) {
      parts.push(el("h3", {}, "Linked to"));
      const list = el("ul", { class: "neighbours" });
      for (const n of data.neighbours) {
        const link = el("a", { href: "#" }, n.label || n.id);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          const node = cy.getElementById(n.id);
          if (node.nonempty()) select(node); else showDetails(n.id);
        });
        list.append(el("li", {}, el("span", { class: `swatch k-${n.kind}` }), link, ` (${n.link})`));
      }
      parts.push(list);
    }
    details.replaceChildren(...parts);
  }

  function select(ele) {
    if (!ele || ele.empty()) return;
    cy.elements().unselect();
    ele.select();
    state.selected = ele.id();
    egoButton.disabled = !ele.isNode();
    if (ele.isNode()) {
      cy.animate({ center: { eles: ele }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
    }
    showDetails(ele.id());
  }

  cy.on("tap", "node, edge", (event) => select(event.target));

  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load(graphUrl());
  });

  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = document.getElementById("search-input").value.trim().toLowerCase();
    if (!q) return;
    const nodes = cy.nodes();
    let found = nodes.filter((n) => (n.data("label") || "").toLowerCase() === q);
    if (found.empty()) found = nodes.filter((n) => (n.data("label") || "").toLowerCase().includes(q) ||
                                                    (n.data("iso3") || "").toLowerCase() === q);
    if (found.empty()) { say(`No node matches “${q}”.`); return; }
    select(found[0]);
    say(found.length > 1 ? `${found.length} nodes match; showing the first.` : "Found.");
  });

  egoButton.addEventListener("click", () => {
    if (!state.selected) return;
    const radius = document.getElementById("ego-radius").value;
    const params = new URLSearchParams({ iri: state.selected, radius });
    load(`${config.ego}?${params}`, state.selected);
  });

  document.getElementById("reset-button").addEventListener("click", () => load(graphUrl()));

  // Filters given in the page's URL (e.g. /graph?state=AZE) start checked.
  const form = document.getElementById("filters");
  const initial = config.initial || {};
  if (initial.kind && initial.kind.length) {
    form.querySelectorAll("input[name=kind]").forEach((k) => { k.checked = initial.kind.includes(k.value); });
  }
  if (initial.state && initial.state.length) form.elements.state.value = initial.state[0].toUpperCase();
  if (initial.since) form.elements.since.value = initial.since;
  if (initial.until) form.elements.until.value = initial.until;
  if (initial.focus) {
    load(`${config.ego}?${new URLSearchParams({ iri: initial.focus, radius: 1 })}`, initial.focus);
  } else {
    load(graphUrl());
  }
})();
