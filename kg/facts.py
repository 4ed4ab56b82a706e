"""The facts one report yields: what extraction hands to resolution and to the RDF mapping.

Every fact carries `evidence`: the character spans (into `Report.text`) of the sentences that
state it, so the graph can say which report and which sentence each fact came from.
Codes (roles, kinds, statuses, polarities) are the contract's codes, listed in
`kg/data/codes.yml` and published as SKOS concept schemes in `ontology/`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """A sentence of the report, by character offsets into the report's text."""
    start: int
    end: int


@dataclass
class StateMention:
    iso3: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Official:
    name: str                       # the fullest form the report gives, without titles
    role: str                       # a role code
    position: str | None = None     # the title as the report gives it
    state: str | None = None        # ISO3 of the state served; None for an IGO official
    host_state: str | None = None   # ISO3 of the state a diplomat is accredited to
    organization: str | None = None  # an international organization served, by name
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # filled by resolution: the person's IRI, the same across reports
    iri: str | None = None


@dataclass
class Agreement:
    title: str
    kind: str                       # treaty, agreement, joint_declaration, memorandum, ...
    status: str = "unknown"         # proposed, under_negotiation, draft, initialled, signed, ...
    parties: list[str] = field(default_factory=list)  # ISO3 codes
    date: str | None = None         # YYYY-MM-DD, YYYY-MM or YYYY
    place: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    iri: str | None = None


@dataclass
class Event:
    kind: str                       # meeting, visit, reception, negotiation, phone_call, ...
    date: str | None = None
    place: str | None = None
    participants: list[str] = field(default_factory=list)  # ISO3 codes
    organizer: str | None = None    # ISO3 of the host or organizer, where known
    persons: list[int] = field(default_factory=list)  # indexes into Extraction.officials
    trigger: str = ""               # the words that made it an event
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Relation:
    states: tuple[str, str]         # ISO3 codes, sorted
    polarities: set[str] = field(default_factory=set)  # cooperative / conflictual
    evidence: list[Evidence] = field(default_factory=list)
    # the polarities each evidence sentence shows, by the sentence's start offset (a report
    # may show both, in different sentences; one sentence may show both)
    shown: dict[int, set[str]] = field(default_factory=dict)


@dataclass
class Extraction:
    """All that extraction found in one report."""
    states: list[StateMention] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    extractor: str = ""    # kg's version and the language pipeline (kg.extraction.extractor())

    def summary(self) -> dict[str, int]:
        return {"states": len(self.states), "officials": len(self.officials),
                "agreements": len(self.agreements), "events": len(self.events),
                "relations": len(self.relations)}
