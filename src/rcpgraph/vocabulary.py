"""The IRIs of the public vocabulary, and what the curation files may name: the concepts and classes
of the ontology (ontology/rcp.ttl), by their keys.

A concept's key is the last segment of its IRI under its scheme's IRI (rcpid:status/answered is
"answered"); a scheme's concepts are listed by their rcp:order, each with its English skos:prefLabel.
A class's key is its rcp:curationKey (rcp:TrainingCourse is "training-course").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from rcpgraph import namespaces, rdfio
from rcpgraph.errors import InputError

RCP = Namespace(namespaces.RCP)
RCPID = Namespace(namespaces.RCPID)
ONTOLOGY = "https://w3id.org/rcpgraph/ontology"
ORG = Namespace(namespaces.ORG)
OA = Namespace(namespaces.OA)
VANN = Namespace(namespaces.VANN)
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class KeyedClass:
    """A class the curation files may name: its key, its local name, and the local names of the classes above it."""

    key: str
    name: str
    above: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    """What the curation files may name, as the ontology declares it."""

    values: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[str, ...]]
    classes: tuple[KeyedClass, ...]
    labels: dict[tuple[str, str], str]

    def keys(self, scheme: str) -> tuple[str, ...]:
        """The keys of a scheme's concepts that are broader than none (the values a cell or statement takes)."""
        return self.values.get(scheme, ())

    def broader_keys(self, scheme: str) -> tuple[str, ...]:
        """The keys of a scheme's concepts that are broader than others (the column groups of the dimensions)."""
        return self.groups.get(scheme, ())

    def label(self, scheme: str, key: str) -> str:
        """The English skos:prefLabel of a scheme's concept, e.g. label("theme", "diaspora")."""
        return self.labels[(scheme, key)]

    def kinds(self, base: str) -> dict[str, str]:
        """The key of each class at or below the class `base` (a local name), and the class's local name, by key."""
        return {c.key: c.name for c in sorted(self.classes, key=lambda c: c.key) if base in c.above}


def read(path: Path) -> Vocabulary:
    """The vocabulary of the ontology file `path`, read once while the file is unchanged."""
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> Vocabulary:
    return of(rdfio.parse_file(path), path)


def of(ontology: Graph, file: Path | None = None) -> Vocabulary:
    """The vocabulary an ontology graph declares; a concept or class that breaks the naming rules is an InputError."""
    values: dict[str, tuple[str, ...]] = {}
    groups: dict[str, tuple[str, ...]] = {}
    broader = set(ontology.objects(None, SKOS.broader))
    for scheme in sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        name = _below(scheme, str(RCPID), file)
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        values[name] = _ordered(ontology, members - broader, scheme, file)
        if members & broader:
            groups[name] = _ordered(ontology, members & broader, scheme, file)
    keyed = sorted(ontology.subject_objects(RCP.curationKey), key=str)
    classes = tuple(_keyed(ontology, cls, key, file) for cls, key in keyed)
    for first, second in ((a, b) for a in classes for b in classes if a.name < b.name and a.key == b.key):
        if first.above & second.above:
            raise InputError(
                f"rcp:{first.name} and rcp:{second.name} have one rcp:curationKey {first.key!r}", file=file
            )
    labels = {
        (scheme, key): _label(ontology, concept(scheme, key), file)
        for scheme in values
        for key in (*values[scheme], *groups.get(scheme, ()))
    }
    return Vocabulary(values, groups, classes, labels)


def _below(term: Node, prefix: str, file: Path | None) -> str:
    """The one segment of the IRI `term` after `prefix`."""
    rest = str(term)[len(prefix) :]
    if not isinstance(term, URIRef) or not str(term).startswith(prefix) or not rest or "/" in rest:
        raise InputError(f"<{term}> is not named <{prefix}KEY>", file=file)
    return rest


def _ordered(ontology: Graph, concepts: set[Node], scheme: Node, file: Path | None) -> tuple[str, ...]:
    """The keys of `concepts`, in their rcp:order."""
    placed = []
    for concept in concepts:
        order = ontology.value(concept, RCP.order)
        if not isinstance(order, Literal) or not isinstance(order.toPython(), int):
            raise InputError(f"concept <{concept}> has no rcp:order (its place in its scheme)", file=file)
        placed.append((order.toPython(), _below(concept, f"{scheme}/", file)))
    return tuple(key for _, key in sorted(placed))


def _label(ontology: Graph, node: URIRef, file: Path | None) -> str:
    """The English skos:prefLabel of a concept."""
    found = [str(label) for label in ontology.objects(node, SKOS.prefLabel) if getattr(label, "language", None) == "en"]
    if len(found) != 1:
        raise InputError(f"concept <{node}> needs exactly one English skos:prefLabel", file=file)
    return found[0]


def _keyed(ontology: Graph, cls: Node, key: Node, file: Path | None) -> KeyedClass:
    """A class with an rcp:curationKey, with the classes above it."""
    name = _below(cls, str(RCP), file)
    found = (str(term) for term in ontology.transitive_objects(cls, RDFS.subClassOf))
    above = {iri[len(str(RCP)) :] for iri in found if iri.startswith(str(RCP))}
    if not isinstance(key, Literal) or not str(key):
        raise InputError(f"rcp:{name} has an rcp:curationKey that is not text", file=file)
    return KeyedClass(str(key), name, frozenset(above))


def concept(scheme: str, name: str) -> URIRef:
    """The IRI of a concept, e.g. concept("status", "blank")."""
    return RCPID[f"{scheme}/{name}"]


def process(slug: str) -> URIRef:
    """The IRI of a process."""
    return RCPID[f"process/{slug}"]


def response(process_slug: str, dimension: str) -> URIRef:
    """The IRI of the response of one process for one dimension."""
    return RCPID[f"response/{process_slug}/{dimension}"]


def media_type(name: str) -> URIRef:
    """The IANA IRI of a media type (e.g. "text/turtle"), the resource dcterms:format and dcat:mediaType expect."""
    return URIRef(MEDIA_TYPES + name)
