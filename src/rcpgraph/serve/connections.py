"""Limits on connections against slow and many clients, with their defaults (`rcpgraph.serve.protocol` applies them):

- the head of a request (request line and headers) must arrive within `header_timeout` seconds of the
  connection being opened, or of the first byte of the next request on a kept-alive connection; else the
  connection is answered 408 and closed;
- the body of a request must arrive within `body_timeout` seconds of its head; else the request is
  answered 408 and the connection closed (`middleware.limits` keeps this clock, before any route runs);
- the head of a request may hold at most `max_head_bytes` bytes; past that the connection is answered 431 and
  closed;
- a kept-alive connection with no request for `idle_timeout` seconds is closed;
- a connection opened while `max_connections` are open gets 503 (with `Retry-After`) to its request, and
  is closed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_HEADER_TIMEOUT = 10.0  # seconds for a request's head: a client on a slow line sends its head in well under that
DEFAULT_BODY_TIMEOUT = 10.0  # seconds for a request's body after its head: 64 KiB at most, at 6.4 KB/s or more
DEFAULT_IDLE_TIMEOUT = 5.0  # seconds a kept-alive connection may wait for its next request (uvicorn's own default)
DEFAULT_MAX_CONNECTIONS = 256  # open connections, each a few KiB until a request runs
DEFAULT_MAX_HEAD_BYTES = 2 * 65536  # a request line with a query string at the service's cap (64 KiB), and headers


@dataclass(frozen=True)
class ConnectionLimits:
    """Seconds for a request's head, for its body and for an idle connection; how many connections may be open; how
    many bytes a request's head may hold."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES

    def busy_message(self) -> str:
        """What a connection past the cap is told."""
        return f"the service has {self.max_connections} connections open, its limit; try again later\n"

    def retry_after(self) -> str:
        """The `Retry-After` of a 503 past the cap: by then the connections that send nothing are gone."""
        return str(math.ceil(self.header_timeout))

    def slow_answer(self) -> bytes:
        """The 408 answer, as bytes on the wire, to a client whose request's head did not arrive in time."""
        return _closing("408 Request Timeout", f"the request's head did not arrive within {self.header_timeout:g} s")

    def long_answer(self) -> bytes:
        """The 431 answer, as bytes on the wire, to a client whose request's head is too long."""
        message = f"the request's head is longer than {self.max_head_bytes} bytes"
        return _closing("431 Request Header Fields Too Large", message)


def _closing(status: str, message: str) -> bytes:
    """An answer of `status` with the line `message`, that closes the connection, as bytes on the wire."""
    body = f"{message}\n".encode()
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}"
    return (head + "\r\nConnection: close\r\n\r\n").encode() + body
