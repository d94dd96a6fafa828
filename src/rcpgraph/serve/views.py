"""What the pages show, worked out from the graph: an entity's facts grouped, the ontology, the home page.

Facts are grouped into sections: what the resource is said to be in words (literals), the resources it
is linked to, its provenance (PROV-O and Web Annotation properties), and what links to it. A link to it
reads under the label of its property's inverse when the ontology has one (`owl:inverseOf`, or the
property itself when symmetric), else as "… — property — this", the values standing for the "…".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from rcpgraph.serve.cell_views import CellView, cells_for, in_order, own_cells
from rcpgraph.serve.ontology_trees import SchemeView, TreeNode, class_tree, schemes
from rcpgraph.vocabulary import OA, RCP, VANN

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rdflib import Graph
    from rdflib.term import Node

    from rcpgraph.serve.labels import Hyperlink, Linker
    from rcpgraph.sparql.store import Result

MAX_VALUES = 200  # values shown per property; the rest are counted
_PROVENANCE = (str(PROV), str(OA))
_SHOWN_IN_CELL = (RCP.text, RCP.sourceText)


@dataclass(frozen=True)
class Value:
    """One value of a fact: a link, or a literal's text (its language or datatype as `note`, shown on hover)."""

    text: str
    link: Hyperlink | None = None
    note: str = ""


@dataclass
class FactView:
    """A property and its values (`more`: how many values are not shown)."""

    property: Hyperlink
    values: list[Value]
    more: int = 0


@dataclass
class Section:
    """A titled group of facts."""

    title: str
    facts: list[FactView]


@dataclass
class EntityView:
    """Everything an entity page shows: `own`, a process's own cells; `cells`, those of others that cite it;
    `formal`, the formal name beside the usual one (empty when they are the same)."""

    iri: str
    label: str
    types: list[Hyperlink]
    sections: list[Section]
    cells: list[CellView]
    own: list[CellView] = field(default_factory=list)
    formal: str = ""


def entity_view(graph: Graph, iri: str, linker: Linker, ontology: Graph) -> EntityView:
    """The page of `iri`: its label and types, its own cells, its facts in sections, the cells that cite it."""
    node = URIRef(iri)
    cells, own = cells_for(graph, node, linker), own_cells(graph, node, linker)
    words, links, provenance = [], [], []
    shown = {URIRef(cell.response.iri) for cell in own}  # its own cells stand above: not listed again
    for predicate in in_order(set(graph.predicates(node)) - {RDF.type}):
        if cells and predicate in _SHOWN_IN_CELL:
            continue
        values = [
            value
            for value in in_order(graph.objects(node, predicate))
            if value not in shown and not _implied(graph, ontology, node, predicate, value)
        ]
        if not values:
            continue
        fact = _fact(linker.property(predicate), values, linker)
        if _is_provenance(ontology, predicate):
            provenance.append(fact)
        elif all(isinstance(value, Literal) for value in values):
            words.append(fact)
        else:
            links.append(fact)
    sections = [Section("About", words), Section("Related", links), Section("Provenance", provenance)]
    sections.append(Section("Referenced by", _inbound(graph, node, linker, ontology)))
    types = sorted((linker.link(cls) for cls in graph.objects(node, RDF.type)), key=lambda link: link.label)
    filled = [s for s in sections if s.facts]
    return EntityView(iri, linker.labels.of(node), types, filled, cells, own, linker.labels.formal(node))


def _inbound(graph: Graph, node: URIRef, linker: Linker, ontology: Graph) -> list[FactView]:
    """The triples pointing at `node`, by property, read backwards; not from its own parts, nor the
    annotations that cite it (their words are marked in its cells), nor those whose inverse it states."""
    own = str(node) + "/"
    by_property: dict[Node, list[Node]] = {}
    for subject, predicate in graph.subject_predicates(node):
        inverse = inverse_of(ontology, predicate)
        stated = inverse is not None and (node, inverse, subject) in graph
        implied = _implied(graph, ontology, subject, predicate, node)
        if not (str(subject).startswith(own) or predicate == OA.hasBody or stated or implied):
            by_property.setdefault(predicate, []).append(subject)
    facts = []
    for predicate, subjects in sorted(by_property.items()):
        inverse = inverse_of(ontology, predicate)
        prop = linker.property(inverse) if inverse is not None else backwards(linker.property(predicate))
        facts.append(_fact(prop, sorted(subjects, key=linker.labels.of), linker))
    return facts


def _is_provenance(ontology: Graph, predicate: Node) -> bool:
    """Whether a property is PROV-O's or Web Annotation's, or one of ours below them (rcp:statedIn, rcp:printedIn)."""
    above = [predicate, *ontology.objects(predicate, RDFS.subPropertyOf)]
    return any(str(prop).startswith(_PROVENANCE) for prop in above)


def _implied(graph: Graph, ontology: Graph, subject: Node, predicate: Node, value: Node) -> bool:
    """Whether a sub-property of `predicate` already links `subject` to `value` on the page (rcp:statedIn for
    the prov:wasInfluencedBy that reasoning infers from it): the entailment is not shown twice."""
    return any(
        (subject, sub, value) in graph for sub in ontology.subjects(RDFS.subPropertyOf, predicate) if sub != predicate
    )


def inverse_of(ontology: Graph, predicate: Node) -> Node | None:
    """The inverse the ontology gives a property (`owl:inverseOf` either way; itself if symmetric), or None."""
    if (predicate, RDF.type, OWL.SymmetricProperty) in ontology:
        return predicate
    return ontology.value(predicate, OWL.inverseOf) or ontology.value(None, OWL.inverseOf, predicate)


def backwards(prop: Hyperlink) -> Hyperlink:
    """A property read from its object: "… — involves — this", the values it lists standing for the "…"."""
    return replace(prop, label=f"… — {prop.label} — this")


def _fact(prop: Hyperlink, values: Sequence[Node], linker: Linker) -> FactView:
    """A fact with at most MAX_VALUES values shown."""
    return FactView(prop, [value_of(value, linker) for value in values[:MAX_VALUES]], max(0, len(values) - MAX_VALUES))


def value_of(value: Node, linker: Linker) -> Value:
    """One value as the page shows it."""
    if isinstance(value, Literal):
        note = f"@{value.language}" if value.language else ""
        if value.datatype is not None:
            note = linker.labels.of(value.datatype)
        return Value(str(value), note=note)
    if isinstance(value, BNode):
        return Value("(blank node)")
    link = linker.link(value)
    return Value(link.label, link=link)


@dataclass
class OntologyTerm:
    """One class or property of the ontology."""

    anchor: str
    iri: str
    label: str
    definition: str
    facts: list[FactView] = field(default_factory=list)


@dataclass
class OntologyView:
    """The ontology page: its title, description and metadata (version, licence, ...), its classes and
    properties, the class hierarchy with the instances of each class, and the concept schemes."""

    title: str
    description: str
    groups: list[tuple[str, list[OntologyTerm]]]
    metadata: list[FactView] = field(default_factory=list)
    hierarchy: list[TreeNode] = field(default_factory=list)
    schemes: list[SchemeView] = field(default_factory=list)


_TERM_KINDS = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
)
_TERM_FACTS = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.disjointWith)
_METADATA = (
    OWL.versionInfo,
    OWL.versionIRI,
    DCTERMS.license,
    DCTERMS.creator,
    VANN.preferredNamespacePrefix,
    VANN.preferredNamespaceUri,
)


def ontology_view(ontology: Graph, linker: Linker, graph: Graph, counts: Result) -> OntologyView:
    """The classes and properties of the ontology, with their definitions, by kind; its metadata; its class
    hierarchy with the instances of each class (`counts`, the stored query class-counts); the concept schemes
    of the release `graph`."""
    from rcpgraph.vocabulary import ONTOLOGY

    root = URIRef(ONTOLOGY)
    groups = []
    for title, kind in _TERM_KINDS:
        terms = [_term(ontology, subject, linker) for subject in in_order(ontology.subjects(RDF.type, kind))]
        groups.append((title, [term for term in terms if term is not None]))
    description = ontology.value(root, DCTERMS.description)
    metadata = [
        _fact(linker.property(predicate), sorted(ontology.objects(root, predicate), key=str), linker)
        for predicate in _METADATA
        if (root, predicate, None) in ontology
    ]
    return OntologyView(
        linker.labels.of(root),
        str(description or ""),
        [group for group in groups if group[1]],
        metadata,
        class_tree(ontology, counts, linker),
        schemes(graph, linker),
    )


def _term(ontology: Graph, subject: Node, linker: Linker) -> OntologyTerm | None:
    """One term of the rcp: namespace, or None for a term of another vocabulary."""
    if not isinstance(subject, URIRef) or not str(subject).startswith(str(RCP)):
        return None
    definition = ontology.value(subject, SKOS.definition) or ontology.value(subject, RDFS.comment) or ""
    facts = []
    for predicate in _TERM_FACTS:
        values = sorted(value for value in ontology.objects(subject, predicate) if isinstance(value, URIRef))
        if values:
            facts.append(_fact(linker.property(predicate), values, linker))
    anchor = str(subject)[len(str(RCP)) :]
    return OntologyTerm(anchor, str(subject), linker.labels.of(subject), str(definition), facts)


@dataclass
class Process:
    """One row of the home page's matrix: a process and the status of each of its cells."""

    link: Hyperlink
    acronym: str
    cells: list[tuple[Hyperlink, str]]
    formal: str = ""


@dataclass
class HomeView:
    """The home page: the processes by group, the dimensions, the statuses in use."""

    groups: list[tuple[str, list[Process]]]
    dimensions: list[Hyperlink]
    statuses: list[Hyperlink]


def home_view(groups: Result, matrix: Result, linker: Linker, graph: Graph) -> HomeView:
    """The home page from the stored queries `groups` and `completeness-matrix`; statuses in their order in `graph`."""
    statuses: dict[tuple[Node, Node], tuple[Node | None, Node | None]] = {}
    dimensions: list[Node] = []
    for cell in matrix.solutions:
        dimension = cell.bound("dimension")
        statuses[(cell.bound("process"), dimension)] = (cell["response"], cell["status"])
        if dimension not in dimensions:
            dimensions.append(dimension)
    by_group: dict[str, list[Process]] = {}
    for member in groups.solutions:
        process = member.bound("process")
        cells = []
        for dimension in dimensions:
            response, status = statuses.get((process, dimension), (None, None))
            slug = str(status).rsplit("/", 1)[-1] if status is not None else "missing"
            cells.append((linker.link(response) if response is not None else linker.link(dimension), slug))
        row = Process(linker.link(process), str(member["acronym"] or ""), cells, linker.labels.formal(process))
        by_group.setdefault(linker.labels.of(member.bound("priority")), []).append(row)
    used = sorted(
        {status for _, status in statuses.values() if status is not None},
        key=lambda status: _order(graph, status),
    )
    return HomeView(list(by_group.items()), [linker.link(d) for d in dimensions], [linker.link(s) for s in used])


def _order(graph: Graph, node: Node) -> int:
    """A concept's rcp:order in `graph` (0 when it has none)."""
    order = graph.value(node, RCP.order)
    return int(order) if isinstance(order, Literal) else 0
