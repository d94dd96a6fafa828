"""Cells of the table as a page shows them: the corrected text with cited words marked, the OCR text beside it.

A Web Annotation selects words of a response's corrected text (`rcp:text`) by character offsets
(`oa:TextPositionSelector`); an OCR correction (`rcp:TextCorrection`, scoped to a response) replaces
words of a fragment's verbatim text. A page about an extracted resource shows each cell that cites it,
its words marked; a response's own page shows every cited word, each mark linking to what it names.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, Literal
from rdflib.namespace import PROV

from rcpgraph.vocabulary import OA, RCP

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier, Node

    from rcpgraph.serve.labels import Hyperlink, Linker


@dataclass(frozen=True)
class Highlight:
    """Characters `start` to `end` of a text, and the resource they name (None on that resource's own page)."""

    start: int
    end: int
    names: Node | None = None


@dataclass
class Segment:
    """A run of text: whether it is marked (cited), the resources its words name (innermost first), and the
    colour of the first of them in its cell's legend."""

    text: str
    marked: bool = False
    names: list[Hyperlink] = field(default_factory=list)
    colour: int = 0


@dataclass(frozen=True)
class CorrectionView:
    """One OCR correction: the words printed, the words read, and why."""

    wrong: str
    right: str
    reason: str


@dataclass
class CellView:
    """One response as a page shows it."""

    response: Hyperlink
    status: Hyperlink | None
    dimension: Hyperlink | None
    corrected: list[Segment]
    verbatim: list[Segment]
    fragments: list[Hyperlink]
    corrections: list[CorrectionView]
    legend: list[tuple[Hyperlink, int]] = field(default_factory=list)


def in_order(nodes: Iterable[Node]) -> list[Identifier]:
    """Terms in rdflib's order: blank nodes, then IRIs, then literals, each by label, IRI or value."""
    from rdflib.term import Identifier

    return sorted(node for node in nodes if isinstance(node, Identifier))


COLOURS = 6  # marks cycle through this many colours, one per resource named in a cell


def segments(text: str, spans: list[Highlight], linker: Linker) -> list[Segment]:
    """`text` cut at every span boundary, spans widened to whole words; a segment inside spans is marked with
    what they name, and neighbours marked alike are one segment."""
    spans = [_widened(text, span) for span in spans]
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(bounds):
        if not 0 <= start < end <= len(text):
            continue
        covering = sorted((s for s in spans if s.start <= start and end <= s.end), key=lambda s: s.end - s.start)
        names = list(dict.fromkeys(linker.link(s.names) for s in covering if s.names is not None))
        if pieces and pieces[-1].marked == bool(covering) and pieces[-1].names == names:
            pieces[-1].text += text[start:end]
        else:
            pieces.append(Segment(text[start:end], bool(covering), names))
    return pieces


def _widened(text: str, span: Highlight) -> Highlight:
    """A span stretched to the word boundaries around it, so that a mark never splits a word."""
    start, end = span.start, span.end
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return Highlight(start, end, span.names)


def coloured(pieces: list[Segment]) -> list[tuple[Hyperlink, int]]:
    """Each resource the marks name, in order of first mention, with its colour; each mark takes the colour
    of the first resource it names."""
    order = list(dict.fromkeys(piece.names[0] for piece in pieces if piece.names))
    for piece in pieces:
        piece.colour = order.index(piece.names[0]) % COLOURS if piece.names else 0
    return [(name, index % COLOURS) for index, name in enumerate(order)]


def in_verbatim(verbatim: str, pieces: list[Segment]) -> list[Segment]:
    """The verbatim text with the same marks, where the OCR read the marked words exactly as corrected (in
    order); words the OCR read otherwise stay unmarked."""
    found: list[Segment] = []
    cursor = 0
    for piece in pieces:
        words = piece.text.strip()
        at = verbatim.find(words, cursor) if piece.marked and words else -1
        if at < 0:
            continue
        found += [Segment(verbatim[cursor:at]), Segment(words, True, piece.names, piece.colour)]
        cursor = at + len(words)
    return [segment for segment in [*found, Segment(verbatim[cursor:])] if segment.text]


def own_cells(graph: Graph, node: Node, linker: Linker) -> list[CellView]:
    """A process's own cells, in the table's order of columns, every cited word marked; none for anything else."""
    responses = [r for r in graph.subjects(RCP.respondent, node) if (r, RDF.type, RCP.SurveyResponse) in graph]
    ordered = sorted(
        responses, key=lambda response: _number(graph.value(graph.value(response, RCP.dimension), RCP.order))
    )
    return [_cell(graph, response, _spans_in(graph, response), linker) for response in ordered]


def cells_for(graph: Graph, node: Node, linker: Linker) -> list[CellView]:
    """The cells a page about `node` shows: its own (a response), or those of others that cite it, state it or
    read it (a process's own cells are `own_cells`)."""
    if (node, RDF.type, RCP.SurveyResponse) in graph:
        return [_cell(graph, node, _spans_in(graph, node), linker)]
    cited: dict[Node, list[Highlight]] = {}
    for annotation in graph.subjects(OA.hasBody, node):
        for response, span in _targets(graph, annotation, None):
            cited.setdefault(response, []).append(span)
    for source in graph.objects(node, RCP.statedIn):
        if (source, RDF.type, RCP.SurveyResponse) in graph:
            cited.setdefault(source, [])
    if (node, RDF.type, RCP.SourceFragment) in graph:
        for response in graph.subjects(PROV.wasDerivedFrom, node):
            if (response, RDF.type, RCP.SurveyResponse) in graph:
                cited.setdefault(response, [])
    mentions = sorted((r, spans) for r, spans in cited.items() if (r, RCP.respondent, node) not in graph)
    return [_cell(graph, response, spans, linker) for response, spans in mentions]


def _spans_in(graph: Graph, response: Node) -> list[Highlight]:
    """Every annotated span of a response's text, with what it names."""
    spans = []
    for target in graph.subjects(OA.hasSource, response):
        annotation = graph.value(predicate=OA.hasTarget, object=target)
        if annotation is None or (annotation, RDF.type, OA.Annotation) not in graph:
            continue
        body = graph.value(annotation, OA.hasBody)
        if body is not None:
            spans += [span for _, span in _targets(graph, annotation, body)]
    return spans


def _targets(graph: Graph, annotation: Node, names: Node | None) -> list[tuple[Node, Highlight]]:
    """(response, span) for each text position an annotation selects."""
    found = []
    for target in graph.objects(annotation, OA.hasTarget):
        source = graph.value(target, OA.hasSource)
        for selector in graph.objects(target, OA.hasSelector):
            start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
            if source is not None and isinstance(start, Literal) and isinstance(end, Literal):
                found.append((source, Highlight(int(start), int(end), names)))
    return found


def _cell(graph: Graph, response: Node, spans: list[Highlight], linker: Linker) -> CellView:
    """A response's cell: corrected text cut into segments, verbatim text, fragments, corrections."""
    text = str(graph.value(response, RCP.text) or "")
    derivations = graph.objects(response, PROV.qualifiedDerivation)
    ordered = sorted(derivations, key=lambda derivation: _number(graph.value(derivation, RCP.order)))
    fragments = [graph.value(derivation, PROV.entity) for derivation in ordered]
    status, dimension = graph.value(response, RCP.responseStatus), graph.value(response, RCP.dimension)
    corrected = segments(text, spans, linker)
    legend = coloured(corrected)
    return CellView(
        response=linker.link(response),
        status=linker.link(status) if status is not None else None,
        dimension=linker.link(dimension) if dimension is not None else None,
        corrected=corrected,
        verbatim=in_verbatim(str(graph.value(response, RCP.sourceText) or ""), corrected),
        fragments=[linker.link(fragment) for fragment in fragments if fragment is not None],
        corrections=_corrections(graph, response),
        legend=legend,
    )


def _corrections(graph: Graph, response: Node) -> list[CorrectionView]:
    """The OCR corrections made in a response's fragments, in the order of their IRIs."""
    found = []
    targets = graph.subjects(OA.hasScope, response)
    for correction, target in sorted((c, t) for t in targets for c in graph.subjects(OA.hasTarget, t)):
        if (correction, RDF.type, RCP.TextCorrection) not in graph:
            continue
        body = graph.value(correction, OA.hasBody)
        quotes = (graph.value(selector, OA.exact) for selector in graph.objects(target, OA.hasSelector))
        exact = next((quote for quote in quotes if quote is not None), "")
        reason = graph.value(correction, RCP.editorialNote) or ""
        found.append(CorrectionView(str(exact), str(graph.value(body, RDF.value) or ""), str(reason)))
    return found


def _number(node: Node | None) -> int:
    """The integer a literal states, 0 for no literal."""
    return int(node) if isinstance(node, Literal) else 0
