"""Stored queries over HTTP: the catalogue, each query with its parameters, and the OpenAPI document.

- `GET /api/queries`: the stored queries as JSON (name, summary, description, tags, parameters, url);
- `GET /api/queries/{name}?param=value...`: one query run with those parameters (an IRI parameter may
  be a slug such as `midsa`), its result negotiated as on /sparql (or named by `format=`); a listing
  answers one page (`limit`, `offset`; `limit=all` for every row), and a full page links the next
  in a `Link: <...>; rel="next"` header;
- `GET /openapi.json`: an OpenAPI 3.1 document generated from the queries' `#+` headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from rcpgraph.errors import InputError, RcpgraphError
from rcpgraph.serve.http import HttpError, from_rcpgraph, query_string
from rcpgraph.serve.openapi import document, listing
from rcpgraph.serve.routes.sparql import respond
from rcpgraph.serve.watch import watched
from rcpgraph.sparql.catalogue import find, next_offset

if TYPE_CHECKING:
    from threading import Event

    from rcpgraph.serve.state import Answer, Release
    from rcpgraph.sparql.catalogue import StoredQuery

router = APIRouter()


@router.api_route("/api/queries", methods=["GET", "HEAD"])
def catalogue(request: Request) -> Response:
    """The stored queries and their parameters."""
    release: Release = request.app.state.release
    return JSONResponse(listing(release.queries.values(), release.settings.link))


@router.api_route("/api/queries/{name}", methods=["GET", "HEAD"])
async def stored_query(name: str, request: Request) -> Response:
    """Run one stored query with the parameters of the query string."""
    release: Release = request.app.state.release
    query = known(release, name)
    values: dict[str, str] = {}
    for key, value in query_string(request):
        if key in values:
            raise HttpError(400, f"parameter {key} is given twice")
        values[key] = value
    overrides = [values.pop("format")] if "format" in values else []
    found = release.kept(bound(release, name, values))
    if found is None:
        found = await watched(request, lambda cancelled: run_stored(release, name, values, cancelled))
    response = respond(found, request.headers.get("accept"), overrides)
    following = next_offset(query, values, len(found.result.cells)) if found.kind == "select" else None
    if following is not None:
        shown = [*values.items(), *(("format", value) for value in overrides)]
        page = urlencode([(key, value) for key, value in shown if key != "offset"] + [("offset", str(following))])
        response.headers["Link"] = f'<{release.settings.link(f"/api/queries/{name}")}?{page}>; rel="next"'
    return response


@router.api_route("/openapi.json", methods=["GET", "HEAD"])
def openapi(request: Request) -> Response:
    """The OpenAPI document of the stored-query API and the SPARQL endpoint."""
    release: Release = request.app.state.release
    return JSONResponse(document(release.queries.values(), release.settings.base_url or ""))


def known(release: Release, name: str) -> StoredQuery:
    """The stored query called `name`; else a 404 naming the closest names, as `rcpgraph query` does."""
    try:
        return find(release.queries, name)
    except InputError as error:
        raise HttpError(404, f"{error.message} (see {release.settings.link('/api/queries')})") from None


def bound(release: Release, name: str, values: dict[str, str]) -> str:
    """The SPARQL of a stored query with its parameters bound; a 400 for a missing, unknown or bad value."""
    try:
        return release.bound(name, values)
    except RcpgraphError as error:
        raise from_rcpgraph(error) from None


def run_stored(release: Release, name: str, values: dict[str, str], cancelled: Event | None = None) -> Answer:
    """The answer to stored query `name` with `values` bound, stopped once `cancelled` is set (run in a thread: it
    blocks)."""
    sparql_text = bound(release, name, values)
    try:
        return release.answer(sparql_text, source=name, cancelled=cancelled)
    except RcpgraphError as error:
        raise from_rcpgraph(error) from None
