"""A cap on the size of requests, and on the time their bodies take: refused before any route runs.

A query string longer than the limit gets 414, a body longer than it 413 (declared by Content-Length
or found while reading), a body still arriving `seconds` after the request's head 408, and a client
gone before its body is whole no answer. A GET or HEAD that declares no body (neither Content-Length nor
Transfer-Encoding) has none, and is handed on at once. The body read is handed on to the application unchanged.
"""

from __future__ import annotations

import anyio
from starlette.requests import ClientDisconnect
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BODILESS = ("GET", "HEAD")  # the methods whose requests are handed on at once when they declare no body


class RequestLimit:
    """ASGI middleware refusing requests whose query string or body exceeds `limit` bytes, or whose body takes
    longer than `seconds` to arrive."""

    def __init__(self, app: ASGIApp, limit: int, seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.limit:
            await self._refuse(414, f"the query string is longer than {self.limit} bytes", scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["method"] in _BODILESS and b"content-length" not in headers and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body to wait for
            return
        declared = headers.get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._refuse(413, f"the request body is longer than {self.limit} bytes", scope, receive, send)
            return
        try:
            with anyio.fail_after(self.seconds):
                body = await self._body(receive)
        except TimeoutError:
            await self._refuse(408, f"the request body did not arrive within {self.seconds:g} s", scope, receive, send)
            return
        except ClientDisconnect:
            return
        if body is None:
            await self._refuse(413, f"the request body is longer than {self.limit} bytes", scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _body(self, receive: Receive) -> bytes | None:
        """The whole request body, or None once it passes the limit; ClientDisconnect if the client leaves first."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientDisconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, status: int, message: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer `status` with `message`, and close the connection."""
        response = PlainTextResponse(message + "\n", status_code=status, headers={"Connection": "close"})
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that gives `body` once, then passes on what the server sends (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
