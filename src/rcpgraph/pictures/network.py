"""The cross-fertilization network: processes and organisations, an arrow per link from the row that reports it.

Drawn from the `cross-fertilization-network` answer. Processes stand on an inner circle (by group, then
table order), organisations on an outer one (by name); a process's neighbourhood puts it in the centre.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from rcpgraph.namespaces import RCP
from rcpgraph.pictures import palette, svg
from rcpgraph.pictures.model import Ask, Cell, Href, Picture, Table
from rcpgraph.pictures.names import LINK_STATUS, PRIORITY, PROCESS, Names

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LINK = RCP + "CrossFertilizationLink"
PROCESS_CLASSES = frozenset({PROCESS, RCP + "RegionalConsultativeProcess"})
RADIUS = 11.0
WHOLE = ((1100.0, 860.0), (550.0, 450.0))  # the picture's size, and the middle of its circles
NEIGHBOURHOOD = ((820.0, 600.0), (410.0, 330.0))
Point = tuple[float, float]


@dataclass(frozen=True)
class Link:
    """One reported link: from the process whose row states it, to the other end."""

    iri: str
    source: str
    target: str
    status: str
    label: str


def draw(ask: Ask, href: Href, process: str | None = None) -> Picture:
    """The network of every link, or of the links to and from `process` (an IRI)."""
    names = Names(ask)
    links, classes = _read(ask)
    if process is not None:
        links = [link for link in links if process in (link.source, link.target)]
    ends = {end for link in links for end in (link.source, link.target)} | ({process} if process else set())
    processes = sorted((n for n in ends if classes.get(n, set()) & PROCESS_CLASSES), key=names.rank)
    organisations = sorted(ends - set(processes), key=lambda n: (names.name(n), n))
    size, middle = WHOLE if process is None else NEIGHBOURHOOD
    places = _layout(processes, organisations, process, middle)
    key = "network" if process is None else f"network-{process.rsplit('/', 1)[-1]}"
    body = [_markers(key), *_legend(names, key)]
    body += [_edge(link, links, places, names, href, key) for link in links]
    body += [_node(node, places, names, href, node in processes, middle) for node in [*processes, *organisations]]
    counts = {status: sum(link.status == status for link in links) for status in sorted({x.status for x in links})}
    summary = ", ".join(f"{names.name(status)}: {count}" for status, count in counts.items())
    description = (
        f"{len(links)} cross-fertilization links ({summary or 'none'}) between {len(processes)} processes and "
        f"{len(organisations)} organisations; each arrow points from the process whose row reports the link, "
        "solid for an existing link, dashed for a potential one."
    )
    title = "Cross-fertilization network" + (f" of {names.name(process)}" if process else "")
    return Picture("network", svg.document(key, size, title, description, body), _table(links, names, href))


def _read(ask: Ask) -> tuple[list[Link], dict[str, set[str]]]:
    """The links of the answer, sorted by IRI, and the classes of every resource."""
    values: dict[tuple[str, str], str] = {}
    classes: dict[str, set[str]] = {}
    for subject, predicate, value in ask("cross-fertilization-network").triples:
        if predicate.value == RDF_TYPE:
            classes.setdefault(subject.value, set()).add(value.value)
        elif value.language in (None, "en"):
            values[(subject.value, predicate.value)] = value.value
    return [
        Link(
            iri,
            values[(iri, RCP + "linkFrom")],
            values[(iri, RCP + "linkTo")],
            values[(iri, RCP + "linkStatus")],
            values[(iri, "http://www.w3.org/2004/02/skos/core#prefLabel")],
        )
        for iri in sorted(iri for iri, kinds in classes.items() if LINK in kinds)
    ], classes


def _layout(processes: list[str], organisations: list[str], centre: str | None, middle: Point) -> dict[str, Point]:
    """Where each node stands: the centre node in the middle, processes inside, organisations outside."""
    if centre is not None:
        others = [node for node in [*processes, *organisations] if node != centre]
        return {centre: middle, **_circle(others, middle, 200.0)}
    return {**_circle(processes, middle, 170.0), **_circle(organisations, middle, 345.0)}


def _circle(nodes: list[str], middle: Point, radius: float) -> dict[str, Point]:
    """`nodes` evenly on a circle, clockwise from the top."""
    count = max(len(nodes), 1)
    return {
        node: (
            middle[0] + radius * math.cos(2 * math.pi * i / count - math.pi / 2),
            middle[1] + radius * math.sin(2 * math.pi * i / count - math.pi / 2),
        )
        for i, node in enumerate(nodes)
    }


def _markers(key: str) -> str:
    """The arrowheads, one per line style."""
    markers = [
        svg.element(
            "marker",
            svg.element("path", d="M0,0 L8,4 L0,8 z", fill=colour),
            id=f"{key}-arrow-{name}",
            viewBox="0 0 8 8",
            refX=8,
            refY=4,
            markerWidth=7,
            markerHeight=7,
            orient="auto",
        )
        for name, colour in (("existing", palette.INK), ("potential", palette.MUTED))
    ]
    return svg.element("defs", "".join(markers))


def _style(status: str) -> tuple[str, str, str | None]:
    """The marker name, colour and dash pattern of a link's status."""
    if status.endswith("/potential"):
        return "potential", palette.MUTED, "6 4"
    return "existing", palette.INK, None


def _edge(link: Link, links: list[Link], places: dict[str, Point], names: Names, href: Href, key: str) -> str:
    """One link as an arrow; when the other end reports the link back, both arrows stand side by side."""
    (x1, y1), (x2, y2) = places[link.source], places[link.target]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    both = any(other.source == link.target and other.target == link.source for other in links)
    shift = 4.0 if both else 0.0
    ox, oy = -uy * shift, ux * shift
    trim = RADIUS + 3
    marker, colour, dash = _style(link.status)
    line = svg.element(
        "line",
        x1=x1 + ux * trim + ox,
        y1=y1 + uy * trim + oy,
        x2=x2 - ux * trim + ox,
        y2=y2 - uy * trim + oy,
        stroke=colour,
        stroke_width=1.5,
        stroke_dasharray=dash,
        marker_end=f"url(#{key}-arrow-{marker})",
    )
    words = f"{names.name(link.source)} → {names.name(link.target)} ({names.name(link.status)}): {link.label}"
    return svg.link(href(link.iri), words, line)


def _node(node: str, places: dict[str, Point], names: Names, href: Href, is_process: bool, middle: Point) -> str:
    """A node: a circle coloured by group for a process, a white square for an organisation, and its name."""
    x, y = places[node]
    named = names.items.get(node)
    if is_process:
        fill = palette.GROUP.get(named.group, palette.OTHER_PROCESS) if named and named.group else palette.OTHER_PROCESS
        shape = svg.element("circle", cx=x, cy=y, r=RADIUS, fill=fill, stroke=palette.INK)
    else:
        side = 2 * RADIUS - 2
        shape = svg.element(
            "rect",
            x=x - side / 2,
            y=y - side / 2,
            width=side,
            height=side,
            rx=3.0,
            fill=palette.ORGANISATION,
            stroke=palette.INK,
        )
    label = _label(node, (x, y), names, middle)
    full = named.label if named else names.name(node)
    title = full if full == names.name(node) else f"{names.name(node)} ({full})"
    return svg.link(href(node), title, shape, label)


def _label(node: str, at: Point, names: Names, middle: Point) -> str:
    """A node's name beside it, away from the centre of the picture, wrapped at 18 characters a line."""
    x, y = at
    dx, dy = x - middle[0], y - middle[1]
    lines = textwrap.wrap(names.name(node), 18) or [""]
    if abs(dx) < 40:
        anchor, tx = "middle", x
        ty = y + RADIUS + 14 if dy >= 0 else y - RADIUS - 5 - 14 * (len(lines) - 1)
    else:
        anchor, tx = ("start", x + RADIUS + 5) if dx > 0 else ("end", x - RADIUS - 5)
        ty = y + 4 - 7 * (len(lines) - 1)
    spans = "".join(svg.element("tspan", svg.text(line), x=tx, dy="14" if n else None) for n, line in enumerate(lines))
    return svg.element(
        "text",
        spans,
        x=tx,
        y=ty,
        text_anchor=anchor,
        fill=palette.INK,
        stroke="#ffffff",
        stroke_width=3,
        paint_order="stroke",
    )


def _legend(names: Names, key: str) -> list[str]:
    """What the colours, shapes and lines mean."""
    entries: list[tuple[str, str]] = []
    for group in names.of_kind(PRIORITY):
        swatch = svg.element(
            "circle", cx=0.0, cy=0.0, r=6.0, fill=palette.GROUP.get(group.order or 0, palette.OTHER_PROCESS)
        )
        entries.append((swatch, f"Group {group.order}: {group.label}"))
    entries.append(
        (
            svg.element("circle", cx=0.0, cy=0.0, r=6.0, fill=palette.OTHER_PROCESS),
            "process that is no row of the table",
        )
    )
    entries.append(
        (
            svg.element(
                "rect", x=-6.0, y=-6.0, width=12.0, height=12.0, rx=2.0, fill=palette.ORGANISATION, stroke=palette.INK
            ),
            "organisation",
        )
    )
    for status in names.of_kind(LINK_STATUS):
        marker, colour, dash = _style(status.iri)
        line = svg.element(
            "line",
            x1=-8.0,
            y1=0.0,
            x2=8.0,
            y2=0.0,
            stroke=colour,
            stroke_width=1.5,
            stroke_dasharray=dash,
            marker_end=f"url(#{key}-arrow-{marker})",
        )
        entries.append((line, f"{status.label} link, from the row that reports it"))
    return [
        svg.element(
            "g",
            swatch + svg.element("text", svg.text(words), x=14.0, y=4.0, fill=palette.INK),
            transform=f"translate(20 {20 + 18 * i})",
        )
        for i, (swatch, words) in enumerate(entries)
    ]


def _table(links: list[Link], names: Names, href: Href) -> Table:
    """The links in words: from, to, status, and the link itself."""
    rows = [
        (
            Cell(names.name(link.source), href(link.source)),
            Cell(names.name(link.target), href(link.target)),
            Cell(names.name(link.status)),
            Cell(link.label, href(link.iri)),
        )
        for link in links
    ]
    return Table("The cross-fertilization links the rows report", ("from", "to", "status", "link"), rows)
