"""The mentions stage: country names and their role contexts (location, attribute, attendance, mediation).

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import pytest

from articles.extraction import extract
from articles.extraction.countries import find_mentions
from tests.extraction.support import FRI, one, roles


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("the U.S. delegation", "USA"),
        ("talks in Washington", "USA"),
        ("Britain said", "GBR"),
        ("the UK said", "GBR"),
        ("Burma's generals", "MMR"),
        ("Ivory Coast voted", "CIV"),
        ("Côte d'Ivoire voted", "CIV"),
        ("the DPRK said", "PRK"),
        ("South Korea said", "KOR"),
        ("the UAE said", "ARE"),
        ("Emirati officials", "ARE"),
        ("DR Congo said", "COD"),
        ("Türkiye said", "TUR"),
        ("the Kremlin said", "RUS"),
        ("the Élysée said", "FRA"),
        ("Whitehall said", "GBR"),
        ("Papua New Guinea said", "PNG"),
        ("Nigeria said", "NGA"),
        ("Niger said", "NER"),
        ("the Dominican Republic said", "DOM"),
        ("Soviet troops", "SUN"),
    ],
)
def test_country_name_variants(text: str, code: str) -> None:
    assert [m.code for m in find_mentions(text)] == [code]


def test_ambiguous_words_are_not_countries() -> None:
    assert find_mentions("all of us went to Latin America and the South China Sea; Michael Jordan ate turkey") == []


def test_korea_alone_is_south_korea_and_north_korea_wins_longest_first() -> None:
    codes = [m.code for m in find_mentions("Korea and North Korea")]
    assert codes == ["KOR", "PRK"]


def test_news_agency_points_to_a_country_but_is_not_a_party() -> None:
    result = extract(
        "Kenya and Tanzania signed a border security agreement on Tuesday, Xinhua reported.", published=FRI
    )
    assert result.agreements[0].parties == ("KEN", "TZA")
    agency = [m for m in result.mentions if m.kind == "agency"]
    assert agency and agency[0].code == "CHN" and agency[0].role != "party"


def test_greek_cypriot_is_cyprus() -> None:
    assert {m.code for m in find_mentions("the Greek Cypriot government")} == {"CYP"}


def test_demonym_and_official_by_title() -> None:
    agreement = one(
        "The Iranian defence minister and his Bolivian counterpart signed a memorandum of understanding "
        "on military training on Wednesday."
    )
    assert agreement.parties == ("BOL", "IRN")
    assert agreement.types[0] == "defense"
    assert agreement.date == "2024-03-13"


def test_capitals_as_metonyms() -> None:
    agreement = one("Canberra and Jakarta signed an intelligence-sharing pact on Monday.")
    assert agreement.parties == ("AUS", "IDN")
    assert agreement.types[0] == "security"


def test_company_nationality_is_not_a_party() -> None:
    text = "US and Chinese companies signed deals worth more than $250 billion on Thursday."
    assert extract(text, published=FRI).agreements == ()


def test_capital_in_an_instruments_name_is_not_a_party() -> None:
    text = "Israel signed the Oslo accords on Monday with the Palestinians."
    assert all("NOR" not in a.parties for a in extract(text, published=FRI).agreements)


def test_observers_and_hosts_are_not_parties() -> None:
    text = (
        "Ghana, Togo and Benin signed a customs agreement on Thursday in Abuja. "
        "Nigeria hosted the ceremony, and Niger attended as an observer but did not sign."
    )
    result = extract(text, published=FRI)
    assert [a.parties for a in result.agreements] == [("BEN", "GHA", "TGO")]
    assert roles(result)["BEN"] == "party"
    assert roles(result)["NER"] != "party"


def test_alarmed_third_country_is_not_a_party() -> None:
    text = (
        "Iran and Venezuela signed a defence cooperation accord on Monday, a move that alarmed neighbouring Colombia."
    )
    result = extract(text, published=FRI)
    assert result.agreements[0].parties == ("IRN", "VEN")
    assert roles(result)["COL"] == "third_party"


def test_country_that_will_sign_later_is_not_a_party() -> None:
    text = (
        "Ethiopia, Rwanda and Uganda signed a water-sharing framework agreement on Friday. "
        "Kenya's minister said Kenya would sign soon."
    )
    assert one(text).parties == ("ETH", "RWA", "UGA")


def test_witness_role_covers_the_whole_list() -> None:
    text = (
        "The handover followed the Greentree Agreement, which Cameroon's president and Nigeria's president signed in "
        "June 2006, with the United States, Britain, France and Germany as witnesses."
    )
    assert one(text).parties == ("CMR", "NGA")


def test_mediators_are_not_parties() -> None:
    text = "The plan, negotiated by French President Nicolas Sarkozy, was signed by Russia and Georgia on Saturday."
    assert one(text).parties == ("GEO", "RUS")
    text = "Sudan and South Sudan signed a border agreement on Monday under the auspices of Egypt."
    assert one(text).parties == ("SDN", "SSD")


def test_destinations_are_not_parties() -> None:
    text = (
        "Russia and the United States signed an agreement on Monday allowing American planes to fly troops "
        "across Russian territory to Afghanistan."
    )
    assert one(text).parties == ("RUS", "USA")


def test_country_named_as_an_exception_is_not_a_party() -> None:
    text = (
        "Norway and Chile signed a fisheries accord on Tuesday, the first such pact Oslo has concluded "
        "with any country other than Iceland."
    )
    assert [a.parties for a in extract(text, published=FRI).agreements] == [("CHL", "NOR")]


@pytest.mark.parametrize("publisher", ["Pakistan Point News", "Pakistan Today", "Times of Pakistan", "Pakistan Daily"])
def test_a_newspaper_named_after_a_state_is_a_publisher_not_a_party(publisher: str) -> None:
    result = extract(f"KARACHI ({publisher}) - Kenya and Ghana signed a trade agreement on Monday.", published=FRI)
    assert [a.parties for a in result.agreements] == [("GHA", "KEN")]
    pakistan = [m for m in result.mentions if m.code == "PAK"]
    assert [(m.kind, m.role) for m in pakistan] == [("agency", "mentioned")]


def test_a_state_followed_by_an_ordinary_word_is_still_the_state() -> None:
    result = extract("Pakistan today signed a trade agreement with Kenya.", published=FRI)
    assert [a.parties for a in result.agreements] == [("KEN", "PAK")]
