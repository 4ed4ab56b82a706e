// Bundles the viewer's front-end libraries (installed from npm by `npm ci`) into
// web/static/vendor/, which the pages load. Run with `npm run build`; the output is not committed.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "vendor");
mkdirSync(out, { recursive: true });

const entries = {
  "graph-libs.js": join(here, "graph-libs.js"),   // cytoscape + fcose layout
  "editor.js": join(here, "editor.js"),           // CodeMirror 6 with SPARQL highlighting
};
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [entry], bundle: true, minify: true, format: "iife",
    target: ["es2020"], outfile: join(out, name), legalComments: "linked", logLevel: "warning",
  });
}
// The server checks this marker to tell a missing build from a broken one.
writeFileSync(join(out, "BUILT"), new Date().toISOString() + "\n");
console.log(`front-end built into ${out}`);
