"""A synthetic graph shaped like the release and `scale` times its size, for the benchmarks.

Copy 0 is the release itself; copy k (k >= 1) renames every individual under the id namespace, so
each copy is a self-contained table (its processes, cells, fragments, events, links, annotations)
whose links stay inside the copy. The new names keep the forms the shapes require: a source field
`source/line-N/field-M` becomes `source/line-K000N/field-M` (K the copy, N on four digits), any
other IRI `a/b/...` becomes `a/b-copy-K/...`. The ontology and the SKOS concepts (statuses,
dimensions, themes, ...) are shared by all copies, as a larger survey would share them.
`statistics` writes the graph's VoID description as the build writes the release's (void.ttl).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TypeGuard

import pyoxigraph

ID_BASE = "https://w3id.org/rcpgraph/id/"
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SHARED_CLASSES = {
    pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#Concept"),
    pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#ConceptScheme"),
}
_LINE = re.compile(r"source/line-(\d+)")
_SECOND = re.compile(r"^([^/]+/[^/]+|[^/]+)")


def write(release: Sequence[Path], scale: int, output: Path) -> int:
    """Write the `scale`-fold graph of the `release` files to `output` as N-Triples; return its number of triples."""
    # Parsed, not loaded into a store: the store keeps "258"^^xsd:nonNegativeInteger as an xsd:integer.
    triples = {triple for path in release for triple in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE)}
    shared = {
        triple.subject for triple in triples if triple.predicate == _RDF_TYPE and triple.object in _SHARED_CLASSES
    }
    ordered = sorted(triples, key=str)
    copied = [triple for triple in ordered if any(_own(term, shared) for term in triple)]
    with output.open("w", encoding="utf-8") as stream:
        stream.write("".join(f"{triple} .\n" for triple in ordered))
        for copy in range(1, scale):
            stream.write("".join(_line(triple, shared, copy) for triple in copied))
    return len(ordered) + (scale - 1) * len(copied)


def statistics(graph_file: Path, output: Path) -> None:
    """Write the VoID statistics of the N-Triples graph in `graph_file` to `output`, as the build does for a release."""
    from rdflib import Graph

    from rcpgraph import rdfio
    from rcpgraph.pipeline import dataset

    graph = Graph()
    graph.parse(graph_file, format="nt")
    output.write_bytes(
        rdfio.serialize(dataset.description(graph, Graph(), dataset.facts_from_release(graph)), "turtle")
    )


def _own(term: object, shared: set[pyoxigraph.NamedNode]) -> TypeGuard[pyoxigraph.NamedNode]:
    """True for an individual of the table, which each copy renames."""
    return isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(ID_BASE) and term not in shared


def _line(triple: pyoxigraph.Triple, shared: set[pyoxigraph.NamedNode], copy: int) -> str:
    """The N-Triples line of a triple in copy `copy`."""
    terms = (triple.subject, triple.predicate, triple.object)
    return " ".join(f"<{_renamed(term.value, copy)}>" if _own(term, shared) else str(term) for term in terms) + " .\n"


def _renamed(iri: str, copy: int) -> str:
    """The IRI of an individual in copy `copy`."""
    rest = iri[len(ID_BASE) :]
    if _LINE.match(rest):
        return ID_BASE + _LINE.sub(lambda found: f"source/line-{copy}{int(found[1]):04d}", rest, count=1)
    return ID_BASE + _SECOND.sub(lambda found: f"{found[1]}-copy-{copy}", rest, count=1)
