"""Engine behaviour, one phenomenon per test, on short sentences written for the purpose.

Plain functions: no database, no Django.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from articles.extraction import EXTRACTOR_VERSION, CandidateAgreement, Extraction, Span, extract
from articles.extraction.countries import find_mentions
from articles.extraction.dates import find_dates
from articles.extraction.records import extract_record, extraction_to_record, read_jsonl
from articles.extraction.scoring import date_matches, format_report, score

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FRI = dt.date(2024, 3, 15)  # a Friday


def one(text: str, published: dt.date = FRI, title: str | None = None) -> CandidateAgreement:
    result = extract(text, published=published, title=title)
    assert len(result.agreements) == 1, result.agreements
    return result.agreements[0]


def roles(result: Extraction) -> dict[str, str]:
    return {m.code: m.role for m in result.mentions}


# --- public API -------------------------------------------------------------------------------------------------


def test_version_and_frozen_results() -> None:
    assert EXTRACTOR_VERSION.startswith("rules-")
    result = extract("Peru and Chile signed a trade agreement on Monday.", published=FRI)
    agreement = result.agreements[0]
    with pytest.raises(AttributeError):
        agreement.status = "proposed"  # type: ignore[misc]
    assert hash(agreement) == hash(agreement)
    assert isinstance(agreement.evidence, Span)
    assert set(agreement.field_evidence) >= {"parties", "type", "status", "date"}


def test_offsets_point_into_the_text_not_the_title() -> None:
    text = "Peru and Chile signed a trade agreement on Monday."
    result = extract(text, published=FRI, title="Andean trade pact")
    for mention in result.mentions:
        assert text[mention.span.start : mention.span.end] == mention.span.text
    agreement = result.agreements[0]
    for span in (agreement.evidence, *agreement.field_evidence.values()):
        assert text[span.start : span.end] == span.text


def test_import_loads_no_django() -> None:
    code = "import sys, articles.extraction; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- countries --------------------------------------------------------------------------------------------------


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


# --- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("signed on Tuesday", "2024-03-12", "day"),
        ("signed last Friday", "2024-03-08", "day"),
        ("late last month", "2024-02", "month"),
        ("earlier this month", "2024-03", "month"),
        ("last year", "2023", "year"),
        ("met on Friday and Saturday", "2024-03", "month"),
        ("signed on Nov. 24", "2023-11-24", "day"),
        ("in November 2011", "2011-11", "month"),
        ("signed in 1951", "1951", "year"),
    ],
)
def test_relative_dates_resolve_against_publication(phrase: str, value: str, precision: str) -> None:
    dates = find_dates(phrase, FRI)
    assert [(d.value, d.precision) for d in dates] == [(value, precision)]


def test_no_clock_without_publication_date() -> None:
    result = extract("Peru and Chile signed a trade agreement on Monday.")
    assert result.agreements[0].date is None


# --- parties and roles -------------------------------------------------------------------------------------------


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


def test_dateline_city_is_not_a_party() -> None:
    result = extract(
        "LA PAZ — Peru and Chile signed a trade agreement on Monday in the Bolivian capital.", published=FRI
    )
    assert result.agreements[0].parties == ("CHL", "PER")


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


def test_organisation_counterpart_is_never_a_party() -> None:
    assert extract("Iran signed an arrangement with the IAEA on Monday.", published=FRI).agreements == ()
    assert extract("The government reached a final agreement with the owners.", published=FRI).agreements == ()


def test_multilateral_agreement_lists_every_named_state() -> None:
    agreement = one("The presidents of Chile, Colombia, Mexico and Peru signed a framework agreement on Wednesday.")
    assert agreement.parties == ("CHL", "COL", "MEX", "PER")


def test_collective_phrase_resolves_to_the_story_pair() -> None:
    text = (
        "Japan and India signed a digital technology accord on Monday. "
        "The two countries signed a civil nuclear agreement in 2016."
    )
    result = extract(text, published=FRI)
    assert {(a.parties, a.date) for a in result.agreements} == {
        (("IND", "JPN"), "2024-03-11"),
        (("IND", "JPN"), "2016"),
    }


# --- statuses ----------------------------------------------------------------------------------------------------


def test_proposed_under_negotiation() -> None:
    agreement = one("Egypt and Jordan are negotiating a free trade agreement.")
    assert (agreement.status, agreement.date) == ("proposed", None)


def test_refusal_to_sign_keeps_it_proposed() -> None:
    text = (
        "Afghanistan's president has refused to sign a security agreement with the United States. "
        "The final wording of the agreement was settled last Wednesday."
    )
    agreement = one(text)
    assert (agreement.parties, agreement.status, agreement.date) == (("AFG", "USA"), "proposed", "2024-03-13")


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


def test_restored_relations_are_diplomatic() -> None:
    agreement = one("Colombia and Venezuela agreed on Tuesday to restore diplomatic relations.")
    assert (agreement.types[0], agreement.status, agreement.date) == ("diplomatic", "proposed", "2024-03-12")


# --- negations and non-agreements --------------------------------------------------------------------------------


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


def test_rebels_are_not_a_state() -> None:
    text = "South Sudan seceded after a 2005 peace deal between the government in Khartoum and southern rebels."
    assert extract(text, published=FRI).agreements == ()


# --- several instruments, groups, names ---------------------------------------------------------------------------


def test_two_instruments_in_one_sentence() -> None:
    text = "Bangladesh and India on Monday signed an extradition treaty along with a revised visa arrangement."
    result = extract(text, published=FRI)
    assert sorted(a.types[0] for a in result.agreements) == ["diplomatic", "security"]
    assert {a.date for a in result.agreements} == {"2024-03-11"}


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


def test_plural_with_two_partners_gives_one_entry_each() -> None:
    text = "Australia signed free trade agreements with South Korea and Japan earlier this year."
    result = extract(text, published=FRI)
    assert sorted(a.parties for a in result.agreements) == [("AUS", "JPN"), ("AUS", "KOR")]


def test_named_agreement() -> None:
    text = "The New START treaty between Washington and Moscow entered into force on Saturday."
    agreement = one(text)
    assert (agreement.name, agreement.types[0], agreement.status) == ("New START", "nuclear", "in_force")


def test_soviet_era_treaty_uses_the_former_state() -> None:
    text = "The United States and the Soviet Union signed a treaty banning nuclear tests in 1963."
    assert one(text).parties == ("SUN", "USA")


# --- boilerplate ---------------------------------------------------------------------------------------------------


def test_page_boilerplate_is_ignored() -> None:
    text = (
        "We use cookies to improve your experience. By continuing you accept our use of cookies.\n\n"
        "Peru and Chile signed a trade agreement on Monday.\n\n"
        "Photo: Brazil and Argentina signed an accord in 2010. (AP Photo)\n\n"
        "Advertisement\n\n"
        "Related: Mexico and Canada sign a gas deal | More news\n\n"
        "Subscribe now for unlimited access. Already a subscriber? Log in"
    )
    result = extract(text, published=FRI)
    assert [a.parties for a in result.agreements] == [("CHL", "PER")]


# --- the seed article ----------------------------------------------------------------------------------------------


def test_seed_article_yields_one_bolivia_iran_defence_pact() -> None:
    text = (ROOT / "seeds" / "000_0a938d0a15eb8031.txt").read_text(encoding="utf-8")
    result = extract(text, published=dt.date(2023, 8, 3))
    assert len(result.agreements) == 1
    agreement = result.agreements[0]
    assert agreement.parties == ("BOL", "IRN")
    assert agreement.types[0] in ("defense", "security")
    assert (agreement.status, agreement.date, agreement.date_precision) == ("signed", "2023-07", "month")
    assert roles(result)["ARG"] == "third_party"


# --- records and scoring -------------------------------------------------------------------------------------------


def test_record_helpers_round_trip() -> None:
    record = {
        "id": "x1",
        "published": "2024-03-15",
        "text": "Peru and Chile signed a trade agreement on Monday.",
        "other": 1,
    }
    out = extract_record(record)
    assert out == {
        "id": "x1",
        "agreements": [
            {
                "parties": ["CHL", "PER"],
                "type": "economic",
                "status": "signed",
                "date": "2024-03-11",
                "confidence": out["agreements"][0]["confidence"],
                "evidence": "Peru and Chile signed a trade agreement on Monday.",
            }
        ],
    }
    assert 0.0 < out["agreements"][0]["confidence"] <= 1.0
    assert extraction_to_record("x2", extract("Nothing here."))["agreements"] == []
    assert read_jsonl(['{"id": "a"}', "", '{"id": "b"}']) == [{"id": "a"}, {"id": "b"}]


def test_scoring_matches_party_sets_and_prefers_type_agreement() -> None:
    gold = [
        {
            "id": "a",
            "agreements": [
                {"parties": ["FRA", "GBR"], "types": ["nuclear"], "status": "signed", "date": "2010-11"},
                {"parties": ["FRA", "GBR"], "types": ["defense"], "status": "signed", "date": "1947"},
            ],
        },
        {"id": "b", "agreements": []},
    ]
    predicted = {
        "a": [
            {"parties": ["FRA", "GBR"], "type": "defense", "status": "signed", "date": "1947"},
            {"parties": ["FRA", "GBR"], "type": "nuclear", "status": "signed", "date": "2010-11-02"},
        ],
        "b": [{"parties": ["CHN", "RUS"], "type": "defense", "status": "signed", "date": None}],
    }
    report = score(gold, predicted)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 0)
    assert report.overall.type_accuracy == 1.0 and report.overall.date_accuracy == 1.0
    assert [m["kind"] for m in report.misses] == ["FP"]
    assert "F1" in format_report(report)
    assert date_matches("2023-07", "2023-07-20") and not date_matches(None, "2023") and date_matches(None, None)


# --- labelled sets ---------------------------------------------------------------------------------------------------


def _evaluate(path: Path):
    gold = read_jsonl(path)
    predicted = {r["id"]: extract_record(r)["agreements"] for r in gold}
    return score(gold, predicted).overall


def test_dev_set_meets_targets() -> None:
    o = _evaluate(HERE / "dev_gold.jsonl")
    assert o.f1 >= 0.90, o
    assert o.type_accuracy >= 0.90, o
    assert o.status_accuracy >= 0.85, o
    assert o.date_accuracy >= 0.85, o


def test_held_out_set_generalises() -> None:
    # thresholds: the figures reached when the set was frozen, minus a small margin
    o = _evaluate(HERE / "held_out.jsonl")
    assert o.f1 >= 0.82, o
    assert o.type_accuracy >= 0.90, o
    assert o.status_accuracy >= 0.90, o
    assert o.date_accuracy >= 0.88, o


def test_hard_wrapped_paragraphs_read_as_one_sentence() -> None:
    text = (
        "Bolivia's defence minister defended on Monday the memorandum of understanding on defence\n"
        "cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators\n"
        "that the accord covers training.\n"
    )
    agreement = one(text, published=dt.date(2023, 8, 14))
    assert (agreement.parties, agreement.status, agreement.date) == (("BOL", "IRN"), "signed", "2023-07-20")


def test_a_headline_line_is_not_glued_to_the_story() -> None:
    text = "Peru and Chile Sign Trade Pact in Lima\nPeru and Chile signed a trade agreement on Monday."
    agreement = one(text)
    assert agreement.evidence.text == "Peru and Chile signed a trade agreement on Monday."


# --- rules-1.1: rules added after scoring the engine on fresh.jsonl ---------------------------------------------


def test_fresh_set_generalises() -> None:
    # fresh.jsonl was written before the engine's code was read; thresholds: figures reached, minus a small margin
    o = _evaluate(HERE / "fresh.jsonl")
    assert o.f1 >= 0.70, o
    assert o.type_accuracy >= 0.88, o
    assert o.status_accuracy >= 0.88, o
    assert o.date_accuracy >= 0.83, o


def test_to_as_a_preposition_is_not_an_infinitive() -> None:
    text = "During a visit to Dhaka the two governments signed a coastal shipping agreement on Tuesday."
    result = extract(f"India and Bangladesh held talks. {text}", published=FRI)
    assert [(a.status, a.date) for a in result.agreements] == [("signed", "2024-03-12")]


def test_modal_carries_over_a_coordinated_verb() -> None:
    text = (
        "Greece and North Macedonia signed an agreement on Sunday. "
        "The deal must be approved by parliament and in a referendum, and then ratified in Athens."
    )
    agreement = one(text)
    assert (agreement.status, agreement.date) == ("signed", "2024-03-10")


def test_needs_ratification_is_not_ratified() -> None:
    text = (
        "Fifteen economies led by China and Japan signed a trade pact on Sunday. "
        "The deal still needs ratification by six members before it can take effect."
    )
    assert one(text).status == "signed"


def test_verb_governing_a_contract_does_not_touch_the_agreement() -> None:
    text = (
        "Australia, Britain and the United States signed an agreement on Monday on naval propulsion. "
        "The plan provoked a storm in September when Canberra cancelled a $90 billion contract with a French firm."
    )
    agreement = one(text)
    assert (agreement.status, agreement.date) == ("signed", "2024-03-11")


def test_agreeing_to_extend_a_treaty_keeps_it_in_force() -> None:
    text = "China and Russia agreed on Monday to extend their 2001 friendship treaty for five years."
    agreement = one(text)
    assert (agreement.status, agreement.date, agreement.types[0]) == ("in_force", "2024-03-11", "diplomatic")


def test_announced_decision_to_scrap_is_a_termination() -> None:
    text = "South Korea said on Thursday it would scrap a military intelligence-sharing pact with Japan."
    agreement = one(text)
    assert (agreement.parties, agreement.status, agreement.date) == (("JPN", "KOR"), "terminated", "2024-03-14")


def test_threat_to_scrap_on_a_condition_stays_unlabelled() -> None:
    # guard for the rule above: a conditional threat is not a decision
    text = "South Korea said on Thursday it would scrap a military pact with Japan if Tokyo kept its trade curbs."
    assert all(a.status != "terminated" for a in extract(text, published=FRI).agreements)


def test_former_state_is_placed_by_the_instruments_own_year() -> None:
    text = (
        "The 1987 missile treaty, signed by Ronald Reagan and Soviet leader Mikhail Gorbachev, collapsed in 2019 "
        "when Washington pulled out of it, citing Russian violations."
    )
    agreement = one(text)
    assert (agreement.parties, agreement.status, agreement.date) == (("SUN", "USA"), "terminated", "2019")


def test_anaphor_names_the_parties_the_lede_left_open() -> None:
    text = (
        "The leaders of Iran and four other countries bordering the Caspian signed a convention on Sunday. "
        "The presidents of Russia, Iran, Kazakhstan, Azerbaijan and Turkmenistan put their signatures to the "
        "document at a summit."
    )
    agreement = one(text)
    assert (agreement.parties, agreement.date) == (("AZE", "IRN", "KAZ", "RUS", "TKM"), "2024-03-10")


def test_later_signing_without_a_date_takes_the_ledes_day() -> None:
    text = (
        "India and China agreed on Monday on principles for settling their border dispute. "
        "A protocol on military confidence-building measures was also inked by India and China."
    )
    agreement = one(text)
    assert (agreement.status, agreement.date) == ("signed", "2024-03-11")


def test_company_nationality_is_not_a_party() -> None:
    text = "US and Chinese companies signed deals worth more than $250 billion on Thursday."
    assert extract(text, published=FRI).agreements == ()


def test_capital_in_an_instruments_name_is_not_a_party() -> None:
    text = "Israel signed the Oslo accords on Monday with the Palestinians."
    assert all("NOR" not in a.parties for a in extract(text, published=FRI).agreements)


def test_denied_signing_is_not_a_signature() -> None:
    text = "Cambodia on Monday rejected a report that it had signed a secret agreement with China."
    assert all(a.status != "signed" for a in extract(text, published=FRI).agreements)


def test_official_titles_do_not_set_the_domain() -> None:
    text = (
        "Iran and Saudi Arabia signed a joint statement on Friday on their relations, the Iranian security official "
        "and the Saudi security adviser said."
    )
    assert one(text).types == ("diplomatic",)
