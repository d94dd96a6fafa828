"""A synthetic graph shaped like the release and `scale` times its size, for the benchmarks.

Copy 0 is the release itself; copy k (k >= 1) renames every individual under the id namespace to
`id/copy-k/...`, so each copy is a self-contained table (its processes, cells, fragments, events,
links, annotations) whose links stay inside the copy. The ontology and the SKOS concepts
(statuses, dimensions, themes, ...) are shared by all copies, as a larger survey would share them.
`statistics` writes the graph's VoID description as the build writes the release's (void.ttl).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph

ID_BASE = "https://w3id.org/rcpgraph/id/"
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SHARED_CLASSES = {
    pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#Concept"),
    pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#ConceptScheme"),
}
_MARK = "\x00"  # stands for the copy's folder in a line template; N-Triples never contains it


def write(release: Sequence[Path], scale: int, output: Path) -> int:
    """Write the `scale`-fold graph of the `release` files to `output` as N-Triples; return its number of triples."""
    store = pyoxigraph.Store()
    for path in release:
        store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    shared = {quad.subject for quad in store.quads_for_pattern(None, _RDF_TYPE, None) if quad.object in _SHARED_CLASSES}
    templates = [_template(quad, shared) for quad in store]
    copied = "".join(line for line in templates if _MARK in line)
    with output.open("w", encoding="utf-8") as stream:
        stream.write("".join(templates).replace(_MARK, ""))
        for copy in range(1, scale):
            stream.write(copied.replace(_MARK, f"copy-{copy}/"))
    return len(templates) + (scale - 1) * copied.count("\n")


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


def _template(quad: pyoxigraph.Quad, shared: set[pyoxigraph.NamedNode]) -> str:
    """The N-Triples line of a triple, with the copy's mark in each individual's IRI."""
    return " ".join(_term(term, shared) for term in (quad.subject, quad.predicate, quad.object)) + " .\n"


def _term(term: object, shared: set[pyoxigraph.NamedNode]) -> str:
    """One term in N-Triples; an individual's IRI is marked so that each copy renames it."""
    if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(ID_BASE) and term not in shared:
        return f"<{ID_BASE}{_MARK}{term.value[len(ID_BASE) :]}>"
    return str(term)
