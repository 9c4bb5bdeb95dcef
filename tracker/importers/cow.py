"""Countries through time: the Correlates of War state list mapped onto the tracker's country codes.

COW numbers states (`ccode`); the tracker names them by ISO 3166-1 alpha-3, the ISO 3166-3 code of a former state,
or a made-up `COW-…` code for a state ISO never coded. One COW code can be several tracker countries over time
(365 is Russia, then the Soviet Union, then Russia again), so the mapping is by date. Plain functions: files in,
rows out, and one bulk write (`cow_states_import`).
"""

from __future__ import annotations

import bisect
import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tracker.models import Country
from tracker.search import search_index_countries


def seeds_path(*parts: str) -> Path:
    return Path(settings.BASE_DIR, "seeds", *parts)


def states_path() -> Path:
    return seeds_path("cow_state_system_v2016", "states2016.csv")


def crosswalk_path() -> Path:
    return seeds_path("country_code_crosswalk", "countrycode_codelist_cow_iso.csv")


@dataclass(frozen=True)
class FormerState:
    """A state COW lists that ISO 3166-1 does not (any more): created by the importer unless already loaded."""

    name: str
    official_name: str = ""
    names: tuple[str, ...] = ()


# States with no ISO 3166 code at all get a made-up code; "COW-" plus the COW abbreviation where there is one.
MADE_UP_STATES: dict[str, FormerState] = {
    "COW-PRU": FormerState("Prussia", "Kingdom of Prussia", ("Prussia",)),
    "COW-SAR": FormerState("Sardinia", "Kingdom of Sardinia", ("Piedmont-Sardinia", "Sardinia-Piedmont")),
    "COW-AUH": FormerState("Austria-Hungary", "Austro-Hungarian Monarchy", ("Austrian Empire", "Habsburg Empire")),
    "COW-HAN": FormerState("Hanover", "Kingdom of Hanover"),
    "COW-BAV": FormerState("Bavaria", "Kingdom of Bavaria"),
    "COW-BAD": FormerState("Baden", "Grand Duchy of Baden"),
    "COW-SAX": FormerState("Saxony", "Kingdom of Saxony"),
    "COW-WRT": FormerState("Württemberg", "Kingdom of Württemberg", ("Wuerttemberg", "Wurttemberg")),
    "COW-HSE": FormerState("Hesse-Kassel", "Electorate of Hesse", ("Hesse Electoral",)),
    "COW-HSG": FormerState("Hesse-Darmstadt", "Grand Duchy of Hesse", ("Hesse Grand Ducal",)),
    "COW-MEC": FormerState("Mecklenburg-Schwerin", "Grand Duchy of Mecklenburg-Schwerin"),
    "COW-PAP": FormerState("Papal States", "States of the Church"),
    "COW-SIC": FormerState("Two Sicilies", "Kingdom of the Two Sicilies"),
    "COW-MOD": FormerState("Modena", "Duchy of Modena and Reggio"),
    "COW-PMA": FormerState("Parma", "Duchy of Parma and Piacenza"),
    "COW-TUS": FormerState("Tuscany", "Grand Duchy of Tuscany"),
    "COW-ZAN": FormerState("Zanzibar", "People's Republic of Zanzibar"),
    "COW-YAR": FormerState("North Yemen", "Yemen Arab Republic", ("Yemen Arab Republic", "YAR")),
    "COW-KOR": FormerState("Korea (1887–1905)", "Korean Empire", ("Joseon", "Korean Empire")),
    "COW-RVN": FormerState("South Vietnam", "Republic of Vietnam", ("Republic of Vietnam",)),
}

# Kosovo has no ISO 3166-1 code; XKX is the user-assigned code the EU, IMF and World Bank use. It is not former.
KOSOVO = "XKX"

# COW codes whose tracker country depends on the date: (first day, code), in order. The rule: a state that ended is
# a former state under its ISO 3166-3 code (the TAXONOMY: "former states use their codes at the time"); a
# continuing state (Russia before 1922 and after 1991, Germany after 1871, Serbia before 1918 and after 2006) is
# its ISO 3166-1 country. Renamings of one state (Zaire, Dahomey, Burma) are not split, so a country page keeps
# its whole history.
COW_PERIODS: dict[int, list[tuple[datetime.date | None, str]]] = {
    255: [(None, "COW-PRU"), (datetime.date(1871, 1, 18), "DEU")],
    325: [(None, "COW-SAR"), (datetime.date(1861, 3, 17), "ITA")],
    345: [
        (None, "SRB"),
        (datetime.date(1918, 12, 1), "YUG"),
        (datetime.date(2003, 2, 4), "SCG"),
        (datetime.date(2006, 6, 5), "SRB"),
    ],
    365: [(None, "RUS"), (datetime.date(1922, 12, 30), "SUN"), (datetime.date(1991, 12, 26), "RUS")],
    816: [(None, "VDR"), (datetime.date(1976, 7, 2), "VNM")],
}

# COW codes with one tracker country that the crosswalk does not give (no iso3c, or a state ISO 3166-3 retired).
COW_FIXED: dict[int, str] = {
    240: "COW-HAN",
    245: "COW-BAV",
    260: "DEU",  # the German Federal Republic held ISO's DE/DEU; unified Germany kept it
    265: "DDR",
    267: "COW-BAD",
    269: "COW-SAX",
    271: "COW-WRT",
    273: "COW-HSE",
    275: "COW-HSG",
    280: "COW-MEC",
    300: "COW-AUH",
    315: "CSK",
    327: "COW-PAP",
    329: "COW-SIC",
    332: "COW-MOD",
    335: "COW-PMA",
    337: "COW-TUS",
    347: KOSOVO,
    511: "COW-ZAN",
    678: "COW-YAR",
    680: "YMD",
    730: "COW-KOR",
    817: "COW-RVN",
}

# The same date rule for data sets coded by ISO numeric codes that code successor states for dissolved ones (DESTA
# codes Russia for the Soviet Union, Serbia for Yugoslavia, the Czech Republic for Czechoslovakia).
ISO_PERIODS: dict[str, list[tuple[datetime.date | None, str]]] = {
    "RUS": COW_PERIODS[365],
    "SRB": COW_PERIODS[345],
    "CZE": [(None, "CSK"), (datetime.date(1993, 1, 1), "CZE")],
}

# The COW code a tracker country had in a given span of years, where it differs from Country.cow_code.
COW_CODE_PERIODS: dict[str, list[tuple[int, int, int]]] = {"DEU": [(1955, 1990, 260)]}

# Which states took over a former state's territory when it ended (ISO 3166-3 and COW state histories).
SUCCESSORS: dict[str, tuple[str, ...]] = {
    "SUN": ("RUS", "UKR", "BLR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB"),
    "YUG": ("SCG", "HRV", "SVN", "BIH", "MKD"),
    "SCG": ("SRB", "MNE"),
    "DDR": ("DEU",),
    "CSK": ("CZE", "SVK"),
    "YMD": ("YEM",),
    "VDR": ("VNM",),
    "COW-PRU": ("DEU",),
    "COW-SAR": ("ITA",),
    "COW-AUH": ("AUT", "HUN", "CSK"),
    "COW-HAN": ("COW-PRU",),
    "COW-HSE": ("COW-PRU",),
    "COW-BAV": ("DEU",),
    "COW-BAD": ("DEU",),
    "COW-SAX": ("DEU",),
    "COW-WRT": ("DEU",),
    "COW-HSG": ("DEU",),
    "COW-MEC": ("DEU",),
    "COW-PAP": ("ITA", "VAT"),
    "COW-SIC": ("ITA",),
    "COW-MOD": ("ITA",),
    "COW-PMA": ("ITA",),
    "COW-TUS": ("ITA",),
    "COW-ZAN": ("TZA",),
    "COW-YAR": ("YEM",),
    "COW-KOR": ("KOR", "PRK"),
    "COW-RVN": ("VNM",),
}


@dataclass(frozen=True)
class StateSpell:
    ccode: int
    abbreviation: str
    name: str
    start: datetime.date
    end: datetime.date


def read_states(path: Path | None = None) -> list[StateSpell]:
    with (path or states_path()).open(encoding="utf-8", newline="") as handle:
        return [
            StateSpell(
                ccode=int(row["ccode"]),
                abbreviation=row["stateabb"],
                name=row["statenme"],
                start=datetime.date(int(row["styear"]), int(row["stmonth"]), int(row["stday"])),
                end=datetime.date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"])),
            )
            for row in csv.DictReader(handle)
        ]


def read_cow_to_iso(path: Path | None = None) -> dict[int, str]:
    with (path or crosswalk_path()).open(encoding="utf-8", newline="") as handle:
        return {int(row["cown"]): row["iso3c"] for row in csv.DictReader(handle) if row["cown"] and row["iso3c"]}


@dataclass
class CowMapper:
    """COW code and date → tracker country code; also ISO numeric code and date → tracker code."""

    cow_to_iso: dict[int, str]
    unmapped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def load(cls) -> CowMapper:
        return cls(cow_to_iso=read_cow_to_iso())

    def periods(self, ccode: int) -> list[tuple[datetime.date | None, str]]:
        if ccode in COW_PERIODS:
            return COW_PERIODS[ccode]
        code = COW_FIXED.get(ccode) or self.cow_to_iso.get(ccode)
        return [(None, code)] if code else []

    def code(self, ccode: int, on: datetime.date) -> str | None:
        return _at(self.periods(ccode), on)

    def spans(
        self, ccode: int, start: datetime.date, end: datetime.date | None
    ) -> list[tuple[str, datetime.date, datetime.date | None]]:
        """Split a COW state's membership [start, end] into (tracker code, from, to) at the mapping's boundaries."""
        return _split(self.periods(ccode), start, end)

    def iso_periods(self, numeric: str) -> list[tuple[datetime.date | None, str]]:
        if numeric == "900":  # DESTA's own code for Kosovo
            return [(None, KOSOVO)]
        if numeric == "530":  # the Netherlands Antilles, ISO 3166-3 ANT
            return [(None, "ANT")]
        iso = pycountry.countries.get(numeric=numeric.zfill(3))
        if iso is None:
            return []
        return ISO_PERIODS.get(iso.alpha_3, [(None, iso.alpha_3)])

    def iso_numeric_code(self, numeric: str, on: datetime.date) -> str | None:
        return _at(self.iso_periods(numeric), on)

    def iso_spans(
        self, numeric: str, start: datetime.date, end: datetime.date | None
    ) -> list[tuple[str, datetime.date, datetime.date | None]]:
        return _split(self.iso_periods(numeric), start, end)


def _at(periods: list[tuple[datetime.date | None, str]], on: datetime.date) -> str | None:
    if not periods:
        return None
    starts = [start or datetime.date.min for start, _ in periods]
    return periods[max(bisect.bisect_right(starts, on) - 1, 0)][1]


def _split(
    periods: list[tuple[datetime.date | None, str]], start: datetime.date, end: datetime.date | None
) -> list[tuple[str, datetime.date, datetime.date | None]]:
    spans = []
    for index, (period_start, code) in enumerate(periods):
        period_end = periods[index + 1][0] - datetime.timedelta(days=1) if index + 1 < len(periods) else None
        lo = max(start, period_start or datetime.date.min)
        hi = end if period_end is None else (period_end if end is None else min(end, period_end))
        if hi is None or lo <= hi:
            spans.append((code, lo, hi))
    return spans


def ccode_for(code: str, year: int, default: int | None) -> int | None:
    """The COW code of a tracker country in a year (DEU was 260, the German Federal Republic, in 1955–1990)."""
    for first, last, ccode in COW_CODE_PERIODS.get(code, ()):
        if first <= year <= last:
            return ccode
    return default


@dataclass(frozen=True)
class CountriesReport:
    created: int
    updated: int
    unchanged: int
    successor_links: int
    unmapped: tuple[int, ...]

    def __str__(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.successor_links} successor links added"
        )
        if self.unmapped:
            text += f"; {len(self.unmapped)} COW codes with no tracker country: {', '.join(map(str, self.unmapped))}"
        return text


def _years(spells: list[StateSpell], start: datetime.date | None, end: datetime.date | None) -> tuple[int, int]:
    """First and last year a COW state existed within [start, end]."""
    lo = min(max(spell.start, start or datetime.date.min) for spell in spells)
    hi = max(min(spell.end, end or datetime.date.max) for spell in spells)
    return lo.year, hi.year


@transaction.atomic
def cow_states_import(*, states: list[StateSpell] | None = None, mapper: CowMapper | None = None) -> CountriesReport:
    """Give every COW state a tracker country: former states the reference loader does not know are created;
    existing countries only get a COW code where they have none (the reference loader owns their other fields,
    so running both in any order changes nothing the second time). Then link former states to their successors."""
    states = states if states is not None else read_states()
    mapper = mapper or CowMapper.load()
    by_ccode: dict[int, list[StateSpell]] = defaultdict(list)
    for spell in states:
        by_ccode[spell.ccode].append(spell)

    wanted: dict[str, dict] = {}
    unmapped = []
    for ccode, spells in sorted(by_ccode.items()):
        periods = mapper.periods(ccode)
        if not periods:
            unmapped.append(ccode)
            continue
        for index, (start, code) in enumerate(periods):
            end = periods[index + 1][0] - datetime.timedelta(days=1) if index + 1 < len(periods) else None
            if code in wanted:
                continue
            first, last = _years(spells, start, end)
            still_exists = end is None and max(spell.end for spell in spells) >= datetime.date(2016, 12, 31)
            wanted[code] = {"cow_code": ccode, "valid_from": first, "valid_to": None if still_exists else last}

    existing = {country.code: country for country in Country.objects.all()}
    to_create, to_update = [], []
    for code, values in wanted.items():
        country = existing.get(code)
        if country is None:
            former = MADE_UP_STATES.get(code)
            to_create.append(
                Country(
                    code=code,
                    name=former.name if former else "Kosovo",
                    official_name=former.official_name if former else "Republic of Kosovo",
                    names=list(former.names) if former else ["Kosova"],
                    is_former=former is not None,
                    region="Europe" if code == KOSOVO else "",
                    **values,
                )
            )
        elif code in MADE_UP_STATES or code == KOSOVO:
            changed = [name for name, value in values.items() if getattr(country, name) != value]
            for name in changed:
                setattr(country, name, values[name])
            if changed:
                to_update.append(country)
        elif country.cow_code is None:
            country.cow_code = values["cow_code"]
            to_update.append(country)
    created = bulk_create_with_history(to_create, Country, batch_size=500, default_change_reason="COW import")
    bulk_update_with_history(
        to_update,
        Country,
        ["cow_code", "valid_from", "valid_to"],
        batch_size=500,
        default_change_reason="COW import",
    )

    countries = {country.code: country.pk for country in Country.objects.all()}
    through = Country.successors.through
    known = set(through.objects.values_list("from_country_id", "to_country_id"))
    links = [
        through(from_country_id=countries[former], to_country_id=countries[successor])
        for former, successors in SUCCESSORS.items()
        for successor in successors
        if former in countries and successor in countries and (countries[former], countries[successor]) not in known
    ]
    through.objects.bulk_create(links)
    if created or to_update:
        # Bulk writes send no signals: the search index learns of the former states here.
        search_index_countries()
    return CountriesReport(
        created=len(created),
        updated=len(to_update),
        unchanged=len(wanted) - len(created) - len(to_update),
        successor_links=len(links),
        unmapped=tuple(unmapped),
    )
