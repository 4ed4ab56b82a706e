"""The stores of the knowledge graph: open one with `open_store(location)` or `Store.open`.

  kg/store/base.py       the interface (`Store`, with its capability flags), `StoreError`,
                         the registry of implementations by URL scheme and `open_store`, and
                         the one converter of RDF terms: rdflib to pyoxigraph (`ox_term`),
                         result terms and rows to plain values (`plain`, `plain_rows`)
  kg/store/embedded.py   `OxigraphStore`: Oxigraph in a folder (a plain path) or in memory
  kg/store/sparql.py     `SparqlStore`: a SPARQL 1.1 server (`sparql+http(s)://...`)
  kg/store/connector.py  its HTTP: session, authentication, errors and Virtuoso's quirks
  kg/store/holder.py     who holds a store folder: a running `kg serve`'s address file, the
                         lock's holder, and `StoreLocked`, the error naming them

Importing this package registers both implementations: the folder's imported, the SPARQL
store's imported when a `sparql+http(s)://` location is first opened or `SparqlStore` is first
named (its HTTP client, requests, was 0.04 s of every `kg query`'s start-up);
kg.store.base imports neither.
"""
from __future__ import annotations

import importlib

from kg.store.base import (COUNTED_CLASSES, EXPORT_FORMATS, ONTOLOGY_DIR, ONTOLOGY_FILES,
                           PREFIXES, REPORT_GRAPH_PREFIX, PageTooDeep, Store, StoreError,
                           implementation_for, iter_plain_rows, open_store, ox_term, plain, plain_rows,
                           register, register_lazily)
from kg.store.embedded import OxigraphStore, default_path
from kg.store.holder import ServerAddress, StoreLocked, running_server

# kg.store.sparql's SCHEMES (tests/test_store_layout.py checks that they agree).
SCHEMES = ("sparql+http", "sparql+https")
REMOTE_SCHEMES = tuple(s + "://" for s in SCHEMES)
register_lazily(lambda: importlib.import_module("kg.store.sparql"), *SCHEMES)


def __getattr__(name: str):
    if name == "SparqlStore":
        from kg.store.sparql import SparqlStore
        return SparqlStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_remote_location(location) -> bool:
    """A `--store` that names a SPARQL endpoint (kg/store/sparql.py) rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(REMOTE_SCHEMES)


__all__ = ["Store", "StoreError", "PageTooDeep", "StoreLocked", "ServerAddress",
           "running_server", "OxigraphStore", "SparqlStore", "open_store", "register",
           "implementation_for", "is_remote_location", "default_path", "EXPORT_FORMATS",
           "PREFIXES", "ONTOLOGY_DIR", "ONTOLOGY_FILES", "REPORT_GRAPH_PREFIX",
           "COUNTED_CLASSES", "REMOTE_SCHEMES", "ox_term", "plain", "plain_rows",
           "iter_plain_rows"]
