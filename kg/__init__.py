"""bilateral-kg: a knowledge graph of bilateral relations between states, read from diplomatic
reports.

The pipeline, one module (or package) per stage: kg.reports (read) -> kg.extraction (extract)
-> kg.resolution (resolve) -> kg.mapping (map to RDF) -> kg.validation (SHACL) -> kg.store
(Oxigraph) -> kg.queries / web (query and serve). kg.ingest drives the stages; kg.cli is the
`kg` command.
"""
__version__ = "0.1.0"
