// The graph page: draws /api/graph with Cytoscape.js, filters, search, details with evidence,
// and ego views. Everything from the data is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("graph-config").textContent);
  const status = document.getElementById("graph-status");
  const details = document.getElementById("details");
  const egoButton = document.getElementById("ego-button");
  const notice = document.getElementById("graph-notice");
  // Tests and curious readers can reach the instance and the last load's timing here.
  const state = { cy: null, ready: false, loadMs: null, layoutMs: null, selected: null,
                  labelled: 0, labelsAt: null, labelMs: null };
  window.kgGraph = state;

  const el = window.kgDom.el;

  function say(text) { status.textContent = text; }

  if (typeof window.cytoscape !== "function") {
    say("The graph library is not loaded: build the front-end (make vendor).");
    return;
  }

  // Labels keep one size on screen whatever the zoom (their model size is divided by it),
  // and only those that collide with no label drawn before them are shown (placeLabels):
  // at the whole-graph view the biggest nodes are named, and zooming in names the rest.
  const LABEL_PX = { node: 10, state: 12, margin: 2 };
  const LABEL_CHARS = 26;

  // The zoom labels are sized for, in steps of a quarter of a doubling: on screen they stay
  // within 10 % of their size, and Cytoscape's measures of them are reused at each step.
  function zoomStep(zoom) {
    return Math.pow(2, Math.round(4 * Math.log2(Math.max(zoom, 1e-3))) / 4);
  }

  // Label sizes for a zoom step are set on the nodes themselves (style bypasses), and only
  // on those near the view: a new stylesheet would restyle every edge too, thousands of them.
  function sizeLabels(nodes, step) {
    nodes.forEach((n) => {
      if (n.scratch("labelStep") === step) return;
      n.scratch("labelStep", step);
      n.style({ "font-size": (n.data("kind") === "state" ? LABEL_PX.state : LABEL_PX.node) / step,
                "text-margin-y": LABEL_PX.margin / step, "text-background-padding": 1 / step });
    });
  }

  function makeStyle() {
    return [
      { selector: "node", style: {
          "background-color": "#888", "width": "data(size)", "height": "data(size)",
          "label": "data(short)", "font-size": LABEL_PX.node,
          "text-valign": "bottom", "text-margin-y": LABEL_PX.margin, "color": "#222",
          "border-width": 0,
          "text-background-color": "#fff", "text-background-opacity": 0.75,
          "text-background-padding": 1 } },
      { selector: "node[kind = 'state']", style: {
          "background-color": "#2f6db5", "shape": "ellipse", "font-size": LABEL_PX.state,
          "font-weight": "bold" } },
      { selector: "node[kind = 'person']", style: { "background-color": "#7c4dba" } },
      { selector: "node[kind = 'organization']", style: {
          "background-color": "#4f9e9a", "shape": "hexagon" } },
      { selector: "node[kind = 'agreement']", style: {
          "background-color": "#c98a1c", "shape": "diamond" } },
      { selector: "node[kind = 'event']", style: {
          "background-color": "#b0456a", "shape": "round-triangle" } },
      { selector: "node.unlabelled", style: { "label": "" } },
      // the node under the pointer is named even where its label would cover others
      { selector: "node.hover", style: { "label": "data(label)", "z-index": 20 } },
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
  }

  // Which labels to draw: the selected node's first, then states, then by evidence; a label
  // is drawn when its box meets no box drawn before it. Boxes are Cytoscape's own (measured
  // with every label on), kept in a grid of cells so that each test looks at few others.
  function placeLabels() {
    if (!cy) return;
    const t0 = performance.now();
    const zoom = cy.zoom();
    const W = cy.width(), H = cy.height(), CELL = 64;
    // Nodes far outside the view are not measured: their labels cannot show.
    const margin = 200;
    const near = cy.nodes().filter((n) => {
      const p = n.renderedPosition();
      return p.x > -margin && p.y > -margin && p.x < W + margin && p.y < H + margin;
    });
    cy.batch(() => {
      sizeLabels(near, zoomStep(zoom));
      near.filter(".unlabelled").removeClass("unlabelled");
    });
    const grid = new Map();
    const cells = (b, add) => {
      const out = [];
      for (let i = Math.floor(b.x1 / CELL); i <= Math.floor(b.x2 / CELL); i++) {
        for (let j = Math.floor(b.y1 / CELL); j <= Math.floor(b.y2 / CELL); j++) {
          const key = `${i},${j}`;
          if (add) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(b); }
          else if (grid.has(key)) out.push(...grid.get(key));
        }
      }
      return out;
    };
    const meets = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    // Other labels keep off the states' discs too: they are what the reader looks for.
    const disc = (n) => {
      const r = n.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      return { x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2, owner: n.id(), disc: true };
    };
    const rank = (n) => (n.id() === state.selected ? 0 : n.data("kind") === "state" ? 1 : 2);
    const order = near.toArray().sort((a, b) => rank(a) - rank(b)
      || (b.data("evidence") || 0) - (a.data("evidence") || 0)
      || (b.data("degree") || 0) - (a.data("degree") || 0) || (a.id() < b.id() ? -1 : 1));
    for (const n of order) if (n.data("kind") === "state") cells(disc(n), true);
    const hidden = [];
    const pad = 1;   // a pixel between labels, so that neighbours never touch
    for (const n of order) {
      const r = n.renderedBoundingBox({ includeLabels: true, includeNodes: false,
                                        includeEdges: false, includeOverlays: false });
      if (!(r.w > 0 && r.h > 0)) continue;
      // a label cut by the view's edge is not drawn
      if (r.x1 < 0 || r.y1 < 0 || r.x2 > W || r.y2 > H) { hidden.push(n); continue; }
      const b = { x1: r.x1 - pad, y1: r.y1 - pad, x2: r.x2 + pad, y2: r.y2 + pad, owner: n.id() };
      const overDiscs = n.data("kind") === "state" || n.id() === state.selected;
      if (cells(b, false).some((c) => c.owner !== b.owner && !(overDiscs && c.disc) && meets(b, c))) {
        hidden.push(n);
      } else {
        cells(b, true);
      }
    }
    cy.batch(() => {
      for (const n of hidden) n.addClass("unlabelled");
      cy.nodes().difference(near).addClass("unlabelled");
    });
    state.labelled = near.length - hidden.length;
    state.labelsAt = zoom;
    state.labelMs = Math.round(performance.now() - t0);
  }

  // Labels are placed again once the view has stopped moving.
  let labelTimer = null;
  function placeLabelsSoon() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 200);
  }

  // A new instance per load: the renderer's speed settings are fixed when it is made, and a
  // big graph needs the cheap ones (a cached texture while panning or zooming, no edges).
  let cy = null;
  function makeCy(big) {
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: document.getElementById("cy"), style: makeStyle(), elements: [],
      minZoom: 0.02, maxZoom: 4, wheelSensitivity: 0.3, boxSelectionEnabled: false,
      textureOnViewport: big, hideEdgesOnViewport: big, motionBlur: false,
      pixelRatio: big ? 1 : "auto",
    });
    cy.on("tap", "node, edge", (event) => select(event.target));
    cy.on("viewport", placeLabelsSoon);
    cy.on("mouseover", "node", (event) => event.target.addClass("hover"));
    cy.on("mouseout", "node", (event) => event.target.removeClass("hover"));
    state.cy = cy;
    return cy;
  }

  // Sizes from evidence counts, computed once here rather than by style functions per frame.
  function prepare(elements) {
    for (const n of elements.nodes) {
      const d = n.data;
      const label = d.label || "";
      d.short = label.length > LABEL_CHARS ? label.slice(0, LABEL_CHARS - 1).trimEnd() + "…" : label;
      const base = d.kind === "state" ? 22 : 12;
      d.size = Math.min(60, base + 4 * Math.sqrt(d.evidence || 0));
    }
    for (const e of elements.edges) {
      const d = e.data;
      d.w = Math.min(10, 1 + 1.2 * Math.log2(1 + (d.evidence || 0)));
    }
    return elements;
  }

  function layoutFor(data) {
    // A big graph comes with positions from the server: a force layout of thousands of
    // nodes would hold the page for many seconds. A small one gets fcose's full layout.
    // Both are fitted by hand afterwards (fitNodes).
    if (data.layout === "preset") return { name: "preset", fit: false };
    return { name: "fcose", quality: "default", animate: false, randomize: true,
             nodeRepulsion: 6000, idealEdgeLength: 70, fit: false };
  }

  // Fits the viewport to the nodes alone, without their labels: Cytoscape's own fit would
  // measure every label first, and labels keep their size on screen anyway.
  function fitNodes() {
    const b = cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false });
    if (!(isFinite(b.x1) && isFinite(b.x2))) return;
    const pad = 40;
    const w = cy.width(), h = cy.height();
    const zoom = Math.min((w - 2 * pad) / Math.max(1, b.w), (h - 2 * pad) / Math.max(1, b.h), 2);
    cy.viewport({ zoom, pan: { x: (w - zoom * (b.x1 + b.x2)) / 2, y: (h - zoom * (b.y1 + b.y2)) / 2 } });
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
    // A large store is drawn a scope at a time: the server says what was left out.
    notice.textContent = data.notice || "";
    notice.hidden = !data.notice;
    const elements = prepare(data.elements);
    const count = elements.nodes.length;
    makeCy(count > 800);
    egoButton.disabled = true;
    state.selected = null;
    cy.add(elements);
    const t1 = performance.now();
    const layout = cy.layout(layoutFor(data));
    layout.one("layoutstop", () => {
      fitNodes();
      clearTimeout(labelTimer);
      placeLabels();
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

  // The filters that choose which reports the graph is read from (see web/graphview.py).
  function scopeParams() {
    const form = document.getElementById("filters");
    const params = new URLSearchParams();
    for (const name of ["state", "since", "until"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function graphUrl() {
    const form = document.getElementById("filters");
    const params = scopeParams();
    const kinds = [...form.querySelectorAll("input[name=kind]")];
    const checked = kinds.filter((k) => k.checked).map((k) => k.value);
    if (checked.length && checked.length < kinds.length) params.set("kind", checked.join(","));
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
      const params = scopeParams();
      params.set("iri", id);
      const response = await fetch(`${config.node}?${params}`);
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
    if (data.notice) parts.push(el("p", { class: "muted scope-notice" }, data.notice));
    if (data.url) parts.push(el("p", {}, el("a", { href: data.url, class: "entity-link" }, "Open its page →")));
    parts.push(el("h3", {}, `Evidence (${data.evidence_total})`));
    if (data.evidence.length) {
      const list = el("ul", { class: "evidence" });
      for (const e of data.evidence) {
        list.append(el("li", {}, el("q", {}, e.sentence), " ",
          el("span", { class: "src" }, el("a", { href: e.url, title: e.report }, e.report))));
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
    placeLabelsSoon();
    if (ele.isNode()) {
      // On a big graph each animation frame is a full redraw: jump there instead.
      const to = { center: { eles: ele }, zoom: Math.max(cy.zoom(), 1.2) };
      if (cy.nodes().length > 800) { cy.zoom(to.zoom); cy.center(ele); } else cy.animate(to, { duration: 300 });
    }
    showDetails(ele.id());
  }

  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load(graphUrl());
  });

  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = document.getElementById("search-input").value.trim().toLowerCase();
    if (!q || !cy) return;
    // Best match first: an exact label or ISO3 code, then a label starting with the words,
    // then one containing them; states before other kinds at the same rank.
    const rank = (n) => {
      const label = (n.data("label") || "").toLowerCase();
      const score = label === q || (n.data("iso3") || "").toLowerCase() === q ? 0
        : label.startsWith(q) ? 1 : label.includes(q) ? 2 : -1;
      return score < 0 ? -1 : score * 2 + (n.data("kind") === "state" ? 0 : 1);
    };
    const found = cy.nodes().map((n) => [rank(n), n]).filter(([r]) => r >= 0)
      .sort((a, b) => a[0] - b[0]);
    if (!found.length) { say(`No node matches “${q}”.`); return; }
    select(found[0][1]);
    say(found.length > 1 ? `${found.length} nodes match; showing the best.` : "Found.");
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
