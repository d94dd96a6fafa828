"""The listing pages: the individuals of the release by folder (`/id/process/`, `/id/organisation/`, ...), paged.

A folder lists the typed resources whose IRI is under it and under no other typed resource of the folder
(a response, not its annotations; a concept, under its scheme's folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, URIRef

from rcpgraph.sparql.catalogue import ID_BASE

if TYPE_CHECKING:
    from rdflib import Graph

    from rcpgraph.serve.labels import Hyperlink, Linker

PAGE_SIZE = 50


@dataclass(frozen=True)
class Entry:
    """One individual of a listing: its link, formal name and types."""

    link: Hyperlink
    formal: str
    types: list[Hyperlink]


@dataclass(frozen=True)
class Listing:
    """One page of a folder's listing (`page` counts from 1)."""

    folder: str
    total: int
    page: int
    pages: int
    entries: list[Entry]


def folders(graph: Graph) -> dict[str, list[URIRef]]:
    """The individuals of each folder under the `id/` base, by folder and IRI."""
    typed = {str(s)[len(ID_BASE) :] for s in graph.subjects(RDF.type, None) if str(s).startswith(ID_BASE)}
    found: dict[str, list[URIRef]] = {}
    for path in sorted(typed):
        folder, _, rest = path.partition("/")
        steps = rest.split("/")
        if rest and not any(f"{folder}/{'/'.join(steps[:i])}" in typed for i in range(1, len(steps))):
            found.setdefault(folder, []).append(URIRef(ID_BASE + path))
    return dict(sorted(found.items()))


def page_count(count: int) -> int:
    """How many pages `count` items take (at least one)."""
    return max(1, -(-count // PAGE_SIZE))


def listing(members: list[URIRef], folder: str, page: int, linker: Linker, graph: Graph) -> Listing:
    """Page `page` of a folder's individuals, sorted by label (accents and case ignored)."""
    from rcpgraph.serve.search import fold

    ordered = sorted(members, key=lambda node: (fold(linker.labels.of(node)), str(node)))
    pages = page_count(len(ordered))
    shown = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    entries = [
        Entry(
            linker.link(node),
            linker.labels.formal(node),
            sorted((linker.link(cls) for cls in graph.objects(node, RDF.type)), key=lambda link: link.label),
        )
        for node in shown
    ]
    return Listing(folder, len(ordered), page, pages, entries)
