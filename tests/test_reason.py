"""Reasoning: the inferred graph holds new, meaningful triples only."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from rcpgraph import vocabulary
from rcpgraph.pipeline import reasoning
from rcpgraph.pipeline.graph import field_iri
from rcpgraph.vocabulary import ORG, RCP, RCPID

BUILTIN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


def test_nothing_asserted_is_repeated(asserted, inferred) -> None:
    assert not [triple for triple in inferred if triple in asserted]


def test_no_noise(inferred) -> None:
    for subject, predicate, obj in inferred:
        assert isinstance(subject, URIRef) and not str(subject).startswith(BUILTIN)
        assert not isinstance(obj, BNode)
        assert predicate not in (RDFS.domain, RDFS.range, OWL.sameAs, OWL.differentFrom)
        assert obj not in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class)


def test_meaningful_entailments(inferred) -> None:
    midsa = vocabulary.process("midsa")
    assert (midsa, RDF.type, RCP.ConsultativeProcess) in inferred
    assert (midsa, RDF.type, ORG.Organization) in inferred
    assert (field_iri(14, 3), RDF.type, PROV.Entity) in inferred
    assert (vocabulary.response("sacm", "research"), RDF.type, PROV.Entity) in inferred
    assert (RCP.RegionalConsultativeProcess, RDFS.subClassOf, ORG.Organization) in inferred
    document = RCPID["document/quito-declaration-2002"]
    assert (document, PROV.wasInfluencedBy, vocabulary.response("sacm", "founding-documents")) in inferred
    assert (midsa, PROV.wasInfluencedBy, field_iri(6, 0)) in inferred
    assert not set(inferred.triples((None, SKOS.editorialNote, None)))


def test_exact_size(inferred) -> None:
    assert len(inferred) == 935


def test_symmetric_and_inverse_properties(inputs) -> None:
    graph = Graph()
    graph += inputs.ontology
    a, b, org = vocabulary.process("bali-process"), vocabulary.process("midsa"), vocabulary.RCPID["organisation/icmpd"]
    graph.add((a, RCP.crossFertilizesWith, b))
    graph.add((a, RCP.secretariatHostedBy, org))
    inferred = reasoning.entailments(graph)
    assert (b, RCP.crossFertilizesWith, a) in inferred
    assert (org, RCP.hostsSecretariatOf, a) in inferred
    assert (a, RDF.type, RCP.ConsultativeProcess) in inferred
    assert (org, RDF.type, RCP.Organisation) in inferred


def test_meaningful_filter() -> None:
    thing = URIRef("https://w3id.org/rcpgraph/id/process/midsa")
    assert not reasoning.meaningful((Literal("x"), RDF.type, RCP.SurveyResponse))
    assert not reasoning.meaningful((thing, RDF.type, OWL.Thing))
    assert not reasoning.meaningful((thing, OWL.sameAs, thing))
    assert not reasoning.meaningful((RDF.type, RDF.type, RDF.Property))
    assert reasoning.meaningful((thing, RDF.type, RCP.ConsultativeProcess))


EX = Namespace("http://example.org/")


@pytest.mark.slow
def test_the_entailments_are_those_of_the_full_closure(asserted, inferred) -> None:
    """owlrl closes only what the axioms reach; closing the whole asserted graph gives the same entailments."""
    assert len(reasoning.reachable(asserted)) < len(asserted) / 3
    full = reasoning.kept(reasoning.closure(asserted, asserted), asserted)
    assert set(full) == set(inferred)
    assert len(full) == 935


def test_the_reachable_part_follows_the_ontology() -> None:
    """A sub-property axiom makes its facts reachable; a fact no axiom names stays out, and changes nothing."""
    graph = Graph()
    graph.add((EX.statedIn, RDF.type, OWL.ObjectProperty))
    graph.add((EX.statedIn, RDFS.subPropertyOf, PROV.wasInfluencedBy))
    graph.add((EX.note, RDF.type, OWL.DatatypeProperty))
    graph.add((EX.a, EX.statedIn, EX.b))
    graph.add((EX.a, EX.note, Literal("words no axiom reaches")))
    part = reasoning.reachable(graph)
    assert set(part) == {
        (EX.statedIn, RDFS.subPropertyOf, PROV.wasInfluencedBy),
        (EX.a, EX.statedIn, EX.b),
    }
    inferred = reasoning.entailments(graph)
    assert set(inferred) == {(EX.a, PROV.wasInfluencedBy, EX.b)}
    assert set(inferred) == set(reasoning.kept(reasoning.closure(graph, graph), graph))


def test_terms_found_equal_bring_their_other_triples_in() -> None:
    """Two subjects with one value of an inverse-functional property are the same: each gets the other's facts."""
    graph = Graph()
    graph.add((EX.key, RDF.type, OWL.InverseFunctionalProperty))
    graph.add((EX.a, EX.key, Literal("k")))
    graph.add((EX.b, EX.key, Literal("k")))
    graph.add((EX.a, EX.note, Literal("words no axiom reaches")))
    assert (EX.a, EX.note, Literal("words no axiom reaches")) not in reasoning.reachable(graph)
    inferred = reasoning.entailments(graph)
    assert set(inferred) == {
        (EX.a, OWL.sameAs, EX.b),
        (EX.b, OWL.sameAs, EX.a),
        (EX.b, EX.note, Literal("words no axiom reaches")),
    }
    assert set(inferred) == set(reasoning.kept(reasoning.closure(graph, graph), graph))


def test_owlrl_reads_rdflibs_namespaces_again_after_a_closure() -> None:
    """While owlrl runs it reads the vocabulary as plain attributes; afterwards its module is as it was."""
    from owlrl import OWLRL

    graph = Graph()
    graph.add((EX.a, RDF.type, EX.Child))
    graph.add((EX.Child, RDFS.subClassOf, EX.Parent))
    assert set(reasoning.entailments(graph)) == {(EX.a, RDF.type, EX.Parent)}
    assert (OWLRL.OWL, OWLRL.RDF, OWLRL.RDFS) == (OWL, RDF, RDFS)
    assert all(isinstance(namespace, type) for namespace in (OWLRL.OWL, OWLRL.RDF, OWLRL.RDFS))
