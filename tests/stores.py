"""Real SPARQL stores for the tests, each started on a free loopback port in a temporary folder.

Oxigraph server is the `oxigraph` binary of the PyPI package (in the test extra); Virtuoso Open Source is
Debian's `virtuoso-opensource` (which `.ci/run` installs). A test that needs a store that is not installed
skips, saying which and how to install it.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from live import direct, free_port

from rcpgraph.cli import main

GRAPHS = "https://w3id.org/rcpgraph/graph/"
VIRTUOSO_INI = (Path(__file__).parent / "fixtures" / "virtuoso.ini").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Endpoints:
    """A running store: its Graph Store Protocol, SPARQL Update and query endpoints, and push's options for it."""

    store: str
    update: str
    query: str
    auth: tuple[str, ...] = ()

    def push_options(self) -> list[str]:
        """The options of `rcpgraph push` for this store."""
        return ["--store", self.store, "--update", self.update, "--endpoint", self.query, *self.auth]


@contextmanager
def oxigraph(folder: Path) -> Iterator[Endpoints]:
    """Oxigraph server, read-write, its data in `folder`."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.is_file():
        pytest.skip("Oxigraph server is not installed (pip install oxigraph; the test extra has it)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(binary), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    with _running(command, base + "/query?query=ASK%7B%7D"):
        yield Endpoints(base + "/store", base + "/update", base + "/query")


@contextmanager
def virtuoso(folder: Path) -> Iterator[Endpoints]:
    """Virtuoso Open Source, its database in `folder`; writes go to its Digest-protected endpoints as dba."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("Virtuoso Open Source is not installed (apt-get install virtuoso-opensource; .ci/run does)")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(folder=folder, sql_port=free_port(), http_port=port, buffers=10000, dirty_buffers=6000),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{port}"
    with _running([binary, "+foreground", "+configfile", str(ini)], base + "/sparql?query=ASK%7B%7D"):
        yield Endpoints(
            base + "/sparql-graph-crud-auth", base + "/sparql-auth", base + "/sparql", ("--auth", "dba:dba")
        )


KINDS: dict[str, Callable[[Path], contextlib.AbstractContextManager[Endpoints]]] = {
    "oxigraph": oxigraph,
    "virtuoso": virtuoso,
}


class Pushed:
    """Stores started when first asked for, each filled once by `rcpgraph push` with the committed release, all
    stopped when the block ends."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._stack = contextlib.ExitStack()
        self._running: dict[str, Endpoints] = {}

    def __enter__(self) -> Pushed:
        return self

    def __exit__(self, *_exception: object) -> None:
        self._stack.close()

    def get(self, kind: str) -> Endpoints:
        """The store of `kind` (a key of KINDS), running, the release pushed into it."""
        if kind not in self._running:
            running = self._stack.enter_context(KINDS[kind](self._folder / kind))
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(["push", *running.push_options()]) == 0
            self._running[kind] = running
        return self._running[kind]


@contextmanager
def _running(command: list[str], probe: str) -> Iterator[None]:
    """Run `command` until the block ends, once `probe` answers (at most 60 s)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _answers(probe):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{Path(command[0]).name} did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(url: str) -> bool:
    """Whether a GET of `url` gets a 200."""
    try:
        with direct().open(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def select(endpoint: str, sparql: str) -> list[dict[str, str]]:
    """The solutions of a SELECT query, each variable's value as text."""
    body = urllib.parse.urlencode({"query": sparql}).encode("ascii")
    headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}
    with direct().open(urllib.request.Request(endpoint, data=body, headers=headers), timeout=30) as response:
        bindings = json.load(response)["results"]["bindings"]
    return [{name: value["value"] for name, value in binding.items()} for binding in bindings]


def rcpgraph_graphs(endpoint: str) -> dict[str, int]:
    """The graphs under rcpgraph's graph IRIs that hold triples, and how many each holds."""
    sparql = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{GRAPHS}")) }} GROUP BY ?g ORDER BY ?g'
    )
    return {row["g"]: int(row["n"]) for row in select(endpoint, sparql)}
