"""SPARQL servers for the benchmarks: Oxigraph server and Virtuoso, each loaded with graph files, on loopback.

Oxigraph server is the `oxigraph` binary of the PyPI package (`oxigraph load`, then `serve-read-only`);
Virtuoso Open Source is Debian's `virtuoso-opensource` (`virtuoso-t`, loaded with its bulk loader through
`isql-vt`). Each runs in a scratch folder on a free loopback port until its block ends, and yields a
`Remote` for `rcpgraph.sparql.remote.RemoteStore` whose graphs are those the files were loaded into, and
the seconds loading took.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from load import _free_port, _wait_for

from rcpgraph.sparql.remote import Remote
from rcpgraph.stores.http import Credentials

ROOT = Path(__file__).resolve().parents[1]
VIRTUOSO_INI = (ROOT / "tests" / "fixtures" / "virtuoso.ini").read_text(encoding="utf-8")  # the tests' template

Graphs = Sequence[tuple[Path, str]]  # a file and the graph IRI it is loaded into


@contextmanager
def oxigraph(folder: Path, graphs: Graphs) -> Iterator[tuple[Remote, float]]:
    """Oxigraph server, read-only, over `graphs` loaded into `folder` by `oxigraph load`."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.is_file():
        raise SystemExit("Oxigraph server is not installed (pip install oxigraph)")
    started = time.perf_counter()
    for file, graph in graphs:
        command = [str(binary), "load", "--location", str(folder), "--file", str(file), "--graph", graph]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loading = time.perf_counter() - started
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(binary), "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    with _running(command, base + "/query?query=ASK%7B%7D", "Oxigraph server"):
        yield _remote(base + "/query", graphs), loading


@contextmanager
def virtuoso(folder: Path, graphs: Graphs) -> Iterator[tuple[Remote, float]]:
    """Virtuoso Open Source with its database in `folder`, `graphs` bulk-loaded (files copied into `folder`)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        raise SystemExit("Virtuoso Open Source is not installed (apt-get install virtuoso-opensource)")
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            folder=folder, sql_port=sql_port, http_port=http_port, buffers=170000, dirty_buffers=130000
        ),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    with _running([binary, "+foreground", "+configfile", str(ini)], base + "/sparql?query=ASK%7B%7D", "Virtuoso"):
        started = time.perf_counter()
        for index, (file, graph) in enumerate(graphs):
            local = folder / f"graph-{index}{file.suffix}"
            shutil.copyfile(file, local)
            _isql(isql, sql_port, f"ld_dir('{folder}', '{local.name}', '{graph}');")
        _isql(isql, sql_port, "rdf_loader_run(); checkpoint;")
        yield _remote(base + "/sparql", graphs), time.perf_counter() - started


def _remote(endpoint: str, graphs: Graphs) -> Remote:
    """The query endpoint over the loaded graphs, without credentials."""
    return Remote(endpoint, Credentials(), tuple(graph for _, graph in graphs))


def _isql(isql: str, port: int, statements: str) -> None:
    """Run SQL statements on Virtuoso as dba (its default password), failing on an error."""
    command = [isql, f"127.0.0.1:{port}", "dba", "dba", f"exec={statements}"]
    answer = subprocess.run(command, check=True, capture_output=True, text=True)
    if "*** Error" in answer.stdout + answer.stderr:
        raise SystemExit(f"Virtuoso refused {statements}: {answer.stdout}{answer.stderr}")


@contextmanager
def _running(command: list[str], probe: str, what: str) -> Iterator[None]:
    """Run `command` until the block ends, once `probe` answers."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(probe, process, what)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
