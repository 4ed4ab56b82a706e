"""Entity resolution's rules, one behaviour at a time (kg/resolution.py).

Written against the mutants that tests/test_resolution_mapping.py (whole reports through the
pipeline) let survive: each test states a rule of docs/testing.md's "what resolution must do".
Facts are built by hand, so no extractor is involved; the store tests write the mapped graphs
to an in-memory Oxigraph store, as ingest does.
"""
from __future__ import annotations

import datetime

import pytest

from kg import vocabulary as v
from kg.facts import Agreement, Event, Evidence, Extraction, Official
from kg.mapping import report_graph
from kg.reports import Report
from kg.resolution import Resolver, _merge_same_nodes, given_names_agree, name_key, skeleton, words
from kg.store import Store


# ------------------------------------------------------------ names and keys

def test_words_are_lower_case_ascii_whatever_the_script_or_case():
    assert words("GISMAT Gözälov") == ["gismat", "gozalov"]
    assert words("Ilham Heydar oglu Aliyev") == ["ilham", "heydar", "oglu", "aliyev"]


def test_skeleton_keeps_the_first_letter_and_drops_later_vowels():
    assert skeleton("gozalov") == skeleton("gezalov") == "gzlv"
    assert skeleton("aliyev") == "alv"      # the first letter stays even if a vowel


def key(name, state="AZE", organization=None):
    return name_key(Official(name=name, role="x", state=state, organization=organization))


def test_name_key_is_owner_surname_skeleton_and_given_initial():
    assert key("Elnur Aliyev") == "AZE|alv|e"
    # the surname is the last word, the initial the first, particles left out
    assert key("Gismat Fuzuli oglu Gozalov") == "AZE|gzlv|g"
    assert key("Gismat Gozalov") == key("Gismet Gezalov")


def test_a_surname_alone_has_no_initial():
    assert key("Gozalov") == "AZE|gzlv|"
    # a particle is not a given name
    assert key("Al Sabah", state="KWT") == "KWT|sbh|"


def test_a_name_of_particles_or_of_no_letters_still_has_a_key():
    assert key("Al") == "AZE|al|"
    assert key("—") == "AZE|x|"


def test_the_owner_is_the_state_else_the_organization_else_none():
    assert key("Antonio Guterres", state=None, organization="United Nations") == \
        "IGO-united-nations|gtrrs|a"
    assert key("Antonio Guterres", state=None) == "NONE|gtrrs|a"
    assert key("Antonio Guterres", state="PRT", organization="United Nations") == "PRT|gtrrs|a"


@pytest.mark.parametrize("a, b", [
    ("Gozalov", "Gismat Gozalov"),            # a surname alone agrees with any given name
    ("Gismat Gozalov", "Gozalov"),
    ("Aliyev", "Elnur Aliyev"),
    ("I. Aliyev", "Ilham Aliyev"),            # an initial agrees with its name
    ("Ilham Aliyev", "I. Aliyev"),
    ("Aliyu Bello", "Aleye Bello"),           # same consonants (ratio only 0.6)
    ("Aleksandr Ivanov", "Alexander Ivanov"),  # close spelling (other consonants)
    ("Olga Ivanova", "Olha Ivanova"),         # exactly the 0.75 threshold
    ("Gismat oglu Gozalov", "Gismat Gozalov"),
])
def test_given_names_that_agree(a, b):
    assert given_names_agree(a, b)


@pytest.mark.parametrize("a, b", [
    ("Ilham Aliyev", "Elnur Aliyev"),
    ("Ilham Aliyev", "Ismail Aliyev"),        # same initial, different name
    ("E. Aliyev", "Ilham Aliyev"),
    ("Ilham Aliyev", "E. Aliyev"),
])
def test_given_names_that_do_not(a, b):
    assert not given_names_agree(a, b)


# ------------------------------------------------------------ the resolver

def official(name, state="AZE"):
    return Official(name=name, role="ambassador", state=state)


def agreement(title, parties, kind="memorandum"):
    return Agreement(title=title, kind=kind, parties=list(parties))


@pytest.fixture
def resolver():
    with Store.memory() as store:
        yield Resolver(store)


def resolve(resolver, officials=(), agreements=()):
    """Resolves one report's facts and adds them to the index, as ingest does."""
    extraction = Extraction(officials=list(officials), agreements=list(agreements))
    resolver.resolve(None, extraction)
    resolver.add(extraction)
    return extraction


def iri_of(resolver, name, state="AZE"):
    return resolve(resolver, [official(name, state)]).officials[0].iri


def test_spellings_and_surname_alone_resolve_to_the_first_person(resolver):
    first = iri_of(resolver, "Gismat Gozalov")
    assert first == v.person_iri("gismat-gozalov")
    assert iri_of(resolver, "Gismet Gezalov") == first
    assert iri_of(resolver, "Gozalov") == first


def test_another_given_name_is_another_person_even_if_spelled_alike(resolver):
    elham = iri_of(resolver, "Elham Aliyev")
    assert iri_of(resolver, "Ilham Aliyev") != elham     # initials differ: E, I


def test_a_surname_alone_fitting_two_persons_is_a_node_of_its_own_and_stays_one(resolver):
    ilham, elnur = iri_of(resolver, "Ilham Aliyev"), iri_of(resolver, "Elnur Aliyev")
    alone = iri_of(resolver, "Aliyev")
    assert alone not in (ilham, elnur)
    # the next bare "Aliyev" is that node again, not aliyev-2
    assert iri_of(resolver, "Aliyev") == alone == v.person_iri("aliyev")


def test_an_initial_fitting_two_persons_goes_to_the_first_in_iri_order(resolver):
    ilkin, ilham = iri_of(resolver, "Ilkin Aliyev"), iri_of(resolver, "Ilham Aliyev")
    assert ilham != ilkin
    assert iri_of(resolver, "I. Aliyev") == min(ilham, ilkin)


def test_same_name_serving_another_state_gets_a_numbered_iri(resolver):
    aze = iri_of(resolver, "Ilham Aliyev", "AZE")
    tur = iri_of(resolver, "Ilham Aliyev", "TUR")
    assert aze == v.person_iri("ilham-aliyev")
    assert tur == v.person_iri("ilham-aliyev-2")
    assert iri_of(resolver, "Ilham Aliyev", "GEO") == v.person_iri("ilham-aliyev-3")
    assert iri_of(resolver, "Ilham Aliyev", "TUR") == tur


MOU = "Memorandum of Understanding on Energy Cooperation"


def agreement_iri(resolver, title, parties, kind="memorandum"):
    return resolve(resolver, agreements=[agreement(title, parties, kind)]).agreements[0].iri


def test_an_agreement_gets_a_readable_iri_of_title_and_parties(resolver):
    assert agreement_iri(resolver, MOU, ["LVA", "AZE"]) == \
        v.agreement_iri("memorandum-of-understanding-on-energy-cooperation-aze-lva")


def test_a_long_title_is_cut_to_90_characters(resolver):
    title = "Agreement between the Government of the Republic of Azerbaijan and the " \
            "Government of the Republic of Latvia on Cooperation in Education"
    expected = v.slug(title + " aze lva", limit=90)
    assert len(expected) == 90
    assert agreement_iri(resolver, title, ["AZE", "LVA"]) == v.agreement_iri(expected)


def test_an_agreement_without_parties_gets_its_title_and_is_never_merged(resolver):
    first = agreement_iri(resolver, "Paris Agreement", [], kind="agreement")
    assert first == v.agreement_iri("paris-agreement")
    assert agreement_iri(resolver, "Paris Agreement", [], kind="agreement") == \
        v.agreement_iri("paris-agreement-2")


@pytest.mark.parametrize("title", [
    MOU,
    "Memorandum on Energy Cooperation",                       # 4 of 6 words (char ratio 0.79)
    "Memoranda of Understanding on Energy Co-operation",      # 4 of 9 words (char ratio 0.96)
])
def test_a_close_title_of_the_same_kind_and_parties_is_the_same_agreement(resolver, title):
    stored = agreement_iri(resolver, MOU, ["AZE", "LVA"])
    assert agreement_iri(resolver, title, ["LVA", "AZE"]) == stored


def test_one_party_agreements_are_resolved_too(resolver):
    stored = agreement_iri(resolver, "Action Plan on Energy", ["AZE"], kind="action_plan")
    assert agreement_iri(resolver, "Action Plan on Energy", ["AZE"], kind="action_plan") == stored


def test_other_kind_other_parties_or_other_title_is_another_agreement(resolver):
    stored = agreement_iri(resolver, "Agreement on Visa Exemption", ["AZE", "TUR"], "agreement")
    assert agreement_iri(resolver, "Agreement on Visa Exemption", ["AZE", "TUR"], "treaty") \
        != stored
    assert agreement_iri(resolver, "Agreement on Visa Exemption", ["AZE", "LVA"], "agreement") \
        != stored
    assert agreement_iri(resolver, "Agreement on Air Services", ["AZE", "TUR"], "agreement") \
        != stored


def test_a_fitting_agreement_is_found_after_others_of_the_same_party(resolver):
    visa = agreement_iri(resolver, "Agreement on Visa Exemption", ["AZE", "TUR"], "agreement")
    air = agreement_iri(resolver, "Agreement on Air Services", ["AZE", "LVA"], "agreement")
    assert air < visa    # so the non-fitting one is looked at first
    assert agreement_iri(resolver, "Agreement on Visa Exemption", ["TUR", "AZE"],
                         "agreement") == visa


def test_an_agreement_resolves_to_the_first_fit_in_iri_order(resolver):
    # two stored agreements fit; the choice must not depend on the order they were added
    a = agreement_iri(resolver, "Energy Memorandum", ["AZE", "LVA"])
    b = resolve(resolver, agreements=[agreement("Energy Memorandum of 2024", ["AZE", "LVA"])])
    b = b.agreements[0].iri
    assert b == a


# ------------------------------------------------------------ one report's duplicates

def ev(start):
    return Evidence(start, start + 10)


def person(name, role, **kw):
    """An official as resolve() leaves it: with its name key."""
    o = Official(name, role, **kw)
    o.name_key = name_key(o)
    return o


def test_two_mentions_of_one_person_in_a_report_become_one_official():
    short = person("Gozalov", "ambassador", state="AZE", evidence=[ev(0)], iri="p:g")
    full = person("Gismat Gozalov", "ambassador", state=None, host_state="LVA",
                    aliases=["G. Gozalov"], evidence=[ev(0), ev(20)], iri="p:g")
    other = person("Edgars Rinkevics", "president", state="LVA", iri="p:r")
    extraction = Extraction(officials=[short, other, full],
                            events=[Event("meeting", persons=[0, 1, 2])])
    _merge_same_nodes(extraction)
    assert [o.name for o in extraction.officials] == ["Gismat Gozalov", "Edgars Rinkevics"]
    merged = extraction.officials[0]
    assert merged.aliases == ["Gozalov", "G. Gozalov"]      # the longest name is the name
    assert merged.state == "AZE" and merged.host_state == "LVA"   # each filled from either
    assert merged.evidence == [ev(0), ev(20)]
    # events point at the kept officials, each once
    assert extraction.events[0].persons == [0, 1]


def test_a_shorter_or_equal_later_name_becomes_an_alias():
    first = person("Gismat Gozalov", "ambassador", state="AZE", iri="p:g")
    same = person("Gismat Gozalov", "ambassador", state="AZE", iri="p:g")
    short = person("G. Gozalov", "ambassador", state="AZE", iri="p:g")
    extraction = Extraction(officials=[first, same, short])
    _merge_same_nodes(extraction)
    assert len(extraction.officials) == 1
    assert extraction.officials[0].name == "Gismat Gozalov"
    assert extraction.officials[0].aliases == ["G. Gozalov"]


def test_same_length_names_keep_the_first():
    a = person("Gismat Gozalov", "ambassador", state="AZE", iri="p:g")
    b = person("Gismet Gezalov", "ambassador", state="AZE", iri="p:g")
    extraction = Extraction(officials=[a, b])
    _merge_same_nodes(extraction)
    assert extraction.officials[0].name == "Gismat Gozalov"
    assert extraction.officials[0].aliases == ["Gismet Gezalov"]


def test_nothing_merged_leaves_the_events_alone():
    a = person("Gismat Gozalov", "ambassador", state="AZE", iri="p:g")
    b = person("Edgars Rinkevics", "president", state="LVA", iri="p:r")
    event = Event("meeting", persons=[1, 0, 1])
    extraction = Extraction(officials=[a, b], events=[event])
    _merge_same_nodes(extraction)
    assert extraction.officials == [a, b] and event.persons == [1, 0, 1]


def test_two_mentions_of_one_agreement_become_one_with_the_most_advanced_status():
    a = Agreement("Energy MoU", "memorandum", status="under_negotiation", parties=["AZE"],
                  evidence=[ev(0)], iri="a:1")
    other = Agreement("Visa Agreement", "agreement", parties=["AZE", "TUR"], iri="a:2")
    b = Agreement("Energy Memorandum", "memorandum", status="signed", parties=["AZE", "LVA"],
                  date="2024-04-30", place="Riga", evidence=[ev(0), ev(30)], iri="a:1")
    c = Agreement("Energy MoU", "memorandum", status="proposed", parties=["LVA"],
                  date="2023", place="Baku", iri="a:1")
    extraction = Extraction(agreements=[a, other, b, c])
    _merge_same_nodes(extraction)
    assert extraction.agreements == [a, other]
    assert a.title == "Energy MoU"
    assert a.parties == ["AZE", "LVA"]
    assert a.status == "signed"
    assert (a.date, a.place) == ("2024-04-30", "Riga")     # the first known
    assert a.evidence == [ev(0), ev(30)]


# ------------------------------------------------------------ the index read from a store

def write(store, resolver, rid, officials=(), agreements=()):
    """One report's facts resolved, mapped and stored, as ingest does."""
    report = Report(id=rid, text="x" * 200, published=datetime.date(2024, 5, 1))
    extraction = Extraction(officials=list(officials), agreements=list(agreements))
    resolver.resolve(report, extraction)
    store.replace_report(rid, report_graph(report, extraction))
    resolver.add(extraction)
    return extraction


def test_an_index_read_from_the_store_resolves_as_the_one_built_report_by_report():
    with Store.memory() as store:
        built = Resolver(store)
        x = write(store, built, "r1", [official("Gismat Gozalov"), official("Ilham Aliyev")],
                  [agreement(MOU, ["AZE", "LVA"])])
        write(store, built, "r2", [official("Ilham Aliyev", "TUR")])
        gozalov, aliyev, mou = x.officials[0].iri, x.officials[1].iri, x.agreements[0].iri

        loaded = Resolver(store)      # a later run: everything comes from the store
        y = resolve(loaded, [official("Gismet Gezalov"), official("Ilham Aliyev", "GEO")],
                    [agreement("Memorandum on Energy Cooperation", ["LVA", "AZE"])])
        assert y.officials[0].iri == gozalov
        assert y.officials[1].iri == v.person_iri("ilham-aliyev-3")   # -1 and -2 are taken
        assert y.agreements[0].iri == mou
        # a title of another agreement kind does not match the stored one's
        z = resolve(loaded, agreements=[agreement(MOU, ["AZE", "LVA"], kind="treaty")])
        assert z.agreements[0].iri != mou
        assert aliyev == v.person_iri("ilham-aliyev")


def test_reload_forgets_the_nodes_of_a_removed_report():
    with Store.memory() as store:
        resolver = Resolver(store)
        write(store, resolver, "r0", [official("Elnur Aliyev")])
        x = write(store, resolver, "r1", [official("Ilham Aliyev")],
                  [agreement(MOU, ["AZE", "LVA"])])
        old = resolver.nodes_of("r1")
        assert old == {x.officials[0].iri, x.agreements[0].iri}
        store.remove_report("r1")
        resolver.reload(old)
        # the IRIs are free again, and nothing resolves to the removed nodes
        y = resolve(resolver, [official("Ilham Aliyev", "TUR")],
                    [agreement("Memorandum on Energy Cooperation", ["AZE", "LVA"])])
        assert y.officials[0].iri == v.person_iri("ilham-aliyev")
        assert y.agreements[0].iri != x.agreements[0].iri
        # the freed IRI now names Turkey's Ilham Aliyev: Azerbaijan's old key must not lead there
        assert iri_of(resolver, "Ilham Aliyev", "AZE") == v.person_iri("ilham-aliyev-2")
        assert iri_of(resolver, "E. Aliyev") == v.person_iri("elnur-aliyev")
        # the kept report's nodes are still known after a reload
        resolver.reload(resolver.nodes_of("r0"))
        assert iri_of(resolver, "E. Aliyev") == v.person_iri("elnur-aliyev")


def test_reload_before_any_load_reads_nothing():
    class Counting:
        calls = 0

        def select(self, sparql):
            Counting.calls += 1
            return []
    resolver = Resolver(Counting())
    resolver.reload({"http://example.org/x"})
    assert Counting.calls == 0
    resolve(resolver, [official("Ilham Aliyev")])
    resolve(resolver, [official("Elnur Aliyev")])
    calls = Counting.calls
    assert calls > 0
    resolve(resolver, [official("Elnur Aliyev")])      # loaded once, then kept
    assert Counting.calls == calls


def test_titles_sharing_three_of_five_words_are_one_agreement(resolver):
    # word overlap exactly 0.6, the threshold; the characters alone (0.78) would not do
    stored = agreement_iri(resolver, "Agreement on Visa Exemption", ["AZE", "TUR"], "agreement")
    assert agreement_iri(resolver, "Agreement on Visa Liberalisation", ["AZE", "TUR"],
                         "agreement") == stored


def test_one_word_titles_with_that_word_are_one_agreement(resolver):
    # the same single word (overlap 1.0), though the characters differ much (0.63)
    stored = agreement_iri(resolver, "Treaty", ["AZE", "LVA"], "treaty")
    assert agreement_iri(resolver, "Treaty (1992)", ["AZE", "LVA"], "treaty") == stored


def test_a_misspelt_title_at_the_character_threshold_is_the_same_agreement(resolver):
    # 17 of 20 characters match (ratio exactly 0.85); one word of five in common
    stored = agreement_iri(resolver, "Memorandum on Energy", ["AZE", "LVA"])
    assert agreement_iri(resolver, "Memorendum on Enargi", ["AZE", "LVA"]) == stored


def test_a_bare_surname_does_not_make_a_namesake_the_same_person(resolver):
    ilham = iri_of(resolver, "Ilham Aliyev")
    assert iri_of(resolver, "Aliyev") == ilham        # the only Aliyev known: right
    assert iri_of(resolver, "Elnur Aliyev") != ilham


def test_azerbaijani_spelling_has_the_key_of_its_transliteration():
    assert key("Elmar Məmmədyarov") == key("Elmar Mammadyarov")


def test_a_bare_surname_shared_by_several_stored_people_merges_with_none(resolver):
    # "Ambassador Aliyev" with two Aliyevs of the state stored: which one is unknown, so a
    # person of its own rather than whichever was stored first
    ilham, elnur = iri_of(resolver, "Ilham Aliyev"), iri_of(resolver, "Elnur Aliyev")
    assert ilham != elnur
    bare = iri_of(resolver, "Aliyev")
    assert bare not in (ilham, elnur)
    # a full name still finds its own person afterwards
    assert iri_of(resolver, "Elnur Aliyev") == elnur and iri_of(resolver, "Ilham Aliyev") == ilham


def test_a_merged_person_never_gets_a_host_state_equal_to_their_state():
    # a president named again next to another state's envoy title: the second mention
    # (an envoy of Turkey to Mongolia) must not leave the Mongolian president "hosted" by
    # Mongolia, which the shapes refuse (the whole report would be lost)
    president = person("Tsend Munkh-Ochir", "head_of_state", state="MNG", iri="p:m")
    misread = person("Tsend Munkh-Ochir", "ambassador", state="TUR", host_state="MNG",
                     iri="p:m")
    extraction = Extraction(officials=[president, misread])
    _merge_same_nodes(extraction)
    [merged] = extraction.officials
    assert merged.state == "MNG" and merged.host_state is None
