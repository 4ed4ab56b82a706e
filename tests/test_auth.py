"""kg/web/auth.py is the one place every write route asks: the endpoint, the Graph Store and
/upload agree on the token, on the scheme's case (RFC 7235: any case) and on refusals."""
from __future__ import annotations

import pytest

from kg.store import Store
from kg.web import auth
from kg.web.app import close_app, create_app
from kg.web.settings import Settings

TOKEN = "one-token"
UPDATE = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
REPORT = ("The foreign ministers of Ghana and Togo met in Accra on 3 May 2024 and agreed to "
          "open a joint border post.")


@pytest.fixture()
def client(tmp_path):
    store = Store.open(tmp_path / "kg")
    app = create_app(store, Settings(update_token=TOKEN))
    yield app.test_client()
    close_app(app)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_every_write_route_takes_the_scheme_in_any_case(client, scheme):
    header = {"Authorization": f"{scheme} {TOKEN}"}
    r = client.post("/sparql", data=UPDATE, headers={**header,
                                                     "Content-Type": "application/sparql-update"})
    assert r.status_code == 204
    r = client.put("/service?graph=http://example.org/h", headers={
        **header, "Content-Type": "application/n-triples"},
        data="<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    assert r.status_code == 201
    r = client.post("/upload", headers={**header, "Accept": "application/json"},
                    data={"id": f"auth-{scheme}", "text": REPORT, "published": "2024-05-03"})
    assert r.status_code == 200 and r.get_json()["reports"] == [f"auth-{scheme}"]


@pytest.mark.parametrize("header", ["Bearer wrong", "Basic b25lLXRva2Vu", f"Token {TOKEN}",
                                    "Bearer", f"Bearer{TOKEN}"])
def test_every_write_route_refuses_what_is_not_the_token(client, header):
    r = client.post("/sparql", data=UPDATE, headers={
        "Authorization": header, "Content-Type": "application/sparql-update"})
    assert r.status_code == 401
    r = client.post("/upload", headers={"Authorization": header},
                    data={"id": "refused", "text": REPORT})
    assert r.status_code == 401
    ask = client.get("/sparql", query_string={
        "query": "ASK { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://bilateral-kg.org/graph/ontology>) }"},
        headers={"Accept": "application/sparql-results+json"})
    assert ask.get_json()["boolean"] is False


@pytest.mark.parametrize("name, value", [("KG_QUERY_TIMEOUT", "soon"),
                                         ("KG_QUERY_WORKERS", "0"),
                                         ("KG_RESULT_LIMIT", "-5"),
                                         ("KG_QUERY_MEMORY", "lots"),
                                         ("KG_QUERY_BUSY_TIMEOUT", "2x")])
def test_a_bad_limit_stops_the_app_at_start_up(tmp_path, monkeypatch, name, value):
    """Was a 500 on every query, read at the first request."""
    monkeypatch.setenv(name, value)
    store = Store.open(tmp_path / "kg")
    try:
        with pytest.raises(ValueError, match=f"{name}='{value}'"):
            create_app(store)
    finally:
        store.close()


def test_kg_serve_names_a_bad_limit(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KG_QUERY_TIMEOUT": "soon"}
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store",
                           str(tmp_path / "kg"), "--port", "1"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "KG_QUERY_TIMEOUT='soon'" in done.stderr and "Traceback" not in done.stderr
