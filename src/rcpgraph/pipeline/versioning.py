"""The version of the ontology and of the shapes: the package's, written into their graphs when they are read.

The files in `ontology/` carry no version of their own: `rcpgraph.__version__` is the one place it is
stated, and the build (and the service) write it as `owl:versionInfo` and `owl:versionIRI`
(`https://w3id.org/rcpgraph/ontology/VERSION`, `https://w3id.org/rcpgraph/shapes/VERSION`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, Graph, Literal, URIRef

from rcpgraph import rdfio
from rcpgraph.vocabulary import ONTOLOGY

SHAPES = "https://w3id.org/rcpgraph/shapes"


def version() -> str:
    """The package version, e.g. 0.1.0."""
    from rcpgraph import __version__

    return __version__


def version_iri(document: str) -> URIRef:
    """The IRI of this version of `document` (the ontology's or the shapes' IRI)."""
    return URIRef(f"{document}/{version()}")


def stamp(graph: Graph, document: str) -> Graph:
    """`graph` with the package version as the owl:versionInfo and owl:versionIRI of `document`, if it declares it."""
    node = URIRef(document)
    if (node, RDF.type, OWL.Ontology) not in graph:
        return graph
    graph.set((node, OWL.versionInfo, Literal(version())))
    graph.set((node, OWL.versionIRI, version_iri(document)))
    return graph


def load_ontology(path: Path) -> Graph:
    """The ontology in `path`, parsed strictly, with its version."""
    return stamp(rdfio.parse_file(path), ONTOLOGY)
