"""DESTA trade agreements since 1948, with exact dates from the World Bank's GPTAD where both list the same one.

DESTA gives each agreement's member states (ISO numeric codes), signature and entry-into-force years, and later
accessions and withdrawals as their own rows; they become membership dates of the agreement they change. Protocols
and amendments are agreements of their own, linked to the one they amend. Consolidated texts repeat a protocol and
negotiations have no date, so neither is imported (the summary counts them).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import defaultdict
from pathlib import Path

import pycountry
from tqdm import tqdm

from tracker.importers.agreements import AgreementRecord, ImportReport, Member, Step, agreements_import
from tracker.importers.cow import CowMapper, seeds_path
from tracker.models import AgreementStatus, AgreementType, Country, LinkKind
from tracker.partial_dates import PartialDate, Precision
from tracker.reference import crosswalk_path

DATASET = "desta"
SKIPPED_TYPES = {"consolidated": "consolidated texts (repeat a protocol)", "negotiation": "negotiations (no date)"}

# GPTAD's free-text member names that neither ISO nor the crosswalk spell that way.
GPTAD_ALIASES = {
    "zaire": "COD",
    "republic of zaire": "COD",
    "tchad": "TCD",
    "libyan arab jamahiriya": "LBY",
    "sahrawi": "ESH",
    "lao": "LAO",
    "lao pdr": "LAO",
    "korea": "KOR",
    "republic of korea": "KOR",
    "the republic of korea": "KOR",
    "former yugoslav republic of macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "cote d'ivoire": "CIV",
    "the netherlands": "NLD",
    "luxemburg": "LUX",
    "guinea bissau": "GNB",
    "kosovo": "XKX",
    "republic of georgia": "GEO",
    "kyrgyz": "KGZ",
    "the philippines": "PHL",
    "lichtenstein": "LIE",
    "jordon": "JOR",
    "united arab emirates (uae)": "ARE",
    "fiji islands": "FJI",
    "micronesia": "FSM",
    "western samoa": "WSM",
    "yugoslavia": "YUG",
    "netherlands antilles": "ANT",
    "slovak republic": "SVK",
    "cameroun": "CMR",
    "united republic of cameroon": "CMR",
    "bénin": "BEN",
    "sénégal": "SEN",
    "buglaria": "BGR",
    "luxembourt": "LUX",
    "china (taiwan)": "TWN",
}


def desta_path() -> Path:
    return seeds_path("desta_trade_agreements", "DESTA.csv")


def gptad_path() -> Path:
    return seeds_path("gptad_trade_agreements", "GPTAD.csv")


def read_desta(path: Path | None = None) -> list[dict]:
    with (path or desta_path()).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _year(text: str) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _members(row: dict) -> list[tuple[str, str]]:
    """(ISO numeric code, membership type) of every member listed in a DESTA row."""
    return [(row[f"c{i}"], row.get(f"mc{i}", "NA")) for i in range(1, 92) if row.get(f"c{i}", "NA") not in ("NA", "")]


def _name_index() -> dict[str, str]:
    index = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if name:
                index[name.casefold()] = country.alpha_3
    with crosswalk_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in (row["country.name.en"], row["iso.name.en"], row["cow.name"]):
                if row["iso3c"] and name:
                    index.setdefault(name.casefold(), row["iso3c"])
    index.update(GPTAD_ALIASES)
    return index


def _gptad_date(text: str) -> PartialDate | None:
    try:
        return PartialDate(datetime.datetime.strptime(text.strip(), "%m/%d/%Y").date(), Precision.DAY)
    except ValueError:
        return None


def read_gptad(path: Path | None = None) -> dict[tuple[frozenset[str], int], set[tuple]]:
    """(member alpha-3 codes, signature year) → the distinct (signature, entry into force) dates GPTAD gives.
    Agreements whose member list names a bloc ("European Community (Austria; …)") only match when every name in
    it resolves; the others keep DESTA's years."""
    index = _name_index()
    dates: dict[tuple[frozenset[str], int], set[tuple]] = defaultdict(set)
    with (path or gptad_path()).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            signed = _gptad_date(row["Date.of.Signature"])
            if signed is None:
                continue
            text = re.sub(r"(\\r\\n|\s)+", " ", row["Membership"])  # some lists carry escaped line breaks
            names = [name.strip(" .") for name in re.split(r"[,;]", text)]
            codes = [index.get(name.casefold()) for name in names if name]
            if not codes or None in codes:
                continue
            dates[(frozenset(codes), signed.value.year)].add((signed, _gptad_date(row["Date.of.Entry.into.Force"])))
    return dates


def desta_records(rows: list[dict], mapper: CowMapper, names: dict[str, str], gptad: dict, report: ImportReport):
    records: dict[str, AgreementRecord] = {}
    changes: list[dict] = []
    skipped: dict[str, int] = defaultdict(int)
    matched = 0
    for row in tqdm(rows, desc="DESTA entries", unit="entry", disable=None):
        kind = row["entry_type"]
        if kind in SKIPPED_TYPES:
            skipped[kind] += 1
            continue
        if kind in ("accession", "withdrawal"):
            changes.append(row)
            continue
        signed_year, force_year = _year(row["year"]), _year(row["entryforceyear"])
        if signed_year is None:
            skipped["no signature year"] += 1
            continue
        start = datetime.date(signed_year, 1, 1)
        members, iso_codes = [], set()
        for numeric, _ in _members(row):
            spans = mapper.iso_spans(numeric, start, None)
            if not spans:
                key = f"ISO {numeric}"
                report.unmapped_members[key] = report.unmapped_members.get(key, 0) + 1
                continue
            iso_codes.add(mapper.iso_numeric_code(numeric, datetime.date.max))
            members.extend(Member(code, lo if lo != start else None, hi) for code, lo, hi in spans)
        signed = PartialDate(start, Precision.YEAR)
        in_force = PartialDate(datetime.date(force_year, 1, 1), Precision.YEAR) if force_year else None
        exact = gptad.get((frozenset(iso_codes), signed_year), set())
        signatures = {day for day, _ in exact}
        if len(signatures) == 1:  # GPTAD lists some agreements twice, with and without an entry-into-force date
            signed = signatures.pop()
            entries = {day for _, day in exact if day and force_year and day.value.year == force_year}
            if len(entries) == 1:
                in_force = entries.pop()
            matched += 1
        steps = [Step(AgreementStatus.SIGNED, signed)]
        if in_force:
            steps.append(Step(AgreementStatus.IN_FORCE, in_force))
        codes = list(dict.fromkeys(member.code for member in members))
        if row["typememb"] == "1" and len(codes) == 2:
            title = f"Trade agreement: {' – '.join(sorted(names.get(c, c) for c in codes))} ({signed_year})"
        else:
            title = f"{row['name']} ({signed_year})"
        base = row["base_treaty"]
        records[row["number"]] = AgreementRecord(
            source_id=row["number"],
            title=title,
            type=AgreementType.ECONOMIC,
            members=members,
            steps=steps,
            attributes={
                "desta": {
                    "base_treaty": base,
                    "entry_type": kind,
                    "typememb": _year(row["typememb"]),
                    "region": row["regioncon"] if row["regioncon"] != "NA" else "",
                    "wto_listed": row["wto_listed"] == "1",
                    "accessions": [],
                    "withdrawals": [],
                }
            },
            links=[(LinkKind.AMENDS, base)] if kind != "base_treaty" and base != row["number"] else [],
        )

    # A member joins when its accession enters into force (or, not knowing that, when it is signed).
    def when(row: dict) -> int | None:
        return _year(row["entryforceyear"]) or _year(row["year"])

    for row in sorted(changes, key=lambda r: (when(r) or 0, r["number"])):
        record = records.get(row["base_treaty"])
        year = when(row)
        if record is None or year is None:
            skipped[f"{row['entry_type']}s of an agreement not imported or with no year"] += 1
            continue
        if row["entry_type"] == "accession":
            _accede(record, row, year, mapper, report)
        else:
            _withdraw(record, row, year, mapper, report)

    report.skipped += sum(skipped.values())
    report.notes += [f"{count} {what} skipped" for what, count in sorted(skipped.items())]
    report.notes.append(f"{matched} agreements dated to the day from GPTAD")
    return list(records.values())


def _accede(record: AgreementRecord, row: dict, year: int, mapper: CowMapper, report: ImportReport) -> None:
    """Members an accession lists that the agreement does not have yet join it that year."""
    joined = datetime.date(year, 1, 1)
    present = {member.code for member in record.members if member.left_on is None}
    new = []
    for numeric, _ in _members(row):
        code = mapper.iso_numeric_code(numeric, joined)
        if code is None:
            key = f"ISO {numeric}"
            report.unmapped_members[key] = report.unmapped_members.get(key, 0) + 1
        elif code not in present:
            new.extend(Member(c, lo, hi) for c, lo, hi in mapper.iso_spans(numeric, joined, None))
    record.members.extend(new)
    record.attributes["desta"]["accessions"].append(
        {"id": row["number"], "year": year, "members": sorted({m.code for m in new})}
    )


def _withdraw(record: AgreementRecord, row: dict, year: int, mapper: CowMapper, report: ImportReport) -> None:
    """Members a withdrawal marks (membership type 1) leave at the end of that year; an agreement left with fewer
    than two members ends then."""
    left = datetime.date(year, 12, 31)
    leaving = {mapper.iso_numeric_code(numeric, left) for numeric, kind in _members(row) if kind == "1"} - {None}
    record.members = [
        Member(m.code, m.joined_on, left) if m.code in leaving and m.left_on is None else m for m in record.members
    ]
    record.attributes["desta"]["withdrawals"].append({"id": row["number"], "year": year, "members": sorted(leaving)})
    if len({m.code for m in record.members if m.left_on is None}) < 2:
        record.steps.append(Step(AgreementStatus.TERMINATED, PartialDate(datetime.date(year, 1, 1), Precision.YEAR)))


def desta_import(
    *,
    desta_file: Path | None = None,
    gptad_file: Path | None = None,
    use_gptad: bool = True,
    mapper: CowMapper | None = None,
) -> ImportReport:
    """Import (or re-import) DESTA's trade agreements, dated to the day from GPTAD where they match."""
    report = ImportReport(dataset=DATASET)
    gptad = read_gptad(gptad_file) if use_gptad else {}
    names = dict(Country.objects.values_list("code", "name"))
    records = desta_records(read_desta(desta_file), mapper or CowMapper.load(), names, gptad, report)
    return agreements_import(dataset=DATASET, family=DATASET, records=records, report=report)
