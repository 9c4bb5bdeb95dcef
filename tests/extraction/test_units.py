"""The units stage: one sentence's phrases grouped into instruments, their steps and skip rules.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import pytest

from articles.extraction import extract, units
from articles.extraction.pipeline import read_story
from tests.extraction.support import FRI, one


@pytest.mark.parametrize(
    "text",
    [
        "Talks between Iran and the six powers ended without an agreement on Saturday.",
        "Officials denied that any agreement had been signed between Serbia and Hungary.",
        "Gazprom and CNPC signed a 30-year gas supply contract on Wednesday as Putin and Xi looked on.",
        "The UN General Assembly adopted a resolution on Ukraine on Thursday; Russia and Belarus voted against.",
        "Chinese and Russian warships began a joint naval exercise on Tuesday.",
        "Obama visited Burma on Monday and promised that the United States would be a long-term partner.",
        "The United States and the European Union imposed new sanctions on Russia on Tuesday.",
        "Iran stood ready to offer Bolivia all kinds of military cooperation if La Paz requested it.",
    ],
)
def test_not_an_agreement(text: str) -> None:
    assert extract(text, published=FRI).agreements == ()


def test_restored_relations_are_diplomatic() -> None:
    agreement = one("Colombia and Venezuela agreed on Tuesday to restore diplomatic relations.")
    assert (agreement.types[0], agreement.status, agreement.date) == ("diplomatic", "proposed", "2024-03-12")


def test_two_instruments_in_one_sentence() -> None:
    text = "Bangladesh and India on Monday signed an extradition treaty along with a revised visa arrangement."
    result = extract(text, published=FRI)
    assert sorted(a.types[0] for a in result.agreements) == ["diplomatic", "security"]
    assert {a.date for a in result.agreements} == {"2024-03-11"}


def test_second_predicate_opens_a_new_instrument_with_the_same_subject() -> None:
    text = (
        "Seoul concluded a trade deal with Canberra in December and has had a pact with Washington in force since 2012."
    )
    got = sorted(a.parties for a in extract(text, published=FRI).agreements)
    assert got == [("AUS", "KOR"), ("KOR", "USA")]


def test_coordinated_instrument_keeps_its_own_date() -> None:
    text = "Egypt signed a trade agreement with Sudan in 1959 and a water agreement with Britain in 1929."
    got = {(a.parties, a.date) for a in extract(text, published=FRI).agreements}
    assert got == {(("EGY", "SDN"), "1959"), (("EGY", "GBR"), "1929")}


SKIP_CASES = [
    ("skip_if_no_such", 'Chile denied a report about a pact with Bolivia. "No such deal exists," a spokesman said.'),
    ("skip_if_negative_determiner", "Officials said no agreement between Peru and Chile was signed on Monday."),
]


@pytest.mark.parametrize(("rule", "text"), SKIP_CASES, ids=[rule for rule, _ in SKIP_CASES])
def test_skip_rule_sets_the_phrase_aside_under_its_own_name(rule: str, text: str) -> None:
    story = read_story(text, published=FRI)
    assert story.candidates == []
    assert rule in [x.dropped for x in story.skipped]


def test_every_skip_rule_has_a_case() -> None:
    assert [r.__name__ for r in units.SKIP_RULES] == [rule for rule, _ in SKIP_CASES]
