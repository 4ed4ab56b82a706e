// The query page: a CodeMirror editor, named queries as examples, results as a table whose
// graph IRIs link to their entity pages, and CSV/JSON downloads from the SPARQL endpoint.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-config").textContent);
  const statusLine = document.getElementById("query-status");
  const results = document.getElementById("results");
  const select = document.getElementById("example-select");
  const paramsBox = document.getElementById("example-params");
  const description = document.getElementById("example-description");
  const byName = Object.fromEntries(config.queries.map((q) => [q.name, q]));
  const state = { rows: null, columns: null, ready: false, ms: null };
  window.kgQuery = state;

  const START = [
    "PREFIX bkg: <https://bilateral-kg.org/ontology#>",
    "PREFIX dct: <http://purl.org/dc/terms/>",
    "SELECT ?report ?title ?date WHERE {",
    "  ?r a bkg:Report ; dct:identifier ?report .",
    "  OPTIONAL { ?r dct:title ?title }",
    "  OPTIONAL { ?r dct:date ?date }",
    "} ORDER BY ?report LIMIT 100",
  ].join("\n");

  const el = window.kgDom.el;

  // The editor; a plain textarea stands in when the libraries are not built.
  const holder = document.getElementById("editor");
  let editor;
  const initialText = config.initial.query || START;
  if (window.KGEditor) {
    editor = window.KGEditor.createEditor(holder, initialText, () => run());
  } else {
    const area = el("textarea", { rows: 14, class: "plain-editor", spellcheck: "false" });
    area.value = initialText;
    holder.append(area);
    editor = { getValue: () => area.value, setValue: (t) => { area.value = t; } };
  }
  state.editor = editor;

  function showParams(name) {
    paramsBox.replaceChildren();
    const q = byName[name];
    description.textContent = q ? [q.title, q.description].filter(Boolean).join(": ") : "";
    if (!q) return;
    for (const p of q.params) {
      paramsBox.append(el("label", { title: p.description },
        `${p.name}${p.required ? "*" : ""} `,
        el("input", { name: p.name, value: p.default || "", size: 14,
                      placeholder: p.required ? "required" : "optional" })));
    }
  }

  async function loadExample() {
    const name = select.value;
    if (!name) return;
    // A page of the listing (KG_PAGE_SIZE rows), which the endpoint reads as kg pages it;
    // the whole listing is the text without its LIMIT.
    const params = new URLSearchParams({ name, limit: config.pageSize });
    paramsBox.querySelectorAll("input").forEach((input) => {
      if (input.value.trim()) params.set(input.name, input.value.trim());
    });
    const response = await fetch(`${config.text}?${params}`);
    const data = await response.json();
    if (!response.ok) { statusLine.textContent = data.error; return; }
    editor.setValue(data.text);
    statusLine.textContent = `Loaded ${name}.`;
  }

  select.addEventListener("change", () => { showParams(select.value); loadExample(); });
  document.getElementById("examples").addEventListener("submit", (event) => {
    event.preventDefault();
    loadExample();
  });

  function post(accept) {
    return fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      body: new URLSearchParams({ query: editor.getValue() }),
    });
  }

  function cell(term) {
    if (!term) return el("td", { class: "unbound" });
    if (term.type === "uri") {
      const local = term.value.startsWith(config.idBase)
        ? "/id/" + term.value.slice(config.idBase.length) : null;
      // Only the web's own schemes become links: a result may hold any IRI (javascript:).
      if (!local && !/^https?:\/\//i.test(term.value)) {
        return el("td", { title: term.value }, term.value);
      }
      const link = el("a", { href: local || term.value, title: term.value }, term.value);
      return el("td", {}, link);
    }
    if (term.type === "bnode") return el("td", { class: "muted" }, `_:${term.value}`);
    return el("td", {}, term.value);
  }

  function showTable(data) {
    if (typeof data.boolean === "boolean") {
      results.replaceChildren(el("p", { class: "boolean" }, String(data.boolean)));
      state.rows = []; state.columns = [];
      return 1;
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const table = el("table", { class: "data results-table" });
    table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
    const body = el("tbody");
    for (const b of rows) body.append(el("tr", {}, ...vars.map((v) => cell(b[v]))));
    table.append(body);
    results.replaceChildren(table);
    state.rows = rows; state.columns = vars;
    return rows.length;
  }

  async function run() {
    state.ready = false;
    statusLine.textContent = "Running…";
    const t0 = performance.now();
    let response;
    try {
      response = await post("application/sparql-results+json, text/turtle;q=0.9");
    } catch (err) {
      statusLine.textContent = `Could not reach the endpoint: ${err.message}`;
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    const text = await response.text();
    state.ms = Math.round(performance.now() - t0);
    if (!response.ok) {
      results.replaceChildren(el("pre", { class: "error" }, text));
      statusLine.textContent = `The endpoint answered ${response.status}.`;
      state.ready = true;
      return;
    }
    if (type.includes("json")) {
      const n = showTable(JSON.parse(text));
      statusLine.textContent = `${n} row${n === 1 ? "" : "s"} in ${state.ms} ms.`;
    } else {
      results.replaceChildren(el("pre", { class: "turtle" }, text));
      statusLine.textContent = `Triples in ${state.ms} ms.`;
    }
    document.getElementById("download-csv").disabled = false;
    document.getElementById("download-json").disabled = false;
    state.ready = true;
  }

  async function download(accept, filename) {
    const response = await post(accept);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  document.getElementById("run-button").addEventListener("click", () => run());
  document.getElementById("download-csv").addEventListener("click",
    () => download("text/csv", `${select.value || "query"}-results.csv`));
  document.getElementById("download-json").addEventListener("click",
    () => download("application/sparql-results+json", `${select.value || "query"}-results.json`));

  if (config.initial.name) {
    select.value = config.initial.name;
    showParams(config.initial.name);
    loadExample();
  }
})();
