"""Time the historical baseline: import every data set into an empty database, import again (a no-op), and compute
every dyad-year. Uses a fresh SQLite file unless DATABASE_URL is set (then that database must be disposable).

    .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='bench-import-')}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("TQDM_DISABLE", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from tracker.dyads import dyad_year_rows  # noqa: E402
from tracker.importers.atop import atop_import  # noqa: E402
from tracker.importers.cow import cow_states_import  # noqa: E402
from tracker.importers.desta import desta_import  # noqa: E402
from tracker.services import countries_load  # noqa: E402


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"{label:<38} {elapsed:6.2f} s   {result}")
    return elapsed


def import_everything() -> str:
    reports = [countries_load(), cow_states_import(), atop_import(), desta_import()]
    return " | ".join(str(report).splitlines()[0] for report in reports)


def main() -> None:
    call_command("migrate", verbosity=0)
    first = timed("first import (countries, COW, ATOP, DESTA)", import_everything)
    again = timed("second import (no-op)", import_everything)
    rows = []
    dyads = timed("all dyad-years", lambda: f"{len(rows.__iadd__(list(dyad_year_rows())))} rows")
    print(f"\nImport of every data set: {first:.2f} s (budget 60 s); re-import {again:.2f} s.")
    print(f"Dyad-years: {dyads:.2f} s for {len(rows)} rows. Database: {os.environ['DATABASE_URL'].split('@')[-1]}")


if __name__ == "__main__":
    main()
