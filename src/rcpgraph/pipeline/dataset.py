"""The dataset description: VoID and DCAT for the release, with the provenance of its build.

`description(asserted, inferred, facts)` is a pure function: the same graphs and facts give the same
graph, so a build that writes it stays byte-identical. `facts_from_release(asserted)` takes the facts
from the release itself (the source table's path and SHA-256, the rcpgraph version, and as the build's
time the latest date the source's data states, never the wall clock), so the pipeline and the service
describe one release alike. The description names:

- the dataset (`rcpid:dataset`, a `void:Dataset` and `dcat:Dataset`): title, licence, URI space,
  example resources, vocabularies, counts of triples, entities, classes and properties, one
  partition per class and per property, and within the class partition of the cells
  (rcp:SurveyResponse) one subset per response status with its number of cells (`rcp:partitionValue`
  names the status), from which the stored queries `class-counts` and `status-counts` answer, and one
  subset per process (the cells of its row), which holds one subset per theme of its row and is named
  by the subset of the individuals stated in the cells (`rcp:partitionStatedIn`: their number, one
  class partition per class, one subset per theme of the row), from which `individuals-per-process`
  and `themes-per-process` answer;
- one `dcat:Distribution` per download format, the SPARQL endpoint as a `dcat:DataService`;
- the source table it derives from, with its checksum (`spdx:checksum`), and the build as a
  `prov:Activity` that used the source and the ontology and generated the dataset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, VOID

from rcpgraph.namespaces import PREFIXES
from rcpgraph.paths import SOURCE_NAME
from rcpgraph.vocabulary import ONTOLOGY, RCP, RCPID, media_type

if TYPE_CHECKING:
    from rdflib.term import Node

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT lacks dcat:version)
SPDX = Namespace("http://spdx.org/rdf/terms#")
W3ID = "https://w3id.org/rcpgraph"
DATASET = RCPID["dataset"]
SPARQL_ENDPOINT = URIRef(W3ID + "/sparql")
DOWNLOADS = W3ID + "/download/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
URI_SPACE = str(RCPID)


@dataclass(frozen=True)
class Download:
    """One file the release is offered as: its name, media type and title."""

    name: str
    media_type: str
    title: str


DOWNLOAD_FILES = (
    Download("rcpgraph.ttl", "text/turtle", "The asserted graph in Turtle"),
    Download("rcpgraph.nt", "application/n-triples", "The asserted graph in N-Triples"),
    Download("rcpgraph.jsonld", "application/ld+json", "The asserted graph in JSON-LD"),
    Download("rcpgraph-inferred.ttl", "text/turtle", "The OWL 2 RL entailments of the asserted graph, in Turtle"),
)
# (class, property): the class partition of the class gets one subset per value of the property.
_VALUE_PARTITIONS = ((RCP.SurveyResponse, RCP.responseStatus), (RCP.SurveyResponse, RCP.respondent))
# The subset of a process's cells (by rcp:respondent) holds one subset per theme of the process's row, and
# the subset of the individuals stated in the cells (rcp:statedIn) names it.
_ROW = RCP.respondent
_VALUED = {*(prop for _, prop in _VALUE_PARTITIONS), RCP.theme, RCP.statedIn}
_EXAMPLE_CLASSES = (RCP.RegionalConsultativeProcess, RCP.SurveyResponse, RCP.Document, RCP.Event, RCP.SourceFragment)


@dataclass(frozen=True)
class BuildFacts:
    """What the description says about the build: the source file, its SHA-256 and the software.

    No time is stated: a build's clock time would make two builds of the same input differ.
    """

    source_path: str
    source_sha256: str
    version: str


def facts_from_release(asserted: Graph) -> BuildFacts:
    """The build facts a release holds: the source's path and checksum, and this software's version."""
    from rcpgraph import __version__

    checksum = asserted.value(RCPID["source"], RCP.sha256)
    return BuildFacts(f"data/source/{SOURCE_NAME}", str(checksum or ""), __version__)


def description(asserted: Graph, inferred: Graph, facts: BuildFacts) -> Graph:
    """The VoID and DCAT description of the release made of `asserted` and `inferred`."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX)}.items():
        graph.bind(prefix, namespace)
    counts = _Counts.of(chain(asserted, (triple for triple in inferred if triple not in asserted)))
    _dataset(graph, counts, facts)
    _partitions(graph, counts)
    _distributions(graph)
    _service(graph)
    _provenance(graph, facts)
    return graph


@dataclass
class _Counts:
    """What VoID counts in a set of triples, gathered in one pass."""

    triples: int
    subjects: set[Node]
    objects: set[Node]
    classes: Counter[Node]
    properties: Counter[Node]
    typed: dict[Node, set[Node]]
    valued: dict[Node, dict[Node, set[Node]]]

    @classmethod
    def of(cls, triples: Iterable[tuple[Node, Node, Node]]) -> _Counts:
        """The counts of `triples`, each given once."""
        counts = cls(0, set(), set(), Counter(), Counter(), {}, {})
        rdf_type = RDF.type  # resolved once: rdflib checks the name at each use
        for subject, predicate, value in triples:
            counts.triples += 1
            counts.subjects.add(subject)
            counts.objects.add(value)
            counts.properties[predicate] += 1
            if predicate == rdf_type:
                counts.classes[value] += 1
                counts.typed.setdefault(value, set()).add(subject)
            if predicate in _VALUED:
                counts.valued.setdefault(predicate, {}).setdefault(value, set()).add(subject)
        return counts

    def of_value(self, prop: Node, entities: set[Node]) -> list[tuple[Node, set[Node]]]:
        """Each value of `prop` on some of `entities`, sorted, with those of them that have it."""
        values = self.valued.get(prop, {})
        return sorted((value, found) for value, subjects in values.items() if (found := subjects & entities))

    def of_class(self, entities: set[Node]) -> list[tuple[Node, int]]:
        """Each class of some of `entities`, sorted, with the number of them it has."""
        return sorted((cls, n) for cls, instances in self.typed.items() if (n := len(instances & entities)))

    def stated_in(self, cells: set[Node]) -> set[Node]:
        """The individuals stated in (rcp:statedIn) some of `cells`."""
        stated = self.valued.get(RCP.statedIn, {})
        return set().union(*(stated.get(cell, set()) for cell in cells))


def _dataset(graph: Graph, counts: _Counts, facts: BuildFacts) -> None:
    """The dataset itself: what it is, where its IRIs live, what it holds."""
    entities = sum(1 for s in counts.subjects if isinstance(s, URIRef) and str(s).startswith(URI_SPACE))
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    graph.add((DATASET, DCTERMS.title, Literal("rcpgraph: Regional Consultative Processes on migration", lang="en")))
    summary = (
        "IOM's Annex B table on twelve Regional Consultative Processes on migration (their initiatives on "
        "migration and development, and on policy coherence) as an OWL-modelled knowledge graph, every fact "
        "traced to the words of the table."
    )
    graph.add((DATASET, DCTERMS.description, Literal(summary, lang="en")))
    graph.add((DATASET, DCTERMS.license, LICENCE))
    graph.add((DATASET, DCTERMS.source, RCPID["source"]))
    graph.add((DATASET, DCAT.landingPage, URIRef(W3ID + "/")))
    graph.add((DATASET, DCAT.version, Literal(facts.version)))
    graph.add((DATASET, VOID.uriSpace, Literal(URI_SPACE)))
    graph.add((DATASET, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    graph.add((DATASET, VOID.triples, _count(counts.triples)))
    graph.add((DATASET, VOID.entities, _count(entities)))
    graph.add((DATASET, VOID.distinctSubjects, _count(len(counts.subjects))))
    graph.add((DATASET, VOID.distinctObjects, _count(len(counts.objects))))
    graph.add((DATASET, VOID.classes, _count(len(counts.classes))))
    graph.add((DATASET, VOID.properties, _count(len(counts.properties))))
    for vocabulary in _vocabularies(counts):
        graph.add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    for cls in _EXAMPLE_CLASSES:
        example = min((s for s in counts.typed.get(cls, ()) if isinstance(s, URIRef)), default=None)
        if example is not None:
            graph.add((DATASET, VOID.exampleResource, example))


def _vocabularies(counts: _Counts) -> list[str]:
    """The namespaces of the project's prefixes that some predicate or class of the dataset is in."""
    terms = {str(term) for term in (*counts.properties, *counts.classes)}
    return sorted(ns for prefix, ns in PREFIXES.items() if prefix != "rcpid" and any(t.startswith(ns) for t in terms))


def _partitions(graph: Graph, counts: _Counts) -> None:
    """One class partition per class (its number of entities) and one property partition per property."""
    for number, (cls, entities) in enumerate(sorted(counts.classes.items()), start=1):
        partition = RCPID[f"dataset/class/{number}"]
        graph.add((DATASET, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, _count(entities)))
        _value_partitions(graph, counts, partition, cls)
    for number, (prop, triples) in enumerate(sorted(counts.properties.items()), start=1):
        partition = RCPID[f"dataset/property/{number}"]
        graph.add((DATASET, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, prop))
        graph.add((partition, VOID.triples, _count(triples)))


def _value_partitions(graph: Graph, counts: _Counts, partition: URIRef, cls: Node) -> None:
    """Within a class partition, one subset per value of a property `_VALUE_PARTITIONS` names for the class (their
    numbers follow one another), and within each subset of a process's cells what `_row` describes."""
    props = [prop for partitioned, prop in _VALUE_PARTITIONS if partitioned == cls]
    values = [(prop, value, found) for prop in props for value, found in counts.of_value(prop, counts.typed[cls])]
    for number, (prop, value, found) in enumerate(values, start=1):
        subset = _value_subset(graph, partition, f"value/{number}", prop, value, len(found))
        if prop == _ROW:
            _row(graph, counts, subset, found)


def _value_subset(graph: Graph, within: URIRef, name: str, prop: Node, value: Node, entities: int) -> URIRef:
    """The subset `name` of `within` whose `entities` have `value` for `prop`."""
    subset = URIRef(f"{within}/{name}")
    graph.add((within, VOID.subset, subset))
    graph.add((subset, VOID.property, prop))
    graph.add((subset, RCP.partitionValue, value))
    graph.add((subset, VOID.entities, _count(entities)))
    return subset


def _row(graph: Graph, counts: _Counts, cells_subset: URIRef, cells: set[Node]) -> None:
    """Within the subset of a process's cells, one subset per theme of its row; then the subset of the individuals
    stated in the cells: their number, one class partition per class, and one subset per theme of the row.

    A theme of the row is one of some cell or some individual stated in one: both subsets have it, so that a
    (process, theme) pair finds its two counts side by side, either of them 0.
    """
    individuals = counts.stated_in(cells)
    themes = [theme for theme, _ in counts.of_value(RCP.theme, cells | individuals)]
    _theme_subsets(graph, counts, cells_subset, cells, themes)
    stated = URIRef(f"{cells_subset}/stated")
    graph.add((DATASET, VOID.subset, stated))
    graph.add((stated, RCP.partitionStatedIn, cells_subset))
    graph.add((stated, VOID.entities, _count(len(individuals))))
    for number, (cls, entities) in enumerate(counts.of_class(individuals), start=1):
        partition = URIRef(f"{stated}/class/{number}")
        graph.add((stated, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, _count(entities)))
    _theme_subsets(graph, counts, stated, individuals, themes)


def _theme_subsets(graph: Graph, counts: _Counts, within: URIRef, entities: set[Node], themes: list[Node]) -> None:
    """Within a subset of `entities`, one subset per theme of `themes`: those of them that have it (rcp:theme)."""
    themed = counts.valued.get(RCP.theme, {})
    for number, theme in enumerate(themes, start=1):
        _value_subset(graph, within, f"theme/{number}", RCP.theme, theme, len(themed[theme] & entities))


def _distributions(graph: Graph) -> None:
    """One distribution per download file, each also a VoID data dump."""
    for download in DOWNLOAD_FILES:
        url = URIRef(DOWNLOADS + download.name)
        node = RCPID[f"dataset/distribution/{download.name.replace('.', '-')}"]
        graph.add((DATASET, DCAT.distribution, node))
        graph.add((DATASET, VOID.dataDump, url))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, Literal(download.title, lang="en")))
        graph.add((node, DCAT.downloadURL, url))
        graph.add((node, DCAT.accessURL, url))
        graph.add((node, DCAT.mediaType, media_type(download.media_type)))
        graph.add((node, DCTERMS.license, LICENCE))


def _service(graph: Graph) -> None:
    """The SPARQL endpoint that serves the dataset."""
    node = RCPID["dataset/sparql"]
    graph.add((node, RDF.type, DCAT.DataService))
    graph.add((node, DCTERMS.title, Literal("rcpgraph SPARQL endpoint", lang="en")))
    graph.add((node, DCAT.endpointURL, SPARQL_ENDPOINT))
    graph.add((node, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((node, DCAT.servesDataset, DATASET))


def _provenance(graph: Graph, facts: BuildFacts) -> None:
    """The source table with its checksum, and the build that made the dataset from it."""
    source, build, software = RCPID["source"], RCPID["dataset/build"], RCPID["dataset/software"]
    checksum = RCPID["dataset/source-checksum"]
    graph.add((DATASET, PROV.wasDerivedFrom, source))
    graph.add((DATASET, PROV.wasGeneratedBy, build))
    graph.add((source, DCTERMS.identifier, Literal(facts.source_path)))
    graph.add((source, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(facts.source_sha256, datatype=XSD.hexBinary)))
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, RDFS.label, Literal("rcpgraph build: source and curation to validated release", lang="en")))
    graph.add((build, PROV.used, source))
    graph.add((build, PROV.used, URIRef(ONTOLOGY)))
    graph.add((build, PROV.generated, DATASET))
    graph.add((build, PROV.wasAssociatedWith, software))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, RDFS.label, Literal(f"rcpgraph {facts.version}")))
    graph.add((software, OWL.versionInfo, Literal(facts.version)))


def _count(number: int) -> Node:
    """A count as an xsd:integer literal."""
    return Literal(number, datatype=XSD.integer)
