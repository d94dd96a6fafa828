"""The dataset description (dataset.py): VoID and DCAT from the release graphs, the same every time."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from rcpgraph import rdfio
from rcpgraph.pipeline import dataset, release
from rcpgraph.pipeline.dataset import DATASET, DCAT, SPDX

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    asserted, inferred = release.files(ROOT / "data" / "release")
    return rdfio.parse_file(asserted), rdfio.parse_file(inferred)


@pytest.fixture(scope="module")
def void(graphs: tuple[Graph, Graph]) -> Graph:
    asserted, inferred = graphs
    return dataset.description(asserted, inferred, dataset.facts_from_release(asserted))


def value(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    return graph.value(subject, predicate).toPython()


def test_the_dataset_counts_what_it_holds(graphs: tuple[Graph, Graph], void: Graph) -> None:
    asserted, inferred = graphs
    both = set(asserted) | set(inferred)
    assert value(void, DATASET, ns.VOID.triples) == len(both)
    assert value(void, DATASET, ns.VOID.classes) == len({o for _, p, o in both if p == ns.RDF.type})
    assert value(void, DATASET, ns.VOID.properties) == len({p for _, p, _ in both})
    assert str(void.value(DATASET, ns.VOID.uriSpace)) == "https://w3id.org/rcpgraph/id/"
    assert void.value(DATASET, ns.VOID.sparqlEndpoint) == URIRef("https://w3id.org/rcpgraph/sparql")
    assert (DATASET, ns.VOID.exampleResource, URIRef("https://w3id.org/rcpgraph/id/process/5plus5-dialogue")) in void
    classes = void.objects(DATASET, ns.VOID.classPartition)
    partitions = {void.value(p, ns.VOID["class"]): value(void, p, ns.VOID.entities) for p in classes}
    assert partitions[URIRef("https://w3id.org/rcpgraph/ontology#SurveyResponse")] == 96
    assert (DATASET, ns.DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in void


def test_one_distribution_per_download_format(void: Graph) -> None:
    distributions = list(void.objects(DATASET, DCAT.distribution))
    iana = "https://www.iana.org/assignments/media-types/"
    media = sorted(str(void.value(d, DCAT.mediaType)).removeprefix(iana) for d in distributions)
    assert media == ["application/ld+json", "application/n-triples", "text/turtle", "text/turtle"]
    urls = {str(void.value(d, DCAT.downloadURL)) for d in distributions}
    assert "https://w3id.org/rcpgraph/download/rcpgraph.nt" in urls
    assert set(void.objects(DATASET, ns.VOID.dataDump)) == {URIRef(url) for url in urls}


def test_the_source_and_the_build(graphs: tuple[Graph, Graph], void: Graph) -> None:
    source = URIRef("https://w3id.org/rcpgraph/id/source")
    expected = (ROOT / "data" / "source" / "SHA256SUMS").read_text().split()[0]
    checksum = void.value(source, SPDX.checksum)
    assert str(void.value(checksum, SPDX.checksumValue)) == expected
    assert (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256) in void
    build = void.value(DATASET, ns.PROV.wasGeneratedBy)
    assert (build, ns.RDF.type, ns.PROV.Activity) in void and (build, ns.PROV.used, source) in void
    assert void.value(build, ns.PROV.endedAtTime) is None, "a clock time would break byte-identical builds"


def test_the_description_is_byte_identical_each_time(graphs: tuple[Graph, Graph], void: Graph) -> None:
    asserted, inferred = graphs
    again = dataset.description(asserted, inferred, dataset.facts_from_release(asserted))
    assert rdfio.serialize(again, "turtle") == rdfio.serialize(void, "turtle")
