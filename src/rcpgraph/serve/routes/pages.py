"""The pages people read, rendered on the server from Jinja2 templates shipped in this package.

- `/`: what this is, the twelve processes by group with the status of each of their cells, the
  downloads, the ways in (query page, SPARQL endpoint, API, ontology);
- `/id/...` (HTML): an entity's labels, facts in sections, links, and the cells that cite it;
- `/ontology` (HTML): classes and properties with their definitions, each at its fragment; its version, the
  class hierarchy with the instances of each class, and the concept schemes;
- `/query`: pick a stored query and fill its parameters, or type SPARQL; the answer as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from rcpgraph.errors import RcpgraphError
from rcpgraph.pipeline.dataset import DOWNLOAD_FILES
from rcpgraph.serve import negotiation
from rcpgraph.serve.http import HttpError, from_rcpgraph, query_string
from rcpgraph.serve.labels import Labels, Linker
from rcpgraph.serve.routes import pictures
from rcpgraph.serve.views import (
    HomeView,
    OntologyView,
    entity_view,
    home_view,
    ontology_view,
    value_of,
)

if TYPE_CHECKING:
    from rcpgraph.serve.state import Answer, Release
    from rcpgraph.sparql.catalogue import StoredQuery

router = APIRouter()
TEMPLATES = Path(__file__).parents[1] / "templates"


@cache
def templates() -> Jinja2Templates:
    """The page templates, HTML-escaped."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    environment.globals.update(pictures.template_globals())
    return Jinja2Templates(env=environment)


def render(
    request: Request,
    name: str,
    context: Mapping[str, object],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page from a template, with what every page needs (the release's settings, a linker), and `Vary: Accept`."""
    release: Release = request.app.state.release
    shared = {"url": release.settings.link, "linker": linker(release)}
    return templates().TemplateResponse(
        request, name, {**shared, **context}, status_code=status, headers={**(headers or {}), "Vary": "Accept"}
    )


@lru_cache(maxsize=4)
def linker(release: Release) -> Linker:
    """The release's linker, made once."""
    return Linker(release.settings, Labels(release.graph, release.ontology))


@lru_cache(maxsize=4)
def _home(release: Release) -> HomeView:
    """The home page's view, worked out once: the release does not change."""
    return home_view(release.trusted("groups"), release.trusted("completeness-matrix"), linker(release), release.graph)


@lru_cache(maxsize=4)
def _ontology(release: Release) -> OntologyView:
    """The ontology page's view, worked out once."""
    return ontology_view(release.ontology, linker(release), release.graph, release.trusted("class-counts"))


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request) -> Response:
    """The home page."""
    release: Release = request.app.state.release
    context = {"view": _home(release), "downloads": DOWNLOAD_FILES, "queries": release.queries}
    return render(request, "home.html", context)


def entity_page(request: Request, iri: str) -> Response:
    """The page of one individual."""
    release: Release = request.app.state.release
    return render(request, "entity.html", {"view": entity_view(release.graph, iri, linker(release), release.ontology)})


def ontology_page(request: Request) -> Response:
    """The page of the ontology."""
    release: Release = request.app.state.release
    return render(request, "ontology.html", {"view": _ontology(release)})


@router.api_route("/query", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def query_page(request: Request) -> Response:
    """The query page: a stored query with its parameters, or SPARQL text, and its answer."""
    from rcpgraph.serve.routes.stored import known, run_stored

    release: Release = request.app.state.release
    params = dict(query_string(request))
    chosen: StoredQuery | None = known(release, params["name"]) if params.get("name") else None
    values = {p.name: params[p.name] for p in chosen.parameters if params.get(p.name)} if chosen else {}
    sparql_text = params.get("sparql", "")
    answer: Answer | None = None
    error: str | None = None
    status = 200
    try:
        if sparql_text.strip():
            adhoc = {name: value for name, value in params.items() if name not in ("sparql", "name", "run")}
            answer = await run_in_threadpool(lambda: release.answer(release.adhoc(sparql_text, adhoc)))
        elif chosen is not None and "run" in params:
            answer = await run_in_threadpool(run_stored, release, chosen.name, values)
    except RcpgraphError as refused:
        failure = from_rcpgraph(refused)
        error, status = failure.message, failure.status
    except HttpError as failure:
        error, status = failure.message, failure.status
    table = _table(answer, linker(release)) if answer is not None else None
    context = {"chosen": chosen, "values": values, "sparql": sparql_text, "answer": answer, "error": error}
    return render(request, "query.html", {**context, "table": table, "queries": release.queries}, status)


def _table(answer: Answer, links: Linker) -> dict[str, object]:
    """An answer as the page shows it: columns and rows of values, a boolean, or Turtle."""
    result = answer.result
    if result.kind == "graph":
        return {"kind": "graph", "turtle": answer.body(negotiation.TURTLE).decode("utf-8")}
    if result.kind == "ask":
        return {"kind": "ask", "boolean": result.boolean}
    rows = [[None if term is None else value_of(term, links) for term in row] for row in result.rows]
    return {"kind": "select", "variables": result.variables, "rows": rows, "truncation": result.truncation()}
