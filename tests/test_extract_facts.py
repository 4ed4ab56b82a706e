"""States, dates, agreements, events and relations as a careful reader extracts them
(/work/shared/spec/gold-format.md), on invented reports read as in real use."""
from __future__ import annotations

import pytest

from kg.extraction import extract
from kg.reports import Report

from helpers import written_report

# 2024-05-08 is a Wednesday: "on Tuesday" is 2024-05-07, "yesterday" too.
PUBLISHED = "2024-05-08"


def report(tmp_path, body: str, *, published: str | None = PUBLISHED, title: str = "Talks",
           rid: str = "test-report") -> Report:
    return written_report(tmp_path, rid, body, title=title, published=published or None,
                          source="Test Wire", url=f"https://example.org/{rid}")


def facts(tmp_path, body: str, **kw):
    return extract(report(tmp_path, body, **kw))


def states(x) -> list[str]:
    return sorted(s.iso3 for s in x.states)


def relations(x) -> dict[tuple[str, str], set[str]]:
    return {r.states: set(r.polarities) for r in x.relations}


def only(items, kind=None):
    chosen = [i for i in items if kind is None or i.kind == kind]
    assert len(chosen) == 1, chosen
    return chosen[0]


# ---------------------------------------------------------------- states

def test_names_demonyms_and_a_capital_for_its_government(tmp_path):
    x = facts(tmp_path, "Moscow said on Tuesday it would respond to the sanctions announced by "
                        "Canada, as Norwegian and Finnish officials urged restraint.")
    assert states(x) == ["CAN", "FIN", "NOR", "RUS"]


def test_a_city_that_is_only_a_location_brings_no_state(tmp_path):
    x = facts(tmp_path, "Delegations of Armenia and Azerbaijan held talks in Geneva on Monday. "
                        "The Treaty on Peace and Interstate Relations was initialled in "
                        "Washington last year.")
    assert states(x) == ["ARM", "AZE"]


@pytest.mark.parametrize("text,expected", [
    # Iceland's own name without its accent is an English word
    ("The President of Palau was invited to the Pacific Island Leaders Meeting in Tokyo "
     "with Japan's Prime Minister.", ["JPN", "PLW"]),
    # Dominica's name in French is a given name
    ("Dominique Arnaud, the French ambassador to Chile, met Chile's foreign minister.",
     ["CHL", "FRA"]),
])
def test_a_native_name_that_english_uses_otherwise_names_no_state(tmp_path, text, expected):
    assert states(facts(tmp_path, text)) == expected


def test_a_capital_written_as_an_english_adjective_is_no_government(tmp_path):
    assert states(facts(tmp_path, "Male delegates from Kenya met Ugandan officials.")) == \
        ["KEN", "UGA"]
    assert states(facts(tmp_path, "Kenya's foreign minister arrived in Male on Monday for "
                                  "talks with Maldivian officials.")) == ["KEN", "MDV"]


@pytest.mark.parametrize("text", [
    # a state's money
    "Trade between Peru and Chile reached 230 million US dollars last year.",
    "Peru said it would pay Chile 40 million Canadian dollars.",
    # a region or a body named with a state's word
    "The leaders of Peru and Chile met at the Ibero-American Summit.",
    "Peru and Chile discussed the summit of the States Parties of the treaty.",
    # a city named after a state, not its capital
    "The foreign ministers of Peru and Chile met in Belize City on Monday.",
    "Peru and Chile signed a trade accord in Benin City.",
    # a sea named after a state
    "Peru and Chile signed a treaty on fisheries in the Gulf of Finland.",
])
def test_a_states_word_in_a_money_a_region_or_a_sea_names_no_state(tmp_path, text):
    assert states(facts(tmp_path, text)) == ["CHL", "PER"]


def test_a_state_before_a_verb_spelled_as_a_money_is_still_named(tmp_path):
    assert states(facts(tmp_path, "Peru won the case against Chile at the court.")) == \
        ["CHL", "PER"]


def test_a_demonym_between_a_title_and_a_name_is_a_given_name(tmp_path):
    # "German" of "President German Restrepo Ortiz" is no Germany
    x = facts(tmp_path, "Colombia protested on Monday. President German Restrepo Ortiz called "
                        "the incursion by Venezuela unacceptable.")
    assert states(x) == ["COL", "VEN"]
    assert "German Restrepo Ortiz" in [o.name for o in x.officials]


def test_holy_see(tmp_path):
    x = facts(tmp_path, "The Holy See and Mozambique marked thirty years of diplomatic "
                        "relations with a mass in Maputo.")
    assert states(x) == ["MOZ", "VAT"]


def test_north_and_south_korea_are_two_states(tmp_path):
    x = facts(tmp_path, "North Korea fired a ballistic missile into the sea on Monday, South "
                        "Korea said.")
    assert states(x) == ["KOR", "PRK"]
    assert relations(x) == {("KOR", "PRK"): {"conflictual"}}


def test_entities_without_iso_code_are_not_states(tmp_path):
    x = facts(tmp_path, "Officials from Somaliland and Kosovo attended the investment forum in "
                        "Ethiopia alongside Kenyan ministers.")
    assert states(x) == ["ETH", "KEN"]


def test_dateline_city_is_not_a_state_fact(tmp_path):
    x = facts(tmp_path, "ACCRA, May 7. Chilean and Peruvian trade officials met on the sidelines "
                        "of a cocoa conference to discuss tariffs.")
    assert states(x) == ["CHL", "PER"]



def test_a_lead_whose_first_word_is_in_capitals(tmp_path):
    # a newspaper's lead in capitals names the state whole; the island is no state
    x = facts(tmp_path, "PAPUA New Guinea and Samoa on Monday opened talks on fisheries, "
                        "officials said. Both have fleets off the coast of New Guinea.")
    assert states(x) == ["PNG", "WSM"]
    assert relations(x) == {("PNG", "WSM"): {"cooperative"}}

@pytest.mark.parametrize("demonym,iso3", [
    ("Bolivian", "BOL"), ("Omani", "OMN"), ("Malagasy", "MDG"), ("Ivorian", "CIV"),
    ("Kyrgyz", "KGZ"), ("Emirati", "ARE"), ("Filipino", "PHL"), ("Bangladeshi", "BGD"),
    ("Slovenian", "SVN"),
    ("Lao", "LAO"),
    ("Ecuadorian", "ECU"),
])
def test_demonyms(tmp_path, demonym, iso3):
    x = facts(tmp_path, f"The {demonym} delegation arrived in Belgrade for talks on trade "
                        f"with Serbia.")
    assert states(x) == sorted([iso3, "SRB"])


@pytest.mark.parametrize("people,iso3", [("Czechs", "CZE"), ("Slovaks", "SVK"),
                                         ("Uzbeks", "UZB"), ("Greeks", "GRC")])
def test_a_people_in_the_plural(people, iso3):
    from kg import gazetteer
    assert people in gazetteer.load().states[iso3].demonyms


def test_bonn_stands_for_germany_in_its_day(tmp_path):
    x = facts(tmp_path, "Bonn recognised Slovenia on Monday, a government spokesman said.")
    assert states(x) == ["DEU", "SVN"]


@pytest.mark.parametrize("text,iso3", [
    ("the Former Yugoslav Republic of Macedonia", "MKD"), ("Macedonia", "MKD"),
    ("FYROM", "MKD"), ("Zaire", "COD"), ("Byelorussia", "BLR"), ("Moldavia", "MDA"),
    # colonial names in a recalled treaty: today's state, not "British" alone
    ("British Guiana", "GUY"), ("British Honduras", "BLZ"), ("Ceylon", "LKA"),
])
def test_names_of_the_1990s_give_todays_code(tmp_path, text, iso3):
    # Reports from 1990 on use the names of their time; the gold codes are today's.
    x = facts(tmp_path, f"A delegation from {text} arrived in Belgrade for talks on trade "
                        f"with Serbia.", published="1996-03-04")
    assert states(x) == sorted([iso3, "SRB"])


def test_old_spelling_of_a_capital_stands_for_its_government(tmp_path):
    x = facts(tmp_path, "Kiev said on Tuesday it had summoned the Hungarian ambassador.")
    assert states(x) == ["HUN", "UKR"]


# ---------------------------------------------------------------- dates and datelines

@pytest.mark.parametrize("when,date", [
    ("on Tuesday", "2024-05-07"),
    ("yesterday", "2024-05-07"),
    ("last month", "2024-04"),
    ("on 2 May", "2024-05-02"),
])
def test_relative_dates_resolved_against_published(tmp_path, when, date):
    x = facts(tmp_path, f"The foreign ministers of Tunisia and Algeria met {when} in Tunis to "
                        f"review border trade.")
    event = only(x.events)
    assert (event.kind, event.date, event.place) == ("meeting", date, "Tunis")
    assert sorted(event.participants) == ["DZA", "TUN"]


def test_dateline_without_year_takes_the_year_of_publication(tmp_path):
    rep = report(tmp_path, "BAKU, October 3. Azerbaijani and Uzbek deputy foreign ministers "
                           "held political consultations in Baku.", published="2024-10-04")
    assert (rep.dateline_place, rep.dateline_date) == ("Baku", "2024-10-03")
    event = only(extract(rep).events)
    assert (event.kind, event.date) == ("meeting", "2024-10-03")


def test_dateline_without_year_across_new_year(tmp_path):
    rep = report(tmp_path, "VIENTIANE, December 31. Lao and Vietnamese officials held "
                           "consultations on border demarcation.", published="2025-01-02")
    assert rep.dateline_date == "2024-12-31"
    assert only(extract(rep).events).date == "2024-12-31"


# ---------------------------------------------------------------- agreements

def test_numbered_list_of_documents_is_one_agreement_each(tmp_path):
    x = facts(tmp_path, "After the talks in Jakarta, Indonesia and Papua New Guinea signed the "
                        "following documents:\n"
                        "1. Agreement on Border Crossing Arrangements;\n"
                        "2. Memorandum of Understanding on Fisheries Cooperation;\n"
                        "3. Protocol on Consular Affairs.")
    got = sorted((a.title, a.kind, a.status, tuple(sorted(a.parties))) for a in x.agreements)
    assert got == [
        ("Agreement on Border Crossing Arrangements", "agreement", "signed", ("IDN", "PNG")),
        ("Memorandum of Understanding on Fisheries Cooperation", "memorandum", "signed",
         ("IDN", "PNG")),
        ("Protocol on Consular Affairs", "protocol", "signed", ("IDN", "PNG")),
    ]


def test_counted_group_of_documents_is_one_agreement(tmp_path):
    x = facts(tmp_path, "Seven cooperation documents were signed between Egypt and Rwanda "
                        "during the visit of the Rwandan president to Cairo.")
    a = only(x.agreements)
    assert (a.status, sorted(a.parties)) == ("signed", ["EGY", "RWA"])
    assert "seven" in a.title.lower()


def test_vague_plural_is_no_agreement(tmp_path):
    x = facts(tmp_path, "Portugal and Angola will implement the agreements reached during the "
                        "talks in Luanda.")
    assert x.agreements == []


STATUSES = [
    ("Norway and Mexico initialled the Air Services Agreement, officials said.",
     "Air Services Agreement", "agreement", "initialled", ["MEX", "NOR"]),
    ("Armenia's parliament has ratified the Treaty on Strategic Partnership, which Armenia "
     "and Georgia signed last year.", "Treaty on Strategic Partnership", "treaty", "ratified",
     ["ARM", "GEO"]),
    ("The Visa Exemption Agreement between Serbia and Mongolia entered into force on 1 March.",
     "Visa Exemption Agreement between Serbia and Mongolia", "agreement", "in_force",
     ["MNG", "SRB"]),
    ("Botswana and Namibia are negotiating a draft Agreement on Water Resources Management.",
     "Agreement on Water Resources Management", "agreement", "draft", ["BWA", "NAM"]),
    ("Ireland and Iceland continue negotiations on the Fisheries Cooperation Agreement.",
     "Fisheries Cooperation Agreement", "agreement", "under_negotiation", ["IRL", "ISL"]),
    ("The presidents of Senegal and Gambia are expected to sign a Joint Declaration on "
     "Cross-Border Trade next month.", "Joint Declaration on Cross-Border Trade",
     "joint_declaration", "proposed", ["GMB", "SEN"]),
]


@pytest.mark.parametrize("text,title,kind,status,parties", STATUSES,
                         ids=[s[3] for s in STATUSES])
def test_agreement_status(tmp_path, text, title, kind, status, parties):
    a = only(facts(tmp_path, text).agreements)
    assert (a.title, a.kind, a.status, sorted(a.parties)) == (title, kind, status, parties)


def test_signing_date_place_and_parties(tmp_path):
    x = facts(tmp_path, "The Agreement on Double Taxation Avoidance between Switzerland and "
                        "Colombia was signed in Geneva on 3 May 2024.")
    a = only(x.agreements)
    assert (a.title, a.kind, a.status, a.date, a.place) == (
        "Agreement on Double Taxation Avoidance between Switzerland and Colombia", "agreement",
        "signed", "2024-05-03", "Geneva")
    assert sorted(a.parties) == ["CHE", "COL"]


def test_signing_place_and_date_after_the_title(tmp_path):
    x = facts(tmp_path, "Lithuania and Latvia signed the Memorandum of Understanding on Energy "
                        "Security in Vilnius on 6 May.")
    a = only(x.agreements)
    assert (a.title, a.status, a.date, a.place) == (
        "Memorandum of Understanding on Energy Security", "signed", "2024-05-06", "Vilnius")


def test_initialling_date_after_the_title(tmp_path):
    a = only(facts(tmp_path, "Norway and Mexico initialled the Air Services Agreement on "
                             "Monday.").agreements)
    # the date of an agreement is when it was signed (gold-format.md): initialling is not
    assert (a.title, a.status, a.date) == ("Air Services Agreement", "initialled", None)


def test_agreement_parties_from_the_sentence_not_the_report_pair(tmp_path):
    x = facts(tmp_path, "Kenyan President Daniel Otieno received the Tanzanian foreign minister "
                        "in Nairobi on Monday.\n\n"
                        "Separately, Kenya and Ethiopia signed a Memorandum of Understanding on "
                        "Livestock Trade, officials said.")
    a = only(x.agreements)
    assert a.title == "Memorandum of Understanding on Livestock Trade"
    assert sorted(a.parties) == ["ETH", "KEN"]


# ---------------------------------------------------------------- events

EVENTS = [
    ("Foreign Minister of Chile Ana Ruiz met Foreign Minister of Peru Jorge Salas in Lima on "
     "6 May.", "meeting", "2024-05-06", "Lima", ["CHL", "PER"]),
    ("President of Mongolia Batbayar Ganbold will pay a state visit to Kazakhstan on 20 May.",
     "visit", "2024-05-20", "Kazakhstan", ["KAZ", "MNG"]),
    ("The Embassy of Slovakia in Vietnam hosted a reception in Hanoi on 5 May.",
     "reception", "2024-05-05", "Hanoi", ["SVK", "VNM"]),
    ("Croatia and Hungary held the third round of negotiations on the gas pipeline in Zagreb on "
     "2 May.", "negotiation", "2024-05-02", "Zagreb", ["HRV", "HUN"]),
    ("Prime Minister of Fiji Ratu Seru spoke by phone with Australian Prime Minister Daniel "
     "Cole on Monday.", "phone_call", "2024-05-06", None, ["AUS", "FJI"]),
    ("The Africa-Caribbean Summit opened in Bridgetown, Barbados, on 7 May with the leaders of "
     "Ghana and Jamaica.", "summit", "2024-05-07", "Bridgetown", ["BRB", "GHA", "JAM"]),
    ("Ambassador of Cuba Luis Ortega presented his credentials to President of Angola Manuel "
     "Dias on 2 May.", "credentials", "2024-05-02", None, ["AGO", "CUB"]),
    ("Armenia accused Azerbaijan of shelling border villages on Sunday.", "conflict",
     "2024-05-05", None, ["ARM", "AZE"]),
    ("Estonia expelled a Belarusian diplomat on Tuesday.", "other", "2024-05-07", None,
     ["BLR", "EST"]),
]


@pytest.mark.parametrize("text,kind,date,place,participants", EVENTS,
                         ids=[e[1] for e in EVENTS])
def test_event_kinds(tmp_path, text, kind, date, place, participants):
    event = only(facts(tmp_path, text).events)
    assert (event.kind, event.date, event.place, sorted(event.participants)) == \
        (kind, date, place, participants)


def test_anaphoric_meeting_adds_no_second_meeting(tmp_path):
    x = facts(tmp_path, "Foreign Minister of Chile Ana Ruiz met Foreign Minister of Peru Jorge "
                        "Salas in Lima on 6 May.\n\n"
                        "The meeting focused on lithium and fisheries.\n\n"
                        "At the meeting, both sides praised the growth of trade.")
    event = only(x.events)
    assert (event.kind, event.date) == ("meeting", "2024-05-06")
    assert len(event.evidence) == 3
    assert sorted(event.persons) == [0, 1]


def test_generic_plural_visits_are_no_event(tmp_path):
    x = facts(tmp_path, "Recent high-level visits between Laos and Thailand have boosted trade "
                        "and tourism.")
    assert x.events == []


def test_event_participants_from_officials(tmp_path):
    x = facts(tmp_path, "Cambodian Prime Minister Sok Vanna received Thai Ambassador Chaiwat "
                        "Srisuk in Phnom Penh on Tuesday.")
    event = only(x.events)
    assert (event.kind, event.date, event.place) == ("meeting", "2024-05-07", "Phnom Penh")
    assert sorted(event.participants) == ["KHM", "THA"]
    assert len(event.persons) == 2


# ---------------------------------------------------------------- relations

def test_cooperative_relation(tmp_path):
    x = facts(tmp_path, "Uzbekistan and Tajikistan agreed to expand cooperation in energy and "
                        "transport.")
    assert relations(x) == {("TJK", "UZB"): {"cooperative"}}


@pytest.mark.parametrize("text,pair", [
    ("Armenia accused Azerbaijan of shelling border villages on Sunday.", ("ARM", "AZE")),
    ("Moscow condemned the decision of Lithuania to close the transit route, calling it a "
     "provocation.", ("LTU", "RUS")),
    ("Estonia expelled a Belarusian diplomat on Tuesday.", ("BLR", "EST")),
    ("Heavy fighting broke out between Sudan and South Sudan along the border on "
                 "Saturday.", ("SDN", "SSD")),
])
def test_conflictual_relation(tmp_path, text, pair):
    assert relations(facts(tmp_path, text)) == {pair: {"conflictual"}}


@pytest.mark.parametrize("text", [
    "Honduras denied that it had sent troops into Nicaragua.",
    "Honduras denied reports that it had held secret talks with Nicaragua.",
])
def test_denied_dealing_gives_no_relation(tmp_path, text):
    assert relations(facts(tmp_path, text)) == {}


def test_border_mention_gives_no_relation(tmp_path):
    x = facts(tmp_path, "Bhutan shares a long border with Nepal and India.")
    assert states(x) == ["BTN", "IND", "NPL"]
    assert x.relations == []
