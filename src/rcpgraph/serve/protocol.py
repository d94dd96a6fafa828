"""uvicorn's HTTP/1.1 protocol on httptools, with the limits on connections of `rcpgraph.serve.connections`.

uvicorn closes a kept-alive connection left idle (`timeout_keep_alive`) but waits for a request's head for
as long as the client takes, so a client sending a header line now and then would hold its connection for
ever; its `limit_concurrency` answers 503 only once the request has arrived; and httptools keeps a head's
pieces in memory however long it grows. This protocol starts the head's clock when a connection opens (or
the next request's first byte arrives), answers 408 and closes when it runs out; answers 431 and closes
when a head grows past `max_head_bytes`; and answers 503 to every request of a connection opened past the cap.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from rcpgraph.serve.connections import ConnectionLimits


def protocol(limits: ConnectionLimits) -> type[LimitedProtocol]:
    """uvicorn's HTTP/1.1 protocol with `limits`."""
    return type("LimitedProtocol", (LimitedProtocol,), {"limits": limits})


class LimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header-read timeout, a cap on a head's size, an idle timeout and a cap on
    open connections."""

    limits: ClassVar[ConnectionLimits] = ConnectionLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_keep_alive = self.limits.idle_timeout  # type: ignore[assignment]
        self._head_timer: asyncio.TimerHandle | None = None
        self._heading = True  # whether the client's next bytes are (part of) a request's head
        self._head_bytes = 0  # the bytes received of the head being read
        self._tail = b""  # the last 3 bytes of them, where the blank line that ends the head may begin

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection (answering 503 past the cap) and start waiting for a request's head."""
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self.app = self._busy
        self._await_head()

    def data_received(self, data: bytes) -> None:
        """Take the bytes; the head's clock starts with the first byte of a request, and stops once it is read. A head
        past the cap, counted up to its blank line before it is parsed (it may arrive whole), is refused."""
        if self._heading:
            seen = self._tail + data
            end = seen.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else end + 4 - len(self._tail)
            self._tail = seen[-3:]
            if self._head_bytes > self.limits.max_head_bytes:
                self._refuse(self.limits.long_answer())
                return
        super().data_received(data)
        if self._heading and not self.transport.is_closing() and self._head_timer is None and self._head_bytes:
            self._await_head()

    def on_headers_complete(self) -> None:
        """The head is read: its clock stops, and the request runs."""
        self._head_read()
        self._heading, self._head_bytes, self._tail = False, 0, b""
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The request is read: the client's next bytes are the next request's head."""
        self._heading = True
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the head's clock with the connection."""
        self._head_read()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        """Start the head's clock."""
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_too_slow)

    def _head_read(self) -> None:
        """Stop the head's clock."""
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        """Answer 408 and close: the request's head did not arrive in time."""
        self._head_timer = None
        self._refuse(self.limits.slow_answer())

    def _refuse(self, answer: bytes) -> None:
        """Send `answer` and close the connection, reading no more."""
        self._head_read()
        self._heading = False
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()

    async def _busy(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The application of a connection past the cap: 503, then close."""
        headers = {"Retry-After": self.limits.retry_after(), "Connection": "close"}
        await PlainTextResponse(self.limits.busy_message(), status_code=503, headers=headers)(scope, receive, send)
