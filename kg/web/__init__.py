"""The web viewer and SPARQL endpoint of bilateral-kg (`kg serve`): the app factory
(app.py: Host checks, body caps, headers), the viewer's pages (pages.py, graphview.py,
ontology_page.py), the SPARQL 1.1 Protocol and Graph Store endpoints (sparql.py) and the
query workers they run (sparql_worker.py, confined by no_network.py); templates, static files
and the pages' own queries (queries/*.rq) beside them.

The top layer but kg.cli: it may import any stage of kg (pyproject.toml's import contract);
no stage imports it.
"""
