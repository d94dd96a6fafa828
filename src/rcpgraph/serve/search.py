"""Search: the individuals of the release by their names, and the cells by their corrected text, ranked.

Accents and case are ignored (`soderkoping` finds "Söderköping Process"). A name scores by how it matches:
the whole name, its start, the start of one of its words, anywhere in it, or all the words asked for in
any order; a cell's text scores below any name. Ties go by label, then IRI.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import DCTERMS, SKOS

from rcpgraph.serve.listings import folders
from rcpgraph.vocabulary import RCP

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from rcpgraph.serve.labels import Hyperlink, Linker

NAMES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, DCTERMS.title, RCP.acronym)
FOLDERS = ("process", "organisation", "event", "document", "initiative", "place", "link", "membership", "theme")
_SNIPPET = 60  # characters shown either side of a match in a cell's text


def fold(text: str) -> str:
    """`text` without accents, case-folded: the form names and queries are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass(frozen=True)
class Hit:
    """One thing found: its link, its kind (folder), what matched (a name, or words of a cell), and its score."""

    link: Hyperlink
    kind: str
    matched: str
    score: int


@dataclass(frozen=True)
class _Named:
    node: Node
    kind: str
    names: tuple[str, ...]


class SearchIndex:
    """The names of a release's individuals and the texts of its cells, folded once."""

    def __init__(self, graph: Graph, linker: Linker) -> None:
        self.linker = linker
        members = folders(graph)
        self._named = [
            _Named(
                node,
                kind,
                tuple(sorted({str(v) for p in NAMES for v in graph.objects(node, p) if isinstance(v, Literal)})),
            )
            for kind in FOLDERS
            for node in members.get(kind, [])
        ]
        self._cells = sorted(
            (response, str(text))
            for response in graph.subjects(RDF.type, RCP.SurveyResponse)
            for text in graph.objects(response, RCP.text)
        )

    def search(self, words: str) -> list[Hit]:
        """Everything `words` finds, best first."""
        query = " ".join(fold(words).split())
        if not query:
            return []
        hits = [hit for named in self._named if (hit := self._name_hit(named, query)) is not None]
        hits += [hit for response, text in self._cells if (hit := self._cell_hit(response, text, query)) is not None]
        return sorted(hits, key=lambda hit: (-hit.score, fold(hit.link.label), hit.link.iri))

    def _name_hit(self, named: _Named, query: str) -> Hit | None:
        """A hit on one of an individual's names, scored by its best-matching name."""
        scored = [(_score(fold(name), query), name) for name in named.names]
        score, name = max(scored, default=(0, ""))
        return Hit(self.linker.link(named.node), named.kind, name, score) if score else None

    def _cell_hit(self, response: Node, text: str, query: str) -> Hit | None:
        """A hit on a cell's corrected text, with the words around the first match."""
        folded, positions = _folded_with_positions(text)
        at = folded.find(query)
        if at < 0:
            return None
        start, end = positions[at], positions[at + len(query) - 1] + 1
        before, after = text[max(0, start - _SNIPPET) : start], text[end : end + _SNIPPET]
        if start > _SNIPPET:
            before = "…" + before.split(" ", 1)[-1]
        if end + _SNIPPET < len(text):
            after = after.rsplit(" ", 1)[0] + "…"
        snippet = before + text[start:end] + after
        return Hit(self.linker.link(response), "response", snippet, 10)


def _score(name: str, query: str) -> int:
    """How well a folded name matches a folded query: 100 whole, 80 start, 60 word start, 40 inside,
    20 every word somewhere, 0 not at all."""
    if name == query:
        return 100
    if name.startswith(query):
        return 80
    if re.search(r"(?<!\w)" + re.escape(query), name):
        return 60
    if query in name:
        return 40
    return 20 if all(word in name for word in query.split()) else 0


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`text` folded, with the index in `text` of each folded character."""
    pieces, positions = [], []
    for index, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        positions += [index] * len(folded)
    return "".join(pieces), positions
