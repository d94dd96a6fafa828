"""Real parts for the tests: a loopback listener standing for the network, and `rcpgraph serve` as a process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rcpgraph.serve.state import Release

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Canary:
    """A loopback listener, in a thread, that records the first line of each request made to it.

    Nothing may reach it: the tests aim SERVICE, FROM, proxies and remote contexts at its `url`.
    """

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self._record(connection)

    def _record(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(2)
            try:
                self.requests.append(connection.recv(1024).decode("latin-1").split("\r\n", 1)[0])
            except OSError:
                self.requests.append("(nothing read)")

    def close(self) -> int:
        """Stop listening, after taking the connections still waiting; how many it was offered in all."""
        if self._stop.is_set():
            return len(self.requests)
        self._stop.set()
        self._thread.join()
        self.socket.setblocking(False)
        while True:
            try:
                connection, _ = self.socket.accept()
            except BlockingIOError:
                break
            self._record(connection)
        self.socket.close()
        return len(self.requests)


@contextmanager
def serving(proxy: str, *options: str) -> Iterator[str]:
    """`rcpgraph serve` on a free loopback port, its proxy variables set to `proxy`; yields its base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update({name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")})
    command = [sys.executable, "-m", "rcpgraph", "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        assert process.stderr.readline() == f"rcpgraph serve: {base}/ (Ctrl-C to stop)\n"
        process.stderr.close()


def wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    """Poll the home page until the server answers (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"rcpgraph serve exited with {process.returncode}")
        try:
            with direct().open(base + "/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("rcpgraph serve did not answer within 60 s")


def direct() -> urllib.request.OpenerDirector:
    """A urllib opener that ignores proxy variables."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, accept: str | None = None) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of a GET."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with direct().open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


async def disconnecting(app: FastAPI, release: Release, path: str, query: str, accept: str) -> list[dict[str, object]]:
    """GET `path`?`query` from a client that goes away once the query is running in a worker; what the app sent."""
    requested = False
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while release.pool.health().busy == 0:
            await asyncio.sleep(0.05)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), (b"accept", accept.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return sent
