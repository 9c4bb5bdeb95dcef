"""No figure falls below the committed baseline; the README shows the baseline as it is."""

import json
from pathlib import Path

import pytest

from tests.extraction.baseline import BASELINE, FIELDS, measure, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def baseline():
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measured(baseline):
    return measure(baseline["folds"])


def test_no_out_of_fold_figure_falls_below_its_floor(baseline, measured):
    eps = baseline["epsilon"]
    lower = [
        (name, field, measured["sets"][name][field], entry["out_of_fold"][field])
        for name, entry in baseline["sets"].items()
        for field in FIELDS
        if measured["sets"][name][field] < entry["out_of_fold"][field] - eps
    ]
    assert not lower, "below the baseline (python -m tests.extraction.baseline --write lowers it on purpose): " + str(
        lower
    )


def test_calibration_holds(baseline, measured):
    eps = baseline["epsilon"]
    assert measured["calibration"]["ece"] <= baseline["calibration"]["ece"] + eps
    assert measured["calibration"]["precision_at_0.9"] >= baseline["calibration"]["precision_at_0.9"] - eps


def test_first_seen_figures_are_kept_for_every_set(baseline):
    assert all("f1" in entry["first_seen"] for entry in baseline["sets"].values())


def test_readme_shows_the_committed_baseline(baseline):
    assert readme_table(baseline) in README.read_text(encoding="utf-8")
