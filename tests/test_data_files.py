"""The word lists and gazetteer additions of kg/data: well-formed YAML in which no key is given
twice (YAML keeps only the last of two equal keys, silently: a second `COD:` under aliases
once dropped "D.R. Congo"), and a few of the names they add, read from reports."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from kg.extraction import extract
from kg.reports import Report

DATA = Path(__file__).resolve().parents[1] / "kg" / "data"


class StrictLoader(yaml.SafeLoader):
    """Refuses a mapping that gives one key twice."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} given twice", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yml")), ids=lambda p: p.name)
def test_no_key_is_given_twice(path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)


@pytest.mark.parametrize("name", ["Democratic Republic of Congo", "D.R. Congo", "DRC",
                                  "Zaire"])
def test_names_of_the_congo_the_wires_use(name):
    report = Report(id="congo", text=f"{name} and Rwanda signed a ceasefire.",
                    published=datetime.date(2024, 5, 8))
    assert sorted(s.iso3 for s in extract(report).states) == ["COD", "RWA"]


@pytest.mark.parametrize("name, iso3", [("St Kitts and Nevis", "KNA"), ("St. Lucia", "LCA"),
                                        ("St Lucia", "LCA"), ("Timor Leste", "TLS"),
                                        ("St Vincent and the Grenadines", "VCT")])
def test_short_forms_the_press_uses(name, iso3):
    report = Report(id="short", text=f"{name} and Peru signed a memorandum.",
                    published=datetime.date(2024, 5, 8))
    assert sorted(s.iso3 for s in extract(report).states) == sorted([iso3, "PER"])
