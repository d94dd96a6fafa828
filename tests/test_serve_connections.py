"""Slow and many clients against `rcpgraph serve` as a real process, over real sockets on loopback.

Twenty clients sending a header line every 2 s are answered 408 and dropped once the header timeout has
passed, while a normal client is served; so is a client sending its body a byte every 2 s once the body
timeout has passed; a connection past the cap gets 503. Every loop is bounded in
rounds; nothing asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import select
import socket
import time
import urllib.error
from collections.abc import Iterator

import anyio
import pytest
import uvicorn
from live import Canary, direct, serving
from starlette.responses import PlainTextResponse
from uvicorn.server import ServerState

from rcpgraph.serve.connections import ConnectionLimits
from rcpgraph.serve.middleware.limits import RequestLimit
from rcpgraph.serve.protocol import LimitedProtocol, protocol

SLOW = 20
ROUNDS = 15  # header lines sent at most, one every 2 s: 30 s, far past the 5 s header timeout
CAP = SLOW + 1
SLOW_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 45\r\n"
    b"Connection: close\r\n\r\nthe request's head did not arrive within 5 s\n"
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`rcpgraph serve` with 5 s for a head, 3 s for a body, 2 s idle, and room for the slow clients and one more."""
    canary = Canary()
    options = ("--header-timeout", "5", "--body-timeout", "3", "--idle-timeout", "2", "--max-connections", str(CAP))
    with serving(canary.url, *options) as base:
        yield base
    assert canary.close() == 0


def port(base: str) -> int:
    """The port of a base URL such as http://127.0.0.1:8000."""
    return int(base.rsplit(":", 1)[1])


def opened(base: str, count: int) -> list[socket.socket]:
    """`count` connections to the server."""
    return [socket.create_connection(("127.0.0.1", port(base)), timeout=5) for _ in range(count)]


def status(base: str, path: str = "/id/process/midsa.ttl") -> int:
    """The status of a normal GET."""
    try:
        with direct().open(base + path, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def served_soon(base: str) -> bool:
    """Whether a normal GET is answered 200 within ROUNDS tries, 0.2 s apart (closes take a moment)."""
    for _ in range(ROUNDS):
        if status(base) == 200:
            return True
        time.sleep(0.2)
    return False


def drip(clients: list[socket.socket], piece: bytes) -> dict[int, bytes]:
    """Send each client `piece` after every 2 s in which the server closed none, until it has closed all
    (at most ROUNDS pieces); what each was answered."""
    answers: dict[int, bytes] = {}
    for _ in range(ROUNDS):
        waiting = [client for index, client in enumerate(clients) if index not in answers]
        if not waiting:
            break
        readable, _, _ = select.select(waiting, [], [], 2)
        for client in readable:
            answers[clients.index(client)] = read_all(client)
        if not readable:
            for client in waiting:
                client.sendall(piece)
    return answers


def read_all(client: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := client.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def test_slow_clients_are_dropped_and_a_normal_one_is_served(server: str) -> None:
    clients = opened(server, SLOW)
    try:
        for client in clients:
            client.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert status(server) == 200
        answers = drip(clients, b"X-Slow: 1\r\n")
    finally:
        for client in clients:
            client.close()
    assert answers == dict.fromkeys(range(SLOW), SLOW_ANSWER)


def test_a_body_sent_too_slowly_gets_408(server: str) -> None:
    (client,) = opened(server, 1)
    with client:
        head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        client.sendall(head + b"Content-Length: 100\r\n\r\nASK")
        answer = drip([client], b" ")[0]
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert answer.endswith(b"\r\n\r\nthe request body did not arrive within 3 s\n")


def test_a_connection_past_the_cap_gets_503_and_the_next_after_that_is_served(server: str) -> None:
    idle = opened(server, CAP)
    try:
        time.sleep(0.5)  # let the server take them before the next one comes
        with pytest.raises(urllib.error.HTTPError) as refused:
            direct().open(server + "/id/process/midsa.ttl", timeout=30)
        assert refused.value.code == 503
        assert refused.value.headers["Retry-After"] == "5"
        assert refused.value.read() == b"the service has 21 connections open, its limit; try again later\n"
    finally:
        for client in idle:
            client.close()
    assert served_soon(server)


def test_a_kept_alive_connection_serves_again_then_is_closed_when_idle(server: str) -> None:
    (client,) = opened(server, 1)
    with client:
        client.sendall(b"GET /id/process/midsa.ttl HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 2)
        answers = read_all(client)  # both answers, then the close after the idle timeout
    assert answers.count(b"HTTP/1.1 200 OK\r\n") == 2
    assert answers.count(b"HTTP/1.1 ") == 2


def test_an_answer_has_a_date_and_names_no_server(server: str) -> None:
    (client,) = opened(server, 1)
    with client:
        client.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head = read_all(client).split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 200 ok\r\n")
    assert (b"\r\ndate: " in head, b"\r\nserver:" in head) == (True, False)


class Transport(asyncio.Transport):
    """A transport that keeps what is written to it, for the protocol in-process."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def hello(scope, receive, send) -> None:
    await PlainTextResponse("hello")(scope, receive, send)


def _connections(limits: ConnectionLimits, count: int) -> list[tuple[LimitedProtocol, Transport]]:
    """`count` connections of the protocol with `limits`, made in one server state, each with its transport."""
    config = uvicorn.Config(hello, log_level="warning")
    config.load()
    state = ServerState()
    made = []
    for _ in range(count):
        connection, transport = protocol(limits)(config=config, server_state=state, app_state={}), Transport()
        connection.connection_made(transport)
        made.append((connection, transport))
    return made


def test_the_protocol_in_process() -> None:
    """The same limits with the protocol driven by hand: a head too slow, a connection past the cap, a normal one."""
    limits = ConnectionLimits(header_timeout=0.05, max_connections=2)

    async def scenario() -> list[Transport]:
        made = _connections(limits, 3)
        (slow, _), (normal, _), (busy, _) = made
        slow.data_received(b"GET / HTTP/1.1\r\n")
        normal.data_received(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        busy.data_received(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await asyncio.sleep(0.2)  # past the header timeout: the timers fire in order of their deadlines
        normal.connection_lost(None)
        return [transport for _, transport in made]

    slow, normal, busy = asyncio.run(scenario())
    assert (bytes(slow.written), slow.closed) == (limits.slow_answer(), True)
    assert normal.written.startswith(b"HTTP/1.1 200 OK\r\n") and normal.written.endswith(b"\r\n\r\nhello")
    assert busy.written.startswith(b"HTTP/1.1 503 Service Unavailable\r\n") and busy.closed
    assert busy.written.endswith(b"\r\n\r\nthe service has 2 connections open, its limit; try again later\n")
    assert b"retry-after: 1\r\n" in bytes(busy.written).lower()


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        (None, [408, b"the request body did not arrive within 0.05 s\n"]),  # still waiting at the body timeout
        ({"type": "http.disconnect"}, []),  # gone before the body was whole: nothing is run, nothing answered
    ],
)
def test_the_body_clock_and_a_client_gone(message: dict[str, str] | None, answer: list[object]) -> None:
    sent: list[dict[str, object]] = []
    ran: list[bytes] = []

    async def receive() -> dict[str, object]:
        if message is None:
            await anyio.sleep(10)
        return message or {}

    async def send(reply: dict[str, object]) -> None:
        sent.append(reply)

    async def app(scope, receive, send) -> None:
        ran.append(b"run")

    scope = {"type": "http", "method": "POST", "path": "/sparql", "query_string": b"", "headers": []}
    anyio.run(RequestLimit(app, limit=64, seconds=0.05), scope, receive, send)
    assert ran == []
    assert [reply.get("status", reply.get("body")) for reply in sent] == answer


def test_a_head_past_the_cap_gets_431_in_process() -> None:
    """A head that grows past `max_head_bytes`, piece by piece or in one write, is answered 431 and closed; one within
    it is served, with its body in the same write, and so is the next request on its kept-alive connection."""
    limits = ConnectionLimits(max_head_bytes=100)

    async def scenario() -> tuple[Transport, Transport, Transport]:
        made = _connections(limits, 3)
        (long, long_transport), (whole, whole_transport), (normal, normal_transport) = made
        long.data_received(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for _ in range(4):
            long.data_received(b"X-Long: " + b"a" * 20 + b"\r\n")
        whole.data_received(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 80 + b"\r\n\r\n")
        normal.data_received(b"GET / HTTP/1.1\r\nHost: x\r\nX-Within: " + b"a" * 50 + b"\r\n\r\n")
        await asyncio.sleep(0.05)
        normal.data_received(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 90\r\n\r\n" + b"b" * 90)
        await asyncio.sleep(0.05)
        for connection, _ in made:
            connection.connection_lost(None)
        return long_transport, whole_transport, normal_transport

    long, whole, normal = asyncio.run(scenario())
    assert (bytes(long.written), long.closed) == (limits.long_answer(), True)
    assert (bytes(whole.written), whole.closed) == (limits.long_answer(), True)
    assert limits.long_answer().endswith(b"\r\nConnection: close\r\n\r\nthe request's head is longer than 100 bytes\n")
    assert limits.long_answer().startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert bytes(normal.written).count(b"HTTP/1.1 200 OK\r\n") == 2


def test_a_get_without_a_body_is_handed_on_at_once() -> None:
    """A GET that declares no body runs without waiting for one (a receive that never answers is never awaited)."""
    sent: list[dict[str, object]] = []
    ran: list[bytes] = []

    async def receive() -> dict[str, object]:
        await anyio.sleep(10)
        return {}

    async def send(reply: dict[str, object]) -> None:
        sent.append(reply)

    async def app(scope, receive, send) -> None:
        ran.append(b"run")

    scope = {"type": "http", "method": "GET", "path": "/sparql", "query_string": b"", "headers": [(b"host", b"x")]}
    anyio.run(RequestLimit(app, limit=64, seconds=0.05), scope, receive, send)
    assert (ran, sent) == ([b"run"], [])
