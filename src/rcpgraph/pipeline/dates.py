"""Find the dates a text states, at exactly the precision it states them (day, month or year)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = "|".join(MONTHS)
_DAY_RANGE = re.compile(rf"\b(\d{{1,2}})\s*-\s*(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)\b")
_DAY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+((?:19|20)\d\d)\b")
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d\d)(?![\d])")
_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:/(\d{4})-(\d{2})-(\d{2}))?)?)?$")


@dataclass(frozen=True)
class When:
    """A date as stated: a day range, a month, or a year."""

    precision: str
    year: int
    month: int | None = None
    start: date | None = None
    end: date | None = None

    def __str__(self) -> str:
        if self.start is not None and self.end is not None:
            return self.start.isoformat() if self.start == self.end else f"{self.start}/{self.end}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Found:
    """A date found in a text, with its span."""

    when: When
    start: int
    end: int


def find(text: str) -> list[Found]:
    """Every date the text states, the most precise reading of each span first, in text order."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in ((_DAY_RANGE, _day_range), (_DAY, _day), (_MONTH_YEAR, _month_year), (_YEAR, _year)):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            when = read(match)
            if when is not None:
                found.append(Found(when, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda item: item.start)


def years(text: str) -> set[int]:
    """Every year the text states, at any precision."""
    return {item.when.year for item in find(text)}


def parse(value: str) -> When | None:
    """A date written in a curation file: 2006, 2007-08, 2004-12-18 or 2004-12-18/2004-12-20."""
    match = _VALUE.match(str(value))
    if not match:
        return None
    year, month, day, end_year, end_month, end_day = match.groups()
    try:
        if day:
            start = date(int(year), int(month), int(day))
            end = date(int(end_year), int(end_month), int(end_day)) if end_year else start
            return When("day", start.year, start.month, start, end) if start <= end else None
        if month:
            return When("month", int(year), int(month)) if 1 <= int(month) <= 12 else None
    except ValueError:
        return None
    return When("year", int(year))


def _month(name: str) -> int:
    return MONTHS.index(name) + 1


def _day_range(match: re.Match[str]) -> When | None:
    first, last, month, year = match.groups()
    try:
        start, end = date(int(year), _month(month), int(first)), date(int(year), _month(month), int(last))
    except ValueError:
        return None
    return When("day", start.year, start.month, start, end) if start <= end else None


def _day(match: re.Match[str]) -> When | None:
    day, month, year = match.groups()
    try:
        start = date(int(year), _month(month), int(day))
    except ValueError:
        return None
    return When("day", start.year, start.month, start, start)


def _month_year(match: re.Match[str]) -> When:
    return When("month", int(match.group(2)), _month(match.group(1)))


def _year(match: re.Match[str]) -> When:
    return When("year", int(match.group(1)))
