"""The linking stage: anaphors, groups and their members, denials, "withdrew from it".

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import datetime as dt

import pytest

from articles.extraction import extract, linking
from articles.extraction.pipeline import extract_by_rules, read_story
from tests.extraction.support import FRI, one


def test_background_accord_is_a_separate_entry() -> None:
    text = (
        "France and Senegal signed a defence treaty on Thursday. "
        "The treaty replaces the defence accord the two countries signed in 1974."
    )
    result = extract(text, published=FRI)
    assert sorted((a.status, a.date) for a in result.agreements) == [("signed", "1974"), ("signed", "2024-03-14")]


def test_group_named_collectively_is_one_entry() -> None:
    text = "North Korea said on Friday it was tearing up all its non-aggression agreements with South Korea."
    agreement = one(text)
    assert (agreement.parties, agreement.status, agreement.date) == (("KOR", "PRK"), "terminated", "2024-03-15")


def test_enumerated_members_are_separate_entries() -> None:
    text = (
        "Armenia and Turkey signed two protocols on Saturday. "
        "The ministers signed a protocol on the establishment of diplomatic relations and a second on the "
        "development of bilateral relations."
    )
    result = extract(text, published=FRI)
    assert len(result.agreements) == 2
    assert {a.date for a in result.agreements} == {"2024-03-09"}


def test_anaphor_names_the_parties_the_lede_left_open() -> None:
    text = (
        "The leaders of Iran and four other countries bordering the Caspian signed a convention on Sunday. "
        "The presidents of Russia, Iran, Kazakhstan, Azerbaijan and Turkmenistan put their signatures to the "
        "document at a summit."
    )
    agreement = one(text)
    assert (agreement.parties, agreement.date) == (("AZE", "IRN", "KAZ", "RUS", "TKM"), "2024-03-10")


def test_anaphor_of_a_void_instrument_stays_void() -> None:
    text = (
        "President Dmitry Medvedev signed treaties of friendship and mutual assistance with the leaders of Abkhazia "
        "and South Ossetia on Wednesday, allowing Russia to keep troops in the two breakaway Georgian regions. "
        "Tbilisi called the treaties a step towards annexation."
    )
    assert extract(text, published=FRI).agreements == ()


def test_anaphor_supplies_the_parties_the_first_mention_lacked() -> None:
    text = (
        "A treaty banning nuclear weapons from Central Asia entered into force on Saturday. The treaty was signed "
        "in 2006 by Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan."
    )
    a = one(text)
    assert a.parties == ("KAZ", "KGZ", "TJK", "TKM", "UZB") and a.status == "in_force"
    # the noun "sign" is no signing cue, so the anaphor here brings no parties to the company deal
    text = (
        "QatarEnergy signed a 27-year deal on Monday to supply gas to China's Sinopec. The Chinese foreign ministry "
        "praised the deal as a sign of cooperation between the two countries. Qatar is a big exporter."
    )
    assert extract(text, published=FRI).agreements == ()


def test_listed_domains_after_a_plural_instrument_are_separate_instruments() -> None:
    text = "Kazakhstan and Uzbekistan signed accords on trade, tourism and health on Wednesday."
    got = extract(text, published=FRI).agreements
    assert len(got) == 3 and {a.types[0] for a in got} == {"economic", "other"}, got
    text = "India and the UAE signed memorandums on cooperation in the defence industry and on human trafficking."
    assert sorted(a.types[0] for a in extract(text, published=FRI).agreements) == ["defense", "security"]
    # two items without a repeated preposition read as one group
    text = "Israel and Morocco signed memorandums on water management and finance on Tuesday."
    assert len(extract(text, published=FRI).agreements) == 1


def test_one_and_the_other_are_the_members_of_a_counted_group() -> None:
    text = (
        "Iraq's foreign minister and the U.S. ambassador signed two agreements on Monday, one governing the presence "
        "of American troops and the other setting out long-term economic ties."
    )
    got = extract(text, published=FRI).agreements
    assert sorted(a.types[0] for a in got) == ["defense", "economic"], got


def test_plural_opening_a_list_of_ones_gives_one_entry_per_member_with_its_signers() -> None:
    text = (
        "Chile, Peru and Colombia signed a trade pact on Monday. Chilean and Peruvian officials also signed separate "
        "memorandums: one on direct flights and one on visa exemptions."
    )
    found = sorted((a.parties, a.types[0]) for a in extract(text, published=FRI).agreements)
    assert found == [(("CHL", "COL", "PER"), "economic"), (("CHL", "PER"), "diplomatic"), (("CHL", "PER"), "other")]


def test_no_such_deal_voids_a_reported_planned_pact() -> None:
    text = (
        'Chile on Thursday denied a newspaper report about a pact with Bolivia. "No such deal exists," a spokesman '
        "said. The newspaper had reported that the two neighbours were preparing to sign a water pact."
    )
    assert extract(text, published=FRI).agreements == ()
    signed = "Chile and Bolivia signed a water pact on Monday. Officials said no such deal with Peru was planned."
    assert one(signed).status == "signed"


def test_withdrawal_from_it_ends_the_instrument_just_named() -> None:
    text = (
        "The Anti-Ballistic Missile Treaty was signed by the United States and the Soviet Union in May 1972. It "
        "lasted three decades: the United States withdrew from it in June 2002."
    )
    agreement = one(text, published=dt.date(2015, 7, 16))
    assert (agreement.status, agreement.date) == ("terminated", "2002-06")


DROP_CASES = [
    (
        "drop_if_denied_nearby",
        'Chile on Thursday denied a newspaper report about a pact with Bolivia. "No such deal exists," a spokesman '
        "said. The newspaper had reported that the two neighbours were preparing to sign a water pact.",
    ),
    (
        "dissolved_into_its_members",
        "Armenia and Turkey signed two protocols on Saturday. The ministers signed a protocol on the establishment of "
        "diplomatic relations and a second on the development of bilateral relations.",
    ),
    (
        "folded_into_the_instrument_that_restores_relations",
        "Israel and Morocco restored diplomatic relations on Thursday. The two countries also signed a trade "
        "agreement on Thursday.",
    ),
    ("no_status_and_nothing_to_refer_to", "Chile on Thursday denied a newspaper report about a pact with Bolivia."),
]


@pytest.mark.parametrize(("reason", "text"), DROP_CASES, ids=[reason for reason, _ in DROP_CASES])
def test_a_linked_away_instrument_is_kept_with_its_reason(reason: str, text: str) -> None:
    assert reason in [x.dropped for x in read_story(text, published=FRI).dropped]


def test_every_drop_rule_has_a_case() -> None:
    assert {r.__name__ for r in linking.DROP_RULES} <= {reason for reason, _ in DROP_CASES}


def test_an_instrument_told_again_in_the_same_words_is_the_same_instrument() -> None:
    text = (
        "Kenya and Ghana signed an extradition treaty in Accra on Monday. "
        "Officials said Kenya and Ghana had negotiated an extradition treaty for years."
    )
    agreements = extract_by_rules(text, published=FRI).agreements
    assert [(a.parties, a.status, a.date) for a in agreements] == [(("GHA", "KEN"), "signed", "2024-03-11")]


def test_the_same_words_with_another_date_are_another_instrument() -> None:
    text = (
        "Kenya and Ghana signed a trade agreement on Monday. "
        "In 2019 Kenya and Ghana had signed a trade agreement that expired."
    )
    agreements = extract_by_rules(text, published=FRI).agreements
    assert [(a.status, a.date) for a in agreements] == [("signed", "2024-03-11"), ("terminated", "2019")]


def test_two_instruments_named_together_stay_two() -> None:
    text = "Kenya and Ghana signed an extradition treaty and a trade agreement on Monday."
    assert len(extract_by_rules(text, published=FRI).agreements) == 2


def test_ratifying_it_puts_the_instrument_of_the_sentence_before_in_force() -> None:
    text = "Kenya and Ghana signed a trade agreement in 2019. Ghana's parliament ratified it on Thursday."
    agreements = extract_by_rules(text, published=FRI).agreements
    assert [(a.parties, a.status, a.date) for a in agreements] == [(("GHA", "KEN"), "in_force", "2024-03-14")]


def test_it_entering_into_force_is_the_instruments_latest_step() -> None:
    text = "Kenya and Ghana signed a trade agreement in 2019. It entered into force in May 2020."
    assert [(a.status, a.date) for a in extract_by_rules(text, published=FRI).agreements] == [("in_force", "2020-05")]


def test_it_with_two_instruments_before_is_left_alone() -> None:
    text = "Kenya and Ghana signed a trade agreement and a visa deal in 2019. Ghana ratified it on Thursday."
    assert {a.status for a in extract_by_rules(text, published=FRI).agreements} == {"signed"}
