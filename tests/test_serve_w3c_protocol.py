"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, run against the service in process.

The manifest (tests/w3c/sparql11-protocol/manifest.ttl) describes each test as HTTP requests and the
status each must get. Every negative test applies (a read-only endpoint must refuse what they send);
of the positive tests, those that load no graph: no update, no protocol dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from rcpgraph import paths, rdfio
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings

SUITE = Path(__file__).parent / "w3c" / "sparql11-protocol"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test, and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]
    boolean: bool | None


def _requests(manifest: Graph, test: URIRef) -> list[Request]:
    """The requests of one test, in order."""
    action = manifest.value(test, MF.action)
    requests = []
    for node in Collection(manifest, manifest.value(action, HT.requests)):
        headers = {}
        if manifest.value(node, HT.headers) is not None:
            for header in Collection(manifest, manifest.value(node, HT.headers)):
                headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
        body_node = manifest.value(node, HT.body)
        body = None
        if body_node is not None:
            encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(manifest.value(body_node, CNT.chars)).encode(encoding.lower())
        response = manifest.value(node, HT.resp)
        statuses = frozenset(str(s)[len(HTS) :] for s in manifest.objects(response, MF.expectedStatus))
        expected = manifest.value(response, MF.expectedBoolean)
        path = str(manifest.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        requests.append(
            Request(
                str(manifest.value(node, HT.methodName)),
                path,
                headers,
                body,
                statuses,
                None if expected is None else expected.toPython(),
            )
        )
    return requests


def _applies(test: str, requests: list[Request]) -> bool:
    """Negative tests, and positive ones that send no update and name no protocol dataset."""
    if test.startswith("bad_"):
        return True

    def updates(request: Request) -> bool:
        return "sparql-update" in request.headers.get("content-type", "") or b"update=" in (request.body or b"")

    return not any("graph-uri" in request.path or updates(request) for request in requests)


def _tests() -> list[tuple[str, list[Request]]]:
    """The applicable tests of the manifest, by name."""
    manifest = rdfio.parse_file(SUITE / "manifest.ttl", base_iri=BASE)
    entries = Collection(manifest, manifest.value(URIRef(BASE), MF.entries))
    found = [(str(test).rsplit("#", 1)[-1], _requests(manifest, test)) for test in entries]
    return [(name, requests) for name, requests in found if _applies(name, requests)]


TESTS = _tests()


@pytest.fixture(scope="module")
def client() -> TestClient:
    layout = paths.Layout(Path(__file__).resolve().parents[1], is_checkout=True)
    return TestClient(create_app(Settings(release=layout.release_dir, timeout=10), layout))


def test_the_harness_finds_every_negative_test() -> None:
    names = [name for name, _ in TESTS]
    assert sum(name.startswith("bad_") for name in names) == 14
    assert "query_post_direct" in names


@pytest.mark.parametrize(("name", "requests"), TESTS, ids=[name for name, _ in TESTS])
def test_protocol(client: TestClient, name: str, requests: list[Request]) -> None:
    for request in requests:
        response = client.request(request.method, request.path, headers=request.headers, content=request.body)
        assert f"{response.status_code // 100}xx" in request.statuses, (name, response.status_code, response.text)
        if request.boolean is not None:
            assert json.loads(response.text)["boolean"] is request.boolean
