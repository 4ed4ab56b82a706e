"""The web viewer and SPARQL endpoint of bilateral-kg (`kg serve`).

The folder is the repository's top-level web/; it is imported as kg.web through the link
kg/web -> ../web (pyproject.toml), so the server is part of the one package kg.

  app.py            create_app(store, settings): the app, its Host check, body caps and
                    security headers; close_app(app) on shutdown
  settings.py       Settings: every KG_* value of the server, read and checked once
  state.py          AppState: the store, the viewer's cache, the query runner and the writer
                    thread of one app (app.extensions["kg"]), closed together
  auth.py           who may write: the update token and the refusals of every write route
  hosts.py          Host names: the loopback names, a Host header's name, the allow-list
  views/            the blueprints, one module per page family (views/__init__.py lists
                    them): the viewer's pages and JSON, the SPARQL and Graph Store
                    endpoint (views/sparql.py), the ontology page
  graphview.py      the graph page's networks, built from kg.network and cached
  runner.py         QueryRunner: queries with a deadline, in worker processes
  sparql_worker.py  the worker (`python -m kg.web.sparql_worker`), confined by no_network.py
  templates/, static/, queries/   the pages' Jinja templates, scripts and .rq queries

Inside kg.web a module imports only those below it in the list app, views, auth, state,
runner | graphview, settings | sparql_worker, hosts | no_network (pyproject.toml's import
contract): views read settings and the store from the state, never from os.environ or
app.config. kg.web is the top layer but kg.cli: it may import any stage of kg; no stage
imports it.
"""
