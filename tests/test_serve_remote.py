"""`rcpgraph serve --endpoint`: the service over each real store (Oxigraph server, Virtuoso), once `rcpgraph push`
filled it, answers every stored query, page, description and download byte for byte as the service over the release
files, but for the terms a store rewrites."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stores
from fastapi.testclient import TestClient
from test_stored_queries import REQUIRED

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings
from rcpgraph.sparql.catalogue import catalogue
from rcpgraph.sparql.remote import Remote
from rcpgraph.stores.http import Credentials

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = paths.Layout(ROOT, is_checkout=True)
QUERIES = catalogue(LAYOUT.queries_dir)
ACCEPTS = ("text/csv, application/n-triples;q=0.9", "application/sparql-results+json, text/turtle;q=0.9")
PAGES = (
    "/",
    "/docs",
    "/ontology",
    "/id/",
    "/id/process/",
    "/id/process/midsa",
    "/id/process/midsa.ttl",
    "/id/status/answered",
    "/search?q=migration",
    "/query?name=groups&run=",
    "/sparql",
    "/pictures/network.svg",
    "/pictures/timeline.svg?process=midsa",
    "/download/rcpgraph-inferred.ttl",
)
DOWNLOADS = ("/download/rcpgraph.jsonld", "/download/rcpgraph.nt", "/download/rcpgraph.ttl")
# Oxigraph stores xsd:nonNegativeInteger as xsd:integer (the ontology's oa:start and oa:end say so): the downloads
# written from its graphs show that, and its description counts 25 fewer distinct objects; nothing else differs.
# Virtuoso keeps every term as pushed.
REWRITTEN = {
    "oxigraph": {
        "/download/rcpgraph.ttl": (r'"(\d+)"\^\^xsd:nonNegativeInteger', r"\1"),
        "/download/rcpgraph.nt": ("XMLSchema#nonNegativeInteger>", "XMLSchema#integer>"),
        "/download/rcpgraph.jsonld": ('"xsd:nonNegativeInteger"', '"xsd:integer"'),
    },
    "virtuoso": {},
}
DISTINCT_OBJECTS = {"oxigraph": 5930, "virtuoso": 5955}


@pytest.fixture(scope="module")
def files() -> Iterator[TestClient]:
    """The service over the release files."""
    with TestClient(create_app(Settings(release=LAYOUT.release_dir, timeout=30, workers=1), LAYOUT)) as client:
        yield client


@pytest.fixture(scope="module", params=sorted(stores.KINDS))
def kind(request: pytest.FixtureRequest) -> str:
    """A kind of store (a key of `stores.KINDS`)."""
    return str(request.param)


@pytest.fixture(scope="module")
def services(
    kind: str, files: TestClient, pushed: Callable[[str], stores.Endpoints]
) -> Iterator[tuple[TestClient, TestClient]]:
    """The service over the release files, and the service over the store of `kind` after `rcpgraph push`."""
    remote = Remote(pushed(kind).query, Credentials())
    over_store = create_app(Settings(release=Path("absent"), timeout=30, workers=1, remote=remote), LAYOUT)
    with TestClient(over_store) as store:
        yield files, store


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_stored_query_answers_as_embedded(services: tuple[TestClient, TestClient], name: str) -> None:
    files, store = services
    for accept in ACCEPTS:
        expected = files.get(f"/api/queries/{name}", params=REQUIRED.get(name, {}), headers={"Accept": accept})
        answer = store.get(f"/api/queries/{name}", params=REQUIRED.get(name, {}), headers={"Accept": accept})
        assert expected.status_code == 200
        assert (answer.status_code, answer.headers["content-type"]) == (200, expected.headers["content-type"])
        assert answer.content == expected.content
        assert expected.content.count(b"\n") > 1


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_what_the_embedded_service_shows(services: tuple[TestClient, TestClient], path: str) -> None:
    files, store = services
    expected, answer = files.get(path), store.get(path)
    assert expected.status_code == 200
    assert (answer.status_code, answer.headers["content-type"]) == (200, expected.headers["content-type"])
    assert answer.content == expected.content
    assert len(expected.content) > 500


@pytest.mark.slow
@pytest.mark.parametrize("path", DOWNLOADS)
def test_a_download_holds_what_the_store_holds(kind: str, services: tuple[TestClient, TestClient], path: str) -> None:
    files, store = services
    expected = files.get(path).text
    rewritten = re.sub(*REWRITTEN[kind][path], expected) if path in REWRITTEN[kind] else expected
    assert rewritten.count("\n") == expected.count("\n") > 1000
    assert (rewritten != expected) is (path in REWRITTEN[kind])
    assert store.get(path).text == rewritten


@pytest.mark.slow
def test_the_description_counts_what_the_store_holds(kind: str, services: tuple[TestClient, TestClient]) -> None:
    files, store = services
    expected = files.get("/.well-known/void").text
    assert expected.count("void:distinctObjects 5955 ;") == 1
    counted = expected.replace("void:distinctObjects 5955 ;", f"void:distinctObjects {DISTINCT_OBJECTS[kind]} ;")
    assert store.get("/.well-known/void").text == counted


@pytest.mark.slow
def test_a_refused_query_is_refused_alike(services: tuple[TestClient, TestClient]) -> None:
    files, store = services
    update = {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}
    expected, answer = files.get("/sparql", params=update), store.get("/sparql", params=update)
    assert expected.status_code == 400
    assert (answer.status_code, answer.text) == (expected.status_code, expected.text)


def test_serve_refuses_an_endpoint_with_a_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--endpoint", "http://127.0.0.1:9/query", "--release", "data/release"]) == 2
    assert capsys.readouterr().err == "rcpgraph serve: give either --release or --endpoint, not both\n"


def test_serve_refuses_a_malformed_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--endpoint", "ftp://example.org/sparql", "--port", "1"]) == 2
    assert capsys.readouterr().err == "rcpgraph serve: --endpoint: not an http or https URL: ftp://example.org/sparql\n"


def test_the_endpoint_named_in_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RCPGRAPH_ENDPOINT", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rcpgraph.toml").write_text('endpoint = "gopher://example.org/sparql"\n', encoding="utf-8")
    assert main(["serve", "--port", "1"]) == 2
    assert (
        capsys.readouterr().err == "rcpgraph serve: --endpoint: not an http or https URL: gopher://example.org/sparql\n"
    )


def test_a_broken_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RCPGRAPH_ENDPOINT", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rcpgraph.toml").write_text('endpoint = "http://x\n', encoding="utf-8")
    assert main(["query", "groups"]) == 2
    assert capsys.readouterr().err == (
        "rcpgraph query: rcpgraph.toml: not a TOML file: Illegal character '\\n' (at line 1, column 21)\n"
    )
