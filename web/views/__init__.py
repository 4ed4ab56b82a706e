"""The views of `kg serve`, one module per page family, as Flask blueprints.

The viewer (blueprint "pages"; templates in web/templates, queries in web/queries):

- viewer.py     the blueprint, its template helpers, the state and queries its pages read
- links.py      the page of an IRI or a report; which stored values may be links
- home.py       `/`: the store's counts, states, latest reports, named queries
- graph.py      `/graph`, an interactive network (Cytoscape.js), and its JSON: `/api/graph`,
                `/api/node`, `/api/ego` (networks built and cached by web/graphview.py)
- query.py      `/query`, a SPARQL editor (CodeMirror) over `/sparql`, with the named
                queries as examples (`/api/query-text` binds their params)
- entities.py   `/id/<path>`: every IRI under kg.vocabulary.ID as HTML, Turtle or JSON-LD;
                states, people and agreements with their own sections
- reports.py    `/report/<id>`: a report's text with each fact highlighted where it was read
- upload.py     `/upload`: paste or upload a report (web/auth.py decides who may)
- warm.py       what create_app reads of a large store before kg serve answers

Beside it, two blueprints of their own:

- sparql.py     "sparql": the SPARQL 1.1 Protocol endpoint (`/sparql`) and the Graph Store
                Protocol (`/service`), run by web/runner.py
- ontology.py   "ontology": `/ontology`, the ontology's reference

Every SPARQL query is a .rq file: the named queries of `queries/` and the page queries of
`web/queries/`, whose `?node`/`?report` are bound by substitution (pyoxigraph's
`substitutions`) or, where a page query marks its groups with `# bind: node` lines, by VALUES
there (viewer.page): Oxigraph plans a substitution as an unbound variable filtered
after its patterns are read, and carries it into no subquery.
Templates autoescape; data reaches scripts only as JSON (`tojson`), never as markup.

Views read the app's settings and store through web/state.py, never os.environ or
app.config. They may import the rest of kg.web (but not web/app.py) and any stage of kg.
"""
from __future__ import annotations

# Each family module adds its routes to the viewer's blueprint when imported.
from kg.web.views import entities, graph, home, query, reports, upload  # noqa: F401
from kg.web.views.ontology import bp as ontology_bp
from kg.web.views.sparql import bp as sparql_bp
from kg.web.views.viewer import bp as viewer_bp

__all__ = ["viewer_bp", "sparql_bp", "ontology_bp"]
