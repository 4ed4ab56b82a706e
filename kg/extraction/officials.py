"""Officials: named persons who hold a public office, with role, position, state and host.

A title ("Deputy Minister of Foreign Affairs of Ghana", "Kenyan President",
"the Chilean Ambassador to Lima") is found around a head word from kg/data/titles.yml,
grown left over modifiers and a nationality and right over complements ("of X", "to Y",
"in Accra", "Extraordinary and Plenipotentiary"); the person's name stands after it
("… Kofi Mensah", "…: Kofi Mensah", after a body's acronym "… (Caricom), the Honourable X")
or before it, behind a comma or a spaced dash ("Ana Ruiz, Chilean Ambassador to Peru",
"Ana Ruiz - Ambassador of Chile"), or is linked to it by the parse ("A, who is Chile's
foreign minister"). A group title names a list ("Presidents A of X and B of Y", "the foreign
ministers of X and Y, A and B"); persons listed by state with no title ("A of Chile, B of
Peru") are officials where the sentence says their role (a group title, or titles.yml's
context_roles: credentials). Later mentions by surname ("Mensah", "PM Lee"), given name
("Ambassador Kofi") or by title alone ("the ambassador") are resolved to the same person.
Where a title does not say which state, the parse of the phrase naming the person does (a
possessive, an apposition, the person whose envoy they are, the group they are listed
under); only then the sentence, the report's headline and its dateline (the outlet's country
only where the report names it). With no statistical parse (KG_SPACY_MODEL=blank) the
parse-based steps are skipped.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from heapq import merge

from spacy.tokens import Span, Token
from unidecode import unidecode

from kg.extraction import lexicon
from kg.extraction.context import Context, StateSpan, lowers_of, texts_of
from kg.extraction.pipeline import has_parse
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
# nouns that end the name of a body, not of a person
BODY_WORDS = {"conference", "community", "forum", "summit", "palace", "centre", "center",
              "association", "federation", "alliance", "movement", "front", "league",
              "coalition", "bloc", "initiative", "programme", "program", "declaration",
              "agreement", "treaty", "accord", "accords", "protocol", "charter", "convention",
              "presence"}                 # "the Head of the OSCE Presence in Albania"
# the formal style before a state's name ("the Co-operative Republic of Guyana")
STATE_STYLES = {"republic", "kingdom", "federal", "democratic", "people", "people's", "islamic",
                "united", "commonwealth", "sultanate", "principality", "grand", "duchy",
                "co", "-", "operative", "cooperative", "bolivarian", "federative", "socialist",
                "plurinational", "arab", "hashemite", "state", "independent", "union", "oriental",
                "libyan", "great"}
# heads that are titles only with a name ("a member of the Eurasian Union" is no person)
NAMED_ONLY = {"member", "chair", "delegate", "commander", "head", "official"}
MINISTRY_WORDS = {"ministry", "department", "office", "mfa"}
# words after a head that belong to the title: "Ambassador Extraordinary and
# Plenipotentiary", "Minister Delegate for Defence" (a French and West African junior minister)
TITLE_TAIL = {"extraordinary", "plenipotentiary", "delegate"}
FORMER = ("former", "ex", "late", "then")
DASHES = ("-", "–", "—")
TOPICAL_HEADS = {"envoy", "representative", "coordinator", "adviser", "advisor"}
# the nouns of "the two countries"
GROUP_OF_TWO = frozenset({"countries", "nations", "states", "sides", "governments"})

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
    plural: bool = False             # "Foreign Secretaries": a group title, no one person
    head: str = ""
    title_end: int = 0
    tokens: set[int] = field(default_factory=set)


# before a place, not a nationality: "In Helsinki Minister Vaitkus said"
PLACE_PREPOSITIONS = {"in", "at", "from", "near", "to", "inside", "outside"}

# title heads whose "of ..." names a portfolio, written in lower case too ("minister of
# foreign affairs"; not "a member of staff")
PORTFOLIO_HEADS = {"minister", "secretary", "undersecretary", "director", "general",
                   "commissioner", "chairman", "chairwoman", "chair", "head"}
# a person named as the holder of the office of someone else ("his Lao counterpart")
COUNTERPARTS = {"counterpart", "colleague"}

MAX_NAME_WORDS = 8          # "Turki bin Mishaal bin Abdullah Al Saud"


def _singular(word: str) -> str | None:
    """The singular of a plural title word ("secretaries", "ministers", "envoys"), else None."""
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


@lru_cache(maxsize=4)
def _heads_by_first(heads: tuple) -> dict[str, tuple]:
    """Title heads by their first word, longest first (as titles.yml's heads are sorted)."""
    out: dict[str, list] = {}
    for head in heads:
        out.setdefault(head[0], []).append(head)
    return {k: tuple(v) for k, v in out.items()}


def _title_case_like(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _words(doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if t.is_alpha)


@lru_cache(maxsize=1 << 16)    # a name is folded again at each comparison of officials
def fold(name: str) -> str:
    return re.sub(r"[^a-z ]", "", unidecode(name).lower().replace("-", " ")).strip()


@lru_cache(maxsize=1)
def _extra() -> dict:
    """titles.yml's lists that kg.extraction.lexicon does not load."""
    data = lexicon.load("titles.yml")
    return {"career_foreign_secretary": frozenset(data.get("career_foreign_secretary") or ()),
            "context_roles": {tuple(lexicon.split(k)): v
                              for k, v in (data.get("context_roles") or {}).items()},
            "delegation_nouns": frozenset(data["delegation_nouns"]),
            "leading_verbs": frozenset(data["leading_verbs"]),
            "accompanying_verbs": frozenset(data["accompanying_verbs"]),
            "dealing_verbs": frozenset(data["dealing_verbs"]),
            "sending_verbs": frozenset(data["sending_verbs"]),
            # a foreign ministry as a report's source, and the fields of other ministries
            "foreign_ministry": re.compile("|".join(data["foreign_ministry_sources"]), re.I),
            "other_fields": re.compile("|".join(data["other_ministry_fields"]), re.I),
            "attending_verbs": frozenset(data["attending_verbs"])}


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
        if token.i > 0 and self._head_at(token.doc, token.i - 1) > 1:
            return False                   # the end of a head: "Federal Councillor"
        if re.fullmatch(r"[A-Z]\.?", text) or INITIALS.match(text):
            return True                    # an initial: "J.", "K"
        if re.fullmatch(r"[A-Z]{2,3}", text) and token.i + 1 < len(token.doc):
            after = token.doc[token.i + 1]  # initials run together: "KP Sharma Oli"
            return after.is_title and after.is_alpha and self.is_name_token(after)
        # any script's capital letter: "Šafránková", "Øster", "Çelik"
        plain = text[0].isupper() and all(c.isalpha() or c in "'’.-" for c in text)
        return plain and not text.isupper() or \
            (text.isupper() and len(text) > 3 and token.doc[token.i - 1].text[:1].isupper())

    def name_forward(self, doc, k: int, limit: int) -> tuple[int, int] | None:
        while k < limit and (doc[k].lower_ in self.titles.honorifics or
                             # "El Hadji Moustapha Gueye": an article before an honorific
                             doc[k].lower_ in ("el", "al") and k + 1 < limit and
                             doc[k + 1].lower_ in self.titles.honorifics or
                             doc[k].lower_ == "the" and k + 1 < limit and
                             doc[k + 1].lower_ in self.titles.honorifics or
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
                if j < limit and j - k <= 3 and (self.is_name_token(doc[j]) or (
                        doc[j - 1].lower_ in self.titles.patronymic and doc[j].is_title and
                        doc[j].is_alpha)):
                    k = j                     # "Turki bin Sultan Al-Mutairi": after "bin" a
                    #                           title word is a father's name
                else:
                    break
            elif k > start and token.text == "." and not doc[k - 1].whitespace_ and \
                    len(doc[k - 1].text) == 2 and doc[k - 1].text[0].isupper() and \
                    k + 1 < limit and self.is_name_token(doc[k + 1]):
                k += 1                        # a two-letter initial: "Kh.Battulga", "Ts. Bold"
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
        if end < len(doc) and doc[end].text[:1].isupper() and \
                doc[end].lower_ in self.titles.portfolio and \
                doc[end].lower_ not in NAME_LIKE:
            return None                # "Minister of Pacific Island Affairs": the portfolio
            #                            goes on
        return start, end

    def name_backward(self, doc, k: int, floor: int) -> tuple[int, int] | None:
        """A name ending at token k - 1 (exclusive end k)."""
        end = k
        while end > floor and doc[end - 1].lower_ in self.titles.postnominals:
            end -= 1
        start = end
        if start - 3 >= floor and doc[start - 1].is_lower and doc[start - 1].is_alpha and \
                doc[start - 2].text == "-" and not doc[start - 2].whitespace_ and \
                not doc[start - 3].whitespace_ and self.is_name_token(doc[start - 3]):
            start -= 2                        # "Kang Seo-jin": a given name's lower-case end
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
        # (a word joined to the name by a hyphen is part of it: "Jalili-Far", not the Far East)
        free = [t.text for t in doc[start:end] if t.i == start or doc[t.i - 1].text != "-" or
                doc[t.i - 1].whitespace_ or doc[t.i - 2].whitespace_]
        if any(w.lower() in self.titles.portfolio and w.lower() not in NAME_LIKE for w in free):
            return False                      # "African Integration" is a portfolio
        if words and words[-1].lower() in ORGANIZATION_WORDS | BODY_WORDS:
            return False                      # "the Episcopal Conference", "Caribbean Community"
        if end - start == 1 and start > 1 and doc[start - 1].text == "," and \
                doc[start - 2].is_title and doc[start - 2].lower_ in self.titles.buildings:
            return False                      # "the President at State House, Entebbe": a
            #                                   town after a building, no one's name
        return bool(words) and any(len(w.strip(".")) > 1 and not w.isupper() for w in words)

    def _head_at(self, doc, i: int) -> int:
        """Length of the title head starting at token i (0 if none)."""
        return self._head_and_number(doc, i)[0]

    def _head_and_number(self, doc, i: int) -> tuple[int, bool]:
        """(length of the title head at token i, whether it is plural: "Foreign Secretaries",
        "the special envoys"). None after "bin", "ibn": "Turki bin Sultan" names a father."""
        if i > 0 and doc[i - 1].lower_ in self.titles.patronymic and doc[i].is_title:
            return 0, False
        lower = lowers_of(doc)[i:i + 6]
        if not lower:
            return 0, False
        by_first = _heads_by_first(self.titles.heads)
        for head in by_first.get(lower[0], ()):
            if tuple(lower[:len(head)]) == head and self._head_allowed(doc, i, head):
                return len(head), False
        # plural: the head's last word in the plural ("Foreign Secretaries", "envoys")
        one = _singular(lower[0])
        candidates = [h for h in by_first.get(lower[0], ()) if len(h) > 1] + \
            [h for h in by_first.get(one, ()) if len(h) == 1] if one else \
            [h for h in by_first.get(lower[0], ()) if len(h) > 1]
        for head in candidates:
            n = len(head)
            words = tuple(lower[:n])
            if len(words) < n or head == ("member",):
                continue
            last = _singular(words[-1])
            if last is None or words[:-1] + (last,) != head:
                continue
            if self._head_allowed(doc, i, head):
                return n, True
        return 0, False

    def _head_allowed(self, doc, i: int, head: tuple[str, ...]) -> bool:
        first = doc[i]
        after = doc[i + len(head)].lower_ if i + len(head) < len(doc) else ""
        if head in (("pm",), ("fm",)) and first.text != head[0].upper():
            return False                 # "PM", "FM" as written, not "pm" the time
        if head == ("mp",) and (first.text != "MP" or i and doc[i - 1].text[:1].isupper()):
            return False                 # "Bob Carr MP": letters after a name
        if head == ("head",) and after != "of":
            return False
        # common nouns that are titles only with their complement: "a member of the House",
        # "Chair of the Senate", "Rabat's delegate to the UN"
        if head in (("member",), ("chair",)) and after != "of":
            return False
        if head == ("delegate",) and after not in ("to", "of"):
            return False
        if head == ("official",) and (first.pos_ != "NOUN" or first.text[0].isupper()):
            return False                 # "an official of the ministry, A"; not "official visit"
        if head in (("member",), ("chair",), ("delegate",), ("commander",)) and \
                first.pos_ == "VERB":
            return False
        if head in (("king",), ("queen",), ("secretary",), ("commander",)) and \
                not first.text[0].isupper():
            return False
        if head == ("secretary",) and after in ("general", "-"):
            return False
        return True

    # ------------------------------------------------------------ titles
    def mentions(self, doc, sentences) -> list[Mention]:
        out: list[Mention] = []
        for sentence in sentences:
            i = sentence.start
            while i < sentence.end:
                size, plural = self._head_and_number(doc, i)
                if not size:
                    i += 1
                    continue
                mention = self._grow(doc, sentence, i, i + size)
                if plural:
                    members = self._plural_members(doc, sentence, mention, i, i + size)
                    mention.plural, mention.name, mention.name_tokens = True, None, None
                    # the group's role is its singular's ("the foreign ministers")
                    words = (mention.title or "").split()
                    one = _singular(words[-1].lower()) if words else None
                    if one and not members:
                        mention.role = self.titles.role_of(" ".join(words[:-1] + [one])) \
                            or mention.role
                    out.extend(members or [mention])
                    i = max([mention.title_end, i + size] + [x.end for x in members])
                    continue
                out.append(mention)
                i = max(mention.end, i + size)
        return out

    # ------------------------------------------------------------ group titles
    def _formal(self, doc, k: int, end: int) -> int:
        """Past a state's formal style before its name: "Republic of", "Federal Republic of"
        (k itself where there is none)."""
        j = k
        while j < end and doc[j].lower_ in STATE_STYLES and (
                doc[j].text[:1].isupper() or doc[j].lower_ in ("-", "operative")):
            j += 1
        if j > k and j + 1 < end and doc[j].lower_ == "of":
            match = self._match(doc, j + 1)
            if match is not None and match.start == j + 1 and match.kind in STATE_KINDS:
                return j + 1
        return k

    def _state_at(self, doc, k: int, end: int):
        """The state (or organization) named at token k, behind an optional "the"."""
        match = self._match(doc, k) if k < end else None
        if match is not None and match.start == k and match.kind in STATE_KINDS:
            return match                       # "the Netherlands", "The Gambia"
        if k < end and doc[k].lower_ == "the":
            k += 1
        k = self._formal(doc, k, end)
        match = self._match(doc, k) if k < end else None
        if match is not None and match.start == k and \
                (match.kind in STATE_KINDS or match.kind == "organization"):
            return match
        return None

    def _state_list(self, doc, k: int, end: int) -> tuple[list, int]:
        """"Laos and Nepal", "Chile, Peru and Bolivia" from token k: the matches, and where
        the list ends."""
        found = []
        while k < end:
            match = self._state_at(doc, k, end)
            if match is None:
                break
            found.append(match)
            k = match.end
            if k + 1 < end and doc[k].text == "," and doc[k + 1].lower_ == "and":
                k += 1
            if k < end and doc[k].text == "," or k < end and doc[k].lower_ == "and":
                if self._state_at(doc, k + 1, end) is None:
                    break
                k += 1
        return found, k

    def _plural_members(self, doc, sentence: Span, m: Mention, h0: int, h1: int) -> list[Mention]:
        """The persons a group title names: "Presidents Ana Ruiz of Chile and Tom Berg of
        Norway", "the foreign ministers of Laos and Nepal, Vong Sith and Ram Thapa",
        "High Commissioners A and B of Chile and Peru, respectively"."""
        end = sentence.end
        # the group's states: demonyms before the title, a list after its "of"
        group = [x for x in self.context.matches_in(doc[m.start:h0])
                 if x.kind in STATE_KINDS] if doc is self.context.doc else []
        b = m.start
        while group and b - 2 >= sentence.start and doc[b - 1].lower_ in ("and", ","):
            match = self._match(doc, b - 2)        # "the French and German envoys"
            if match is None or match.kind not in STATE_KINDS:
                break
            group.insert(0, match)
            b = match.start
        k = max(m.title_end, h1)
        if group == [] and m.state:
            first = next((j for j in range(h1, k) if self._match(doc, j) is not None and
                          self._match(doc, j).key == m.state), None)
            if first is not None:
                group, k = self._state_list(doc, first, end)
                k = max(k, m.title_end)
        pair = self.context.main_pair
        if not group and k + 4 <= end and doc[k].lower_ == "of" and \
                doc[k + 1].lower_ in ("the", "both") and doc[k + 2].lower_ in ("two", "both") \
                and doc[k + 3].lower_ in GROUP_OF_TWO and len(pair) == 2 and \
                doc is self.context.doc:
            # "the Ministers of Foreign Affairs of the two countries, A and B": the report's
            # pair, in the order the report first names them
            first = {}
            for x in self.context.matches:
                first.setdefault(x.key, x.start)
            group = [StateSpan(doc[k:k + 4], "name", iso, True)
                     for iso in sorted(pair, key=lambda iso: first.get(iso, 0))]
            k += 4
        if k < end and (doc[k].text in (",", ":", "(") or doc[k].text in DASHES):
            k += 1                             # "Cabinet Secretaries (A of Interior, ...)"
        items = []
        while k < end:
            name = self.name_forward(doc, k, end)
            j, own = (name[1] if name else k), []
            if name is None and items:
                # "the ministers of Chile, A, and Peru, B": each later state leads its name
                state = self._state_at(doc, k, end)
                if state is not None and state.end + 1 < end and doc[state.end].text == ",":
                    name = self.name_forward(doc, state.end + 1, end)
                    if name is not None:
                        own, j = [state], name[1]
            if name is None:
                break
            portfolio = None
            if own:
                pass
            elif j < end and doc[j].lower_ == "of":
                own, after = self._state_list(doc, j + 1, end)
                if own:
                    j = after
                elif self._portfolio_end(doc, j + 1, end) > j + 1:
                    # "Cabinet Secretaries A of Interior, B of Defence": each one's portfolio
                    after = self._portfolio_end(doc, j + 1, end)
                    portfolio, j = doc[j + 1:after].text, after
            elif j + 2 < end and doc[j].text == "(":
                match = self._state_at(doc, j + 1, end)
                after = self._portfolio_end(doc, j + 1, end)
                if match is not None and match.end < end and doc[match.end].text == ")":
                    own, j = [match], match.end + 1
                elif after > j + 1 and after < end and doc[after].text == ")":
                    portfolio, j = doc[j + 1:after].text, after + 1    # "A (Defence)"
            items.append([name, own, portfolio])
            k = j
            if k + 1 < end and doc[k].text == "," and doc[k + 1].lower_ == "and":
                k += 2
            elif k < end and (doc[k].text == "," or doc[k].lower_ == "and"):
                k += 1
            else:
                break
        if len(items) > 1 and len(items[-1][1]) == len(items) and \
                not any(own for _, own, _ in items[:-1]):
            group, items[-1][1] = items[-1][1], []   # "A and B of X and Y, respectively"
        if not items or (len(items) == 1 and not group and not items[0][1]):
            return []
        head_text = doc[h0:h1].text
        singular = head_text[:-len(doc[h1 - 1].text)] + \
            _title_case_like(doc[h1 - 1].text, _singular(doc[h1 - 1].lower_) or doc[h1 - 1].lower_)
        title = (m.title or head_text).replace(head_text, singular, 1)
        members = []
        for n, (name, own, portfolio) in enumerate(items):
            state = own[0] if own else group[n] if len(group) == len(items) else \
                group[0] if len(group) == 1 else None
            # the group title names the first state ("Ministers of Chile"): not the others'
            own_title = title if m.state is None or state is None or state.key == m.state \
                or " of " not in title else title[:title.rfind(" of ")]
            if portfolio:
                own_title = f"{own_title} for {portfolio}"
            x = Mention(start=name[0], end=name[1], sentence=sentence, title=own_title,
                        name=self._clean_name(doc, *name), name_tokens=tuple(name),
                        host=m.host, former=m.former, title_end=name[1])
            if state is not None and state.kind == "organization":
                x.organization = state.key
            elif state is not None:
                x.state = state.key
            if x.state is None and x.organization is None:
                x.organization = m.organization
            x.tokens = set(range(name[0], name[1]))
            x.role = self._role(x, singular.lower())
            # "his Danish, Icelandic and Norwegian counterparts, A, B and C": each holds the
            # office of the one they are counterparts of
            x.counterpart = singular.lower() in COUNTERPARTS
            members.append(x)
        return members

    def _portfolio_end(self, doc, k: int, end: int) -> int:
        """Where a portfolio named after a person ends ("Environment, Water, and Natural
        Resources"); k itself when none starts at k. A comma or "and" continues it only
        before another capitalized portfolio word, so the next person starts a new item."""
        portfolio, j = self.titles.portfolio, k
        while j < end:
            token = doc[j]
            if token.is_title and token.lower_ in portfolio and token.is_alpha or \
                    j > k and token.lower_ in ("of", "the") and token.lower_ in portfolio:
                j += 1
            elif j > k and token.text in (",", "and", "&") and j + 1 < end and (
                    doc[j + 1].is_title and doc[j + 1].lower_ in portfolio or
                    doc[j + 1].lower_ == "and" and j + 2 < end and doc[j + 2].is_title and
                    doc[j + 2].lower_ in portfolio):
                j += 1
            else:
                break
        while j > k and doc[j - 1].lower_ in (",", "and", "&", "of", "the"):
            j -= 1
        return j

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
            if match is not None and match.kind in STATE_KINDS and \
                    match.start - 1 >= sentence.start and \
                    doc[match.start - 1].lower_ in PLACE_PREPOSITIONS:
                break                         # "In Helsinki Minister Vaitkus said": a place
            if match is not None and match.kind in STATE_KINDS:
                m.state = match.key
                left = match.start
                if left - 1 >= sentence.start and doc[left - 1].lower_ in FORMER:
                    m.former = True           # "then Indonesian President X"
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
                elif doc[j - 1].lower_ in t.head_words:
                    # "the Turkish president's adviser": the state of the owner's title
                    b = j - 2
                    while b >= sentence.start and doc[b].lower_ in t.modifiers:
                        b -= 1
                    owner = self._match(doc, b) if b >= sentence.start else None
                    if owner is not None and owner.kind in STATE_KINDS:
                        m.state = owner.key
                break
            if token.lower_ in t.modifiers or (token.lower_ in t.portfolio and token.is_title):
                if token.lower_ in FORMER:
                    m.former = True
                left = j
                j -= 1
                continue
            if token.text in DASHES and not token.whitespace_ and j - 1 >= sentence.start and \
                    doc[j - 1].lower_ == "ex" and not doc[j - 1].whitespace_:
                m.former = True                # "ex-President"
                left = j - 1
                j -= 2
                continue
            if token.text in DASHES and not token.whitespace_ and j - 1 >= sentence.start and \
                    doc[j - 1].lower_ in t.modifiers and not doc[j - 1].whitespace_:
                left = j - 1                   # "Vice-Foreign Minister"
                j -= 2
                continue
            if token.lower_ in ("and", "of", "&", "for") and j - 1 >= sentence.start and \
                    doc[j - 1].is_title and (doc[j - 1].lower_ in t.portfolio or
                                             doc[j - 1].lower_ in t.modifiers):
                # "Ministry of Foreign and European Affairs spokesman": a ministry's name,
                # kept only where it reaches the ministry's own word
                b = j - 1
                while b >= sentence.start and (
                        doc[b].lower_ in ("and", "of", "&", "for") or doc[b].is_title and (
                            doc[b].lower_ in t.portfolio or doc[b].lower_ in t.modifiers)):
                    if doc[b].lower_ in MINISTRY_WORDS:
                        left = j = b
                        break
                    b -= 1
                else:
                    break
                if left == b:
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
            if token.lower_ in TITLE_TAIL or token.lower_ == "and" and k + 1 < sentence.end and \
                    doc[k + 1].lower_ in TITLE_TAIL and k > h1:
                k += 1                        # "Ambassador Extraordinary and Plenipotentiary"
                continue
            if token.lower_ in ("and", ",") and k + 1 < sentence.end:
                more = self._head_at(doc, k + 1)
                if more and (doc[k + 1].text[:1].isupper() or token.lower_ == "and" and
                             doc[k + 1].is_lower and doc[h0].is_lower):
                    k += 1 + more             # "… Prime Minister and Minister of Foreign …",
                    continue                  # "deputy prime minister and minister of …"
                if token.lower_ == "and":
                    # "special adviser and personal envoy", "Prime Minister of X and Pro-Tempore
                    # President of …": a second title in the same case
                    j = k + 1
                    while j < sentence.end and j - k < 5 and self._match(doc, j) is None and \
                            not self._head_at(doc, j) and (
                            doc[j].lower_ in t.modifiers | {"personal"} or
                            doc[h0].is_title and (doc[j].is_title or doc[j].text == "-")):
                        j += 1
                    more = self._head_at(doc, j) if j < sentence.end else 0
                    if more and j > k + 1 and \
                            doc[j].text[:1].isupper() == doc[h0].text[:1].isupper():
                        k = j + more
                        continue
            if token.lower_ in ("of", "to") and k + 2 < sentence.end and \
                    doc[k + 1].lower_ == "the" and self._head_at(doc, k + 2) and \
                    doc[k + 2].text[:1].isupper():
                k = k + 2 + self._head_at(doc, k + 2)   # "Adviser to the President"
                continue
            if token.lower_ == "accredited" and m.host is None and k + 2 < sentence.end and \
                    doc[k + 1].lower_ == "to" and self._state_at(doc, k + 2, sentence.end):
                k += 1                        # "Ambassador of Peru accredited to Chile"
                continue
            if token.lower_ == "in" and k + 2 < sentence.end and \
                    doc[k + 1].lower_ == "charge" and doc[k + 2].lower_ == "of":
                k += 2                        # "Minister of State ... in charge of Regional
                continue                      # Co-operation": the portfolio follows "of"
            if token.lower_ in ("of", "for", "to", "in", "at"):
                k2 = k + 1
                match = self._match(doc, k2) if k2 < sentence.end else None
                if match is None and k2 < sentence.end and doc[k2].lower_ == "the":
                    k2 += 1
                    match = self._match(doc, k2) if k2 < sentence.end else None
                if match is None and k2 < sentence.end:
                    k3 = self._formal(doc, k2, sentence.end)   # "of the Republic of Italy"
                    if k3 > k2:
                        k2, match = k3, self._match(doc, k3)
                if token.lower_ == "for" and head_words & TOPICAL_HEADS and \
                        doc[k2].text[:1].isupper():
                    # "Special Envoy for Iran", "… for the Belgrade-Pristina Dialogue": the
                    # subject of the post, not the state it serves
                    k = k2
                    while k < sentence.end and (doc[k].text[:1].isupper() or doc[k].text in
                                                ("-", "–") or doc[k].lower_ in ("and", "the")):
                        if k > k2 and doc[k].ent_type_ == "PERSON" and doc[k].ent_iob_ == "B":
                            break             # "… for Security Policy Federica Mogherini"
                        k += 1
                    continue
                if match is not None and match.start == k2 and match.kind in STATE_KINDS:
                    k = match.end
                    body = match.kind == "demonym" or k < sentence.end and \
                        doc[k].text in ("’s", "'s") and token.lower_ == "of" or \
                        k < sentence.end and token.lower_ == "of" and \
                        doc[k].lower_ in MINISTRY_WORDS   # "of the United States Department"
                    if body:
                        # "of the Indonesian House of Representatives", "Secretary of India's
                        # Department of Space": the body named after
                        if k < sentence.end and doc[k].text in ("’s", "'s"):
                            k += 1
                        run = k
                        while run < sentence.end and (
                                doc[run].lower_ in t.portfolio or doc[run].lower_ in t.modifiers
                        ) and doc[run].text not in (",", "&") and not self._head_at(doc, run):
                            run += 1          # "of the Chilean foreign ministry" too
                        while run > k and doc[run - 1].lower_ in ("of", "and"):
                            run -= 1
                        if run < sentence.end and match.kind == "demonym" and \
                                doc[run].is_title and doc[run].lower_ not in \
                                self.titles.not_names and self._body_word(doc, run, sentence):
                            break                 # "of the Chilean Football Federation": a body
                    if token.lower_ in ("in", "at") and match.kind == "demonym" and body:
                        m.state = m.state or match.key   # "Minister at the Japanese
                        #                                   embassy": the body's own state
                    elif token.lower_ in ("to", "in", "at"):
                        m.host = match.key
                    elif m.state is None:
                        m.state = match.key
                    if body:
                        k = run
                    elif k < sentence.end and doc[k].lower_ in ("state", "government"):
                        k += 1
                    continue
                if match is not None and match.start == k2 and match.kind == "organization" \
                        and token.lower_ == "for" and match.end < sentence.end and \
                        doc[match.end].lower_ in ("affairs", "relations", "matters", "integration"):
                    k = match.end + 1             # "Assistant Foreign Minister for GCC Affairs
                    continue                      # of Kuwait": a portfolio, not the body's post
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
                if token.lower_ == "of" and doc[k2].text[:1].isupper():
                    # a place that is no state, then the name: "the Governor of Papua,
                    # Markus Kogoya", "the President of the Nation, Eduardo ..."
                    place = k2
                    # (a portfolio word may open it, "East Java", where another word is none)
                    while place < sentence.end and place - k2 < 3 and \
                            doc[place].text[:1].isupper() and doc[place].is_alpha and \
                            not self._head_at(doc, place) and self._match(doc, place) is None:
                        place += 1
                    if all(doc[x].lower_ in t.portfolio for x in range(k2, place)):
                        place = k2
                    person = place + 1        # past an honorific: "..., Mr. Recep Kızılkaya"
                    while person < sentence.end and person - place < 4 and \
                            (doc[person].lower_ in t.honorifics or doc[person].text == "."):
                        person += 1
                    if place > k2 and person < sentence.end and doc[place].text == "," and \
                            doc[person].ent_type_ == "PERSON":
                        k = place
                        continue
                run = k2
                # a title written in lower case ("minister of foreign affairs of Laos") has its
                # portfolio in lower case too
                lower_title = doc[h0].is_lower and doc[h1 - 1].lower_ in PORTFOLIO_HEADS
                while run < sentence.end:
                    word = doc[run]
                    if word.lower_ in t.portfolio and (
                            word.text[:1].isupper() or lower_title and word.is_lower or
                            word.lower_ in ("and", "&", ",", "the")
                            or word.text in ("'s", "’s") and doc[run - 1].lower_ == "people"):
                        run += 1
                        continue
                    nxt = doc[run + 1] if run + 1 < sentence.end else None
                    if nxt is not None and nxt.lower_ in t.portfolio and run > k2 and (
                                word.text in ("-", "–") and not word.whitespace_ and
                                not doc[run - 1].whitespace_ or nxt.text[:1].isupper() and
                                # "Foreign Affairs and Senegalese Abroad", "and National
                                # Community Abroad"
                                (self._match(doc, run) is not None and
                                 self._match(doc, run).kind == "demonym" or
                                 word.is_title and nxt.lower_ == "abroad") and
                                doc[run - 1].lower_ in ("and", "national")):
                        run += 2              # "International Co-operation"
                        continue
                    break
                while run > k2 and doc[run - 1].lower_ in ("and", "&", ",", "the"):
                    run -= 1
                if run > k2 and (lower_title or
                                 any(doc[x].text[:1].isupper() for x in range(k2, run))):
                    k = run
                    continue
            break
        title_end = k
        m.title_end = title_end
        m.title = doc[title_start:title_end].text.strip() or doc[h0:h1].text
        head = doc[h0:h1].text.lower()
        m.counterpart = head in COUNTERPARTS
        m.head = head
        # the name: after the title (behind an optional comma), else before it behind a comma
        name = None
        after = title_end
        if after < sentence.end and doc[after].text in (",", ":", "("):
            after += 1                        # "Minister of Foreign Affairs: Ana Ruiz"
        if after < sentence.end:
            name = self.name_forward(doc, after, sentence.end)
            if name and doc[after - 1].text == "(" and (
                    name[1] >= sentence.end or doc[name[1]].text != ")"):
                name = None                   # "the foreign minister (Ana Ruiz)" only
            if name and after > title_end and doc[after - 1].text != "(":
                # after a comma, a name must be followed by a comma, a full stop, a bracket or
                # a verb: not by the next title ("…, President Aliyev")
                nxt = doc[name[1]] if name[1] < sentence.end else None
                if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha and \
                        nxt.lower_ not in self.titles.postnominals:
                    name = None               # (but letters after the name: "…, A TD, said")
            if name and after > title_end and left - 1 > sentence.start and \
                    doc[left - 1].text == "," and \
                    self.name_backward(doc, left - 1, sentence.start) is not None:
                name = None                   # "His Excellency A, President of Angola, His
                #                               Excellency B, ...": the title after A's comma
                #                               is A's (read below), not the next name's
        if name is None:
            name = self._name_after_body(doc, sentence, title_end)
            if name is not None:                # the body belongs to the title
                body = next(j for j in range(name[0] - 1, title_end - 1, -1)
                            if doc[j].text == "(")
                m.title = doc[title_start:body].text.strip()
        if name is None:
            b = left - 1
            if b >= sentence.start and doc[b].lower_ in ("a", "an", "the", "its", "his", "her",
                                                         "their", "our"):
                b -= 1
            if b >= sentence.start and (doc[b].text in (",", "(") or doc[b].text in DASHES and
                                        doc[b].whitespace_ and b and doc[b - 1].whitespace_):
                name = self.name_backward(doc, b, sentence.start)
            elif b >= sentence.start and b == left - 2 and doc[left - 1].lower_ == "the" and \
                    (m.state or m.host or m.organization):
                # "a meeting with Ali Karimi the Ambassador of Iran": an apposition without
                # its comma, taken only for a full name before a title naming its state
                name = self.name_backward(doc, b + 1, sentence.start)
                if name is not None and _words(doc, *name) < 2:
                    name = None
        if name is None and left > sentence.start:
            # "Ana Ruiz was appointed Minister of Foreign Affairs": the office given to her
            # (the title's modifiers may have taken "appointed" in: "newly appointed")
            for j in range(left, h0 + 1):
                told = self.titles.appointed.search(doc.text, sentence.start_char, doc[j].idx)
                if told is None:
                    continue
                verb = next((i for i in range(j - 1, sentence.start - 1, -1)
                             if doc[i].idx <= told.start() + 1), None)
                name = self.name_backward(doc, verb, sentence.start) \
                    if verb is not None else None
                if name is not None and j > title_start:
                    m.title = doc[j:title_end].text.strip() or m.title
                break
        if name is None and (m.state or m.host or m.organization):
            # only a title that names its state: "A is the president of the club" is no office
            name = self._name_from_parse(doc, sentence, h1 - 1)
        if name:
            after_name = name[1]
            if after_name + 1 < sentence.end and doc[after_name].lower_ == "of":
                match = self._match(doc, after_name + 1)
                if match is not None and match.start == after_name + 1 and \
                        match.kind in STATE_KINDS:
                    m.state = m.state or match.key
                    name = (name[0], name[1])
                    title_end = max(title_end, match.end)
                else:
                    mission = self._mission_after(doc, sentence, after_name + 1, m)
                    if mission:
                        # "Minister Ana Ruiz of the Chilean Embassy in Lima": a rank at a mission
                        m.title = f"{m.title} {doc[after_name:mission].text}"
                        title_end = max(title_end, mission)
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

    def _body_word(self, doc, k: int, sentence: Span) -> bool:
        """Does a run of capitalised words from k end in a body's noun ("Football
        Federation", "Chamber of Commerce")? Then a demonym before it is no state."""
        j = k
        while j < sentence.end and j - k < 5 and (doc[j].is_title or doc[j].lower_ in ("of", "and")):
            if doc[j].lower_ in ORGANIZATION_WORDS | BODY_WORDS | {"federation", "club", "chamber"}:
                return True
            j += 1
        return False

    def _mission_after(self, doc, sentence: Span, k: int, m: Mention) -> int:
        """The end of "(the) (Chilean) Embassy (of Chile) (in Lima)" from token k, reading its
        states into the mention; 0 if no mission is named there."""
        end = sentence.end
        if k < end and doc[k].lower_ == "the":
            k += 1
        match = self._match(doc, k) if k < end else None
        state = None
        if match is not None and match.start == k and match.kind in STATE_KINDS:
            state, k = match.key, match.end
        if k >= end or doc[k].lower_ not in ("embassy", "mission", "consulate", "high"):
            return 0
        k += 2 if doc[k].lower_ == "high" and k + 1 < end and \
            doc[k + 1].lower_ == "commission" else 1
        for word, field_ in (("of", "state"), ("in", "host"), ("to", "host")):
            if k + 1 < end and doc[k].lower_ == word:
                match = self._state_at(doc, k + 1, end)
                if match is not None and match.kind in STATE_KINDS:
                    if field_ == "state":
                        state = state or match.key
                    else:
                        m.host = m.host or match.key
                    k = match.end
        m.state = m.state or state
        return k

    def _name_from_parse(self, doc, sentence: Span, head: int) -> tuple[int, int] | None:
        """A person the parse links to a title standing apart from any name: "Ana Ruiz, who
        is Chile's foreign minister", "Ana Ruiz is Chile's foreign minister"."""
        if doc is not self.context.doc or not has_parse(doc):
            return None
        token = doc[head]
        if token.dep_ == "attr" and token.head.lemma_ == "be":
            verb = token.head
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ in ("who", "that") and \
                    verb.dep_ == "relcl":
                subject = verb.head              # "A, who is …"
            if subject is not None and sentence.start <= subject.i < sentence.end:
                return self._person_span(doc, subject, sentence)
        return None

    def _person_span(self, doc, token, sentence: Span) -> tuple[int, int] | None:
        """The name a token ends: a PERSON entity, or a name by the name rules (the small
        model misses many foreign names)."""
        if token.ent_type_ and token.ent_type_ != "PERSON" or not self.is_name_token(token):
            return None
        return self.name_backward(doc, token.i + 1, sentence.start)

    def _name_after_body(self, doc, sentence: Span, k: int) -> tuple[int, int] | None:
        """A name after a long title that ends in a body's name and its acronym: "Chairman of
        the Caribbean Community (Caricom), the Honourable Roosevelt Skerrit"."""
        end = min(sentence.end, k + 16)
        j = k
        while j < end and doc[j].text != ")" and (
                doc[j].text[:1].isupper() or doc[j].lower_ in ("of", "the", "and", "(", "-", "&")):
            if j > k and self._head_at(doc, j):
                return None
            j += 1
        if j >= end or doc[j].text != ")" or "(" not in [t.text for t in doc[k:j]]:
            return None
        j += 1
        if j < sentence.end and doc[j].text == ",":
            j += 1
        name = self.name_forward(doc, j, sentence.end) if j < sentence.end else None
        if name is None:
            return None
        nxt = doc[name[1]] if name[1] < sentence.end else None
        if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha:
            return None
        return name

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
        # not the secretary general of a state's ministry ("of the Ministry of Foreign Affairs")
        # nor a state's minister whose portfolio names a body ("Assistant Foreign Minister
        # for GCC Affairs")
        if (m.organization or re.search(r"secretary[- ]general", title, re.I)) and \
                not m.state and not re.search(r"ambassador|permanent representative|envoy|"
                                              r"ministry", title, re.I) and \
                not re.search(r"\bminister\b.*\b(for|of)\b", title, re.I):
            return "igo_official"
        # "Prime Minister and Minister of Foreign Affairs": the highest of the offices named
        parts = [p for p in re.split(r",\s*|\s+and\s+", title)
                 if any(w in self.titles.head_words for w in p.lower().split())]
        if len(parts) > 1:
            return min((self.titles.role_of(p) for p in parts), key=ROLE_RANK.index)
        role = self.titles.role_of(title)
        if "state secretary" in title.lower() and m.state == "USA":
            return "foreign_minister"
        return role   # (a South Asian career secretary is read once the state is known:
        #                _career_secretary)


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
                len(b) == 1 and _surname_first(official.name):
            return True                      # "Park" of "Park Seo-yeon", "Okazaki" of
            #                                  "OKAZAKI Reiko": surname first
        if form[-1] == b[-1] and form[0][0] == b[0][0]:
            return True                      # "R Meredov" and "Rashid Meredov"
        if len(form) >= len(b) + 2 and form[-1 - len(b):-1] == b:
            return True                      # "Meade" of "José Antonio Meade Kuribreña": the
            #                                  first of two Hispanic surnames
    return False


def _surname_first(name: str) -> bool:
    """A two-word name written surname first: a hyphenated given name ("Park Seo-yeon") or
    the surname in capitals, as Japan's foreign ministry writes names ("OKAZAKI Reiko")."""
    words = name.split()
    return len(words) == 2 and ("-" in name or len(words[0]) > 1 and words[0].isupper()
                                and not words[1].isupper())


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
        # word, or (surname first, "Park Seo-yeon") a two-word form starts with a lone word, or
        # a lone word is the next to last of three or more (two Hispanic surnames).
        for form in (fold(x).split() for x in [o.name, *o.aliases]):
            if form:
                self.names.setdefault(("last", form[-1]), set()).add(index)
                if len(form) == 2 and _surname_first(o.name):
                    self.names.setdefault(("first", form[0]), set()).add(index)
                if len(form) > 1:
                    self.names.setdefault(("given", form[0]), set()).add(index)
                if len(form) >= 3:
                    self.names.setdefault(("paternal", form[-2]), set()).add(index)
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
        candidates = candidates | self.names.get(("paternal", words[-1]), set())
        if len(words) == 1:
            candidates = candidates | self.names.get(("first", words[0]), set())
        return next((i for i in sorted(candidates)
                     if same_person(self.officials[i], name, state)), None)

    def given_name(self, name: str, role: str | None) -> int | None:
        """The one official of this role whose name starts with this single word ("Ambassador
        Alemayehu" after "Ambassador Alemayehu Tegenu": a given name used alone)."""
        words = fold(name).split()
        if len(words) != 1 or not role:
            return None
        self._catch_up()
        found = [i for i in sorted(self.names.get(("given", words[0]), ()))
                 if self.officials[i].role == role and len(fold(self.officials[i].name).split()) > 1
                 and fold(self.officials[i].name).split()[0] == words[0]]
        return found[0] if len(found) == 1 else None

    def antecedent(self, m: Mention) -> int | None:
        """The person a title alone refers to: the latest one of that role (or, for diplomats,
        of the diplomatic family) whose state is the title's; failing that, the only one of
        that role whose state is not known yet and who is not named in the same sentence."""
        self._catch_up()
        roles = DIPLOMATIC if m.role in DIPLOMATIC else (m.role,)

        def latest(groups) -> int | None:
            return max((group[-1] for group in groups if group), default=None)

        if not m.state:
            # of that role, the latest whose own title has the title's head word: "the
            # Foreign Minister" is the Minister of Foreign Affairs told first, not "the
            # Secretary of State" told since
            candidates = [group for (role, _), group in self.kinds.items() if role in roles]
            head = (m.head or "").lower()
            fitting = [[i for i in group if head in (self.officials[i].position or "").lower()]
                       for group in candidates] if head else []
            if any(fitting):
                candidates = fitting
            # in a national outlet's story, its own one ("HE the Foreign Minister" of a
            # ministry's release, after a call from the Turkish Foreign Minister)
            # (its people's states are mostly read later: of those not known yet, the one
            # told first, as such a story starts with its own)
            own = self.context.outlet_state
            if own:
                mine = [i for group in candidates for i in group
                        if self.officials[i].state == own]
                unknown = [i for group in candidates for i in group
                           if self.officials[i].state is None]
                if mine or unknown:
                    return max(mine) if mine else min(unknown)
            return latest(candidates)
        same = latest(self.kinds.get((role, m.state)) for role in roles)
        if same is not None or m.role not in DIPLOMATIC and m.state not in self.context.main_pair:
            # "the Russian President" in a report on two others is someone new, not the
            # president told before whose state is not known yet
            return same
        own = self.context.outlet_state
        if own and own != m.state and own in self.context.main_pair:
            # a national outlet's story on its own state's dealings leaves its own people's
            # state untold: "the Foreign Minister of Argentina" is someone new, not the
            # (Chilean) minister told before
            return None
        # Evidence is whole sentences, so one within the mention's sentence is that sentence.
        here = Evidence(m.sentence.start_char, m.sentence.end_char)
        unknown = (i for i in merge(*(self.kinds.get((role, None), []) for role in roles))
                   if not self.context.holds(self.officials[i].evidence, here))
        first, second = next(unknown, None), next(unknown, None)
        return first if second is None else None


def find_officials(context: Context) -> tuple[list[Official], dict[int, set[int]],
                                              dict[int, set[int]]]:
    """The report's officials; for each sentence (by its first token) the officials it
    names; and for each sentence the two persons a group title stands for ("the two Prime
    Ministers": `_pairs_by_title`)."""
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

    resolved: list[tuple[int, Mention]] = []     # (official, the named mention of them)
    _from_headline(context, finder, title_mentions, mentions, officials, note)
    named = {t for x in mentions if x.name_tokens for t in range(*x.name_tokens)}
    for m in mentions:
        if m.former or m.plural:
            continue                 # a group title alone names no one person
        if m.counterpart:
            # "my counterpart" is the speaker's: in an interview, the person it is with (told
            # first), not whoever was named last
            mine = any(t.lower_ == "my" for t in doc[max(m.sentence.start, m.start - 1):m.end])
            partner = next((officials[i] for i in sorted(by_sentence.get(m.sentence.start, ()))),
                           (officials[0] if mine else officials[-1]) if officials else None)
            m.role = partner.role if partner else "other_official"
            if partner is not None and m.state is None:
                m.state = context.other_of_pair(partner.state)
        if m.name:
            index = people.same_person(m.name, m.state)
            if index is None:
                index = people.given_name(m.name, m.role)
            if index is None:
                # one full name is one person in a report, whatever title stands next to it
                # later ("Talking with the Turkish Ambassador, [President] A noted"): the
                # title is someone else's, and the person keeps the one first told
                same = people.same_person(m.name, None)
                if same is not None and fold(officials[same].name) == fold(m.name) and \
                        len(fold(m.name)) >= 8:
                    note(same, m.sentence)
                    last_of_sentence[m.sentence.start] = same
                    continue
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
            resolved.append((index, m))
        elif m.head not in NAMED_ONLY:
            # a title alone ("the ambassador", "the Jordanian ambassador"): the latest person
            # of that role (or of the diplomatic family) whose state agrees
            index = people.antecedent(m)
            if index is None and m.role and m.state and not m.former:
                index = _named_later(context, finder, m, officials, people, named)
            if index is not None:
                o = officials[index]
                if m.role == "ambassador" and o.role == "diplomat":
                    o.role = "ambassador"
                o.state = o.state or m.state
                if o.role in DIPLOMATIC:
                    o.host_state = o.host_state or m.host
                people.changed(index)
                note(index, m.sentence)

    listed, groups = _listed_people(context, finder, mentions, officials, people, note)
    _bare_surnames(context, officials, note, {t for m in mentions + listed for t in m.tokens})
    _leaders_of_governments(context, finder, mentions + listed, officials, people, note)
    _fuller_names(context, finder, officials, people,
                  {t for m in mentions + listed for t in m.tokens}, note)
    _known_leaders(context, officials, people, note,
                   {t for m in mentions + listed for t in m.tokens})
    _states_from_parse(context, resolved, officials, people)
    _infer_states(context, mentions + listed, title_mentions, officials, by_sentence)
    for group in groups:
        # an organization's envoy listed among ambassadors is accredited where they are
        hosts = Counter(officials[i].host_state for i in group if officials[i].host_state)
        for i in group:
            if officials[i].role == "igo_official" and not officials[i].host_state and hosts:
                officials[i].host_state = hosts.most_common(1)[0][0]
    return officials, by_sentence, _pairs_by_title(context, mentions, officials, by_sentence)


def _listed_people(context: Context, finder: OfficialFinder, mentions, officials, people,
                   note) -> tuple[list[Mention], list[list[int]]]:
    """Persons listed with their state and no title ("Also presenting credentials were: A of
    Chile, B of Peru and C of the European Union"): officials where the sentence gives their
    role, by a group title with no names of its own ("the foreign ministers attending
    were …") or by a word of kg/data/titles.yml's context_roles."""
    doc = context.doc
    used = {t for m in mentions for t in m.tokens}
    group_roles = {}
    for m in mentions:
        if m.plural and m.name is None and m.role:
            group_roles.setdefault(m.sentence.start, m)
    context_roles = _extra()["context_roles"]
    out: list[Mention] = []
    groups: list[list[int]] = []
    for sentence in context.sentences:
        items = []
        for k in range(sentence.start + 1, sentence.end - 1):
            if doc[k].lower_ != "of" or k in used:
                continue
            match = finder._state_at(doc, k + 1, sentence.end)
            name = finder.name_backward(doc, k, sentence.start) if match else None
            if name is None or any(t in used for t in range(*name)):
                continue
            before = doc[name[0] - 1].text if name[0] > sentence.start else ""
            after = doc[match.end] if match.end < sentence.end else None
            if before not in (",", ":", "and", ";", "were", "are", "by", "") or \
                    after is not None and after.text not in (",", ".", "and", ";") and \
                    after.pos_ not in ("VERB", "AUX"):
                continue                      # a list item stands between separators
            items.append((name, match))
        group = group_roles.get(sentence.start)
        if group is not None:
            # under a group title, "Latvia's Guntis Ozols and Lithuania's Rimas Braz": the
            # state's possessive, then the name
            for k in range(sentence.start + 1, sentence.end - 1):
                if doc[k].text not in ("'s", "’s") or k in used:
                    continue
                match = context.match_at(k - 1)
                if match is None or match.kind not in ("name", "capital") or \
                        not match.as_state:
                    continue
                name = finder.name_forward(doc, k + 1, sentence.end)
                if name is None or name[1] - name[0] < 2 or \
                        any(t in used for t in range(*name)):
                    continue
                before = doc[match.start - 1].text if match.start > sentence.start else ""
                after = doc[name[1]] if name[1] < sentence.end else None
                if before not in (",", ":", "and", ";") or after is not None and \
                        after.text not in (",", ".", "and", ";") and \
                        after.pos_ not in ("VERB", "AUX"):
                    continue
                items.append((name, match))
        if not items or len(items) < 2 and group is not None:
            continue
        role, host, title = (group.role, group.host, group.title) if group else (None, None, None)
        if role is None:
            lower = [t.lower_ for t in sentence]
            for words, value in context_roles.items():
                if any(tuple(lower[i:i + len(words)]) == words for i in range(len(lower))):
                    role = value
                    break
        if role is None:
            continue
        groups.append([])
        for (start, end), match in items:
            x = Mention(start=min(start, match.start), end=max(match.end, end),
                        sentence=sentence, title=title, role=role,
                        name=finder._clean_name(doc, start, end), name_tokens=(start, end),
                        host=host, title_end=end)
            if match.kind == "organization":
                x.organization, x.role = match.key, "igo_official"
            else:
                x.state = match.key
            x.tokens = set(range(x.start, x.end))
            out.append(x)
            index = people.same_person(x.name, x.state)
            if index is None:
                officials.append(Official(name=x.name, role=x.role, position=_position(x),
                                          state=x.state, host_state=x.host,
                                          organization=x.organization))
                index = len(officials) - 1
            else:
                _merge(officials[index], x)
                people.changed(index)
            note(index, sentence)
            groups[-1].append(index)
    return out, groups


def _fuller_names(context: Context, finder: OfficialFinder, officials, people,
                  used: set[int], note) -> None:
    """An official known only by a surname ("Foreign Minister Ruiz said") whom the report
    names in full elsewhere without a title ("Chile's Ana Ruiz and …"): that full name, where
    only one ends with the surname, and the state a possessive before it gives."""
    doc = context.doc
    single = {}
    for index, o in enumerate(officials):
        words = fold(o.name).split()
        if len(words) == 1:
            single.setdefault(words[0], []).append(index)
    if not single:
        return
    full: dict[str, dict[str, str | None]] = {}
    for token in doc:
        key = fold(token.text)
        if key not in single or token.i in used or not token.text[:1].isupper():
            continue
        name = finder.name_backward(doc, token.i + 1, token.sent.start)
        if name is None or _words(doc, *name) < 2 or any(t in used for t in range(*name)):
            continue
        state = None
        if name[0] >= 2 and doc[name[0] - 1].text in ("’s", "'s"):
            match = context.match_at(name[0] - 2)
            if match is not None and match.kind in STATE_KINDS:
                state = match.key             # "Chile's Ana Ruiz"
        form = full.setdefault(key, {}).setdefault(finder._clean_name(doc, *name), [state, []])
        form[1].append(token.sent)
    for key, forms in full.items():
        if len(forms) != 1 or len(single[key]) != 1:
            continue
        ((text, (state, sentences)),) = forms.items()
        o = officials[single[key][0]]
        o.aliases.append(o.name)
        o.name = text
        o.state = o.state or state
        people.changed(single[key][0])
        for sentence in sentences:
            note(single[key][0], sentence)


LEADS = {"government": "head_of_government", "cabinet": "head_of_government",
         "administration": "head_of_state"}


def _leaders_of_governments(context: Context, finder: OfficialFinder, mentions, officials,
                            people, note) -> None:
    """A person named only as their government's leader: "the Ana Ruiz government" (a head
    of government), "the Tom Berg administration" (a president's). Needs the entities: a
    place or a party before "government" is no person ("the Hong Kong government")."""
    doc = context.doc
    if not has_parse(doc):
        return
    used = {t for m in mentions for t in m.tokens}
    for token in doc:
        role = LEADS.get(token.lower_)
        if role is None or not token.i or token.i - 1 in used:
            continue
        sentence = token.sent
        name = finder.name_backward(doc, token.i, sentence.start)
        if name is None or any(doc[t].ent_type_ in ("GPE", "LOC", "NORP", "ORG", "FAC")
                               for t in range(*name)):
            continue
        person = any(doc[t].ent_type_ == "PERSON" for t in range(*name))
        if not person and _words(doc, *name) < 2:
            continue
        if name[0] == sentence.start or doc[name[0] - 1].lower_ not in ("the", "’s", "'s"):
            continue
        text = finder._clean_name(doc, *name)
        index = people.same_person(text, None)
        if index is None:
            officials.append(Official(name=text, role=role, position=None))
            index = len(officials) - 1
        note(index, sentence)


SPEECH = {"said", "says", "told", "added", "noted", "stressed", "stated", "announced",
          "emphasized", "emphasised", "explained", "declared", "underlined", "remarked",
          "insisted", "warned", "confirmed", "replied", "wrote"}


def _named_later(context: Context, finder: OfficialFinder, m: Mention,
                 officials: list[Official], people: _People, named: set[int]) -> int | None:
    """"The Foreign Minister of Russia … Lavrov said": a title standing alone, and a surname
    that speaks in the same or the next sentence (not one another title names, and not for a
    possessor: "the Turkish president's adviser")."""
    doc = context.doc
    if m.end < len(doc) and doc[m.end].text in ("’s", "'s"):
        return None
    sentence = m.sentence
    limit = sentence.end
    if limit < len(doc):
        limit = doc[limit].sent.end if doc[limit].sent is not None else limit
    for k in range(m.end, limit - 1):
        token, verb = doc[k], doc[k + 1]
        if verb.lower_ not in SPEECH or not finder.is_name_token(token) or k in named:
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
                   (official.role == "diplomat" and m.role == "ambassador") or
                   # "Ministers A and B ..." then "the Foreign Affairs Ministers of X, A,
                   # and Y, B": the portfolio told later
                   (official.role == "minister" and
                    m.role in ("foreign_minister", "deputy_foreign_minister")) or
                   # "Senator Ana Ruiz, Minister of Foreign Affairs": the higher office
                   (official.role == "legislator" and m.role in ROLE_RANK and
                    ROLE_RANK.index(m.role) < ROLE_RANK.index("legislator"))):
        official.role = m.role
    elif official.role == "ambassador" and (official.position or "").lower() == "ambassador" and \
            m.role and m.role not in ("ambassador", "legislator"):
        # "Ambassador A, spokesman of the Presidency": the bare title before the name is a
        # rank the diplomat keeps for life; the office told beside it is what they hold
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
        if not m.name or m.former or any(fold(n).split()[-1:] == fold(m.name).split()[-1:] or
                                         set(fold(m.name).split()) <= set(fold(n).split())
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
    # the first of two family names ("Viera" of "Ernesto Viera Soto", "Costa" of "Mariano da
    # Costa Pinto"), taken only where the parse tags the word alone as a person: the word
    # may be a second given name ("Juan Carlos Varela")
    paternal = {}
    for index, o in enumerate(officials):
        words = fold(o.name).split()
        if words:
            surnames.setdefault(words[-1], set()).add(index)
            if _surname_first(o.name):
                surnames.setdefault(words[0], set()).add(index)   # "Yoon" of "Yoon Kyung-ho"
            elif len(words) >= 3 and words[-2] not in lexicon.titles().particles:
                paternal.setdefault(words[-2], set()).add(index)
    # "Faisal bin Nasser" for "Faisal bin Nasser Al-Mahmoud": an Arab name without its
    # family name, the given name and the father's
    patronymics = {}
    for index, o in enumerate(officials):
        words = fold(o.name).split()
        if len(words) >= 4 and words[1] in ("bin", "ibn", "bint"):
            patronymics.setdefault(tuple(words[:3]), set()).add(index)
    doc = context.doc
    for token in doc if patronymics else ():
        if token.i + 2 < len(doc) and token.i not in used:
            key = (fold(token.text), fold(doc[token.i + 1].text), fold(doc[token.i + 2].text))
            owners = patronymics.get(key)
            if owners and len(owners) == 1 and (token.i + 3 >= len(doc) or fold(
                    doc[token.i + 3].text) not in {fold(w) for w in
                                                   officials[next(iter(owners))].name.split()}):
                index = next(iter(owners))
                form = doc[token.i:token.i + 3].text
                if form not in officials[index].aliases:
                    officials[index].aliases.append(form)
                note(index, token.sent)
    for token in context.doc:
        if token.i in used or not token.text[:1].isupper():
            continue
        text = token.text
        initials = INITIALS.match(text)
        key = fold(initials.group(1) if initials else text)
        owners = surnames.get(key)
        if not owners and key in paternal and token.ent_type_ == "PERSON" and \
                token.ent_iob_ == "B" and (token.i + 1 >= len(context.doc) or
                                           context.doc[token.i + 1].ent_iob_ != "I"):
            owners = paternal[key]
        if not owners or len(owners) > 1:
            continue                         # two people share the surname: leave it
        index = next(iter(owners))
        if text != officials[index].name and text not in officials[index].aliases:
            officials[index].aliases.append(text)
        note(index, token.sent)


def _leader_of(name: str, terms) -> "lexicon.Term | None":
    """The term, of those running at the report's date, whose holder `name` denotes: the full
    name, the form that stands alone, or the surname with a given name agreeing on its first
    letter ("George Bush" is not "George H. W. Bush"'s son only by date)."""
    words = fold(name).split()
    if not words:
        return None
    found = None
    for term in terms:
        full = fold(term.name).split()
        if words == full or term.alone and words == fold(term.alone).split() or (
                len(words) > 1 and words[-1] == full[-1] and words[0][0] == full[0][0]):
            if found is None or term.start > found.start:
                found = term             # the newer of two offices held that month
    return found


def _known_leaders(context: Context, officials, people, note, used: set[int]) -> None:
    """Office holders news name without a title (kg/data/leaders.yml): the state of one the
    report titles without naming the state ("President Biden's adviser"), and a mention with
    no title at all ("talks with Putin", "Vladimir Putin said"), for a report dated within
    their term."""
    date = context.report_date
    if not date:
        return
    month = date[:7]
    terms = [t for t in lexicon.leaders() if t.holds(month)]
    for index, o in enumerate(officials):
        term = _leader_of(o.name, terms)
        if term is not None and o.state is None and term.state and o.role != "igo_official":
            o.state = term.state
            people.changed(index)
    doc = context.doc
    if not has_parse(doc):
        return                   # a bare word is a person only where the parse says so
    # by first word, longest form first: a token is looked up once, not against every form
    forms: dict[str, list[tuple[list[str], "lexicon.Term"]]] = {}
    for term in terms:
        for form in dict.fromkeys((term.name, term.alone)):
            words = fold(form).split() if form else []
            if words:
                forms.setdefault(words[0], []).append((words, term))
    for candidates in forms.values():
        candidates.sort(key=lambda pair: -len(pair[0]))
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in used or not token.text[:1].isupper() or (token.pos_ != "PROPN" and
                                                          token.ent_type_ != "PERSON"):
            i += 1
            continue
        match = next(((words, term) for words, term in forms.get(fold(token.text), ())
                      if fold(doc[i:i + len(words)].text).split() == words), None)
        if match is None:
            i += 1
            continue
        words, term = match
        span = doc[i:i + len(words)]
        before = doc[i - 1] if i > span.sent.start else None
        inside = before is not None and before.text[:1].isupper() and before.is_alpha and \
            before.pos_ == "PROPN"              # "George Bush", "Clinton Foundation"'s kin
        after = doc[span.end] if span.end < len(doc) else None
        if inside or any(t.i in used for t in span) or (
                after is not None and after.pos_ == "PROPN" and after.text[:1].isupper()) or (
                len(words) == 1 and token.ent_type_ != "PERSON" and i == span.sent.start):
            i += 1
            continue
        # the person already named in full ("Wen" after "Premier Wen Jiabao": surname first)
        index = next((j for j, o in enumerate(officials)
                      if _leader_of(o.name, [term]) is term), None)
        if index is None:
            index = people.same_person(span.text, term.state)
        if index is None:
            officials.append(Official(name=span.text, role=term.role, state=term.state))
            index = len(officials) - 1
        elif span.text != officials[index].name and span.text not in officials[index].aliases:
            officials[index].aliases.append(span.text)
        people.changed(index)
        note(index, span.sent)
        used.update(range(span.start, span.end))
        i = span.end


def _states_from_parse(context: Context, resolved, officials, people) -> None:
    """The state of an official whose title does not say it, from the parse of the phrase
    that names them, before any guess from the sentence or the outlet: a possessor ("President
    Ruiz's adviser A", "Chile's first lady and foreign minister A"), the person they are the
    envoy "of", the group they are listed in ("Lima officials, including President A")."""
    doc = context.doc
    if not has_parse(doc):
        return
    for index, m in resolved:
        o = officials[index]
        if o.state is not None or o.role == "igo_official":
            continue
        state = _parse_state(context, m, officials, people, index)
        if state:
            o.state = state


def _parse_state(context: Context, m: Mention, officials, people, index) -> str | None:
    doc = context.doc
    inside = range(m.start, m.end)

    def state_at(token) -> str | None:
        match = context.match_at(token.i)
        return match.key if match is not None and match.kind in STATE_KINDS else None

    def of_person(token) -> str | None:
        if not token.text[:1].isupper() or token.i in inside:
            return None
        other = people.same_person(token.text, None)
        return officials[other].state if other is not None and other != index else None

    def its_subject(pronoun) -> str | None:
        """"Italy has recalled its ambassador": the state that is the subject of the verb
        the possessive's phrase hangs on."""
        if pronoun.lower_ not in ("its", "their"):
            return None
        verb = pronoun.head
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return state_at(subjects[0]) if subjects and subjects[0].i not in inside else None

    def owner(noun, persons: bool, modifiers: bool = True) -> str | None:
        for child in noun.children:
            if child.i in inside:
                continue
            if child.dep_ == "poss":
                found = state_at(child) or (of_person(child) if persons else None) or \
                    its_subject(child) or \
                    (context.outlet_state if child.lower_ == "our" else None)   # a release's own
                if found:
                    return found
            if modifiers and child.dep_ in ("compound", "amod", "nmod") and state_at(child):
                return state_at(child)
            if persons and child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = state_at(pobj) or of_person(pobj)
                        if found:
                            return found
        return None

    def delegations(noun) -> str | None:
        """The state of a delegation: "the Lao delegation", "the delegation of Laos"."""
        of = [state_at(p) for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
        return owner(noun, persons=False) or next((x for x in of if x), None)

    def leader(noun) -> str | None:
        """The state of whoever leads the delegation: "the Prime Minister of X arrived at
        the head of a delegation", "President A led a delegation"."""
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_ == "head":
            at = noun.head.head
            verb = at.head.head if at.dep_ == "pobj" else at.head
        elif noun.dep_ == "dobj" and noun.head.lemma_ in ("lead", "head"):
            verb = noun.head
        else:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.i in inside:
            return None
        return state_at(subject) or owner(subject, persons=True) or of_person(subject)

    # the phrase's own dependents: "Ruiz's adviser A", "envoy of President Ruiz"
    for token in doc[m.start:m.end]:
        found = owner(token, persons=True)
        if found:
            return found
    cur = doc[m.start:m.end].root
    for _ in range(3):
        # coordinated with, or in apposition to, a noun whose owner is a state
        if cur.dep_ in ("conj", "appos") and cur.head.i not in inside:
            # a possessive distributes over a coordination ("Chile's first lady and foreign
            # minister A"); a demonym does not ("Chilean President A and President B of X")
            conj = cur.dep_ == "conj"
            if conj and _attending(cur.head):
                # "Chinese Vice Foreign Minister A and Assistant Foreign Minister B were
                # present": the first title's demonym, wherever it hangs in its name
                head = cur.head
                found = next((state_at(t) for t in doc[head.left_edge.i:head.i]
                              if t.dep_ in ("amod", "compound", "nmod") and state_at(t)), None)
                if found:
                    return found
            cur = cur.head
            found = owner(cur, persons=False, modifiers=not conj)
            if found:
                return found
            continue
        # listed under a group: "Lima officials, including President A"
        if cur.dep_ == "pobj" and cur.head.lower_ in ("including", "among", "like") and \
                cur.head.head.i not in inside:
            return owner(cur.head.head, persons=False)
        # "the delegation of Laos headed by A", "a Lao team led by A"
        by = cur.head
        if cur.dep_ == "pobj" and by.lower_ == "by" and by.head.lemma_ in ("head", "lead") and \
                by.head.dep_ == "acl":
            noun = by.head.head
            if state_at(noun) and noun.dep_ == "pobj" and noun.head.lower_ == "of":
                noun = noun.head.head         # the parse hangs "headed" on the state's name
            if noun.lower_ in _extra()["delegation_nouns"]:
                return delegations(noun)
        # "the delegation of Paraguay included the Minister of Industry, A"
        if cur.dep_ in ("dobj", "attr") and cur.head.lemma_ in ("include", "comprise") and \
                cur.head.pos_ in ("VERB", "AUX"):
            for subject in cur.head.children:
                if subject.dep_ == "nsubj" and subject.lower_ in _extra()["delegation_nouns"]:
                    return delegations(subject)
            # "... arrived at the head of a delegation that included A": the leader's state
            noun = cur.head.head
            if cur.head.dep_ == "relcl" and noun.lower_ in _extra()["delegation_nouns"]:
                return delegations(noun) or leader(noun)
        break
    return None


def _attending(noun) -> bool:
    """Is the noun the subject of a verb of attending ("A and B were present at the talks",
    "A and B attended the ceremony"), where a demonym before the first covers both?"""
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = noun.head
    return verb.lemma_ in _extra()["attending_verbs"] or verb.lemma_ == "be" and any(
        c.dep_ == "acomp" and c.lower_ == "present" for c in verb.children)


PAIR_WORDS = {("the", "two"), ("both",), ("both", "the")}


def _pairs_by_title(context: Context, mentions, officials,
                    by_sentence) -> dict[int, set[int]]:
    """"talks between the two Prime Ministers", "both foreign ministers": a group title after
    "the two" or "both" stands for the two persons of that role told so far, one of each of
    two states (the last told of each): by sentence. An event's people then include them (a
    visit's talks with the Prime Minister are not its audience with the Speaker); none where
    more or fewer than two states have such a person."""
    doc = context.doc
    starts = sorted(by_sentence)
    out: dict[int, set[int]] = {}
    for m in mentions:
        if not (m.plural and m.name is None and m.role) or m.role == "other_official":
            continue
        before = tuple(t.lower_ for t in doc[max(m.sentence.start, m.start - 2):m.start])
        inside = tuple(t.lower_ for t in doc[m.start:m.start + 2])
        if not any(before[len(before) - len(w):] == w or inside[:len(w)] == w
                   for w in PAIR_WORDS):
            continue
        last: dict[str, int] = {}
        for start in starts:
            if start > m.sentence.start:
                break
            for i in sorted(by_sentence[start]):
                if officials[i].role == m.role and officials[i].state:
                    last[officials[i].state] = i
        if len(last) == 2:
            out.setdefault(m.sentence.start, set()).update(last.values())
    return out


def _infer_states(context: Context, mentions, title_mentions, officials, by_sentence) -> None:
    # a headline's "President of X" speaks of the body's president, unless the body already
    # names X's president
    explicit = {(m.role, m.state) for m in mentions if m.name and m.state} | \
        {(o.role, o.state) for o in officials if o.state}   # named later ("..., A")
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
    # hosts the report gives ("ambassadors to Sri Lanka"), and the state that receives
    # credentials (its head of state named where credentials are presented)
    hosts = Counter(m.host for m in mentions if m.host)
    for o in officials:
        if o.role == "head_of_state" and o.state and any(
                "credential" in context.text[e.start:e.end].lower() for e in o.evidence):
            hosts[o.state] += 1
    for index, o in enumerate(officials):
        if o.state is None and o.role != "igo_official":
            o.state = _state_from_context(context, index, o, sentences_of.get(index, []),
                                          consumed, officials, by_sentence, hints, embassies)
            if o.state is not None and o.state == o.host_state:
                # an envoy "to Lithuania" does not serve Lithuania, whatever the sentences
                # around name: the other of the report's pair, where there is one
                o.state = context.other_of_pair(o.state)
        if o.role in DIPLOMATIC and o.host_state is None and o.state:
            abroad = o.role == "ambassador" or not AT_HOME.search(o.position or "")
            host = first_host.get(o.state) or (next(
                (h for h, _ in hosts.most_common() if h != o.state), None) if abroad else None)
            o.host_state = host or (context.other_of_pair(o.state) if abroad else None) or (
                context.home_state if abroad and context.home_state != o.state else None) or (
                _only_other_place(context, o) if abroad else None)
        if o.host_state == o.state:
            o.host_state = None
        o.role = _career_secretary(o)
        o.role = _foreign_ministry_junior(context, o)
        if o.role == "igo_official" and o.state:
            o.role = "other_official" if o.organization is None else o.role


# the diplomat's post is at home, in the ministry: a spokesperson, a director, a department
AT_HOME = re.compile(r"spokes|director|ministry|department|head", re.I)


def _career_secretary(o) -> str | None:
    """Where a ministry's "Secretary" is its career head (South Asia), the Foreign
    Secretary is a deputy foreign minister and a Defence or Treasury Secretary a civil
    servant, not a minister; the state may be known only now, after inference."""
    position = o.position or ""
    if o.state not in _extra()["career_foreign_secretary"] or not position:
        return o.role
    if o.role == "foreign_minister" and re.search(r"foreign secretary", position, re.I):
        return "deputy_foreign_minister"
    if o.role == "minister" and re.search(r"\bsecretary\b", position, re.I) and not \
            re.search(r"minister|secretary of state|cabinet secretary", position, re.I):
        return "other_official"
    return o.role


def _foreign_ministry_junior(context: Context, o) -> str | None:
    """In a foreign ministry's own release, its state's deputy minister or state secretary
    whose title names no other ministry's field ("State Secretary A", "the Minister of State
    for the Diaspora") is that ministry's: a deputy foreign minister."""
    if o.role != "deputy_minister" or not o.state or o.state != context.outlet_state or \
            _extra()["other_fields"].search(o.position or "") or \
            not _extra()["foreign_ministry"].search(getattr(context.report, "source", "") or ""):
        return o.role
    return "deputy_foreign_minister"


def _only_other_place(context: Context, o) -> str | None:
    """The one other state whose places the envoy's sentences name ("the new Brazilian
    ambassador arrived in Lima"), where nothing else says where they serve."""
    found = set()
    for e in o.evidence:
        span = context.doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is not None:
            found.update(context.states_in(span, places_too=True))
    found.discard(o.state)
    return found.pop() if len(found) == 1 else None


def _state_from_context(context, index, o, sentences, consumed, officials, by_sentence, hints,
                        embassies):
    at_home = o.role in DIPLOMATIC and bool(AT_HOME.search(o.position or ""))
    if o.role in hints and not at_home:
        return hints[o.role]
    if o.role in DIPLOMATIC and not at_home:
        for state, _host in embassies:
            return state                      # (not a director at the ministry at home:
        #                                       the headline's envoy or an embassy's state)
    if at_home and o.role in DIPLOMATIC:
        capital = _said_in_a_capital(context, sentences) or \
            _framed_in_a_capital(context, sentences)
        if capital:
            return capital                    # "ministry spokesman X said in Seoul", "In
            #                                   Kiev, Foreign Ministry spokesman X welcomed"
    own = context.outlet_state
    if own and context.home_state and own != context.home_state and \
            context.state_counts.get(own) and \
            (o.role in DOMESTIC_ROLES or at_home) and \
            _faces_the_dateline(context, index, sentences, officials, by_sentence):
        return own                            # a national agency's story filed abroad: its
        #                                       own government's people go untold
    surname = _surname(o)
    fallback = None
    faced: set[str] = set()                   # the states of people the official deals with
    for start in sorted(sentences):
        sentence = context.doc[start].sent
        where = next((t.i for t in sentence if fold(t.text).endswith(surname)), sentence.start)
        framed_side = _side_framed(context, sentence, where)
        if framed_side:
            return framed_side                # "On the Maldivian side, the talks were
            #                                   attended by A, B and the Ambassador to C"
        near = [m for m in context.matches_in(sentence)
                if m.kind in ("name", "demonym", "metonym") and m.start not in consumed]
        free = sorted(((abs(m.start - where), m.key) for m in near if not _of_a_person(m)),
                      key=lambda pair: pair[0])
        tied = [pair for pair in free if pair[0] <= 6 and _tied(context, near, pair, where)] \
            or [pair for pair in free if _led_by(context, near, pair, where)] \
            or [pair for pair in free if _sent_by(context, near, pair, where)]
        if tied:
            return tied[0][1]                 # "… Adhikari led the Nepali side"
        # "Kamau met the Ugandan envoy": the state of someone else, so the other side
        theirs = sorted((abs(m.start - where), m.key) for m in context.matches_in(sentence)
                        if m.kind in ("name", "demonym", "metonym") and _of_a_person(m))
        if theirs and theirs[0][0] <= 6:
            faced.add(theirs[0][1])
        if theirs and theirs[0][0] <= 6 and o.role in DOMESTIC_ROLES + ("legislator",
                                                                      "other_official"):
            own = context.outlet_state
            if own and own != theirs[0][1] and context.state_counts.get(own):
                return own                    # a national outlet's own people go untold
            if context.other_of_pair(theirs[0][1]):
                return context.other_of_pair(theirs[0][1])
        others = [officials[i] for i in by_sentence[start] if i != index]
        if lexicon.titles().appointments.search(sentence.text):
            others = []                       # "A was appointed X, B Y": one government
        if has_parse(context.doc):
            # only someone the official deals with ("received the ambassador", "spoke with
            # the President of Chile"), not one the sentence names beside them ("announced
            # that Italy had recalled its ambassador to Egypt")
            others = [other for other in others
                      if _face_each_other(context, sentence, where, other)]
        for other in others:
            # received by a head of state: the host of the ambassador in the same sentence
            if other.role in DIPLOMATIC and other.host_state and o.role in DOMESTIC_ROLES:
                return other.host_state
            # an ambassador called in by a vice foreign minister: the other side's envoy
            if o.role == "ambassador" and other.role in DOMESTIC_ROLES and other.state and \
                    context.other_of_pair(other.state) and \
                    _acted_on_by(context, sentence, where, other):
                return context.other_of_pair(other.state)
        home = _home_side(context)
        for other in others:
            if other.state and _accompanies(context, sentence, where, other):
                return other.state            # "A is accompanied by the Minister of B"
        for other in others:
            # "President X spoke with the President of Chile, Y": the other side (two named
            # together, "X and Y discussed", are as often two sides: the coordination is no
            # better a clue): the reporting state where it is not the other's, else the
            # report's pair's other
            if other.state and o.role in DOMESTIC_ROLES:
                side = home if home and home != other.state else \
                    context.other_of_pair(other.state)
                if side:
                    return side
        if free and fallback is None:
            fallback = free[0][1]
    framed = _framed_in_a_capital(context, sentences)
    if framed and o.role in DOMESTIC_ROLES + ("legislator", "other_official"):
        return framed                         # "In Managua, Foreign Minister X rejected the
        #                                       note": the capital the sentence speaks from
    if faced and o.role in DOMESTIC_ROLES + ("legislator", "other_official"):
        # "President A received the Chilean foreign minister" in a report naming no other
        # state: not Chile's; the state the report is filed from, though it names it nowhere
        side = context.home_state if context.home_state not in faced else next(
            (s for s in context.main_pair if s not in faced), None)
        if side:
            return side
    # the outlet's own government, unless told; not where the report never names that state
    home = _home_side(context)
    if home and o.role in DOMESTIC_ROLES + ("legislator", "other_official"):
        if fallback and context.outlet_state is None and home not in context.main_pair and \
                context.filed_from_a_town:
            # a wire filed from a third country's town ("PUERTO IGUAZU, Argentina (Reuters)")
            # on two others: the state named beside the official, not the dateline's
            return fallback
        return home
    if fallback:
        return fallback
    if home:
        return home
    return context.main_pair[0] if context.main_pair else None


def _home_side(context) -> str | None:
    """The state a report is written from, where its people go untold: named in the report,
    or a government's or national agency's own release from home (a release of the Swiss
    foreign ministry, dated Bern, need not name Switzerland)."""
    home = context.home_state
    if home and (context.state_counts.get(home) or home == context.outlet_state and
                 getattr(context.report, "dateline_place", None)):
        return home                           # (a republished story is dated elsewhere)
    own = context.outlet_state
    if home is None and own and context.state_counts.get(own):
        return own                            # "ANKARA / CAIRO (AA) -": filed from two
        #                                       places, by the agency of one
    return None


def _said_in_a_capital(context, sentences) -> str | None:
    """The state whose capital the official's first sentence says they spoke in ("the
    ministry's spokesman said in Seoul")."""
    if not sentences:
        return None
    sentence = context.doc[min(sentences)].sent
    for m in context.matches_in(sentence):
        if m.kind == "capital" and m.start >= 2 and context.doc[m.start - 1].lower_ == "in" \
                and context.doc[m.start - 2].lemma_ in ("say", "tell", "announce"):
            return m.key
    return None


def _framed_in_a_capital(context, sentences) -> str | None:
    """The state whose capital opens the official's first sentence as its setting ("In
    Managua, Foreign Minister X rejected the note")."""
    if not sentences:
        return None
    sentence = context.doc[min(sentences)].sent
    first = sentence[0]
    if first.lower_ != "in":
        return None
    for m in context.matches_in(sentence):
        if m.kind == "capital" and m.start == first.i + 1 and m.end < sentence.end and \
                context.doc[m.end].text == ",":
            return m.key
    return None


def _faces_the_dateline(context, index, sentences, officials, by_sentence) -> bool:
    """Does the official's first sentence set the dateline's state across from them (its
    officials, "met his counterparts from Myanmar and Cambodia")? Then they are not its
    people ("BISHKEK (Interfax) - acting Foreign Minister X said" is Kyrgyzstan's)."""
    if not sentences:
        return False
    start = min(sentences)
    sentence = context.doc[start].sent
    home = context.home_state
    if any(officials[i].state == home for i in by_sentence.get(start, ()) if i != index):
        return True
    return "counterpart" in sentence.text.lower() and home in context.states_in(sentence)


def _surname(official) -> str:
    """The folded last word of the official's name ("" for none), as a sentence's tokens
    are matched against it."""
    words = fold(official.name).split()
    return words[-1] if words else ""


def _acted_on_by(context: Context, sentence: Span, where: int, other) -> bool:
    """Is the official at `where` the object of a verb whose subject names `other`
    ("Choo called in Ambassador Ogasawara", "the minister received Ambassador A")?"""
    if not has_parse(context.doc):
        return False
    surname = _surname(other)
    t, objected = context.doc[where], False
    for _ in range(6):
        if t.dep_ in ("dobj", "pobj"):
            objected = True
        if t.pos_ == "VERB" or t.head.i == t.i:
            break
        t = t.head
    if not objected or t.pos_ != "VERB":
        return False
    return any(c.dep_ == "nsubj" and any(fold(w.text).endswith(surname) for w in c.subtree)
               for c in t.children) if surname else False


def _face_each_other(context: Context, sentence: Span, where: int, other) -> bool:
    """Do the official named at token `where` and `other` (named in the same sentence) deal
    with each other in it ("received the ambassador", "spoke with the President of Chile"),
    rather than stand in two clauses of it ("Italy recalled its ambassador to Egypt, A, the
    Foreign Minister B announced")? Told by the parse: no clause boundary (a clausal
    complement, adverbial or relative clause) on the way from either name to the word that
    joins them."""
    doc = context.doc
    surname = _surname(other)
    theirs = next((t for t in sentence if fold(t.text).endswith(surname) and t.i != where),
                  None) if surname else None
    if theirs is None:
        return True                           # not found: as before, no clue against it
    mine = doc[where]
    # (a title may stand for its holder in the list: "A, Defence Secretary B and Treasury
    # Secretary C", where the parser joins the last title, not the last name)
    heads = lexicon.titles().head_words
    listed = {t.i for t in mine.conjuncts if t.ent_type_ == "PERSON"}
    listed |= {t.i for t in mine.conjuncts if t.lower_ in heads and
               not any(i in listed or i == mine.i for i in range(t.i + 1, t.i + 6))}
    #                                           (a title before a listed name is that one)
    if theirs.i in listed and len(listed) >= 2:
        return False                          # three or more people listed together
        #                                       ("officials including A, B, C and D"): one
        #                                       side's (two named together are as often two
        #                                       sides: "signed by A and B")
    if _speak_together(mine, theirs):
        return False                          # "A, and the minister for X, B, said"
    up_theirs = {t.i for t in [theirs] + list(theirs.ancestors)}
    common = next((t for t in [mine] + list(mine.ancestors) if t.i in up_theirs), None)
    if common is None:
        return False

    def crosses(token) -> bool:
        t = token
        while t.i != common.i and t.head.i != t.i:
            if t.dep_ in CLAUSES:
                return True
            t = t.head
        return False
    return not crosses(mine) and not crosses(theirs)


CLAUSES = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "xcomp"}


def _speak_together(mine, theirs) -> bool:
    """Do the two names stand in one subject of a verb of saying ("The foreign minister, A,
    and the minister for the Pacific, B, said")?"""
    def subject(t):
        while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
            if t.dep_ == "nsubj":
                return t
            t = t.head
        return None
    a, b = subject(mine), subject(theirs)
    return a is not None and b is not None and a.i == b.i and \
        a.head.lemma_ in lexicon.titles().saying_verbs


def _side_framed(context: Context, sentence, where: int) -> str | None:
    """The side a sentence sets the official on: the last "on the Maldivian side" before them
    ("On the Maldivian side, the talks were attended by A, B and the Ambassador to C";
    "attended, on the Egyptian side, by A and B, and on the Sudanese side by C"), not a place
    ("on the Egyptian side of the border")."""
    doc = context.doc
    side = None
    for token in sentence:
        if token.i + 3 >= sentence.end or token.i >= where:
            break
        if token.lower_ not in ("on", "from", "for") or doc[token.i + 1].lower_ != "the":
            continue
        match = context.match_at(token.i + 2)
        if match is None or match.kind == "organization" or match.end + 1 >= len(doc) or \
                doc[match.end].lower_ != "side" or doc[match.end + 1].lower_ == "of":
            continue
        side = match.key
    return side


def _led_by(context: Context, near, pair, where: int) -> bool:
    """"the Bangladeshi delegation was headed by A": the state of the passive's subject is
    its agent's, however long the title between them."""
    doc = context.doc
    if not has_parse(doc):
        return False
    match = next(m for m in near if abs(m.start - where) == pair[0] and m.key == pair[1])
    for t in [doc[where]] + list(doc[where].ancestors)[:3]:
        if t.lower_ == "by" and t.i > 1 and doc[t.i - 1].text in ("'s", "’s") and \
                context.match_at(t.i - 2) is not None:
            # "A's delegation was led by X and B's by Y": the possessive before the second
            # "by" stands for its own, unsaid, delegation
            verb = next((a for a in t.ancestors if a.pos_ == "VERB"), None)
            return context.match_at(t.i - 2).key == match.key and verb is not None and \
                verb.lemma_ in _extra()["leading_verbs"]
        if t.dep_ == "agent":
            # led, not met: "the Chinese delegation was received by A" is the other side
            return t.head.lemma_ in _extra()["leading_verbs"] and any(
                match.start in {x.i for x in c.subtree} for c in t.head.children
                if c.dep_ == "nsubjpass")
    return False


def _accompanies(context: Context, sentence: Span, where: int, other) -> bool:
    """Is one of the two officials the agent of "accompanied by" ("joined by") the other, so
    that both serve one side? Told by the parse."""
    doc = context.doc
    if not has_parse(doc):
        return False
    # any word of their name but the first, or of its other forms ("Secretary Meade")
    forms = {w for f in [other.name, *other.aliases] for w in fold(f).split()[1:]} | \
        {fold(f).split()[-1] for f in other.aliases if fold(f)}
    theirs = next((t.i for t in sentence if fold(t.text) in forms), None)
    if theirs is None:
        return False
    for agent_at, subject_at in ((where, theirs), (theirs, where)):
        for t in [doc[agent_at]] + list(doc[agent_at].ancestors)[:3]:
            if t.dep_ == "agent":
                if t.head.lemma_ in _extra()["accompanying_verbs"] and any(
                        subject_at in {x.i for x in c.subtree} for c in t.head.children
                        if c.dep_ == "nsubjpass"):
                    return True
                break
    return False


def _sent_by(context: Context, near, pair, where: int) -> bool:
    """"Brazil sent presidential adviser A as an observer": the sender's, however long the
    title between them."""
    doc = context.doc
    if not has_parse(doc):
        return False
    match = next(m for m in near if abs(m.start - where) == pair[0] and m.key == pair[1])
    word = doc[where]
    for _ in range(4):
        if word.dep_ == "dobj" and word.head.lemma_ in _extra()["sending_verbs"]:
            return any(c.dep_ == "nsubj" and match.start in {t.i for t in c.subtree}
                       for c in word.head.children)
        if word.head.i == word.i or word.dep_ not in ("compound", "appos", "flat"):
            break
        word = word.head
    return False


def _tied(context: Context, near, pair, where: int) -> bool:
    """Is the state named near an official's name said of them: in the phrase that names
    them, or in the object of the verb they are the subject of ("Adhikari led the Nepali
    side")? Not a state that qualifies another thing on another branch ("conveyed the
    greetings of the Tanzanian leadership to President A"). Without the parse, nearness
    alone."""
    doc = context.doc
    if not has_parse(doc):
        return True
    match = next(m for m in near if abs(m.start - where) == pair[0] and m.key == pair[1])
    state, name = doc[match.start], doc[where]
    # (not a conjunct's: "headed by A and the Egyptian side by B"; nor what a clause on the
    # name tells: "Prime Minister A, who asked for Italian support")
    own_phrase = {t.i for t in name.subtree} - {t.i for c in name.children
                                               if c.dep_ in ("conj", "relcl")
                                               for t in c.subtree}
    if state.i in own_phrase or name.i in {t.i for t in state.subtree}:
        return True
    for t in [name] + list(name.ancestors)[:3]:
        if t.dep_ == "agent":
            if t.head.lemma_ not in _extra()["leading_verbs"] and any(
                    state.i in {x.i for x in c.subtree} for c in t.head.children
                    if c.dep_ == "nsubjpass"):
                return False          # "the Bangladeshi delegation was received by A"
            break
    # the name, or the phrase it stands in, up to the clause's verb; then down its objects
    word = name
    for _ in range(4):
        if word.dep_ in ("nsubj", "nsubjpass") or word.head.i == word.i:
            break
        word = word.head
    verb = word.head if word.dep_ in ("nsubj", "nsubjpass") else None
    if verb is None:
        return False
    if verb.lemma_ in _extra()["dealing_verbs"]:
        return False                  # "A will visit Kenya", "A received the Chinese envoy"
    def through_a_place(child) -> bool:
        """Is the state in the object only as where it goes ("paid a visit to Paraguay")?"""
        t = state
        while t.i != child.i and t.head.i != t.i:
            if t.dep_ == "pobj" and t.head.lower_ in ("to", "in", "at", "into", "from", "with"):
                return True
            t = t.head
        return False

    if any(state.i in {t.i for t in child.subtree} and not through_a_place(child)
           for child in verb.children
           if (child.dep_ in ("dobj", "attr") or
               child.dep_ == "prep" and child.lower_ in ("for", "of", "on")) and
           child.i != word.i):
        return True                   # not "flew to France", "met in Moscow": others' states
    # "Prime Minister A told reporters that Turkey had acted ...": the speaker's state, named
    # as the subject of what they say (not "said the Ethiopian side had refused")
    return state.dep_ == "nsubj" and state.head.dep_ == "ccomp" and state.head.head.i == verb.i \
        and match.kind == "name"


def _of_a_person(match) -> bool:
    """Does the state name qualify another office holder acted on ("met the Ugandan envoy",
    "with his Lao counterpart") rather than a side or a thing ("led the Nepali side")?"""
    head = match.span.root.head
    if head.i == match.span.root.i or match.span.root.dep_ not in ("amod", "compound", "poss",
                                                                   "nmod"):
        return False
    nouns = lexicon.titles().person_nouns
    # only someone acted on: "Colombian officials said [A would ...]" speak for A's side
    return (head.lower_ in nouns or head.lemma_.lower() in nouns) and \
        head.dep_ in ("dobj", "pobj", "dative")


def _embassies(context: Context) -> list[tuple[str, str | None]]:
    """(state, host) of each embassy the report names: "the Embassy of A in B", "A's embassy
    in B", "the A Embassy"."""
    doc = context.doc
    out = []
    for i, lower in enumerate(lowers_of(doc)):
        if lower not in ("embassy", "mission", "high commission"):
            continue
        token = doc[i]
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


# ---------------------------------------------------------------- pronouns

SUBJECT_PRONOUNS = frozenset({"he", "she"})
TELLING = frozenset({"refer", "mention", "recall", "point", "explain", "describe"})


def pronoun_referents(context: Context, officials: list[Official],
                      people_by_sentence: dict[int, set[int]]) -> dict[int, dict[int, int]]:
    """"Minister Vinh paid a courtesy call on the Sultan. Yesterday evening he held talks with
    the Chinese minister": a subject "he" or "she" in a sentence whose subject is no named
    official stands for the official who was the subject before. Adds them to the sentence's
    people (`people_by_sentence`, in place) and returns, for each such sentence (by its first
    token), the official's index and the pronoun's token."""
    if not has_parse(context.doc):
        return {}
    out: dict[int, dict[int, int]] = {}
    previous: int | None = None               # the official last told as a subject
    for sentence in context.sentences:
        named = people_by_sentence.get(sentence.start, set())
        subject = next((i for i in sorted(named) if _told_as_subject(sentence, officials[i])),
                       None)
        # (not a speaker: "he was referring to the ban on ... with Iran" deals with no one)
        pronoun = next((t for t in sentence if t.lower_ in SUBJECT_PRONOUNS and
                        t.dep_ in ("nsubj", "nsubjpass") and
                        t.head.lemma_ not in lexicon.titles().saying_verbs | TELLING), None)
        if subject is None and pronoun is not None and previous is not None and \
                previous not in named:
            people_by_sentence[sentence.start] = named | {previous}
            out.setdefault(sentence.start, {})[previous] = pronoun.i
            subject = previous
        if subject is not None:
            previous = subject
        elif named or _an_unnamed_subject(sentence):
            previous = None                   # others told since: "he" is no longer plain
            #                                   ("The American President arrived ...")
    return out


def _an_unnamed_subject(sentence: Span) -> bool:
    """Is the sentence's subject a person told by title alone ("The American President")?"""
    subject = next((c for c in sentence.root.children if c.dep_ in ("nsubj", "nsubjpass")),
                   None)
    return subject is not None and subject.lower_ in lexicon.titles().person_nouns and \
        subject.ent_type_ != "PERSON"


def _told_as_subject(sentence: Span, official: Official) -> bool:
    word = name_token(sentence, official)
    for _ in range(3):
        if word is None:
            return False
        if word.dep_ in ("nsubj", "nsubjpass"):
            return True
        if word.dep_ not in ("compound", "flat", "appos") or word.head.i == word.i:
            return False
        word = word.head
    return False


def name_token(sentence: Span, official: Official) -> Token | None:
    """Where a sentence names an official: the last word of a name or alias of theirs."""
    forms = [official.name] + list(official.aliases or [])
    lasts = {f.split()[-1] for f in forms if f and f.split()}
    firsts = {w for f in forms for w in f.split() if len(w) > 2 and w[:1].isupper()}
    for token in sentence:
        if token.text in lasts:
            return token
    for token in sentence:
        if token.text in firsts:
            return token
    return None
