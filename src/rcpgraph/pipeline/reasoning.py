"""Add the OWL 2 RL entailments of the asserted graph, keeping only new, meaningful triples (stage 4).

owlrl closes only the part of the graph its rules can reach: the axioms (the triples stated with the
RDF, RDFS and OWL vocabulary, but for annotations and declarations) and the facts whose predicate,
or class for an `rdf:type`, is a term of an axiom. Any other fact (a text, a selector, a label) only
yields what owlrl adds for every triple and the filter drops (`x owl:sameAs x`, a literal's type),
unless the closure finds a term equal to another: then every triple naming either is taken in, and
the closure is run again. The closure is owlrl's unless another reasoner's is given (`reasoners`).

owlrl's rules name a term of the vocabulary (`OWL.sameAs`, `RDF.type`) some 1.5 million times in a
closure of the release, and rdflib resolves each through the checked `__getattr__` of its
`DefinedNamespace`: 40% of the closure's time. While owlrl runs, its module sees the same IRIs as
plain attributes (`_PlainTerms`): the same rules on the same terms, the same entailments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import owlrl
from owlrl import OWLRL
from owlrl.OWLRL import OWLRL_Annotation_properties
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

from rcpgraph.namespaces import PREFIXES

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class, RDF.Property}
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs}
_WEAKER_AXIOMS = {RDFS.domain, RDFS.range, OWL.differentFrom}
# Typings that only declare a term: the OWL 2 RL rules they feed (scm-cls, scm-op, scm-dp) entail
# nothing of their instances but trivial or reflexive triples.
_DECLARATIONS = {
    OWL.Class,
    RDFS.Class,
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    OWL.Ontology,
}

_TYPE = RDF.type  # read once: each read of a DefinedNamespace's attribute is a checked lookup
_ANNOTATIONS = frozenset(OWLRL_Annotation_properties)

Triple = tuple[Node, Node, Node]
Close = Callable[[Graph], Graph]  # a reasoner: the OWL 2 RL closure of a graph, as a new graph (see `reasoners`)


def entailments(asserted: Graph, close: Close | None = None) -> Graph:
    """The triples OWL 2 RL entails from `asserted` (by `close`, owlrl's by default) that are new and meaningful."""
    return kept(closure(reachable(asserted), asserted, close), asserted)


def reachable(graph: Graph) -> Graph:
    """The part of `graph` the OWL 2 RL rules can use: its axioms, and the facts that use their terms."""
    triples = list(graph)
    axioms = [triple for triple in triples if axiom(triple)]
    terms = {node for subject, _, obj in axioms for node in (subject, obj)}
    facts = [(s, p, o) for s, p, o in triples if p in terms or (o in terms and p == _TYPE)]
    return graph_of([*axioms, *facts])


def closure(part: Graph, whole: Graph, close: Close | None = None) -> Graph:
    """The OWL 2 RL closure of `part` (a part of `whole`), with every triple of `whole` naming a term found equal."""
    while True:
        closed = (close or owlrl_closure)(part)
        missing = [triple for triple in _naming(whole, _equated(closed)) if triple not in part]
        if not missing:
            return closed
        part = graph_of([*part, *missing])


def owlrl_closure(graph: Graph) -> Graph:
    """owlrl's OWL 2 RL closure of `graph`, as a new graph."""
    closed = Graph(store="SimpleMemory")  # no named graphs: its lookups are faster
    closed += graph
    with _plain_vocabulary():
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    return closed


def kept(closed: Graph, asserted: Graph) -> Graph:
    """The triples of `closed` that are not in `asserted` and are meaningful, with the project's prefixes."""
    inferred = Graph()
    for prefix, namespace in PREFIXES.items():
        inferred.bind(prefix, namespace, replace=True)
    for triple in closed:
        if triple not in asserted and meaningful(triple):
            inferred.add(triple)
    return inferred


def meaningful(triple: Triple) -> bool:
    """False for noise: literal or blank subjects, built-in terms, trivial types, reflexive or widened axioms."""
    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or isinstance(obj, BNode):
        return False
    if _builtin(subject) or (isinstance(obj, URIRef) and _builtin(obj) and predicate != RDF.type):
        return False
    if predicate == RDF.type and (obj in _TRIVIAL_OBJECTS or _builtin(obj)):
        return False
    if predicate in _REFLEXIVE and subject == obj:
        return False
    return predicate not in _WEAKER_AXIOMS and not (isinstance(obj, Literal) and predicate == RDF.type)


def axiom(triple: Triple) -> bool:
    """True for a triple in the RDF, RDFS or OWL vocabulary that is neither an annotation nor a declaration."""
    _, predicate, obj = triple
    if predicate == _TYPE:
        return _builtin(obj) and obj not in _DECLARATIONS
    return _builtin(predicate) and predicate not in _ANNOTATIONS


def graph_of(triples: Iterable[Triple], store: str = "default") -> Graph:
    """A graph of `triples`, in rdflib's `store` (`SimpleMemory`, without named graphs, is faster)."""
    graph = Graph(store=store)
    for triple in triples:
        graph.add(triple)
    return graph


def _equated(closed: Graph) -> set[Node]:
    """The terms `closed` finds equal to another term."""
    return {node for subject, obj in closed.subject_objects(OWL.sameAs) if subject != obj for node in (subject, obj)}


def _naming(graph: Graph, terms: set[Node]) -> set[Triple]:
    """The triples of `graph` with one of `terms` as subject, predicate or object."""
    found: set[Triple] = set()
    for term in terms:
        found.update(graph.triples((term, None, None)))
        found.update(graph.triples((None, term, None)))
        found.update(graph.triples((None, None, term)))
    return found


class _PlainTerms:
    """The terms of an rdflib `DefinedNamespace` as plain attributes (any other name is asked of the namespace)."""

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace
        self.__dict__.update({name: namespace[name] for name in namespace.__annotations__})

    def __getattr__(self, name: str) -> URIRef:
        """A name that is not a declared term, resolved by the namespace itself."""
        return getattr(self._namespace, name)

    def __getitem__(self, name: str) -> URIRef:
        """`namespace[name]`, as the namespace resolves it."""
        return self._namespace[name]


@contextmanager
def _plain_vocabulary() -> Iterator[None]:
    """While the block runs, owlrl's rules read OWL, RDF and RDFS as plain attributes."""
    saved = {name: getattr(OWLRL, name) for name in ("OWL", "RDF", "RDFS")}
    for name, namespace in saved.items():
        setattr(OWLRL, name, _PlainTerms(namespace))
    try:
        yield
    finally:
        for name, namespace in saved.items():
            setattr(OWLRL, name, namespace)


def _builtin(term: Node) -> bool:
    """True for a term of the RDF, RDFS, OWL or XSD vocabulary."""
    return isinstance(term, URIRef) and str(term).startswith(_BUILTIN)
