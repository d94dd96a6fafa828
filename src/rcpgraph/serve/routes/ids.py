"""Dereferenceable IRIs: every individual at /id/..., the ontology at /ontology, the dataset description, downloads.

`https://w3id.org/rcpgraph/id/PATH` answers at `/id/PATH` and the ontology (with its terms at their
fragments) at `/ontology` and at its version IRI, `/ontology/VERSION`. The representation is negotiated
between Turtle (the default), HTML, JSON-LD and N-Triples (`Vary: Accept`), or named by a suffix (`.ttl`,
`.jsonld`, `.nt`) or by `format=`. An IRI the release says nothing about is a 404, and so is another version.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from rcpgraph import rdfio
from rcpgraph.pipeline import versioning
from rcpgraph.pipeline.dataset import DOWNLOAD_FILES
from rcpgraph.serve import negotiation
from rcpgraph.serve.http import HttpError, negotiate, negotiated, query_string
from rcpgraph.serve.resources import description, is_subject
from rcpgraph.serve.routes import pages
from rcpgraph.sparql.catalogue import ID_BASE

if TYPE_CHECKING:
    from rdflib import Graph

    from rcpgraph.serve.negotiation import Format
    from rcpgraph.serve.state import Release

router = APIRouter()
_DOWNLOADS = {download.name: download for download in DOWNLOAD_FILES}


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"])
def individual(path: str, request: Request) -> Response:
    """An individual of the release, as RDF or as its page."""
    release: Release = request.app.state.release
    iri, fmt = _resolve(release.graph, path, request)
    if fmt is negotiation.HTML:
        return pages.entity_page(request, iri)
    return negotiated(rdfio.serialize(description(release.graph, iri), fmt.name), fmt)


@router.api_route("/ontology", methods=["GET", "HEAD"])
def ontology(request: Request) -> Response:
    """The ontology, as RDF or as its page."""
    return _ontology(request, _chosen(request, None))


@router.api_route("/ontology.{extension}", methods=["GET", "HEAD"])
def ontology_file(extension: str, request: Request) -> Response:
    """The ontology in the format its suffix names."""
    suffixed = negotiation.by_suffix("." + extension, negotiation.GRAPH)
    if suffixed is None:
        raise HttpError(404, f"no ontology file /ontology.{extension} (use .ttl, .jsonld or .nt)")
    return _ontology(request, suffixed[1])


@router.api_route("/ontology/{version}", methods=["GET", "HEAD"])
def ontology_version(version: str, request: Request) -> Response:
    """The ontology at its version IRI (`/ontology/0.1.0`, also with a suffix); another version is a 404."""
    suffixed = negotiation.by_suffix(version, negotiation.GRAPH)
    number, fmt = suffixed if suffixed is not None else (version, _chosen(request, None))
    if number != versioning.version():
        raise HttpError(404, f"no ontology version {number} (this service has version {versioning.version()})")
    return _ontology(request, fmt)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def void(request: Request) -> Response:
    """The VoID and DCAT description of the dataset; a client that prefers HTML is sent to its page."""
    release: Release = request.app.state.release
    fmt = _chosen(request, None)
    if fmt is negotiation.HTML:
        return RedirectResponse(release.settings.link("/id/dataset"), status_code=303, headers={"Vary": "Accept"})
    return negotiated(rdfio.serialize(release.description, fmt.name), fmt)


@router.api_route("/download/{name}", methods=["GET", "HEAD"])
def download(name: str, request: Request) -> Response:
    """One of the release's download files."""
    release: Release = request.app.state.release
    if name not in _DOWNLOADS:
        raise HttpError(404, f"no download {name} (downloads: {', '.join(_DOWNLOADS)})")
    media_type = negotiation.Format(name, _DOWNLOADS[name].media_type).content_type
    return Response(release.download(name), media_type=media_type)


def _resolve(graph: Graph, path: str, request: Request) -> tuple[str, Format]:
    """The IRI `path` names and the format asked for; a suffix names the format if the path is no IRI itself."""
    if is_subject(graph, ID_BASE + path):
        return ID_BASE + path, _chosen(request, None)
    suffixed = negotiation.by_suffix(path, negotiation.GRAPH)
    if suffixed is not None and is_subject(graph, ID_BASE + suffixed[0]):
        return ID_BASE + suffixed[0], _chosen(request, suffixed[1])
    known = sorted({str(s)[len(ID_BASE) :] for s in graph.subjects() if str(s).startswith(ID_BASE)})
    close = difflib.get_close_matches(path, known, n=3, cutoff=0.8)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise HttpError(404, f"no resource {ID_BASE}{path} in the release{hint}")


def _chosen(request: Request, by_suffix: Format | None) -> Format:
    """The format a suffix names, else the one `format=` names, else the one Accept prefers."""
    if by_suffix is not None:
        return by_suffix
    overrides = [value for name, value in query_string(request) if name == "format"]
    return negotiate(request.headers.get("accept"), overrides, negotiation.RESOURCE, "a resource")


def _ontology(request: Request, fmt: Format) -> Response:
    """The ontology in `fmt`, or its page."""
    release: Release = request.app.state.release
    if fmt is negotiation.HTML:
        return pages.ontology_page(request)
    return negotiated(rdfio.serialize(release.ontology, fmt.name), fmt)
