"""Bar charts of the counting queries: statuses per dimension, individuals per process, cells per status.

Each bar is a category (a dimension, a process, a status) stacked by series (statuses, kinds of individual),
in the order of the stored query's answer; the total stands at the end of each bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from rcpgraph.errors import InputError
from rcpgraph.pictures import palette, svg
from rcpgraph.pictures.model import Ask, Cell, Href, Picture, Table
from rcpgraph.pictures.names import STATUS, Names, no_row, rows, words

LEFT = 290.0
SCALE = 560.0
ROW = 26.0
TOP = 36.0


@dataclass(frozen=True)
class Chart:
    """What a chart shows: its name, words, categories, series with their colours, and the counts."""

    name: str
    title: str
    caption: str
    categories: list[str]
    series: list[tuple[str, str]]  # IRI and colour
    counts: dict[tuple[str, str], int]


def statuses(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The cells of each status in each dimension (`statuses-per-dimension`)."""
    _whole_table("statuses", process)
    names = Names(ask)
    answer = rows(ask, "statuses-per-dimension")
    counts = {(row["dimension"], row["status"]): int(row["cells"]) for row in answer}
    series = [(s.iri, palette.STATUS.get(s.iri, palette.MUTED)) for s in names.of_kind(STATUS)]
    series = [(iri, colour) for iri, colour in series if any(status == iri for _, status in counts)]
    categories = list(dict.fromkeys(row["dimension"] for row in answer))
    chart = Chart(
        "statuses", "Cells of each status per dimension", "Cells per dimension and status", categories, series, counts
    )
    return _draw(chart, names, href)


def individuals(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The individuals of each kind that each process's row yields (`individuals-per-process`)."""
    names = Names(ask)
    answer = [row for row in rows(ask, "individuals-per-process") if process is None or row["process"] == process]
    if not answer and process is not None:
        raise no_row(process, "individuals")
    counts = {(row["process"], row["kind"]): int(row["individuals"]) for row in answer}
    kinds = sorted({row["kind"] for row in answer}, key=lambda kind: (words(kind), kind))
    series = [(kind, palette.series(i)) for i, kind in enumerate(kinds)]
    categories = list(dict.fromkeys(row["process"] for row in answer))
    title = "Individuals each row yields, by kind" + (f": {names.name(process)}" if process else "")
    chart = Chart("individuals", title, "Individuals per process and kind", categories, series, counts)
    return _draw(chart, names, href)


def cells(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The cells of each status (`status-counts`)."""
    _whole_table("cells", process)
    names = Names(ask)
    answer = rows(ask, "status-counts")
    counts = {(row["status"], "cells"): int(row["cells"]) for row in answer}
    categories = [row["status"] for row in answer]
    chart = Chart("cells", "Cells of each status", "Cells per status", categories, [("cells", palette.MUTED)], counts)
    return _draw(chart, names, href)


def _whole_table(name: str, process: str | None) -> None:
    """Refuse a process for a chart of the whole table."""
    if process is not None:
        raise InputError(f"the {name} picture counts the whole table; draw it without a process")


def _draw(chart: Chart, names: Names, href: Href) -> Picture:
    """The chart as stacked horizontal bars, a legend above, and its table."""
    totals = {c: sum(chart.counts.get((c, s), 0) for s, _ in chart.series) for c in chart.categories}
    unit = SCALE / max([*totals.values(), 1])
    body = _legend(chart, names)
    for i, category in enumerate(chart.categories):
        y = TOP + i * ROW
        label = svg.element("text", svg.text(names.name(category)), x=LEFT - 8, y=y + 17, text_anchor="end")
        body.append(svg.link(href(category), names.name(category), label))
        x = LEFT
        for series, colour in chart.series:
            count = chart.counts.get((category, series), 0)
            if count:
                rect = svg.element(
                    "rect",
                    x=x,
                    y=y + 4,
                    width=count * unit,
                    height=ROW - 8,
                    fill=colour,
                    stroke=palette.INK,
                    stroke_width=0.5,
                )
                body.append(
                    svg.element("g", svg.element("title", svg.text(_words(category, series, count, names))) + rect)
                )
                x += count * unit
        body.append(svg.element("text", str(totals[category]), x=x + 6, y=y + 17, fill=palette.INK))
    size = (LEFT + SCALE + 50, TOP + ROW * len(chart.categories) + 10)
    description = f"{chart.caption}: " + "; ".join(
        f"{names.name(category)} {totals[category]}" for category in chart.categories
    )
    key = chart.name if len(chart.categories) != 1 else f"{chart.name}-{chart.categories[0].rsplit('/', 1)[-1]}"
    return Picture(
        chart.name, svg.document(key, size, chart.title, description + ".", body), _table(chart, totals, names, href)
    )


def _words(category: str, series: str, count: int, names: Names) -> str:
    """A bar's part in words."""
    if series == "cells":
        return f"{names.name(category)}: {count}"
    return f"{names.name(category)}, {names.name(series)}: {count}"


def _legend(chart: Chart, names: Names) -> list[str]:
    """The series and their colours, when there are several."""
    if len(chart.series) < 2:
        return []
    return [
        svg.element(
            "g",
            svg.element(
                "rect", x=0.0, y=-10.0, width=14.0, height=12.0, fill=colour, stroke=palette.INK, stroke_width=0.5
            )
            + svg.element("text", svg.text(names.name(series)), x=18.0, y=0.0, fill=palette.INK),
            transform=f"translate({svg.number(8 + 150 * i)} 18)",
        )
        for i, (series, colour) in enumerate(chart.series)
    ]


def _table(chart: Chart, totals: dict[str, int], names: Names, href: Href) -> Table:
    """The counts in words: a row per category, a column per series, and the total."""
    several = len(chart.series) > 1
    header = ("", *(names.name(series) for series, _ in chart.series), "total") if several else ("", "cells")
    table_rows = [
        (
            Cell(names.name(category), href(category)),
            *(Cell(str(chart.counts.get((category, series), 0))) for series, _ in chart.series if several),
            Cell(str(totals[category])),
        )
        for category in chart.categories
    ]
    return Table(chart.caption, header, table_rows)
