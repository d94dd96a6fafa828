"""Dates are read at exactly the precision printed."""

from __future__ import annotations

from datetime import date

import pytest

from rcpgraph.pipeline import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Labour Attaché Training Course, 18-20 December 2004, Kuwait City", ["2004-12-18/2004-12-20"]),
        ("the last meeting was held in Bratislava 18-19 December 2006 The", ["2006-12-18/2006-12-19"]),
        ("during the RCGM, December 2004, Panama", ["2004-12"]),
        ("A workshop will be held in August 2007 after the GFMD", ["2007-08"]),
        ("action plan for 2005-2006 included", ["2005", "2006"]),
        ("the 2004 MIDSA workshop on 2 May 2005", ["2004", "2005-05-02"]),
        ("Workshop held from May 31- June 1st on", []),
        ("On 20 February the Secretariat organized", []),
        ("3 publications commissioned", []),
    ],
)
def test_find(text: str, expected: list[str]) -> None:
    assert [str(found.when) for found in dates.find(text)] == expected


def test_precision_and_span() -> None:
    (found,) = dates.find("Course, 18-20 December 2004, Kuwait")
    assert found.when == dates.When("day", 2004, 12, date(2004, 12, 18), date(2004, 12, 20))
    assert (found.start, found.end) == (8, 27)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2006", dates.When("year", 2006)),
        (2006, dates.When("year", 2006)),
        ("2007-08", dates.When("month", 2007, 8)),
        ("2004-12-18", dates.When("day", 2004, 12, date(2004, 12, 18), date(2004, 12, 18))),
        ("2004-12-18/2004-12-20", dates.When("day", 2004, 12, date(2004, 12, 18), date(2004, 12, 20))),
        ("2004-12-20/2004-12-18", None),
        ("2007-13", None),
        ("2004-02-30", None),
        ("December 2004", None),
    ],
)
def test_parse(value, expected) -> None:
    assert dates.parse(value) == expected
