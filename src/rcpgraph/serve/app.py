"""The application: the release loaded once, its routes, the middleware (size cap, gzip, validators, CORS), errors.

The pool of query workers starts with the service (its workers load the release while it starts
listening) and stops with it; a service that is never started (a test's client) starts its workers
at its first query, and they stop with the program.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response

from rcpgraph.serve.connections import ConnectionLimits
from rcpgraph.serve.http import HttpError
from rcpgraph.serve.middleware.caching import Validators
from rcpgraph.serve.middleware.compression import Compression
from rcpgraph.serve.middleware.cors import Cors
from rcpgraph.serve.middleware.limits import RequestLimit
from rcpgraph.serve.negotiation import HTML, Format, choose
from rcpgraph.serve.routes import health, ids, pages, pictures, sparql, stored
from rcpgraph.serve.state import Release

if TYPE_CHECKING:
    from rcpgraph.paths import Layout
    from rcpgraph.serve.settings import Settings

STATIC = Path(__file__).parent / "static"
_TEXT = Format("text", "text/plain")


def create_app(settings: Settings, layout: Layout, limits: ConnectionLimits | None = None) -> FastAPI:
    """The service for the release in `settings.release`, with the queries and ontology of `layout`; `limits` gives
    the time a request's body may take (the protocol applies the other limits on connections)."""
    import rcpgraph

    # No redirect adding or removing a trailing slash: Starlette builds its Location from the Host header.
    app = FastAPI(
        title="rcpgraph",
        version=rcpgraph.__version__,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        lifespan=_lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},  # nothing sent out, nor looked for per request
    )
    app.state.release = Release(settings, layout.queries_dir, layout.ontology_file)
    for module in (sparql, pages, stored, pictures, health, ids):  # /sparql first: the most asked, found at once
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(HttpError, _http_error)
    app.add_exception_handler(HTTPException, _starlette_error)
    app.add_exception_handler(Exception, _internal_error)
    body_timeout = (limits or ConnectionLimits()).body_timeout
    app.add_middleware(RequestLimit, limit=settings.max_request_bytes, seconds=body_timeout)
    app.add_middleware(Compression)  # inside Validators, whose ETag is then that of the bytes sent
    app.add_middleware(Validators)
    app.add_middleware(Cors)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the query workers with the service, stop them with it."""
    release: Release = app.state.release
    release.pool.start()
    try:
        yield
    finally:
        release.pool.close()


async def _http_error(request: Request, error: Exception) -> Response:
    """An HttpError as its status and message."""
    assert isinstance(error, HttpError)
    return error_response(request, error.status, error.message, error.headers)


async def _starlette_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such route, method not allowed) as a status and message; `Allow` sorted."""
    assert isinstance(error, HTTPException)
    messages = {404: f"no page {request.url.path}", 405: f"method {request.method} is not allowed here"}
    headers = dict(error.headers or {})
    if "Allow" in headers:
        headers["Allow"] = ", ".join(sorted(headers["Allow"].split(", ")))
    return error_response(request, error.status_code, messages.get(error.status_code, error.detail), headers)


async def _internal_error(request: Request, error: Exception) -> Response:
    """Anything unexpected: a 500 that tells nothing of the server's files or code."""
    return error_response(request, 500, "internal error")


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error page for clients that prefer HTML, one line of text for the others; either way with
    the error's own headers (`Allow` of a 405) and `Vary: Accept`."""
    if choose(request.headers.get("accept"), (_TEXT, HTML)) is HTML:
        return pages.render(request, "error.html", {"status": status, "message": message}, status, headers)
    return PlainTextResponse(message + "\n", status_code=status, headers={**(headers or {}), "Vary": "Accept"})
