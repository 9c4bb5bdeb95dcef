"""ATOP (Alliance Treaty Obligations and Provisions): formal military alliances since 1815.

The alliance-level file gives each alliance's dates, obligations and members; the member-level file gives when each
member joined and left (one row per alliance, member and phase). Members are COW codes, mapped by date with
`CowMapper`, so a Soviet membership that outlived the Soviet Union continues as Russia's.
"""

from __future__ import annotations

import calendar
import csv
import datetime
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from tracker.importers.agreements import AgreementRecord, ImportReport, Member, Step, agreements_import
from tracker.importers.cow import CowMapper, seeds_path
from tracker.models import AgreementStatus, AgreementType, Country
from tracker.partial_dates import PartialDate, Precision

FAMILY = "atop"
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
# The obligations that commit a member to military action make a defence agreement; a pact that only promises not
# to attack, or to consult, is a diplomatic instrument (TAXONOMY: friendship and non-aggression treaties), still
# tagged "defense" as a secondary type because ATOP counts it as an alliance.
MILITARY = ("defense", "offense", "neutral")
LABELS = {
    "defense": "Defence pact",
    "offense": "Offensive alliance",
    "neutral": "Neutrality pact",
    "nonagg": "Non-aggression pact",
    "consul": "Consultation pact",
}


def alliance_path() -> Path:
    return seeds_path("atop_v4.01", "atop4_01_alliance_level.csv")


def member_path() -> Path:
    return seeds_path("atop_v4.01", "atop4_01_member_level.csv")


def _int(text: str | None) -> int | None:
    """ATOP codes a missing or not-applicable value as empty, 0 or a negative code (-9, -1)."""
    try:
        value = int(float(text)) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value and value > 0 else None


def atop_date(year: str, month: str, day: str) -> PartialDate | None:
    """A date at the precision ATOP gives it: a missing day makes it a month, a missing month a year."""
    y, m, d = _int(year), _int(month), _int(day)
    if y is None:
        return None
    if m is None or m > 12:
        return PartialDate(datetime.date(y, 1, 1), Precision.YEAR)
    if d is None or d > calendar.monthrange(y, m)[1]:
        return PartialDate(datetime.date(y, m, 1), Precision.MONTH)
    return PartialDate(datetime.date(y, m, d), Precision.DAY)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _names(codes: list[str], names: dict[str, str], limit: int = 4) -> str:
    shown = [names.get(code, code) for code in codes[:limit]]
    if len(codes) <= limit:
        return " – ".join(shown) if len(codes) == 2 else ", ".join(shown)
    return f"{', '.join(shown)} and {len(codes) - limit} more"


def atop_records(
    alliances: list[dict], members: list[dict], mapper: CowMapper, names: dict[str, str], report: ImportReport
) -> list[AgreementRecord]:
    by_alliance: dict[str, list[dict]] = defaultdict(list)
    for row in members:
        by_alliance[row["atopid"]].append(row)
    records = []
    for row in tqdm(alliances, desc="ATOP alliances", unit="alliance", disable=None):
        atopid = row["atopid"]
        begin = atop_date(row["begyr"], row["begmo"], row["begday"])
        end = atop_date(row["endyr"], row["endmo"], row["endday"])
        begin_day = begin.value if begin else None
        end_day = end.last_day() if end else None
        spells: list[Member] = []
        # A member is named in the title as it was when it joined: the Soviet Union, not also the Russia its
        # membership passed to in 1991 (that state did not exist when the pact was signed). Founders come first.
        named: dict[str, bool] = {}
        for member in by_alliance.get(atopid, []):
            ccode = _int(member["member"])
            entered = atop_date(member["yrent"], member["moent"], member["dayent"]) or begin
            left = atop_date(member["yrexit"], member["moexit"], member["dayexit"])
            start = entered.value if entered else begin_day
            stop = left.last_day() if left else None
            parts = mapper.spans(ccode, start, stop) if ccode else []
            if not parts:
                key = f"COW {member['member']}"
                report.unmapped_members[key] = report.unmapped_members.get(key, 0) + 1
                report.notes.append(f"ATOP {atopid}: member {member['member']} has no country (not a COW state)")
                continue
            named.setdefault(parts[0][0], begin_day is None or parts[0][1] is None or parts[0][1] <= begin_day)
            for code, lo, hi in parts:
                # Dates are kept only where a member joined or left at another time than the alliance.
                spells.append(
                    Member(
                        code=code,
                        joined_on=lo if lo != begin_day else None,
                        left_on=hi if hi is not None and hi != end_day else None,
                    )
                )
        obligations = [name for name in OBLIGATIONS if row.get(name) == "1"]
        military = any(name in MILITARY for name in obligations)
        kind = next((name for name in OBLIGATIONS if name in obligations), "consul")
        steps = [Step(AgreementStatus.SIGNED, begin), Step(AgreementStatus.IN_FORCE, begin)]
        if end is not None:
            steps.append(Step(AgreementStatus.TERMINATED, end))
        codes = sorted(named, key=lambda code: (not named[code], names.get(code, code)))
        year = f" ({begin.value.year})" if begin else ""
        records.append(
            AgreementRecord(
                source_id=atopid,
                title=f"{LABELS[kind]}: {_names(codes, names)}{year}",
                type=AgreementType.DEFENSE if military else AgreementType.DIPLOMATIC,
                secondary_types=[] if military else [AgreementType.DEFENSE],
                members=spells,
                steps=steps,
                attributes={
                    "atop": {
                        "obligations": obligations,
                        "cowid": _int(row.get("cowid")),
                        "cow4id": _int(row.get("cow4id")),
                        "bilateral": row.get("bilat") == "1",
                        "in_effect": row.get("ineffect") == "1",
                    }
                },
            )
        )
    return records


def atop_import(
    *, alliance_file: Path | None = None, member_file: Path | None = None, mapper: CowMapper | None = None
) -> ImportReport:
    """Import (or re-import) every ATOP alliance with its members, dates and obligations."""
    alliances = read_csv(alliance_file or alliance_path())
    members = read_csv(member_file or member_path())
    version = alliances[0].get("version", "").strip() if alliances else ""
    dataset = f"{FAMILY}-{version}" if version else FAMILY
    report = ImportReport(dataset=dataset)
    names = dict(Country.objects.values_list("code", "name"))
    records = atop_records(alliances, members, mapper or CowMapper.load(), names, report)
    return agreements_import(dataset=dataset, family=FAMILY, records=records, report=report)
