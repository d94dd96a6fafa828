"""The SPARQL 1.1 Protocol at /sparql: queries by GET (HEAD too) and POST, read-only, with a service description.

- GET `?query=...`, POST `application/x-www-form-urlencoded` (`query=...`) or POST
  `application/sparql-query` (the query is the body, UTF-8) run one query over the release.
- The result's format is negotiated (`negotiation.OFFERS`: SPARQL JSON, XML, CSV, TSV for SELECT and ASK;
  Turtle, JSON-LD, N-Triples, RDF/XML for CONSTRUCT and DESCRIBE), or named by `format=`, `output=` or
  `results=` (given several times when they agree, as SPARQLWrapper does; a name the service does not know
  leaves the choice to Accept).
- GET without a query gives the service description (Turtle, JSON-LD, N-Triples, RDF/XML; a browser is
  sent to the query page).
- Refused: any update (`update=`, `application/sparql-update`: 403); `default-graph-uri` and
  `named-graph-uri` (400: the release is the only graph); more than one query, a malformed or unsafe
  query (400, as `safety.check` says); other media types (415). A query stopped at the timeout gets 503,
  one past the memory limit 400; a query whose client goes away is stopped (`watch`); a result cut at
  the row cap says so in the `Rcpgraph-Truncated` header.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from rdflib import RDF, BNode, Literal, Namespace, URIRef
from rdflib.namespace import VOID, XSD
from starlette.responses import RedirectResponse, Response

from rcpgraph import rdfio
from rcpgraph.errors import RcpgraphError
from rcpgraph.serve import negotiation
from rcpgraph.serve.http import HttpError, from_rcpgraph, negotiate, negotiated, url_parameters, utf8
from rcpgraph.serve.resources import new_graph
from rcpgraph.sparql.store import Written

if TYPE_CHECKING:
    from rdflib import Graph

    from rcpgraph.serve.negotiation import Format
    from rcpgraph.serve.state import Answer, Release

router = APIRouter()

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output", "results")  # the names clients use; none is in the Protocol
PROTOCOL_PARAMETERS = ("query", "default-graph-uri", "named-graph-uri", *FORMAT_PARAMETERS)
READ_ONLY = "updates are not allowed: this endpoint is read-only"
KINDS = {"select": "a SELECT result", "ask": "an ASK result", "graph": "a CONSTRUCT or DESCRIBE result"}
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "JSON-LD",
    "N-Triples",
    "RDF_XML",
)


@router.route("/sparql", methods=["GET", "HEAD", "POST"], name="sparql")  # Starlette's route: no dependencies to solve
async def sparql(request: Request) -> Response:
    """Answer one SPARQL query, or describe the service."""
    parameters = await _parameters(request)
    if "update" in parameters:
        raise HttpError(403, READ_ONLY)
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in parameters:
            raise HttpError(400, f"{name} is not supported: queries run over the release only, its default graph")
    queries = parameters.get("query", [])
    if len(queries) > 1:
        raise HttpError(400, f"give one query, not {len(queries)}")
    overrides = [value for name in FORMAT_PARAMETERS for value in parameters.get(name, [])]
    if not queries:
        if request.method == "POST":
            raise HttpError(400, "no query given: send query=... or a body of type application/sparql-query")
        return _service_description(request, overrides)
    release: Release = request.app.state.release
    values = {name: given[-1] for name, given in parameters.items() if name not in PROTOCOL_PARAMETERS}
    accept = request.headers.get("accept")
    formats = fitting(accept, overrides)
    found: Answer | Written | None = release.sent(queries[0], formats)  # kept: a text with no parameter to bind
    if found is None:
        found = await _written(release, queries[0], values, request.is_disconnected, formats)
    if isinstance(found, Written):
        return _sent(found, formats[found.kind])
    return respond(found, accept, overrides)


async def answer(
    release: Release, sparql_text: str, values: Mapping[str, str], gone: Callable[[], Awaitable[bool]]
) -> Answer:
    """The answer to a query, its `?_name` parameters bound from `values`, stopped once `gone()` says its client went
    away (awaited in the event loop: no thread)."""
    try:
        return await release.awaited(release.adhoc(sparql_text, values), gone)
    except RcpgraphError as error:
        raise from_rcpgraph(error) from None


async def _written(
    release: Release,
    sparql_text: str,
    values: Mapping[str, str],
    gone: Callable[[], Awaitable[bool]],
    formats: Mapping[str, Format],
) -> Answer | Written:
    """`answer`, written by the worker in the format `formats` gives for its kind (`Release.written`)."""
    try:
        return await release.written(release.adhoc(sparql_text, values), gone, formats)
    except RcpgraphError as error:
        raise from_rcpgraph(error) from None


def fitting(accept: str | None, overrides: Sequence[str]) -> dict[str, Format]:
    """The format an answer of each kind would be sent in, as `respond` negotiates it (a kind no format fits is left
    out: `respond` refuses it once the answer's kind is known)."""
    formats = {}
    for kind, offers in negotiation.OFFERS.items():
        with contextlib.suppress(HttpError):
            formats[kind] = negotiate(accept, overrides, offers, KINDS[kind])
    return formats


def respond(found: Answer, accept: str | None, overrides: Sequence[str]) -> Response:
    """An answer in the format `format=` names or Accept prefers, a cut at the row cap in a header."""
    fmt = negotiate(accept, overrides, negotiation.OFFERS[found.kind], KINDS[found.kind])
    return negotiated(found.body(fmt), fmt, _truncated(found.result.truncation()))


def _sent(written: Written, fmt: Format) -> Response:
    """An answer the worker wrote in the negotiated format `fmt`, a cut at the row cap in a header."""
    return negotiated(written.body, fmt, _truncated(written.truncation))


def _truncated(truncation: str | None) -> dict[str, str]:
    """The header that says the answer was cut at the row cap, if it was."""
    return {"Rcpgraph-Truncated": truncation} if truncation else {}


async def _parameters(request: Request) -> dict[str, list[str]]:
    """The protocol parameters of the URL and, for a POST, of its body; a direct query is `query`."""
    parameters = url_parameters(request.scope["query_string"], "the query string")
    if request.method != "POST":
        return parameters
    media_type, charset = _content_type(request.headers.get("content-type"))
    body = await request.body()
    if media_type == UPDATE:
        raise HttpError(403, READ_ONLY)
    if media_type == FORM:
        for name, values in url_parameters(body, "the form").items():
            parameters.setdefault(name, []).extend(values)
        return parameters
    if media_type == QUERY:
        if charset not in (None, "utf-8", "utf8"):
            raise HttpError(415, f"application/sparql-query must be UTF-8, not {charset}")
        parameters.setdefault("query", []).append(utf8(body, "the query"))
        return parameters
    given = f"not {media_type}" if media_type else "none was given"
    raise HttpError(415, f"a POST must be {FORM} or {QUERY} ({given})")


def _content_type(header: str | None) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower case, and its charset if one is named."""
    media_type, *parameters = (part.strip() for part in (header or "").split(";"))
    charset = None
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _service_description(request: Request, overrides: Sequence[str]) -> Response:
    """The SPARQL service description in RDF; a client that prefers HTML is sent to the query page."""
    release: Release = request.app.state.release
    offers = (*negotiation.GRAPH, negotiation.HTML)
    fmt = negotiate(request.headers.get("accept"), overrides, offers, "the service description")
    if fmt is negotiation.HTML:
        return RedirectResponse(release.settings.link("/query"), status_code=303, headers={"Vary": "Accept"})
    graph = service_description(URIRef(release.settings.endpoint), len(release.graph) - len(release.description))
    return negotiated(rdfio.serialize(graph, fmt.name), fmt)


def service_description(endpoint: URIRef, triples: int) -> Graph:
    """What the endpoint offers: SPARQL 1.1 Query over the release as its default graph, in which formats."""
    from rcpgraph.pipeline.dataset import DATASET

    graph = new_graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    default_graph = BNode("defaultGraph")
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    graph.add((endpoint, SD.defaultDataset, DATASET))
    graph.add((DATASET, RDF.type, SD.Dataset))
    graph.add((DATASET, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph
