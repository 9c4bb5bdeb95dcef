"""Dyad-years: one row per unordered pair of countries per year in which they share an agreement in force.

The layout political scientists use with ATOP and COW dyad-year files: the pair (tracker codes and the COW codes
they had that year), the year, how many shared agreements of each type were in force, how many were signed,
in force and terminated, and ATOP-style obligation flags from imported alliances. Three queries whatever the size;
everything else is arithmetic on years in memory, pair by pair.

The API export is bounded (FIRST_YEAR, FUTURE_YEARS, MAX_YEARS), streamed within a time limit, and its default file
(every visible agreement, all years) is cached until anything it is made of changes.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations, islice

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from tracker.importers.cow import ccode_for
from tracker.models import Agreement, AgreementParty, AgreementStatus, AgreementType, Country, StatusChange
from tracker.partial_dates import PartialDate

logger = logging.getLogger(__name__)

# The export's bounds. The data begins with ATOP's first alliances in 1815 (COW's state system in 1816); a year
# later than a few years from now can only repeat the agreements in force today, and each year past the data costs
# as much as a year of it: end_year=2200 took 31 s and 825 MB, end_year=3834 outlived the server's timeout.
FIRST_YEAR = 1815
FUTURE_YEARS = 5
MAX_YEARS = 250

TYPE_COLUMNS = list(AgreementType.values)
STATUS_COLUMNS = ["signed", "in_force", "terminated"]
OBLIGATION_COLUMNS = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
DYAD_YEAR_COLUMNS: list[str] = [
    "code_a",
    "code_b",
    "ccode_a",
    "ccode_b",
    "year",
    *TYPE_COLUMNS,
    *STATUS_COLUMNS,
    *OBLIGATION_COLUMNS,
]

# ATOP's own dyad-year names, for merging with ATOP's files on (stateA, stateB, year): COW codes, the smaller first,
# `atopally` 1 when the pair shares an ATOP alliance in force, then its obligations; our codes close the row.
ATOP_COLUMNS: list[str] = [
    "stateA",
    "stateB",
    "year",
    "atopally",
    *(name.removeprefix("atop_") for name in OBLIGATION_COLUMNS),
    "code_a",
    "code_b",
]
_COLUMN = {name: index for index, name in enumerate(DYAD_YEAR_COLUMNS)}

_TYPE_INDEX = {name: index for index, name in enumerate(TYPE_COLUMNS)}
_SIGNED, _IN_FORCE, _TERMINATED = (len(TYPE_COLUMNS) + i for i in range(3))
_OBLIGATION_INDEX = {name.removeprefix("atop_"): _TERMINATED + 1 + i for i, name in enumerate(OBLIGATION_COLUMNS)}
_WIDTH = len(TYPE_COLUMNS) + len(STATUS_COLUMNS) + len(OBLIGATION_COLUMNS)
_NEVER = datetime.date.max


def _life(changes: list[tuple[str, datetime.date, str]]) -> tuple[datetime.date | None, datetime.date, int | None]:
    """(first day in force, last day in force, signature year) from an agreement's dated status history.
    A termination counts from the last day of the period it is known to (a year-precise end keeps the whole year)."""
    in_force = [date for status, date, _ in changes if status == AgreementStatus.IN_FORCE]
    signed = [date.year for status, date, _ in changes if status == AgreementStatus.SIGNED]
    start = min(in_force) if in_force else None
    ends = [
        PartialDate.from_parts(date, precision).last_day()
        for status, date, precision in changes
        if status == AgreementStatus.TERMINATED and (start is None or date >= start)
    ]
    return start, max(ends) if ends else _NEVER, min(signed) if signed else None


# One agreement as shared by one pair: (type column, obligation columns, first year in force together, last year in
# force together or None while it lasts, signature year, termination year), the two years only when both were
# members then.
_Shared = tuple[int, tuple[int, ...], int | None, int | None, int | None, int | None]


def _load(agreements: QuerySet[Agreement]) -> tuple[dict, dict, dict, dict]:
    """The three queries: agreements (type, obligations), dated status history, memberships with COW codes."""
    ids = agreements.values("pk")
    meta: dict[int, tuple[int, tuple[int, ...]]] = {}
    for pk, kind, attributes in agreements.values_list("pk", "type", "attributes"):
        obligations = ((attributes or {}).get("atop") or {}).get("obligations") or []
        meta[pk] = (_TYPE_INDEX.get(kind, _TYPE_INDEX["other"]), tuple(_OBLIGATION_INDEX[o] for o in obligations))
    history: dict[int, list] = defaultdict(list)
    for row in StatusChange.objects.filter(agreement__in=ids, date__isnull=False).values_list(
        "agreement_id", "status", "date", "date_precision"
    ):
        history[row[0]].append(row[1:])
    members: dict[int, list] = defaultdict(list)
    cow_codes: dict[str, int | None] = {}
    for agreement_id, code, cow_code, joined, left in AgreementParty.objects.filter(agreement__in=ids).values_list(
        "agreement_id", "country__code", "country__cow_code", "joined_on", "left_on"
    ):
        members[agreement_id].append((code, joined or datetime.date.min, left or _NEVER))
        cow_codes[code] = cow_code
    return meta, history, members, cow_codes


def _shared_by_pair(meta: dict, history: dict, members: dict) -> dict[tuple[str, str], list[_Shared]]:
    """Each pair of countries with the agreements they shared, and when. Far fewer entries than dyad-years."""
    pairs: dict[tuple[str, str], list[_Shared]] = defaultdict(list)
    for pk, parties in members.items():
        type_index, obligations = meta[pk]
        start, end, signed_year = _life(history.get(pk, []))
        ended = end.year if end is not _NEVER else None
        for (a, a_from, a_to), (b, b_from, b_to) in combinations(sorted(parties), 2):
            if a == b:
                continue
            together_from, together_to = max(a_from, b_from), min(a_to, b_to)
            if together_from > together_to:
                continue
            first = last = None
            if start is not None:
                first, last_day = max(together_from, start).year, min(together_to, end)
                last = None if last_day is _NEVER else last_day.year
            signed, terminated = (
                year if year is not None and together_from.year <= year <= together_to.year else None
                for year in (signed_year, ended)
            )
            pairs[(a, b)].append((type_index, obligations, first, last, signed, terminated))
    return pairs


def _pair_years(shared: list[_Shared], first_year: int, last_year: int) -> Iterator[tuple[int, list[int]]]:
    """The years a pair shares an agreement in force, with its counts, in order."""
    counts: dict[int, list[int]] = {}
    events: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for type_index, obligations, first, last, signed, terminated in shared:
        if first is not None:
            for year in range(max(first, first_year), min(last_year if last is None else last, last_year) + 1):
                row = counts.get(year)
                if row is None:
                    row = counts[year] = [0] * _WIDTH
                row[type_index] += 1
                row[_IN_FORCE] += 1
                for index in obligations:
                    row[index] = 1
        for position, year in ((0, signed), (1, terminated)):
            if year is not None:
                events[year][position] += 1
    for year in sorted(counts):
        row = counts[year]
        row[_SIGNED], row[_TERMINATED] = events.get(year, (0, 0))
        yield year, row


def dyad_year_tuples(
    *,
    agreements: QuerySet[Agreement] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Iterator[tuple]:
    """dyad_year_rows as tuples in DYAD_YEAR_COLUMNS order (the CSV writers' form: no dict per row).

    Pair by pair, so rows come out as they are made: memory holds the pairs' shared agreements, not every
    dyad-year, and the first rows are ready after the three queries."""
    if agreements is None:
        agreements = Agreement.objects.visible().filter(merged_into__isnull=True)
    last_year = end_year if end_year is not None else timezone.localdate().year
    first_year = start_year if start_year is not None else 1
    meta, history, members, cow_codes = _load(agreements)
    pairs = _shared_by_pair(meta, history, members)
    for a, b in sorted(pairs):
        for year, row in _pair_years(pairs[(a, b)], first_year, last_year):
            yield (a, b, ccode_for(a, year, cow_codes[a]), ccode_for(b, year, cow_codes[b]), year, *row)


def dyad_year_rows(
    *,
    agreements: QuerySet[Agreement] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Iterator[dict]:
    """Dyad-years of `agreements` (default: every visible, unmerged agreement), sorted by code_a, code_b, year.

    A pair shares an agreement in a year when both were parties at some common moment of that year while it was in
    force (from its first "in force" step to its termination, each member from joining to leaving). Type columns
    count those agreements by primary type, `in_force` counts them all, `signed` and `terminated` count the shared
    agreements signed or terminated that year, and the `atop_*` columns are 1 when one of them is an ATOP alliance
    with that obligation. Years run to `end_year`, by default the current year, for agreements still in force."""
    for values in dyad_year_tuples(agreements=agreements, start_year=start_year, end_year=end_year):
        yield dict(zip(DYAD_YEAR_COLUMNS, values, strict=True))


def write_dyad_year_csv(rows: Iterable[dict], stream) -> None:
    """Write dyad-year rows as CSV with a header; a missing COW code is an empty field."""
    writer = csv.DictWriter(stream, fieldnames=DYAD_YEAR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


# --- Exporting --------------------------------------------------------------------------------------------------------


class ExportTimeLimit(Exception):
    """The export ran past its time limit. Raised mid-stream, so the server cuts the response off: its chunked body
    never ends, which HTTP clients report as an error rather than reading a truncated file as complete."""


def atop_layout(rows: Iterable[tuple]) -> Iterator[tuple]:
    """dyad_year_tuples in ATOP_COLUMNS order. A pair one of whose countries has no COW code that year cannot be
    merged with ATOP's files, so it is left out."""
    obligations = [_COLUMN[name] for name in OBLIGATION_COLUMNS]
    for row in rows:
        ccode_a, ccode_b = row[_COLUMN["ccode_a"]], row[_COLUMN["ccode_b"]]
        if ccode_a in (None, "") or ccode_b in (None, ""):
            continue
        flags = [row[index] for index in obligations]
        state_a, state_b = sorted((ccode_a, ccode_b))
        yield (state_a, state_b, row[_COLUMN["year"]], int(any(flags)), *flags, row[0], row[1])


def latest_year() -> int:
    """The last year an export may reach: agreements with a scheduled end, a few years ahead."""
    return timezone.localdate().year + FUTURE_YEARS


def default_years(*, start_year: int | None = None, end_year: int | None = None) -> tuple[int, int]:
    """The years an export covers: up to this year, from FIRST_YEAR (or MAX_YEARS back, once that is later)."""
    end = end_year if end_year is not None else timezone.localdate().year
    start = start_year if start_year is not None else max(FIRST_YEAR, end - MAX_YEARS + 1)
    return start, end


def dyad_year_csv_chunks(
    rows: Iterable[tuple], *, deadline: float | None = None, size: int = 2000, header: list[str] = DYAD_YEAR_COLUMNS
) -> Iterator[bytes]:
    """CSV (header first) in chunks of `size` rows, for a streaming response; past `deadline` (time.monotonic())
    it raises ExportTimeLimit instead of going on."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue().encode()
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        if deadline is not None and time.monotonic() > deadline:
            logger.warning("Dyad-year export cut off at its time limit (EXPORT_TIME_LIMIT).")
            raise ExportTimeLimit("The dyad-year export ran past its time limit.")
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue().encode()


_CACHE_KEY = "exports:dyad-years:default"
_CACHE_SECONDS = 24 * 3600


def data_version() -> str:
    """Changes whenever the default file may have: an edit or an import of an agreement, a party, a status step or
    a country (each leaves a history row), a bulk write that leaves none (row counts, highest ids), a new year."""
    parts: list = [timezone.localdate().year]
    for model in (Agreement, AgreementParty, StatusChange, Country):
        parts.extend(model.objects.aggregate(rows=Count("pk"), top=Max("pk")).values())
        parts.append(model.history.aggregate(top=Max("history_id"))["top"])
    return ":".join(map(str, parts))


def _inflate(compressed: bytes, size: int = 1 << 16) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for offset in range(0, len(compressed), size):
        yield inflater.decompress(compressed[offset : offset + size])
    yield inflater.flush()


def default_dyad_year_csv(*, deadline: float | None = None) -> Iterator[bytes]:
    """The default export (every visible agreement, default_years()) as CSV chunks, from the cache while its data
    has not changed; otherwise made, streamed and cached at once.

    One cache entry, replaced when the data changes, rather than one per version: old files must not pile up in a
    process's memory. It is stored compressed (the CSV shrinks about eightfold) and only once complete."""
    version = data_version()
    cached = cache.get(_CACHE_KEY)
    if cached is not None and cached[0] == version:
        yield from _inflate(cached[1])
        return
    start, end = default_years()
    deflater, parts = zlib.compressobj(), []
    for chunk in dyad_year_csv_chunks(dyad_year_tuples(start_year=start, end_year=end), deadline=deadline):
        parts.append(deflater.compress(chunk))
        yield chunk
    parts.append(deflater.flush())
    cache.set(_CACHE_KEY, (version, b"".join(parts)), timeout=_CACHE_SECONDS)
