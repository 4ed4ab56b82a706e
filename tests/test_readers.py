"""One store, many readers (issue 16): the read commands work on a folder another process
holds (a running `kg serve`, a Python session) and see its data as it is; writes there are
refused with a message saying exactly how to write through the holder; `kg serve` leaves its
address in the folder while it runs, and fails in one line on a busy port."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import KG, ROOT, report_graph
from kg.library import KnowledgeGraph
from kg.store import OxigraphStore, Store, StoreError, StoreLocked, running_server
from kg.store.holder import ADDRESS_FILE, serving
from kg_server import free_port, kg_serve

TESTS = Path(__file__).resolve().parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return env


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(KG), *args], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=timeout)


# A Python session holding the store, as a notebook would: it writes one report, says so,
# then writes the next one each time it reads a line, and exits at the end of its input.
HOLDER = """
import sys
from helpers import report_graph
from kg.library import KnowledgeGraph
kg = KnowledgeGraph.open(sys.argv[1])
n = 0
while True:
    n += 1
    kg.store.replace_report(f"held-{n}", report_graph(f"held-{n}"))
    print("wrote", n, flush=True)
    if not sys.stdin.readline():
        break
kg.close()
"""


@contextmanager
def python_session(folder: Path):
    """A process holding the store with KnowledgeGraph.open (not a server); yields a function
    that makes it write one more report."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                              env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)

    def write_one() -> None:
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().startswith("wrote")

    try:
        assert holder.stdout.readline().startswith("wrote"), "the holder did not start"
        yield holder, write_one
    finally:
        holder.stdin.close()
        holder.wait(30)


def _report_ids(output: str) -> list[str]:
    return sorted(b["report"]["value"] for b in json.loads(output)["results"]["bindings"])


def test_read_commands_work_while_a_python_session_holds_the_store(make_store):
    folder = make_store({"kept-1": ("Kept", ("AZE", "GEO"))})
    with python_session(folder) as (holder, write_one):
        done = kg("query", "reports", "--store", str(folder), "--format", "json")
        assert done.returncode == 0, done.stderr
        # The holder's write, made a moment ago and still only in its write-ahead log, is seen.
        assert _report_ids(done.stdout) == ["held-1", "kept-1"]
        # It names the process holding the store, and says the answer is a snapshot.
        assert f"held by another process (pid {holder.pid}: " in done.stderr
        assert "snapshot" in done.stderr and "kg serve" not in done.stderr
        write_one()
        for args in (["stats"], ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                     ["export", "--format", "nquads"]):
            done = kg(*args, "--store", str(folder))
            assert done.returncode == 0, (args, done.stderr)
        # validate reads too (these hand-made graphs lack what the shapes ask: it says so)
        done = kg("validate", "--store", str(folder))
        assert "the store: does not conform" in done.stderr + done.stdout, done.stderr
        assert "held-2" in kg("export", "--format", "nquads", "--store", str(folder)).stdout
        # A write is refused, naming the holder, without guessing it is a server.
        done = kg("remove", "kept-1", "--store", str(folder))
        assert done.returncode == 1
        assert f"held by another process (pid {holder.pid}: " in done.stderr
        assert "kg serve" not in done.stderr.split(";")[0]
        assert "Traceback" not in done.stderr
    with Store.open(folder) as store:
        assert "kept-1" in store.report_ids()


def test_read_only_library_is_a_snapshot_of_what_another_process_wrote(make_store):
    folder = make_store({"kept-1": ("Kept", ("AZE",))})
    with python_session(folder) as (holder, write_one):
        with pytest.raises(StoreLocked, match=rf"held by another process \(pid {holder.pid}"):
            KnowledgeGraph.open(folder)
        with KnowledgeGraph.open(folder, read_only=True) as graph:
            assert "read-only" in repr(graph)
            assert [r.report for r in graph.reports()] == ["held-1", "kept-1"]
            write_one()
            # A snapshot: the write made after it was opened is not in it...
            assert [r.report for r in graph.reports()] == ["held-1", "kept-1"]
            with pytest.raises(StoreError, match="opened read-only"):
                graph.remove_report("kept-1")
            with pytest.raises(StoreError, match="opened read-only"):
                graph.ingest_text("Azerbaijan and Georgia signed a treaty.", "new-1")
        # ...and is when it is opened again.
        with KnowledgeGraph.open(folder, read_only=True) as graph:
            assert [r.report for r in graph.reports()] == ["held-1", "held-2", "kept-1"]
    with KnowledgeGraph.open(folder) as graph:   # released: the writes are all there
        assert len(graph.reports()) == 3


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no store in this folder"):
        KnowledgeGraph.open(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()
    with pytest.raises(ValueError, match="read_only is for a store folder"):
        KnowledgeGraph.open("sparql+http://127.0.0.1:9/sparql", read_only=True)


def test_kg_serve_leaves_its_address_and_writes_are_sent_to_it(make_store):
    folder = make_store({"kept-1": ("Kept", ("AZE",))})
    with kg_serve(folder) as served:
        address = json.loads((folder / ADDRESS_FILE).read_text())
        assert address == {"url": served.url, "pid": served.pid}
        assert running_server(folder).endpoint == f"sparql+{served.url}/sparql"
        for args in (["remove", "kept-1"], ["ingest", str(ROOT / "tests" / "fixtures")],
                     ["reason"]):
            done = kg(*args, "--store", str(folder))
            assert done.returncode == 1, (args, done.stderr)
            line = done.stderr.strip()
            assert "\n" not in line and "Traceback" not in line, line
            assert f"held by `kg serve` at {served.url}/ (pid {served.pid})" in line
            assert f"--store sparql+{served.url}/sparql" in line
            assert "KG_STORE_TOKEN" in line and "KG_UPDATE_TOKEN" in line
            assert "docs/remote-store.md" in line
        done = kg("stats", "--store", str(folder))
        assert done.returncode == 0 and "reports     1" in done.stdout, done.stderr
        assert f"held by `kg serve` at {served.url}/" in done.stderr
        done = kg("sparql", "DROP ALL", "--store", str(folder))   # an update: the server's
        assert done.returncode == 1 and f"to {served.url}/sparql with" in done.stderr, \
            done.stderr
        done = kg("serve", "--store", str(folder), "--port", str(free_port()))
        assert done.returncode == 1 and done.stderr.strip() == (
            f"kg serve: store {folder}: already served by `kg serve` at {served.url}/ "
            f"(pid {served.pid}); use that one, or stop it first"), done.stderr
    # Stopped cleanly (SIGTERM): the address is gone and the folder opens for writing.
    assert not (folder / ADDRESS_FILE).exists()
    with Store.open(folder) as store:
        assert store.report_ids() == ["kept-1"]


def test_a_stale_address_is_ignored(make_store, tmp_path):
    folder = make_store()
    # A server that was killed left its address: its pid is gone.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / ADDRESS_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9",
                                                   "pid": dead.pid}))
    assert running_server(folder) is None
    # A live pid that does not hold the store (a pid reused by another program) is not it
    # either: the process holding the lock is another one.
    (folder / ADDRESS_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9",
                                                   "pid": os.getpid()}))
    with python_session(folder) as (holder, _):
        assert running_server(folder) is None
        done = kg("remove", "x", "--store", str(folder))
        assert "kg serve" not in done.stderr and f"pid {holder.pid}" in done.stderr


def test_the_address_file_is_removed_only_by_its_server(tmp_path):
    with serving(tmp_path, "http://127.0.0.1:1234/") as address:
        assert address.url == "http://127.0.0.1:1234"
        # Another server took the folder over meanwhile: its address stays.
        (tmp_path / ADDRESS_FILE).write_text(json.dumps({"url": "http://x:1", "pid": 1}))
    assert (tmp_path / ADDRESS_FILE).exists()
    with serving(tmp_path, "http://127.0.0.1:1234"):
        pass
    assert not (tmp_path / ADDRESS_FILE).exists()


def test_a_stop_just_after_the_address_is_written_removes_it(tmp_path, monkeypatch):
    # SIGTERM becomes KeyboardInterrupt wherever the server is: even right after the file
    # appears, before the server runs, the file goes with the server.
    real_replace = os.replace

    def replace_then_stop(src, dst):
        real_replace(src, dst)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_stop)
    with pytest.raises(KeyboardInterrupt):
        with serving(tmp_path, "http://127.0.0.1:1234"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_kg_serve_on_a_busy_port_fails_in_one_line(make_store):
    folder = make_store()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = kg("serve", "--store", str(folder), "--port", str(port), timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"kg serve: cannot listen on 127.0.0.1:{port}: Address already in use; stop what "
        f"uses it, or choose another port with --port N"), done.stderr
    assert "serving" not in done.stdout + done.stderr
    assert not (folder / ADDRESS_FILE).exists()
    with Store.open(folder):   # released
        pass


def test_kg_serve_says_the_port_it_got(make_store):
    # --port 0: the system picks a free port; the address (and the message) name that one.
    folder = make_store()
    server = subprocess.Popen([str(KG), "serve", "--store", str(folder), "--port", "0"],
                              cwd=ROOT, env=_env(), stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        deadline = time.monotonic() + 30
        while not (folder / ADDRESS_FILE).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        url = json.loads((folder / ADDRESS_FILE).read_text())["url"]
        assert not url.endswith(":0") and f"on {url}/ " in line, line
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert not (folder / ADDRESS_FILE).exists()
