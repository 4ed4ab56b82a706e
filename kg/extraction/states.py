"""States: every sovereign state the report names, by name, demonym, or a capital or
building that stands for its government ("Moscow said", "the Kremlin")."""
from __future__ import annotations

from kg.extraction.context import Context
from kg.facts import StateMention


def find_states(context: Context) -> list[StateMention]:
    found: dict[str, StateMention] = {}
    for match in context.matches:
        if match.kind == "organization" or not match.as_state:
            continue
        mention = found.setdefault(match.key, StateMention(match.key))
        context.append_new(mention.evidence, context.evidence(match.span))
    return list(found.values())
