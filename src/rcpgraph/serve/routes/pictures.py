"""The pictures on the web: `/pictures/NAME.svg[?process=SLUG]`, and the functions the page partials call.

The partials under `templates/pictures/` show a picture inline with its table: `draw_picture(request, name)` on the
home page, `process_pictures(request, iri)` on a process's page (its neighbourhood and its own dated items),
`result_picture(request, name, answer)` on the query page (the picture of a stored query's answer). A picture
of the release is drawn once per release and process; the release does not change while the service runs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import Response

from rcpgraph.errors import InputError
from rcpgraph.namespaces import RCPID
from rcpgraph.pictures import NAMES, OF_QUERY, asker, draw
from rcpgraph.pictures.model import Ask, Href, Picture
from rcpgraph.serve.http import HttpError, query_string

if TYPE_CHECKING:
    from rcpgraph.serve.state import Answer, Release
    from rcpgraph.sparql.store import Result

router = APIRouter()
SVG = "image/svg+xml"
PROCESS_BASE = RCPID + "process/"
PER_PROCESS = ("network", "timeline")  # what a process's page shows


@router.api_route("/pictures/{name}.svg", methods=["GET", "HEAD"])
def picture_file(request: Request, name: str) -> Response:
    """One picture as an SVG document: 404 for an unknown picture, 400 for an unknown process."""
    release: Release = request.app.state.release
    if name not in NAMES:
        raise HttpError(404, f'no picture is named "{name}" (pictures: {", ".join(NAMES)})')
    process = dict(query_string(request)).get("process") or None
    try:
        drawn = _drawn(release, name, process)
    except InputError as refused:
        raise HttpError(400, f"parameter process: {refused.message}") from None
    return Response(drawn.svg.encode("utf-8"), media_type=SVG)


def draw_picture(request: Request, name: str) -> Picture:
    """The picture `name` of the whole release, for a page."""
    return _drawn(request.app.state.release, name, None)


def template_globals() -> dict[str, object]:
    """The functions the picture partials call."""
    return {"draw_picture": draw_picture, "process_pictures": process_pictures, "result_picture": result_picture}


def process_pictures(request: Request, iri: str) -> list[Picture]:
    """The pictures of a process's page that show something (its neighbourhood, its dated items); none elsewhere."""
    if not iri.startswith(PROCESS_BASE):
        return []
    slug = iri.removeprefix(PROCESS_BASE)
    drawn = [_drawn(request.app.state.release, name, slug) for name in PER_PROCESS]
    return [one for one in drawn if one.table.rows]


def result_picture(request: Request, name: str, answer: Answer | None) -> Picture | None:
    """The picture of stored query `name`'s answer on the query page, when it has one and was not cut."""
    if answer is None or name not in OF_QUERY or answer.result.truncated:
        return None
    release: Release = request.app.state.release
    shared = _ask(release)

    def ask(query: str) -> Result:
        return answer.result if query == name else shared(query)

    return draw(OF_QUERY[name], ask, _href(release))


@lru_cache(maxsize=64)
def _drawn(release: Release, name: str, process: str | None) -> Picture:
    """A picture of the release, drawn once."""
    return draw(name, _ask(release), _href(release), process)


@lru_cache(maxsize=4)
def _ask(release: Release) -> Ask:
    """The stored queries' answers on the release, each run once."""
    return asker(release.store, release.queries)


def _href(release: Release) -> Href:
    """Links to the service's pages."""
    from rcpgraph.serve.routes.pages import linker

    return linker(release).href
