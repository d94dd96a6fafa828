"""The stored queries over real stores (Oxigraph server, Virtuoso) that `rcpgraph push` filled: the same answers
as the embedded store, byte for byte (the default page, every row, and every page of a listing), under the same
rules, time limit and row cap."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Callable, Iterator, Mapping

import pytest
import stores
from live import Canary, free_port
from test_stored_queries import REQUIRED

import rcpgraph
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.paths import locate, query_files
from rcpgraph.sparql.catalogue import bind, catalogue, whole
from rcpgraph.sparql.remote import Remote, RemoteStore
from rcpgraph.sparql.results import format_result
from rcpgraph.sparql.store import Result, Store, open_store
from rcpgraph.sparql.workers import Pool, QueryTimeout
from rcpgraph.stores.http import Credentials

LAYOUT = locate()
QUERIES = catalogue(LAYOUT.queries_dir)
PAGED = sorted(name for name, query in QUERIES.items() if query.page is not None)
SMALL_PAGE = 10


@pytest.fixture(scope="module", params=sorted(stores.KINDS))
def endpoints(request: pytest.FixtureRequest, pushed: Callable[[str], stores.Endpoints]) -> stores.Endpoints:
    """A store of each kind, running, with the committed release pushed into it (once per session)."""
    return pushed(request.param)


@pytest.fixture(scope="module")
def embedded() -> Store:
    """The committed release on the embedded store."""
    return open_store(query_files(LAYOUT.release_dir))


def _result(store: Store, name: str, page: Mapping[str, str] | None = None) -> Result:
    """A stored query's result, its defaults bound (and the required parameters), with the `page` asked for (`{}`
    the default page; without one, every row of a paged listing), bound as rcpgraph binds it for that store."""
    query = QUERIES[name]
    values = {**REQUIRED.get(name, {}), **(whole(query) if page is None else page)}
    sparql = bind(query, values, store.individuals(), cut_keys=not isinstance(store, RemoteStore))
    return store.query(sparql, source=query.path, max_rows=100000)


def _answer(store: Store, name: str, page: Mapping[str, str] | None = None) -> str:
    """A stored query's answer (see `_result`) as CSV (N-Triples for a graph)."""
    result = _result(store, name, page)
    return format_result(result, "ntriples" if result.kind == "graph" else "csv")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_stored_query_answers_as_embedded(endpoints: stores.Endpoints, embedded: Store, name: str) -> None:
    remote = open_store([], remote=Remote(endpoints.query, Credentials()))
    for page in ({}, None):
        expected = _answer(embedded, name, page)
        assert expected.count("\n") > 1
        assert _answer(remote, name, page) == expected


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGED)
def test_every_page_of_a_listing_as_embedded(endpoints: stores.Endpoints, embedded: Store, name: str) -> None:
    remote = open_store([], remote=Remote(endpoints.query, Credentials()))
    rows = len(_result(embedded, name).cells)
    assert rows > 0
    for offset in range(0, rows + SMALL_PAGE, SMALL_PAGE):
        page = {"limit": str(SMALL_PAGE), "offset": str(offset)}
        assert len(_result(embedded, name, page).cells) == max(0, min(SMALL_PAGE, rows - offset))
        assert _answer(remote, name, page) == _answer(embedded, name, page)


@pytest.mark.slow
def test_cli_query_over_the_store(endpoints: stores.Endpoints, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "groups", "--format", "csv"]) == 0
    expected = capsys.readouterr().out
    assert main(["query", "groups", "--format", "csv", "--endpoint", endpoints.query]) == 0
    assert capsys.readouterr() == (expected, "")
    assert expected.count("\n") == 13


@pytest.mark.slow
def test_parameters_and_row_cap(endpoints: stores.Endpoints, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["query", "cell", "--param", "process=sacm", "--param", "dimension=founding-documents", "--format", "csv"]
    assert main(argv) == 0
    expected = capsys.readouterr().out
    assert main([*argv, "--endpoint", endpoints.query]) == 0
    assert capsys.readouterr().out == expected
    assert main(["query", "groups", "--max-rows", "2", "--format", "csv", "--endpoint", endpoints.query]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 3
    assert err == "rcpgraph query: result truncated to 2 of 12 rows\n"


@pytest.mark.slow
def test_python_api_over_the_store(endpoints: stores.Endpoints) -> None:
    kg = rcpgraph.open(endpoint=endpoints.query)
    rows = kg.query("groups")
    assert len(rows) == 12
    assert rows[0].to_dict() == rcpgraph.open().query("groups")[0].to_dict()
    assert kg.query("cell", process="sacm", dimension="founding-documents")[0]["line"] == 14


@pytest.mark.slow
def test_ask_and_construct(endpoints: stores.Endpoints, embedded: Store) -> None:
    remote = open_store([], remote=Remote(endpoints.query, Credentials()))
    ask = "ASK { ?p <https://w3id.org/rcpgraph/ontology#acronym> 'MIDSA' }"
    assert remote.query(ask).boolean is embedded.query(ask).boolean is True
    construct = "CONSTRUCT { ?p a ?c } WHERE { ?p a ?c } ORDER BY ?p ?c LIMIT 3"
    result = remote.query(construct, max_rows=2)
    assert (result.kind, len(result.triples), result.truncation()) == ("graph", 2, "result truncated to 2 of 3 triples")


@pytest.mark.slow
def test_syntax_error_as_embedded(endpoints: stores.Endpoints, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--sparql", "SELECT ?x WHERE { ?x ?y }"]) == 2
    expected = capsys.readouterr().err
    assert main(["query", "--sparql", "SELECT ?x WHERE { ?x ?y }", "--endpoint", endpoints.query]) == 2
    assert capsys.readouterr().err == expected
    assert expected.startswith("rcpgraph query: <sparql>:1:")


def test_updates_and_service_never_leave_the_process(capsys: pytest.CaptureFixture[str]) -> None:
    canary = Canary()
    refusals = {
        "DELETE WHERE { ?s ?p ?o }": "<sparql>:1:1: updates are not allowed (DELETE): the release is read-only",
        f"SELECT * WHERE {{ SERVICE <{canary.url}/x> {{ ?s ?p ?o }} }}": (
            "<sparql>:1:18: SERVICE is not allowed: queries run over the release only"
        ),
    }
    for sparql, message in refusals.items():
        assert main(["query", "--sparql", sparql, "--endpoint", canary.url + "/sparql"]) == 2
        assert capsys.readouterr() == ("", f"rcpgraph query: {message}\n")
    assert canary.close() == 0


def test_time_limit_over_a_store_that_never_answers() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with (
            Pool([], remote=Remote(url, Credentials())) as pool,
            pytest.raises(QueryTimeout, match=r"^query timed out after 1 s$"),
        ):
            pool.query("ASK { ?s ?p ?o }", timeout=1)


def test_unreachable_and_malformed_endpoints(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    assert main(["query", "groups", "--endpoint", url]) == 2
    assert capsys.readouterr() == ("", f"rcpgraph query: cannot reach {url} (the query): Connection refused\n")
    assert main(["query", "groups", "--endpoint", "localhost:7878/query"]) == 2
    assert capsys.readouterr().err == "rcpgraph query: --endpoint: not an http or https URL: localhost:7878/query\n"
    assert main(["query", "groups", "--endpoint", "http://user:secret@127.0.0.1/sparql"]) == 2
    err = capsys.readouterr().err
    assert err == "rcpgraph query: --endpoint: give credentials with --auth or --token-env, not in the URL\n"
    with pytest.raises(InputError, match=r"^endpoint: not an http or https URL: ftp://x/$"):
        rcpgraph.open(endpoint="ftp://x/")


def test_an_endpoint_that_answers_something_else() -> None:
    with _answering(b"<html>not SPARQL</html>", "text/html") as url:
        store = open_store([], remote=Remote(url, Credentials()))
        with pytest.raises(
            InputError, match=r"^http://127\.0\.0\.1:\d+/sparql sent text/html, not N-Triples or Turtle$"
        ):
            store.query("SELECT * WHERE { ?s ?p ?o }")
    with _answering(b"{}", "application/sparql-results+json") as url:
        store = open_store([], remote=Remote(url, Credentials()))
        message = r"^http://127\.0\.0\.1:\d+/sparql sent an answer that is not SPARQL JSON results: 'head'$"
        with pytest.raises(InputError, match=message):
            store.query("SELECT * WHERE { ?s ?p ?o }")


@contextlib.contextmanager
def _answering(body: bytes, media_type: str) -> Iterator[str]:
    """A loopback HTTP server, in a thread, that answers every POST with `body`; yields its /sparql URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_arguments: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_graph_and_credentials_need_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "groups", "--graph", "default"]) == 2
    assert capsys.readouterr().err == "rcpgraph query: --graph, --auth and --token-env go with --endpoint\n"


@pytest.mark.slow
def test_endpoint_from_the_environment(
    endpoints: stores.Endpoints, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["query", "class-counts", "--format", "csv"]) == 0
    expected = capsys.readouterr().out
    monkeypatch.setenv("RCPGRAPH_ENDPOINT", endpoints.query)
    assert main(["query", "class-counts", "--format", "csv"]) == 0
    assert capsys.readouterr().out == expected
