"""Validators and freshness for the answers: a strong `ETag`, `Cache-Control`, and 304 for `If-None-Match`.

Every 200 answer to GET or HEAD (except under /static, which validates its files itself) is marked
`ETag: "<hash of the bytes sent>"`, so each representation (a format, a page, a query's answer) has its
own tag, and so has each encoding of it (`compression`, inside this middleware, gzips deterministically),
and `Cache-Control: public, max-age=300` unless the route set its own (`/api/health`: no-store): the
release does not change while the service runs, and a new one (a rebuild, then a restart) reaches every
client within five minutes. A request whose
`If-None-Match` names the tag (weak comparison, RFC 9110 §13.1.2) or is `*` gets 304: the same
headers but `Content-Type`, `Content-Length` and `Content-Encoding` (RFC 9110 §15.4.5), and no body.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_CONTROL = "public, max-age=300"
_NOT_IN_304 = ("content-type", "content-length", "content-encoding")


class Validators:
    """ASGI middleware adding `ETag` and `Cache-Control` to successful GET and HEAD answers, and answering 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def validated(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                held.append(message)
            elif held and message["type"] == "http.response.body":
                held.append(message)
                if not message.get("more_body", False):
                    await _answer(held, Headers(scope=scope).get("if-none-match"), send)
            else:
                await send(message)

        await self.app(scope, receive, validated)


async def _answer(held: list[Message], if_none_match: str | None, send: Send) -> None:
    """Send a held 200 answer with its validators, or a 304 if the client has it already."""
    start, body = held[0], b"".join(message.get("body", b"") for message in held[1:])
    headers = MutableHeaders(scope=start)
    tag = etag(body)
    headers["ETag"] = tag
    headers.setdefault("Cache-Control", CACHE_CONTROL)
    if matches(if_none_match, tag):
        for name in _NOT_IN_304:
            del headers[name]
        start["status"], body = 304, b""
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


def etag(body: bytes) -> str:
    """The strong entity tag of a body as sent (compressed or not): a hash of its bytes, quoted."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header is `*` or names `tag`, weak tags (`W/"..."`) included."""
    if if_none_match is None:
        return False
    named = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return "*" in named or tag in named
