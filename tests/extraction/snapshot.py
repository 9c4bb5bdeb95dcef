"""The engine's output on every labelled set, byte for byte: the safety net for refactoring the engine.

python -m tests.extraction.snapshot          # rewrite the snapshots after a deliberate behaviour change
"""

from __future__ import annotations

import json
from pathlib import Path

from articles.extraction.records import extract_record, read_jsonl

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "snapshots"
LABELLED_SETS: tuple[Path, ...] = (
    *sorted(HERE.glob("*.jsonl")),
    *sorted((HERE / "real").glob("*.jsonl")),
)


def snapshot_path(labelled: Path) -> Path:
    prefix = "real_" if labelled.parent.name == "real" else ""
    return SNAPSHOTS / f"{prefix}{labelled.name}"


def render(labelled: Path) -> str:
    """One JSON line of `extract_record` output per labelled article, in file order."""
    lines = (json.dumps(extract_record(record), ensure_ascii=False, sort_keys=True) for record in read_jsonl(labelled))
    return "".join(line + "\n" for line in lines)


def main() -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for labelled in LABELLED_SETS:
        snapshot_path(labelled).write_text(render(labelled), encoding="utf-8")
        print(snapshot_path(labelled).relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main()
