"""The folders of data kg reads beside its code: the named queries and the ontology.

In the repository they are the top-level `queries/` and `ontology/`, which users read and edit.
A wheel carries them inside the package, as `kg/named_queries/` and `kg/ontology/`
(pyproject.toml maps the folders there), the way Flask ships `schema.sql` beside its code; an
installed kg finds them with importlib.resources. An editable install or a source checkout
has no such folders in `kg/`, and reads the repository's own.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

# The repository's folder name -> the folder's name inside the installed package.
PACKAGED = {"queries": "named_queries", "ontology": "ontology"}
_CHECKOUT = Path(__file__).resolve().parent.parent


def data_folder(name: str) -> Path:
    """The folder `name` ("queries" or "ontology"): the package's copy when installed from a
    wheel, else the repository's."""
    # A wheel is always unpacked by pip, so the package's files are files on disk.
    packaged = Path(str(resources.files("kg"))) / PACKAGED[name]
    return packaged if packaged.is_dir() else _CHECKOUT / name
