"""HTTP errors and negotiated responses, shared by every route.

An error is answered with its status and one line of text (an HTML page when the client prefers
HTML). Messages name the line and column of a query, never a file of the server: they come from
`RcpgraphError.message`, without its file.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from rcpgraph.errors import InputError, RcpgraphError
from rcpgraph.serve.negotiation import Format, choose, known, listing, named

RETRY_AFTER_SECONDS = 60  # after a timeout (503): when the workers a client's queries held are free again
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")  # a percent escape, its two hex digits captured


class HttpError(Exception):
    """An answer other than success: a status, a message for people, and extra headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def from_rcpgraph(error: RcpgraphError) -> HttpError:
    """The HTTP error for an rcpgraph error: 503 for a timeout, 400 for bad input, else 500."""
    from rcpgraph.sparql.workers import QueryTimeout

    where = ""
    if error.line is not None:
        where = f" (line {error.line}" + (f", column {error.column})" if error.column is not None else ")")
    if isinstance(error, QueryTimeout):
        return HttpError(503, error.message + where, {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return HttpError(400 if isinstance(error, InputError) else 500, error.message + where)


def negotiate(accept: str | None, overrides: Iterable[str], offers: tuple[Format, ...], what: str) -> Format:
    """The format for a response: named by the overrides (format=, output=), else chosen by Accept; 406 if none fits.

    Clients such as SPARQLWrapper name the format several times (`format=tsv&format=text/tab-separated-values`,
    `output=...`): they count when they agree. A name the service does not know (`n3`) is left to Accept.
    """
    names = [name for name in overrides if known(name)]
    if names:
        wrong = next((name for name in names if named(name, offers) is None), None)
        if wrong is not None:
            raise HttpError(406, f"format {wrong} does not fit {what} (use {', '.join(o.name for o in offers)})")
        formats = {named(name, offers) for name in names}
        if len(formats) > 1:
            raise HttpError(400, f"the format is named as {' and '.join(sorted(set(names)))}, which differ")
        return next(offer for offer in offers if offer in formats)
    chosen = choose(accept, offers)
    if chosen is None:
        raise HttpError(406, f"none of the accepted media types fits {what} (available: {listing(offers)})")
    return chosen


def negotiated(body: bytes, fmt: Format, headers: Mapping[str, str] | None = None) -> Response:
    """A 200 response in a negotiated format, marked `Vary: Accept`."""
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept", **(headers or {})})


def url_parameters(data: bytes, what: str) -> dict[str, list[str]]:
    """URL-encoded parameters, whose bytes must be UTF-8 (a 400 names `what` otherwise): what `urllib.parse.parse_qs`
    gives with blank values kept and strict decoding, in half its time (it decodes each escape in Python)."""
    utf8(data, what)
    parameters: dict[str, list[str]] = {}
    for pair in data.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            parameters.setdefault(utf8(_unquoted(name), what), []).append(utf8(_unquoted(value), what))
    return parameters


def _unquoted(data: bytes) -> bytes:
    """`data` with `+` as a space and each percent escape as its byte (a `%` without two hex digits is kept)."""
    parts = _PERCENT.split(data.replace(b"+", b" "))
    if len(parts) > 1:
        parts[1::2] = memoryview(binascii.unhexlify(b"".join(parts[1::2]))).cast("c")
    return b"".join(parts)


def utf8(data: bytes, what: str) -> str:
    """`data` decoded as UTF-8, or a 400."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, f"{what} is not UTF-8") from None


def query_string(request: Request) -> list[tuple[str, str]]:
    """The request's query-string parameters in order, decoded strictly: bytes that are not UTF-8 are a 400."""
    parameters = url_parameters(request.scope["query_string"], "the query string")
    return [(name, value) for name, values in parameters.items() for value in values]
