"""The learned stage: proposals, features, weights applied in pure Python, calibration, grouped folds, training."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.extraction import extract
from articles.extraction.decide import candidate_rows, decide
from articles.extraction.features import date_options
from articles.extraction.model import MODEL_FILE, Calibration, Decisions, LinearModel, load_decisions
from articles.extraction.pipeline import extract_by_rules, read_rules
from articles.extraction.proposals import propose, proposed_status
from articles.extraction.signals import has_signal, signals_in, words
from articles.extraction.training import assign_folds, calibration_error, train

ROOT = Path(__file__).resolve().parents[2]


def _reading(text: str, published: dt.date | None = dt.date(2024, 5, 10), title: str | None = None):
    ruled, reading = read_rules(text, published=published, title=title)
    return reading, ruled


# --- signals: word groups as data ------------------------------------------------------------------------------


def test_every_word_of_every_signal_group_is_found():
    for name, listed in words().items():
        for word in listed:
            sample = word.removesuffix("*") + ("ed" if word.endswith("*") else "")
            assert name in signals_in(f"They said {sample.upper()} there."), (name, word)
            assert has_signal(f"They said {sample.upper()} there.", name), (name, word)


def test_signals_match_whole_words_only():
    assert "negation" not in signals_in("Norway and Iceland signed a nota verbale.")
    assert {"signed", "memorandum", "instrument"} <= signals_in("They inked a memorandum.")
    assert "negation" in signals_in("Oslo didn’t sign it.")
    assert "in_force" in signals_in("It entered into\nforce.")


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("The two states signed a treaty.", "signed"),
        ("The two states will sign a treaty next month.", "proposed"),
        ("Parliament ratified the treaty.", "in_force"),
        ("Ankara withdrew from the treaty.", "terminated"),
    ],
)
def test_a_proposal_takes_the_status_its_sentence_words_suggest(sentence, status):
    assert proposed_status(signals_in(sentence)) == status


# --- proposals ---------------------------------------------------------------------------------------------------


def test_states_named_together_in_an_instrument_sentence_are_proposed_once_each():
    text = "Kenya, Uganda and Rwanda discussed a customs protocol in Nairobi. Kenya and Uganda praised it."
    reading, _ = _reading(text)
    proposed = {c.parties for c in propose(reading, known=set())}
    assert proposed == {("KEN", "RWA", "UGA"), ("KEN", "RWA"), ("KEN", "UGA"), ("RWA", "UGA")}


def test_party_sets_the_rules_already_proposed_are_not_proposed_again():
    reading, _ = _reading("Kenya and Uganda signed a customs protocol in Nairobi.")
    assert propose(reading, known={("KEN", "UGA")}) == []


def test_a_sentence_without_an_instrument_proposes_nothing():
    reading, _ = _reading("Kenya and Uganda held talks in Nairobi about trade.")
    assert propose(reading, known=set()) == []


# --- features and decisions ------------------------------------------------------------------------------------


def test_a_second_candidate_with_the_same_parties_says_how_it_relates_to_the_first():
    text = "Morocco and Israel signed a defence agreement in Rabat. Morocco and Israel signed a defence memorandum."
    reading, ruled = _reading(text)
    rows = candidate_rows(reading, ruled.agreements)
    same = [r for r in rows if r.candidate.parties == ("ISR", "MAR")]
    assert "same_parties:same_type" not in same[0].features
    assert same[1].features["same_parties:same_type"] == 1.0
    assert same[1].features["same_parties:next_sentence"] == 1.0


def test_date_options_are_no_date_the_dates_near_the_evidence_and_the_publication_date():
    reading, ruled = _reading("Chile and Peru signed a fisheries accord on 3 May 2024. A 1999 accord expired.")
    options = date_options(ruled.agreements[0], reading)
    assert [(o.source, o.value) for o in options] == [
        ("none", None),
        ("text", "2024-05-03"),
        ("text", "1999"),
        ("published", "2024-05-10"),
        ("published", "2024-05"),
    ]


def _decisions(threshold: float, *, date_weights: dict[str, float] | None = None) -> Decisions:
    return Decisions(
        acceptance=LinearModel({"origin:rules": 2.0, "origin:proposal": -2.0}, 0.0),
        calibration=Calibration((), ()),
        threshold=threshold,
        dates=LinearModel(date_weights or {}, 0.0),
    )


def test_decide_keeps_candidates_at_or_above_the_threshold_with_their_probability_as_confidence():
    text = "Kenya, Uganda and Rwanda signed a customs protocol in Nairobi."
    reading, ruled = _reading(text)
    kept = decide(reading, ruled.agreements, _decisions(0.5))
    assert [c.parties for c in kept] == [c.parties for c in ruled.agreements]
    assert {c.confidence for c in kept} == {0.881}  # 1 / (1 + e^-2)
    assert decide(reading, ruled.agreements, _decisions(0.9)) == ()


def test_decide_dates_each_candidate_with_the_best_scoring_option():
    reading, ruled = _reading("Chile and Peru signed a fisheries accord on 3 May 2024.")
    by_publication = decide(reading, ruled.agreements, _decisions(0.5, date_weights={"source:published": 5.0}))
    assert {(c.date, c.date_precision) for c in by_publication} == {("2024-05-10", "day")}
    undated = decide(reading, ruled.agreements, _decisions(0.5, date_weights={"source:none": 5.0}))
    assert {c.date for c in undated} == {None} and all("date" not in c.field_evidence for c in undated)


def test_without_decisions_the_engine_gives_the_rules_alone():
    text = "Chile and Peru signed a fisheries accord on 3 May 2024."
    assert extract(text, published=dt.date(2024, 5, 10), decisions=None) == extract_by_rules(
        text, published=dt.date(2024, 5, 10)
    )


# --- weights, calibration, folds -------------------------------------------------------------------------------


def test_linear_model_sums_named_weights_and_ignores_unknown_features():
    model = LinearModel({"a": 1.5, "b": -0.5}, intercept=-1.0)
    assert model.score({"a": 1.0, "b": 2.0, "unseen": 9.0}) == pytest.approx(-0.5)
    assert model.probability({}) == pytest.approx(0.2689, abs=1e-4)


def test_calibration_interpolates_between_its_steps_and_clips_outside_them():
    calibration = Calibration(xs=(0.2, 0.6), ys=(0.1, 0.9))
    assert calibration(0.0) == 0.1 and calibration(1.0) == 0.9
    assert calibration(0.4) == pytest.approx(0.5)


def test_calibration_error_is_zero_when_confidence_matches_the_share_right():
    verdicts = [SimpleNamespace(confidence=0.75, label=i < 3) for i in range(4)]
    assert calibration_error(verdicts) == pytest.approx(0.0)
    assert calibration_error([SimpleNamespace(confidence=0.95, label=False)]) == pytest.approx(0.95)


def test_folds_never_split_a_source():
    articles = [SimpleNamespace(source=f"site{i % 7}.example") for i in range(40)]
    folds = assign_folds(articles, 5)
    by_source: dict[str, set[int]] = {}
    for article, fold in zip(articles, folds, strict=True):
        by_source.setdefault(article.source, set()).add(fold)
    assert all(len(f) == 1 for f in by_source.values())
    assert sorted(folds.count(f) for f in range(5)) == [6, 6, 6, 11, 11]


def test_the_shipped_model_is_what_the_training_command_produces(tmp_path):
    output = tmp_path / "decisions.json"
    train(output=output, measure=False)
    assert json.loads(output.read_text()) == json.loads(MODEL_FILE.read_text())


def test_shipped_decisions_are_loaded_for_english_only():
    assert load_decisions("en") is not None
    assert load_decisions("xx") is None


def test_the_engine_imports_no_training_library():
    code = "import sys, articles.extraction; assert not any(m.startswith(('sklearn', 'numpy')) for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
