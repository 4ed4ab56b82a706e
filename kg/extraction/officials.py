"""Officials: named persons who hold a public office, with role, position, state and host.

A title ("Deputy Minister of Foreign Affairs of Ghana", "Kenyan President",
"the Chilean Ambassador to Lima") is found around a head word from kg/data/titles.yml,
grown left over modifiers and a nationality and right over complements ("of X", "to Y",
"in Accra"); the person's name stands after it ("… Kofi Mensah") or before it, behind a
comma ("Ana Ruiz, Chilean Ambassador to Peru"). Later mentions by surname ("Mensah",
"PM Lee") or by title alone ("the ambassador") are resolved to the same person.
Where a title does not say which state, the sentence, the report's headline and its dateline
do.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from functools import lru_cache
from heapq import merge

from spacy.tokens import Span, Token
from unidecode import unidecode

from kg.extraction import lexicon
from kg.extraction.context import Context, StateSpan
from kg.facts import Evidence, Official

STATE_KINDS = ("name", "demonym", "capital", "metonym")
DIPLOMATIC = ("ambassador", "diplomat")
# portfolio words that are also names
NAME_LIKE = {"the", "and", "&", ",", "of", "people", "general", "house", "power", "land",
             "rights", "bank", "central", "may", "young"}
ORGANIZATION_WORDS = {"secretariat", "commission", "embassy", "ministry", "council", "committee", "agency",
                      "department", "office", "government", "mission", "service", "services",
                      "bank", "university", "institute", "party", "union", "organization",
                      "organisation", "assembly", "parliament", "court", "authority", "forces",
                      "army", "navy", "corporation", "company", "group", "foundation", "fund"}
INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.)+([A-Z][\w'’-]+)$")     # "R.Meredov", "Ts.Munkhjargal"
ROLE_RANK = ["head_of_state", "head_of_government", "igo_official", "foreign_minister",
             "deputy_foreign_minister", "minister", "legislator", "deputy_minister",
             "ambassador", "diplomat", "other_official"]
TOPICAL_HEADS = {"envoy", "representative", "coordinator", "adviser", "advisor"}
DOMESTIC_ROLES = ("head_of_state", "head_of_government", "foreign_minister",
                  "deputy_foreign_minister", "minister", "deputy_minister")


@dataclass
class Mention:
    start: int                       # token span of the title and name together
    end: int
    sentence: Span
    title: str | None = None         # the title as written, without nationality
    role: str | None = None
    name: str | None = None
    name_tokens: tuple[int, int] | None = None
    state: str | None = None
    host: str | None = None
    organization: str | None = None
    former: bool = False
    counterpart: bool = False
    tokens: set[int] = field(default_factory=set)


MAX_NAME_WORDS = 8          # "Turki bin Mishaal bin Abdullah Al Saud"


def _words(doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if t.is_alpha)


@lru_cache(maxsize=1 << 16)    # a name is folded again at each comparison of officials
def fold(name: str) -> str:
    return re.sub(r"[^a-z ]", "", unidecode(name).lower().replace("-", " ")).strip()


class OfficialFinder:
    def __init__(self, context: Context):
        self.context = context
        self.titles = lexicon.titles()

    # ------------------------------------------------------------ tokens
    def is_name_token(self, token: Token) -> bool:
        text = token.text
        if not text or not text[0].isupper() or token.lower_ in self.titles.not_names:
            return False
        if self.context.match_at(token.i) is not None and token.doc is self.context.doc:
            return False
        if token.lower_ in self.titles.honorifics or self._head_at(token.doc, token.i):
            return False
        if re.fullmatch(r"[A-Z]\.?", text) or INITIALS.match(text):
            return True                    # an initial: "J.", "K"
        # any script's capital letter: "Šafránková", "Øster", "Çelik"
        plain = text[0].isupper() and all(c.isalpha() or c in "'’.-" for c in text)
        return plain and not text.isupper() or \
            (text.isupper() and len(text) > 3 and token.doc[token.i - 1].text[:1].isupper())

    def name_forward(self, doc, k: int, limit: int) -> tuple[int, int] | None:
        while k < limit and (doc[k].lower_ in self.titles.honorifics or
                             doc[k].text in (".", "'", "’") and k and doc[k - 1].lower_ in
                             self.titles.honorifics):
            k += 1
        start = k
        while k < limit:
            token = doc[k]
            if self.is_name_token(token):
                k += 1
            elif k > start and token.lower_ in self.titles.honorifics and \
                    token.text[:1].isupper() and k + 1 < limit and \
                    self.is_name_token(doc[k + 1]):
                k += 1                        # "Abdirahman Sheikh Mahamud": inside a name
            elif k > start and token.lower_ in self.titles.particles:
                # "van der Berg", "al-Saadi": particles, then a name
                j = k
                while j < limit and (doc[j].lower_ in self.titles.particles or
                                     doc[j].text == "-" and not doc[j - 1].whitespace_):
                    j += 1
                if j < limit and self.is_name_token(doc[j]) and j - k <= 3:
                    k = j
                else:
                    break
            elif k > start and token.text == "-" and not doc[k - 1].whitespace_ and \
                    not token.whitespace_ and k + 1 < limit and doc[k + 1].is_alpha:
                k += 2                        # "Jin-ho", "Amankwah-Darko"
            else:
                break
        end = k
        if _words(doc, start, end) > MAX_NAME_WORDS or not self._real_name(doc, start, end):
            return None
        if end < limit and doc[end].lower_ in ORGANIZATION_WORDS:
            return None                # "the Pakistan High Commission" is no person
        return start, end

    def name_backward(self, doc, k: int, floor: int) -> tuple[int, int] | None:
        """A name ending at token k - 1 (exclusive end k)."""
        end = k
        while end > floor and doc[end - 1].lower_ in self.titles.postnominals:
            end -= 1
        start = end
        while start > floor:
            token = doc[start - 1]
            if self.is_name_token(token):
                start -= 1
            elif start < end and token.text == "-" and not token.whitespace_ and \
                    start - 1 > floor and not doc[start - 2].whitespace_ and \
                    doc[start - 2].is_alpha:
                start -= 2                    # "Pierre-Yves"
            elif start < end and token.lower_ in self.titles.particles and start - 1 > floor \
                    and self.is_name_token(doc[start - 2]):
                start -= 1
            else:
                break
        if _words(doc, start, end) > MAX_NAME_WORDS or not self._real_name(doc, start, end):
            return None
        return start, end

    def _real_name(self, doc, start: int, end: int) -> bool:
        words = [t.text for t in doc[start:end]]
        if any(w.lower() in self.titles.portfolio and w.lower() not in NAME_LIKE for w in words):
            return False                      # "African Integration" is a portfolio
        return bool(words) and any(len(w.strip(".")) > 1 and not w.isupper() for w in words)

    def _head_at(self, doc, i: int) -> int:
        """Length of the title head starting at token i (0 if none)."""
        lower = [t.lower_ for t in doc[i:i + 4]]
        for head in self.titles.heads:
            if tuple(lower[:len(head)]) == head:
                first = doc[i]
                if head == ("pm",) and first.text != "PM":
                    continue
                if head == ("mp",) and (first.text != "MP" or i and doc[i - 1].text[:1].isupper()):
                    continue                 # "Bob Carr MP": letters after a name
                if head == ("head",) and (i + 1 >= len(doc) or doc[i + 1].lower_ != "of"):
                    continue
                if head in (("king",), ("queen",), ("secretary",)) and \
                        not first.text[0].isupper():
                    continue
                if head == ("secretary",) and i + 1 < len(doc) and \
                        doc[i + 1].lower_ in ("general", "-"):
                    continue
                return len(head)
        return 0

    # ------------------------------------------------------------ titles
    def mentions(self, doc, sentences) -> list[Mention]:
        out: list[Mention] = []
        for sentence in sentences:
            i = sentence.start
            while i < sentence.end:
                size = self._head_at(doc, i)
                if not size:
                    i += 1
                    continue
                mention = self._grow(doc, sentence, i, i + size)
                out.append(mention)
                i = max(mention.end, i + size)
        return out

    def _match(self, doc, i):
        if doc is self.context.doc:
            return self.context.match_at(i)
        # the headline has no Context of its own: read its gazetteer spans directly
        for span in doc.spans.get("gazetteer", []):
            if span.start <= i < span.end:
                return StateSpan(span, span.label_, span.kb_id_, True)
        return None

    def _grow(self, doc, sentence: Span, h0: int, h1: int) -> Mention:
        t = self.titles
        m = Mention(start=h0, end=h1, sentence=sentence)
        left = h0
        # left: modifiers ("Deputy", "Interior"), then a nationality
        j = h0 - 1
        while j >= sentence.start:
            token = doc[j]
            match = self._match(doc, j)
            if match is not None and match.kind in STATE_KINDS:
                m.state = match.key
                left = match.start
                break
            if match is not None and match.kind == "organization":
                m.organization = match.key
                left = match.start
                break
            if token.text in ("’s", "'s") and j - 1 >= sentence.start:
                owner = self._match(doc, j - 1)
                if owner is not None and owner.kind in STATE_KINDS:
                    m.state = owner.key
                    left = owner.start
                elif owner is not None and owner.kind == "organization":
                    m.organization = owner.key
                    left = owner.start
                break
            if token.lower_ in t.modifiers or (token.lower_ in t.portfolio and token.is_title):
                if token.lower_ in ("former", "ex", "late", "then"):
                    m.former = True
                left = j
                j -= 1
                continue
            break
        title_start = left
        while title_start < h0 and (self._match(doc, title_start) is not None
                                    or doc[title_start].text in ("’s", "'s")):
            title_start += 1
        # right: "-elect", then complements
        head_words = {t.lower_ for t in doc[h0:h1]}
        k = h1
        while k < sentence.end:
            token = doc[k]
            if token.text in ("-", "–") and k + 1 < sentence.end and \
                    doc[k + 1].lower_ in ("elect", "designate"):
                k += 2
                continue
            if token.lower_ in ("and", ",") and k + 1 < sentence.end:
                more = self._head_at(doc, k + 1)
                if more and doc[k + 1].text[:1].isupper():
                    k += 1 + more             # "… Prime Minister and Minister of Foreign …"
                    continue
            if token.lower_ in ("of", "to") and k + 2 < sentence.end and \
                    doc[k + 1].lower_ == "the" and self._head_at(doc, k + 2) and \
                    doc[k + 2].text[:1].isupper():
                k = k + 2 + self._head_at(doc, k + 2)   # "Adviser to the President"
                continue
            if token.lower_ in ("of", "for", "to", "in", "at"):
                k2 = k + 1
                match = self._match(doc, k2) if k2 < sentence.end else None
                if match is None and k2 < sentence.end and doc[k2].lower_ == "the":
                    k2 += 1
                    match = self._match(doc, k2) if k2 < sentence.end else None
                if token.lower_ == "for" and head_words & TOPICAL_HEADS and \
                        doc[k2].text[:1].isupper():
                    # "Special Envoy for Iran", "… for the Belgrade-Pristina Dialogue": the
                    # subject of the post, not the state it serves
                    k = k2
                    while k < sentence.end and (doc[k].text[:1].isupper() or doc[k].text in
                                                ("-", "–") or doc[k].lower_ in ("and", "the")):
                        k += 1
                    continue
                if match is not None and match.start == k2 and match.kind in STATE_KINDS:
                    if token.lower_ in ("to", "in", "at"):
                        m.host = match.key
                    elif m.state is None:
                        m.state = match.key
                    k = match.end
                    if k < sentence.end and doc[k].lower_ in ("state", "government"):
                        k += 1
                    continue
                if match is not None and match.start == k2 and match.kind == "organization":
                    m.organization = match.key
                    k = match.end
                    while k < sentence.end and doc[k].lower_ in ORGANIZATION_WORDS:
                        k += 1                    # "of the African Union Commission"
                    continue
                if token.lower_ in ("in", "at") and doc[k2].text[:1].isupper():
                    city = k2
                    while city < sentence.end and city - k2 < 3 and \
                            doc[city].text[:1].isupper() and doc[city].is_alpha:
                        city += 1
                    if city < sentence.end and doc[city].text == ",":
                        k = city                      # the post's city: "Consul in Dubai,"
                        continue
                run = k2
                while run < sentence.end and doc[run].lower_ in t.portfolio and (
                        doc[run].text[:1].isupper() or doc[run].lower_ in ("and", "&", ",", "the")):
                    run += 1
                while run > k2 and doc[run - 1].lower_ in ("and", "&", ",", "the"):
                    run -= 1
                if run > k2 and any(doc[x].text[:1].isupper() for x in range(k2, run)):
                    k = run
                    continue
            break
        title_end = k
        m.title = doc[title_start:title_end].text.strip() or doc[h0:h1].text
        head = doc[h0:h1].text.lower()
        m.counterpart = head == "counterpart"
        # the name: after the title (behind an optional comma), else before it behind a comma
        name = None
        after = title_end
        if after < sentence.end and doc[after].text == ",":
            after += 1
        if after < sentence.end:
            name = self.name_forward(doc, after, sentence.end)
            if name and after > title_end:
                # after a comma, a name must be followed by a comma, a full stop, a bracket or
                # a verb: not by the next title ("…, President Aliyev")
                nxt = doc[name[1]] if name[1] < sentence.end else None
                if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha:
                    name = None
        if name is None:
            b = left - 1
            if b >= sentence.start and doc[b].lower_ in ("a", "an", "the"):
                b -= 1
            if b >= sentence.start and doc[b].text in (",", "("):
                name = self.name_backward(doc, b, sentence.start)
        if name:
            after_name = name[1]
            if after_name + 1 < sentence.end and doc[after_name].lower_ == "of":
                match = self._match(doc, after_name + 1)
                if match is not None and match.start == after_name + 1 and \
                        match.kind in STATE_KINDS:
                    m.state = m.state or match.key
                    name = (name[0], name[1])
                    title_end = max(title_end, match.end)
            m.name_tokens = name
            m.name = self._clean_name(doc, *name)
            m.start = min(left, name[0])
            m.end = max(title_end, name[1])
        else:
            m.start, m.end = left, title_end
        m.tokens = set(range(m.start, m.end))
        m.state = m.state or self.titles.implied_states.get(head)
        m.role = self._role(m, head)
        return m

    def _clean_name(self, doc, start: int, end: int) -> str:
        words = []
        for token in doc[start:end]:
            text = token.text
            initials = INITIALS.match(text)
            if initials and len(text) > 3:
                text = text[:-len(initials.group(1))] + " " + initials.group(1)
            words.append(text + (" " if token.whitespace_ else ""))
        return re.sub(r"\s+", " ", "".join(words)).strip()

    def _role(self, m: Mention, head: str) -> str | None:
        if m.counterpart:
            return None                               # the role of whom it is a counterpart of
        title = m.title or head
        if (m.organization or re.search(r"secretary[- ]general", title, re.I)) and \
                not m.state and not re.search(r"ambassador|permanent representative|envoy",
                                              title, re.I):
            return "igo_official"
        # "Prime Minister and Minister of Foreign Affairs": the highest of the offices named
        parts = [p for p in re.split(r",\s*|\s+and\s+", title)
                 if any(w in self.titles.head_words for w in p.lower().split())]
        if len(parts) > 1:
            return min((self.titles.role_of(p) for p in parts), key=ROLE_RANK.index)
        role = self.titles.role_of(title)
        if "state secretary" in title.lower() and m.state == "USA":
            return "foreign_minister"
        return role


# ---------------------------------------------------------------- assembling officials

def same_person(official: Official, name: str, state: str | None) -> bool:
    if state and official.state and state != official.state:
        return False
    a, b = fold(official.name).split(), fold(name).split()
    if not a or not b:
        return False
    if a == b:
        return True
    forms = [fold(x).split() for x in [official.name, *official.aliases]]
    for form in forms:
        if not form:
            continue
        short, long_ = (b, form) if len(b) <= len(form) else (form, b)
        if long_[-len(short):] == short:
            return True                      # "Mensah", "Garcia Lopez"
        if len(short) == 1 and long_[0] == short[0] and len(long_) == 2 and \
                len(b) == 1 and "-" in official.name:
            return True                      # "Park" of "Park Seo-yeon": surname first
        if form[-1] == b[-1] and form[0][0] == b[0][0]:
            return True                      # "R Meredov" and "Rashid Meredov"
    return False


class _People:
    """The officials found so far, indexed by the words of their names and by their role and
    state, so that a mention is matched without trying every official (quadratic in a long
    report naming many people). Officials appended since the last look-up are indexed by it;
    `changed(i)` after an official's name, aliases, role or state change."""

    def __init__(self, context: Context, officials: list[Official]):
        self.context, self.officials = context, officials
        self.names: dict[tuple[str, str], set[int]] = {}
        self.kinds: dict[tuple[str, str | None], list[int]] = {}   # (role, state) -> ascending
        self.kind_of: dict[int, tuple[str, str | None]] = {}
        self.indexed = 0

    def changed(self, index: int) -> None:
        o = self.officials[index]
        # same_person holds only where a form of the official's name ends with the name's last
        # word, or (surname first, "Park Seo-yeon") a two-word form starts with a lone word.
        for form in (fold(x).split() for x in [o.name, *o.aliases]):
            if form:
                self.names.setdefault(("last", form[-1]), set()).add(index)
                if len(form) == 2 and "-" in o.name:
                    self.names.setdefault(("first", form[0]), set()).add(index)
        kind, old = (o.role, o.state), self.kind_of.get(index)
        if kind != old:
            if old is not None:
                group = self.kinds[old]
                del group[bisect_left(group, index)]
            insort(self.kinds.setdefault(kind, []), index)
            self.kind_of[index] = kind

    def _catch_up(self) -> None:
        while self.indexed < len(self.officials):
            self.changed(self.indexed)
            self.indexed += 1

    def same_person(self, name: str, state: str | None) -> int | None:
        """The first official `same_person` says `name` (of `state`) is."""
        self._catch_up()
        words = fold(name).split()
        if not words:
            return None
        candidates = self.names.get(("last", words[-1]), set())
        if len(words) == 1:
            candidates = candidates | self.names.get(("first", words[0]), set())
        return next((i for i in sorted(candidates)
                     if same_person(self.officials[i], name, state)), None)

    def antecedent(self, m: Mention) -> int | None:
        """The person a title alone refers to: the latest one of that role (or, for diplomats,
        of the diplomatic family) whose state is the title's; failing that, the only one of
        that role whose state is not known yet and who is not named in the same sentence."""
        self._catch_up()
        roles = DIPLOMATIC if m.role in DIPLOMATIC else (m.role,)

        def latest(groups) -> int | None:
            return max((group[-1] for group in groups if group), default=None)

        if not m.state:
            return latest(group for (role, _), group in self.kinds.items() if role in roles)
        same = latest(self.kinds.get((role, m.state)) for role in roles)
        if same is not None:
            return same
        # Evidence is whole sentences, so one within the mention's sentence is that sentence.
        here = Evidence(m.sentence.start_char, m.sentence.end_char)
        unknown = (i for i in merge(*(self.kinds.get((role, None), []) for role in roles))
                   if not self.context.holds(self.officials[i].evidence, here))
        first, second = next(unknown, None), next(unknown, None)
        return first if second is None else None


def find_officials(context: Context) -> tuple[list[Official], dict[int, set[int]]]:
    """The report's officials, and for each sentence (by its first token) the officials it
    names."""
    finder = OfficialFinder(context)
    doc = context.doc
    mentions = finder.mentions(doc, context.sentences)
    title_mentions = finder.mentions(context.title_doc, list(context.title_doc.sents)) \
        if context.title_doc is not None and len(context.title_doc) else []
    officials: list[Official] = []
    people = _People(context, officials)
    by_sentence: dict[int, set[int]] = {}
    last_of_sentence: dict[int, int] = {}

    def note(index: int, sentence: Span) -> None:
        by_sentence.setdefault(sentence.start, set()).add(index)
        context.append_new(officials[index].evidence,
                           Evidence(sentence.start_char, sentence.end_char))

    _from_headline(context, finder, title_mentions, mentions, officials, note)
    for m in mentions:
        if m.former:
            continue
        if m.counterpart:
            partner = next((officials[i] for i in sorted(by_sentence.get(m.sentence.start, ()))),
                           officials[-1] if officials else None)
            m.role = partner.role if partner else "other_official"
            if partner is not None and m.state is None:
                m.state = context.other_of_pair(partner.state)
        if m.name:
            index = people.same_person(m.name, m.state)
            if index is None:
                officials.append(Official(name=m.name, role=m.role or "other_official",
                                          position=_position(m), state=m.state,
                                          host_state=m.host, organization=m.organization))
                index = len(officials) - 1
            else:
                _merge(officials[index], m)
                people.changed(index)
            note(index, m.sentence)
            last_of_sentence[m.sentence.start] = index
        else:
            # a title alone ("the ambassador", "the Jordanian ambassador"): the latest person
            # of that role (or of the diplomatic family) whose state agrees
            index = people.antecedent(m)
            if index is None and m.role and m.state and not m.former:
                index = _named_later(context, finder, m, officials, people)
            if index is not None:
                o = officials[index]
                if m.role == "ambassador" and o.role == "diplomat":
                    o.role = "ambassador"
                o.state = o.state or m.state
                if o.role in DIPLOMATIC:
                    o.host_state = o.host_state or m.host
                people.changed(index)
                note(index, m.sentence)

    _bare_surnames(context, officials, note, {t for m in mentions for t in m.tokens})
    _infer_states(context, mentions, title_mentions, officials, by_sentence)
    return officials, by_sentence


SPEECH = {"said", "says", "told", "added", "noted", "stressed", "stated", "announced",
          "emphasized", "emphasised", "explained", "declared", "underlined", "remarked",
          "insisted", "warned", "confirmed", "replied", "wrote"}


def _named_later(context: Context, finder: OfficialFinder, m: Mention,
                 officials: list[Official], people: _People) -> int | None:
    """"The Foreign Minister of Russia … Lavrov said": a title standing alone, and a surname
    that speaks in the same or the next sentence."""
    doc = context.doc
    sentence = m.sentence
    limit = sentence.end
    if limit < len(doc):
        limit = doc[limit].sent.end if doc[limit].sent is not None else limit
    for k in range(m.end, limit - 1):
        token, verb = doc[k], doc[k + 1]
        if verb.lower_ not in SPEECH or not finder.is_name_token(token):
            continue
        start, end = finder.name_backward(doc, k + 1, max(sentence.start, k - 3)) or (k, k + 1)
        name = finder._clean_name(doc, start, end)
        if people.same_person(name, None) is not None:
            return None
        officials.append(Official(name=name, role=m.role, position=_position(m),
                                  state=m.state, host_state=m.host,
                                  organization=m.organization))
        officials[-1].evidence.append(Evidence(token.sent.start_char, token.sent.end_char))
        return len(officials) - 1
    return None


def _position(m: Mention) -> str | None:
    title = m.title
    if not title:
        return None
    title = re.sub(r"^(the|a|an)\s+", "", title, flags=re.I)
    return title[:1].upper() + title[1:]


def _merge(official: Official, m: Mention) -> None:
    if len(fold(m.name).split()) > len(fold(official.name).split()):
        official.aliases.append(official.name)
        official.name = m.name
    elif fold(m.name) != fold(official.name) and m.name not in official.aliases:
        official.aliases.append(m.name)
    if m.role and (official.role in (None, "other_official") or
                   (official.role == "diplomat" and m.role == "ambassador")):
        official.role = m.role
    if m.title and (not official.position or len(m.title) > len(official.position)) and \
            m.role == official.role:
        official.position = _position(m)
    official.state = official.state or m.state
    official.host_state = official.host_state or m.host
    official.organization = official.organization or m.organization


def _from_headline(context, finder, title_mentions, mentions, officials, note) -> None:
    """A person the headline names with a title ("President-elect López Obrador of Mexico")
    and the body names without one."""
    doc = context.doc
    named = [x.name for x in mentions if x.name]
    for m in title_mentions:
        if not m.name or m.former or any(fold(n).split()[-1:] == fold(m.name).split()[-1:]
                                         for n in named):
            continue
        surname = fold(m.name).split()[-1]
        for token in doc:
            if token.is_alpha and fold(token.text) == surname and token.text[:1].isupper():
                start, end = finder.name_backward(doc, token.i + 1, token.sent.start) or \
                    (token.i, token.i + 1)
                name = finder._clean_name(doc, start, end)
                officials.append(Official(name=name, role=m.role or "other_official",
                                          position=_position(m), state=m.state,
                                          host_state=m.host, organization=m.organization))
                note(len(officials) - 1, token.sent)
                break


def _bare_surnames(context, officials, note, used: set[int]) -> None:
    """Surname-only mentions ("Blinken said", "R.Meredov congratulated")."""
    surnames = {}
    for index, o in enumerate(officials):
        words = fold(o.name).split()
        if words:
            surnames.setdefault(words[-1], set()).add(index)
    for token in context.doc:
        if token.i in used or not token.text[:1].isupper():
            continue
        text = token.text
        initials = INITIALS.match(text)
        key = fold(initials.group(1) if initials else text)
        owners = surnames.get(key)
        if not owners or len(owners) > 1:
            continue                         # two people share the surname: leave it
        index = next(iter(owners))
        if text != officials[index].name and text not in officials[index].aliases:
            officials[index].aliases.append(text)
        note(index, token.sent)


def _infer_states(context: Context, mentions, title_mentions, officials, by_sentence) -> None:
    # a headline's "President of X" speaks of the body's president, unless the body already
    # names X's president
    explicit = {(m.role, m.state) for m in mentions if m.name and m.state}
    hints = {m.role: m.state for m in title_mentions
             if m.state and m.role and not m.name and (m.role, m.state) not in explicit}
    embassies = _embassies(context)
    first_host: dict[str, str] = {}          # state -> host of its first embassy with one
    for state, host in embassies:
        if host:
            first_host.setdefault(state, host)
    sentences_of: dict[int, list[int]] = {}  # official -> the sentences naming them
    for start, people in by_sentence.items():
        for index in people:
            sentences_of.setdefault(index, []).append(start)
    consumed = {t for m in mentions for t in m.tokens}
    for index, o in enumerate(officials):
        if o.state is None and o.role != "igo_official":
            o.state = _state_from_context(context, index, o, sentences_of.get(index, []),
                                          consumed, officials, by_sentence, hints, embassies)
        if o.role in DIPLOMATIC and o.host_state is None and o.state:
            host = first_host.get(o.state)
            abroad = o.role == "ambassador" or not re.search(
                r"spokes|director|ministry|department|head", o.position or "", re.I)
            o.host_state = host or (context.other_of_pair(o.state) if abroad else None) or (
                context.home_state if abroad and context.home_state != o.state else None)
        if o.host_state == o.state:
            o.host_state = None
        if o.role == "igo_official" and o.state:
            o.role = "other_official" if o.organization is None else o.role


def _state_from_context(context, index, o, sentences, consumed, officials, by_sentence, hints,
                        embassies):
    if o.role in hints:
        return hints[o.role]
    if o.role in DIPLOMATIC:
        for state, _host in embassies:
            return state
    surname = fold(o.name).split()[-1] if fold(o.name) else ""
    fallback = None
    for start in sorted(sentences):
        sentence = context.doc[start].sent
        where = next((t.i for t in sentence if fold(t.text).endswith(surname)), sentence.start)
        free = sorted(((abs(m.start - where), m.key) for m in context.matches_in(sentence)
                       if m.kind in ("name", "demonym", "metonym") and m.start not in consumed),
                      key=lambda pair: pair[0])
        if free and free[0][0] <= 6:
            return free[0][1]                 # "… Adhikari led the Nepali side"
        others = [officials[i] for i in by_sentence[start] if i != index]
        for other in others:
            # received by a head of state: the host of the ambassador in the same sentence
            if other.role in DIPLOMATIC and other.host_state and o.role in DOMESTIC_ROLES:
                return other.host_state
        for other in others:
            # "President X spoke with the President of Chile, Y": the other side
            if other.state and context.other_of_pair(other.state) and o.role in DOMESTIC_ROLES:
                return context.other_of_pair(other.state)
        if free and fallback is None:
            fallback = free[0][1]
    if context.home_state and o.role in DOMESTIC_ROLES + ("legislator", "other_official"):
        return context.home_state             # the outlet's own government, unless told
    if fallback:
        return fallback
    if context.home_state:
        return context.home_state
    return context.main_pair[0] if context.main_pair else None


def _embassies(context: Context) -> list[tuple[str, str | None]]:
    """(state, host) of each embassy the report names: "the Embassy of A in B", "A's embassy
    in B", "the A Embassy"."""
    doc = context.doc
    out = []
    for token in doc:
        if token.lower_ not in ("embassy", "mission", "high commission"):
            continue
        state = host = None
        before = context.match_at(token.i - 1) if token.i else None
        if before is None and token.i > 1 and doc[token.i - 1].text in ("’s", "'s"):
            before = context.match_at(token.i - 2)
        if before is not None and before.kind in STATE_KINDS:
            state = before.key
        k = token.i + 1
        while k < len(doc) and k < token.i + 8:
            word = doc[k].lower_
            if word == "the":
                k += 1
                continue
            if word in ("of", "in", "to") and k + 1 < len(doc):
                nxt = k + 1 + (doc[k + 1].lower_ == "the")
                match = context.match_at(nxt)
                if match is not None and match.kind in STATE_KINDS:
                    if word == "of" and state is None:
                        state = match.key
                    elif word in ("in", "to"):
                        host = match.key
                    k = match.end
                    continue
            break
        if state:
            out.append((state, host))
    return out
