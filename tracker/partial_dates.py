"""Dates known to a day, a month or a year: "2023-07-20", "2023-07", "1951".

A partial date is stored as two columns: the first day of the period it names and its precision. It is never shown
more precisely than it is known ("Jul 2023", never an invented day).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


_ISO_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True, order=True)
class PartialDate:
    value: datetime.date
    precision: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read "YYYY", "YYYY-MM" or "YYYY-MM-DD"; raise ValueError with a readable message otherwise."""
        match = _ISO_PARTIAL.match(text or "")
        if not match:
            raise ValueError(f"“{text}” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 1951, 2023-07).")
        year, month, day = match.groups()
        try:
            if day:
                return cls(datetime.date(int(year), int(month), int(day)), Precision.DAY)
            if month:
                return cls(datetime.date(int(year), int(month), 1), Precision.MONTH)
            return cls(datetime.date(int(year), 1, 1), Precision.YEAR)
        except ValueError as error:
            raise ValueError(f"“{text}” is not a real calendar date ({error}).") from error

    @classmethod
    def from_parts(cls, value: datetime.date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        return cls(truncate(value, precision or Precision.DAY), precision or Precision.DAY)

    @property
    def precision_rank(self) -> int:
        """0 for a year, 1 for a month, 2 for a day: a higher rank is more precise."""
        return (Precision.YEAR, Precision.MONTH, Precision.DAY).index(self.precision)

    def iso(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        if self.precision == Precision.YEAR:
            return str(self.value.year)
        if self.precision == Precision.MONTH:
            return self.value.strftime("%b %Y")
        return f"{self.value.day} {self.value.strftime('%b %Y')}"

    def last_day(self) -> datetime.date:
        """The last day of the period, for comparing partial dates without inventing precision."""
        if self.precision == Precision.YEAR:
            return datetime.date(self.value.year, 12, 31)
        if self.precision == Precision.MONTH:
            next_month = (self.value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            return next_month - datetime.timedelta(days=1)
        return self.value

    def surely_before(self, other: PartialDate) -> bool:
        """True only when every day this date may name precedes every day the other may name."""
        return self.last_day() < other.value

    def overlaps(self, other: PartialDate) -> bool:
        return not (self.surely_before(other) or other.surely_before(self))

    def __str__(self) -> str:
        return self.iso()


def truncate(value: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value
