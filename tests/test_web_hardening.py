"""The server against hostile requests (issue 13): the Host allow-list (DNS rebinding), body
caps per route, waitress's connection limits, the security headers on every response, no Host
echoed into headers, report URLs that are not http(s) never links, named-query params that
cannot break out of their term, and every write route refused without its token.

Where the defect would be in the server (waitress, its options, the headers it sends), the
test runs a real `kg serve` (tests/kg_server.py); the rest use Flask's test client.
"""
from __future__ import annotations

import csv
import html
import http.client
import io
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest

from kg import cli
from kg import queries as Q
from kg import vocabulary as V
from kg.library import KnowledgeGraph, QueryError
import helpers
from kg_server import free_port, kg_serve
from kg.store import Store
from kg.web.app import DATA_CSP, VIEWER_CSP, close_app, create_app
from kg.web.settings import Settings
from kg.web.hosts import allowed_host_set, host_name
from kg.web.state import state
from kg.web.views.links import safe_href

TOKEN = "s3cret-token"
TEXT = ("ACCRA, February 14. Foreign Minister of Ghana Kwame Asante held talks with Foreign "
        "Minister of Nigeria Chinedu Okoro in Accra on February 13, 2024.\n\n"
        "A Memorandum of Understanding on Cross-Border Trade was signed in Accra on February "
        "13, 2024 by Ghana and Nigeria.")
OTHER_TEXT = "ABUJA, May 20. Nigeria and Togo signed an Agreement on Road Transport in Abuja."
TARGET = "target-report"
TARGET_GRAPH = V.GRAPH + "report/" + TARGET
# Small caps for the token server, so that the tests send kilobytes, not megabytes.
CAPS = {"KG_MAX_QUERY_BYTES": "100000", "KG_MAX_UPDATE_BYTES": "2000000",
        "KG_MAX_REPORT_BYTES": "200000"}
# Everything stored, one row a quad (named graphs) plus the union default graph's triples.
SNAPSHOT = ("SELECT ?g ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } "
            "ORDER BY ?g ?s ?p ?o")


def call(url: str, method: str = "GET", body: bytes | str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30):
    """helpers.call, with the body as text."""
    status, got, raw = helpers.call(url, method, body, headers, timeout)
    return status, got, raw.decode("utf-8", "replace")


def _store_with_target(folder):
    with KnowledgeGraph.open(folder) as kg:
        kg.ingest_text(TEXT, TARGET, published="2024-02-14", title="Target")
    return folder


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    """A real server with the update token and small body caps, holding one report."""
    folder = _store_with_target(tmp_path_factory.mktemp("token") / "kg")
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": TOKEN, **CAPS}) as served:
        yield served


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """A real server with no token configured (as `make run` serves), holding one report."""
    folder = _store_with_target(tmp_path_factory.mktemp("open") / "kg")
    with kg_serve(folder) as served:
        yield served


@pytest.fixture
def kg():
    graph = KnowledgeGraph.memory()
    graph.ingest_text(TEXT, TARGET, published="2024-02-14", title="Target")
    yield graph
    graph.close()


@pytest.fixture
def app(kg, monkeypatch):
    for name in ("KG_UPDATE_TOKEN", "KG_ALLOWED_HOSTS", "KG_MAX_QUERY_BYTES",
                 "KG_MAX_UPDATE_BYTES", "KG_MAX_REPORT_BYTES"):
        monkeypatch.delenv(name, raising=False)
    return create_app(kg.store)


@pytest.fixture
def client(app):
    return app.test_client()


def _configure(app, **changes) -> None:
    """The app's settings with `changes` (the app is this test's own: see the fixture)."""
    state(app).settings = state(app).settings.replace(**changes)


# ================================================================ 1. Host allow-list

def test_a_rebinding_page_cannot_overwrite_a_report(open_server):
    """No token (as `make run`): a page at evil.example whose name resolves to 127.0.0.1
    posts to /upload with its own name as Host and Origin; it used to replace the report."""
    evil = f"evil.example:{open_server.port}"
    form = urllib.parse.urlencode({"id": TARGET, "text": OTHER_TEXT})
    status, headers, text = call(open_server.url + "/upload", "POST", form, {
        "Host": evil, "Origin": f"http://{evil}",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400, text
    assert "Host 'evil.example:" in text and "--allowed-host evil.example" in text
    assert "KG_ALLOWED_HOSTS=evil.example" in text
    assert headers["Content-Type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, page = call(f"{open_server.url}/report/{TARGET}")
    assert status == 200 and "Cross-Border Trade" in page and "Road Transport" not in page
    # and the endpoint, in another blueprint, refuses that Host too
    status, _, text = call(open_server.url + "/sparql?query=ASK%7B%7D", headers={"Host": evil})
    assert status == 400 and "evil.example" in text


ROUTES = ["/", "/graph", "/query", "/id/state/GHA", f"/report/{TARGET}", "/upload",
          "/api/graph", "/api/query-text?name=states", "/sparql?query=ASK%7B%7D", "/sparql",
          "/service?default", "/ontology", "/static/viewer.css", "/no-such-page"]


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_refuses_another_host(client, path):
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert "evil.example" in r.get_data(as_text=True)
    assert client.get(path).status_code != 400  # Host: localhost, the test client's


def test_writes_are_refused_from_another_host(client, app, kg):
    _configure(app, update_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}", "Host": "evil.example"}
    before = kg.store.report_ids()
    r = client.post("/sparql", data="CLEAR ALL", headers=auth,
                    content_type="application/sparql-update")
    assert r.status_code == 400
    r = client.post("/upload", data={"id": TARGET, "text": OTHER_TEXT}, headers=auth)
    assert r.status_code == 400
    assert kg.store.report_ids() == before and kg.report(TARGET).title == "Target"


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "localhost:5000", "127.0.0.1",
                                  "127.0.0.1:8000", "[::1]", "[::1]:5000", "localhost."])
def test_loopback_names_are_always_served(client, host):
    assert client.get("/sparql?query=ASK%7B%7D", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil",
                                  "evil.example:80", "127.0.0.2", "[::2]", "local host",
                                  "localhost:x", "[::1", "localhost@evil.example", ""])
def test_other_hosts_are_refused(client, host):
    assert client.get("/sparql?query=ASK%7B%7D", headers={"Host": host}).status_code == 400


def test_allowed_hosts_by_argument_and_environment(kg, monkeypatch):
    monkeypatch.delenv("KG_ALLOWED_HOSTS", raising=False)
    app = create_app(kg.store, allowed_hosts=["kg.example.org", "[2001:db8::1]"])
    client = app.test_client()
    for host in ("kg.example.org", "KG.example.org:8443", "[2001:db8:0::1]:80", "localhost"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/", headers={"Host": "other.example.org"}).status_code == 400
    monkeypatch.setenv("KG_ALLOWED_HOSTS", " a.example , b.example,")
    client = create_app(kg.store).test_client()
    for host, status in (("a.example", 200), ("b.example:1", 200), ("c.example", 400)):
        assert client.get("/sparql", headers={"Host": host}).status_code == status, host
    monkeypatch.setenv("KG_ALLOWED_HOSTS", "*")
    assert create_app(kg.store).test_client().get(
        "/sparql", headers={"Host": "anything.example"}).status_code == 200


@pytest.mark.parametrize("entry", ["http://kg.example.org", "kg.example.org:8080",
                                   "kg.example.org/path", "a b", "[::1"])
def test_a_bad_allowed_host_is_a_clear_error(entry, tmp_path, capsys):
    with pytest.raises(ValueError, match=r"allowed host .*--allowed-host"):
        allowed_host_set([entry])
    code = cli.main(["serve", "--store", str(tmp_path / "kg"), "--allowed-host", entry])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("kg serve: allowed host") and entry in err


def test_host_names():
    assert host_name("LocalHost:5000") == "localhost"
    assert host_name("[::1]:80") == host_name("[0:0:0:0:0:0:0:1]") == "::1"
    assert host_name("::1") is None and host_name("a:b:c") is None
    assert allowed_host_set(["*"]) is None
    assert allowed_host_set(["::1", "Example.ORG."]) == {"127.0.0.1", "localhost", "::1",
                                                         "example.org"}


def test_serve_allows_its_specific_bound_host():
    assert cli._served_names("0.0.0.0") == [] and cli._served_names("::") == []
    assert cli._served_names("192.0.2.10") == ["192.0.2.10"]
    assert cli._served_names("kg.example.org") == ["kg.example.org"]


def test_serve_allowed_host_option(tmp_path):
    folder = _store_with_target(tmp_path / "kg")
    with kg_serve(folder, args=["--allowed-host", "kg.example.org"]) as served:
        url = served.url + "/sparql?query=ASK%7B%7D"
        assert call(url, headers={"Host": f"kg.example.org:{served.port}"})[0] == 200
        assert call(url, headers={"Host": f"localhost:{served.port}"})[0] == 200
        assert call(url, headers={"Host": f"other.example.org:{served.port}"})[0] == 400


def test_any_host_still_never_uploads_without_token_from_another_host(kg, monkeypatch):
    """`*` (behind a proxy): every Host is served, but a tokenless upload must still be
    addressed to a loopback name from a page of the same site."""
    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    client = create_app(kg.store, allowed_hosts=["*"]).test_client()
    form = {"id": TARGET, "text": OTHER_TEXT}
    for headers in ({"Host": "evil.example"},
                    {"Host": "evil.example", "Origin": "http://evil.example"},
                    {"Host": "localhost", "Origin": "http://evil.example"},
                    {"Host": "localhost", "Origin": "null"},
                    {"Host": "localhost", "Referer": "http://evil.example/page"}):
        r = client.post("/upload", data=form, headers=headers)
        assert r.status_code == 403, headers
    assert "not as Host 'evil.example'" in html.unescape(client.post(
        "/upload", data=form, headers={"Host": "evil.example"}).get_data(as_text=True))
    assert kg.report(TARGET).title == "Target"
    r = client.post("/upload", data=form, headers={"Host": "localhost:5000",
                                                   "Origin": "http://localhost:5000"})
    assert r.status_code == 303 and kg.report(TARGET).title is None


# ================================================================ 2. body caps

def test_a_big_query_is_refused_before_it_is_read(token_server):
    base = token_server.url
    query = "ASK { }" + " " * 150_000
    form = urllib.parse.urlencode({"query": query})
    status, headers, text = call(base + "/sparql", "POST", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and headers["Content-Type"].startswith("text/plain")
    assert "POST /sparql" in text and "100,000 bytes (KG_MAX_QUERY_BYTES)" in text
    assert "KG_MAX_UPDATE_BYTES" in text
    status, _, text = call(base + "/sparql", "POST", query,
                           {"Content-Type": "application/sparql-query"})
    assert status == 413 and "KG_MAX_QUERY_BYTES" in text
    # Without the token an update gets the query's cap: it would be refused anyway.
    status, _, text = call(base + "/sparql", "POST", "CLEAR ALL" + " " * 150_000,
                           {"Content-Type": "application/sparql-update",
                            "Authorization": "Bearer wrong"})
    assert status == 413 and "KG_MAX_QUERY_BYTES" in text
    # a small one is answered
    assert call(base + "/sparql", "POST", "ASK {}",
                {"Content-Type": "application/sparql-query"})[0] == 200


def test_a_chunked_query_is_capped_too(token_server):
    """No Content-Length: waitress reassembles the chunks; the cap still holds."""
    conn = http.client.HTTPConnection("127.0.0.1", token_server.port, timeout=30)
    chunks = (b"ASK { }" if i == 0 else b" " * 10_000 for i in range(16))
    conn.request("POST", "/sparql", body=chunks, encode_chunked=True,
                 headers={"Content-Type": "application/sparql-query",
                          "Transfer-Encoding": "chunked"})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    assert response.status == 413 and "KG_MAX_QUERY_BYTES" in text


def test_updates_with_the_token_take_the_larger_cap(token_server):
    base = token_server.url
    big = "x" * 600_000
    update = f'INSERT DATA {{ GRAPH <http://example.org/big> {{ <http://example.org/s> ' \
             f'<http://example.org/p> "{big}" }} }}'
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, text = call(base + "/sparql", "POST", urllib.parse.urlencode({"update": update}),
                           {**auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 204, text
    status, _, text = call(base + "/service?graph=http://example.org/big", "PUT",
                           "<http://example.org/s> <http://example.org/p> \"" + big + "\" .\n",
                           {**auth, "Content-Type": "application/n-triples"})
    assert status == 204, text
    assert call(base + "/service?graph=http://example.org/big", "DELETE",
                headers=auth)[0] == 204


def test_the_update_cap_is_named(client, app):
    _configure(app, update_token=TOKEN, max_update_bytes=5000)
    r = client.post("/sparql", data="CLEAR ALL" + " " * 6000,
                    content_type="application/sparql-update",
                    headers={"Authorization": f"Bearer {TOKEN}"})
    text = r.get_data(as_text=True)
    assert r.status_code == 413 and "5,000 bytes (KG_MAX_UPDATE_BYTES)" in text


def test_waitress_refuses_a_body_over_every_cap_before_buffering_it(token_server):
    """The headers alone announce 2.5 MB (more than any route takes): waitress answers 413
    at once, without waiting for (and buffering) the body."""
    with socket.create_connection(("127.0.0.1", token_server.port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/sparql-update\r\n"
                  b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
                  b"Content-Length: 2500000\r\n\r\n")
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer


def test_a_huge_get_is_a_clear_4xx(token_server):
    conn = http.client.HTTPConnection("127.0.0.1", token_server.port, timeout=30)
    conn.request("GET", "/sparql?query=" + "a" * 300_000)
    response = conn.getresponse()
    text = response.read()
    conn.close()
    assert response.status == 431 and b"max_header" in text
    assert call(token_server.url + "/sparql?query=ASK%7B%7D")[0] == 200


def test_upload_cap_is_the_report_limit_plus_form(kg, monkeypatch):
    monkeypatch.setenv("KG_MAX_REPORT_BYTES", "1000")  # read once, by create_app
    client = create_app(kg.store).test_client()
    content = b"---\nid: huge\n---\n" + b"word " * 20_000
    r = client.post("/upload", data={"file": (io.BytesIO(content), "huge.txt")},
                    content_type="multipart/form-data")
    text = r.get_data(as_text=True)
    assert r.status_code == 413 and r.mimetype == "text/plain"
    assert "POST /upload" in text and "1,000 bytes (KG_MAX_REPORT_BYTES)" in text
    assert "huge" not in kg.store.report_ids()


def test_a_pasted_report_may_be_longer_than_flasks_form_field_limit(client, kg):
    """Flask refuses a multipart text field over 500 kB (MAX_FORM_MEMORY_SIZE) unless told
    otherwise: the upload form's pasted text may be as long as a report may be (512 KiB). An
    id left empty makes the request cheap: the form is read, then refused for the id."""
    text = "Talks continued. " * 30_000  # 510,000 bytes: over Flask's limit, under ours
    r = client.post("/upload", data={"id": "", "text": text},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "give the report&#39;s id" in r.get_data(as_text=True)


def test_other_routes_take_the_query_cap(client, app):
    _configure(app, max_query_bytes=1000)
    r = client.post("/graph", data=b"x" * 5000)
    assert r.status_code == 413 and "KG_MAX_QUERY_BYTES" in r.get_data(as_text=True)


def test_a_bad_cap_setting_is_a_clear_error(kg, monkeypatch):
    monkeypatch.setenv("KG_MAX_UPDATE_BYTES", "lots")
    with pytest.raises(ValueError, match="KG_MAX_UPDATE_BYTES='lots'"):
        create_app(kg.store)


def test_a_bad_setting_given_explicitly_is_a_clear_error():
    with pytest.raises(ValueError, match=r"query_workers=0 \(KG_QUERY_WORKERS\)"):
        Settings(query_workers=0)
    with pytest.raises(ValueError, match=r"query_timeout='30' \(KG_QUERY_TIMEOUT\)"):
        Settings(query_timeout="30")
    assert Settings(query_queue=0, result_bytes=0).query_queue == 0  # 0: none / no cap


def test_the_environment_is_read_once_at_start_up(kg, monkeypatch):
    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    app = create_app(kg.store)
    monkeypatch.setenv("KG_UPDATE_TOKEN", TOKEN)  # too late: the app has its settings
    r = app.test_client().post("/sparql", data="CLEAR ALL",
                               content_type="application/sparql-update",
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and state(app).settings.update_token is None


def test_closing_the_app_stops_its_query_workers_and_closes_the_store(tmp_path):
    store = Store.open(tmp_path / "kg")
    app = create_app(store, Settings())
    r = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert r.status_code == 200
    workers = list(state(app).runner._live)
    assert workers and all(w.process.poll() is None for w in workers)
    close_app(app)
    assert all(w.process.poll() is not None for w in workers) and store.closed
    close_app(app)  # twice is harmless


@pytest.mark.slow
def test_kg_serve_stops_on_sigterm(tmp_path):
    """SIGTERM is taken as Ctrl-C: waitress returns and kg serve closes its app (its query
    workers and store) and exits 0, instead of dying with the signal."""
    Store.open(tmp_path / "kg").close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store",
                               str(tmp_path / "kg"), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:  # a query, so that worker processes run
                if call(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


# ================================================================ 3. waitress limits

def test_half_open_connections_do_not_block_the_server(open_server):
    """150 connections that send nothing (waitress's default limit was 100, each kept for
    120 s): a normal request is still answered at once."""
    sockets = [socket.create_connection(("127.0.0.1", open_server.port), timeout=10)
               for _ in range(150)]
    try:
        start = time.monotonic()
        status, _, page = call(open_server.url + "/", timeout=10)
        assert status == 200 and "bilateral-kg" in page
        assert time.monotonic() - start < 5
    finally:
        for s in sockets:
            s.close()


@pytest.mark.slow
def test_idle_connections_are_closed(tmp_path):
    """Past --connection-limit new connections wait; idle ones are closed after
    --channel-timeout, so the waiting ones get their turn."""
    folder = _store_with_target(tmp_path / "kg")
    with kg_serve(folder, args=["--connection-limit", "20", "--channel-timeout", "2"]) as served:
        idle = [socket.create_connection(("127.0.0.1", served.port), timeout=30)
                for _ in range(30)]
        try:
            start = time.monotonic()
            status, _, _ = call(served.url + "/sparql?query=ASK%7B%7D", timeout=30)
            assert status == 200 and time.monotonic() - start < 20
            assert idle[0].recv(1) == b""  # closed by the server
        finally:
            for s in idle:
                s.close()


def _options(args, max_body: int) -> dict:
    return cli._waitress_options(args, cli._serve_settings(args), max_body)


def test_waitress_options(monkeypatch):
    for name in ("KG_CONNECTION_LIMIT", "KG_CHANNEL_TIMEOUT", "KG_QUERY_WORKERS",
                 "KG_QUERY_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    args = cli.build_parser().parse_args(["serve"])
    options = _options(args, 5_000_000)
    # 4 query workers, the reserve and 4 waiting can hold 9 threads; 8 more stay for pages.
    assert options["threads"] == 17 and options["asyncore_use_poll"] is True
    assert options["connection_limit"] == 500 and options["channel_timeout"] == 20
    assert options["cleanup_interval"] <= 5 and options["max_request_body_size"] == 5_000_001
    assert options["host"] == "127.0.0.1" and options["port"] == 5000
    monkeypatch.setenv("KG_CONNECTION_LIMIT", "300")
    monkeypatch.setenv("KG_CHANNEL_TIMEOUT", "7")
    options = _options(args, 1)
    assert options["connection_limit"] == 300 and options["channel_timeout"] == 7
    args = cli.build_parser().parse_args(["serve", "--connection-limit", "50"])
    assert _options(args, 1)["connection_limit"] == 50
    monkeypatch.setenv("KG_QUERY_WORKERS", "2")
    monkeypatch.setenv("KG_QUERY_QUEUE", "0")
    assert _options(args, 1)["threads"] == 2 + 1 + 0 + 8
    monkeypatch.setenv("KG_QUERY_QUEUE", "-1")
    with pytest.raises(cli.UserError, match="KG_QUERY_QUEUE='-1'"):
        _options(args, 1)
    monkeypatch.delenv("KG_QUERY_QUEUE")
    monkeypatch.setenv("KG_CHANNEL_TIMEOUT", "soon")
    with pytest.raises(cli.UserError, match="KG_CHANNEL_TIMEOUT='soon'"):
        _options(args, 1)


# ================================================================ 4. headers

VIEWER_PAGES = ["/", "/graph", "/query", "/id/state/GHA", "/id/state/GHA?format=ttl",
                "/id/state/ZZZ", f"/report/{TARGET}", "/report/no-such-report", "/upload",
                "/api/graph", "/api/node?iri=x", "/api/query-text?name=nope", "/ontology"]
DATA_RESPONSES = ["/sparql", "/sparql?query=ASK%7B%7D", "/sparql?query=nonsense",
                  "/service?default", "/service?graph=http://example.org/none",
                  "/static/viewer.css", "/no-such-page"]


def _assert_security_headers(headers, csp):
    assert headers["Content-Security-Policy"] == csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", VIEWER_PAGES)
def test_viewer_pages_carry_the_viewer_policy(client, path):
    _assert_security_headers(client.get(path).headers, VIEWER_CSP)


@pytest.mark.parametrize("path", DATA_RESPONSES)
def test_data_and_error_responses_carry_a_strict_policy(client, path):
    _assert_security_headers(client.get(path).headers, DATA_CSP)


def test_error_pages_carry_the_headers(client, app, monkeypatch):
    _assert_security_headers(client.post("/graph").headers, DATA_CSP)  # 405, no route
    _assert_security_headers(client.delete("/sparql").headers, DATA_CSP)  # 405
    _assert_security_headers(client.post("/sparql", data="x", content_type="text/x").headers,
                             DATA_CSP)  # 415

    def broken():
        raise RuntimeError("planted")

    monkeypatch.setattr("kg.web.views.ontology._doc", broken)
    r = client.get("/ontology")
    assert r.status_code == 500
    _assert_security_headers(r.headers, VIEWER_CSP)


def test_a_real_server_sends_the_headers(token_server):
    for path, csp in (("/ontology", VIEWER_CSP), ("/sparql?query=nonsense", DATA_CSP),
                      ("/no-such-page", DATA_CSP)):
        _, headers, _ = call(token_server.url + path)
        _assert_security_headers(headers, csp)


# ================================================================ 5. no Host echo

def test_link_and_location_headers_do_not_echo_the_host(kg, monkeypatch):
    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    client = create_app(kg.store, allowed_hosts=["*"]).test_client()
    r = client.get("/id/state/GHA", headers={"Host": "evil.example", "Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["Link"].startswith('<?format=ttl>; rel="alternate"')
    assert "evil" not in r.headers["Link"]
    r = client.post("/upload", data={"id": "new-one", "text": TEXT},
                    headers={"Host": "localhost"})
    assert r.status_code == 303 and r.headers["Location"] == "/report/new-one"


# ================================================================ 6. report URLs

HOSTILE_URLS = ["javascript:alert(1)", "JavaScript:alert(document.cookie)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "vbscript:msgbox(1)"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_report_url_that_is_not_http_is_text_not_a_link(client, kg, url):
    kg.ingest_text(TEXT, "hostile-url", published="2024-02-14", url=url)
    assert kg.report("hostile-url").url == url  # stored as given
    for path in ("/report/hostile-url", "/id/report/hostile-url"):
        page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert not [h for h in hrefs if not h.startswith(("/", "#", "?", "http:", "https:"))
                    and h != "data:,"], (path, hrefs)
    page = client.get("/report/hostile-url").get_data(as_text=True)
    assert f"original: <code>{url}</code>" in page


def test_an_http_report_url_is_a_link(client, kg):
    kg.ingest_text(TEXT, "good-url", published="2024-02-14",
                   url="https://example.org/news/1?a=1&b=2")
    page = client.get("/report/good-url").get_data(as_text=True)
    assert 'href="https://example.org/news/1?a=1&amp;b=2" rel="noopener noreferrer nofollow"' \
        in page


def test_safe_href():
    for url in ("http://x.org/a", "HTTPS://x.org/"):
        assert safe_href(url) == url
    for url in (*HOSTILE_URLS, " javascript:alert(1)", "http://x.org/\nb", "java\tscript:x",
                "//evil.example/", "/relative", "", None, "ftp://x.org/"):
        assert safe_href(url) is None, url


# ================================================================ 7a. POST to /service itself

def _graphs(base: str) -> set[str]:
    _, _, text = call(base + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}),
        headers={"Accept": "text/csv"})
    return {row["g"] for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize("server,auth,status", [
    ("token_server", None, 401), ("token_server", "Bearer wrong", 401),
    ("token_server", f"Basic {TOKEN}", 401), ("open_server", None, 403),
    ("open_server", f"Bearer {TOKEN}", 403)])
def test_post_to_the_graph_store_itself_needs_the_token(request, server, auth, status):
    """POST /service with no params makes a new graph; it needs the token like the rest."""
    base = request.getfixturevalue(server).url
    before = _graphs(base)
    headers = {"Content-Type": "application/n-triples"}
    if auth:
        headers["Authorization"] = auth
    got, _, text = call(base + "/service", "POST",
                        "<http://example.org/s> <http://example.org/p> \"new\" .\n", headers)
    assert got == status, text
    assert _graphs(base) == before and before


def test_post_to_the_graph_store_itself_with_the_token(token_server):
    before = _graphs(token_server.url)
    status, headers, _ = call(token_server.url + "/service", "POST",
                              "<http://example.org/s> <http://example.org/p> \"new\" .\n",
                              {"Content-Type": "application/n-triples",
                               "Authorization": f"Bearer {TOKEN}"})
    assert status == 201
    assert _graphs(token_server.url) == before | {headers["Location"]}
    assert call(token_server.url + "/service?" + urllib.parse.urlencode(
        {"graph": headers["Location"]}), "DELETE",
        headers={"Authorization": f"Bearer {TOKEN}"})[0] == 204


# ================================================================ 7b. named-query params

BAD_IRIS = ["http://x/<", "http://x/>", 'http://x/"', "http://x/{", "http://x/}", "http://x/|",
            "http://x/^", "http://x/`", "http://x/\\", "http://x/ a", "https://x/\n",
            "http://x/}UNION{?s ?p ?o}", "http://x/> } UNION { ?s ?p ?o } #"]
# Strings that would end the literal, or the VALUES block, if they were not escaped.
BREAKOUTS = ['x" } UNION { ?s ?p ?o } #', 'x\\" } UNION { ?s ?p ?o } #', "x\\",
             'x\\u0022 } UNION { ?s ?p ?o } #', "x'}\n} UNION {?s ?p ?o}", "}"]
IRI_ERROR = r"param node: .* starts with http:// or https://, so it is bound as an IRI, " \
            r"but it is not one \(Invalid IRI"


@pytest.mark.parametrize("value", BAD_IRIS)
def test_bind_refuses_what_is_not_an_iri(value):
    with pytest.raises(QueryError, match=IRI_ERROR):
        Q.load("evidence").bind({"node": [value]})
    assert Q.sparql_term(value).startswith('"')  # and never as <...>


@pytest.mark.parametrize("value", BAD_IRIS)
def test_library_refuses_what_is_not_an_iri(kg, value):
    with pytest.raises(QueryError, match=IRI_ERROR):
        kg.query("evidence", node=value)
    with pytest.raises(QueryError, match=IRI_ERROR):
        kg.evidence(value)


@pytest.mark.parametrize("value", BAD_IRIS)
def test_cli_refuses_what_is_not_an_iri(value, tmp_path, capsys):
    code = cli.main(["query", "evidence", "--store", str(tmp_path / "kg"), "--param",
                     f"node={value}"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert re.match(r"kg query: query evidence: " + IRI_ERROR, err), err


@pytest.mark.parametrize("value", BAD_IRIS)
def test_web_routes_refuse_what_is_not_an_iri(client, value):
    r = client.get("/api/query-text", query_string={"name": "evidence", "node": value})
    assert r.status_code == 400 and re.search(IRI_ERROR, r.json["error"])
    for route, param in (("/api/node", "iri"), ("/api/ego", "iri"), ("/api/graph", "state")):
        if route == "/api/graph" and value != value.strip():
            continue  # the page's state list is split at commas and stripped
        r = client.get(route, query_string={param: value})
        assert r.status_code == 400 and r.mimetype == "application/json", (route, r.status_code)
        assert "IRI" in r.json["error"] and "Traceback" not in r.json["error"]
    r = client.get("/id/" + urllib.parse.quote(value, safe=""))
    assert r.status_code == 404


def test_a_valid_iri_param_still_binds(kg):
    assert kg.query("evidence", node=V.state_iri("GHA"))
    assert "(<http://x/%7D?a=b#c>)" in Q.load("evidence").bind({"node": ["http://x/%7D?a=b#c"]})


def _all_rows(kg) -> int:
    return len(kg.sparql("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"))


@pytest.mark.parametrize("value", BREAKOUTS)
def test_a_string_param_cannot_break_out(kg, client, value, tmp_path, capsys):
    assert _all_rows(kg) > 0
    for name, param in (("report", "report"),):
        assert kg.query(name, **{param: value}) == []
        text = Q.load(name).bind({param: [value]})
        assert len(list(kg.store.query(text))) == 0
        r = client.get("/api/query-text", query_string={"name": name, param: value})
        assert r.status_code == 200 and r.json["text"] == text
    # a param that takes an ISO code refuses anything else before binding it
    with pytest.raises(QueryError, match="is not an ISO 3166-1 alpha-3 code"):
        kg.query("state-relations", state=value)
    r = client.get("/api/query-text", query_string={"name": "state-relations", "state": value})
    assert r.status_code == 400 and "ISO 3166-1" in r.json["error"]
    r = client.get("/report/" + urllib.parse.quote(value, safe=""))
    assert r.status_code == 404
    folder = tmp_path / "kg"
    with KnowledgeGraph.open(folder) as copy:
        copy.ingest_text(TEXT, TARGET, published="2024-02-14")
    code = cli.main(["query", "report", "--store", str(folder), "--param", f"report={value}",
                     "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0 and err == "" and out.count("\n") == 1  # the header row only


# ================================================================ 7c. every write route

UPDATE = ("DROP ALL ; INSERT DATA { GRAPH <http://example.org/w> { <http://example.org/s> "
          "<http://example.org/p> \"written\" } }")
TRIPLE = "<http://example.org/s> <http://example.org/p> \"written\" .\n"


def _write(route: str):
    """(method, path, headers, body) of a write that would change or empty the store."""
    target = urllib.parse.urlencode({"graph": TARGET_GRAPH})
    return {
        "update-form": ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"},
                        urllib.parse.urlencode({"update": UPDATE})),
        "update-direct": ("POST", "/sparql", {"Content-Type": "application/sparql-update"},
                          UPDATE),
        "gsp-put": ("PUT", f"/service?{target}", {"Content-Type": "application/n-triples"},
                    TRIPLE),
        "gsp-post-graph": ("POST", f"/service?{target}",
                           {"Content-Type": "application/n-triples"}, TRIPLE),
        "gsp-post-store": ("POST", "/service", {"Content-Type": "application/n-triples"},
                           TRIPLE),
        "gsp-delete": ("DELETE", f"/service?{target}", {}, None),
        "upload": ("POST", "/upload", {"Content-Type": "application/x-www-form-urlencoded"},
                   urllib.parse.urlencode({"id": TARGET, "text": OTHER_TEXT})),
    }[route]


WRITE_ROUTES = ["update-form", "update-direct", "gsp-put", "gsp-post-graph", "gsp-post-store",
                "gsp-delete", "upload"]
# (case, credentials sent, whether a token is configured, where it runs)
CASES = [("no-token", None, True, "real"), ("wrong-token", "Bearer wrong", True, "client"),
         ("basic-scheme", f"Basic {TOKEN}", True, "client"),
         ("none-configured", f"Bearer {TOKEN}", False, "real"),
         ("none-configured", f"Bearer {TOKEN}", False, "client")]


class _Real:
    def __init__(self, served):
        self.base = served.url

    def send(self, method, path, headers, body):
        status, _, text = call(self.base + path, method, body, headers)
        return status, text


class _Client:
    def __init__(self, client):
        self.client = client

    def send(self, method, path, headers, body):
        r = self.client.open(path, method=method, headers=headers, data=body)
        return r.status_code, r.get_data(as_text=True)


def _snapshot(target) -> str:
    status, text = target.send("GET", "/sparql?" + urllib.parse.urlencode(
        {"query": SNAPSHOT, "format": "csv"}), {}, None)
    assert status == 200, text
    return text


@pytest.mark.parametrize("case,auth,configured,where", CASES,
                         ids=[f"{c}-{w}" for c, _, _, w in CASES])
@pytest.mark.parametrize("route", WRITE_ROUTES)
def test_every_write_route_is_refused_without_its_token(request, app, route, case, auth,
                                                        configured, where):
    if where == "real":
        target = _Real(request.getfixturevalue("token_server" if configured else "open_server"))
    else:
        if configured:
            _configure(app, update_token=TOKEN)
        target = _Client(app.test_client())
    method, path, headers, body = _write(route)
    headers = dict(headers)
    if auth:
        headers["Authorization"] = auth
    if route == "upload" and not configured:
        # Without a token, /upload takes a loopback client's form from this site's pages;
        # these come from another site's page, or (test client) from another machine.
        if where == "real":
            headers["Origin"] = "http://evil.example"
        else:
            target.client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    before = _snapshot(target)
    assert TARGET in before and "Cross-Border Trade" in before
    status, text = target.send(method, path, headers, body)
    assert status == (401 if configured else 403), text
    assert _snapshot(target) == before


def test_the_write_table_covers_a_write_that_works(app):
    """The same requests with the token do write: the table above tests refusals, not
    requests that would fail anyway."""
    _configure(app, update_token=TOKEN)
    target = _Client(app.test_client())
    for route in WRITE_ROUTES:
        method, path, headers, body = _write(route)
        before = _snapshot(target)
        status, text = target.send(method, path,
                                   {**headers, "Authorization": f"Bearer {TOKEN}"}, body)
        assert status in (201, 204, 303), (route, status, text)
        assert _snapshot(target) != before, route
        # the target report back as it was, for the next route
        target.send("POST", "/upload", {"Authorization": f"Bearer {TOKEN}",
                                        "Content-Type": "application/x-www-form-urlencoded"},
                    urllib.parse.urlencode({"id": TARGET, "text": TEXT, "title": "Target"}))
