"""What a query may not do to the machine that serves it: reach the network (SERVICE, LOAD,
FROM with a remote IRI, however spelt), take all the memory, or hold every request thread.

The network tests run a listener on 127.0.0.1 and assert that it receives nothing. They go
through a real `kg serve` (the readable refusal, then the engine), and through the app with
the readable refusal switched off, to show that the engine alone fetches nothing.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse

import pytest

from kg.store import Store
from kg_server import kg_serve
from helpers import call, query, update
from kg.web.app import close_app, create_app
from kg.web.settings import Settings, parse_size
from kg.web.views import sparql as endpoint
from kg.web.no_network import deny_network

TOKEN = "confine-token"


class Listener:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(1)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            self.connections.append(data or b"(connected)")
            conn.close()

    def received(self, wait: float = 0.3) -> list[bytes]:
        time.sleep(wait)  # a fetch the query started would have arrived by now
        return list(self.connections)

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


def service_spellings(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # The probe's spellings: a dot glued to the keyword, and no space at all.
        f"SELECT * WHERE {{ BIND(1 AS ?o) .SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"SELECT * WHERE {{{{}}SERVICE<{url}>{{?x ?y ?z}}}}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE#a comment\n<{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"DESCRIBE ?s WHERE {{ ?s ?p ?o MINUS {{ SERVICE <http://localhost:{port}/sparql> "
        f"{{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def _send(base: str, text: str, how: str):
    headers = {"Accept": "application/sparql-results+json"}
    if how == "get":
        return call(f"{base}/sparql?" + urllib.parse.urlencode({"query": text}),
                    headers=headers)
    if how == "form":
        return call(f"{base}/sparql", "POST", urllib.parse.urlencode({"query": text}),
                    {**headers, "Content-Type": "application/x-www-form-urlencoded"})
    return call(f"{base}/sparql", "POST", text,
                {**headers, "Content-Type": "application/sparql-query"})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_TIMEOUT": "10", "KG_QUERY_MEMORY": "256M",
           "KG_RESULT_BYTES": "1M"}
    with kg_serve(tmp_path_factory.mktemp("confine") / "kg", env=env) as served:
        yield served


# ------------------------------------------------------------------ network

@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_no_spelling_of_service_reaches_the_network(server, listener, how):
    for text in service_spellings(listener.port):
        status, _, body = _send(server.url, text, how)
        assert status != 500, (text, body)
        assert listener.received(0.05) == [], f"{text!r} ({how}) reached the listener"
    assert listener.received() == []


def test_load_and_remote_datasets_fetch_nothing(server, listener):
    url = f"http://127.0.0.1:{listener.port}/data.ttl"
    for text in (f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/l>",
                 f"load\n<{url}>", f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> "
                                   f"{{ ?s ?p ?o }} }}"):
        status, _, body = update(server.url, text, TOKEN)
        assert status == 400, (text, body)
    # FROM, FROM NAMED and GRAPH name graphs of the store: nothing is fetched, none found.
    for text in (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                 f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}"):
        status, _, body = query(server.url, text)
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"] == []
    assert listener.received() == []


@pytest.fixture()
def unchecked_app(tmp_path, monkeypatch):
    """The endpoint on an on-disk store (queries in worker processes), with its readable
    refusal of SERVICE and LOAD switched off: only the engine's confinement is left."""
    monkeypatch.setattr(endpoint, "_refuse_remote", lambda tokens: None)
    store = Store.open(tmp_path / "kg")
    app = create_app(store, Settings(update_token=TOKEN))
    yield app
    close_app(app)


def _client_query(client, text: str):
    return client.post("/sparql", data=text, headers={
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json"})


def test_the_engine_itself_fetches_nothing(unchecked_app, listener):
    client = unchecked_app.test_client()
    for text in service_spellings(listener.port)[:13]:
        _client_query(client, text)
        assert listener.received(0.05) == [], f"{text!r} reached the listener"
    url = f"http://127.0.0.1:{listener.port}/data.ttl"
    response = client.post("/sparql", data=f"LOAD <{url}>", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code >= 400
    assert listener.received() == []


def test_the_confinement_is_what_stops_it(unchecked_app, listener, monkeypatch):
    """The control: with KG_ALLOW_REMOTE=1 the same query does reach the listener, so the
    test above passes because of the confinement, not because nothing would connect."""
    app = create_app(unchecked_app.extensions["kg"].store,
                     Settings(update_token=TOKEN, allow_remote=True))
    before = len(listener.received(0))
    try:
        _client_query(app.test_client(), service_spellings(listener.port)[0])
    finally:
        app.extensions["kg"].runner.close()
    assert len(listener.received()) > before


def test_deny_network_refuses_sockets_in_its_thread_only():
    box = {}

    def confined():
        box["why"] = deny_network()
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
            box["inet"] = "opened"
        except OSError as e:
            box["inet"] = e.errno
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()  # still allowed

    thread = threading.Thread(target=confined)
    thread.start()
    thread.join()
    assert box["why"] is None
    assert box["inet"] == 13  # EACCES
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # this thread is untouched


# ------------------------------------------------------------------ memory

def _doubling(seed: int, times: int, *, length: bool = True) -> str:
    """A one-row query whose string is `seed` characters doubled `times` times; it answers
    the string's length, or the string itself."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    answer = f"(STRLEN(?s{times}) AS ?n)" if length else f"?s{times}"
    return f'SELECT {answer} WHERE {{ BIND("{"x" * seed}" AS ?s0) {binds} }}'


def _rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_query_cannot_take_all_the_memory(server):
    # 1,000 characters doubled 22 times: 4 GB, far past the worker's 256 MB.
    started = time.monotonic()
    status, headers, body = query(server.url, _doubling(1000, 22))
    assert status == 503, body
    assert b"KG_QUERY_MEMORY" in body and b"256 MB" in body
    assert time.monotonic() - started < 20
    assert _rss_mb(server.pid) < 1024
    # The server and a new worker carry on.
    status, _, body = query(server.url, "SELECT (1 AS ?one) WHERE {}")
    assert status == 200 and b'"1"' in body


def test_an_answer_is_capped_in_bytes(server):
    # One row of 2 MB: under the memory cap, over KG_RESULT_BYTES (1M).
    status, _, body = query(server.url, _doubling(1000, 11, length=False))
    assert status == 503 and b"KG_RESULT_BYTES" in body, body
    status, _, body = query(server.url, _doubling(1000, 5, length=False))
    assert status == 200 and len(body) > 32_000


def test_sizes_are_read_with_units():
    assert parse_size("1G") == 1 << 30
    assert parse_size("512M") == 512 << 20
    assert parse_size("2 GiB") == 2 << 30
    assert parse_size("1048576") == 1 << 20
    with pytest.raises(ValueError):
        parse_size("lots")


# ------------------------------------------------------------------ threads

# Six VALUES of 100: 10^12 rows to count, far more than any timeout here; no data needed.
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(100))} }}" for i in range(6)) + " }")


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    env = {"KG_QUERY_WORKERS": "2", "KG_QUERY_QUEUE": "2", "KG_QUERY_BUSY_TIMEOUT": "2",
           "KG_QUERY_TIMEOUT": "12"}
    with kg_serve(tmp_path_factory.mktemp("busy") / "kg", env=env) as served:
        yield served


@pytest.mark.slow
def test_runaway_queries_do_not_freeze_the_server(busy_server):
    base = busy_server.url
    results: dict[int, tuple] = {}

    def runaway(i: int):
        started = time.monotonic()
        status, headers, body = query(base, RUNAWAY + f" # {i}")
        results[i] = (status, headers.get("Retry-After"), body, time.monotonic() - started)

    threads = []
    # Two run, the third on the reserve worker, two wait; the sixth to tenth are refused.
    for i in range(10):
        threads.append(threading.Thread(target=runaway, args=(i,), daemon=True))
        threads[-1].start()
        time.sleep(0.3)
    # The pages answer while every worker is taken.
    started = time.monotonic()
    status, _, _ = call(base + "/")
    assert status == 200 and time.monotonic() - started < 3
    # Refused at once, with a time to come back.
    refused = [r for r in results.values() if r[0] == 503 and r[1]]
    assert len(refused) >= 4, results
    assert all(r[3] < 3 for r in refused if b"waiting" in r[2])
    # The reserve worker's runaway is stopped after KG_QUERY_BUSY_TIMEOUT: a cheap query then
    # gets the reserve and is answered at once, though the two workers are still held.
    time.sleep(2.5)
    started = time.monotonic()
    status, _, body = query(base, "SELECT (1 AS ?one) WHERE {}")
    assert status == 200, body
    assert time.monotonic() - started < 2
    for thread in threads:
        thread.join(40)
    statuses = sorted(r[0] for r in results.values())
    assert statuses == [503] * 10, results  # every runaway stopped, none answered
    stopped = [r for r in results.values() if b"KG_QUERY_TIMEOUT" in r[2]]
    assert len(stopped) == 4  # two at once and the two that waited, each at its deadline
