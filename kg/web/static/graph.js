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
  const state = { cy: null, ready: false, loadMs: null, layoutMs: null, selected: null };
  window.kgGraph = state;

  const el = window.kgDom.el;

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

  // A new instance per load: the renderer's speed settings are fixed when it is made, and a
  // big graph needs the cheap ones (a cached texture while panning or zooming, no edges).
  let cy = null;
  function makeCy(big) {
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: document.getElementById("cy"), style, elements: [],
      minZoom: 0.02, maxZoom: 4, wheelSensitivity: 0.3, boxSelectionEnabled: false,
      textureOnViewport: big, hideEdgesOnViewport: big, motionBlur: false,
      pixelRatio: big ? 1 : "auto",
    });
    cy.on("tap", "node, edge", (event) => select(event.target));
    state.cy = cy;
    return cy;
  }

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

  function layoutFor(data) {
    // A big graph comes with positions from the server: a force layout of thousands of
    // nodes would hold the page for many seconds. A small one gets fcose's full layout.
    // (fit is done by hand for them: Cytoscape's fit measures every label first.)
    if (data.layout === "preset") return { name: "preset", fit: false };
    return { name: "fcose", quality: "default", animate: false, randomize: true,
             nodeRepulsion: 6000, idealEdgeLength: 70, fit: true, padding: 30 };
  }

  // Fits the viewport to the nodes' positions alone, without measuring labels.
  function fitPositions(nodes) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of nodes) {
      if (!n.position) continue;
      x0 = Math.min(x0, n.position.x); x1 = Math.max(x1, n.position.x);
      y0 = Math.min(y0, n.position.y); y1 = Math.max(y1, n.position.y);
    }
    if (!isFinite(x0)) return;
    const pad = 40;
    const w = cy.width(), h = cy.height();
    const zoom = Math.min((w - 2 * pad) / Math.max(1, x1 - x0), (h - 2 * pad) / Math.max(1, y1 - y0), 2);
    cy.viewport({ zoom, pan: { x: (w - zoom * (x0 + x1)) / 2, y: (h - zoom * (y0 + y1)) / 2 } });
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
      if (data.layout === "preset") fitPositions(elements.nodes);
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

  // The filters that choose which reports the graph is read from (see kg/web/graphview.py).
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
