"""kg/web/auth.py is the one place every write route asks: the endpoint, the Graph Store and
/upload agree on the token, on the scheme's case (RFC 7235: any case) and on refusals."""
from __future__ import annotations

import pytest

from kg.store import Store
from kg.web.app import create_app

TOKEN = "one-token"
UPDATE = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
REPORT = ("The foreign ministers of Ghana and Togo met in Accra on 3 May 2024 and agreed to "
          "open a joint border post.")


@pytest.fixture()
def client(tmp_path):
    store = Store.open(tmp_path / "kg")
    app = create_app(store)
    app.config["KG_UPDATE_TOKEN"] = TOKEN
    yield app.test_client()
    store.close()


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
