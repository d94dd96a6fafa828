"""Add the OWL 2 RL entailments of the asserted graph, keeping only new, meaningful triples (stage 4)."""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rcpgraph.namespaces import PREFIXES

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class, RDF.Property}
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs}
_WEAKER_AXIOMS = {RDFS.domain, RDFS.range, OWL.differentFrom}


def entailments(asserted: Graph) -> Graph:
    """The triples OWL 2 RL entails from `asserted` that are new and say something about its terms."""
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph()
    for prefix, namespace in PREFIXES.items():
        inferred.bind(prefix, namespace, replace=True)
    for triple in closure:
        if triple not in asserted and meaningful(triple):
            inferred.add(triple)
    return inferred


def meaningful(triple: tuple[Node, Node, Node]) -> bool:
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


def _builtin(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_BUILTIN)
