"""How the graph traces words to the source: a fragment's IRI and a derivation from a span of its text."""

from __future__ import annotations

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from rcpgraph.pipeline.cells import Piece
from rcpgraph.vocabulary import OA, RCP, RCPID


def field_iri(line: int, field: int) -> URIRef:
    """The IRI of a source fragment or label."""
    return RCPID[f"source/line-{line}/field-{field}"]


def qualified(graph: Graph, node: URIRef, piece: Piece) -> None:
    """`node` is derived from a span of a fragment, the `order`-th piece of its words."""
    fragment = field_iri(piece.line, piece.field)
    derivation = URIRef(f"{node}/derivation/{piece.order}")
    selector = URIRef(f"{derivation}/selector")
    graph.add((node, PROV.qualifiedDerivation, derivation))
    graph.add((derivation, RDF.type, PROV.Derivation))
    graph.add((derivation, RDF.type, OA.SpecificResource))
    graph.add((derivation, PROV.entity, fragment))
    graph.add((derivation, OA.hasSource, fragment))
    graph.add((derivation, RCP.order, Literal(piece.order, datatype=XSD.integer)))
    graph.add((derivation, OA.hasSelector, selector))
    position(graph, selector, piece.start, piece.end)


def position(graph: Graph, selector: URIRef, start: int, end: int) -> None:
    """A text position selector: the span [start, end)."""
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((selector, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
