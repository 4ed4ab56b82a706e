"""Extraction: one report in, its facts out (kg.facts.Extraction).

Each kind of fact has its own module; all read the same Context (parsed text, sentences,
gazetteer matches, dates) built once per report by kg.extraction.context. Word lists and
patterns are data files in kg/data/. It may import kg.facts, kg.dates and kg.gazetteer, and
nothing that stores or serves.
"""
from __future__ import annotations

from functools import lru_cache

from kg.facts import Extraction


@lru_cache(maxsize=1)   # as the pipeline itself (pipeline.nlp): one per process
def extractor() -> str:
    """What extracts facts here: kg's version and the language pipeline. Stored with each
    report (bkg:extractedWith), so that another one extracts a stored report again."""
    from importlib.metadata import PackageNotFoundError, version

    from kg.extraction.pipeline import describe

    try:   # the installed distribution's version (kg/__init__.py imports the layers above)
        kg_version = version("bilateral-kg")
    except PackageNotFoundError:
        kg_version = "unknown"
    return f"kg {kg_version}; {describe(short=True)}"


def extract(report) -> Extraction:
    from kg.extraction.context import Context

    return extract_from(Context.build(report))


def extract_many(reports: list) -> list:
    """extract() over several reports, their texts analysed together (context.analyse): the
    same facts, in less time. Each item is the report's Extraction, or the exception its
    extraction raised (one report's failure spoils no other)."""
    from kg.extraction.context import analyse

    out: list = []
    for context in analyse(reports):
        if isinstance(context, Exception):
            out.append(context)
            continue
        try:
            out.append(extract_from(context))
        except Exception as e:
            out.append(e)
    return out


def extract_from(context) -> Extraction:
    """The rules over a report already analysed (Context.build: the spaCy pipeline)."""
    from kg.extraction.states import find_states
    from kg.extraction.officials import find_officials, pronoun_referents

    from kg.extraction.agreements import find_agreements
    from kg.extraction.events import find_events
    from kg.extraction.relations import find_relations

    officials, people_by_sentence, pairs_by_title = find_officials(context)
    # "he held talks with ...": the official last told as the subject, a person of the sentence
    pronouns = pronoun_referents(context, officials, people_by_sentence)
    extraction = Extraction(states=find_states(context), officials=officials)
    # (the two persons a group title stands for are an event's people, not a state's mention)
    event_people = {start: set(people) for start, people in people_by_sentence.items()}
    for start, pair in pairs_by_title.items():
        event_people.setdefault(start, set()).update(pair)
    extraction.events = find_events(context, officials, event_people)
    extraction.agreements = find_agreements(context, extraction.events, officials,
                                            people_by_sentence)
    # In pair order: the rules gather pairs in sets, whose order changes with the process's
    # hash seed, and a report's graph must be the same in every process (kg ingest --jobs).
    extraction.relations = sorted(find_relations(context, extraction, people_by_sentence,
                                                 pronouns),
                                  key=lambda relation: relation.states)
    extraction.extractor = extractor()
    return extraction
