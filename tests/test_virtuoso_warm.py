"""Over Virtuoso, kg serve sends the texts every state's and person's page sends before it
listens (web/views/warm.py, entities.compile_page_texts; issue 18): Virtuoso compiles a text
the first time it sees it (state-relations' bound to a relation 1.6 s, agreements-by-state's
0.5-0.7 at 10,000 reports), and the first state's page after its start paid that (4.1-6.4 s in
bench/pages.py's runs). The rows stay those of the embedded store: the dev corpus's parity
tests (tests/test_remote_store.py) run after this module's warm-up too."""
from __future__ import annotations

from kg.store import connector as C
from kg.web.app import create_app
from test_remote_store import both  # noqa: F401  (the dev corpus in Virtuoso too)


def test_kg_serve_sends_the_page_texts_before_it_serves(both, monkeypatch):
    _, remote = both
    sent: list[str] = []
    original = C.SparqlConnector.query

    def spy(self, text, *args, **kwargs):
        sent.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(C.SparqlConnector, "query", spy)
    monkeypatch.setenv("KG_WARM_START", "1")
    create_app(remote, viewer_max_reports=1)   # the dev corpus's 13 reports: a large store
    titles = {line[len("# title:"):].strip() for text in sent
              for line in text.splitlines()[:1] if line.startswith("# title:")}
    # a state's officials and agreements from the shapes led by its node (entities.server_rows)
    assert {"State relations", "A state's agreements, on a SPARQL server",
            "A state's agreements' parties, on a SPARQL server",
            "A state's officials, on a SPARQL server"} <= titles, titles


def test_kg_serve_sends_the_page_texts_several_at_once(both, monkeypatch):
    """One after the other the warm-up's texts took 8.6 s at 10,000 reports over Virtuoso
    (page texts 6.6, the rest 2.0); sent several at once, and beside the other reads, 7.8-7.9
    s against 12.0-13.3 at load 5.5."""
    import threading
    import time

    _, remote = both
    lock, busy, most = threading.Lock(), [0], [0]
    original = C.SparqlConnector.query

    def spy(self, text, *args, **kwargs):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            time.sleep(0.05)   # long enough for another sender to start meanwhile
            return original(self, text, *args, **kwargs)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(C.SparqlConnector, "query", spy)
    monkeypatch.setenv("KG_WARM_START", "1")
    create_app(remote, viewer_max_reports=1)
    assert most[0] >= 2, most[0]
