"""The stored queries described for machines: the JSON catalogue, and an OpenAPI 3.1 document.

Both are generated from the queries' `#+` headers (summary, description, tags, defaults) and their
parameter variables (name, type, whether required), so a new `.rq` file appears in both unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rcpgraph.serve import negotiation
from rcpgraph.sparql.lexer import keywords

if TYPE_CHECKING:
    from rcpgraph.sparql.catalogue import Parameter, StoredQuery

_SCHEMAS: dict[str, dict[str, object]] = {
    "iri": {"type": "string", "description": "an IRI, a path such as process/midsa, or a slug such as midsa"},
    "literal": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "page": {
        "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["all"]}],
        "description": "rows per page, or all for every row; a full page has a next one (Link: rel=next)",
    },
}
_ERRORS = {
    "400": "a parameter is missing, unknown or not of its type",
    "406": "no acceptable format for this result",
    "503": "the query was stopped at the service's time limit",
}
_KIND_OFFERS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def listing(queries: Iterable[StoredQuery], link: Callable[[str], str]) -> list[dict[str, object]]:
    """The catalogue as JSON: each query, its parameters and where to run it."""
    return [
        {
            "name": query.name,
            "summary": query.summary,
            "description": query.description,
            "tags": query.tags,
            "parameters": [
                {"name": p.name, "type": p.type, "required": p.needed, "default": p.default} for p in query.parameters
            ],
            "url": link(f"/api/queries/{query.name}"),
        }
        for query in queries
    ]


def document(queries: Iterable[StoredQuery], base_url: str) -> dict[str, object]:
    """The OpenAPI 3.1 document of the stored-query API and the SPARQL endpoint."""
    from rcpgraph import __version__

    paths: dict[str, object] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "The stored queries and their parameters",
                "responses": {"200": {"description": "the catalogue", "content": {"application/json": {}}}},
            }
        },
        "/sparql": {"get": _sparql_operation()},
    }
    for query in queries:
        paths[f"/api/queries/{query.name}"] = {"get": _operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rcpgraph",
            "version": __version__,
            "description": "Stored SPARQL queries over the rcpgraph release: IOM's Annex B table on Regional "
            "Consultative Processes on migration, as a knowledge graph. Read-only.",
            "license": {"name": "CC-BY-4.0 (data); MIT (code)"},
        },
        "servers": [{"url": base_url or "/"}],
        "paths": paths,
    }


def _kind(query: StoredQuery) -> str:
    """select, ask or graph: the kind of result a stored query gives, from its first query-form keyword."""
    return next((_KIND_OFFERS[word] for word, _ in keywords(query.sparql) if word in _KIND_OFFERS), "select")


def _operation(query: StoredQuery) -> dict[str, object]:
    """One stored query as an OpenAPI operation."""
    offers = negotiation.OFFERS[_kind(query)]
    return {
        "operationId": "query_" + query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description,
        "tags": query.tags,
        "parameters": [_parameter(p) for p in query.parameters] + [_format_parameter(offers)],
        "responses": {
            "200": {"description": "the result", "content": {offer.media_type: {} for offer in offers}},
            **{status: {"description": text} for status, text in _ERRORS.items()},
        },
    }


def _parameter(parameter: Parameter) -> dict[str, object]:
    """One query parameter as an OpenAPI parameter; one with a default need not be given, so it is not required."""
    schema: dict[str, object] = dict(_SCHEMAS.get(parameter.type, {"type": "string"}))
    if parameter.type not in _SCHEMAS:
        schema["description"] = f"text, tagged @{parameter.type}"
    if parameter.default is not None:
        schema["default"] = _typed(parameter.type, parameter.default)
    return {"name": parameter.name, "in": "query", "required": parameter.needed, "schema": schema}


def _typed(kind: str, text: str) -> object:
    """A default value in the JSON type of its parameter."""
    if kind in ("integer", "page"):
        return int(text)
    if kind == "decimal":
        return float(text)
    if kind == "boolean":
        return text == "true"
    return text


def _format_parameter(offers: tuple[negotiation.Format, ...]) -> dict[str, object]:
    """The `format=` parameter, which overrides Accept."""
    names = [offer.name for offer in offers]
    return {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": names}}


def _sparql_operation() -> dict[str, object]:
    """The SPARQL endpoint's GET operation."""
    offers = (*negotiation.SOLUTIONS, *negotiation.GRAPH)
    formats: dict[str, dict[str, object]] = {offer.media_type: {} for offer in offers}
    return {
        "operationId": "sparql",
        "summary": "SPARQL 1.1 Protocol query over the release (read-only; POST is accepted too)",
        "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "the result, or the service description", "content": formats},
            **{status: {"description": text} for status, text in _ERRORS.items()},
        },
    }
