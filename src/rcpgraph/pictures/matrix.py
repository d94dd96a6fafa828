"""The status matrix as a heat map: a row per process, a column per dimension, each cell coloured by its status.

Drawn from the `completeness-matrix` answer, in the table's order; each cell links to the survey response.
"""

from __future__ import annotations

import textwrap

from rcpgraph.pictures import palette, svg
from rcpgraph.pictures.model import Ask, Cell, Href, Picture, Table
from rcpgraph.pictures.names import STATUS, Names, no_row, rows

LEFT = 180.0
COLUMN = 128.0
ROW = 28.0
LEGEND = 34.0
HEADER = 70.0
NO_CELL = "no cell"


def draw(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The matrix of every process, or the row of `process` (an IRI)."""
    names = Names(ask)
    answer = [row for row in rows(ask, "completeness-matrix") if process is None or row["process"] == process]
    if not answer and process is not None:
        raise no_row(process, "matrix")
    processes = list(dict.fromkeys(row["process"] for row in answer))
    dimensions = list(dict.fromkeys(row["dimension"] for row in answer))
    top = LEGEND + HEADER
    body = _legend(names) + _header(dimensions, names, href)
    for i, row_process in enumerate(processes):
        y = top + i * ROW
        label = svg.element("text", svg.text(names.name(row_process)), x=LEFT - 8, y=y + 18, text_anchor="end")
        body.append(svg.link(href(row_process), names.items[row_process].label, label))
    for row in answer:
        body.append(_cell(row, processes.index(row["process"]), dimensions.index(row["dimension"]), names, href))
    key = "matrix" if process is None else f"matrix-{process.rsplit('/', 1)[-1]}"
    size = (LEFT + COLUMN * len(dimensions) + 10, top + ROW * len(processes) + 10)
    counts = {status.label: sum(row["status"] == status.iri for row in answer) for status in names.of_kind(STATUS)}
    description = (
        f"The status of {len(answer)} cells, {len(processes)} processes by {len(dimensions)} dimensions: "
        + ", ".join(f"{label} {count}" for label, count in counts.items())
        + "."
    )
    title = "Status of each cell of Annex B" + (f": {names.name(process)}" if process else "")
    return Picture("matrix", svg.document(key, size, title, description, body), _table(answer, dimensions, names, href))


def _legend(names: Names) -> list[str]:
    """The five statuses and their colours."""
    return [
        svg.element(
            "g",
            svg.element(
                "rect",
                x=0.0,
                y=-11.0,
                width=16.0,
                height=14.0,
                fill=palette.STATUS.get(status.iri, "#fff"),
                stroke=palette.LINE,
            )
            + svg.element("text", svg.text(status.label), x=22.0, y=0.0, fill=palette.INK),
            transform=f"translate({svg.number(LEFT + 160 * i)} 20)",
        )
        for i, status in enumerate(names.of_kind(STATUS))
    ]


def _header(dimensions: list[str], names: Names, href: Href) -> list[str]:
    """The dimensions' names over their columns, wrapped."""
    headings: list[str] = []
    for i, dimension in enumerate(dimensions):
        lines = textwrap.wrap(names.name(dimension), 18)
        x = LEFT + i * COLUMN + COLUMN / 2
        spans = "".join(
            svg.element("tspan", svg.text(line), x=x, dy="1.1em" if n else None) for n, line in enumerate(lines)
        )
        y = LEGEND + HEADER - 8 - 13.2 * (len(lines) - 1)
        text = svg.element("text", spans, x=x, y=y, text_anchor="middle", font_size=11, fill=palette.INK)
        headings.append(svg.link(href(dimension), names.name(dimension), text))
    return headings


def _cell(row: dict[str, str], i: int, j: int, names: Names, href: Href) -> str:
    """One cell: a square in its status's colour, the status in words, a link to the response."""
    x, y = LEFT + j * COLUMN, LEGEND + HEADER + i * ROW
    status = names.name(row["status"]) if row["status"] else NO_CELL
    rect = svg.element(
        "rect",
        x=x + 1,
        y=y + 1,
        width=COLUMN - 2,
        height=ROW - 2,
        fill=palette.STATUS.get(row["status"], "#ffffff"),
        stroke=palette.LINE,
    )
    words = svg.element("text", svg.text(status), x=x + COLUMN / 2, y=y + 18, text_anchor="middle", font_size=11)
    title = f"{names.name(row['process'])}: {names.name(row['dimension'])}: {status}"
    return svg.link(href(row["response"]), title, rect, words) if row["response"] else svg.element("g", rect + words)


def _table(answer: list[dict[str, str]], dimensions: list[str], names: Names, href: Href) -> Table:
    """The matrix in words: a row per process, the status of each of its cells."""
    table_rows: list[tuple[Cell, ...]] = []
    for process in dict.fromkeys(row["process"] for row in answer):
        cells = {row["dimension"]: row for row in answer if row["process"] == process}
        table_rows.append(
            (
                Cell(names.name(process), href(process)),
                *(
                    Cell(names.name(cells[d]["status"]), href(cells[d]["response"]))
                    if cells[d]["response"]
                    else Cell(NO_CELL)
                    for d in dimensions
                ),
            )
        )
    header = ("process", *(names.name(dimension) for dimension in dimensions))
    return Table("The status of each process's cell in each dimension", header, table_rows)
