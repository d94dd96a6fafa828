"""The OWL 2 RL closure by `reasonable` (a reasoner in Rust), given only the rules it applies as OWL 2 RL says.

reasonable 0.4.4 entails wrong facts with one rule: its prp-ifp makes any two subjects of an inverse-functional
property the same, shared value or not (`:q a owl:InverseFunctionalProperty . :a :q :m . :b :q :n .` gives
`:a owl:sameAs :b`). In its source (gtfierro/reasonable, `lib/src/reasoner.rs` at bc3c5fc) the rule's join on the
property alone is followed by `match y1 { y2 => ... }`, a pattern that binds a new `y2` and so matches every pair; no
issue about it was found in the project's tracker. It also leaves out schema rules (scm-eqc, scm-eqp, scm-spo,
scm-int, scm-uni, scm-hv, scm-svf), prp-key, prp-spo2 and cls-maxc2, and gives plain literals back typed `xsd:string`.
So:

- the schema (the graph's axioms, which do not grow with the data) is closed by owlrl;
- reasonable closes the graph and that schema, without the `owl:FunctionalProperty` and
  `owl:InverseFunctionalProperty` typings;
- prp-fp and prp-ifp are applied here, to its closure (two values of a functional property for one subject, two
  subjects sharing one value of an inverse-functional one), and reasonable runs again with the `owl:sameAs` found, until
  none is new; a literal is never given the same as another (reasonable takes no literal subject), so two literal
  values of a functional property stop the build;
- its literals are given back as the graph wrote them.

A graph with `owl:hasKey`, a maximum cardinality or a property chain is refused: reasonable does not apply their rules.
"""

from __future__ import annotations

from collections import defaultdict

import reasonable
from rdflib import OWL, RDF, XSD, Graph, Literal
from rdflib.term import Node

from rcpgraph.errors import InputError
from rcpgraph.pipeline import reasoning
from rcpgraph.pipeline.reasoning import Triple

_UNAPPLIED = (OWL.hasKey, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.propertyChainAxiom)
_SAME = OWL.sameAs


def closure(graph: Graph) -> Graph:
    """The OWL 2 RL closure of `graph`: the schema by owlrl, the rest by reasonable, prp-fp and prp-ifp here."""
    _refuse_unapplied(graph)
    schema = reasoning.owlrl_closure(reasoning.graph_of(triple for triple in graph if reasoning.axiom(triple)))
    functional = set(schema.subjects(RDF.type, OWL.FunctionalProperty))
    inverse = set(schema.subjects(RDF.type, OWL.InverseFunctionalProperty))
    typings: set[Triple] = {(p, RDF.type, OWL.FunctionalProperty) for p in functional}
    typings |= {(p, RDF.type, OWL.InverseFunctionalProperty) for p in inverse}
    given = [
        triple
        for triple in {*graph, *schema}
        if triple not in typings and not isinstance(triple[0], Literal)  # reasonable takes no literal subject
    ]
    literals = {_literal_key(node): node for triple in given for node in triple if isinstance(node, Literal)}
    while True:
        closed = {_as_given(triple, literals) for triple in _reason(given)}
        same = _equal_by_functionality(closed, functional, inverse) - closed
        if not same:
            return reasoning.graph_of([*closed, *typings], store="SimpleMemory")
        given.extend(same)


def _reason(triples: list[Triple]) -> list[Triple]:
    """reasonable's closure of `triples`: them and the triples it entails."""
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(triples)
    closed: list[Triple] = reasoner.reason()
    return closed


def _equal_by_functionality(closed: set[Triple], functional: set[Node], inverse: set[Node]) -> set[Triple]:
    """The `owl:sameAs` of prp-fp (one subject's values of a property) and prp-ifp (one value's subjects)."""
    values: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    subjects: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for subject, prop, value in closed:
        if prop in functional:
            values[prop, subject].add(value)
        if prop in inverse:
            subjects[prop, value].add(subject)
    groups = [*(_no_literals(*key, group) for key, group in values.items()), *subjects.values()]
    return {(a, _SAME, b) for group in groups for a in group for b in group if a != b}


def _no_literals(prop: Node, subject: Node, values: set[Node]) -> set[Node]:
    """`values`, the values of the functional `prop` for `subject`; an InputError if two of them are literals."""
    literals = sorted(str(value) for value in values if isinstance(value, Literal))
    if len(values) > 1 and literals:
        raise InputError(
            f"<{subject}> has {len(values)} values of the functional property <{prop}>, literals among them "
            f"({', '.join(repr(text) for text in literals)}): the reasonable reasoner cannot make a literal the same "
            "as another term; fix the data or build with --reasoner owlrl"
        )
    return values


def _refuse_unapplied(graph: Graph) -> None:
    """An InputError if `graph` uses a term whose OWL 2 RL rules reasonable does not apply."""
    for term in _UNAPPLIED:
        if (None, term, None) in graph:
            raise InputError(
                f"the graph uses <{term}>, whose OWL 2 RL rules the reasonable reasoner does not apply: "
                "build with --reasoner owlrl"
            )


def _literal_key(literal: Literal) -> tuple[str, str | None, str | None]:
    """What tells literals apart once reasonable has typed every plain literal `xsd:string`."""
    datatype = literal.datatype or (None if literal.language else XSD.string)
    return str(literal), literal.language, str(datatype) if datatype else None


def _as_given(triple: Triple, literals: dict[tuple[str, str | None, str | None], Literal]) -> Triple:
    """`triple`, its object a literal as the given graph wrote it."""
    subject, predicate, obj = triple
    if isinstance(obj, Literal):
        return subject, predicate, literals.get(_literal_key(obj), obj)
    return triple
