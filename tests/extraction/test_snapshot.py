"""Refactoring the engine keeps its output identical; a deliberate change rewrites the snapshot in the same commit."""

import difflib

import pytest

from tests.extraction.snapshot import LABELLED_SETS, render, snapshot_path


@pytest.mark.parametrize("labelled", LABELLED_SETS, ids=lambda path: snapshot_path(path).name)
def test_engine_output_matches_the_committed_snapshot(labelled):
    expected = snapshot_path(labelled).read_text(encoding="utf-8")
    actual = render(labelled)
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "snapshot", "engine", lineterm="", n=0)
        pytest.fail(
            "engine output changed (python -m tests.extraction.snapshot rewrites it):\n" + "\n".join(list(diff)[:40])
        )


def test_every_labelled_set_has_a_snapshot():
    assert len(LABELLED_SETS) == 9
    assert all(snapshot_path(path).exists() for path in LABELLED_SETS)
