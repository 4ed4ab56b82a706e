"""Events: meetings, visits, receptions, negotiations, calls, summits, credentials, conflicts.

A trigger phrase from kg/data/events.yml makes an event of its kind; over the parse, its
mood (done, planned, unreal) decides whether it counts, and a meeting about a process is a
negotiation. Its date is the one the parse hangs on the trigger, else the nearest in the
sentence outside other adverbial clauses (relative dates and weeks resolved against the
report's date), or the one the sentence before gave; only the lead's news told as done with
no date takes the report's month, other undated events keep none. Its place is a visit's
object, or follows "in"/"at"/"to", or is that of the visit it was held during; its
participants are the states the sentence names and the states of the officials it names
(for an `other` act, its actor and targets in the parse where both are named). A phrase that refers
back ("the meeting", "during the talks") adds evidence to an event already found instead of
making a new one; generic and plural mentions ("recent high-level visits") make none.
"""
from __future__ import annotations

from collections import Counter

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extraction import lexicon
from kg.extraction.pipeline import has_parse
from kg.extraction.context import Context, entity_at
from kg.extraction.officials import name_token
from kg.facts import Event, Evidence, Official

# kinds that a meeting trigger in the same sentence only restates ("received credentials")
SPECIFIC = {"credentials", "phone_call", "negotiation"}
# what an anaphoric mention of one kind may refer back to
COMPATIBLE = {"meeting": ("meeting", "credentials", "negotiation"),
              "negotiation": ("negotiation",),
              "reception": ("reception", "meeting", "credentials"),
              "visit": ("visit",), "summit": ("summit",), "phone_call": ("phone_call",),
              "credentials": ("credentials",), "conflict": ("conflict",), "other": ("other",)}
INVITATION = re.compile(r"\binvit\w*\b[^.;]{0,40}$")
# "a ceremony", "a grand welcome ceremony": one not told before
INDEFINITE_BEFORE = re.compile(r"\b(a|an)\s+([\w-]+\s+){0,2}$")
# "at the invitation of": how a visit came about, told as done
AT_INVITATION = re.compile(r"\b(at|on|upon|following|after)\s+(the\s+|an\s+)?(\w+\s+)?invitation\b")
# "a reception to mark November 8": a commemorated day is the occasion, not the date
OCCASION = re.compile(r"\b(mark(s|ed|ing)?|celebrat\w*|commemorat\w*|anniversary of|occasion of)"
                      r"\s+(the\s+)?$", re.I)
# kinds whose mentions in one report are told apart by date or place; others merge unless
# their dates disagree
DISTINCT = {"meeting", "visit", "phone_call"}
CESSATION = re.compile(r"\b(cessation of|end to|end the|halt to|halt the|stop the|ceasefire in|"
                       r"truce in)\s+(the\s+)?$")
# kinds that take place where the report is filed from when the lead names no place
AT_DATELINE = {"meeting", "reception", "credentials", "negotiation", "summit"}
# How far from its trigger a date may stand and still be the event's (characters)
DATE_REACH = {"conflict": 60}
ENVOY_LIST_REACH = 1500      # characters after a credentials sentence where its envoys are listed
# `other` acts a state does at home, whose sentence's other states are no side of them
ONE_SIDED = {"emergency", "address", "independence", "membership", "election"}
# verbs whose subject holds the election their object names
HOLDING_VERBS = {"hold", "stage", "organise", "organize", "conduct"}
LEAD_SENTENCES = 2            # the headline and the lead's first sentences tell the news
SUMMIT_SIZE = 4               # a meeting of this many states or more is a summit
DEFINITE = re.compile(r"\b(the|this|that|his|her|their|its)\s+([\w-]+\s+){0,3}$")


def find_events(context: Context, officials: list[Official],
                people_by_sentence: dict[int, set[int]]) -> list[Event]:
    lex = lexicon.events()
    more = _more()
    denied = lexicon.polarity().denied
    parsed = has_parse(context.doc)
    events: list[Event] = []
    weak: set[int] = set()        # events read only from a headline or standfirst line
    inferred_dates: set[int] = set()    # events whose date is the lead's, not their own
    types: dict[int, str] = {}    # id(event) -> type of an `other` act (expel, recall, ...)
    futures: set[int] = set()     # events told as planned
    apart: set[int] = set()       # events told as another occurrence than those before
    actor_of: dict[int, str] = {}   # id(event) -> the state an `other` act's subject names
    formats: dict[int, str] = {}  # id(meeting) -> its format: restricted or expanded
    splits: set[int] = set()      # events one plural mention stood for ("separate meetings")
    place_states = {context.doc[m.start:m.end].text: m.key for m in context.matches
                    if m.kind in ("name", "capital")}
    rounds: set[int] = set()      # meetings told as another round ("for a second time")
    news: set[int] = set()        # events of the lead told as done: the report's news
    # Every event made here stays referenced until the end: the sets above hold ids, and a
    # merged event, freed, could leave its id to a later one (which then passed for the lead's
    # news in some processes and not others, by where the allocator put it)
    alive: list[Event] = []
    lead_date = _lead_date(context)
    headings = _day_headings(context)   # a diary's day headings
    index_of = _index_of(officials)
    previous_lower = ""
    # the day the sentence before tells of, carried on through sentences that tell no other
    # time: a visit's programme told one sentence after another
    day_before: str | None = None
    last_sentence, last_dates, last_made, last_continues = None, [], [], False
    for number, sentence in enumerate(context.sentences):
        text = sentence.text
        lower = text.lower()
        before_sentence, previous_lower = previous_lower, lower
        if last_sentence is not None:
            day_before = _day_of(last_dates, last_made, day_before if last_continues else None)
        same_paragraph = last_sentence is not None and \
            "\n" not in context.text[last_sentence.end_char:sentence.start_char]
        # does this sentence go on with the day of the one before? In its paragraph and with
        # no other time of its own ("Before the ceremony", "Two days later"), or where it
        # says so ("The same afternoon")
        marked = bool(more.that_day.search(lower) or more.later_in_day.search(lower))
        continues = marked or same_paragraph and not more.other_time_words.search(lower)
        if not parsed and denied.search(lower):
            continue                          # "X denied reports that it held talks" (with
            #                                   a parse, the trigger's own governors tell)
        dates = [d for d in context.dates_in(sentence)
                 if not OCCASION.search(context.text[max(0, d.start - 25):d.start]) and
                 not _quoted_today(context.text, d)]
        if number == 0:
            dates = _past_unread_dateline(context, dates)
        # what a diary's day heading ("MONDAY, July 19" on a line of its own) dates, up to the
        # next heading: a sentence under it with no day of its own
        heading_day = None if dates else next(
            (day for first, last, day in reversed(headings)
             if first <= sentence.start_char < last), None)
        people = [officials[i] for i in sorted(people_by_sentence.get(sentence.start, ()))]
        made: dict[tuple, set] = {}           # kinds (and types) made: by the acting state
        made_days: dict[tuple, set] = {}      # ... and their days
        made_at: dict[tuple, list] = {}       # ... and their words
        made_here: list[Event] = []           # the events this sentence told
        last_sentence, last_dates, last_made, last_continues = sentence, dates, made_here, continues
        triggers = _triggers(lex, lower, keep_meetings=True)
        # (a specific trigger that did not happen implies no meeting away: "held talks in
        # Almaty, agreeing to continue negotiations" keeps the talks)
        live = [t for t in triggers if not (
            parsed and t[0] in SPECIFIC and (tok := _trigger_token(sentence, t[1], t[2]))
            is not None and (_mood(tok, more.modality) == "unreal" or
                             _undated_start(tok, dates, more)))]
        # ... nor one told as a span of time or a count: no event, of any kind ("after four
        # years of negotiations", "several rounds of talks"), and it hides no meeting ("signed
        # at a meeting in Neptun, after five years of negotiations")
        live = [t for t in live if not (more.duration_of.search(lower[:t[1]]) or
                                        more.rounds_of.search(lower[:t[1]]))]
        # ... nor one that is only the medium of another event told ("the Summit held by
        # video conference", "to hold consultations by video link"): no call of its own
        live = [t for t in live if not (
            t[0] == "phone_call" and VIDEO.match(lower[t[1]:t[2]]) and
            MEDIUM_BEFORE.search(lower[:t[1]]) and
            any(k != "phone_call" for k, _, _ in live))]
        for kind, start, end in _implied_dropped(lower, live):
            before = lower[:start].rstrip()
            last_word = before.rsplit(None, 1)[-1] if before else ""
            invited = INVITATION.search(lower[:start])
            accepted = False
            if invited and not AT_INVITATION.search(lower[:invited.end()]):
                accepted = kind == "visit" and _invitation_accepted(context, number, lower, more)
                if not accepted:
                    continue                  # "invited him to visit", not "at the
                    #                           invitation of X, visited"
            if last_word in lex.generic_before and not \
                    (parsed and _one_occurrence(sentence, start, end)):
                continue                      # "recent high-level visits", not "the first
                #                               high-level visit"
            if kind == "conflict" and CESSATION.search(lower[:start]):
                continue                      # "a cessation of hostilities" is no fighting
            if more.habitual.search(lower[end:]) or more.plural_partners.search(lower[end:]):
                continue                      # "hold consultations on a regular basis",
                #                               "consultations with several countries"
            if parsed and (tok := _trigger_token(sentence, start, end)) is not None and \
                    any(c.dep_ == "advmod" and c.lower_ in more.habitual_adverbs
                        for c in (*tok.children, *(tok.head.children if tok.dep_ in
                                                   ("dobj", "nsubjpass") else ()))):
                continue                      # "boats have repeatedly been seized", "they
                #                               often hold talks"
            if kind == "reception" and "ceremony" in lower[start:end] and \
                    (more.signing.search(lower) or more.signing.search(before_sentence) and
                     not INDEFINITE_BEFORE.search(lower[:start])):
                continue                      # a signing ceremony: the agreement's (not "a
                #                               ceremony to welcome him" after a sentence on
                #                               what was signed: a new one)
            if kind == "meeting" and lower[start:end].startswith("summon") and \
                    more.own_envoy_recall.search(lower[end:]):
                kind = "other"                # "summoned its ambassador for consultations"
            mood = "real"
            token = None
            if not parsed and kind == "meeting" and lower[start:end].startswith(HOSTING):
                continue                      # "hosted the summit": only the parse tells
            if not parsed and lower[start:end] in ("called", "calls"):
                continue                      # only the parse tells a call from a name
            if lower[start:end] == "visits" and not (
                    parsed and getattr(_trigger_token(sentence, start, end), "tag_", "") == "VBZ"):
                continue                      # "X visits Y", not "visits" the plural noun
            if parsed:
                token = _trigger_token(sentence, start, end)
                if token is not None and lower[start:end] in CALLS_ON and \
                        _a_demand(token, more):
                    continue                  # "called on Chad to withdraw": no courtesy call
                if token is not None and _in_a_title(token):
                    continue                  # "a protocol on consultations between the two
                    #                           ministries", "the agreement on visa-free visits"
                if token is not None and kind == "meeting" and \
                        token.dep_ in ("compound", "nmod") and token.head.i > token.i and any(
                        k == "summit" and s0 <= token.head.idx - sentence.start_char < e0
                        for k, s0, e0 in triggers):
                    continue                  # "the Asia-Europe Meeting summit": the name of
                    #                           the summit, not a meeting of its own
                if token is not None and kind == "other" and _in_a_title(token, TALKS_ABOUT):
                    continue                  # "talks on normalizing relations": their topic
                if token is not None and token.dep_ == "pobj" and \
                        token.head.lower_ in MEANS_PREPS:
                    continue                  # "to resolve their claims through negotiations":
                    #                           a means, no occurrence
                if token is not None and kind == "meeting" and _received_a_thing(token, more):
                    continue                  # "received instructions", "received a letter"
                if token is not None and kind == "meeting" and _called_home_for(token, more):
                    continue                  # "recalled its ambassador for consultations"
                if kind == "meeting" and lower[start:end].startswith(HOSTING) and \
                        (token is None or not _hosted_people(token, more)):
                    continue                  # "hosted the summit", "hosted the guests"
                if kind == "phone_call" and lower[start:end] in ("called", "calls") and \
                        token is not None and _hosted_people(token, more) and any(
                        c.dep_ == "prep" and c.lower_ == "to" for c in token.children):
                    kind = "meeting"          # "called the ambassador to the ministry": a
                    #                           summons
                elif kind == "phone_call" and lower[start:end] in ("called", "calls") and \
                        (token is None or not _called_someone(token, more)):
                    continue                  # "called the move illegal", "calls for"
                mood = _mood(token, more.modality) if token is not None else "real"
                if mood == "real" and " due " in f" {lower[start:end]} ":
                    mood = "future"           # "is due in Rabat on Saturday"
                if mood == "real" and token is not None and token.pos_ == "NOUN" and \
                        _told_as_coming(token, more):
                    mood = "future"           # "at the next meeting of the commission, due
                    #                           in Lusaka in August": the coming August
                if accepted:
                    mood = "future"           # the visit an accepted invitation is to
                if mood == "unreal" or _met_with_a_thing(token, more.modality):
                    continue                  # "called on X to withdraw", "if talks fail"
                if mood == "future" and CALLED_OFF.search(lower, end):
                    continue                  # "had planned a visit ..., but it was called off"
                if token is not None and kind == "conflict" and _no_fighting(token, more):
                    continue                  # "war criminals", "clashed with police"
                if token is not None and kind == "visit" and (
                        _visited_a_thing(context, token, more) or _visited_a_site(token, more)
                        or _private_travellers(token, more)):
                    continue                  # "visiting a number of businesses", "his visit
                    #                           to the Yasukuni Shrine", "easier for tourists
                    #                           to travel to Chile"
                if kind == "meeting" and token is not None and \
                        (_with_no_state(context, token, more) or _a_house_sitting(token, more)):
                    continue                  # "a meeting between a minister and protesters",
                    #                           "deputies and senators, meeting in joint
                    #                           session, approved the treaty"
                if kind == "meeting" and token is not None and _negotiating(token, more):
                    kind = "negotiation"      # "met to start talks on normalisation"
            came_from = _returned_from(token) if kind == "meeting" and token is not None \
                else None
            if came_from is not None:
                kind = "visit"                # "returned from Baghdad after two days of talks"
            if kind == "meeting" and token is not None and token.pos_ == "NOUN" and \
                    any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
                # "the members present at the Cairo meeting": the summit told before at Cairo
                named = [c.text for c in token.children
                         if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
                summit = next((e for e in reversed(events) if e.kind == "summit" and e.place
                               and e.place in named), None)
                if summit is not None:
                    context.append_new(summit.evidence,
                                       Evidence(sentence.start_char, sentence.end_char))
                    continue
            if kind == "visit" and token is not None and _forces_arrived(token):
                kind = "other"                # "the first U.S. troops arrived in Saudi
                #                               Arabia": a deployment, no visit
            if kind == "meeting" and lower[start:end].startswith("meet ") and not dates:
                continue                      # a headline's present ("leaders meet in Apia")
                #                               tells no timetable: that needs a day
            if kind == "other" and _a_name_or_attribute(text[start:end], sentence, start):
                continue                      # "the Protocol on the Establishment of Diplomatic
                #                               Relations", "the newly appointed envoys"
            if text[start:start + 1].isupper() and more.document_title.search(text[:start]):
                continue                      # "a Memorandum of Understanding on Political
                #                               Consultations": a document's title, no meeting
            evidence = Evidence(sentence.start_char, sentence.end_char)
            other_time = bool(more.not_anaphoric.search(lower[:start]))
            # "the tenth session": a numbered occurrence is its own, not the last one told
            numbered = bool(more.other_start.match(lower[start:end]) or
                            more.numbered.search(lower[:start]))
            anaphoric = not other_time and not numbered and (
                any(before.endswith(a) for a in lex.anaphoric) or
                bool(DEFINITE.search(lower[:start]) and not _a_verb(token)) or
                "the event" in lower[:start])
            if anaphoric and kind not in ("other", "conflict"):
                target = _antecedent(context, events, COMPATIBLE.get(kind, (kind,)), token,
                                     sentence)
                own = _own_date(context, _not_since(context, dates, sentence, start, token),
                                token, mood) or heading_day
                if target is not None and own and target.date and \
                        not _dates_agree(own, target.date):
                    target = None             # "she will present her credentials in May"
                if target is not None and kind == "credentials" and target.place and \
                        _place(context, sentence, start, kind) not in (None, target.place):
                    target = None             # "earlier this month the ambassador of A
                    #                           presented his credentials in Prague": another
                    #                           ceremony than the one told at the State Palace
                if target is not None and id(target) in futures and mood == "real" and \
                        token is not None and token.dep_ in ("dobj", "nsubjpass") and \
                        _a_verb(token.head):
                    target = None             # "have held the first meeting" after "the
                    #                           next summit": one done, not the one to come
                if target is not None and kind == "meeting" and token is not None and \
                        formats.get(id(target)) and \
                        formats[id(target)] not in (_meeting_formats(token, more) or
                                                    [formats[id(target)]]):
                    target = None             # "a private meeting", then "the talks between
                    #                           the two delegations": another one
                if target is not None:
                    context.append_new(target.evidence, evidence)
                    _add_people(target, people, index_of)
                    if target.place is None and kind == target.kind:
                        # "presented the credentials in a ceremony at the Kremlin": the
                        # restatement tells where
                        target.place = _place(context, sentence, start, kind)
                    if target.date is None and own and kind == target.kind and \
                            id(target) in futures and (context.report_date is None or
                                                       own > context.report_date):
                        target.date = own     # "... accepted. The visit is expected to take
                        #                       place in the first quarter of 2026"
                    if target.kind in ("summit", "credentials"):   # who else took part is told later
                        for state in _participants(context, sentence, people, token):
                            if state not in target.participants and (
                                    state not in context.mediators or
                                    target.kind == "summit" and state in context.hosts):
                                target.participants.append(state)
                    if number > 0 and text.rstrip().endswith((".", "!", "?", "”", '"')):
                        weak.discard(id(target))   # the body tells the headline's event
                    continue
            kind_type = _other_type(more, lower[start:end]) if kind == "other" else None
            if anaphoric and kind_type == "coup":
                # "Britain also condemned the coup": the coup told before, whoever reacts
                told_coup = next((e for e in reversed(events) if e.kind == "other" and
                                  _other_type(more, e.trigger.lower()) == "coup"), None)
                if told_coup is not None:
                    context.append_new(told_coup.evidence, evidence)
                    continue
            if kind_type == "other" and lower[start:end].startswith("summon"):
                kind_type = "recall"          # its envoy called home: the recall told again
            if not parsed and kind_type in more.needs_parse:
                continue                      # "the imminent launch": only the parse can tell
            if kind_type == "membership" and token is not None and \
                    not _joined_a_body(token, more):
                continue                      # "joined NATO leaders at the summit"
            if kind_type == "recognition" and PLAIN_RECOGNITION.match(lower[start:end]) and \
                    not _recognised_a_polity(token, more):
                continue                      # "recognised the importance of", "the need"
            if kind_type == "protest" and any(k == "meeting" for k, _, _ in triggers):
                continue                      # a note handed over at a summons: the summons
            if kind_type == "protest" and more.note_handed.search(lower):
                kind, kind_type = "meeting", None   # "handed the envoy a note of protest"
            # one event of a kind per sentence, but for a clause of another state acting
            # ("Washington expelled 60 diplomats, while Poland expelled four")
            actor = _subject_state(context, token) if token is not None else None
            actors = made.setdefault((kind, kind_type), set())
            days = made_days.setdefault((kind, kind_type), set())
            told = bool(actors) and (actor is None or actor in actors or None in actors)
            reported = told and token is not None and mood == "future" and any(
                token.i in _reported_clauses(t) for t in made_at.get((kind, kind_type), ()))
            if reported:
                told = False                  # "held a meeting and agreed that the commission
                #                               would meet in January": another one, to come,
                #                               where its clause gives it a day (below)
            planned = [e for e in made_here if e.kind == kind]
            if told and mood == "real" and token is not None and token.pos_ == "VERB" and \
                    planned and all(id(e) in futures for e in planned):
                # "first agreed to meet without formalities when they held talks in Denver
                # in June", "who had agreed to meet, held talks on Monday": the meeting held
                # is the one told, not one to come
                # (by identity: an equal event told elsewhere stays)
                events[:] = [e for e in events if all(e is not p for p in planned)]
                made_here[:] = [e for e in made_here if all(e is not p for p in planned)]
                told = False
            told_formats = _meeting_formats(token, more) \
                if kind == "meeting" and token is not None else []
            if told and told_formats and any(
                    formats.get(id(e)) not in (None, *told_formats)
                    for e in made_here if e.kind == kind):
                told = False                  # "a private meeting, followed by an enlarged
                #                               meeting with their delegations": two
            setting = token is not None and kind in ("meeting", "negotiation") and any(
                c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children) and any(
                a.lower_ in MARGINS and a.dep_ == "pobj" for a in token.ancestors)
            if setting:
                told = False                  # "met B on the sidelines of a trilateral
                #                               meeting with C": the setting is another one
            if told and not (days and token is not None and _conjoined_clause(token)):
                continue
            left = _left_place(token) if parsed and token is not None else None
            told_dates = _not_since(context, dates, sentence, start, token)
            if left is not None:
                # "returned today from Arusha, where she co-chaired the session": what was
                # done there was done before the return, on no day the main clause gives
                told_dates = [d for d in told_dates if d.start > left.idx]
            date = _event_date(context, more, told_dates, sentence, start, end, kind, mood,
                               events, token, day_before)
            if came_from is not None and date and len(date) == 10:
                date = date[:7]               # the day told is the return's: the talks were
                #                               before it, in its month
            date = heading_day or date        # a diary's day heading ("MONDAY, July 19")
            if told and not (date and date not in days and (
                    len(date) == 10 or token is not None and _conjoined_clause(token))):
                continue                      # but "met X on Monday and was received by Y the
                #                               following day": a verb of its own day
            if reported:
                clause = _clause_of(token)
                if not (date and date not in days and any(
                        clause.start_char <= d.start < clause.end_char for d in told_dates)):
                    continue
            actors.add(actor)
            days.add(date)
            if token is not None:
                made_at.setdefault((kind, kind_type), []).append(token)
            if kind == "negotiation" and date is None and token is not None and \
                    _to_be_started(token, more):
                continue                      # "agreed to start negotiations on a treaty"
            inferred = date is None and number <= 3 and kind != "conflict" and lead_date and \
                mood == "real" and not other_time and left is None and \
                (token is None or _a_span_before(token) is None and
                 _part_of_a_visit(token) is None)
            follows = None                    # the act this one is told as following
            then = mood == "real" and token is not None and events and any(
                c.dep_ == "advmod" and c.lower_ in THEN for c in list(token.children) +
                (list(token.head.children) if token.dep_ == "dobj" else []))
            before = None if not then else next(
                (e for e in reversed(events) if e.kind in PROGRAMME and e.date), None) \
                if kind in PROGRAMME else events[-1]
            if before is not None and before.date and \
                    (date is None or not told_dates and kind in PROGRAMME):
                # "the minister was then received by the Prime Minister": on the day of what
                # was told just before (of a visit's programme, what was told of it last,
                # not a clash told between as its cause)
                date, inferred = before.date, False
                follows = before
            if date is None and not inferred and mood == "real" and not other_time and \
                    kind in ("meeting", "reception") and continues and not marked and \
                    day_before and came_from is None:
                # "On October 4 talks were held. He was received in audience by the King":
                # a programme told on, on the day told just before
                date = day_before
            # a mediator is no side of the talks it brokers, but is of what it does itself
            # ("Kazemzadeh held talks in Baku"); a summit's host takes part
            acting_mediator = _acting_mediator(context, token, people) \
                if token is not None and context.mediators else None
            participants = [p for p in _participants(context, sentence, people, token)
                            if p not in context.mediators or p == acting_mediator or
                            kind == "summit" and p in context.hosts]
            if parsed and token is not None:
                # "held talks in Islamabad last week, and is due in New Delhi on Friday": each
                # of two joined clauses has its own sides
                participants = _clause_sides(context, sentence, token, participants,
                                             people) or participants
            own = _own_states(context, token, kind, kind_type)
            pair_acted_on: list[tuple[str, str]] = []   # each actor on each of the pair
            if kind_type == "election":
                # a national election is one state's: the one its phrase names, else the only
                # state the sentence names ("congratulated the Russian president on the
                # victory at the parliamentary elections"), not the congratulating side
                held_by = _subject_state(context, token) \
                    if token is not None and token.pos_ in ("VERB", "AUX") else None
                if held_by is None and token is not None and token.dep_ == "relcl" and \
                        token.head.left_edge.i < token.left_edge.i:
                    # "President A of Uzbekistan, who was elected on Sunday": the state of
                    # the one the clause tells of
                    named = context.states_in(context.doc[token.head.left_edge.i:
                                                          token.left_edge.i])
                    held_by = named[0] if len(named) == 1 else None
                holders = sorted(_subject_states(context, token, people, modifiers_only=True)
                                 or ()) if held_by is None and token is not None and \
                    token.dep_ == "dobj" and token.head.lemma_ in HOLDING_VERBS else []
                if len(holders) >= 2:
                    own = holders             # "Estonia and Latvia held elections": each its own
                else:
                    own = [held_by] if held_by else \
                        _election_state(context, sentence, token) or own
                # ("Venezuela held a referendum on the territory Guyana administers": the
                # state that holds it)
            if kind_type == "independence":
                # the state that declares itself independent, its clause's subject ("Kosovo
                # declared independence from Serbia" is no state's act)
                own = sorted(_not_the_dateline(context, sentence, token, _subject_states(
                    context, token, people, modifiers_only=True) or set())) \
                    if token is not None else []
                if not own and token is not None and _both_as_subject(_clause_verb(token)):
                    own = sorted(context.main_pair)   # "since both declared independence"
                if not own:
                    continue
            if kind_type == "membership" and token is not None:
                # the state that joins, its clause's subject ("Vietnam became the seventh
                # member of ASEAN at a ceremony in the Brunei capital")
                joiners = _subject_states(context, token, people, modifiers_only=True) or set()
                own = sorted(_not_the_dateline(context, sentence, token, joiners)) or own
            if own:
                participants = own
            elif token is not None and (kind == "other" or kind in ("conflict", "visit") and
                                        token.pos_ == "VERB"):
                # (and a fight told by a verb: "the Algerian army shot down a Malian drone")
                acting = [p for p in _act_states(context, token, people)
                          if p not in context.mediators]
                if kind == "other" and len(context.main_pair) == 2 and acting and \
                        not set(acting) & set(context.main_pair) and \
                        _pair_as_object(_clause_verb(token), more):
                    # "Paris and Rome recognised both new states": the report's two, each
                    # acted on by each actor
                    pair_acted_on = [(a, p) for a in acting for p in context.main_pair]
                    acting += list(context.main_pair)
                if len(acting) >= 2 or acting and kind_type in ONE_SIDED:
                    # who acts and on whom, not the whole sentence; with one side only
                    # (an actor told as "we", "its"), the sentence's states stand, but for
                    # an act at home ("said in an address to the nation that ...")
                    participants = acting
            place = _visited(context, token, kind) or _place(context, sentence, start, kind)
            if left is not None:
                place = _place_named_at(context, left) or place
            if came_from is not None:
                place = _place_named_at(context, came_from) or place
            if place and (kind == "visit" and len(participants) < 2 or
                          kind in ("meeting", "negotiation") and len(participants) == 1 and
                          token is not None and _subject_states(
                              context, token, people, modifiers_only=True) == set(participants)):
                # "is in Baku on an official visit", "landed in Canberra": the state visited
                # (and "the Iranian minister held talks in Baku": the host's side)
                host = _state_of_place(context, sentence, place)
                if host and host not in participants and host not in context.mediators:
                    participants.append(host)
            if kind in lex.bilateral and token is not None and \
                    len(context.main_pair) == 2 and \
                    not set(context.main_pair) <= set(participants) and \
                    _both_sides_act(token, more):
                # "they agreed to hold a tripartite meeting with Uganda": the report's pair,
                # and the state named
                participants = list(context.main_pair) + \
                    [p for p in participants if p not in context.main_pair]
            series = _series(context, events, token, sentence, people, more) \
                if kind == "meeting" and token is not None else None
            if series is not None:
                # "the Ministers agreed to hold their next meeting in Georgia": the next one of
                # the three states' meetings told before, of the same states and kind
                kind, participants = series.kind, list(series.participants)
            talks = _of_the_talks(token) if kind == "meeting" and token is not None else None
            if talks is not None:
                # "the next session of the talks will be held in Conakry": of the kind those
                # talks were told as
                told_as = next((e for e in reversed(events) if e.kind in ("meeting", "negotiation")
                                and talks.lower_ in (e.trigger or "").lower()), None)
                if told_as is not None:
                    kind = told_as.kind
            if kind in lex.bilateral and len(participants) < 2:
                # "the leaders held talks": the two sides the report is about
                if not participants:
                    participants = list(context.main_pair)
                elif participants[0] == acting_mediator and len(context.main_pair) == 2:
                    # "the US President received the three ministers": the mediator met the
                    # sides it brokers between
                    participants += context.main_pair
                elif context.other_of_pair(participants[0]):
                    participants.append(context.other_of_pair(participants[0]))
                elif token is not None and _unnamed_actor(token) and \
                        (doer := _told_before(context, token) or context.home_state) not in \
                        (None, participants[0]):
                    # "the Minister discussed by telephone with the Sudanese minister": an
                    # actor named by title or pronoun alone is the reporting state's, unless
                    # "he" is the one the sentence before is about ("The American President
                    # arrived ... He will proceed to Damascus")
                    participants.insert(0, doer)
                elif kind == "negotiation" and participants[0] not in context.main_pair and \
                        context.home_state not in (None, participants[0]) and \
                        context.home_state in context.main_pair:
                    # "the Czech side handed over a draft, and the first round of
                    # negotiations will be held in Prague", told by the reporting state
                    participants.insert(0, context.home_state)
            if kind == "other" and participants and not own and \
                    set(participants) <= _only_where(context, sentence, people, capitals=True):
                # "the matter was taken to the court in The Hague, in the Netherlands": the
                # country of the place is no side; the report's pair are
                participants = []
            elif kind == "other" and len(participants) < 2 and not own and \
                    not (kind_type in ONE_SIDED and participants):
                # "recalled its ambassador in Rabat", "closed its embassy in Accra": the state
                # of the post is the other side (an address to the nation or a state of
                # emergency has none: the states its words name are no side)
                for state in context.states_in(sentence, places_too=True):
                    if state not in participants and state not in context.mediators:
                        participants.append(state)
            if kind in ("other", "reception", "conflict") and not participants:
                # "the border was sealed", "the fighting has killed dozens on both sides"
                participants = list(context.main_pair)
            elif kind == "reception" and len(participants) == 1 and \
                    context.other_of_pair(participants[0]):
                # "it was greeted at the airport by the foreign minister": a reception has
                # its guests, the other side of the report's pair
                participants.append(context.other_of_pair(participants[0]))
            separate = _separate(context, token, kind, participants) \
                if token is not None else []
            listed_days: dict[str, str | None] = {}   # a bulleted list's days, by state
            if not separate and kind in ("meeting", "phone_call") and token is not None and \
                    (token.tag_ == "NNS" or token.lower_ == "talks"):
                # "held bilateral meetings with:" and a bulleted list, one person a line
                listed = _bulleted_states(context, sentence)
                if listed:
                    side = _holding_side(context, participants, list(listed))
                    separate = [(side, state) for state in listed if state != side]
                    listed_days = listed
            if lower[start:end] == "meetings" and not separate:
                continue                      # "held meetings with officials": no one told
            if kind == "other" and not own and token is not None and not separate and \
                    actor is not None:
                # "The Maldives cut ties on Monday, Jordan downgraded its representation and
                # Mauritania broke off relations": each clause's subject acts alone, on the
                # state that the acts of the same type told just before were done to
                kept = [p for p in participants
                        if p not in _other_clauses_subjects(context, token)]
                if kept == [actor]:
                    target = _last_target(events, actor, kind_type, more)
                    participants = [actor, target] if target else kept
            if kind == "other" and not own and token is not None and not separate:
                # "recalled its ambassadors from Washington, Paris and Ankara": one act of the
                # actor on each state of the list
                separate = _acted_on_each(context, token, actor, participants) or \
                    _each_acting_on(context, token, participants) or \
                    [(a, p) for a, p in pair_acted_on if a in participants]
            if kind_type in ONE_SIDED and own and len(participants) >= 2 and not separate:
                # "Slovenia and Croatia declared independence", "both held elections": each
                # state's own act, one event each (the spec's election is a state's)
                separate = [(None, state) for state in participants]
            if kind == "meeting" and more.another_round.search(lower) and \
                    any(e.kind == "negotiation" and set(e.participants) & set(participants)
                        for e in events):
                kind = "negotiation"          # "agreed to meet again": the next round
            next_round = kind == "meeting" and bool(more.another_round.search(lower))
            if kind == "summit" and "summit" not in lower[start:end] and \
                    text[start:end] == lower[start:end] and \
                    len(context.main_pair) == 2 and set(participants) <= set(context.main_pair) \
                    and not any(m.kind == "organization" for m in context.matches_in(sentence)) \
                    and not MULTILATERAL_BEFORE.search(lower, 0, start):
                # "to co-chair the annual ministerial forum" of the report's two states: a
                # forum of two is their meeting (a summit is multilateral; a named one, "the
                # Pacific Islands Forum", or "an international conference", stays one)
                kind = "meeting"
                if len(participants) < 2:
                    participants = list(context.main_pair)
            if kind == "summit" and (BILATERAL_BEFORE.search(lower, 0, start) or
                                     _pair_named_before(context, sentence, start)) and \
                    len(participants) <= 2:
                kind = "meeting"              # "the bilateral summit": two states' meeting
                if len(participants) < 2 and len(context.main_pair) == 2:
                    participants = list(context.main_pair)
            if token is not None and not participants and \
                    len(context.main_pair) == 2 and _held_by_the_two(token):
                participants = list(context.main_pair)   # "the two presidents held a summit",
                #                                           "the two countries fought a war"
            if kind == "summit" and len(participants) == 2 and token is not None and \
                    text[start:end] == lower[start:end] and _their_summit(token) and \
                    not OF_A_BODY.match(text, end) and \
                    not any(m.kind == "organization" for m in context.matches_in(sentence)):
                kind = "meeting"              # "the Clinton-Yeltsin summit": a top-level
                #                               meeting of two states (the spec's meeting)
            held_by = _holders(context, token) if kind == "meeting" and token is not None \
                and len(participants) >= SUMMIT_SIZE else []
            if len(held_by) >= 2:
                # "..., to which A, B, C and D are signatories, the delegations of A and B held
                # their first joint meeting": the subject's states hold it, not the sentence's
                participants = held_by
            if kind == "meeting" and len(participants) >= SUMMIT_SIZE and not separate:
                kind = "summit"               # "the Leaders Meeting" of a dozen states
                # (which leaves the sentence's other meetings free)
                made[("meeting", kind_type)].discard(actor)
                made_days[("meeting", kind_type)].discard(date)
            held = LAST_HELD.match(lower[end:])
            if held:
                # "the talks of the two foreign secretaries, last held in New Delhi in
                # November": that occurrence, with its own day and place
                at = sentence.start_char + end + held.end()
                own_dates = [d for d in dates if d.start >= at - len(held.group("prep")) - 1]
                date = own_dates[0].value if own_dates else date
                place = _place(context, sentence, end + held.start("prep"), kind) or place
                inferred = False
            if kind in ("meeting", "negotiation") and not date and \
                    SIDELINES_OF_THE.search(lower):
                # "On the margins of the Summit, the President held bilateral meetings": on
                # the summit's days and at its place
                summit = next((e for e in reversed(events) if e.kind == "summit"), None)
                if summit is not None and summit.date:
                    date, inferred = summit.date, False
                    place = place or summit.place
            if more.bare_round.fullmatch(lower[start:end]):
                # "the seventh round, held in Thimphu": one of the series told before, of its
                # kind and sides ("the third round of the Consultations" is a meeting)
                earlier = next((e for e in reversed(events) if e.evidence and
                                more.numbered_round.search(context.text[
                                    e.evidence[0].start:e.evidence[0].end].lower())), None)
                if earlier is not None and earlier.kind in ("meeting", "negotiation"):
                    kind, participants = earlier.kind, list(earlier.participants)
                if lower[end:].startswith(" of which"):
                    # "the negotiations on the treaty, the eleventh round of which will be
                    # held in May": the round is the occurrence the negotiations told
                    events[:] = [e for e in events if not any(
                        e is m and m.kind == kind and m.date is None for m in made_here)]
            told_date = date or (lead_date if inferred else None)
            if kind == "visit" and told_date and len(told_date) == 10:
                told_date = _first_day(lower[max(0, start - 80):end], told_date)
            event = Event(kind=kind, date=told_date,
                          place=place,
                          participants=participants, trigger=text[start:end],
                          evidence=[evidence])
            alive.append(event)
            if reported:
                for earlier in made_here:
                    if earlier.kind == kind and earlier.place and earlier.place == place:
                        earlier.place = None  # the reported meeting's place ("agreed that
                        #                       the commission would meet in Apia"), not its
            made_here.append(event)
            if inferred:
                inferred_dates.add(id(event))
            if mood == "real" and not other_time and kind != "conflict":
                if number <= LEAD_SENTENCES:
                    news.add(id(event))
                if number <= 2 and event.place is None and kind in AT_DATELINE and \
                        _within_days(event.date, context.report_date, 3):
                    # the lead's meeting with no place named: where the report is filed from
                    event.place = getattr(context.report, "dateline_place", None)
            if kind_type:
                types[id(event)] = kind_type
            if next_round:
                rounds.add(id(event))         # the next round of a negotiation told later?
            if kind == "reception" and participants:
                event.organizer = participants[0]
            _add_people(event, people, index_of)
            if separate:
                # "separate meetings with A, B and C": three
                ahead = mood == "future" or bool(
                    event.date and context.report_date and event.date > context.report_date)
                for side, other_side in separate:
                    # one visit per state gone to: the first one's place is not the others'
                    place = None if kind == "visit" else event.place
                    day = listed_days.get(other_side) or event.date
                    stop = _tour_stop(context, dates, sentence, other_side, ahead) \
                        if kind == "visit" else None
                    if stop is not None:
                        place, day = stop[0], stop[1] or day
                    events.append(Event(kind=kind, date=day, place=place,
                                        participants=[side, other_side] if side else [other_side],
                                        persons=list(event.persons), trigger=event.trigger,
                                        evidence=list(event.evidence)))
                    splits.add(id(events[-1]))
                continue
            if mood == "future" or token is not None and _told_as_coming(token, more):
                futures.add(id(event))        # (and "the next summit")
            if more.later_in_day.search(lower) or other_time and token is not None and any(
                    child.dep_ == "amod" and child.lower_ in more.other_times
                    for child in token.children):
                apart.add(id(event))          # "later in the day, ...", "the next meeting"
            elif token is not None and (token.pos_ == "VERB" and any(
                    c.dep_ == "advmod" and c.lower_ == "separately" for c in token.children)
                    or token.pos_ == "NOUN" and token.tag_ == "NN" and any(
                    c.dep_ == "amod" and c.lower_ == "separate" for c in token.children)):
                apart.add(id(event))          # "the ministers met separately for talks", "held
                #                               a separate meeting": beside the leaders'
                #                               meeting, not it
            if series is not None or setting and kind != "summit":
                apart.add(id(event))          # the series' next one, not the one told before;
                #                               the meeting on whose sidelines one was held
            if told and event.place and all(
                    e.place != event.place for e in made_here if e.kind == kind and e is not event):
                apart.add(id(event))          # a second one of its sentence, on its own day
                #                               and at its own place
            if actor is not None and kind == "other":
                actor_of[id(event)] = actor
            if told_formats:
                formats[id(event)] = told_formats[0]
            same = None if id(event) in apart else \
                _same_event([e for e in events if e is not follows], event, inferred_dates,
                            types, futures, actor_of, officials, formats, place_states)
            # ("then held talks with his counterpart": the programme's next item, not the one
            # told just before, but maybe one the lead told)
            if id(event) in apart and kind == "meeting":
                # "met his counterparts from A and B", then "in a separate meeting, A's
                # minister ...": one of those told before, told again
                same = next((e for e in events if id(e) in splits and e.kind == kind and
                             set(e.participants) == set(event.participants) and
                             e.date and event.date and _dates_agree(e.date, event.date)), None)
            if same is not None:
                if id(same) in inferred_dates and event.date and same.date and \
                        id(event) not in inferred_dates and event.date[:7] == same.date[:7]:
                    same.date = event.date    # the day told, over the lead's put on it
                    inferred_dates.discard(id(same))
                _merge(context, same, event)
                if id(event) in formats:
                    formats.setdefault(id(same), formats[id(event)])   # then "an expanded
                    #                               meeting" is another one
                if number > 0:
                    weak.discard(id(same))    # the body tells the headline's event
                for name in told_formats[1:]:
                    # the talks told before, now told as held "first in a small group and then
                    # with their full delegations": the other format's meeting too
                    if formats.get(id(same)) != name and not any(
                            formats.get(id(e)) == name and e.kind == same.kind and
                            set(e.participants) == set(same.participants) for e in events):
                        one = _another(same, same.date, same.place)
                        formats[id(one)] = name
                        alive.append(one)
                        events.append(one)
                continue
            events.append(event)
            if number == 0 and not text.rstrip().endswith((".", "!", "?", "”", '"')):
                weak.add(id(event))
            for name in told_formats[1:]:
                # "held talks in restricted and expanded formats": a meeting in each
                one = _another(event, event.date, event.place)
                formats[id(one)] = name
                for marks in (inferred_dates, news, futures):
                    if id(event) in marks:
                        marks.add(id(one))
                alive.append(one)
                events.append(one)
            # "summoned the chargé on Saturday night and again on Sunday": two summonses;
            # "rounds will be held in Addis Ababa on November 15, in Cairo on December 2 and
            # in Khartoum on December 21": one a day and place listed (a day told both ways,
            # "met on Monday and again on Thursday", once)
            again = _again(context, dates, sentence, end) if mood == "real" else None
            more_days = [(again, event.place)] if again is not None and \
                again != event.date else []
            listed = _listed_occasions(context, dates, sentence.start_char + start, event, mood)
            if not listed and more.listed_only.search(event.trigger.lower()):
                events = [e for e in events if e is not event]   # "the rounds": no one of them
                continue
            more_days += [(day, where or event.place) for day, where in listed
                          if (day, where or event.place) not in more_days]
            for day, where in more_days:
                one = _another(event, day, where)
                alive.append(one)
                apart.add(id(one))
                if id(event) in futures:
                    futures.add(id(one))
                events.append(one)
        # one meeting told by two words of a sentence ("is expected to meet him on the
        # sidelines of the forum in Quito"), each on its own day and place: one event
        signs: set = set()
        for e in made_here:
            sign = (e.kind, e.date, e.place, frozenset(e.participants), formats.get(id(e)))
            if e.place and e.kind in ("meeting", "negotiation") and sign in signs:
                events = [x for x in events if x is not e]
            signs.add(sign)
    # a headline's event is the body's event told again: drop it where the body has its kind
    kinds = {e.kind for e in events if id(e) not in weak}
    events = [e for e in events if id(e) not in weak or e.kind not in kinds]
    # The lead's news, told as done with no date of its own, happened when the report was
    # written: its month (which agrees with any day of it). An event told further on with no
    # date keeps none: the text does not date it (the annotators leave such events undated).
    month = context.report_date[:7] if context.report_date else None
    for event in events:
        if event.date is None and id(event) in news and month:
            event.date = month
    # "are to meet for a second time in Vienna", told before the first round's negotiation:
    # the next round of it
    for event in events:
        if id(event) in rounds and event.kind == "meeting" and any(
                other.kind == "negotiation" and set(other.participants) == set(event.participants)
                for other in events):
            event.kind = "negotiation"
    # "Prior to the trilateral meeting, the minister held bilateral meetings": an event with
    # no date of its own, told against one before it, is on that one's day and in its place
    for event in events:
        if event.date is not None or not event.evidence:
            continue
        told = context.text[event.evidence[0].start:event.evidence[0].end]
        found = RELATIVE_TO.search(told)
        if not found:
            continue
        kinds = RELATIVE_KINDS[found.group("noun").lower()]
        before = [e for e in events if e is not event and e.kind in kinds and e.date and
                  e.evidence and e.evidence[0].start < event.evidence[0].start]
        # (the one its words name: "the trilateral meeting", not the latest of its kinds)
        words = [w for w in re.findall(r"\w+", (found.group(3) or "").lower()) if len(w) > 3]
        named = [e for e in before if words and any(
            w in context.text[x.start:x.end].lower() for x in e.evidence for w in words)]
        if before:
            other = named[0] if named else before[-1]
            event.date = other.date
            event.place = event.place or other.place
    # "On Wednesday, the day of his arrival, the minister held talks": the visit under way
    # began that day, earlier than the day the lead put on it
    for sentence in context.sentences if ARRIVAL_DAY.search(context.text) else ():
        if not ARRIVAL_DAY.search(sentence.text):
            continue
        days = [d.value for d in context.dates_in(sentence) if len(d.value) == 10]
        if len(days) != 1:
            continue
        for event in events:
            if event.kind == "visit" and event.date and len(event.date) == 10 and \
                    days[0] < event.date and _within_days(days[0], event.date, 7) and \
                    event.evidence[0].start < sentence.start_char:
                event.date = days[0]
    # a meeting held during a visit, with no place of its own, is held where the visit went
    visits = [e for e in events if e.kind == "visit" and e.place and e.date]
    for event in events:
        if event.place is None and event.kind in ("meeting", "reception", "negotiation") and \
                event.date:
            for visit in visits:
                if set(event.participants) == set(visit.participants) and \
                        _within_days(visit.date, event.date, 3) and \
                        event.evidence[0].start >= visit.evidence[0].start:
                    event.place = visit.place
                    break
    diplomats = sorted((o.evidence[0].start, i) for i, o in enumerate(officials)
                       if o.role in ("ambassador", "diplomat") and o.state and o.evidence)
    host = _credentials_host(context, events, officials)
    return [split for event in events
            for split in _one_per_envoy(event, officials, diplomats, index_of, host, context)]


DAY_HEADING = re.compile(r"[ \t]*(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+"
                         r"(?:\d{1,2}[ \t]+[a-z]+|[a-z]+[ \t]+\d{1,2})(?:,?[ \t]+\d{4})?\.?[ \t]*",
                         re.I)


def _day_headings(context: Context) -> list[tuple[int, int, str]]:
    """The lines that are a day alone, with its weekday ("MONDAY, July 19"; not a release's
    own date line), as (start of what they head, end, day): what follows, up to the next
    heading or the end of the text."""
    found: list[tuple[int, str | None]] = []
    for line in re.finditer(r"[^\n]+", context.text):
        text = line.group().strip()
        if DAY_HEADING.fullmatch(text):
            day = next((d.value for d in context.dates
                        if line.start() <= d.start < line.end() and len(d.value) == 10), None)
            if day:
                found.append((line.end(), day))
        elif found and text.isupper() and len(text) <= 60 and not text.endswith("."):
            found.append((line.end(), None))  # another heading ("STILL TO BE DATED")
    return [(start, found[k + 1][0] if k + 1 < len(found) else len(context.text), day)
            for k, (start, day) in enumerate(found) if day]


def _another(event: Event, date: str | None, place: str | None) -> Event:
    """One more occurrence of an event told once (another format, day or place of it)."""
    return Event(kind=event.kind, date=date, place=place,
                 participants=list(event.participants), persons=list(event.persons),
                 trigger=event.trigger, evidence=list(event.evidence))


def _one_per_envoy(event: Event, officials: list[Official], diplomats: list[tuple[int, int]],
                   index_of, host: str | None, context: Context) -> list[Event]:
    """"Four new envoys presented their credentials: - A, Ambassador of X; - B, …": one
    presentation of credentials per envoy, each between the envoy's state and the host.
    `diplomats` are (first evidence start, index) of the officials who may be envoys, sorted;
    `host` is the receiving state, where the report makes it plain."""
    if event.kind != "credentials" or not event.evidence:
        return [event]
    start = event.evidence[0].start
    # only the diplomats named within reach after the event, taken in the officials' order,
    # and before the report turns to another day ("A day earlier, on Wednesday, the
    # Ambassador of Japan presented a copy of his credentials")
    reach = start + ENVOY_LIST_REACH
    told_end = event.evidence[0].end
    for d in context.dates:
        if told_end <= d.start < reach and event.date and not _dates_agree(d.value, event.date):
            span = context.doc.char_span(d.start, d.end, alignment_mode="expand")
            reach = (span.sent.start_char if span is not None else d.start) - 1
            break
    near = diplomats[bisect_left(diplomats, (start, -1)):
                     bisect_right(diplomats, (reach, len(officials)))]
    envoys: dict[str, Official | None] = {}
    if host is not None and host in event.participants:
        # the states named with the presentation, and the envoys listed after it
        for state in event.participants:
            if state != host:
                envoys[state] = None
        for _, i in sorted(near, key=lambda pair: pair[1]):
            o = officials[i]
            if o.state != host and o.host_state in (None, host) and envoys.get(o.state) is None:
                envoys[o.state] = o
        if len(envoys) == 1:
            (state, envoy), = envoys.items()
            event.participants = [state, host]
            if envoy is not None:
                _add_people(event, [envoy], index_of)
            return [event]
    else:
        for _, i in sorted(near, key=lambda pair: pair[1]):
            o = officials[i]
            if o.host_state in event.participants:
                envoys.setdefault(o.state, o)
        if len(envoys) < 2:
            return [event]
    if not envoys:
        return [event]
    out = []
    told = set(event.evidence)
    for state, envoy in envoys.items():
        receiving = host if host is not None and host in event.participants else envoy.host_state
        out.append(Event(kind="credentials", date=event.date, place=event.place,
                         participants=[state, receiving], trigger=event.trigger,
                         evidence=list(event.evidence) + [
                             e for e in (envoy.evidence if envoy else []) if e not in told],
                         persons=[index_of(envoy)] if envoy else []))
    return out


# roles that receive credentials (the host's side); envoys are ambassadors and diplomats
RECEIVERS = ("head_of_state", "head_of_government", "foreign_minister", "minister",
             "deputy_foreign_minister", "legislator", "other_official")


def _credentials_host(context: Context, events: list[Event],
                      officials: list[Official]) -> str | None:
    """The state that receives the report's envoys: that of the head of state (or other
    office holder at home) taking part, else the state the envoys are sent "to", else the
    report's home state where it takes part."""
    presentations = [e for e in events if e.kind == "credentials"]
    if not presentations:
        return None
    # where two envoys or more are accredited to one state the ceremony takes part in, it
    # receives them (an official at home whose own state the report mistakes does not outvote
    # them)
    accredited = Counter(o.host_state for o in officials
                         if o.role in ("ambassador", "diplomat") and o.host_state)
    for state, votes in accredited.most_common(1):
        if votes >= 2 and any(state in e.participants for e in presentations):
            return state
    counts: dict[str, int] = {}
    for event in presentations:
        for i in event.persons:
            o = officials[i]
            if o.role in RECEIVERS and o.state in event.participants:
                counts[o.state] = counts.get(o.state, 0) + 1
    if counts:
        return max(counts, key=counts.get)
    doc = context.doc
    for event in presentations:
        ev = event.evidence[0]
        span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
        if span is None:
            continue
        for m in context.matches_in(span):
            if m.kind != "organization" and m.start > 0 and \
                    doc[m.start - 1].lower_ in ("to", "in") and m.key in event.participants:
                return m.key                   # "ambassador to Mexico", "credentials to Chile"
        if has_parse(doc):
            for m in context.matches_in(span):
                # "presented their credentials to the King of Spain": in the "to" phrase
                if m.kind != "organization" and m.key in event.participants and any(
                        t.dep_ == "prep" and t.lower_ == "to"
                        for t in _heads_up(doc[m.start], 4)[1:]):
                    return m.key
            for word in span:
                # "the King of Spain received (accepted) the credentials of ...": the subject
                verb = word.head
                if word.lower_ not in ("credentials", "credence", "letters") or \
                        verb.lemma_.lower() not in ("receive", "accept"):
                    continue
                for subject in verb.children:
                    if subject.dep_ != "nsubj":
                        continue
                    phrase = doc[subject.left_edge.i:subject.right_edge.i + 1]
                    hosts = [k for k in context.states_in(phrase) if k in event.participants]
                    if len(hosts) == 1:
                        return hosts[0]
    home = context.home_state
    if home and any(home in e.participants for e in presentations):
        return home
    return None


def _index_of(officials: list[Official]):
    """`officials.index` for the officials of the list (the first one equal to it) without a
    scan for each look-up, which made long reports quadratic."""
    first: dict[tuple, int] = {}
    by_id: dict[int, int] = {}
    for i, o in enumerate(officials):
        by_id[id(o)] = first.setdefault(_value(o), i)
    return lambda official: by_id[id(official)]


def _value(official: Official) -> tuple:
    """What dataclass equality compares, hashable."""
    values = (getattr(official, f.name) for f in fields(official) if f.compare)
    return tuple(tuple(v) if isinstance(v, list) else v for v in values)


def _triggers(lex, lower: str, keep_meetings: bool = False) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for kind, pattern in lex.kinds:           # kinds listed first win overlapping words
        for m in pattern.finditer(lower):
            if all(m.end() <= s or m.start() >= e for _, s, e in found):
                found.append((kind, m.start(), m.end()))
    found.sort(key=lambda t: t[1])
    return found if keep_meetings else _implied_dropped(lower, found)


def _implied_dropped(lower: str, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """_triggers' `found` without the meetings and receptions another trigger implies."""
    # ("called" is a call only where the parse shows a person called: it hides no meeting)
    kinds = {k for k, s, e in found if lower[s:e] not in ("called", "calls")}
    # "received credentials" is one event, not also a meeting; the credentials ceremony is no
    # reception of its own
    return [t for t in found if not (t[0] == "meeting" and kinds & SPECIFIC) and
            not (t[0] == "reception" and "credentials" in kinds)]


# what stands before a dateline's date: the place alone ("DUSHANBE, "), at the text's start
UNREAD_DATELINE = re.compile(r"\s*[A-Z][A-Za-z'’. -]{1,30},\s*$")


def _past_unread_dateline(context: Context, dates: list) -> list:
    """The first sentence's dates without a dateline's that kg.reports does not read
    ("DUSHANBE, 10.03.2018 /NIAT Khovar/. On 9 March, ..."): the report's day, not an
    event's, where the sentence tells another."""
    if len(dates) > 1 and UNREAD_DATELINE.match(context.text[:dates[0].start]):
        return dates[1:]
    return dates


def _lead_date(context: Context) -> str | None:
    """The day the report's lead speaks of: the first date in its first sentence, else the
    dateline's date. Events of the lead with no date of their own happened then."""
    if context.sentences:
        dateline_end = getattr(context.report, "dateline_end", 0) or 0
        sentence = context.sentences[0]
        first = [d for d in context.dates_in(sentence) if d.start >= dateline_end and
                 not SINCE.search(context.text[sentence.start_char:d.start]) and
                 not OCCASION.search(context.text[max(0, d.start - 25):d.start])]
        first = _past_unread_dateline(context, first)
        if first:
            return first[0].value             # (the dateline's own date is the fall-back)
    return context.report_date if getattr(context.report, "dateline_date", None) else None



def _latest(events: list[Event], kinds) -> Event | None:
    for event in reversed(events):
        if event.kind in kinds:
            return event
    return None


def _antecedent(context: Context, events: list[Event], kinds, token: Token | None,
                sentence: Span) -> Event | None:
    """The event a definite mention tells again: the last one of its kinds, or the last
    whose telling shares a word that qualifies the mention ("the commission's meeting" is
    the commission's session, not the call on the premier told in between)."""
    latest = _latest(events, kinds)
    if token is None or latest is None:
        return latest
    named = {t.lower_ for t in token.subtree if t.i != token.i and t.is_alpha and
             not t.is_stop and len(t) > 3 and t.i < token.i}
    if not named:
        return latest
    for event in reversed(events):
        if event.kind in kinds and context.tells(event.evidence, named, sentence.start_char):
            return event
    return latest


def _nearest_date(dates, position: int, reach: int) -> str | None:
    if not dates:
        return None
    distance = lambda d: min(abs(d.start - position), abs(d.end - position))  # noqa: E731
    best = min(dates, key=distance)
    return best.value if distance(best) <= reach else None


def _clause_sides(context: Context, sentence: Span, token: Token, participants: list[str],
                  people: list[Official]) -> list[str] | None:
    """The participants named in the trigger's own clause, where the sentence joins two
    clauses ("A met B on Monday and flies to C on Friday"), its subject shared; None where
    there is no such split or the clause names fewer than two sides."""
    verb = _verb_above(token)
    if verb is None:
        return None
    joined = [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    is_joined = verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX")
    if not joined and not is_joined:
        return None
    inside = {t.i for t in verb.subtree}
    for c in joined:
        inside -= {t.i for t in c.subtree}
    if is_joined:
        for c in verb.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                inside |= {t.i for t in c.subtree}
    sides = {m.key for m in context.matches_in(sentence)
             if m.kind != "organization" and m.as_state and m.start in inside}
    words = {context.doc[i].text for i in inside}
    for person in people:
        # by the surname, last or first ("Yoon" of "Yoon Kyung-ho"), or a form told
        names = person.name.split()
        if person.state and words & {names[-1], names[0], *person.aliases}:
            sides.add(person.state)
    scoped = [p for p in participants if p in sides]
    return scoped if len(scoped) >= 2 else None


UNNAMED_ACTORS = {"he", "she", "minister", "president", "ambassador", "secretary", "premier",
                  "chancellor", "envoy", "king", "emir", "ministry", "government"}


def _doer_verb(token: Token) -> Token:
    """The verb whose subject does what the trigger names: the trigger itself, or the verb
    its noun hangs on ("held talks", "will proceed to Damascus for talks")."""
    verb = token
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb if verb.pos_ in ("VERB", "AUX") else token.head


def _unnamed_actor(token: Token) -> bool:
    """Is the trigger's doer (the subject of its verb) a pronoun or a bare title with "the"
    ("the Minister", "he"), naming no state or person?"""
    verb = _doer_verb(token)
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child.lower_ in UNNAMED_ACTORS and not any(
                c.dep_ in ("compound", "amod", "poss", "prep", "appos") for c in child.children)
    return False


def _told_before(context: Context, token: Token) -> str | None:
    """The one state named in the subject of the sentence before, where the trigger's doer
    is "he" or "she"."""
    verb = _doer_verb(token)
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    start = token.sent.start
    if subject is None or subject.lower_ not in ("he", "she") or start == 0:
        return None
    before = context.doc[start - 1].sent
    told = next((c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if told is None:
        return None
    states = context.states_in(context.doc[told.left_edge.i:told.right_edge.i + 1])
    return states[0] if len(states) == 1 else None


CIRCUMSTANCE_PREPS = {"following", "after", "before", "since", "despite", "amid", "ahead"}


def _holders(context: Context, token: Token) -> list[str]:
    """The states named in the subject of the verb whose object the meeting is ("the
    delegations of A and B held a meeting")."""
    if token.dep_ != "dobj" or token.head.pos_ not in ("VERB", "AUX"):
        return []
    for child in token.head.children:
        if child.dep_ == "nsubj":
            phrase = context.doc[child.left_edge.i:child.right_edge.i + 1]
            return context.states_in(phrase)
    return []


def _participants(context: Context, sentence: Span, people: list[Official],
                  token: Token | None = None) -> list[str]:
    out = context.states_in(sentence)
    # (not where the trigger itself is in such a phrase: "Despite ... a war in Yemen, ...")
    aside_ok = token is not None and not _in_a_circumstance(token)
    for person in people:
        if person.state and person.state not in out and \
                not (aside_ok and _only_in_a_circumstance(sentence, person)):
            out.append(person.state)
    if aside_ok and has_parse(context.doc):
        # "Following US President A's announcement, B met C": a state named only there
        # (not a state one of its people stands for outside it)
        aside = _named_only(context, sentence, _in_a_circumstance) - {
            p.state for p in people if p.state and not _only_in_a_circumstance(sentence, p)}
        out = _leaving_two(out, aside)
    # "a meeting in Colonia, in Uruguay": a state named only as where two others met hosts it
    out = _leaving_two(out, _only_where(context, sentence, people))
    if has_parse(context.doc):
        # "discussed the Armenia-Turkey process with Kalin": a state only talked about
        topics = _named_only(context, sentence, _a_topic) - {p.state for p in people if p.state}
        out = _leaving_two(out, topics)
    return out


def _named_only(context: Context, sentence: Span, where) -> set[str]:
    """The states the sentence names only at words for which `where` holds."""
    at: dict[str, bool] = {}
    for m in context.matches_in(sentence):
        at[m.key] = at.get(m.key, True) and where(context.doc[m.start])
    return {key for key, only in at.items() if only}


def _leaving_two(states: list[str], drop: set[str]) -> list[str]:
    """`states` without `drop`, where two sides are left; else all of them."""
    kept = [s for s in states if s not in drop]
    return kept if drop and len(kept) >= 2 else states


def _only_in_a_circumstance(sentence: Span, person: Official) -> bool:
    """Is the person named in the sentence only inside a phrase of time or cause ("Following
    Trump's announcement, Zarif met his Omani counterpart"): no participant then."""
    surname = person.name.split()[-1] if person.name else ""
    named = [t for t in sentence if t.text == surname]
    return bool(named) and all(_in_a_circumstance(t) for t in named)


def _in_a_circumstance(token: Token) -> bool:
    # (and a summit whose sidelines are the setting: "met B on the sidelines of a trilateral
    # meeting with C")
    return any(a.dep_ == "prep" and a.lower_ in CIRCUMSTANCE_PREPS or
               a.lower_ in MARGINS and a.dep_ == "pobj" for a in token.ancestors)


# a summit's margins, where leaders meet one another two by two ("on the sidelines of")
MARGINS = frozenset({"sidelines", "margins", "margin", "fringes", "fringe", "sideline"})
_MARGIN_WORDS = "|".join(sorted(MARGINS, key=len, reverse=True))
SIDELINES = re.compile(rf"\b(on|at) the ({_MARGIN_WORDS})\b", re.IGNORECASE)
# ... of a summit told before: "on the sidelines of the summit"
SIDELINES_OF_THE = re.compile(rf"\b(on|at) the ({_MARGIN_WORDS}) of the "
                              r"(\w+ ){0,3}(summit|conference|session|forum)\b|"
                              rf"^\W*(on|at) the ({_MARGIN_WORDS}),")


def _only_where(context: Context, sentence: Span, people: list[Official],
                capitals: bool = False) -> set[str]:
    """The states the sentence names only as where something happened ("in Uruguay"); with
    `capitals`, also by their capital ("at The Hague", "in Moscow"). Not for a meeting's
    states: a summit's host city names a participant."""
    doc = context.doc

    def only_where(m) -> bool:
        return m.kind == "name" and _where(doc, m.start, sentence.start) or \
            capitals and m.kind == "capital" and _where(doc, m.start, sentence.start,
                                                        ("in", "at")) or \
            m.kind == "demonym" and _a_places_adjective(doc, m, sentence.start)

    where = {m.key for m in context.matches_in(sentence) if only_where(m)}
    told = {m.key for m in context.matches_in(sentence)
            if m.kind != "organization" and not only_where(m) and (
                m.as_state or m.kind == "capital" and
                m.span.start_char >= (getattr(context.report, "dateline_end", 0) or 0))}
    # (a host city tells its state; a clock or the dateline does not)
    told |= {p.state for p in people if p.state}
    return where - told


def _a_places_adjective(doc, m, sentence_start: int) -> bool:
    """Does a demonym only say whose a place is ("talks in the Saudi port of Jiddah", "at
    the Kenyan resort of Naivasha")? Then that state is where, not who."""
    return m.start - 2 >= sentence_start and doc[m.start - 1].lower_ == "the" and \
        doc[m.start - 2].lower_ in ("in", "at") and m.end < len(doc) and \
        doc[m.end].lower_ in WHERE_NOUNS


def _where(doc, start: int, sentence_start: int, before: tuple[str, ...] = ("in",)) -> bool:
    """Is the state named at `start` only where something happened: after "in" ("met in
    Uruguay"), or as the country of a place after "in"/"at" ("in Argyle, Saint Vincent and
    the Grenadines", "at Colonia, Uruguay")?"""
    if start <= sentence_start:
        return False
    if doc[start - 1].lower_ in before or doc[start - 1].lower_ == "the" and \
            start - 2 >= sentence_start and doc[start - 2].lower_ in before:
        return True           # "in Uruguay", "in the Netherlands"
    if doc[start - 1].text != ",":
        return False
    for j in range(start - 2, max(sentence_start, start - 6) - 1, -1):
        word = doc[j]
        if word.lower_ in ("in", "at"):
            return j < start - 2
        if not (word.text[:1].isupper() or word.lower_ in PARTICLES):
            return False
    return False


def _a_topic(token: Token) -> bool:
    """Is the word inside what was talked about: the object of a verb of talking, or a
    phrase "about"/"on"/"regarding" hung on a talk?"""
    mod = _more()
    current = token
    for _ in range(8):
        head = current.head
        if head.i == current.i:
            return False
        if (current.dep_ == "dobj" or current.dep_ in ("advcl", "npadvmod") and
                current.pos_ in ("NOUN", "PROPN")) and _is(head, mod.talk_words):
            return True                       # (and "focused on ..., in particular the
            #                                   situation in Mali", the parser's last item)
        if current.dep_ == "pobj" and head.lower_ in ("about", "regarding", "concerning",
                                                      "on", "over") and \
                _is(head.head, mod.talk_words):
            return True
        current = head
    return False


def _own_states(context: Context, token: Token | None, kind: str,
                kind_type: str | None = None) -> list[str] | None:
    """A war or clash (or a show of force) named by a noun takes the states its own phrase
    names ("the civil war in Yemen", "clashes between Armenia and Azerbaijan", "North Korea's
    launch of a missile"), where it names any."""
    if token is None or token.pos_ not in ("NOUN", "PROPN") or not (
            kind == "conflict" or kind_type == "missile"):
        return None
    doc = context.doc
    phrase = doc[token.left_edge.i:token.right_edge.i + 1]
    states = context.states_in(phrase, places_too=True)
    if len(states) >= 2 or (states and kind_type == "missile"):
        return states
    # "the war in Yemen": where it was fought; "a Georgian offensive" names one side only
    where = [m.key for m in context.matches_in(phrase)
             if m.kind in ("name", "capital") and m.start > 0 and doc[m.start - 1].lower_ == "in"]
    return where or None


def _election_state(context: Context, sentence: Span, token: Token | None) -> list[str]:
    if token is not None:
        phrase = context.doc[token.left_edge.i:token.right_edge.i + 1]
        named = context.states_in(phrase, places_too=True)
        if len(named) == 1:
            return named                      # "Poland's national election", "elections in Chile"
    named = context.states_in(sentence)
    if len(named) > 1 and token is not None:
        root = token.sent.root
        if root.lemma_ == "vote":
            # "In a referendum on June 14, Lithuanians voted for ...": the voters' state
            voters = {k for s in root.children if s.dep_ == "nsubj"
                      for k in context.states_in(context.doc[s.left_edge.i:s.right_edge.i + 1])}
            if len(voters) == 1:
                return sorted(voters)
        # less the side that congratulates or observes: the states of the main subject
        for subject in root.children:
            if subject.dep_ == "nsubj":
                actor = context.doc[subject.left_edge.i:subject.right_edge.i + 1]
                named = [k for k in named if k not in context.states_in(actor)]
    return named if len(named) == 1 else []


# prepositions whose phrase tells why, when or where an act was done, not on whom
NOT_A_SIDE = {"following", "after", "before", "over", "amid", "despite", "during", "since",
              "in", "at", "on", "for", "because", "due", "as", "like", "until", "within"}
# what the parse may hang an act's sides on: its subject, objects and their phrases
SIDE_DEPS = {"nsubj", "nsubjpass", "agent", "dobj", "dative", "poss", "amod", "compound",
             "nmod", "prep", "pobj", "conj", "appos"}


def _subject_state(context: Context, token: Token) -> str | None:
    """The state named as the subject of the trigger's clause ("Poland expelled four",
    "Russia answered by ordering ... out"), climbing through clauses with no subject of their
    own; None where the subject names no state."""
    verb = token
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX"):
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                match = next((context.match_at(t.i) for t in subjects[0].subtree
                              if context.match_at(t.i) is not None and
                              context.match_at(t.i).kind != "organization"), None)
                return match.key if match is not None else None
        if verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _subject_states(context: Context, token: Token, people: list[Official],
                    modifiers_only: bool = False) -> set[str] | None:
    """The states the subject of the trigger's verb (or of the verb the trigger is the object
    of: "held a round of talks") names, as states or by their officials; None where there is
    no such verb. Not a clause further up ("welcomed the declaration, following talks hosted
    by"). `modifiers_only`: only the subject's own words and modifiers ("the Peruvian
    minister", "Peru's envoy"), not a phrase inside it ("a group called the Friends of Peru")."""
    verb = token
    while verb.dep_ in ("pobj", "prep") and verb.head.i != verb.i:
        verb = verb.head
    if token.pos_ not in ("VERB", "AUX"):
        if verb.dep_ != "dobj":
            return None
        verb = verb.head
    # (every subject: a dateline's city can be parsed as one, "MUSCAT - X and Y met")
    heads = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "relcl" and any(h.tag_ in ("WP", "WDT") for h in heads):
        heads = [verb.head]                   # "Castrellon, who held talks in San Jose"
    if modifiers_only:
        heads += [c for h in heads for c in h.conjuncts]
        words = {t.i for h in heads for t in (h, *h.children)
                 if t is h or t.dep_ in ("amod", "poss", "compound", "nmod")}
    else:
        words = {t.i for h in heads for t in h.subtree}
    states = {context.match_at(i).key for i in words
              if context.match_at(i) is not None and context.match_at(i).kind != "organization"}
    return states | {p.state for p in people if p.state and
                     (t := name_token(token.sent, p)) is not None and t.i in words}


def _both_as_subject(verb: Token) -> bool:
    """Whether "both" is the verb's subject, also where the parse hangs it on the clause's
    conjunction ("since both declared": "both" the object of "since")."""
    return any(w.lower_ == "both" and w.i < verb.i and
               (w.dep_ == "nsubj" or w.dep_ == "pobj" and w.head.dep_ == "mark")
               for c in verb.children for w in (c, *c.children))


def _not_the_dateline(context: Context, sentence: Span, token: Token, states: set[str]) \
        -> set[str]:
    """The states of an act's subject but the dateline's city, which the parser may take for
    the subject, with the states after it as its appendages ("PRAGUE, Jan 1 - Slovakia joined
    the Union"): then the states named after the dateline in the subject's words."""
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    if sentence.start_char >= dateline_end:
        return states
    in_dateline = {m.key for m in context.matches if m.span.start_char < dateline_end}
    if states - in_dateline:
        return states - in_dateline
    verb = _clause_verb(token)
    words = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
    after = {m.key for m in context.matches_in(sentence) if m.start in words and
             m.kind != "organization" and m.span.start_char >= dateline_end}
    return after or states


def _pair_as_object(verb: Token, more: More) -> bool:
    """Is the verb's object a plural standing for the report's two sides ("recognised both
    new states", "the two countries", "both")?"""
    for c in verb.children:
        if c.dep_ != "dobj":
            continue
        if c.lower_ == "both":
            return True
        if c.lower_ in more.both_sides and c.tag_ == "NNS" and any(
                w.lower_ == "both" or w.lower_ == "two" and w.dep_ == "nummod" and
                any(d.lower_ == "the" for d in c.children) for w in c.children):
            return True
    return False


def _acting_mediator(context: Context, token: Token, people: list[Official]) -> str | None:
    """The mediating state that is itself the one subject of the trigger ("the Iranian
    minister held talks in Baku", "the US President received the three ministers"); else
    None."""
    states = _subject_states(context, token, people) or set()
    acting = states & set(context.mediators)
    return next(iter(acting)) if len(states) == 1 and acting else None


def _act_states(context: Context, token: Token, people: list[Official]) -> list[str]:
    """The sides of an `other` act from the parse: who does it (the subject of its verb, or
    of the verb that governs its noun: "Mexico announced the withdrawal of its staff") and
    on whom (its objects and their "with"/"from"/"to"/"against"/"of" phrases), leaving out
    the phrases that tell why, when or where ("following Ecuador's raid", "over a visit").
    Empty where the parse names no state there."""
    doc = context.doc
    sentence = token.sent
    words: set[int] = set()

    def take(word: Token) -> None:
        # a word and its dependents, but not the clauses and reasons below it
        stack = [word]
        while stack:
            w = stack.pop()
            if w.i in words:
                continue
            words.add(w.i)
            for c in w.children:
                if c.dep_ == "conj" and w.pos_ in ("VERB", "AUX"):
                    continue                  # "recalling ... and closing ...": another act
                if c.dep_ in SIDE_DEPS and not (c.dep_ == "prep" and c.lower_ in NOT_A_SIDE):
                    stack.append(c)

    take(token)
    verb = token
    for _ in range(3):                         # "announced the withdrawal", "granting asylum"
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.i != token.i and verb.pos_ in ("VERB", "AUX"):
        words.add(verb.i)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
    governor = verb.head
    if verb.dep_ == "pcomp" and governor.lower_ == "by":
        governor = governor.head              # "answered by recalling its envoys"
    if not subjects and (verb.dep_ in ("advcl", "xcomp") or governor.i != verb.head.i) and \
            governor.i != verb.i:
        # "Addressing a press conference with X, Y said": the subject of the clause it opens
        subjects = [c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in subjects:
        take(c)
    out: list[str] = []
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    for m in context.matches_in(sentence):
        # a capital counts even after "from"/"to" here: "recalled its envoys from Bamako";
        # a name led by an article counts by its head ("recognised the State of Palestine");
        # the dateline's city, which the parser may take into the subject, is no side
        if m.kind != "organization" and (m.as_state or m.kind == "capital") and \
                (m.start in words or m.end - 1 in words) and m.key not in out and \
                m.span.start_char >= dateline_end:
            out.append(m.key)
    # the states of the officials named there ("Barcena announced the withdrawal")
    names = " ".join(doc[i].text for i in sorted(words) if doc[i].ent_type_ == "PERSON")
    for person in people:
        forms = [person.name] + list(person.aliases)
        if person.state and person.state not in out and \
                any(f and f.split()[-1] in names.split() for f in forms):
            out.append(person.state)
    return out


# capitalised words after "in"/"at" that name no place
# a body named after "in" is no place: "the states participating in the Conference on
# Security and Co-operation in Europe"
BODIES_NOT_PLACES = {"conference", "organization", "organisation", "council", "union",
                     "community", "commission", "committee", "association", "assembly",
                     "alliance", "movement", "league", "group", "forum",
                     # (nor a continent, as in "Co-operation in Europe")
                     "europe", "asia", "africa", "oceania", "america", "americas"}
NOT_PLACE = {"the", "president", "minister", "january", "february", "march", "april", "may",
             "june", "july", "august", "september", "october", "november", "december",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
             "dec", "his", "her", "their", "its", "this", "that", "an", "a"}


# gazetteer matches that name a place after "in", "at", "to": a city the gazetteer also lists as
# standing for its government ("Berlin said") is still the place in "met in Berlin"
PLACE_KINDS = ("name", "capital", "metonym")


# lower-case words inside a place's name
PARTICLES = {"de", "del", "da", "do", "dos", "das", "la", "le", "al", "el", "von", "van", "di",
             "of"}


def _place(context: Context, sentence: Span, start_char: int, kind: str) -> str | None:
    """The first "in X"/"at X" (or, for a visit, "to X") after the trigger, else before it."""
    doc = context.doc
    trigger_token = next((t.i for t in sentence if t.idx - sentence.start_char >= start_char),
                         sentence.end)
    # a visit goes "to" a place; fighting runs "along" a border or front line
    # (or near a place, or over it: "shot down near the town of X", "a jet over Syria")
    preps = ("in", "at", "to") if kind == "visit" else ("in", "at", "along", "near", "over") \
        if kind == "conflict" else ("in", "at")
    candidates = []
    for token in sentence:
        if token.lower_ not in preps or token.i + 1 >= sentence.end:
            continue
        k = token.i + 1
        town = _town_of(doc, sentence, k) if doc[k].lower_ == "the" else None
        if town is not None:
            # "near the border town of Tinzaouatene", "in the Kyrgyz town of Batken"
            k = town
            if doc[k].is_alpha and context.match_at(k) is None:
                # a town's name, whatever the model takes it for
                candidates.append((token.i, doc[k].text))
                continue
        elif doc[k].lower_ == "the" and k + 1 < sentence.end and doc[k + 1].text[:1].isupper():
            k += 1                            # "at the National Palace"
        match = context.match_at(k)
        if match is not None and match.start == k and match.kind in PLACE_KINDS:
            candidates.append((token.i, doc[match.start:match.end].text))
            continue
        if match is not None:
            continue                          # "in Pakistani ...": a demonym is no place
        run = k
        while run < sentence.end and run - k < 6:
            word = doc[run]
            if word.text[:1].isupper() and word.is_alpha and word.lower_ not in NOT_PLACE and \
                    word.ent_type_ not in ("DATE", "TIME", "NORP") and \
                    (word.ent_type_ != "PERSON" or _before_a_place_noun(doc, run, sentence)):
                run += 1
            elif run > k and word.lower_ in PARTICLES and run + 1 < sentence.end and \
                    doc[run + 1].text[:1].isupper() and doc[run + 1].is_alpha:
                run += 1                      # "Colonia del Sacramento"
            else:
                break
        if run > k and doc[run - 1].lower_ not in lexicon.titles().head_words and \
                doc[run - 1].lower_ not in BODIES_NOT_PLACES and \
                not (run < sentence.end and doc[run].lower_ in ("'s", "’s")):
            # (not a person by title, "a courtesy visit to the Speaker of Parliament", nor
            # a possessor, "at Boric's invitation")
            if run < sentence.end and doc[run].lower_ in PLACE_NOUNS:
                run += 1                      # "the Tovuz district", "the Kherson region"
            candidates.append((token.i, doc[k:run].text))
    after = [c for c in candidates if c[0] >= trigger_token]
    before = [c for c in candidates if c[0] < trigger_token]
    if after:
        return after[0][1]
    return before[-1][1] if before else None


def _clause_of(token: Token) -> Span:
    """The words of the smallest clause with a subject of its own that holds `token`."""
    for word in _heads_up(token, 8):
        if word.pos_ in ("VERB", "AUX") and \
                any(c.dep_ in ("nsubj", "nsubjpass") for c in word.children):
            return token.doc[word.left_edge.i:word.right_edge.i + 1]
    return token.sent


def _reported_clauses(token: Token) -> set[int]:
    """The words of the clauses with a subject of their own that the sentence reports
    ("agreed that the commission would meet in Penang in January") and that do not hold
    `token`: what they tell has its own day and place."""
    out: set[int] = set()
    for word in token.sent:
        if word.dep_ == "ccomp" and word.pos_ in ("VERB", "AUX") and \
                any(c.dep_ in ("nsubj", "nsubjpass") for c in word.children) and \
                not (word.left_edge.i <= token.i <= word.right_edge.i):
            out.update(range(word.left_edge.i, word.right_edge.i + 1))
    return out


# lower-case nouns after a name that make it a place ("the Tovuz district")
PLACE_NOUNS = {"district", "province", "region", "city", "town", "village", "county",
               "governorate", "oblast", "prefecture", "valley", "border", "crossing", "strait"}
# the nouns of a place that a demonym may describe: "in the Saudi port of Jiddah"
WHERE_NOUNS = PLACE_NOUNS | {"port", "capital", "resort", "island", "enclave"}
# ... and of a town named after them ("the Black Sea resort of Neptun")
TOWN_NOUNS = WHERE_NOUNS - {"capital"}


def _town_of(doc, sentence: Span, k: int) -> int | None:
    """After "the" at k, "the [Kyrgyz] [border] town of X": where X starts, or None."""
    j = k + 1
    while j < sentence.end and j - k <= 3 and doc[j].is_alpha and doc[j].lower_ != "of":
        j += 1
    if j + 1 < sentence.end and j > k + 1 and doc[j].lower_ == "of" and \
            doc[j - 1].lower_ in TOWN_NOUNS and doc[j + 1].text[:1].isupper():
        return j + 1
    return None


def _before_a_place_noun(doc, i: int, sentence: Span) -> bool:
    """A name the model takes for a person stands before a place noun: "the Tovuz district"
    (but "at Modi's invitation" names a person)."""
    j = i + 1
    while j < sentence.end and doc[j].text[:1].isupper() and doc[j].is_alpha:
        j += 1
    return j < sentence.end and doc[j].lower_ in PLACE_NOUNS


def _state_of_place(context: Context, sentence: Span, place: str) -> str | None:
    """The state whose name or capital the place is, where the gazetteer knows it."""
    for m in context.matches_in(sentence):
        if m.kind in PLACE_KINDS and context.doc[m.start:m.end].text == place:
            return m.key
    return None


def _returned_from(token: Token) -> Token | None:
    """Talks a trip came back from ("returned from Baghdad on Wednesday after two days of
    talks with Iraqi leaders"): the word naming the place left, else None. The talks were a
    visit there, before the day of the return."""
    word = token
    for _ in range(3):
        head = word.head
        if head.i == word.i:
            return None
        if word.dep_ == "pobj" and head.lower_ == "after" and head.head.pos_ == "VERB" and \
                head.head.lower_.startswith("return"):
            for prep in head.head.children:
                if prep.dep_ == "prep" and prep.lower_ == "from":
                    places = [c for c in prep.children if c.dep_ == "pobj"]
                    return places[0] if places and places[0].pos_ == "PROPN" else None
            return None
        word = head
    return None


def _left_place(token: Token) -> Token | None:
    """The place a trip came back from, where the trigger's clause tells what was done there
    ("returned to Nairobi today from Arusha, where she co-chaired the session"): the word
    naming it, else None. ("Arrived in Baku, where he held talks" is not one: done after.)"""
    for word in _heads_up(token, 4):
        if word.dep_ == "relcl" and any(c.dep_ == "advmod" and c.lower_ == "where"
                                        for c in word.children):
            place = word.head
            return place if place.dep_ == "pobj" and place.head.lower_ == "from" else None
    return None


def _place_named_at(context: Context, word: Token) -> str | None:
    """The name of a place the parse heads by `word`: its gazetteer match, else its proper
    noun with the proper nouns before it ("Dar es Salaam", "Hat Yai")."""
    match = context.match_at(word.i)
    if match is not None and match.kind != "organization":
        return match.span.text
    if word.pos_ != "PROPN":
        return None
    first = word
    while first.i > 0 and first.doc[first.i - 1].pos_ == "PROPN" and \
            first.doc[first.i - 1].dep_ in ("compound", "nmod"):
        first = first.doc[first.i - 1]
    return word.doc[first.i:word.i + 1].text


def _visited(context: Context, token: Token | None, kind: str) -> str | None:
    """A visit's place is the object of its verb where that names a state or a place
    ("is visiting Singapore", "to visit Honiara"), or the place that modifies its noun ("his
    China visit")."""
    if token is None or kind != "visit":
        return None
    doc = context.doc
    if token.pos_ in ("NOUN", "PROPN"):
        # "his China visit", "a Moscow visit": the place named before the noun
        for child in token.children:
            match = context.match_at(child.i) if child.dep_ in ("compound", "nmod") else None
            if match is not None and match.kind in PLACE_KINDS:
                return doc[match.start:match.end].text
        return None
    if token.pos_ != "VERB":
        return None
    for child in token.children:
        if child.dep_ != "dobj":
            continue
        match = context.match_at(child.i)
        if match is not None and match.kind in PLACE_KINDS:
            return doc[match.start:match.end].text
        if child.ent_type_ in ("GPE", "LOC") and child.pos_ == "PROPN":
            ent = entity_at(doc, child.i)
            return ent.text if ent is not None else child.text
    return None


def _add_people(event: Event, people: list[Official], index_of) -> None:
    for person in people:
        index = index_of(person)
        if index not in event.persons:
            event.persons.append(index)


def _same_event(events: list[Event], event: Event, inferred: set[int],
                types: dict[int, str] | None = None,
                futures: set[int] | None = None,
                acting: dict[int, str] | None = None,
                officials: list[Official] | None = None,
                formats: dict[int, str] | None = None,
                place_states: dict[str, str] | None = None) -> Event | None:
    """An event found before that this one tells again. Two `other` acts of different types
    (an expulsion, a recall) or by different states ("Poland expelled four" after "the
    Czech Republic expelled three") are two events; a planned one is not one told as done.
    `place_states`: the state each place named as a state or its capital is."""
    place_states = place_states or {}
    types = types or {}
    futures = futures or set()
    acting = acting or {}
    formats = formats or {}
    for other in reversed(events):
        if other.kind != event.kind:
            continue
        if formats.get(id(other)) and formats.get(id(event)) and \
                formats[id(other)] != formats[id(event)]:
            continue                          # the leaders alone, then with delegations
        if acting.get(id(other)) and acting.get(id(event)) and \
                acting[id(other)] != acting[id(event)]:
            continue
        if (id(other) in futures) != (id(event) in futures):
            continue
        if event.kind == "other" and types.get(id(other)) != types.get(id(event)):
            continue
        if event.kind == "credentials" and other.place and event.place and \
                other.place != event.place and id(event) not in inferred:
            continue                          # a ceremony in Prague besides the one told at
            #                                   the State Palace: each envoy presents his own
        if event.kind == "meeting" and officials is not None and \
                _other_people(officials, other.persons, event.persons):
            continue                          # other people met: "later the delegation was
            #                                   received by the President"
        if event.kind == "meeting" and \
                ("courtesy" in (other.trigger or "").lower()) != \
                ("courtesy" in (event.trigger or "").lower()):
            continue                          # the commission's session, then the minister's
            #                                   courtesy call on the President: two meetings
        if event.kind == "conflict" and len(other.participants) >= 2 and \
                len(event.participants) >= 2 and \
                not set(other.participants) <= set(event.participants) and \
                not set(event.participants) <= set(other.participants):
            continue                          # Iraq's war with Iran told beside its invasion
            #                                   of Kuwait: two wars
        if event.kind == "reception" and _reception_sorts_differ(other, event):
            continue                          # the morning's welcome ceremony, the evening's
            #                                   banquet
        if event.kind not in DISTINCT and set(other.participants) & set(event.participants) \
                and not (other.date and event.date and not _dates_agree(other.date, event.date)):
            return other
        if event.kind == "visit" and place_states.get(other.place or "") and \
                place_states.get(event.place or "") and \
                place_states[other.place] != place_states[event.place]:
            continue                          # the President's visit to Addis Ababa a week
            #                                   after the Prime Minister's to Asmara: two
        if event.kind == "visit" and set(other.participants) == set(event.participants) and \
                _within_days(other.date, event.date, 10):
            return other                      # a visit lasts days: one visit, told again
        # the same two sides meeting again in the next sentence or two, with nothing saying
        # it is another day or place: one meeting told again
        explicit = [d for e, d in ((other, other.date), (event, event.date))
                    if d and id(e) not in inferred]
        near = event.evidence[0].start - other.evidence[-1].end < 600
        if near and set(other.participants) == set(event.participants) and \
                (len(explicit) < 2 or explicit[0] == explicit[1]) and \
                (not other.place or not event.place or other.place == event.place):
            return other
        # two meetings (or visits) of other sides on one day or in one place stay two
        sides_differ = event.kind in DISTINCT and other.participants and event.participants \
            and not (set(other.participants) <= set(event.participants) or
                     set(event.participants) <= set(other.participants))
        # a meeting of two that a later one of those two and a third only dates by its month
        # ("held talks in Islamabad last week" after "summoned the envoy on Monday"): two
        added = set(event.participants) - set(other.participants)
        if event.kind in DISTINCT and len(other.participants) >= 2 and added and \
                other.date and event.date and len(other.date) != len(event.date):
            sides_differ = True
        if sides_differ:
            continue
        if other.date and event.date and (other.date.startswith(event.date) or
                                          event.date.startswith(other.date)):
            return other
        if other.place and event.place and other.place == event.place and \
                not (other.date and event.date):
            return other
    return None


def _reception_sorts_differ(one: Event, two: Event) -> bool:
    """Are two receptions of different sorts by their words (a ceremony, a meal:
    kg/data/events.yml reception_sorts)? A bare "reception" is of any sort."""
    sorts = _more().reception_sorts
    a = {name for name, pattern in sorts if pattern.search((one.trigger or "").lower())}
    b = {name for name, pattern in sorts if pattern.search((two.trigger or "").lower())}
    return bool(a and b and not a & b)


def _meeting_formats(token: Token, more: More) -> list[str]:
    """The formats (kg/data/events.yml) a meeting word tells, from its modifiers and the
    phrases it heads: "a one-on-one meeting" restricted, "talks between the two delegations"
    expanded, "talks in restricted and expanded formats" both."""
    doc = token.doc
    # the whole written word the token is part of ("tête-à-tête", split in three)
    a, b = token.i, token.i
    while a > 0 and not doc[a - 1].whitespace_ and doc[a - 1].is_alpha + doc[a].is_alpha < 2:
        a -= 1
    while b + 1 < len(doc) and not doc[b].whitespace_ and \
            doc[b].is_alpha + doc[b + 1].is_alpha < 2:
        b += 1
    while token.pos_ != "NOUN" and token.dep_ in ("compound", "amod", "nmod") and \
            token.head.i > token.i:
        token = token.head                    # "tête-à-tête meeting": the meeting's phrase
    words = [doc[a:b + 1].text]
    # a verb's object too: "held talks in a restricted format"
    for word in [token] + [c for c in token.children if c.dep_ == "dobj" and token.pos_ == "VERB"]:
        # the words before it, back to a coordination ("a four-eyed meeting and
        # delegation-level talks": "delegation-level talks" for the talks), and its "in",
        # "with", "between" phrase up to that phrase's noun
        # (a verb's words before it are its subject's: only its adverbs count)
        start = word.i if word.pos_ in ("VERB", "AUX") else word.left_edge.i
        for k in range(word.i - 1, start - 1, -1):
            if doc[k].dep_ == "cc" or doc[k].text in (",", ";"):
                start = k + 1
                break
        words.append(doc[start:word.i + 1].text)
        children = list(word.children)
        if word.i == token.i and token.dep_ == "dobj" and token.head.pos_ in ("VERB", "AUX"):
            # "held talks, first in a small group and then with their full delegations": the
            # phrases of the verb that holds the talks, after them
            children += [c for c in token.head.children if c.i > token.i]
        for child in children:
            if child.dep_ == "prep" and child.i > word.i:
                # (and the phrases joined to it: "in a small group and then with ...")
                for prep in [child] + [c for c in child.children
                                       if c.dep_ == "conj" and c.pos_ == "ADP"]:
                    nouns = [c.i for c in prep.children if c.dep_ == "pobj"]
                    if nouns and nouns[0] - prep.i < 8:
                        words.append(doc[prep.i:nouns[0] + 1].text)
                    elif not nouns and prep.right_edge.i - prep.i < 4:
                        words.append(doc[prep.i:prep.right_edge.i + 1].text)   # "in private"
            elif child.dep_ == "advmod":
                words.append(child.text)
            elif child.dep_ == "npadvmod" and child.i > word.i:
                # "talked for three hours, first one on one and then with the participation
                # of the ministers"
                words.append(doc[child.i:min(child.right_edge.i + 1, child.i + 12)].text)
    told = " ".join(words).lower()
    return [name for name, pattern in more.meeting_formats if pattern.search(told)]


def _other_people(officials: list[Official], one: list[int], two: list[int]) -> bool:
    """Do two tellings name none of the same people, or other people of one state (the
    foreign minister received her, then the president did)? Then they are two meetings."""
    if not one or not two:
        return False
    if not set(one) & set(two):
        return True
    def by_state(people: list[int]) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for i in people:
            if officials[i].state:
                out.setdefault(officials[i].state, set()).add(i)
        return out
    a, b = by_state(one), by_state(two)
    return any(not a[state] & b[state] for state in a.keys() & b.keys())


def _within_days(a: str | None, b: str | None, days: int) -> bool:
    if not a or not b:
        return True
    if len(a) < 10 or len(b) < 10:
        return _dates_agree(a, b)
    from datetime import date
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= days


def _dates_agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _merge(context: Context, into: Event, event: Event) -> None:
    if event.date and (not into.date or len(event.date) > len(into.date)):
        into.date = event.date
    elif into.kind == "visit" and event.date and len(event.date) == len(into.date) == 10:
        # a visit lasts days, and each telling may date another of them ("received on
        # Thursday the minister, who arrived on Wednesday"): it is dated by its first
        into.date = min(into.date, event.date)
    into.place = into.place or event.place
    for state in event.participants:
        if state not in into.participants:
            into.participants.append(state)
    for evidence in event.evidence:
        context.append_new(into.evidence, evidence)
    for person in event.persons:
        if person not in into.persons:
            into.persons.append(person)


# ---------------------------------------------------------------- the parse: whether it happened

@dataclass(frozen=True)
class Modality:
    unreal_governors: frozenset[str]
    unreal_nouns: frozenset[str]
    planned_governors: frozenset[str]
    unreal_aux: frozenset[str]
    future_aux: frozenset[str]
    conditional_marks: frozenset[str]
    negations: frozenset[str]
    met_with_things: frozenset[str]
    meeting_things: frozenset[str]
    unreal_modifiers: frozenset[str]
    scheduled_present: frozenset[str]
    standstill_verbs: frozenset[str]
    standstill_states: frozenset[str]
    telling_participles: frozenset[str]
    ending_verbs: frozenset[str]
    ended_things: frozenset[str]
    opening_verbs: frozenset[str]
    holding_verbs: frozenset[str]
    rupture_participles: frozenset[str]


@dataclass(frozen=True)
class More:
    """What kg/data/events.yml holds beyond the triggers lexicon.events() reads."""
    other_types: tuple[tuple[str, re.Pattern], ...]
    not_anaphoric: re.Pattern
    other_times: frozenset[str]
    coming: frozenset[str]
    numbered: re.Pattern          # an ordinal before the trigger: "the fifth meeting"
    bare_round: re.Pattern        # a round named by its number alone: "eighth round"
    numbered_round: re.Pattern    # ... and by any number, in a sentence: "the first round"
    other_start: re.Pattern       # a trigger that starts so: "tenth session", "next session"
    modality: Modality
    signing: re.Pattern
    duration_of: re.Pattern
    rounds_of: re.Pattern
    listed_only: re.Pattern
    habitual: re.Pattern
    habitual_adverbs: frozenset[str]
    document_title: re.Pattern
    plural_partners: re.Pattern
    bodies: frozenset[str]
    non_state_sides: frozenset[str]
    recognised_things: frozenset[str]
    own_envoy_recall: re.Pattern
    courtesy_purposes: frozenset[str]
    talk_words: frozenset[str]
    people_nouns: frozenset[str]
    site_nouns: frozenset[str]
    day_before: re.Pattern
    day_after: re.Pattern
    that_day: re.Pattern
    same_day: re.Pattern
    later_in_day: re.Pattern
    other_time_words: re.Pattern
    this_week: re.Pattern
    last_week: re.Pattern
    next_week: re.Pattern
    another_round: re.Pattern
    invitation_accepted: re.Pattern
    invitation_not_accepted: re.Pattern
    invitation_accepted_next: re.Pattern
    needs_parse: frozenset[str]
    days_counted: re.Pattern
    process_nouns: frozenset[str]
    negotiation_nouns: frozenset[str]
    talk_nouns: frozenset[str]
    negotiators: frozenset[str]
    starting_verbs: frozenset[str]
    note_handed: re.Pattern
    mediated: frozenset[str]
    domestic_sides: frozenset[str]
    private_travellers: frozenset[str]
    lawmakers: frozenset[str]
    both_sides: frozenset[str]
    recall_verbs: frozenset[str]
    meeting_formats: tuple[tuple[str, re.Pattern], ...]
    reception_sorts: tuple[tuple[str, re.Pattern], ...]


# modality lists of content words (verbs, nouns, adjectives), matched in any inflection; the
# others (auxiliaries, negations, marks) are closed classes, matched as written
INFLECTED = ("unreal_governors", "unreal_nouns", "planned_governors", "met_with_things",
             "meeting_things", "scheduled_present", "standstill_verbs", "telling_participles",
             "ending_verbs", "ended_things", "opening_verbs", "holding_verbs",
             "rupture_participles")


def _words(values) -> frozenset[str]:
    """A word list's dictionary forms and their regular inflections: the small model's
    lemmatizer errs on some ("hopes" -> "hop"), and the word itself is then matched here."""
    out: set[str] = set()
    for value in values:
        out |= _inflections(str(value).lower())
    return frozenset(out)


VOWELS = "aeiou"


def _inflections(word: str) -> set[str]:
    """"hope" -> hopes, hoped, hoping; "plan" -> plans, planned, planning; "deny" -> denies,
    denied. Irregular forms ("sought") are left to the lemma."""
    forms = {word}
    if not word.isalpha() or len(word) < 3:
        return forms
    forms |= {word + "s", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(word + "es")
    if word.endswith("y") and word[-2] not in VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word[-1] in "bdgmnprt" and word[-2] in VOWELS and word[-3] not in VOWELS:
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}   # "planned"
    return forms


@lru_cache(maxsize=1)
def _more() -> More:
    data = lexicon.load("events.yml")
    mod = data["modality"]
    words = " ".join(re.escape(w) for w in data["not_anaphoric"])
    rel = data["relative_days"]
    ordinal = r"(" + "|".join(re.escape(w) for w in data["ordinals"]) + \
        r"|\d+(?:st|nd|rd|th)|next|last|previous)"
    return More(
        other_types=tuple((k, re.compile(v)) for k, v in data["other_types"].items()),
        # an ordinal word between the article and the trigger: "the last meeting"
        other_times=frozenset(data["not_anaphoric"]),
        coming=frozenset(data["coming"]),
        not_anaphoric=re.compile(r"\b(the|this|that|his|her|their|its|a|an)\s+(" +
                                 words.replace(" ", "|") + r")\s+([\w-]+\s+){0,2}$"),
        # an ordinal just before the trigger: "the fifth meeting", "its 9th joint session"
        numbered=re.compile(r"\b(?:the|its|their)\s+(?:" + "|".join(
            re.escape(w) for w in data["ordinals"]) + r"|\d+(?:st|nd|rd|th))\s+([\w-]+\s+){0,2}$"),
        bare_round=re.compile(ordinal + r" round"),
        numbered_round=re.compile(r"\b(first|" + ordinal[1:] + r" rounds?\b"),
        # a trigger that starts with a word of another time or an ordinal ("next session")
        other_start=re.compile(r"(" + "|".join(
            re.escape(w) for w in list(data["not_anaphoric"]) + list(data["ordinals"])) +
            r"|\d+(?:st|nd|rd|th))\s"),
        modality=Modality(**{k: _words(v) if k in INFLECTED else
                             frozenset(str(w).lower() for w in v) for k, v in mod.items()}),
        signing=re.compile(data["signing_words"]),
        duration_of=re.compile(data["duration_of"]),
        rounds_of=re.compile(data["rounds_of"]),
        listed_only=re.compile(data["listed_only"]),
        habitual=re.compile(data["habitual"]),
        habitual_adverbs=frozenset(data["habitual_adverbs"]),
        document_title=re.compile(data["document_title_before"]),
        plural_partners=re.compile(data["plural_partners"]),
        bodies=_words(data["bodies"]),
        non_state_sides=_words(data["non_state_sides"]),
        recognised_things=_words(data["recognised_things"]),
        own_envoy_recall=re.compile(data["own_envoy_recall"]),
        courtesy_purposes=_words(data["courtesy_purposes"]),
        talk_words=_words(data["talk_words"]),
        people_nouns=_words(data["people_nouns"]),
        site_nouns=_words(data["site_nouns"]),
        day_before=re.compile("|".join(rel["before"])),
        day_after=re.compile("|".join(rel["after"])),
        that_day=re.compile("|".join(rel["that_day"])),
        same_day=re.compile(rel["same"]),
        later_in_day=re.compile(rel["later_in_day"]),
        other_time_words=re.compile(rel["other_time_words"]),
        this_week=re.compile(rel["this_week"]),
        last_week=re.compile(rel["last_week"]),
        next_week=re.compile(rel["next_week"]),
        another_round=re.compile(data["another_round"]),
        **{k: re.compile(data[k]) for k in ("invitation_accepted", "invitation_not_accepted",
                                            "invitation_accepted_next")},
        note_handed=re.compile(data["note_handed_to_envoy"]),
        needs_parse=frozenset(data["needs_parse"]),
        days_counted=re.compile(rel["counted"]),
        **{k: _words(data["negotiation"][k])
           for k in ("process_nouns", "negotiation_nouns", "talk_nouns", "negotiators",
                     "starting_verbs", "mediated")},
        domestic_sides=_words(data["domestic_sides"]),
        private_travellers=_words(data["private_travellers"]),
        lawmakers=_words(data["lawmakers"]),
        both_sides=frozenset(data["both_sides"]),
        recall_verbs=_words(data["recall_verbs"]),
        meeting_formats=tuple((k, re.compile(v)) for k, v in data["meeting_formats"].items()),
        reception_sorts=tuple((k, re.compile(v)) for k, v in data["reception_sorts"].items()),
    )


def _invitation_accepted(context: Context, number: int, lower: str, more: More) -> bool:
    """Whether the invitation told in sentence `number` was accepted, there ("and Lim
    accepted") or in the sentence after it ("The invitation was accepted")."""
    if more.invitation_accepted.search(lower) and not more.invitation_not_accepted.search(lower):
        return True
    following = context.sentences[number + 1].text.lower() \
        if number + 1 < len(context.sentences) else ""
    return bool(more.invitation_accepted_next.search(following)) and \
        not more.invitation_not_accepted.search(following)


def _other_type(more: More, trigger: str) -> str:
    for name, pattern in more.other_types:
        if pattern.search(trigger):
            return name
    return "other"


def _trigger_token(sentence: Span, start: int, end: int) -> Token | None:
    """The token that heads a trigger's words in the parse ("held" in "held talks", "call" in
    "phone call"); for a preposition ("by phone"), the word it hangs on."""
    begin, stop = sentence.start_char + start, sentence.start_char + end
    tokens = [t for t in sentence if t.idx < stop and t.idx + len(t.text) > begin]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    words = [t for t in tokens if not t.is_punct] or tokens
    heads = [t for t in words if t.head.i not in inside or t.head.i == t.i]
    token = heads[0] if heads else words[0]
    if token.pos_ == "ADP" and words[-1].pos_ == "VERB" and words[-1].dep_ == "relcl":
        return words[-1]                      # "(relations) between the two, which had been
        #                                       severed": the clause's verb
    if token.pos_ == "ADP" and token.head.i != token.i:
        token = token.head
    # "agreed to meet", "will meet": the event is the verb under the one that plans it
    inner = [c for c in token.children if c.i in inside and c.dep_ == "xcomp"]
    return inner[0] if inner else token


def lemma(token: Token) -> str:
    """The word's dictionary form from the parse ("urged", "urging" -> "urge"; "sought" ->
    "seek"; "talks" -> "talk"), lower case; the word itself where the pipeline gives none."""
    return (token.lemma_ or token.text).lower()


def _is(token: Token, words: frozenset[str]) -> bool:
    """Is the word one of `words` (dictionary forms, as kg/data/events.yml lists them), by its
    own form or by its lemma? Only read over a parse, which has the lemmatizer."""
    return token.lower_ in words or lemma(token) in words


# prepositions that set an event as the time or place of another act, not as its content
SETTING = {"during", "at", "after", "before", "following", "since", "on", "in", "amid",
           "ahead", "until", "throughout", "upon"}
CLIMB = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "advcl", "conj", "attr", "nsubjpass",
         "relcl", "pcomp", "oprd", "appos", "dative"}


# marks of a clause that sets a condition on the clause it hangs on ("whether" does not)
CONDITIONS = {"if", "unless"}


def _mood(token: Token, mod: Modality) -> str:
    """'real', 'future' (planned or announced: an event, with its own date) or 'unreal'
    (negated, conditional, hypothetical, demanded, feared: no event), read from the trigger's
    own dependents and from the words it hangs under, up to the clause that holds it."""
    future = False
    if any(c.dep_ == "amod" and c.lower_ in mod.unreal_modifiers for c in token.children):
        return "unreal"                       # "the imminent launch", "a possible visit"
    if token.pos_ in ("NOUN", "PROPN") and _held_past(token):
        return "real"                         # "reviewed the decisions of the Fourth Session,
        #                                       held in Windhoek in June 2012": it took place,
        #                                       whatever is done with it now
    if token.tag_ == "VBN" and token.dep_ == "acl" and \
            any(c.dep_ == "agent" for c in token.children):
        return "real"                         # "demanded the release of a boat, seized by
        #                                       the coast guard on Tuesday": done by someone
    if token.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ in ("relcl", "acl") and _is(c, mod.holding_verbs) and
            any(a.dep_ in ("aux", "auxpass") and a.lower_ in ("to", "will", "shall")
                for a in c.children) and not any(a.dep_ == "neg" for a in c.children)
            for c in token.children):
        return "future"                       # "invited him to attend the summit, to be held
        #                                       in Phnom Penh in 2020": whoever attends, the
        #                                       summit itself is set
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.i != token.i and \
            any(c.dep_ == "det" and c.lower_ in ("a", "an", "any") for c in token.children) and \
            any(c.dep_ == "aux" and c.lower_ in (mod.future_aux | mod.unreal_aux)
                for c in token.head.children):
        return "unreal"                       # "a launch would constitute a breach"
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.i != token.i:
        # "if the talks fail", "the talks did not take place": the clause of which the
        # trigger is the subject
        for child in token.head.children:
            if child.dep_ == "mark" and child.lower_ in mod.conditional_marks or \
                    child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONS
                                                  for c in child.children) or \
                    child.dep_ == "neg" or \
                    child.dep_ == "aux" and child.lower_ in mod.unreal_aux:
                return "unreal"
            if child.dep_ in ("aux", "auxpass") and child.lower_ in mod.future_aux:
                future = True
        if token.dep_ == "nsubjpass" and _is(token.head, mod.unreal_governors):
            return "unreal"                   # "the visit was postponed", "talks were proposed"
        if _is(token.head, mod.standstill_verbs) or any(
                c.dep_ in ("acomp", "attr") and c.lower_ in mod.standstill_states
                for c in token.head.children):
            return "unreal"                   # "talks remain frozen", "the talks have stalled":
            #                                   a process at a standstill, no occurrence
    # "announced that Poland expelled 45 diplomats": a past verb is done, whoever tells it
    told_as_done = token.tag_ == "VBD" or token.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in token.children)
    current, via_conj, steps, nouns = token, False, 0, 0
    planned_noun = False          # under "the preparations for": planned, whoever reviews them
    stretch = _a_stretch_of(token)    # "ended two days of talks": they took place
    while steps < 8:
        for child in current.children:
            word = child.lower_
            if child.dep_ == "neg" or (word in mod.negations and child.dep_ in ("det", "neg")
                                       and current.i == token.i):
                if not via_conj or current.i == token.i:
                    return "unreal"           # "did not meet", "no talks were held"
            if child.dep_ in ("aux", "auxpass"):
                if word in mod.future_aux:
                    future = True
                elif word in mod.unreal_aux:
                    return "unreal"           # "talks could resume"
            if child.dep_ == "mark" and word in mod.conditional_marks:
                return "unreal"               # "if the talks fail"
            if child.dep_ == "advcl" and not via_conj and any(
                    c.dep_ == "mark" and c.lower_ in CONDITIONS for c in child.children):
                return "unreal"               # "would expel the envoy if the raids go on"
        if current.i != token.i and not via_conj:
            if _is(current, mod.unreal_governors) and \
                    current.pos_ in ("VERB", "ADJ", "AUX", "ADV") and \
                    not (planned_noun and _is(current, _more().talk_words)) and \
                    not (_is(current, mod.ending_verbs) and current.tag_ == "VBD" and
                         token.dep_ == "dobj" and token.head.i == current.i and
                         _is(token, mod.ended_things)) and \
                    not (_is(current, mod.ending_verbs) and current.tag_ == "VBD" and
                         stretch is not None and stretch.head.i == current.i) and \
                    not (_is(current, mod.opening_verbs) and current.pos_ == "VERB" and
                         current.tag_ in ("VBD", "VBN") and token.head.i == current.i and
                         token.dep_ in ("dobj", "nsubjpass")):
                return "unreal"               # "urged them to withdraw", "ready to host talks"
                #                               (not "ended a three-day visit", "opened the
                #                               fifth round of talks on Monday")
            if current.pos_ in ("NOUN", "PROPN") and not (
                    token.dep_ == "acl" and token.tag_ == "VBG" and current.i == token.head.i):
                # only the nearest noun above governs it (not the doer of a participle:
                # "opposition to republics joining the alliance")
                nouns += 1
                if nouns == 1 and _is(current, mod.unreal_nouns):
                    return "unreal"           # "fears of war", "calls for talks"
            if _is(current, mod.planned_governors) and not told_as_done:
                future = True                 # "agreed to meet", "is scheduled to visit"
                planned_noun = planned_noun or current.pos_ == "NOUN"
        if current.dep_ not in CLIMB or current.head.i == current.i:
            break
        if current.dep_ == "dative" and not _is(current.head, mod.unreal_governors):
            break                             # only "offered to host talks", misparsed
        if current.dep_ == "pobj" and current.head.lower_ in SETTING:
            break                             # "said so during a meeting": the meeting's
            #                                   own mood is not the saying's
        if current.dep_ in ("ccomp", "advcl", "relcl") and current.i != token.i and \
                not _is(current.head, mod.unreal_governors):
            break                             # the governing clause's own mood is not ours
        if current.dep_ == "advcl" and current.tag_ in ("VBD", "VBZ", "VBP") and any(
                c.dep_ == "mark" or c.dep_ == "advmod" and c.lower_ in ("when", "while")
                for c in current.children) and any(
                c.dep_ == "nsubj" for c in current.children):
            break                             # "had offered joint operations when Beridze
            #                                   held talks in Moscow": a clause with its own
            #                                   subject and time, not what is offered
        if current.dep_ in ("ccomp", "conj", "parataxis") and _across_semicolon(current):
            break                             # "agreed to meet in May; Y has offered to host
            #                                   it": the parser's link over a semicolon
        via_conj = current.dep_ == "conj"
        current = current.head
        steps += 1
    return "future" if future else "real"


def _held_past(token: Token) -> bool:
    """Does a participle in the past tell where or when the event noun was held ("the Fourth
    Session of the commission, held in Windhoek in June 2012"), hung on it by the parse or
    following its phrase?"""
    if any(c.dep_ == "acl" and c.tag_ == "VBN" and lemma(c) in HOLDING and not any(
            a.dep_ in ("aux", "auxpass", "neg") for a in c.children) and any(
            p.dep_ == "prep" and p.lower_ in ("in", "on", "at") for p in c.children)
            for c in token.children if c.i > token.i):
        return True
    ends = {token.idx + len(token.text)}
    for child in token.children:
        if child.i > token.i and child.dep_ == "prep":
            ends.add(child.right_edge.idx + len(child.right_edge.text))
    # (a window of the text after the phrase: Doc.text would join the whole report each time)
    doc = token.doc
    window = doc[token.i:min(len(doc), token.right_edge.i + 25)]
    return any(HELD_AFTER.match(window.text, end - window.start_char) for end in ends)


TITLE_PREPS = {"on", "for", "of", "regarding", "concerning", "about"}
# the prepositions of a means: "settle the dispute through negotiations", "via dialogue"
MEANS_PREPS = frozenset({"through", "via"})
# talks whose topic is an act ("talks on normalizing relations"), not the act done
TALKS_ABOUT = frozenset({"talks", "negotiations", "negotiation", "consultations", "dialogue",
                         "discussions"})


@lru_cache(maxsize=1)
def _document_words() -> frozenset[str]:
    return frozenset(k[0] for k, _ in lexicon.agreements().kinds if len(k) == 1)


def _in_a_title(token: Token, heads: frozenset[str] | None = None) -> bool:
    """Is the trigger what a document is about ("a protocol on consultations", "the
    Agreement on Mutual Visits")? Then it names the document's subject, not an event. (With
    `heads`, what those words are about: "talks on normalizing relations".)"""
    word = token
    for _ in range(3):
        if word.dep_ not in ("pobj", "conj", "compound", "amod") or word.head.i == word.i:
            return False
        head = word.head
        if word.dep_ == "pobj":
            if head.lower_ not in TITLE_PREPS or head.head.i == head.i:
                return False
            return head.head.lower_ in (heads or _document_words())
        word = head
    return False


LAST_HELD = re.compile(r"^[^.;,]{0,70}?,\s+(?:(?:last|previously|first)\s+)?(?:held|convened|met|"
                       r"hosted)\s+(?P<prep>in|at)\s+")
DAY_OF = re.compile(r"\bon the (?P<n>second|third|fourth|fifth|final|last) day of (?:(?:his|her|"
                    r"their|the|(?:[\w.]+ )?\w+(?:'|’)s) )?(?:(?P<len>two|three|four|five)-day )?")
# "concluded today a two-day visit": the day told is its last
ENDED = re.compile(r"\b(?:concluded|concludes|ended|ends|wrapped up|wraps up|completed|completes|"
                   r"rounded off|finished)\b[^.;]{0,40}?\b(?P<len>two|three|four|five)[- ]day "
                   r"(?:[\w-]+ ){0,2}$")
ORDINAL_DAYS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
LENGTHS = {"two": 2, "three": 3, "four": 4, "five": 5}


def _first_day(text: str, date: str) -> str:
    """"on the second day of his three-day visit" told on a day: the visit began a day
    before (the annotators date a several-day event by its first day); so did one told as
    ended that day ("concluded today a two-day visit")."""
    found = DAY_OF.search(text)
    if not found:
        ended = ENDED.search(text[:text.rfind("visit")] if "visit" in text else text)
        if not ended:
            return date
        return (dt.date.fromisoformat(date) -
                dt.timedelta(days=LENGTHS[ended["len"]] - 1)).isoformat()
    n = ORDINAL_DAYS.get(found["n"]) or LENGTHS.get(found["len"] or "")
    if not n:
        return date
    return (dt.date.fromisoformat(date) - dt.timedelta(days=n - 1)).isoformat()


def _a_verb(token: Token | None) -> bool:
    """A trigger that is the verb ("the minister also met ..."): an article before it is its
    subject's, not a reference back to an event named before."""
    return token is not None and token.pos_ in ("VERB", "AUX")


def _both_sides_act(token: Token, more: More) -> bool:
    """Is the subject of the verb that holds the trigger a plural that stands for the report's
    two sides ("they", "the ministers", "the two sides")? Only the trigger's own verb, or the
    verb that plans it ("agreed to hold a meeting"), within three steps."""
    word = token
    for _ in range(3):
        for child in word.children:
            if child.dep_ == "nsubj":
                return child.lower_ in more.both_sides and (
                    child.tag_ in ("NNS", "NNPS") or child.pos_ == "PRON")
        if word.dep_ not in ("dobj", "xcomp", "ccomp", "conj") or word.head.i == word.i:
            return False
        word = word.head
    return False


def _across_semicolon(word: Token) -> bool:
    """Does a semicolon stand between a clause and the head the parser gave it? Then they are
    two sentences in one, each with its own mood."""
    head = word.head
    low, high = sorted((word.i, head.i))
    return any(t.text == ";" and t.head.i in (head.i, word.i)
               for t in word.doc[low + 1:high])


def _one_occurrence(sentence: Span, start: int, end: int) -> bool:
    """A singular trigger noun with an article or possessive names one occurrence, whatever
    modifies it ("the first high-level visit", "his reciprocal visit")."""
    token = _trigger_token(sentence, start, end)
    return token is not None and token.tag_ == "NN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in ONE_DETERMINERS for c in token.children)


ONE_DETERMINERS = {"the", "a", "an", "this", "his", "her", "their", "its", "our", "my"}


def _a_name_or_attribute(words: str, sentence: Span, start: int) -> bool:
    """A trigger in title case is part of a name (a document's, an office's); a participle
    modifying a noun ("the newly appointed envoys", "occupied territories") tells no act."""
    tokens = [w for w in re.findall(r"[A-Za-z]+", words) if len(w) > 3]
    if tokens and tokens[0].lower() in ("judgment", "judgement", "ruling", "award"):
        return False                          # "the Judgment of the International Court of
        #                                       Justice of 13 December 1999": a court's act
    if tokens and all(w[0].isupper() for w in tokens):
        return True
    if not has_parse(sentence.doc):
        return False
    begin = sentence.start_char + start
    first = next((t for t in sentence if t.idx + len(t.text) > begin), None)
    return first is not None and first.dep_ == "amod" and first.tag_ in ("VBN", "VBD", "VBG")


def _a_demand(token: Token, more: More) -> bool:
    """"called on X to withdraw" asks something (PLOVER REQUEST); "called on the president
    to discuss trade" pays a call."""
    for child in token.subtree:
        if child.pos_ == "VERB" and child.i != token.i and \
                any(c.dep_ == "aux" and c.tag_ == "TO" for c in child.children):
            return not _is(child, more.courtesy_purposes)
    return False


def _negotiating(token: Token, more: More) -> bool:
    """Is a meeting a round of negotiation (PLOVER CONSULT, CAMEO 046)? It is where its talks
    are about a process or dispute ("talks on the normalisation of relations", "met to resume
    negotiations"), or where negotiators hold it."""
    def about_a_process(word: Token) -> bool:
        for prep in word.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "over", "about", "regarding",
                                                       "concerning", "for"):
                for obj in prep.children:
                    if obj.dep_ == "pobj" and _is(obj, more.process_nouns):
                        return True
        # (not "discussed the normalisation with X": a process only discussed is a topic)
        return False

    def talks(word: Token) -> bool:
        # (not "a round of political consultations": the spec's meeting)
        return _is(word, more.negotiation_nouns) or word.lower_ in ("talks", "dialogue")

    def negotiating(word: Token) -> bool:
        if word.lower_ in ("round", "rounds"):
            # "for a new round of the dialogue": a round of talks is a negotiation's
            return any(talks(o) for p in word.children if p.dep_ == "prep" and
                       p.lower_ == "of" for o in p.children if o.dep_ == "pobj")
        if _is(word, more.talk_nouns) and any(
                c.dep_ in ("amod", "compound") and c.lower_.rsplit("-", 1)[-1] in
                more.mediated for c in word.children):
            return True                       # "the EU-facilitated dialogue"
        return _is(word, more.negotiation_nouns) or \
            (_is(word, more.talk_nouns) and about_a_process(word))

    def purpose(clause: Token) -> bool:
        # "met to start talks on ...", "to resume negotiations", "to negotiate an agreement"
        return any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children) and (
            lemma(clause) == "negotiate" or any(negotiating(w) for w in clause.subtree))

    if token.pos_ in ("NOUN", "PROPN"):
        if about_a_process(token):
            return True                       # "talks on the normalisation of relations"
        if any(c.dep_ in ("acl", "relcl", "advcl") and purpose(c) for c in token.children):
            return True                       # "a meeting with X to negotiate an agreement"
        verb = token.head if token.dep_ in ("dobj", "nsubj", "nsubjpass") else None
    else:
        verb = token
    if verb is None:
        return False
    if _is(verb, more.talk_nouns) and about_a_process(verb):
        return True                           # "held talks on the border" (hung on "held")
    for child in verb.children:
        if child.dep_ == "dobj" and negotiating(child):
            return True                       # "held talks on the demarcation"
        if child.dep_ in ("nsubj", "nsubjpass") and _is(child, more.negotiators):
            return True                       # "the chief negotiators met"
        if child.dep_ in ("advcl", "xcomp") and purpose(child):
            return True                       # the purpose of the meeting
        if child.dep_ == "prep" and child.lower_ == "for":
            if any(negotiating(o) for o in child.children if o.dep_ == "pobj"):
                return True                   # "met for negotiations", "for talks on ..."
    return False


def _no_fighting(token: Token, more: More) -> bool:
    """A conflict word that modifies another noun names no fighting ("war criminals", "war
    crimes", "attack helicopters"); a clash with the police or protesters is no armed conflict
    between states."""
    if token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ == "NOUN" and \
            token.head.i != token.i:                # (not inside a name: "World War II")
        return True
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("with", "between", "against", "on", "at",
                                                   "upon"):
            objects = [o for o in prep.children if o.dep_ == "pobj"]
            objects += [c for o in objects for c in o.children if c.dep_ == "conj"]
            if objects and all(_is(o, more.domestic_sides) for o in objects):
                return True
    return False


def _a_house_sitting(token: Token, more: More) -> bool:
    """A meeting of a parliament's members, no dealing between states: its subject all
    lawmakers ("deputies and senators, meeting in joint session", "lawmakers met")."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head.head \
        if token.dep_ == "pobj" and token.head.dep_ == "prep" else None     # "in joint session"
    if verb is None or verb.pos_ not in ("VERB", "AUX") or any(
            c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in ("with", "between")
            for c in verb.children):
        return False                      # (not "Romanian deputies met Ukrainian lawmakers")
    return _all_subjects_are(verb, more.lawmakers)


def _private_travellers(token: Token, more: More) -> bool:
    """A journey of private people, not of a state's officials: "for students and tourists
    to travel to Argentina", "allows citizens of both countries to visit Chile"."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    return _all_subjects_are(verb, more.private_travellers)


def _all_subjects_are(verb: Token, words: frozenset[str]) -> bool:
    """Are the verb's subjects, with those joined to them ("students and tourists"), all
    among `words`? (A participle's is the noun it describes: "deputies, meeting in ...".)"""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        subjects = [verb.head]
    subjects += [c for s in subjects for c in s.children if c.dep_ == "conj"]
    return bool(subjects) and all(_is(s, words) for s in subjects)


def _visited_a_thing(context: Context, token: Token, more: More) -> bool:
    """"visiting a number of businesses", "visited a factory": the object of the verb is a
    thing, with no state, place or person in its phrase; no visit between states."""
    if token.pos_ != "VERB":
        return False
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "to" and any(
                t.ent_type_ in ("GPE", "LOC") or context.match_at(t.i) is not None
                for t in child.subtree):
            return False              # "will travel to Port Moresby ... to co-chair the forum"
    for child in token.children:
        if child.dep_ == "dobj" and child.lemma_ in QUANTITY_NOUNS:
            # "visiting a number of Ethiopian businesses": what the number counts, whoever's
            things = [g for c in child.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"]
            if things and things[0].pos_ == "NOUN" and things[0].tag_ == "NNS" and \
                    not _is(things[0], lexicon.titles().head_words | more.people_nouns |
                            PLACE_NOUNS | {"country", "capital", "state", "nation", "island"}):
                return True
        if child.dep_ == "dobj":
            phrase = context.doc[child.left_edge.i:child.right_edge.i + 1]
            if child.pos_ != "NOUN" or context.matches_in(phrase) or \
                    any(t.ent_type_ in ("GPE", "LOC", "FAC", "PERSON", "ORG", "NORP")
                        for t in phrase):
                return False
            people = lexicon.titles().head_words | more.people_nouns
            return not any(_is(t, people) for t in phrase)
    return False


# nouns that count what follows their "of": "a number of businesses"
QUANTITY_NOUNS = {"number", "series", "range", "couple", "variety", "host", "handful"}


def _visited_a_site(token: Token, more: More) -> bool:
    """The visit goes to a site, not a state ("his visit to the shrine", "visited the war
    memorial"): its object, or the object of its "to", is a site noun."""
    if token.pos_ == "VERB":
        places = [c for c in token.children if c.dep_ == "dobj"]
    else:
        places = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("to", "at")
                  for g in c.children if g.dep_ == "pobj"]
    return any(_is(place, more.site_nouns) for place in places)


def _received_a_thing(token: Token, more: More) -> bool:
    """"received the envoy" is a meeting; "received instructions" is not: the object is a
    common noun that names no person or group of people (nor, passive, "no request had
    been received")."""
    if not token.lower_.startswith("receiv"):
        return False
    people = lexicon.titles().head_words | more.people_nouns
    def thing(word: Token) -> bool:
        return word.pos_ == "NOUN" and not _is(word, people) and \
            word.ent_type_ not in ("PERSON", "NORP")
    objects = [c for c in token.children if c.dep_ == "dobj"]
    if objects:
        return thing(objects[0])
    # (every passive subject a thing: "on the eve of the talks, the ministers were received"
    # parses two)
    subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
    return bool(subjects) and all(thing(c) for c in subjects)


# verbs that make a meeting only with an office holder as their object
HOSTING = ("host",)


def _series(context: Context, events: list[Event], token: Token, sentence: Span,
            people: list[Official], more: More) -> Event | None:
    """The meeting or summit of three states or more that a "next meeting" naming no state
    but as its place follows: the latest one told before."""
    if not _told_as_coming(token, more) or \
            people or set(context.states_in(sentence)) - _only_where(context, sentence, people):
        return None
    if _of_the_talks(token) is not None:
        return None                           # "the next session of the talks": of the talks
    return next((e for e in reversed(events) if e.kind in ("summit", "meeting") and
                 len(e.participants) >= 3), None)


def _told_as_coming(token: Token, more: More) -> bool:
    """Is the trigger told as one still to come ("the next meeting", "the upcoming
    summit")?"""
    return any(c.dep_ == "amod" and c.lower_ in more.coming for c in token.children)


def _of_the_talks(token: Token) -> Token | None:
    """"the next session of the talks": the talks a session or round is one of."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lower_ in TALKS_ABOUT:
                    return noun
    return None


def _called_home_for(token: Token, more: More) -> bool:
    """Consultations an envoy is recalled for ("recalled its ambassador for urgent
    consultations"): the reason of the recall, no meeting told (with whom is not said; "came
    for consultations with X" stays one)."""
    prep = token.head if token.dep_ == "pobj" else None
    if prep is None or prep.lower_ != "for":
        # (the parser may take 'for "urgent consultations" after ...' apart: the words before)
        k = token.i - 1
        while k > token.sent.start and (token.doc[k].is_punct or token.doc[k].pos_ == "ADJ"):
            k -= 1
        prep = token.doc[k] if token.doc[k].lower_ == "for" else None
    return prep is not None and _is(prep.head, more.recall_verbs) and \
        not any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children)


def _hosted_people(token: Token, more: More) -> bool:
    """"hosted his Finnish counterpart", "hosted a delegation of", "was hosted by the king":
    a meeting where the parse gives an office holder as the one hosted (a person's name, a
    title, a counterpart or delegation), not a thing or a crowd ("hosted the summit",
    "hosted the guests")."""
    hosted = lexicon.titles().head_words | HOSTED
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child.ent_type_ == "PERSON" or _is(child, hosted)
    return False


# who, besides a title, is hosted for talks
HOSTED = frozenset({"counterpart", "counterparts", "delegation", "delegations", "envoy",
                    "envoys", "emissary", "emissaries"})


PLAIN_RECOGNITION = re.compile(r"recogni[sz](e|ed)$")
# "the summit of the South Asian Association for ...": a named body's, multilateral
OF_A_BODY = re.compile(r" of (the )?[A-Z]")


FORCES = frozenset({"troops", "forces", "soldiers", "aircraft", "warships", "ships", "units",
                    "jets", "planes", "bombers", "tanks", "marines", "paratroopers",
                    "peacekeepers", "contingent", "battalion", "division", "brigade"})


def _forces_arrived(token: Token) -> bool:
    """Is an arrival's subject a state's forces ("the first U.S. troops and aircraft arrived
    in Saudi Arabia")? Then it is a deployment."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    return any(c.dep_ in ("nsubj", "nsubjpass") and (
        c.lower_ in FORCES or any(k.lower_ in FORCES for k in c.conjuncts))
        for c in verb.children)


def _held_by_the_two(token: Token) -> bool:
    """"the two presidents held a summit", "both leaders will hold talks": held by a subject
    that counts two, naming no one."""
    if token.dep_ != "dobj" or token.head.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "nsubj" and any(
        d.dep_ == "nummod" and d.lower_ == "two" or d.dep_ in ("det", "predet") and
        d.lower_ == "both" for d in c.children) for c in token.head.children)


def _their_summit(token: Token) -> bool:
    """Is the summit the two sides' own: named by them ("the Clinton-Yeltsin summit", "the
    US-Russia summit", "a summit between US and Russian leaders") or held by them ("will hold a
    summit")? Not one they only attended ("since the summit in Lima")."""
    named = any(w.ent_type_ in ("PERSON", "GPE", "NORP") for left in token.lefts
                for w in left.subtree)
    held = token.dep_ == "dobj" and token.head.lemma_ in ("hold", "have")
    # "a summit between US and Russian leaders", "their summit"
    between = any(c.dep_ == "prep" and c.lower_ in ("between", "with") or
                  c.dep_ == "poss" and c.lower_ in ("their", "our") for c in token.children)
    return named or held or between


def _to_be_started(token: Token, more: More) -> bool:
    """Negotiations that a verb of starting governs, not told as begun ("agreed to start
    negotiations on", "will open negotiations"; not "began negotiations")."""
    if token.lower_ not in more.negotiation_nouns or token.dep_ != "dobj":
        return False
    verb = token.head
    return _is(verb, more.starting_verbs) and verb.tag_ in ("VB", "VBP") and (
        verb.dep_ in ("xcomp", "advcl", "ccomp", "conj") or
        any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "to") for c in verb.children))


def _undated_start(token: Token, dates: list, more: More) -> bool:
    """Negotiations only to be started, with no day in their own clause ("agreed to convene
    the commission later this year and instructed officials to begin negotiations"): no
    occurrence, and no talks hidden by them."""
    if not _to_be_started(token, more):
        return False
    top = token.head                  # up to the clause's verb, not past a conjunct's
    while top.dep_ not in ("conj", "ROOT") and top.head is not top:
        top = top.head
    others = [c for c in top.children if c.dep_ == "conj"]
    inside = {t.i for t in top.subtree} - {t.i for c in others for t in c.subtree}
    return not any(t.i in inside for d in dates for t in token.doc.char_span(
        d.start, d.end, alignment_mode="expand") or ())


def _recognised_a_polity(token: Token | None, more: More) -> bool:
    """"Russia recognized South Ossetia and Abkhazia", "recognised the new government": a
    named place or a polity as the object; not "recognised the importance of the talks".
    Without the parse, no."""
    if token is None or token.pos_ != "VERB":
        return False
    for c in token.children:
        if c.dep_ != "dobj":
            continue
        if c.ent_type_ in ("GPE", "LOC") or _is(c, more.recognised_things):
            return True
    return False


def _joined_a_body(token: Token, more: More) -> bool:
    """"joined NATO", "accession to the Union": the body joined is the object itself, not a
    word before another noun ("joined NATO leaders at the summit" joins people)."""
    if token.pos_ != "VERB" or token.lemma_ == "become":
        return True                           # "accession to", "admission to": a noun;
        #                                       "became a member of the Union"
    body = [c for c in token.children if c.dep_ == "dobj"] + \
        [o for p in token.children if p.dep_ == "prep" and p.lower_ == "to"
         for o in p.children if o.dep_ == "pobj"]
    return any(b.ent_type_ == "ORG" or b.pos_ == "PROPN" or _is(b, more.bodies) for b in body)


def _called_someone(token: Token, more: More) -> bool:
    """"called his Peruvian counterpart": a person called, with nothing said of them (no
    "called him a liar", "called the talks useless", "was called X")."""
    if any(c.dep_ in ("oprd", "ccomp", "acomp", "attr") for c in token.children):
        return False
    if any(c.dep_ in ("xcomp", "advcl") and not _is(c, more.courtesy_purposes)
           for c in token.children):
        return False                          # "called the minister to resign" (but "to
        #                                       congratulate him", "to discuss" are calls)
    return token.dep_ != "acl" and _hosted_people(token, more) and \
        not any(c.dep_ == "nsubjpass" for c in token.children)


# "the bilateral summit", "the XXXV Bilateral Summit", "a Spain-Portugal summit" (a summit
# is multilateral; two states' top-level meeting is a meeting)
MULTILATERAL_BEFORE = re.compile(r"\b(international|multilateral|regional|global|world)\s+"
                                 r"((\w+|-)\s+)?$")
BILATERAL_BEFORE = re.compile(r"\b(bilateral|two-way|one-on-one)\s+((\w+|-)\s+)?$")


def _pair_named_before(context: Context, sentence: Span, start: int) -> bool:
    """Is the trigger named after two states joined by a hyphen ("a Japan-Philippines
    Foreign Ministers' Meeting")? Then it is the two states' meeting."""
    at = sentence.start_char + start
    names = [m for m in context.matches_in(sentence)
             if m.kind in ("name", "demonym") and m.span.end_char <= at]
    if len(names) < 2:
        return False
    one, two = names[-2], names[-1]
    return one.key != two.key and \
        context.text[one.span.end_char:two.span.start_char].strip() in ("-", "–") and \
        not context.text[two.span.end_char:at].strip()

# a plan said, later in its sentence, to have been given up
CALLED_OFF = re.compile(r"\b(was|were|has been|had been|have been) (called off|cancell?ed|"
                        r"postponed|scrapped|shelved|put off|dropped)\b")


def _with_no_state(context: Context, token: Token, more: More) -> bool:
    """A meeting whose other side is a group that is no state's: all of its "with" phrase
    ("met with yellow vest activists"), or one side of its "between" phrase ("a meeting
    between a deputy prime minister and protesters"), with no state named in it."""
    for prep in token.children:
        if prep.dep_ == "dobj" and token.pos_ == "VERB":
            prep = token                      # "met activists": the object as a "with"
            sides = [o for o in token.children if o.dep_ == "dobj"]
        elif prep.dep_ == "prep" and prep.lower_ in ("with", "between"):
            sides = [o for o in prep.children if o.dep_ == "pobj"]
        else:
            continue
        sides += [k for o in sides for k in o.conjuncts]

        def no_state(word: Token) -> bool:
            # "protesters", "business leaders", with no state named in the phrase (a city
            # is only where they are)
            # (a state only talked about is none of theirs: "journalists about Peru")
            topic = {t.i for c in word.children if c.dep_ == "prep" and c.lower_ in TITLE_PREPS
                     for t in c.subtree}
            return (_is(word, more.non_state_sides) or any(
                c.dep_ == "compound" and _is(c, more.non_state_sides) for c in word.children)) \
                and not any(context.match_at(t.i) is not None and
                            context.match_at(t.i).kind in ("name", "demonym")
                            for t in word.subtree if t.i not in topic)
        if sides and (any(no_state(o) for o in sides) if prep.lower_ == "between"
                      else all(no_state(o) for o in sides)):
            return True
    return False


def _met_with_a_thing(token: Token | None, mod: Modality) -> bool:
    """"will be met with a firm response": "met" with a thing, not with people."""
    if token is None or token.lower_ not in ("met", "meet", "meets"):
        return False
    if any(c.dep_ == "nsubj" and _is(c, mod.meeting_things) for c in token.children):
        return True                           # "whose border meets both countries"
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "with":
            for obj in prep.children:
                if obj.dep_ == "pobj" and _is(obj, mod.met_with_things):
                    return True
    return False


# modifiers of a plural event noun that make it one event per side
SEPARATE = {"separate", "individual", "respective", "bilateral"}


def _separate(context: Context, token: Token, kind: str,
              participants: list[str]) -> list[tuple[str | None, str]]:
    """"held separate meetings with his Lao, Thai and Nepali counterparts": one event per
    state of the coordinated "with" phrase, each with the side that held them; returns the
    (side, other side) pairs, or nothing where the mention is one event."""
    if kind not in ("meeting", "phone_call", "negotiation", "visit"):
        return []
    if kind == "visit":
        # "a tour that will take him to Kenya, South Africa and Tunisia", "visits to Guatemala
        # and Belize": one visit per state gone to
        destinations = _destinations(context, token)
        if len(destinations) >= 2:
            side = _holding_side(context, participants, destinations)
            return [(side, state) for state in destinations]
    if token.tag_ == "NNS" or token.lower_ == "talks":
        # "separate meetings", "bilateral talks with A and B": a plural of one-to-one events
        # (and "held meetings with A's and B's ministers": a plural of meetings, one each;
        # talks held on a summit's sidelines with several leaders are bilateral, one each)
        separate = any(c.lower_ in SEPARATE for c in token.children) or \
            "separately" in token.sent.text.lower() or token.lower_ == "meetings" or \
            kind == "phone_call" and token.lower_ in ("conversations", "calls")
        # ("held telephone conversations with A and B": a call to each; one call of three
        # is "a conference call", "a trilateral call")
        withs = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "with"] or \
            [c for c in token.head.children if c.dep_ == "prep" and c.lower_ == "with"]
    elif token.pos_ == "VERB":
        # "met separately with the presidents of A and B", "met A and B separately"
        separate = any(c.dep_ == "advmod" and c.lower_ in ("separately", "individually")
                       for c in token.children)
        withs = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "with"] or \
            [c for c in token.children if c.dep_ == "dobj"]
    else:
        return []
    if not separate and withs and SIDELINES.search(token.sent.text) and _several_met(withs[0]):
        separate = True
    if not separate and withs and not any(
            JOINTLY.match(w.text) for w in [*token.children, *withs[0].subtree]):
        # "met his counterparts from Myanmar and Cambodia": each met on their own, unless
        # told together ("met jointly", "a trilateral meeting with his counterparts")
        # (the states told by "from": "his Lao and Thai counterparts" stay one meeting)
        met = withs[0] if withs[0].dep_ == "dobj" else next(
            (c for c in withs[0].children if c.dep_ == "pobj"), None)
        separate = met is not None and met.lower_ == "counterparts" and any(
            c.dep_ == "prep" and c.lower_ == "from" for c in [*met.children, *token.children])
    if token.pos_ == "VERB" and separate and not withs:
        # "the two vice ministers were received separately by the minister": the two are the
        # report's pair
        withs = [c for c in token.children if c.dep_ == "nsubjpass" and
                 any(w.lower_ in ("two", "both") for w in c.subtree)]
        if withs and len(context.main_pair) == 2 and \
                len(context.states_in(context.doc[withs[0].left_edge.i:
                                                  withs[0].right_edge.i + 1])) < 2:
            others = [s for s in context.main_pair if s not in participants]
            side = next((p for p in participants if p not in context.main_pair), None)
            return [(side, state) for state in others] if side and len(others) == 2 else []
    if not separate or not withs:
        return []
    phrase = context.doc[withs[0].left_edge.i:withs[0].right_edge.i + 1]
    others = context.states_in(phrase)
    if len(others) < 2 and withs[0].lower_ == "counterparts":
        # "met his counterparts from Samoa and Tonga", the "from" hung on the verb
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                others = context.states_in(context.doc[c.i:c.right_edge.i + 1])
    if len(others) < 2 and len(context.main_pair) == 2 and \
            any(w.lower_ in ("two", "both", "each") for w in phrase):
        # "held separate telephone conversations with the two leaders", "received each
        # leader separately": the report's pair, each with the side that held them
        side = next((p for p in participants if p not in context.main_pair), None)
        others = list(context.main_pair)
        return [(side, state) for state in others] if side else []
    if len(others) < 2:
        return []
    side = _holding_side(context, participants, others)
    return [(side, state) for state in others]


def _several_met(met: Token) -> bool:
    """Is the one met ("with the President of A and the Prime Minister of B", "with A's
    leader, and with B's") several people, coordinated (not a state named inside one's
    phrase: "her counterpart, on the sidelines of a meeting with C")?"""
    if met.dep_ == "dobj":                    # "held talks with ...": the talks' "with"
        met = next((c for c in met.children if c.dep_ == "prep" and c.lower_ == "with"), met)
    if met.dep_ == "prep":
        if any(c.dep_ == "conj" and c.lower_ == "with" for c in met.children):
            return True
        met = next((c for c in met.children if c.dep_ == "pobj"), None)
        if met is None:
            return False
    return any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in met.children)


# a courtesy call, unless a demand follows ("calls on Russia to withdraw")
CALLS_ON = ("called on", "calling on", "call on", "calls on")


# a meeting of several together, not one with each
JOINTLY = re.compile(r"(trilateral|three-way|four-way|joint(ly)?|together|quadrilateral)$",
                     re.IGNORECASE)


# between a tour's stop and its own day: "to Guatemala from Friday", "to Belize early next month"
STOP_DATE = re.compile(r"\s*,?\s*((from|on|in|at|starting|beginning|early|late|mid|the)\s+)*$")


def _conjoined_clause(token: Token) -> bool:
    """Is the trigger the verb of a clause joined to another ("met him on Monday and was
    received ... the following day"), or under one ("..., and Kanemoto is expected to meet
    his counterpart later this month")?"""
    while token.dep_ == "xcomp" and token.head.i != token.i:
        token = token.head
    return token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")


AGAIN = re.compile(r",?\s+and\s+again\s+(?:on\s+|in\s+|at\s+)?")


def _again(context: Context, dates, sentence: Span, end: int) -> str | None:
    """The day of a second occurrence told right after the first one's ("met on Monday and
    again on Thursday"), or None."""
    after = sentence.start_char + end
    for d in dates:
        if d.start <= after or d.start - after > 120:
            continue
        gap = AGAIN.search(context.text, after, d.start)
        if gap is not None and gap.end() == d.start:
            return d.value
    return None


# what joins one listed occasion to the next: ", in Cairo on", " and again in Khartoum on",
# " and" (a place is a capitalised name)
NEXT_OCCASION = re.compile(
    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:again\s+|then\s+)?"
    r"(?:(?:in|at)\s+(?P<place>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s*,?\s+)?"
    r"(?:on\s+|in\s+|from\s+)?")
LISTED_KINDS = ("meeting", "negotiation", "summit")


def _listed_occasions(context: Context, dates, position: int, event: Event,
                      mood: str) -> list[tuple[str, str | None]]:
    """The other days (and places) of an occasion told as a list after its first one ("will
    meet in Washington on December 9 and January 13", "in Addis Ababa on November 15, in
    Cairo on December 2"): each is one more event. Days next to each other at one place
    ("met on Monday and Tuesday") are one event's."""
    if event.kind not in LISTED_KINDS or not event.date:
        return []
    ahead = mood == "future" or bool(context.report_date and event.date > context.report_date)

    def value(d) -> str:
        if ahead:
            return _coming_weekday(context, d) or _coming_month(context, d) or d.value
        return d.value

    first = next((d for d in dates if position <= d.start <= position + 200 and
                  value(d) == event.date), None)
    if first is None:
        return []
    out: list[tuple[str, str | None]] = []
    previous, place = first, event.place
    for d in dates:
        if d.start <= previous.start:
            continue
        gap = NEXT_OCCASION.fullmatch(context.text, previous.end, d.start)
        if gap is None or d.start - previous.end > 40:
            break
        day = value(d)
        where = gap.group("place") or place
        if where == place and _within_days(day, value(previous), 1):
            break                             # one event of two days
        out.append((day, where))
        previous, place = d, where
    return out


def _tour_stop(context: Context, dates, sentence: Span, state: str,
               ahead: bool) -> tuple[str, str | None] | None:
    """Where one stop of a tour is, as the sentence names it, and its own day where one
    follows the name ("paying a state visit to Guatemala from Friday and to Belize early next
    month"); None where the sentence does not name the state itself. `ahead`: the tour is
    still to come."""
    for m in context.matches_in(sentence):
        if m.key != state or m.kind == "organization":
            continue
        end = m.span.end_char
        for d in dates:
            if end <= d.start <= end + 24 and STOP_DATE.match(context.text[end:d.start]):
                if ahead:                     # a tour to come: its days are coming ones
                    return m.span.text, (_coming_weekday(context, d) or
                                         _coming_month(context, d) or d.value)
                return m.span.text, d.value
        return m.span.text, None
    return None


def _acted_on_each(context: Context, token: Token, actor: str | None,
                   participants: list[str]) -> list[tuple[str | None, str]]:
    """The (actor, state) pairs of an `other` act done by one state to each of several states
    the parse coordinates in one list: "expelled the envoys of A, B and C" is three expulsions.
    Nothing where the others are not one list ("in coordination with Britain, recalled its
    envoy from Moscow")."""
    others = [p for p in participants if p != actor]
    if actor is None or actor not in participants or len(others) < 2:
        return []
    heads, actor_heads = set(), set()
    for m in context.matches_in(token.sent):
        if m.kind == "organization" or m.key not in others and m.key != actor:
            continue
        word = context.doc[m.end - 1]
        while word.dep_ == "conj" and word.head.i != word.i:
            word = word.head                  # the first item of the list
        (heads if m.key in others else actor_heads).add(word.i)
    if heads & actor_heads or any(context.doc[i].dep_ in ("nsubj", "nsubjpass") for i in heads):
        return []                             # "the Governments of A, B and C imposed
        #                                       sanctions": the actor is one of the list, or
        #                                       the list the parse took is the verb's subject
    return [(actor, state) for state in others] if len(heads) == 1 else []


def _each_acting_on(context: Context, token: Token,
                    participants: list[str]) -> list[tuple[str | None, str]]:
    """The (actor, state) pairs of an `other` act that each of several states the subject
    coordinates does to one other state: "A, B and C severed relations with D" is three
    severances (but "A and B jointly condemned D" is one act)."""
    verb = _clause_verb(token)
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) != 1 or any(JOINTLY.match(c.text) for c in verb.children):
        return []
    actors: list[str] = []
    # the list's items: the subject and the words joined to it as list items (the parse may
    # take "A, the B, C and D" for A and an apposition "the B, C and D")
    subject = subjects[0]
    if context.match_at(subject.i) is None:
        # "the Governments of A, B and C": the states of its "of" list
        of = [p for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
        subject = of[0] if len(of) == 1 and subject.tag_ == "NNS" else subject
    items = [w for w in subject.subtree if w.i == subject.i or
             w.dep_ in ("conj", "appos") and _list_item_of(w, subject)]
    for word in items:
        match = context.match_at(word.i)
        if match is None or match.kind == "organization" or match.key not in participants:
            return []                         # every coordinated subject a state taking part
        actors.append(match.key)
    others = [p for p in participants if p not in actors]
    if len(set(actors)) < 2 or len(others) != 1:
        return []
    return [(state, others[0]) for state in dict.fromkeys(actors)]


# the day a visit began, told in passing ("on Wednesday, the day of his arrival")
ARRIVAL_DAY = re.compile(r"\b(the day of|on|upon) (his|her|their) arrival\b", re.I)


# adverbs that tell an act as following the one told before, on its day
THEN = ("then", "afterwards", "afterward", "subsequently", "thereafter")
# the kinds of a visit's programme, told one after another
PROGRAMME = ("meeting", "visit", "reception", "phone_call", "negotiation", "credentials")


def _clause_verb(token: Token) -> Token:
    """The verb of the trigger's clause (the trigger itself where it is one), else the
    sentence's root."""
    return _verb_above(token, len(token.sent)) or token.sent.root


def _other_clauses_subjects(context: Context, token: Token) -> set[str]:
    """The states that are the subjects of the sentence's other clauses (not of the trigger's
    verb, nor of one it hangs on)."""
    verb = _clause_verb(token)
    own = {verb.i}
    while not any(c.dep_ == "nsubj" for c in verb.children) and verb.head.i != verb.i:
        verb = verb.head                      # "decided to cut ties": the deciding verb's
        own.add(verb.i)
    subjects: set[int] = set()
    for word in token.sent:
        if word.dep_ == "nsubj" and word.head.i not in own and \
                word.head.pos_ in ("VERB", "AUX") and \
                word.head.dep_ in ("ROOT", "conj", "ccomp", "parataxis"):
            # (clauses side by side; not one of time or cause: "after Russia admitted ...")
            subjects.update(item.i for item in (word, *word.conjuncts))
    # (a state also named elsewhere stays: "A cut ties after B's protesters stormed A's
    # missions")
    only: dict[str, bool] = {}
    for m in context.matches_in(token.sent):
        if m.kind != "organization":
            only[m.key] = only.get(m.key, True) and m.end - 1 in subjects
    return {key for key, yes in only.items() if yes}


def _last_target(events: list[Event], actor: str, kind_type: str | None, more: More) -> str | None:
    """The one state that the latest acts of this type were all done to ("A, B and C severed
    relations with D" before "E cut ties too": D), where two such acts or more were told
    last; else None."""
    latest = []
    for event in reversed(events):
        if event.kind != "other" or _other_type(more, event.trigger.lower()) != kind_type:
            break
        latest.append(set(event.participants))
    if len(latest) < 2:
        return None
    common = set.intersection(*latest) - {actor}
    return next(iter(common)) if len(common) == 1 else None


def _list_item_of(word: Token, head: Token) -> bool:
    """Is `word` joined to `head` through list links alone (conj, appos)?"""
    while word.i != head.i:
        if word.dep_ not in ("conj", "appos") or word.head.i == word.i:
            return False
        word = word.head
    return True


BULLETS = ("-", "•", "*", "–", "·")


def _bulleted_states(context: Context, sentence: Span) -> dict[str, str | None]:
    """The states of a bulleted list a sentence ending in a colon opens ("held bilateral
    meetings with:" then "- President A of Rwanda; ...", "- 10 July: Prime Minister B of
    Egypt"): each line's first state, with the day the line opens with, if any."""
    if not sentence.text.rstrip().endswith(":"):
        return {}
    out: dict[str, str | None] = {}
    for line in re.finditer(r"[^\n]*", context.text[sentence.end_char:]):
        stripped = line.group().strip()
        if not stripped:
            continue
        if not stripped.startswith(BULLETS):
            break
        span = context.doc.char_span(sentence.end_char + line.start(),
                                     sentence.end_char + line.end(), alignment_mode="expand")
        first = next((m for m in context.matches_in(span)
                      if m.kind in ("name", "demonym") and m.as_state), None) \
            if span is not None else None
        if first is not None and first.key not in out:
            # the day leading the line ("- 10 July: ..."), not one told of the past after it
            day = next((d.value for d in context.dates_in(span)
                        if d.start < context.doc[first.start].idx and len(d.value) == 10), None)
            out[first.key] = day
    return out


def _holding_side(context: Context, participants: list[str], others: list[str]) -> str | None:
    """The side of the several events one mention stands for: the report's own state (or one
    of its main pair) before any other participant that is not one of the others. "On the
    sidelines of the meeting in Bandar Seri Begawan, the minister held separate meetings
    with ..." are not Brunei's."""
    home = context.outlet_state or context.home_state   # (a national agency's own side)
    sides = [p for p in participants if p not in others]
    if home and home not in others and home not in sides:
        sides.append(home)
    sides.sort(key=lambda s: (s != home, s not in context.main_pair))
    return sides[0] if sides else None


def _destinations(context: Context, token: Token) -> list[str]:
    """The states a visit goes to: each state right after a "to" from the trigger on ("a tour
    that will take him to A, B and C", "a state visit to A from Friday and to B next month",
    which the parser often does not coordinate), and the states coordinated with one; the
    states a verb "visit" has as its objects."""
    doc, sentence = context.doc, token.sent
    states: list[str] = []
    for i in range(token.i, sentence.end - 1):
        if doc[i].lower_ != "to" or doc[i].dep_ != "prep" and \
                doc[i - 1].lower_ not in ("and", ","):
            continue
        match = context.match_at(i + 1)
        if match is None or match.kind not in ("name", "capital") or not match.as_state:
            continue
        states.append(match.key)
        head = doc[match.end - 1]
        # "to Kenya, South Africa and Tunisia" (a list the parser may hang as an apposition
        # and its conjuncts: "to Samoa, Tonga and Fiji")
        listed = list(head.conjuncts)
        for appos in (c for c in head.children if c.dep_ == "appos"):
            listed += [appos, *appos.conjuncts]
        for item in listed:
            other = context.match_at(item.i) or context.match_at(item.left_edge.i)
            if other is not None and other.kind in ("name", "capital") and other.as_state:
                states.append(other.key)
    if token.pos_ == "VERB" and lemma(token) == "visit":
        # "will visit Kenya, Tanzania and Mozambique": the states the verb's object lists
        for obj in (c for c in token.children if c.dep_ == "dobj"):
            for word in obj.subtree:
                up = word                     # (the parser may take a list for appositions)
                while up.i != obj.i and up.dep_ in ("conj", "appos"):
                    up = up.head
                match = context.match_at(word.i) if up.i == obj.i else None
                if match is not None and match.kind in ("name", "capital") and \
                        match.as_state:
                    states.append(match.key)
    return list(dict.fromkeys(states))


# ---------------------------------------------------------------- dates

# an event told against another one ("Prior to the trilateral meeting, ..."): the nouns of
# the other one, and the kinds it may have been told as
RELATIVE_TO = re.compile(r"^\W*(prior to|before|after|following|ahead of|on the (sidelines|margins|"
                         r"eve) of) the ((\w+|-) ){0,3}?(?P<noun>meeting|summit|talks|ceremony|"
                         r"visit|conference)\b", re.I)
RELATIVE_KINDS = {"meeting": ("meeting", "summit"), "summit": ("summit",),
                  "conference": ("summit",), "talks": ("meeting", "negotiation"),
                  "ceremony": ("reception",), "visit": ("visit",)}
FIRST_OF_TWO = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)? and $")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10}


def _event_date(context: Context, more: More, dates, sentence: Span, start: int, end: int,
                kind: str, mood: str, events: list[Event],
                token: Token | None = None, day_before: str | None = None) -> str | None:
    position = sentence.start_char + start
    reach = DATE_REACH.get(kind, 150)
    best = None
    # "took place ahead of the anniversary of the establishment of relations on 4 October
    # 1975": a day after an anniversary the event only comes near is the anniversary's (not
    # after one it celebrates: "a celebration of the first anniversary in January")
    own = {t.i for t in token.subtree} if token is not None else set()
    after = sentence.start_char + end
    dates = [d for d in dates if not any(
        t.idx >= after and t.idx < d.start and t.i not in own for t in sentence
        if ANNIVERSARY.fullmatch(t.text))]
    clause = _a_span_before(token) if token is not None else None
    if clause is not None and not any(
            clause.left_edge.idx <= d.start < clause.right_edge.idx + len(clause.right_edge)
            for d in dates):
        years = _years_before(context, dates, clause)
        if years:
            return years                      # "twenty years after the two cut ties"
    if token is not None:
        hung = _relative_day_on(context, more, sentence, token, dates)
        if hung:
            return hung                       # "the launch of a missile the previous day"
        # a date the parse hangs on the trigger ("clashes ... earlier this month") before
        # the nearest one ("denied on Tuesday that ... clashes")
        best = _attached(context, dates, _date_targets(token)) or \
            _right_after(context, dates, token)
    lower = sentence.text.lower()
    anchor = dt.date.fromisoformat(context.report_date) if context.report_date and \
        len(context.report_date) == 10 else None
    # the report's own day ("this morning"), or the month of its week ("earlier this week",
    # "last week"), which kg.dates does not read
    for pattern, days_back, size in ((more.same_day, 0, 10), (more.this_week, 0, 7),
                                     (more.last_week, 7, 7), (more.next_week, -7, 7)):
        found = pattern.search(lower)
        if not found or anchor is None or best is not None:
            continue
        at = sentence.start_char + found.start()
        close = sentence.start_char + found.end()
        if "(" in context.text[close:close + 3] and any(0 < d.start - close <= 3 for d in dates):
            continue                          # "this week (March 10-12)": the days told
        nearest = min((min(abs(d.start - position), abs(d.end - position)) for d in dates),
                      default=reach + 1)
        phrase = context.doc.char_span(at, sentence.start_char + found.end(),
                                       alignment_mode="expand")
        hangs = token is not None and phrase is not None and \
            any(t.i in _date_targets(token) for t in _heads_up(phrase.root, 3))
        if hangs or (abs(at - position) < nearest and abs(at - position) <= reach):
            return (anchor - dt.timedelta(days=days_back)).isoformat()[:size]
    if best is None and dates:
        distance = lambda d: min(abs(d.start - position), abs(d.end - position))  # noqa: E731
        # not a date of another clause that does not hold the trigger ("since he took office
        # in April 2001", "came after X called Y a liar in January")
        told = [d for d in dates if token is None or not _in_another_clause(context, d, token)]
        best = min(told, key=distance) if told else None
        if best is not None and distance(best) > reach and not (
                len(told) == 1 and _opens(sentence, best)):
            best = None                       # (but "On Thursday evening, A summoned ... and
            #                                   told her that B must leave": the day that opens
            #                                   the sentence, its only one, is all of it)
    if best is not None:
        best = _spelled_out(context, dates, best)     # "on Tuesday (March 11)"
        best = _range_start(context, dates, best)     # "the night of March 31 to April 1"
    if best is not None:
        first = FIRST_OF_TWO.search(context.text[max(0, best.start - 12):best.start])
        if first and len(best.value) == 10 and best.value[-2:] != first.group(1).zfill(2) and \
                context.text[best.start:best.start + 1].isdigit():
            return best.value[:8] + first.group(1).zfill(2)   # "on 13 and 14 July"
        # a planned event, or one whose date hangs on a verb in the future though the event
        # itself reads as told ("would meet him at the forum in July", "the visit scheduled
        # for October")
        if mood == "future" and _said_of_the_future(context, best) or \
                mood == "real" and _said_of_the_future(context, best, strict=True):
            coming = _coming_weekday(context, best) or _coming_month(context, best)
            if coming:
                return coming
        stretch = _a_stretch_of(token) if token is not None else None
        if stretch is not None and stretch.lower_ == "days" and len(best.value) == 10 and \
                _is(stretch.head, more.modality.ending_verbs):
            # "on Saturday ended two days of talks": they began on Friday, their first day
            count = next((c for c in stretch.children if c.dep_ == "nummod"), None)
            n = lexicon.count_of(count) if count is not None else None
            if n and 1 < n < 10:
                return (dt.date.fromisoformat(best.value) - dt.timedelta(days=n - 1)).isoformat()
        return best.value
    return _relative_day(context, more, sentence, events, day_before)


def _opens(sentence: Span, mention) -> bool:
    """Does the date open the sentence ("On Thursday evening, ...", "In May 1993, ...")?"""
    before = sentence.doc.text[sentence.start_char:mention.start].strip().lower()
    return before in ("", "on", "in", "early on", "late on", "later on", "earlier on")


SINCE = re.compile(r"\bsince\b[^.;:,]{0,80}$", re.I)
ANNIVERSARY = re.compile(r"\banniversary\b", re.I)


def _not_since(context: Context, dates, sentence: Span, start: int, token: Token | None):
    """The sentence's dates but those of a "since" phrase that does not hold the trigger: "the
    first visit since 2015", "their first meeting since the crisis in March" tell when an
    earlier thing was, never the event's own day. With the parse, the phrase is the
    preposition's subtree; without it, "since" before the date with no trigger between."""
    out = []
    position = sentence.start_char + start
    for d in dates:
        if token is not None:
            span = context.doc.char_span(d.start, d.end, alignment_mode="expand")
            word, inside = (span.root if span is not None else None), False
            for _ in range(8):
                if word is None or word.head.i == word.i:
                    break
                if word.i == token.i:
                    break                     # the trigger's own phrase: "the summit in May"
                if word.dep_ == "prep" and word.lower_ == "since":
                    inside = not (word.left_edge.i <= token.i <= word.right_edge.i)
                    if word.head.i == token.i and token.pos_ in ("VERB", "AUX"):
                        inside = False        # "the border has been closed since 1994": the
                        #                       state the act began, on that date
                    break
                if word.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since"
                                                for c in word.children):
                    # "the first official to visit since the insurgency began in February"
                    inside = not (word.left_edge.i <= token.i <= word.right_edge.i)
                    break
                word = word.head
        else:
            before = context.text[sentence.start_char:d.start]
            found = SINCE.search(before)
            inside = bool(found) and sentence.start_char + found.start() > position
        if not inside and not _names_a_document(context.text, d):
            out.append(d)
    return out


# a year that is part of a document's name: "the Land Boundary Agreement of 1974", "the 1995
# accord"; it dates the document, not the event told beside it
DOCUMENT_WORD = r"(agreements?|treaty|treaties|accords?|protocols?|conventions?|declarations?|pacts?|charter)"
YEAR_OF_DOCUMENT = re.compile(rf"\b{DOCUMENT_WORD}\s+of\s+$", re.I)
DOCUMENT_OF_YEAR = re.compile(rf"^\s+((\w+|-)\s+){{0,3}}{DOCUMENT_WORD}\b", re.I)


def _names_a_document(text: str, d) -> bool:
    if not re.fullmatch(r"\d{4}", text[d.start:d.end]):
        return False
    return bool(YEAR_OF_DOCUMENT.search(text[max(0, d.start - 40):d.start]) or
                DOCUMENT_OF_YEAR.match(text[d.end:d.end + 60]))


QUOTED_DAYS = {"today", "tonight", "yesterday", "tomorrow"}
OPENING, CLOSING = "“«", "”»"


def _quoted_today(text: str, mention) -> bool:
    """"today" inside a quoted statement ("... was summoned by the Ministry today," the
    ministry said) is the day the statement was made, which a report filed later does not
    give: no date for the event, rather than the report's day (the event then takes the
    one its first telling gave)."""
    if text[mention.start:mention.end].lower() not in QUOTED_DAYS:
        return False
    paragraph = text[text.rfind("\n", 0, mention.start) + 1:mention.start]
    opened = sum(paragraph.count(c) for c in OPENING)
    closed = sum(paragraph.count(c) for c in CLOSING)
    return opened > closed or paragraph.count('"') % 2 == 1


def _in_another_clause(context: Context, mention, token: Token) -> bool:
    """Does the date hang on the verb of an adverbial clause that does not hold the trigger
    ("since he took office in 2001")? (A relative clause's date often holds for the main
    one: "X, who arrived on Wednesday, held talks the same day".)"""
    span = context.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not has_parse(context.doc):
        return False
    word = span.root
    if word.i in _reported_clauses(token):
        return True                           # "... and agreed that the commission would
        #                                       meet in January"
    part = _part_of_a_visit(token)
    if part is not None and not (part.left_edge.i <= word.i <= part.right_edge.i):
        return True                           # "wound up on Wednesday a visit marked by talks
        #                                       with his counterpart": not the talks' day
    clause = _a_span_before(token)
    if clause is not None and not (clause.left_edge.i <= word.i <= clause.right_edge.i):
        return True                           # "reopened it on Monday, twenty years after
        #                                       the two countries cut ties": Monday is not
        #                                       when they cut them
    for _ in range(6):
        if word.i == token.i or word.head.i == word.i:
            return False
        if word.dep_ == "relcl" and word.tag_ == "VBD" and \
                not (word.left_edge.i <= token.i <= word.right_edge.i) and \
                _future_told(token):
            return True                       # "will hold talks with the Prime Minister, who
            #                                   paid a visit to China in April": the past is
            #                                   the relative clause's own
        if word.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d")
                                        for c in word.children) and \
                not (word.left_edge.i <= token.i <= word.right_edge.i):
            return True                       # "announced the resumption of relations, which
            #                                   had been severed in January 2016": a past
            #                                   before the past is the clause's own
        if word.dep_ == "acl" and word.tag_ == "VBN" and \
                any(c.dep_ == "agent" for c in word.children) and \
                not (word.left_edge.i <= token.i <= word.right_edge.i):
            return True                       # "summoned the envoy over a boat, seized by the
            #                                   coast guard on Tuesday": the seizure's day
        if word.dep_ in ("acl", "dep") and _a_rupture_participle(word) and \
                (word.head.i != token.i or token.pos_ == "VERB") and \
                not (word.left_edge.i <= token.i <= word.right_edge.i):
            return True                       # "agreed to restore their relations, broken off
            #                                   in 1994": the day of the participle on the
            #                                   object (not "the visit, scheduled for May")
        if word.dep_ == "advcl" and word.pos_ in ("VERB", "AUX") and \
                not (word.left_edge.i <= token.i <= word.right_edge.i):
            # (not "the visit ... scheduled for late October": a participle of planning with
            # no subject, which the parser may hang on the verb, tells of the noun before)
            return not (word.tag_ in ("VBN", "VBD") and
                        _is(word, _more().modality.planned_governors) and
                        not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass")
                                for c in word.children))
        word = word.head
    return False


# a call's words that may be only the medium of another event ("held by video conference")
VIDEO = re.compile(r"video ?(call|conference|link)|videoconference")
MEDIUM_BEFORE = re.compile(r"\b(by|via|through|over)( a)?\s*$")
DURATIONS = {"years", "months", "weeks", "days", "decades", "year", "month", "week", "decade"}


def _years_before(context: Context, dates, clause: Token) -> str | None:
    """The year of a clause told so many years (or decades) before or after the sentence's
    own time ("on Monday, twenty years after the two countries cut ties": 1998 for 2018);
    None where the span is shorter than a year or its count is not read."""
    span = next(c for c in clause.children if c.dep_ == "npadvmod" and c.lower_ in DURATIONS)
    mark = next(c.lower_ for c in clause.children if c.dep_ == "mark")
    count = next(c for c in span.children if c.dep_ == "nummod")
    if not span.lower_.startswith(("year", "decade")):
        return None
    n = lexicon.count_of(count)
    main = _attached(context, dates, {clause.head.i})
    year = (main.value if main is not None else context.report_date or "")[:4]
    if n is None or not year.isdigit():
        return None
    n *= 10 if span.lower_.startswith("decade") else 1
    return str(int(year) - n if mark in ("after", "since") else int(year) + n)


def _part_of_a_visit(token: Token) -> Token | None:
    """The participle that makes the trigger part of a visit or stay told around it ("a
    state visit marked by talks with his counterpart", "a visit including talks"), else
    None: the trigger's day is not the visit's first or last."""
    for word in _heads_up(token, 3)[1:]:
        if word.dep_ == "acl" and word.tag_ in ("VBN", "VBG") and \
                word.head.lower_ in ("visit", "stay", "tour", "trip"):
            return word
    return None


def _a_stretch_of(token: Token) -> Token | None:
    """"two days of talks", "a third round of negotiations": the object that measures the
    trigger out (ended, it took place), else None."""
    if token.dep_ == "pobj" and token.head.lower_ == "of" and \
            token.head.head.lower_ in DURATIONS | {"round", "rounds", "hours"} and \
            token.head.head.dep_ == "dobj":
        return token.head.head
    return None


def _a_span_before(token: Token) -> Token | None:
    """The clause a trigger is in when a span of time sets it apart from the sentence's
    time ("twenty years after the two countries cut ties"), else None."""
    for clause in _heads_up(token, 4):
        if clause.dep_ == "advcl" and clause.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "npadvmod" and c.lower_ in DURATIONS and
                any(n.dep_ == "nummod" for n in c.children) for c in clause.children) and \
                any(c.dep_ == "mark" and c.lower_ in ("after", "since", "before")
                    for c in clause.children):
            return clause
    return None


def _future_told(token: Token) -> bool:
    """Is the trigger, or the verb it is the object of, told with "will" or "shall"?"""
    verb = token.head if token.dep_ in ("dobj", "nsubjpass", "nsubj") else token
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("will", "shall", "'ll")
               for w in (token, verb) for c in w.children)


def _spelled_out(context: Context, dates, best):
    """A weekday followed by its date in brackets ("on Tuesday (March 11)") is that date; so
    is a week or month so followed by a day of it ("this week (March 10-12)")."""
    after = context.text[best.end:best.end + 3]
    if "(" not in after:
        return best
    for d in dates:
        if 0 < d.start - best.end <= 3 and len(d.value) == 10 and \
                (len(best.value) == 10 or d.value.startswith(best.value)):
            return d
    return best


def _range_start(context: Context, dates, best):
    """The second day of a range ("March 31 to April 1", "from 3 to 5 May" read as two
    dates) stands for the range, which an event is dated by its first day of."""
    for d in dates:
        if 0 < best.start - d.end <= 4 and len(d.value) == len(best.value) == 10 and \
                context.text[d.end:best.start].strip() in ("to", "-", "–", "until") and \
                d.value < best.value:
            return d
    return best


def _own_date(context: Context, dates, token: Token | None, mood: str) -> str | None:
    """The date a mention gives itself in the parse ("her credentials in May", "the meeting
    on 3 May"): one that hangs on the trigger, not on another word of the sentence."""
    if token is None:
        return None
    mention = _attached(context, dates, _date_targets(token))
    return mention.value if mention is not None else None


def _right_after(context: Context, dates, token: Token):
    """A date that follows an event noun's whole phrase ("the shelling by ... along the Line of
    Control (LoC) on Friday"), which the parser hung on another word: the event's."""
    if token.pos_ != "NOUN":
        return None
    doc = context.doc
    i = token.right_edge.i + 1
    while i < len(doc) and doc[i].is_punct and doc[i].text not in ",;.":
        i += 1                                # a closing bracket
    held = HELD_AFTER.match(context.text, token.idx + len(token.text)) or \
        (HELD_AFTER.match(context.text, doc[i].idx) if i < len(doc) else None)
    if held:
        # "the summit of the SCO, held on September 15-16", "the meeting in Bandar Seri
        # Begawan, which opened on Sunday": its own days, though the parser hangs the
        # participle or the clause on the sentence's verb
        return next((d for d in dates if d.start == held.end()), None)
    if i < len(doc) and doc[i].lower_ in ("on", "in"):
        i += 1
    if i >= len(doc):
        return None
    at = doc[i].idx
    return next((d for d in dates if d.start == at), None)


HELD_AFTER = re.compile(r"\s*(?:(?:in|at)\s+(?:(?:the\s+)?[A-Z][\w'’-]*\s*)+)?,\s+"
                        r"(?:which\s+(?:was\s+|is\s+)?)?(?:held|opened|convened|took place)"
                        r"\s+(?:(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)+)?"
                        r"(?:on|from|in|between)\s+")


def _date_targets(token: Token) -> set[int]:
    """The words a date of the event hangs on: the trigger, and the verb whose object or
    subject it is ("will present her credentials in May", "On Thursday, ... held talks")."""
    targets = {token.i}
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
        targets.add(token.head.i)
        # "the visit is expected to take place in May": the verb of its taking place
        targets.update(c.i for c in token.head.children
                       if c.dep_ == "xcomp" and c.lemma_ in ("take", "happen", "occur"))
    if token.pos_ == "NOUN":
        # "a meeting of the joint committee held in Djerba on June 10": the participle that
        # holds the event, hung on a noun of its phrase
        targets.update(t.i for t in token.subtree
                       if t.dep_ == "acl" and t.lemma_ in HOLDING and t.i != token.i)
    return targets


HOLDING = {"hold", "open", "convene"}


def _verb_above(token: Token, steps: int = 4) -> Token | None:
    """The verb a word hangs on, itself or within `steps` heads up; None if there is none."""
    return next((t for t in _heads_up(token, steps) if t.pos_ in ("VERB", "AUX")), None)


def _heads_up(token: Token, steps: int) -> list[Token]:
    out = [token]
    while len(out) <= steps and out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


# nouns of a part of a year or a month, whose "of" phrase gives its date ("the first quarter of
# 2026", "the end of May")
PERIOD_NOUNS = {"quarter", "quarters", "half", "end", "beginning", "start", "middle", "part",
                "spring", "summer", "autumn", "fall", "winter", "course", "first", "second",
                "last", "months", "weeks"}


def _attached(context: Context, dates, targets: set[int]):
    """The date mention whose words hang closest (within three steps) on one of `targets`;
    a dateline's date is the report's, not any event's."""
    if not has_parse(context.doc):
        return None
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    best, best_steps = None, 4
    for mention in dates:
        if mention.start < dateline_end:
            continue
        span = context.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        while head.dep_ == "pobj" and head.head.lower_ == "of" and \
                head.head.head.lower_ in PERIOD_NOUNS:
            head = head.head.head             # "the first quarter of 2026": one date phrase
        for steps in range(4):
            if head.i in targets:
                if steps < best_steps:
                    best, best_steps = mention, steps
                break
            if (head.dep_ in ("conj", "dep") or
                    head.dep_ == "acl" and head.head.i not in targets) and \
                    _a_rupture_participle(head):
                break                         # "to restore their relations, broken off on 21
                #                               August 1989": a participle on the object
                #                               (or misparsed as a second verb) with its own
                #                               day
            if head.head.i == head.i or head.dep_ == "relcl" and \
                    head.pos_ in ("VERB", "AUX") and head.head.i not in targets:
                break                         # a relative clause's own day ("X, who arrived
                #                               yesterday, held talks this morning"), unless
                #                               it tells of the trigger ("the meeting, which
                #                               opened on Monday")
            head = head.head
    return best


def _a_rupture_participle(word: Token) -> bool:
    """A participle of rupture with no subject or auxiliary of its own ("relations, broken off
    in 1994"): it tells a past act with its own day."""
    return word.tag_ == "VBN" and _is(word, _more().modality.rupture_participles) and \
        not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in word.children)


def _said_of_the_future(context: Context, mention, strict: bool = False) -> bool:
    """Does the date hang on a verb in the future ("will meet on Friday", "to meet on
    Friday", "would meet in July", "scheduled for October", "when he visits in May" under a
    future verb), not on the past verb that planned it ("agreed on Tuesday to meet")?
    `strict`: only where the parse shows such a verb (for an event otherwise told as done)."""
    span = context.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not has_parse(context.doc):
        return not strict
    verb = _verb_above(span.root)
    if verb is None:
        return not strict                     # "the meeting on Friday"
    root = span.root
    told_for = root.dep_ == "pobj" and root.head.lower_ == "for"
    return _future_verb(verb, _more().modality, infinitive=not strict, told_for=told_for)


def _future_verb(verb: Token, mod, depth: int = 0, infinitive: bool = True,
                 told_for: bool = True) -> bool:
    """A verb said of the future: with a future auxiliary, "due", a past participle of
    planning ("scheduled", "set"), or in the present within a time clause of such a verb
    ("to be signed when he visits Samoa in May"). An infinitive counts where the event is
    planned (`infinitive`); otherwise it may be a purpose ("summoned him to protest the
    shelling on Friday")."""
    infinitive = infinitive or _is(verb.head, mod.planned_governors)   # "expected to meet"
    if any(c.dep_ in ("aux", "auxpass") and (c.lower_ in mod.future_aux or
                                             infinitive and c.tag_ == "TO")
           or c.lower_ == "due" for c in verb.children):
        return True                           # "is due in Rabat on Saturday"
    if verb.tag_ in ("VBN", "VBD") and _is(verb, mod.planned_governors) and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and \
            all(c.lower_ in ("is", "are", "'s") for c in verb.children
                if c.dep_ in ("aux", "auxpass")) and \
            (told_for or not _is(verb, mod.telling_participles)):
        # "the visit scheduled for October" (a participle, which the tagger may call a past
        # verb, with no subject of its own), "is planned for May"; but "the decision,
        # announced on Tuesday" is dated by its telling ("announced for May" is planned)
        return True
    if depth == 0 and verb.tag_ in ("VBZ", "VBP") and verb.dep_ != "advcl" and \
            _is(verb, mod.scheduled_present) and \
            not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return True                           # "arrives in New Delhi on Thursday"
    if depth == 0 and verb.tag_ in ("VBZ", "VBP") and verb.dep_ == "advcl" and \
            any(c.dep_ in ("mark", "advmod") and c.lower_ in TIME_MARKS for c in verb.children):
        # a time clause under an infinitive is said of the future too ("is to be signed
        # when he visits")
        return _future_verb(verb.head, mod, 1)
    return False


TIME_MARKS = {"when", "once", "after", "before", "until", "while"}


def _coming_weekday(context: Context, mention) -> str | None:
    """A future event "on Friday" is the coming Friday (kg.dates reads a bare weekday as the
    last one, as reports mostly tell the past); the report's own day counts."""
    words = context.text[mention.start:mention.end].lower().split()
    anchor = context.anchor
    if anchor is None or not words or words[-1] not in WEEKDAYS or \
            (len(words) > 1 and words[0] != "this") or len(words) > 2:
        return None
    ahead = (WEEKDAYS.index(words[-1]) - anchor.weekday()) % 7
    return (anchor + dt.timedelta(days=ahead)).isoformat()


YEARLESS = re.compile(r"(?:\d{1,2}\s+)?(?P<m>[A-Za-z]+)\.?(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?")


def _coming_month(context: Context, mention) -> str | None:
    """A future event "in August" or "on 3 August" with no year is the coming one (kg.dates
    reads a year-less month as the last one, unless it is less than three months ahead)."""
    anchor = context.anchor
    words = context.text[mention.start:mention.end]
    if anchor is None or not mention.relative or not YEARLESS.fullmatch(words.strip()) or \
            mention.value >= anchor.isoformat()[:len(mention.value)] or \
            _heads_a_dated_line(context, mention):
        return None
    later = str(int(mention.value[:4]) + 1) + mention.value[4:]
    if later.endswith("02-29"):
        return None                           # no such day next year
    return later


DATED_LINE = re.compile(r"\s*[-–—:]")


def _heads_a_dated_line(context: Context, mention) -> bool:
    """Does the date open a line of a timeline or a diary ("August 7 - The envoy flies to
    Niamey")? Such lines tell the past, or the days ahead, in the present: the nearest such
    day (kg.dates), not the coming year's."""
    line_start = context.text.rfind("\n", 0, mention.start) + 1
    return not context.text[line_start:mention.start].strip(" -–•*\t") and \
        bool(DATED_LINE.match(context.text, mention.end))


def _relative_day_on(context: Context, more: More, sentence: Span, token: Token,
                     dates) -> str | None:
    """"condemned on Thursday the launch of a missile the previous day": a day before or
    after the sentence's own date, where the parse hangs the phrase on the trigger."""
    lower = sentence.text.lower()
    for pattern, shift in ((more.day_before, -1), (more.day_after, 1)):
        found = pattern.search(lower)
        if not found:
            continue
        phrase = context.doc.char_span(sentence.start_char + found.start(),
                                       sentence.start_char + found.end(),
                                       alignment_mode="expand")
        if phrase is None or _restates_a_date(context, dates, phrase.start_char):
            continue
        # hung on the trigger, or straight after its phrase ("the launch of a missile the
        # previous day", which the parser often hangs on the main verb)
        path = _heads_up(phrase.root, 3)
        hung = next((k for k, t in enumerate(path) if t.i == token.i), None)
        if hung is None and phrase.start != token.right_edge.i + 1:
            continue
        if hung is not None and any(t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")
                                    for t in path[1:hung]):
            continue                          # "met him on Monday and was received by the
            #                                   president the following day": the second verb's
        own = [d.value for d in dates if len(d.value) == 10]
        told = [d.value for d in context.dates
                if d.end <= sentence.start_char and len(d.value) == 10]
        base = own[0] if own else told[-1] if told else context.report_date
        if base and len(base) == 10:
            return (dt.date.fromisoformat(base) + dt.timedelta(days=shift)).isoformat()
    return None


def _restates_a_date(context: Context, dates, at: int) -> bool:
    """"On Tuesday, the eve of the talks": a day told in apposition to a date is that date."""
    return any(0 <= at - d.end <= 3 and context.text[d.end:at].strip() in (",", "(", "-", "–")
               for d in dates)


def _day_of(dates, made: list[Event], carried: str | None) -> str | None:
    """The day a sentence tells of: its one full date; else its events' one day; else, where
    it tells no other time, the day carried from the sentence before ("The same afternoon he
    laid a wreath.")."""
    full = {d.value for d in dates if len(d.value) == 10}
    if len(full) == 1:
        return full.pop()
    if dates:
        return None
    days = {e.date for e in made if e.date}
    if not days:
        return carried
    day = days.pop() if len(days) == 1 else ""
    return day if len(day) == 10 else None


def _day_told_before(context: Context, sentence: Span, day_before: str | None) -> str | None:
    """The day the sentence before tells, or else the day it carried on ("The same afternoon
    he laid a wreath. In the evening ..."): a day's programme told one sentence after
    another."""
    if sentence.start == 0:
        return None
    before = context.doc[sentence.start - 1].sent
    told = [d.value for d in context.dates
            if before.start_char <= d.start and d.end <= sentence.start_char and
            len(d.value) == 10]
    return told[-1] if told else day_before


def _relative_day(context: Context, more: More, sentence: Span,
                  events: list[Event], day_before: str | None = None) -> str | None:
    """"the previous day", "the following day": a day from the last full date told before;
    "two days after the summit": from that event's date."""
    lower = sentence.text.lower()
    shift, base = None, None
    counted = more.days_counted.search(lower)
    if counted:
        n = counted.group("n")
        n = int(n) if n.isdigit() else NUMBERS.get(n)
        if n is not None:
            shift = n if counted.group("w") == "after" else -n
            lex = lexicon.events()
            kinds = {k for k, _, _ in _triggers(lex, counted.group("what"))}
            for event in reversed(events):
                if event.kind in kinds and event.date and len(event.date) == 10:
                    base = event.date
                    break
    elif more.day_before.search(lower):
        shift = -1
    elif more.day_after.search(lower):
        shift = 1
    elif more.that_day.search(lower):
        # "the same day": the day the sentence before tells, if it tells one
        return _day_told_before(context, sentence, day_before)
    elif more.later_in_day.search(lower):
        # "In the afternoon, ...": later on the day told just before ("On October 4 the
        # talks were held. In the evening ..."), else the day the report's lead tells of
        day = _day_told_before(context, sentence, day_before)
        if day:
            return day
        # else the latest of the day the report's lead tells of and the days of the events
        # told before, up to the report's day ("arrived on Tuesday. [...] On Wednesday the
        # two held talks. [...] In the evening, he offered a banquet": Wednesday's)
        lead = _lead_date(context)
        told = [e.date for e in events if e.date and len(e.date) == 10 and e.evidence and
                e.evidence[0].end <= sentence.start_char and
                (not context.report_date or e.date <= context.report_date)]
        told += [lead] if lead and len(lead) == 10 else []
        return max(told) if told else None
    if shift is None:
        return None
    if base is None:
        told = [d.value for d in context.dates
                if d.end <= sentence.start_char and len(d.value) == 10]
        base = told[-1] if told else context.report_date
    if not base or len(base) != 10:
        return None
    return (dt.date.fromisoformat(base) + dt.timedelta(days=shift)).isoformat()
