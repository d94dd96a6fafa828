"""Push the release into a SPARQL store so that a failed or interrupted push leaves the old data answering.

Each target graph is first written whole to a staging graph with the Graph Store HTTP Protocol (PUT, then
POST for a second file), then one SPARQL Update request moves every staging graph onto its target
(`MOVE`, which drops the target's old triples in the same request). If staging or the move fails, the
staging graphs are deleted again (after Ctrl-C too) and the targets hold what they held before. Queries
read the targets only, so staging graphs left by a killed push are never answered from (the next push
replaces them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rcpgraph import progress
from rcpgraph.errors import InputError, RcpgraphError
from rcpgraph.stores import http

GRAPHS = "https://w3id.org/rcpgraph/graph/"
ASSERTED = GRAPHS + "asserted"
INFERRED = GRAPHS + "inferred"
ONTOLOGY = GRAPHS + "ontology"
STATISTICS = GRAPHS + "statistics"
STAGING = GRAPHS + "staging/"
DEFAULT = "default"
TURTLE = "text/turtle"
UNCHANGED = "the store's graphs are unchanged"
_UPDATE = "application/sparql-update"
_SWAP = "the SPARQL update that swaps the release in"
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+")


@dataclass(frozen=True)
class Part:
    """One target graph (DEFAULT for the store's default graph), its staging graph, its Turtle documents, and how
    many triples they make together."""

    graph: str
    staging: str
    documents: tuple[bytes, ...]
    triples: int


@dataclass(frozen=True)
class GraphStore:
    """A store's Graph Store Protocol and SPARQL Update endpoints, and the credentials for both."""

    graph_store: str
    update: str
    credentials: http.Credentials


def plan(asserted: bytes, inferred: bytes, ontology: bytes, statistics: bytes, graph: str | None) -> list[Part]:
    """The graphs to write: asserted, inferred, ontology and the statistics (void.ttl) each in its named graph, or
    the release and its statistics in `graph`."""
    if graph is None:
        named = (
            ("asserted", ASSERTED, asserted),
            ("inferred", INFERRED, inferred),
            ("ontology", ONTOLOGY, ontology),
            ("statistics", STATISTICS, statistics),
        )
        return [Part(target, STAGING + name, (data,), _count((data,))) for name, target, data in named]
    if graph != DEFAULT and not _IRI.fullmatch(graph):
        raise InputError(f"--graph: not an absolute IRI (or {DEFAULT}): {graph}")
    documents = (asserted, inferred, statistics)
    return [Part(graph, STAGING + "release", documents, _count(documents))]


def _count(documents: tuple[bytes, ...]) -> int:
    """How many triples a graph holds once `documents` are in it (parsed and merged)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for data in documents:
        store.load(input=data, format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.DefaultGraph())
    return len(store)


def push(store: GraphStore, parts: Sequence[Part], report: Callable[[str], None]) -> None:
    """Stage every part, then swap them all in with one update; on a refusal or Ctrl-C delete the staging graphs.

    The swap waits as long as the store works on it; if it gets no answer, whether it happened is unknown.
    """
    try:
        for part in parts:
            _stage(store, part)
            report(f"staged {part.triples} triples for {_name(part.graph)}")
        try:
            _swap(store, parts)
        except http.Unanswered as error:
            raise _Undecided(
                f"{error}; the swap may or may not have happened: count the graphs, or push again"
            ) from None
    except _Undecided:
        raise
    except RcpgraphError as error:
        _clean(store, parts)
        raise InputError(f"{error}; {UNCHANGED}") from None
    except KeyboardInterrupt:
        _clean(store, parts)
        raise
    report(f"swapped in: {', '.join(_name(part.graph) for part in parts)}")


class _Undecided(InputError):
    """A swap sent to the store without an answer: it may or may not have happened."""


def _swap(store: GraphStore, parts: Sequence[Part]) -> None:
    """Move every staging graph onto its target in one SPARQL Update request, waiting for the store to finish."""
    swap = " ;\n".join(f"MOVE GRAPH <{part.staging}> TO {_target(part.graph)}" for part in parts)
    body = swap.encode("utf-8")
    with progress.stage("swapping the release in: the store is working (Ctrl-C stops waiting)"):
        http.request("POST", store.update, store.credentials, body=body, content_type=_UPDATE, what=_SWAP, timeout=None)


def verify(endpoint: str, credentials: http.Credentials, parts: Sequence[Part], report: Callable[[str], None]) -> None:
    """Count each target graph's triples through the query endpoint; a count that differs is an error."""
    from rcpgraph.sparql.remote import Remote, RemoteStore

    remote = RemoteStore(Remote(endpoint, credentials, ()))
    for part in parts:
        pattern = "?s ?p ?o" if part.graph == DEFAULT else f"GRAPH <{part.graph}> {{ ?s ?p ?o }}"
        result = remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", source="<verification>")
        cell = result.cells[0][0] if result.cells else None
        found = int(cell.value) if cell is not None else 0
        if found != part.triples:
            raise RcpgraphError(f"verification failed: {_name(part.graph)} holds {found} triples, not {part.triples}")
        report(f"verified: {_name(part.graph)} holds {found} triples")


def release_documents(release: Path, ontology: Path) -> tuple[bytes, bytes, bytes, bytes]:
    """The asserted and inferred release files, the ontology as the build releases it (versioned), and the
    release's statistics (void.ttl), as Turtle."""
    from rcpgraph import rdfio
    from rcpgraph.paths import query_files
    from rcpgraph.pipeline.versioning import load_ontology

    asserted, inferred, statistics = (path.read_bytes() for path in query_files(release))
    return asserted, inferred, rdfio.serialize(load_ontology(ontology), "turtle"), statistics


def _stage(store: GraphStore, part: Part) -> None:
    """Empty the part's staging graph (a small request first, so refused credentials cost no upload), then PUT
    its first document and POST the others."""
    url = http.with_query(store.graph_store, [("graph", part.staging)])
    what = f"a Graph Store Protocol DELETE of {part.staging}"
    http.request("DELETE", url, store.credentials, what=what, absent_ok=True)
    for index, data in enumerate(part.documents):
        method = "PUT" if index == 0 else "POST"
        what = f"a Graph Store Protocol {method} of {part.staging}"
        with progress.stage(f"staging {_name(part.graph)}", len(data)) as sent:
            http.request(method, url, store.credentials, body=data, content_type=TURTLE, what=what, progress=sent)


def _clean(store: GraphStore, parts: Sequence[Part]) -> None:
    """Delete the staging graphs, ignoring a store that cannot (it may be the one that failed)."""
    for part in parts:
        url = http.with_query(store.graph_store, [("graph", part.staging)])
        try:
            http.request("DELETE", url, store.credentials, what=f"deleting {part.staging}")
        except RcpgraphError:
            continue


def _target(graph: str) -> str:
    """The destination of MOVE: DEFAULT, or GRAPH <iri>."""
    return "DEFAULT" if graph == DEFAULT else f"GRAPH <{graph}>"


def _name(graph: str) -> str:
    """A graph as reports name it."""
    return "the default graph" if graph == DEFAULT else f"<{graph}>"
