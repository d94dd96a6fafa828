"""What the service says about one IRI: the triples that describe it, for every RDF format and the page.

The description of a resource is

- every triple it is the subject of, and the description of each blank node among their objects;
- the same for its parts: the IRIs under its own (`.../annotation/1`, `.../derivation/1/selector`)
  linked to it or to another of its parts, in either direction;
- every triple, outside those, that points at it (so a consumer learns, say, which responses name a process).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, URIRef

from rcpgraph.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.term import Node

Triple = tuple["Node", "Node", "Node"]


def new_graph() -> Graph:
    """An empty rdflib graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def is_subject(graph: Graph, iri: str) -> bool:
    """Whether `iri` is the subject of some triple in `graph`."""
    return next(graph.triples((URIRef(iri), None, None)), None) is not None


def parts(graph: Graph, iri: URIRef) -> set[URIRef]:
    """The IRIs under `iri` reachable from it through each other, in either direction."""
    prefix = str(iri) + "/"
    found: set[URIRef] = set()
    frontier = [iri]
    while frontier:
        node = frontier.pop()
        neighbours = [o for o in graph.objects(node, None)] + [s for s in graph.subjects(None, node)]
        for neighbour in neighbours:
            if isinstance(neighbour, URIRef) and str(neighbour).startswith(prefix) and neighbour not in found:
                found.add(neighbour)
                frontier.append(neighbour)
    return found


def description(graph: Graph, iri: str) -> Graph:
    """The description of `iri` in `graph` (empty if `graph` says nothing about it)."""
    subject = URIRef(iri)
    owned = {subject} | parts(graph, subject)
    out = new_graph()
    for node in sorted(owned):
        for triple in _bounded(graph, node):
            out.add(triple)
    for source, predicate in graph.subject_predicates(subject):
        if source not in owned:
            out.add((source, predicate, subject))
    return out


def _bounded(graph: Graph, node: Node) -> Iterator[Triple]:
    """The triples of `node` and, recursively, of the blank nodes among their objects."""
    seen: set[Node] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        for triple in graph.triples((current, None, None)):
            yield triple
            value = triple[2]
            if isinstance(value, BNode) and value not in seen:
                seen.add(value)
                stack.append(value)
