"""The pool of query workers: time and memory limits that stop a query wherever its cost lies, on the command line,
the Python API and the service; a client that goes away stops its query; workers are new interpreters, never forks;
the service's answer cache is bounded in bytes and its health shows the pool."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from live import disconnecting

import rcpgraph
from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings
from rcpgraph.serve.state import Lru, Release
from rcpgraph.sparql import workers
from rcpgraph.sparql.results import format_result
from rcpgraph.sparql.store import Result, Written

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
LAYOUT = paths.Layout(ROOT, is_checkout=True)
FILES = (MINI / "rcpgraph.ttl", MINI / "rcpgraph-inferred.ttl")
# Within the safety gate's limits (20 KB), but rdflib's parser, which the word "service" calls in, takes 10 s or more.
SLOW_PARSE = "SELECT ?service WHERE { ?s ?p ?o FILTER(" + " + ".join(["?o"] * 4000) + ") }"
# Every solution is kept for ORDER BY: far more memory than the limit below allows.
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
MEMORY_LIMIT = 256
REFUSED = f"the query needed more than {MEMORY_LIMIT} MB (the memory limit of a query)"


def service(**settings: object) -> TestClient:
    """A client of the service over the mini release, with these settings."""
    return TestClient(create_app(Settings(release=MINI, **settings), LAYOUT))  # type: ignore[arg-type]


def health(client: TestClient) -> dict[str, dict[str, int]]:
    """The service's /api/health."""
    response = client.get("/api/health")
    assert response.headers["cache-control"] == "no-store"
    return response.json()


def sparql(client: TestClient, text: str) -> tuple[int, str]:
    """The status and text of a POSTed query's answer, in CSV."""
    headers = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    response = client.post("/sparql", content=text.encode(), headers=headers)
    return response.status_code, response.text


def test_the_time_limit_covers_the_parse_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "--sparql", SLOW_PARSE, "--timeout", "2", "--release", str(MINI)])
    assert (code, capsys.readouterr()) == (2, ("", "rcpgraph query: query timed out after 2 s\n"))


def test_the_time_limit_covers_the_parse_on_the_service() -> None:
    client = service(timeout=2.0, workers=1)
    assert sparql(client, SLOW_PARSE) == (503, "query timed out after 2 s\n")
    assert sparql(client, "ASK { ?s ?p ?o }") == (200, "_askResult\r\ntrue\r\n")
    assert health(client)["workers"] == {"size": 1, "alive": 1, "busy": 0, "restarts": 1, "memory_limit_mb": 2048}


def test_past_the_memory_limit_the_query_is_refused_and_the_service_answers_the_next() -> None:
    client = service(timeout=60.0, workers=1, memory_limit=MEMORY_LIMIT)
    assert sparql(client, HUNGRY) == (400, REFUSED + "\n")
    assert sparql(client, "ASK { ?s ?p ?o }") == (200, "_askResult\r\ntrue\r\n")
    workers_now = health(client)["workers"]
    assert workers_now == {"size": 1, "alive": 1, "busy": 0, "restarts": 1, "memory_limit_mb": MEMORY_LIMIT}


def test_past_the_memory_limit_the_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--sparql", HUNGRY, "--memory-limit", str(MEMORY_LIMIT), "--timeout", "60"]
    code = main(["query", *arguments, "--release", str(MINI)])
    assert (code, capsys.readouterr()) == (2, ("", f"rcpgraph query: {REFUSED}\n"))


@pytest.mark.parametrize("engine", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_past_the_memory_limit_the_python_api_raises(engine: str) -> None:
    with rcpgraph.open(MINI, engine=engine, timeout=120, memory_limit=MEMORY_LIMIT) as kg:
        with pytest.raises(rcpgraph.MemoryLimit) as caught:
            kg.sparql(HUNGRY)
        assert str(caught.value) == REFUSED
        assert kg.sparql("ASK { ?s ?p ?o }") is True


def test_a_client_that_disconnects_stops_its_query() -> None:
    app = create_app(Settings(release=MINI, timeout=120.0, workers=1), LAYOUT)
    release: Release = app.state.release
    asyncio.run(disconnecting(app, release, "/sparql", f"query={quote(LONG)}", "text/csv"))
    assert release.pool.health() == workers.Health(1, 1, 0, 1, 2048)
    assert release.kept(LONG) is None


def test_workers_are_new_interpreters_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("os.fork was called")

    monkeypatch.setattr(os, "fork", no_fork)
    with workers.Pool(FILES) as pool:
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        command = pool._workers[0].process.args
    assert command == [sys.executable, "-c", workers.BOOTSTRAP, str(ROOT / "src")]


def test_a_script_needs_no_main_guard(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(f"import rcpgraph\nprint(rcpgraph.open({str(MINI)!r}).sparql('ASK {{ ?s ?p ?o }}'))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True\n", "")


def test_a_memory_limit_too_low_to_load_the_release_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "groups", "--memory-limit", "20", "--release", str(MINI)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("rcpgraph query: the query worker stopped before it had loaded the release (exit code ")
    assert err.endswith("); is its memory limit of 20 MB enough to load the release?\n")


def test_the_workers_error_comes_back_with_its_location() -> None:
    with workers.Pool(FILES) as pool, pytest.raises(InputError) as caught:
        pool.query("SELECT ?x WHERE {\n  ?x ?p }", source="q.rq")
    assert str(caught.value).startswith("q.rq:2:")


def test_a_worker_killed_while_idle_is_replaced() -> None:
    with workers.Pool(FILES) as pool:
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        os.kill(pool._workers[0].process.pid, signal.SIGKILL)
        pool._workers[0].process.wait()
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        assert pool.health() == workers.Health(1, 1, 0, 1, 2048)


def test_a_bad_release_is_reported_by_the_first_query(tmp_path: Path) -> None:
    broken = tmp_path / "rcpgraph.ttl"
    broken.write_text("<urn:a> <urn:b> .\n")
    with workers.Pool([broken]) as pool, pytest.raises(InputError) as caught:
        pool.query("ASK { ?s ?p ?o }")
    assert str(caught.value).startswith(f"{broken}:1:")


def test_the_cache_is_bounded_in_bytes() -> None:
    cache: Lru[str, bytes] = Lru(100)
    cache.put("a", b"a", 60)
    cache.put("b", b"b", 30)
    assert cache.get("a") == b"a"  # now b is the least recently used
    cache.put("c", b"c", 30)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), cache.bytes, len(cache)) == (b"a", None, b"c", 90, 2)
    cache.put("d", b"d", 101)
    assert (cache.get("d"), cache.bytes) == (None, 90)


def test_the_services_answers_stay_within_the_cache_bytes() -> None:
    client = service(cache_bytes=20_000, workers=1)
    for limit in range(1, 30):
        status, _ = sparql(client, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}")
        assert status == 200
    cache = health(client)["cache"]
    assert cache["limit_bytes"] == 20_000
    assert 10_000 < cache["bytes"] <= 20_000
    assert 0 < cache["entries"] < 29 * 2


def test_health_shows_the_pool_and_the_cache() -> None:
    client = service()
    assert health(client) == {
        "workers": {"size": 2, "alive": 0, "busy": 0, "restarts": 0, "memory_limit_mb": 2048},
        "cache": {"bytes": 0, "limit_bytes": 64 << 20, "entries": 0},
    }
    with client:  # the service started: its workers start with it, connected, so that they load the release now
        assert health(client)["workers"]["alive"] == 2
        assert all(worker._connection is not None for worker in client.app.state.release.pool._workers)
    assert json.loads(client.get("/api/health").text)["workers"]["alive"] == 0


@pytest.mark.parametrize("warm", [True, False])
def test_a_warm_worker_has_rdflibs_query_parser_ready(warm: bool) -> None:
    program = (
        "import sys; from rcpgraph.sparql import workers; "
        f"store, failure = workers._load({tuple(str(path) for path in FILES)!r}, 'oxigraph', None, None, {warm}); "
        "print(failure, 'rdflib.plugins.sparql.parser' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    shown = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout == f"None {warm}\n"


def test_the_services_workers_are_warm() -> None:
    release: Release = create_app(Settings(release=MINI), LAYOUT).state.release
    assert release.pool.warm is True


def test_the_worker_sends_back_only_the_answer_written_in_the_format_asked() -> None:
    with workers.Pool(FILES) as pool:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        written = pool.written(count, {"select": "tsv", "ask": "json"})
        assert written == Written("select", "tsv", format_result(pool.query(count), "tsv").encode("utf-8"), None)
        asked = pool.written("ASK { ?s ?p ?o }", {"select": "csv", "ask": "json"})
        assert asked == Written("ask", "json", b'{\n  "head": {},\n  "boolean": true\n}\n', None)
        assert pool.written("ASK { ?s ?p ?o }", {"select": "csv"}) == pool.query("ASK { ?s ?p ?o }")


def test_the_worker_cuts_the_solutions_it_writes_at_the_row_cap() -> None:
    with workers.Pool(FILES) as pool:
        written = pool.written("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", {"select": "tsv"}, max_rows=2)
        assert written == Written("select", "tsv", b"?n\n1\n2\n", "result truncated to 2 of 3 rows")


async def _concurrently(pool: workers.Pool, texts: list[str]) -> list[Result | Written]:
    """The answers to `texts`, all asked of `pool` at once in one event loop."""
    return await asyncio.gather(*(pool.awaited(text, {"select": "tsv"}) for text in texts))


def test_callers_in_an_event_loop_take_turns_on_one_worker() -> None:
    texts = [f"SELECT ?n WHERE {{ VALUES ?n {{ {number} }} }}" for number in range(5)]
    with workers.Pool(FILES) as pool:
        answers = asyncio.run(_concurrently(pool, texts))
        assert answers == [Written("select", "tsv", f"?n\n{number}\n".encode(), None) for number in range(5)]
        assert pool.health() == workers.Health(1, 1, 0, 0, 2048)


class WatchingLoop(asyncio.SelectorEventLoop):
    """An event loop that notes when it starts and stops watching a file descriptor."""

    def __init__(self) -> None:
        super().__init__()
        self.watches: list[str] = []

    def add_reader(self, fd: object, callback: object, *args: object) -> None:
        self.watches.append("add")
        super().add_reader(fd, callback, *args)

    def remove_reader(self, fd: object) -> bool:
        self.watches.append("remove")
        return super().remove_reader(fd)


def test_a_loop_reads_a_workers_answers_query_after_query_and_stops_when_it_is_idle() -> None:
    texts = [f"SELECT ?n WHERE {{ VALUES ?n {{ {number} }} }}" for number in range(5)]
    loop = WatchingLoop()
    with workers.Pool(FILES) as pool:
        try:
            answers = loop.run_until_complete(_concurrently(pool, texts))
        finally:
            loop.close()
        assert answers == [Written("select", "tsv", f"?n\n{number}\n".encode(), None) for number in range(5)]
    assert loop.watches == ["add", "remove"]


async def _given_up_while_waiting(pool: workers.Pool) -> list[str]:
    """A long query, and another given up (its caller gone) while it waits for the pool's only worker; then the long
    one given up too. What each was told."""
    stopped = asyncio.Event()

    async def gone() -> bool:
        return True

    async def stop() -> bool:
        return stopped.is_set()

    running = asyncio.ensure_future(pool.awaited(LONG, {}, gone=stop))
    while pool.health().busy == 0:
        await asyncio.sleep(0.05)
    told = []
    for query in (pool.awaited("ASK { ?s ?p ?o }", {}, gone=gone), running):
        with pytest.raises(workers.QueryCancelled) as caught:
            await query
        told.append(str(caught.value))
        stopped.set()
    return told


def test_a_caller_gone_while_waiting_for_a_worker_is_told_and_the_pool_goes_on() -> None:
    with workers.Pool(FILES) as pool:
        assert asyncio.run(_given_up_while_waiting(pool)) == [
            "the query was given up before it started",
            "the query was given up: its client went away",
        ]
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        assert pool.health() == workers.Health(1, 1, 0, 1, 2048)
