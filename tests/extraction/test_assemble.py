"""The assembly stage: latest status and its date, the parties of the time, type, the negotiating-with rule.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import pytest

from articles.extraction import assemble, extract
from articles.extraction.pipeline import extract_by_rules, read_story
from tests.extraction.support import FRI, one


def test_entry_into_force_wins_over_earlier_signature() -> None:
    text = "A trade agreement between Peru and Chile came into force on Thursday. The agreement was signed in 2021."
    agreement = one(text)
    assert (agreement.status, agreement.date) == ("in_force", "2024-03-14")


def test_suspension_is_the_latest_status() -> None:
    text = "Italy has suspended its friendship treaty with Libya, the defence minister said on Sunday."
    agreement = one(text)
    assert (agreement.parties, agreement.types[0], agreement.status) == (("ITA", "LBY"), "diplomatic", "terminated")
    assert agreement.date == "2024-03-10"


def test_expired_lease() -> None:
    agreement = one(
        "The agreement that let American forces use an air base outside the Kyrgyz capital expired on Friday."
    )
    assert (agreement.parties, agreement.status, agreement.date) == (("KGZ", "USA"), "terminated", "2024-03-15")


def test_soviet_era_treaty_uses_the_former_state() -> None:
    text = "The United States and the Soviet Union signed a treaty banning nuclear tests in 1963."
    assert one(text).parties == ("SUN", "USA")


def test_former_state_is_placed_by_the_instruments_own_year() -> None:
    text = (
        "The 1987 missile treaty, signed by Ronald Reagan and Soviet leader Mikhail Gorbachev, collapsed in 2019 "
        "when Washington pulled out of it, citing Russian violations."
    )
    agreement = one(text)
    assert (agreement.parties, agreement.status, agreement.date) == (("SUN", "USA"), "terminated", "2019")


def test_later_signing_without_a_date_takes_the_ledes_day() -> None:
    text = (
        "India and China agreed on Monday on principles for settling their border dispute. "
        "A protocol on military confidence-building measures was also inked by India and China."
    )
    agreement = one(text)
    assert (agreement.status, agreement.date) == ("signed", "2024-03-11")


def test_official_titles_do_not_set_the_domain() -> None:
    text = (
        "Iran and Saudi Arabia signed a joint statement on Friday on their relations, the Iranian security official "
        "and the Saudi security adviser said."
    )
    assert one(text).types == ("diplomatic",)


def test_hydrocarbons_are_energy() -> None:
    assert one("Afghanistan and India signed a memorandum on hydrocarbons on Tuesday.").types[0] == "energy"


def test_instrument_words_type_it_not_the_article() -> None:
    text = (
        "Russia and Argentina signed an agreement on nuclear energy on Monday. The two presidents also "
        "signed an accord on cooperation in communications."
    )
    got = {a.types[0] for a in extract(text, published=FRI).agreements}
    assert got == {"nuclear", "technology"}


def test_sea_route_memorandum_is_transport() -> None:
    text = "India and Russia, partners in weapons production, signed a memorandum on Monday on opening a sea route."
    assert one(text).types[0] == "other"


def test_exclusive_economic_zone_delimitation_is_diplomatic() -> None:
    text = "Cyprus and Israel signed an agreement on Friday delimiting their exclusive economic zones."
    assert one(text).types[0] == "diplomatic"


def test_names_of_regimes_and_bodies_carry_no_domain() -> None:
    text = "Brazil and Paraguay built the dam under a treaty they signed in 1973, when both were under military rule."
    assert one(text).types[0] == "energy"
    text = (
        "Argentina, Brazil and Chile signed the founding treaty of a regional union on Friday, creating a bloc "
        "modelled on the European Union."
    )
    assert one(text).types[0] == "diplomatic"


def test_negotiating_with_a_list_after_a_trade_deal_is_proposed() -> None:
    text = (
        "Chile and Vietnam signed a free-trade agreement on Monday. A pact with Mexico took effect in 2012, "
        "and Hanoi is negotiating with Peru and Colombia."
    )
    got = {(a.parties, a.status, a.date) for a in extract(text, published=FRI).agreements}
    assert (("PER", "VNM"), "proposed", None) in got
    assert (("COL", "VNM"), "proposed", None) in got


def test_negotiating_with_needs_an_instrument_of_the_subject() -> None:
    # no earlier instrument of the subject: talks alone are not an agreement
    text = "Officials met in Geneva on Monday. Iran is negotiating with France and Germany."
    assert extract(text, published=FRI).agreements == ()
    # the list must hold only states
    text = "Chile and Vietnam signed a free-trade agreement on Monday. Hanoi is negotiating with rebels in Laos."
    assert {a.parties for a in extract(text, published=FRI).agreements} == {("CHL", "VNM")}


def test_an_instrument_with_one_state_is_kept_as_dropped() -> None:
    story = read_story("Peru signed a trade agreement on Monday.", published=FRI)
    assert story.candidates == []
    assert [(x.kind, x.dropped) for x in story.dropped] == [("member", "fewer_than_two_state_parties")]


def test_candidates_is_the_seam_that_yields_the_final_agreements() -> None:
    story = read_story("Peru and Chile signed a trade agreement on Monday.", published=FRI)
    again = assemble.candidates(story)
    assert again == story.candidates == list(extract_by_rules(story.text, published=FRI).agreements)
    assert story.decisions == [
        {
            "parties": "named_in_the_clause",
            "type": "own_words",
            "status": "signed",
            "date": "date_of_the_latest_step",
            "kind": "member",
        }
    ]


@pytest.mark.parametrize("rule", assemble.DATE_RULES, ids=lambda rule: rule.__name__)
def test_date_rules_are_named_in_the_decisions(rule) -> None:
    texts = {
        "date_of_the_latest_step": "Peru and Chile signed a trade agreement on Monday.",
        "date_of_an_earlier_step": "Peru and Chile initialled a trade agreement in January. "
        "The agreement has since been signed.",
        "date_of_the_previous_candidate": "Peru and Chile signed a trade agreement on Monday. "
        "Peru and Chile also signed a visa arrangement.",
    }
    story = read_story(texts[rule.__name__], published=FRI)
    assert rule.__name__ in [d["date"] for d in story.decisions]


def test_a_country_reacting_to_the_deal_anywhere_in_the_story_is_a_third_party() -> None:
    text = (
        "Ethiopia and Djibouti signed a port agreement on Monday. "
        "Two days later, Somalia expressed concern over the deal."
    )
    roles = {m.code: m.role for m in extract(text, published=FRI).mentions}
    assert roles == {"ETH": "party", "DJI": "party", "SOM": "third_party"}


def test_a_country_reacting_to_something_else_is_merely_mentioned() -> None:
    text = "Peru and Chile signed a trade agreement on Monday. Later, Brazil welcomed the rain."
    roles = {m.code: m.role for m in extract(text, published=FRI).mentions}
    assert roles["BRA"] == "mentioned"


def test_a_country_hosting_or_mediating_the_talks_anywhere_in_the_story_is_host_or_mediator() -> None:
    text = (
        "Peru and Chile signed a fisheries agreement on Monday.\n\n"
        "The talks were hosted by Ecuador in Quito. Brazil mediated the negotiations over two years."
    )
    roles = {m.code: m.role for m in extract(text, published=FRI).mentions}
    assert roles == {"PER": "party", "CHL": "party", "ECU": "host_or_mediator", "BRA": "host_or_mediator"}


def test_a_country_hosting_something_else_is_merely_mentioned() -> None:
    text = "Peru and Chile signed a fisheries agreement on Monday. Colombia hosted a football match on Sunday."
    roles = {m.code: m.role for m in extract(text, published=FRI).mentions}
    assert roles["COL"] == "mentioned"


def test_without_an_agreement_nobody_hosts_anything() -> None:
    text = "Ecuador hosted talks on fisheries with Peru and Chile on Monday; no deal was reached."
    assert all(m.role != "host_or_mediator" for m in extract(text, published=FRI).mentions)
