"""web/auth.py is the one place every write route asks: the endpoint, the Graph Store and
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
        # the ontology and the summary graph (kept by every writer) are there from the start
        "query": "ASK { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (<https://bilateral-kg.org/graph/"
                 "ontology>, <https://bilateral-kg.org/graph/summary>)) }"},
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


# ---------------------------------------------------------------- each decision, exactly
# The refusals above go through the routes; these ask web/auth.py directly, in a request
# context, for each branch and its exact answer (the mutation run of docs/testing.md).

REFUSED_ORIGIN = "refused: the form was sent from another site"
NEEDS_TOKEN = "a valid update token is required (Authorization: Bearer or the form's token)"
ONLY_HERE = ("no update token is configured (KG_UPDATE_TOKEN), so reports are accepted only "
             "from this machine")


@pytest.fixture(scope="module")
def memory_store():
    store = Store.memory()
    yield store
    store.close()


@pytest.fixture()
def ask(memory_store):
    """ask(settings, headers, remote=..., host=..., form=...) -> a request context of a POST
    to /upload on an app with those settings."""
    def context(settings: Settings, headers: dict | None = None, *, remote: str = "127.0.0.1",
                host: str = "localhost:5000", form: dict | None = None):
        app = create_app(memory_store, settings)
        return app.test_request_context("/upload", method="POST", base_url=f"http://{host}/",
                                        headers=headers or {}, data=form or {},
                                        environ_base={"REMOTE_ADDR": remote})
    return context


def test_the_token_is_the_settings_and_an_empty_one_is_none(ask):
    with ask(Settings(update_token=TOKEN)):
        assert auth.update_token() == TOKEN
    for empty in (None, ""):
        with ask(Settings(update_token=empty)):
            assert auth.update_token() is None


@pytest.mark.parametrize("header, token", [
    (f"Bearer {TOKEN}", TOKEN), (f"bearer {TOKEN}", TOKEN), (f"BeArEr {TOKEN}", TOKEN),
    (f"Bearer   {TOKEN}  ", TOKEN), ("Bearer", None), ("Bearer    ", None),
    (f"Basic {TOKEN}", None), (f"Bearer{TOKEN}", None), (f"Token {TOKEN}", None), ("", None)])
def test_the_bearer_token_of_a_header(ask, header, token):
    with ask(Settings(), {"Authorization": header} if header else {}):
        assert auth.bearer_token() == token


def test_the_bearer_token_of_no_header(ask):
    with ask(Settings()):
        assert auth.bearer_token() is None


@pytest.mark.parametrize("configured, header, carries", [
    (TOKEN, f"Bearer {TOKEN}", True), (TOKEN, "Bearer other", False),
    (TOKEN, f"Bearer {TOKEN}x", False), (TOKEN, None, False),
    (None, "Bearer anything", False), (None, None, False)])
def test_carries_the_update_token(ask, configured, header, carries):
    headers = {"Authorization": header} if header else {}
    with ask(Settings(update_token=configured), headers):
        assert auth.carries_update_token() is carries


def test_the_endpoint_refuses_every_write_when_no_token_is_set(ask):
    with ask(Settings(), {"Authorization": "Bearer anything"}):
        assert auth.endpoint_refusal() == (
            403, "this endpoint is read-only: updates and Graph Store writes are refused "
                 "(start kg serve with KG_UPDATE_TOKEN set to accept them)", {})


def test_the_endpoint_asks_for_the_token(ask):
    with ask(Settings(update_token=TOKEN)):
        assert auth.endpoint_refusal() == (
            401, "this write needs 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="kg"'})


@pytest.mark.parametrize("header", ["Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_the_endpoint_refuses_another_token(ask, header):
    with ask(Settings(update_token=TOKEN), {"Authorization": header}):
        assert auth.endpoint_refusal() == (
            401, "wrong token: this write needs the server's bearer token",
            {"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})


def test_the_endpoint_takes_the_token(ask):
    with ask(Settings(update_token=TOKEN), {"Authorization": f"Bearer {TOKEN}"}):
        assert auth.endpoint_refusal() is None


@pytest.mark.parametrize("headers, form, why", [
    ({"Authorization": f"Bearer {TOKEN}"}, {}, None),
    ({}, {"token": TOKEN}, None),
    ({}, {}, NEEDS_TOKEN),
    ({}, {"token": "wrong"}, NEEDS_TOKEN),
    # The header's token is the one asked, even with the right one in the form.
    ({"Authorization": "Bearer wrong"}, {"token": TOKEN}, NEEDS_TOKEN),
    ({"Authorization": f"Bearer {TOKEN}"}, {"token": "wrong"}, None),
])
def test_an_upload_with_a_token_configured(ask, headers, form, why):
    # From anywhere: with a token, the address, Host and Origin do not matter.
    with ask(Settings(update_token=TOKEN), {**headers, "Origin": "http://evil.example"},
             remote="192.0.2.7", host="kg.example.org", form=form):
        assert auth.upload_refusal() == why


@pytest.mark.parametrize("remote", ["192.0.2.7", "10.0.0.1", "not an address", ""])
def test_an_upload_without_a_token_from_another_machine(ask, remote):
    with ask(Settings(), remote=remote):
        assert auth.upload_refusal() == ONLY_HERE


@pytest.mark.parametrize("remote", ["127.0.0.1", "127.0.0.2", "::1"])
def test_an_upload_without_a_token_from_this_machine(ask, remote):
    with ask(Settings(), remote=remote):
        assert auth.upload_refusal() is None


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5000", "[::2]:80"])
def test_an_upload_without_a_token_addressed_by_another_name(ask, host):
    with ask(Settings(allowed_hosts=None), remote="127.0.0.1", host=host):
        assert auth.upload_refusal() == (
            f"{ONLY_HERE} addressed as 127.0.0.1, localhost, ::1, not as Host {host!r}")


@pytest.mark.parametrize("host", ["localhost:5000", "127.0.0.1", "[::1]:5000", "LocalHost:5000"])
def test_an_upload_without_a_token_addressed_by_a_loopback_name(ask, host):
    with ask(Settings(), remote="127.0.0.1", host=host):
        assert auth.upload_refusal() is None


@pytest.mark.parametrize("header, value, why", [
    ("Origin", "http://evil.example", REFUSED_ORIGIN),
    ("Origin", "http://localhost:6000", REFUSED_ORIGIN),
    ("Origin", "null", REFUSED_ORIGIN),
    ("Referer", "http://evil.example/upload", REFUSED_ORIGIN),
    ("Origin", "http://localhost:5000", None),
    ("Origin", "http://LOCALHOST:5000", None),
    ("Referer", "http://localhost:5000/upload", None),
])
def test_an_upload_without_a_token_from_a_page(ask, header, value, why):
    with ask(Settings(), {header: value}, remote="127.0.0.1", host="localhost:5000"):
        assert auth.upload_refusal() == why


def test_the_origin_is_compared_with_the_host_in_any_case(ask):
    with ask(Settings(), {"Origin": "http://localhost:5000"}, host="LOCALHOST:5000"):
        assert auth.upload_refusal() is None


def test_the_origin_goes_before_the_referer(ask):
    headers = {"Origin": "http://localhost:5000", "Referer": "http://evil.example/"}
    with ask(Settings(), headers):
        assert auth.upload_refusal() is None
    headers = {"Origin": "http://evil.example", "Referer": "http://localhost:5000/upload"}
    with ask(Settings(), headers):
        assert auth.upload_refusal() == REFUSED_ORIGIN


def test_an_upload_without_a_token_and_without_a_host_header(memory_store):
    """An HTTP/1.0 client may send no Host: refused as another name, not a crash."""
    from werkzeug.test import EnvironBuilder

    app = create_app(memory_store, Settings())
    environ = EnvironBuilder(path="/upload", method="POST",
                             environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
    del environ["HTTP_HOST"]
    with app.request_context(environ):
        assert auth.upload_refusal() == (
            f"{ONLY_HERE} addressed as 127.0.0.1, localhost, ::1, not as Host ''")
