"""--explain: which rule or cue decided each field, and why each dropped instrument was dropped."""

from __future__ import annotations

import datetime as dt
import json

from articles.extraction.__main__ import main
from articles.extraction.explain import explain
from articles.extraction.pipeline import read_story

FRI = dt.date(2024, 3, 15)


def test_explain_names_the_rule_behind_each_field() -> None:
    lines = explain("Peru and Chile signed a trade agreement on Monday.", published=FRI)
    assert lines[:5] == [
        "candidate 1: CHL+PER · economic · signed · 2024-03-11 (confidence 0.9)",
        "  parties  named_in_the_clause",
        '  type     own_words                           "a trade agreement on Monday"',
        '  status   signed                              "signed"',
        '  date     date_of_the_latest_step             "on Monday"',
    ]


def test_explain_then_gives_the_learned_verdict_with_its_weightiest_features() -> None:
    lines = explain("Peru and Chile signed a trade agreement on Monday.", published=FRI)
    assert lines[5].startswith("learned decisions (kept at confidence >= ")
    assert lines[6].startswith("  rules CHL+PER: kept, confidence ")
    assert lines[6].endswith('; date 2024-03-11 (text "on Monday")')
    assert len(lines) == 8 and lines[7].startswith("    ") and ("+" in lines[7] or "-" in lines[7])


def test_explain_gives_the_reason_for_every_dropped_instrument() -> None:
    text = (
        'Chile on Thursday denied a newspaper report about a pact with Bolivia. "No such deal exists," a spokesman '
        "said. The newspaper had reported that the two neighbours were preparing to sign a water pact."
    )
    assert [line for line in explain(text, published=FRI) if line.startswith("dropped")] == [
        'dropped: "a pact with Bolivia" (sentence 1, single): no_status_and_nothing_to_refer_to',
        'dropped: "such deal exists" (sentence 2, single): skip_if_no_such',
        'dropped: "a water pact" (sentence 3, member): drop_if_denied_nearby',
    ]


def test_the_story_keeps_dropped_instruments_with_their_kind_and_reason() -> None:
    text = "Brazilian and Peruvian companies signed deals worth $2 billion on Thursday."
    story = read_story(text, published=FRI)
    assert story.candidates == []
    assert [(x.kind, x.dropped) for x in story.dropped] == [("group", "void_if_company_signer")]


def test_a_group_dissolved_into_its_members_is_explained() -> None:
    text = (
        "Armenia and Turkey signed two protocols on Saturday. "
        "The ministers signed a protocol on the establishment of diplomatic relations and a second on the "
        "development of bilateral relations."
    )
    lines = explain(text, published=FRI)
    assert [line for line in lines if line.startswith(("candidate", "dropped"))] == [
        "candidate 1: ARM+TUR · diplomatic · signed · 2024-03-09 (confidence 0.75)",
        "candidate 2: ARM+TUR · diplomatic · signed · 2024-03-09 (confidence 0.75)",
        'dropped: "two protocols on Saturday" (sentence 1, group): dissolved_into_its_members',
    ]


def test_module_cli_extract_explain(tmp_path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "published": "2024-03-15", "text": "Peru and Chile signed a trade agreement on Monday."},
        {"id": "b", "published": "2024-03-15", "text": "The weather in Lisbon was mild on Monday."},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["extract", "--input", str(source), "--explain"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "# a",
        "candidate 1: CHL+PER · economic · signed · 2024-03-11 (confidence 0.9)",
        "  parties  named_in_the_clause",
    ]
    assert out[-2:] == ["# b", "no instrument phrase"]
