"""The timeline: one lane per process, a bar per dated event, document or initiative over what the table states.

Drawn from the `timeline` answer. A bar spans the year when only the year is printed, the month when the
month is, the days from the first to the last when the days are; bars that would overlap take another row
of their lane.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from rcpgraph.namespaces import RCP
from rcpgraph.pictures import palette, svg
from rcpgraph.pictures.model import Ask, Cell, Href, Picture, Table
from rcpgraph.pictures.names import Names, rows, words

KINDS = (RCP + "Event", RCP + "Document", RCP + "Initiative")
LEFT = 200.0
YEAR = 90.0
ROW = 16.0
TOP = 84.0
NO_PROCESS = "no process stated"
PRECISION_OPACITY = {"day": 1.0, "month": 0.75, "year": 0.4}


@dataclass(frozen=True)
class Mark:
    """One dated item: what, whose, and the span of years (fractional) the stated date covers."""

    iri: str
    kind: str
    label: str
    process: str
    stated: str
    precision: str
    start: float
    end: float


def draw(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The timeline of every process, or of `process`'s own events, documents and initiatives (an IRI)."""
    names = Names(ask)
    marks = [_mark(row) for row in rows(ask, "timeline")]
    if process is not None:
        marks = [mark for mark in marks if mark.process == process]
    lanes = sorted({mark.process for mark in marks}, key=lambda p: (p == "", names.rank(p)))
    first = min((int(mark.start) for mark in marks), default=2000)
    last = max((int(mark.end - 1e-9) for mark in marks), default=first)
    key = "timeline" if process is None else f"timeline-{process.rsplit('/', 1)[-1]}"
    body, bottom = _lanes(lanes, marks, first, names, href)
    body = _axis(first, last, bottom) + _legend() + body
    width = LEFT + YEAR * (last - first + 1) + 20
    title = "Timeline of the dated events, documents and initiatives" + (
        f" of {names.name(process)}" if process else ""
    )
    description = (
        f"{len(marks)} dated items from {first} to {last} in {len(lanes)} lanes, one per process; a bar spans the "
        "year, the month or the days the table states."
    )
    picture = svg.document(key, (width, bottom + 10), title, description, body)
    return Picture("timeline", picture, _table(marks, names, href))


def _mark(row: dict[str, str]) -> Mark:
    """A row of the answer as a mark at the precision its date is stated."""
    if row["start"]:
        start = datetime.date.fromisoformat(row["start"])
        end = datetime.date.fromisoformat(row["end"] or row["start"]) + datetime.timedelta(days=1)
        stated = row["start"] if not row["end"] or row["end"] == row["start"] else f"{row['start']} to {row['end']}"
        return Mark(
            row["individual"], row["kind"], row["label"], row["process"], stated, "day", _years(start), _years(end)
        )
    if row["yearMonth"]:
        year, month = (int(part) for part in row["yearMonth"].split("-"))
        return Mark(
            row["individual"],
            row["kind"],
            row["label"],
            row["process"],
            row["yearMonth"],
            "month",
            year + (month - 1) / 12,
            year + month / 12,
        )
    year = int(row["year"])
    return Mark(row["individual"], row["kind"], row["label"], row["process"], row["year"], "year", year, year + 1)


def _years(day: datetime.date) -> float:
    """A day as a fractional year."""
    first = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - first).days
    return day.year + (day - first).days / length


def _lanes(lanes: list[str], marks: list[Mark], first: int, names: Names, href: Href) -> tuple[list[str], float]:
    """Each lane with its name and its bars, and where the last lane ends."""
    body: list[str] = []
    y = TOP
    for lane in lanes:
        slots: list[float] = []
        bars: list[str] = []
        for mark in sorted((m for m in marks if m.process == lane), key=lambda m: (m.start, m.end, m.label, m.iri)):
            slot = next((i for i, end in enumerate(slots) if end <= mark.start), len(slots))
            slots[slot : slot + 1] = [mark.end]
            bars.append(_bar(mark, first, y + 4 + slot * ROW, href))
        height = max(len(slots), 1) * ROW + 8
        body.append(svg.element("rect", x=0.0, y=y, width=LEFT - 8, height=height, fill="#f4f6fa"))
        name = names.name(lane) if lane else NO_PROCESS
        label = svg.element("text", svg.text(name), x=8.0, y=y + 14, fill=palette.INK)
        body.append(svg.link(href(lane), names.items[lane].label, label) if lane in names.items else label)
        body += bars
        y += height + 4
    return body, y


def _bar(mark: Mark, first: int, y: float, href: Href) -> str:
    """One mark as a bar over its span (at least 4 pixels wide), coloured by kind."""
    x = LEFT + (mark.start - first) * YEAR
    width = max((mark.end - mark.start) * YEAR, 4.0)
    colour = palette.series(KINDS.index(mark.kind) if mark.kind in KINDS else len(KINDS))
    rect = svg.element(
        "rect",
        x=x,
        y=y,
        width=width,
        height=ROW - 4,
        rx=2.0,
        fill=colour,
        fill_opacity=PRECISION_OPACITY[mark.precision],
        stroke=colour,
    )
    return svg.link(href(mark.iri), f"{mark.label} ({words(mark.kind)}, {mark.stated})", rect)


def _axis(first: int, last: int, bottom: float) -> list[str]:
    """A line and a label at the start of each year."""
    ticks: list[str] = []
    for year in range(first, last + 2):
        x = LEFT + (year - first) * YEAR
        ticks.append(svg.element("line", x1=x, y1=TOP - 6, x2=x, y2=bottom, stroke=palette.LINE))
        if year <= last:
            ticks.append(
                svg.element("text", str(year), x=x + YEAR / 2, y=TOP - 10, text_anchor="middle", fill=palette.MUTED)
            )
    return ticks


def _legend() -> list[str]:
    """What the colours and shades mean."""
    entries = [(palette.series(i), 1.0, words(kind)) for i, kind in enumerate(KINDS)]
    entries += [
        (palette.MUTED, opacity, f"date stated to the {precision}") for precision, opacity in PRECISION_OPACITY.items()
    ]
    return [
        svg.element(
            "g",
            svg.element("rect", x=0.0, y=-9.0, width=14.0, height=10.0, fill=colour, fill_opacity=opacity)
            + svg.element("text", svg.text(words_), x=18.0, y=0.0, fill=palette.INK),
            transform=f"translate({svg.number(8 + 200 * (i % 3))} {18 + 18 * (i // 3)})",
        )
        for i, (colour, opacity, words_) in enumerate(entries)
    ]


def _table(marks: list[Mark], names: Names, href: Href) -> Table:
    """The dated items in words, in the answer's order."""
    rows_ = [
        (
            Cell(mark.stated),
            Cell(words(mark.kind)),
            Cell(mark.label, href(mark.iri)),
            Cell(names.name(mark.process), href(mark.process)) if mark.process else Cell(NO_PROCESS),
        )
        for mark in marks
    ]
    return Table("The dated events, documents and initiatives", ("date as stated", "kind", "label", "process"), rows_)
