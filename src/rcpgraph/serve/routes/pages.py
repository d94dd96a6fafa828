"""The pages people read, rendered on the server from Jinja2 templates shipped in this package.

- `/`: what this is, the twelve processes by group with the status of each of their cells, the
  downloads, the ways in (query page, SPARQL endpoint, API, ontology);
- `/id/...` (HTML): an entity's labels, facts in sections, links, and the cells that cite it;
- `/ontology` (HTML): classes and properties with their definitions, each at its fragment; its version, the
  class hierarchy with the instances of each class, and the concept schemes;
- `/query`: pick a stored query and fill its parameters, or type SPARQL; the answer as a table;
- `/docs`: the OpenAPI document in Swagger UI, served from this package (`static/vendor/`);
- `/search?q=...`: processes, organisations, events, documents, ... by name, and cells by their text, ranked;
- `/id/` and `/id/FOLDER/`: the folders of individuals, and each folder's individuals, paged.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from rcpgraph.errors import RcpgraphError
from rcpgraph.namespaces import PREFIXES
from rcpgraph.pipeline.dataset import DOWNLOAD_FILES
from rcpgraph.serve import negotiation, query_links
from rcpgraph.serve.http import HttpError, from_rcpgraph, query_string
from rcpgraph.serve.labels import Labels, Linker
from rcpgraph.serve.listings import PAGE_SIZE, folders, listing, page_count
from rcpgraph.serve.routes import pictures
from rcpgraph.serve.search import SearchIndex
from rcpgraph.serve.views import (
    HomeView,
    OntologyView,
    entity_view,
    home_view,
    ontology_view,
    value_of,
)
from rcpgraph.serve.watch import watched

if TYPE_CHECKING:
    from rdflib import URIRef

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


@lru_cache(maxsize=4)
def _folders(release: Release) -> dict[str, list[URIRef]]:
    """The release's individuals by folder, worked out once."""
    return folders(release.graph)


@lru_cache(maxsize=4)
def _search_index(release: Release) -> SearchIndex:
    """The release's search index, made once."""
    return SearchIndex(release.graph, linker(release))


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request) -> Response:
    """The home page."""
    release: Release = request.app.state.release
    context = {"view": _home(release), "downloads": DOWNLOAD_FILES, "queries": release.queries}
    return render(request, "home.html", context)


@router.api_route("/docs", methods=["GET", "HEAD"], response_class=HTMLResponse)
def docs_page(request: Request) -> Response:
    """The API's documentation: Swagger UI over /openapi.json, and a plain list of the queries without JavaScript."""
    release: Release = request.app.state.release
    return render(request, "docs.html", {"queries": release.queries})


@router.api_route("/search", methods=["GET", "HEAD"], response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    """What the words `q` find, best first, a page at a time."""
    release: Release = request.app.state.release
    params = dict(query_string(request))
    words = params.get("q", "")
    hits = _search_index(release).search(words)
    page = _page_number(params.get("page"), len(hits))
    shown = hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    context = {"words": words, "hits": shown, "total": len(hits), "page": page, "pages": page_count(len(hits))}
    return render(request, "search.html", context)


@router.api_route("/id/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def folders_page(request: Request) -> Response:
    """The folders of individuals, with how many each holds."""
    release: Release = request.app.state.release
    return render(
        request, "folders.html", {"folders": {name: len(members) for name, members in _folders(release).items()}}
    )


@router.api_route("/id/{folder}/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def listing_page(folder: str, request: Request) -> Response:
    """One folder's individuals, by label, a page at a time."""
    release: Release = request.app.state.release
    members = _folders(release).get(folder)
    if members is None:
        raise HttpError(404, f"no folder /id/{folder}/ (folders: {', '.join(_folders(release))})")
    page = _page_number(dict(query_string(request)).get("page"), len(members))
    view = listing(members, folder, page, linker(release), release.graph)
    return render(request, "listing.html", {"view": view})


def _page_number(given: str | None, count: int) -> int:
    """The page asked for (1 when none); a page that is no whole number within range is a 400."""
    if given is None:
        return 1
    last = page_count(count)
    if not given.isdigit() or not 1 <= int(given) <= last:
        raise HttpError(400, f"page must be a whole number from 1 to {last}, not {given!r}")
    return int(given)


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
    from rcpgraph.serve.routes.sparql import answer as sparql_answer
    from rcpgraph.serve.routes.stored import known, run_stored

    release: Release = request.app.state.release
    params = dict(query_string(request))
    chosen: StoredQuery | None = known(release, params["name"]) if params.get("name") else None
    values = {p.name: params[p.name] for p in chosen.parameters if params.get(p.name)} if chosen else {}
    sparql_text = params.get("sparql", "")
    adhoc = {name: value for name, value in params.items() if name not in ("sparql", "name", "run")}
    answer: Answer | None = None
    error: str | None = None
    status = 200
    try:
        if sparql_text.strip():
            answer = await sparql_answer(release, sparql_text, adhoc, request.is_disconnected)
        elif chosen is not None and "run" in params:
            stored = chosen.name
            answer = await watched(request, lambda cancelled: run_stored(release, stored, values, cancelled))
    except RcpgraphError as refused:
        failure = from_rcpgraph(refused)
        error, status = failure.message, failure.status
    except HttpError as failure:
        error, status = failure.message, failure.status
    links = linker(release)
    name = None if sparql_text.strip() else (chosen.name if chosen else None)
    given = values if name else adhoc
    api_href = query_links.api(release.settings.link, name, sparql_text, given)
    context = {
        "chosen": chosen,
        "values": values,
        "sparql": sparql_text,
        "answer": answer,
        "error": error,
        "table": _table(answer, links) if answer is not None else None,
        "pictured": name or _stored_text(release, sparql_text),
        "queries": release.queries,
        "choices": {p.name: query_links.choices(p, _folders(release), links) for p in chosen.parameters}
        if chosen
        else {},
        "api": query_links.api(release.settings.link, chosen.name, "", values) if chosen else "",
        "share": query_links.share(release.settings.link, name, sparql_text, given),
        "downloads": query_links.downloads(api_href, answer.result.kind, name or "result") if answer else [],
        "examples": {q.name: q.sparql for q in release.queries.values()},
        "prefixes": PREFIXES,
    }
    return render(request, "query.html", context, status)


def _stored_text(release: Release, sparql_text: str) -> str | None:
    """The stored query whose text `sparql_text` is (an example loaded and run unchanged), if any."""
    typed = sparql_text.replace("\r\n", "\n").strip()
    return next((q.name for q in release.queries.values() if typed and q.sparql.strip() == typed), None)


def _table(answer: Answer, links: Linker) -> dict[str, object]:
    """An answer as the page shows it: columns and rows of values, a boolean, or Turtle."""
    result = answer.result
    if result.kind == "graph":
        return {"kind": "graph", "turtle": answer.body(negotiation.TURTLE).decode("utf-8")}
    if result.kind == "ask":
        return {"kind": "ask", "boolean": result.boolean}
    rows = [[None if term is None else value_of(term, links) for term in row] for row in result.rows]
    return {"kind": "select", "variables": result.variables, "rows": rows, "truncation": result.truncation()}
