"""The remote engine: the same queries, rules, time limit and row cap, answered by a SPARQL store over HTTP.

A query passes `safety.screen` here first, as on the embedded store, and is parsed by pyoxigraph (over an
empty store) so that a syntax error gets the embedded store's message and the query's form chooses the
media types asked for. It goes to the store by the SPARQL 1.1 Protocol (POST, `default-graph-uri` naming
the graphs `rcpgraph push` wrote the release into), and the answer is read by the media type the store
sends. Answers become `terms.Term`s as the embedded store's do: integer subtypes as xsd:integer, and an
xsd:boolean written "1" or "0" (as Virtuoso writes them) as "true" or "false".
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rcpgraph.errors import InputError
from rcpgraph.sparql import terms
from rcpgraph.sparql.safety import unparsed
from rcpgraph.sparql.store import Cells, Result, Store, _capped
from rcpgraph.stores import http
from rcpgraph.stores.push import ASSERTED, INFERRED, STATISTICS

RELEASE_GRAPHS = (ASSERTED, INFERRED, STATISTICS)
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples;q=0.9, text/turtle;q=0.8"
_BOOLEAN = terms.XSD + "boolean"
_INDIVIDUALS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_WHOLE = "CONSTRUCT WHERE { ?s ?p ?o }"
_TURTLE_TYPES = ("application/n-triples", "text/turtle")


@dataclass(frozen=True)
class Remote:
    """A store's SPARQL query endpoint, the credentials for it, and the graphs that make the release."""

    endpoint: str
    credentials: http.Credentials
    graphs: Sequence[str] = RELEASE_GRAPHS


class RemoteStore(Store[str]):
    """The release in a SPARQL store, queried over HTTP."""

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def _prepare(self, sparql: str, source: str | Path | None) -> str:
        """The text `safety.screen` passed, codepoint escapes expanded."""
        from rcpgraph.sparql import safety

        return safety.screen(sparql, source)

    def _evaluate(self, prepared: str, source: str | Path | None, max_rows: int | None) -> Result:
        """Send the screened text to the store and read its answer, solutions or triples as the store says."""
        form = _form(prepared, source)
        parameters = [("query", prepared), *(("default-graph-uri", graph) for graph in self._remote.graphs)]
        answer = http.request(
            "POST",
            self._remote.endpoint,
            self._remote.credentials,
            body=urllib.parse.urlencode(parameters).encode("ascii"),
            content_type="application/x-www-form-urlencoded",
            accept=_TRIPLES if form == "graph" else _RESULTS if form else f"{_RESULTS}, {_TRIPLES}",
            what="the query",
        )
        if answer.media_type != _RESULTS:
            return _graph(answer, max_rows, self._remote.endpoint)
        result = _solutions(answer, max_rows, self._remote.endpoint)
        return _asked(result) if form == "ask" and result.kind == "select" else result

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store's release graphs."""
        for row in self._evaluate(_INDIVIDUALS, None, None).cells:
            if row[0] is not None:
                yield row[0].value


def whole_graph(remote: Remote, graph: str) -> str:
    """The triples of one graph of the store as it writes them (N-Triples or Turtle), every term untouched."""
    answer = http.request(
        "POST",
        remote.endpoint,
        remote.credentials,
        body=urllib.parse.urlencode([("query", _WHOLE), ("default-graph-uri", graph)]).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        accept=_TRIPLES,
        what=f"the graph {graph}",
        timeout=None,
    )
    if answer.media_type not in _TURTLE_TYPES:
        raise InputError(f"{http.shown(remote.endpoint)} sent {answer.media_type}, not N-Triples or Turtle")
    return answer.body.decode("utf-8")


def _form(prepared: str, source: str | Path | None) -> str | None:
    """The query's form ("select", "ask", "graph") as pyoxigraph parses it; None if it calls an unknown function."""
    import pyoxigraph

    try:
        answer = pyoxigraph.Store().query(prepared)
    except SyntaxError as error:
        raise unparsed(str(error), source) from None
    except RuntimeError:
        return None
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return "ask"
    return "graph" if isinstance(answer, pyoxigraph.QueryTriples) else "select"


def _asked(result: Result) -> Result:
    """The answer to an ASK that a store gave as one solution (Virtuoso's `__ASK_RETVAL`, 1 or 0) as a boolean."""
    cell = result.cells[0][0] if result.cells and result.cells[0] else None
    return Result("ask", boolean=cell is not None and cell.value in ("1", "true"))


def _solutions(answer: http.Answer, max_rows: int | None, endpoint: str) -> Result:
    """A SPARQL JSON results document as a Result."""
    try:
        document = json.loads(answer.body)
        if "boolean" in document:
            return Result("ask", boolean=bool(document["boolean"]))
        variables = list(document["head"]["vars"])
        bindings, total = _capped(document["results"]["bindings"], max_rows)
        cells: list[Cells] = [
            tuple(_term(binding[name]) if name in binding else None for name in variables) for binding in bindings
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"{http.shown(endpoint)} sent an answer that is not SPARQL JSON results: {error}") from None
    return Result("select", variables=variables, cells=cells, total=total)


def _term(value: dict[str, str]) -> terms.Term:
    """One term of a SPARQL JSON results document, as the embedded store gives it."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return terms.iri(text)
    if kind == "bnode":
        return terms.Term("bnode", text)
    datatype = value.get("datatype")
    if datatype == _BOOLEAN and text in ("1", "0"):
        text = "true" if text == "1" else "false"
    return terms.stored_literal(text, language=value.get("xml:lang"), datatype=datatype)


def _graph(answer: http.Answer, max_rows: int | None, endpoint: str) -> Result:
    """An N-Triples or Turtle answer as a Result."""
    import pyoxigraph

    rdf_format = pyoxigraph.RdfFormat.from_media_type(answer.media_type)
    if rdf_format is None:
        raise InputError(f"{http.shown(endpoint)} sent {answer.media_type}, not N-Triples or Turtle")
    try:
        parsed = dict.fromkeys(pyoxigraph.parse(input=answer.body, format=rdf_format))
    except SyntaxError as error:
        raise InputError(f"{http.shown(endpoint)} sent RDF that does not parse: {error}") from None
    kept, total = _capped(parsed, max_rows)
    convert = terms.oxigraph_converter()
    triples = [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in kept]
    return Result("graph", triples=triples, total=total)
