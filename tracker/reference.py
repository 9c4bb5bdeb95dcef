"""Reference country data: every ISO 3166-1 country from pycountry, regions from the countrycode crosswalk, and the
curated names news uses (variants, demonyms, capitals, seats of government) from tracker/data/country_names.json.

Plain functions that read files and return rows; `countries_load` in services.py writes them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from django.conf import settings

CURATED_NAMES_PATH = Path(__file__).resolve().parent / "data" / "country_names.json"


def crosswalk_path() -> Path:
    return Path(settings.BASE_DIR) / "seeds" / "country_code_crosswalk" / "countrycode_codelist_cow_iso.csv"


@dataclass
class CountryRow:
    code: str
    alpha2: str = ""
    numeric: str = ""
    name: str = ""
    official_name: str = ""
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    region: str = ""
    subregion: str = ""
    is_former: bool = False
    valid_from: int | None = None
    valid_to: int | None = None
    cow_code: int | None = None


def read_curated_names(path: Path = CURATED_NAMES_PATH) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_regions(path: Path | None = None) -> dict[str, tuple[str, str, int | None]]:
    """alpha-3 → (UN region, UN subregion, COW code) from the countrycode crosswalk."""
    path = path or crosswalk_path()
    regions: dict[str, tuple[str, str, int | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["iso3c"]:
                cow = int(row["cown"]) if row["cown"] else None
                regions[row["iso3c"]] = (row["un.region.name"], row["un.regionsub.name"], cow)
    return regions


def _unique(values: list[str], *exclude: str) -> list[str]:
    seen = {value.casefold() for value in exclude if value}
    result = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


def country_rows(curated: dict | None = None, regions: dict | None = None) -> list[CountryRow]:
    """Every ISO 3166-1 country plus the curated former states, ready to load."""
    curated = curated if curated is not None else read_curated_names()
    regions = regions if regions is not None else read_regions()
    extra_names = curated.get("countries", {})
    rows = []
    for iso in pycountry.countries:
        extra = extra_names.get(iso.alpha_3, {})
        # Pages, lists and titles use the short name people say ("Russia", "DR Congo"); ISO's names stay variants.
        common = getattr(iso, "common_name", None)
        name = extra.get("name") or common or iso.name
        official = getattr(iso, "official_name", "")
        region, subregion, cow_code = regions.get(iso.alpha_3, ("", "", None))
        rows.append(
            CountryRow(
                code=iso.alpha_3,
                alpha2=iso.alpha_2,
                numeric=iso.numeric,
                name=name,
                official_name=official,
                names=_unique([iso.name, common or "", *extra.get("names", [])], name),
                demonyms=_unique(extra.get("demonyms", [])),
                capitals=_unique(extra.get("capitals", [])),
                seats=_unique(extra.get("seats", [])),
                region=region,
                subregion=subregion,
                cow_code=cow_code,
            )
        )
    for former in curated.get("former_states", []):
        rows.append(
            CountryRow(
                code=former["alpha3"],
                alpha2=former.get("alpha2", ""),
                numeric=former.get("numeric", ""),
                name=former["name"],
                official_name=former.get("official_name", ""),
                names=_unique(former.get("names", []), former["name"]),
                demonyms=_unique(former.get("demonyms", [])),
                capitals=_unique(former.get("capitals", [])),
                seats=_unique(former.get("seats", [])),
                is_former=True,
                valid_from=former.get("valid_from"),
                valid_to=former.get("valid_to"),
            )
        )
    return rows
