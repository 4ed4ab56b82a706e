"""The Flask app behind `kg serve`: an index page and the SPARQL endpoint of web/sparql.py.

`create_app(store)` is an app factory; the pages live in one blueprint so that the viewer can
grow beside them.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from kg import queries
from kg.vocabulary import BKG
from web.ontology_page import ontology_bp
from web.pages import bp as pages_bp
from web.sparql import bp as sparql_bp

bp = Blueprint("kg", __name__, template_folder="templates")


def create_app(store, *, viewer_max_reports: int | None = None) -> Flask:
    """The app serving `store`. A store of more than `viewer_max_reports` reports (default
    web.graphview.MAX_REPORTS) is drawn by the graph page a scope at a time."""
    app = Flask(__name__)
    app.config["KG_STORE"] = store
    if viewer_max_reports is not None:
        if viewer_max_reports < 1:
            raise ValueError(f"viewer_max_reports: expected 1 or more, got {viewer_max_reports}")
        app.config["KG_VIEWER_MAX_REPORTS"] = viewer_max_reports
    # The viewer (web/pages.py) first: its home page is the one served at /.
    app.register_blueprint(pages_bp)
    app.register_blueprint(bp)
    # The SPARQL 1.1 Protocol endpoint (/sparql) and Graph Store Protocol (/service).
    app.register_blueprint(sparql_bp)
    # The ontology's reference (web/ontology_page.py), at /ontology.
    app.register_blueprint(ontology_bp)
    return app


def _store():
    return current_app.config["KG_STORE"]


@bp.get("/")
def index():
    named = []
    for name in queries.available():
        try:
            named.append(queries.describe(queries.load(name)))
        except queries.QueryError as e:
            named.append({"name": name, "title": "", "description": str(e), "params": []})
    return render_template("index.html", stats=_store().stats(), queries=named,
                           bkg=str(BKG))
