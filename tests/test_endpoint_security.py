"""What the endpoint refuses, and its limits, against a real `kg serve` and a real store.

Writes need the bearer token (and are refused when none is configured); SERVICE and LOAD are
refused; a runaway query is stopped by the timeout while another is answered; the result cap
holds; the server binds the loopback address unless told otherwise.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.cli import build_parser
from helpers import call, query, update
from kg_server import kg_serve

TOKEN = "s3cret-token"
UPDATE = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
ASK_UPDATED = "ASK { GRAPH <http://example.org/g> { <http://example.org/s> ?p ?o } }"
N_TRIPLES = 3000
RESULT_LIMIT = 1000


def gsp(base: str, method: str, graph: str, body: str | None = None, token: str | None = None):
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return call(f"{base}/service?" + urllib.parse.urlencode({"graph": graph}), method, body,
                headers)


def _triples(n: int) -> str:
    return "".join(f"<http://example.org/n{i}> <http://example.org/p> \"{i}\" .\n"
                   for i in range(n))


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """A server with no token configured: read-only."""
    with kg_serve(tmp_path_factory.mktemp("ro") / "kg") as served:
        yield served


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server that accepts writes with TOKEN, stops queries at 2 s and caps results."""
    env = {"KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_TIMEOUT": "2",
           "KG_RESULT_LIMIT": str(RESULT_LIMIT)}
    with kg_serve(tmp_path_factory.mktemp("rw") / "kg", env=env) as served:
        status, _, text = gsp(served.url, "PUT", "http://example.org/data",
                              _triples(N_TRIPLES), TOKEN)
        assert status == 201, text
        yield served


# ------------------------------------------------------------------ no token configured

@pytest.mark.parametrize("token", [None, TOKEN])
def test_no_token_configured_refuses_every_write(open_server, token):
    base = open_server.url
    status, _, text = update(base, UPDATE, token)
    assert status == 403 and b"read-only" in text
    form = urllib.parse.urlencode({"update": UPDATE})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    assert call(f"{base}/sparql", "POST", form, headers)[0] == 403
    for method in ("PUT", "POST"):
        assert gsp(base, method, "http://example.org/g", _triples(1), token)[0] == 403
    assert gsp(base, "DELETE", "http://example.org/g", None, token)[0] == 403
    status, _, body = query(base, ASK_UPDATED)
    assert status == 200 and json.loads(body)["boolean"] is False


def test_reads_need_no_token(open_server):
    status, _, body = query(open_server.url, "ASK {}")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, headers, _ = call(open_server.url + "/service?default")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


# ------------------------------------------------------------------ token configured

def test_update_needs_the_token(server):
    base = server.url
    status, headers, text = update(base, UPDATE)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert update(base, UPDATE, "wrong-token")[0] == 401
    assert update(base, UPDATE, TOKEN, scheme="Basic")[0] == 401
    form = urllib.parse.urlencode({"update": UPDATE})
    assert call(f"{base}/sparql", "POST", form,
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 401
    assert json.loads(query(base, ASK_UPDATED)[2])["boolean"] is False
    assert update(base, UPDATE, TOKEN)[0] == 204
    assert json.loads(query(base, ASK_UPDATED)[2])["boolean"] is True
    assert update(base, "DROP GRAPH <http://example.org/g>", TOKEN)[0] == 204


def test_graph_store_writes_need_the_token(server):
    base, graph = server.url, "http://example.org/gsp"
    for method in ("PUT", "POST"):
        assert gsp(base, method, graph, _triples(2))[0] == 401
        assert gsp(base, method, graph, _triples(2), "wrong-token")[0] == 401
    assert gsp(base, "GET", graph)[0] == 404
    assert gsp(base, "PUT", graph, _triples(2), TOKEN)[0] == 201
    assert gsp(base, "PUT", graph, _triples(3), TOKEN)[0] == 204  # replaced, not added
    assert gsp(base, "POST", graph, "<http://x.org/a> <http://x.org/b> <http://x.org/c> .\n",
               TOKEN)[0] == 204
    status, headers, body = gsp(base, "GET", graph)
    assert status == 200 and body.count(b"http://example.org/p") == 3
    assert gsp(base, "DELETE", graph)[0] == 401
    assert gsp(base, "DELETE", graph, None, "wrong-token")[0] == 401
    assert gsp(base, "DELETE", graph, None, TOKEN)[0] == 204
    assert gsp(base, "GET", graph)[0] == 404


# ------------------------------------------------------------------ SERVICE and LOAD

@pytest.mark.parametrize("text", [
    # Loopback IRIs: were the refusal missing, nothing would leave this machine.
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
])
def test_service_is_refused(server, text):
    status, _, body = query(server.url, text)
    assert status == 400 and b"SERVICE" in body


@pytest.mark.parametrize("text", [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://example.org/passwd>",
])
def test_load_is_refused_even_with_the_token(server, text):
    status, _, body = update(server.url, text, TOKEN)
    assert status == 400 and b"LOAD" in body
    assert json.loads(query(server.url, "ASK { GRAPH <http://example.org/passwd> { ?s ?p ?o } }"
                            )[2])["boolean"] is False


def test_words_that_only_look_like_service_are_fine(server):
    text = ('PREFIX service: <http://example.org/> SELECT ?service WHERE '
            '{ BIND("SERVICE <http://x/> LOAD" AS ?service) ?service service:p ?o } # SERVICE')
    assert query(server.url, text)[0] == 200


# ------------------------------------------------------------------ limits

def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children, from /proc."""
    total = 0.0
    pids = [pid]
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        children = []
    pids += [int(c) for c in children]
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / 100
    return total


@pytest.mark.slow
def test_runaway_query_is_stopped_while_another_is_answered(server):
    base = server.url
    # 3000 triples cubed: billions of rows, far more than 2 s of work.
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    box = {}

    def run():
        start = time.monotonic()
        box["result"] = query(base, runaway)
        box["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    start = time.monotonic()
    status, _, body = query(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    answered = time.monotonic() - start
    assert "result" not in box, "the runaway query should still be running"
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) >= \
        N_TRIPLES
    thread.join(30)
    status, _, text = box["result"]
    assert status == 503 and b"KG_QUERY_TIMEOUT" in text, text
    assert 1.9 <= box["elapsed"] < 10
    print(f"runaway stopped after {box['elapsed']:.2f} s; other query answered in {answered:.2f} s")
    assert answered < box["elapsed"]
    # Stopped, not just abandoned: the server and its workers go quiet.
    time.sleep(0.5)
    before = _cpu_seconds(server.pid)
    time.sleep(1.0)
    assert _cpu_seconds(server.pid) - before < 0.5
    assert json.loads(query(base, "ASK {}")[2])["boolean"] is True


def test_result_cap(server):
    base = server.url
    status, _, text = query(base, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 503 and b"KG_RESULT_LIMIT" in text
    status, _, text = call(f"{base}/sparql?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    assert status == 503 and b"KG_RESULT_LIMIT" in text
    status, _, body = query(base, f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
                                  f"LIMIT {RESULT_LIMIT}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == RESULT_LIMIT


def test_bad_query_is_a_clear_400(server):
    status, headers, text = query(server.url, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert text.startswith(b"bad query:")


def test_cors(server):
    status, headers, _ = call(server.url + "/sparql", "OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" in headers["Access-Control-Allow-Headers"]
    _, headers, _ = query(server.url, "ASK {}", Origin="https://example.org")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_serve_binds_loopback_by_default(server):
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    # The listening socket itself, as the kernel lists it (hex address:port, state 0A).
    listening = []
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port = local.split(":")
        if int(port, 16) == server.port and state == "0A":
            listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing else
