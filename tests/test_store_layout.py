"""kg/store/: the interface imports no implementation, the modules form no import cycle, and
one function picks the implementation by the location's URL scheme."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kg.store
from kg.store import OxigraphStore, SparqlStore, Store, StoreError, open_store
from kg.store.base import implementation_for

PACKAGE = Path(kg.store.__file__).parent


def _imports(path: Path) -> set[str]:
    """The kg.store modules a module imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {".".join(n.split(".")[:3]) for n in names if n.startswith("kg.store.")
                  and (PACKAGE / (n.split(".")[2] + ".py")).is_file()}
    return found


def test_no_import_cycle_and_base_imports_no_implementation():
    graph = {f"kg.store.{p.stem}": _imports(p) for p in PACKAGE.glob("*.py")
             if p.stem != "__init__"}
    assert graph["kg.store.base"] == set()
    assert "kg.store.sparql" not in graph["kg.store.embedded"]
    assert graph["kg.store.connector"] <= {"kg.store.base"}

    def visit(module, path):
        assert module not in path, f"import cycle: {' -> '.join(path + [module])}"
        for other in graph.get(module, ()):
            visit(other, path + [module])

    for module in graph:
        visit(module, [])


def test_base_module_alone_imports_no_implementation():
    # Loaded by itself (not through the package, whose __init__ registers both), the
    # interface module pulls in no implementation, and without them it says so.
    code = ("import importlib.util, sys\n"
            f"spec = importlib.util.spec_from_file_location('base', {str(PACKAGE / 'base.py')!r})\n"
            "base = importlib.util.module_from_spec(spec); spec.loader.exec_module(base)\n"
            "assert not [m for m in sys.modules if m.startswith('kg.store')], sys.modules\n"
            "try:\n    base.implementation_for('/tmp/x')\nexcept base.StoreError:\n"
            "    print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_the_sparql_store_is_imported_when_first_asked_for():
    """kg.store registers the SPARQL store without importing it (nor requests): a `kg query`
    on a folder starts without them; a sparql+http location, or the name SparqlStore, brings
    it in; its schemes are those kg.store names."""
    code = ("import sys\nimport kg.store as s\n"
            "assert 'kg.store.sparql' not in sys.modules and 'requests' not in sys.modules\n"
            "cls = s.implementation_for('sparql+http://127.0.0.1:1/sparql')\n"
            "assert cls.__name__ == 'SparqlStore' and 'requests' in sys.modules\n"
            "import kg.store.sparql as sp\n"
            "assert sp.SCHEMES == s.SCHEMES and sp.REMOTE_SCHEMES == s.REMOTE_SCHEMES\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
    code = "import kg.store as s\nprint(s.SparqlStore.__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "SparqlStore", out.stderr


def test_opener_picks_the_implementation_by_scheme(tmp_path):
    assert implementation_for("sparql+http://127.0.0.1:1/sparql") is SparqlStore
    assert implementation_for("SPARQL+HTTPS://example.org/sparql") is SparqlStore
    assert implementation_for(str(tmp_path)) is OxigraphStore
    assert implementation_for(tmp_path) is OxigraphStore
    assert implementation_for("http://not-a-store-scheme/x") is OxigraphStore  # a folder name
    with open_store(tmp_path / "s") as store:
        assert isinstance(store, OxigraphStore) and isinstance(store, Store)
        assert store.embedded and store.transactional and store.subprocess_readers
        assert not store.needs_network
    # Nothing listens on port 1: the SPARQL store is the one that tried (and said so).
    with pytest.raises(StoreError, match="cannot reach"):
        Store.open("sparql+http://127.0.0.1:1/sparql")


def test_capabilities_of_each_implementation():
    with Store.memory() as memory:
        assert isinstance(memory, OxigraphStore)
        assert memory.embedded and not memory.subprocess_readers and not memory.needs_network
    assert SparqlStore.needs_network and not SparqlStore.embedded
    assert not SparqlStore.transactional
