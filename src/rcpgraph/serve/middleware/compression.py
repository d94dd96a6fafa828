"""Compression: a 200 answer of at least 1 KiB goes gzip-compressed to a client that accepts gzip.

Every answer is text (RDF, SPARQL results, HTML, JSON), and the downloads are the largest (the release's
Turtle shrinks from 1.4 MB to 0.1 MB). The compressed bytes are the same every time (gzip with mtime 0 and
no file name), so the `ETag` that `caching.Validators`, outside this middleware, computes from the bytes
sent differs per encoding, and an `If-None-Match` gets 304 only for the encoding the client holds. An
answer large enough to be compressed says `Vary: Accept-Encoding` whichever encoding it is sent in, so a
shared cache keeps the two apart. Static files, which carry validators of their own, are sent as they are.
"""

from __future__ import annotations

import gzip

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIN_SIZE = 1024  # bytes: below that, gzip's header and the work cost more than they save
LEVEL = 6  # zlib's default: the release's Turtle in 25 ms; level 9 saves 4% more in 30% more time


class Compression:
    """ASGI middleware sending 200 answers of at least MIN_SIZE bytes gzip-compressed to clients that accept it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        wanted = accepts_gzip(Headers(scope=scope).get("accept-encoding"))
        held: list[Message] = []

        async def compressing(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                held.append(message)
            elif held and message["type"] == "http.response.body":
                held.append(message)
                if not message.get("more_body", False):
                    await _answer(held, wanted, send)
            else:
                await send(message)

        await self.app(scope, receive, compressing)


async def _answer(held: list[Message], wanted: bool, send: Send) -> None:
    """Send a held 200 answer, compressed if it is large enough and the client accepts gzip."""
    start, body = held[0], b"".join(message.get("body", b"") for message in held[1:])
    headers = MutableHeaders(scope=start)
    if len(body) >= MIN_SIZE and "content-encoding" not in headers:
        headers.add_vary_header("Accept-Encoding")
        if wanted:
            body = gzip.compress(body, compresslevel=LEVEL, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header lets the answer be gzip: `gzip` (or `x-gzip`), or `*`, with a q above 0."""
    weights: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weights[coding.lower()] = _weight(parameters)
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def _weight(parameters: list[str]) -> float:
    """The q of a coding's parameters (1 when absent; 0 when it is no number from 0 to 1)."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                return 0.0
            return weight if 0 <= weight <= 1 else 0.0
    return 1.0
