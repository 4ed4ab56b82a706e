// The report page: a click on a highlighted passage lists the facts read there; pointing at a
// fact in the list lights up every passage it was read from. Text goes in with textContent.
(function () {
  "use strict";
  const facts = JSON.parse(document.getElementById("report-facts").textContent);
  const panel = document.getElementById("fact-panel");
  const text = document.getElementById("report-text");

  const el = window.kgDom.el;

  function light(ids) {
    text.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
    if (!ids) return;
    text.querySelectorAll("mark[data-facts]").forEach((m) => {
      if (m.dataset.facts.split(" ").some((id) => ids.includes(id))) m.classList.add("active");
    });
  }

  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-facts]");
    if (!mark) return;
    const ids = mark.dataset.facts.split(" ");
    const list = el("ul", { class: "facts" });
    for (const id of ids) {
      const f = facts[id];
      if (!f) continue;
      const label = f.url ? el("a", { href: f.url }, f.label) : document.createTextNode(f.label);
      list.append(el("li", {}, el("span", { class: `swatch k-${f.kind}` }), `${f.kind}: `, label));
    }
    panel.replaceChildren(el("h2", {}, "Read here"), el("blockquote", {}, mark.textContent), list);
    light(ids);
  });

  document.querySelectorAll("li[data-fact]").forEach((li) => {
    li.addEventListener("mouseenter", () => light([li.dataset.fact]));
    li.addEventListener("mouseleave", () => light(null));
  });
})();
