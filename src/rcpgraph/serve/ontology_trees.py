"""The trees of the ontology page: the class hierarchy with the instances of each class, and the concept schemes.

A class's parents are its named superclasses (`rdfs:subClassOf`); the roots are the classes of other
vocabularies the ontology's classes specialise (`org:Organization`, `prov:Entity`, ...) and the
ontology's classes without a named superclass. A concept's parent is its `skos:broader` concept;
concepts are ordered by `rcp:order`, then by label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from rcpgraph.vocabulary import RCP

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from rcpgraph.serve.labels import Hyperlink, Linker
    from rcpgraph.sparql.store import Result


@dataclass
class TreeNode:
    """A class or a concept, what the page says beside it, and the nodes under it."""

    link: Hyperlink
    note: str
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class SchemeView:
    """A concept scheme, its definition, and its concepts as a tree."""

    link: Hyperlink
    definition: str
    concepts: list[TreeNode]


def class_tree(ontology: Graph, counts: Result, linker: Linker) -> list[TreeNode]:
    """The ontology's classes under their superclasses, each with its number of instances in the release."""
    instances = {str(row[0]): int(str(row[1])) for row in counts.rows}
    classes = [c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(RCP)]
    children: dict[Node, list[Node]] = defaultdict(list)
    for cls in classes:
        for parent in ontology.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                children[parent].append(cls)
    nodes = {*classes, *children}
    roots = [node for node in nodes if not set(ontology.objects(node, RDFS.subClassOf)) & nodes]

    def node(cls: Node) -> TreeNode:
        count = instances.get(str(cls), 0)
        note = f"{count} instance{'' if count == 1 else 's'}"
        return TreeNode(linker.link(cls), note, [node(child) for child in _by_label(children[cls], linker)])

    return [node(root) for root in _by_label(roots, linker)]


def schemes(graph: Graph, linker: Linker) -> list[SchemeView]:
    """Every concept scheme of `graph`, with its concepts under their broader concepts."""
    views = []
    for scheme in _by_label(graph.subjects(RDF.type, SKOS.ConceptScheme), linker):
        concepts = set(graph.subjects(SKOS.inScheme, scheme))
        narrower: dict[Node | None, list[Node]] = defaultdict(list)
        for concept in concepts:
            broader = graph.value(concept, SKOS.broader)
            narrower[broader if broader in concepts else None].append(concept)

        def node(concept: Node, narrower: dict[Node | None, list[Node]] = narrower) -> TreeNode:
            under = [node(child) for child in _in_order(graph, narrower[concept], linker)]
            return TreeNode(linker.link(concept), str(graph.value(concept, SKOS.definition) or ""), under)

        top = [node(concept) for concept in _in_order(graph, narrower[None], linker)]
        views.append(SchemeView(linker.link(scheme), str(graph.value(scheme, SKOS.definition) or ""), top))
    return views


def _by_label(nodes: Iterable[Node], linker: Linker) -> list[Node]:
    """`nodes` sorted by label, then IRI."""
    return sorted(set(nodes), key=lambda node: (linker.labels.of(node).lower(), str(node)))


def _in_order(graph: Graph, concepts: Iterable[Node], linker: Linker) -> list[Node]:
    """`concepts` by their `rcp:order` (those without one last), then by label."""

    def key(concept: Node) -> tuple[int, str]:
        order = graph.value(concept, RCP.order)
        return (int(order) if isinstance(order, Literal) else 1 << 30, linker.labels.of(concept).lower())

    return sorted(set(concepts), key=key)
