"""bilateral-kg: a knowledge graph of bilateral relations between states, read from diplomatic
reports.

The pipeline, one module (or package) per stage: kg.reports (read) -> kg.extraction (extract)
-> kg.resolution (resolve) -> kg.mapping (map to RDF) -> kg.validation (SHACL) -> kg.store
(Oxigraph, or a SPARQL server) -> kg.queries / kg.network / kg.web (query and serve).
kg.ingest drives the stages; kg.cli is the `kg` command. kg.library is the Python API:
`from kg import KnowledgeGraph` (docs/library.md). A module imports only the layers below its
own, as pyproject.toml's [tool.importlinter] contract lists them (tests/test_import_contract.py).
"""
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ below imports it on first use
    from kg.library import KnowledgeGraph

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph"]


def __getattr__(name: str):
    # `from kg import KnowledgeGraph` without making `import kg` (which every submodule and
    # the `kg` command run) load the store and the query machinery.
    if name == "KnowledgeGraph":
        from kg.library import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
