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

Importing this package imports (and so registers) both implementations; kg.store.base imports
neither.
"""
from __future__ import annotations

from kg.store.base import (COUNTED_CLASSES, EXPORT_FORMATS, ONTOLOGY_DIR, ONTOLOGY_FILES,
                           PREFIXES, REPORT_GRAPH_PREFIX, Store, StoreError, implementation_for,
                           iter_plain_rows, open_store, ox_term, plain, plain_rows,
                           register)
from kg.store.embedded import OxigraphStore, default_path
from kg.store.holder import ServerAddress, StoreLocked, running_server
from kg.store.sparql import REMOTE_SCHEMES, SparqlStore


def is_remote_location(location) -> bool:
    """A `--store` that names a SPARQL endpoint (kg/store/sparql.py) rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(REMOTE_SCHEMES)


__all__ = ["Store", "StoreError", "StoreLocked", "ServerAddress", "running_server",
           "OxigraphStore", "SparqlStore", "open_store", "register",
           "implementation_for", "is_remote_location", "default_path", "EXPORT_FORMATS",
           "PREFIXES", "ONTOLOGY_DIR", "ONTOLOGY_FILES", "REPORT_GRAPH_PREFIX",
           "COUNTED_CLASSES", "REMOTE_SCHEMES", "ox_term", "plain", "plain_rows",
           "iter_plain_rows"]
