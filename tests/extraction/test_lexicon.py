"""The lexicon's integrity: every row's example reads as the row says, and derived fast paths cover every row.

Adding a vocabulary row means adding its example; these tests run each example through the stage that reads it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from articles.extraction import extract, lexicon
from articles.extraction.classify import keyword_scores
from articles.extraction.cues import find_cues
from articles.extraction.dates import find_dates
from articles.extraction.phrases import find_noun_phrases
from articles.extraction.pipeline import read_story
from articles.extraction.results import STATUSES, TYPES

DATES = lexicon.load("dates")
REFERENCE = DATES["reference_date"]


def test_lexicon_files_are_read_from_the_package_directory() -> None:
    assert {p.stem for p in (lexicon.HERE / "en").glob("*.toml")} >= {"dates"}
    assert isinstance(REFERENCE, dt.date)


@pytest.mark.parametrize("phrase", sorted(DATES["relative"]))
def test_relative_date_example_resolves_as_stated(phrase: str) -> None:
    row = DATES["relative"][phrase]
    found = [(d.text.lower(), d.value, d.future) for d in find_dates(row["example"], REFERENCE)]
    assert (phrase, row["expect"], row.get("future", False)) in found, found


@pytest.mark.parametrize("month", sorted(DATES["months"]["full"]))
def test_every_month_name_is_read(month: str) -> None:
    number = DATES["months"]["full"][month]
    (found,) = find_dates(f"signed on 5 {month.capitalize()} 2011", REFERENCE)
    assert found.value == f"2011-{number:02d}-05"


@pytest.mark.parametrize("abbreviation", sorted(DATES["months"]["abbreviated"]))
def test_every_month_abbreviation_is_read_with_or_without_its_period(abbreviation: str) -> None:
    number = DATES["months"]["abbreviated"][abbreviation]
    for text in (f"signed on {abbreviation.capitalize()}. 5, 2011", f"signed on {abbreviation.capitalize()} 5, 2011"):
        (found,) = find_dates(text, REFERENCE)
        assert found.value == f"2011-{number:02d}-05", text


@pytest.mark.parametrize("weekday", sorted(DATES["weekdays"]))
def test_every_weekday_resolves_to_the_past_week(weekday: str) -> None:
    (found,) = find_dates(f"signed on {weekday.capitalize()}", REFERENCE)
    value = dt.date.fromisoformat(found.value)
    assert value.weekday() == DATES["weekdays"][weekday]
    assert dt.timedelta(0) <= REFERENCE - value < dt.timedelta(days=7)


TYPES_LEXICON = lexicon.load("types")


def test_type_keywords_have_one_table_per_type() -> None:
    assert set(TYPES_LEXICON) == {*TYPES, "titles", "neutral"}


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_keyword_alone_scores_its_type(type_: str) -> None:
    for phrase, weight in TYPES_LEXICON[type_].items():
        assert keyword_scores(phrase, 1.0) == {type_: weight}, phrase


def test_neutral_names_score_nothing() -> None:
    for phrase in TYPES_LEXICON["neutral"]:
        assert not keyword_scores(phrase, 1.0), phrase


INSTRUMENTS = lexicon.load("instruments")


def _head(np) -> str:
    return " ".join(np.head.lower().split())


@pytest.mark.parametrize("row", INSTRUMENTS["heads"], ids=lambda row: (row.get("forms") or row["plural"])[0])
def test_instrument_head_example_yields_one_agreement_named_by_that_head(row: dict) -> None:
    example = row["example"]
    forms = {*row.get("forms", []), *row.get("plural", [])}
    assert any(_head(np) in forms for np in find_noun_phrases(example, 0, len(example), set()))
    assert len(extract(example, published=REFERENCE).agreements) == 1


@pytest.mark.parametrize("row", INSTRUMENTS["heads"], ids=lambda row: (row.get("forms") or row["plural"])[0])
def test_instrument_head_forms_read_as_one_or_a_group_as_stated(row: dict) -> None:
    for form, group in [(f, row.get("collective", False)) for f in row.get("forms", [])] + [
        (f, True) for f in row.get("plural", [])
    ]:
        for det, expected in (("the", group), ("several", group and row.get("counted", False))):
            text = f"They signed {det} economic {form} on Monday."
            (np,) = find_noun_phrases(text, 0, len(text), set())
            assert (_head(np), np.plural, np.weak) == (form, expected, row.get("weak", False)), text


@pytest.mark.parametrize("name", sorted(INSTRUMENTS["known"]))
def test_known_instrument_example_is_named_and_typed_as_stated(name: str) -> None:
    row = INSTRUMENTS["known"][name]
    (agreement,) = extract(row["example"], published=REFERENCE).agreements
    assert (agreement.name, agreement.types[0]) == (name, row["type"])


CUES = lexicon.load("cues")["cue"]


@pytest.mark.parametrize("row", CUES, ids=lambda row: row["name"])
def test_status_cue_example_reads_as_its_row(row: dict) -> None:
    example = row["example"]
    found = [(c.rule, c.status, c.strength) for c in find_cues(example, 0, len(example))]
    assert (row["name"], row["status"], row["strength"]) in found, found


def test_cue_names_are_unique_and_statuses_are_the_engines() -> None:
    assert len({row["name"] for row in CUES}) == len(CUES)
    assert {row["status"] for row in CUES} <= set(STATUSES)


def test_every_cue_pattern_opens_with_a_word_boundary_and_a_literal() -> None:
    for row in CUES:
        pattern = row["pattern"] if isinstance(row["pattern"], str) else "".join(row["pattern"])
        assert lexicon.starts_at_word_boundary(pattern), row["name"]
        assert "" not in lexicon.opening_literals(pattern), row["name"]


@pytest.mark.parametrize(
    ("pattern", "text", "opens"),
    [
        (r"\bsign(?:ed|s)?\b", "they signed it", "sign"),
        (r"\b(?:final\s+)?(?:text|draft)\b", "the final text", "final"),
        (r"\b(?:final\s+)?(?:text|draft)\b", "the draft", "draft"),
        (r"\bagreed(?=\s+to)", "agreed to", "agreed"),
        (r"\bt(?:ook|ake)\s+effect", "took effect", "took"),
    ],
)
def test_opening_literals_cover_every_match(pattern: str, text: str, opens: str) -> None:
    openings = lexicon.opening_literals(pattern)
    match = re.search(pattern, text)
    assert match is not None
    assert any(text.startswith(p, match.start()) for p in openings)
    assert opens in openings


ACTORS = lexicon.load("actors")


@pytest.mark.parametrize(
    ("table", "names"),
    [("organisations", "names"), ("non_state_signers", "names"), ("counterparts", "names"), ("firms", "signers")],
)
def test_actor_in_its_example_leaves_no_agreement_between_states(table: str, names: str) -> None:
    rows = ACTORS[table]
    gaps = set(rows.get("read_as_a_state", []))
    for name in rows[names]:
        found = extract(rows["example"].format(name), published=REFERENCE).agreements
        assert bool(found) == (name in gaps), name


ROLES = lexicon.load("roles")
# tables whose example gives Brazil a role of its own; in the others' it is only kept out of the parties
ROLE_OF_BRAZIL = {"hosts": "host_or_mediator", "occasions": "host_or_mediator", "reactions": "third_party"}


@pytest.mark.parametrize("table", sorted(ROLES))
def test_role_form_in_its_example_keeps_brazil_out_of_the_parties(table: str) -> None:
    for form in ROLES[table]["forms"]:
        story = read_story(ROLES[table]["example"].format(form), published=REFERENCE)
        excluded = {m.code: m.excluded for m in story.mentions}
        assert [a.parties for a in story.candidates] == [("CHL", "PER")], form
        if table in ROLE_OF_BRAZIL:
            roles = {m.code: m.role for m in extract(story.text, published=REFERENCE).mentions}
            assert roles["BRA"] == ROLE_OF_BRAZIL[table], form
        else:
            assert excluded == {"PER": False, "CHL": False, "BRA": True}, form


def test_every_publisher_word_in_its_example_makes_the_state_a_publisher() -> None:
    table = ACTORS["publishers"]
    names = [f"Pakistan {word}" for word in table["after"]] + [f"{word} Pakistan" for word in table["before"]]
    for name in names:
        result = extract(table["example"].format(name), published=REFERENCE)
        assert [a.parties for a in result.agreements] == [("GHA", "KEN")], name
        assert {m.kind for m in result.mentions if m.code == "PAK"} == {"agency"}, name
