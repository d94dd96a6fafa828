"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, run against the service in process.

The manifest (tests/w3c/sparql11-protocol/manifest.ttl) describes each test as HTTP requests and the
status each must get. Every negative test applies (a read-only endpoint must refuse what they send);
of the positive tests, those that load no graph: no update, no protocol dataset. The others are
reported as inapplicable, with the reason, in the EARL report reports/sparql11-protocol.ttl.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from rcpgraph import rdfio

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


def inapplicable(test: str, requests: list[Request]) -> str | None:
    """Why a test does not apply to a read-only endpoint, or None: negative tests, and positive ones that send no
    update and name no protocol dataset, apply."""
    if test.startswith("bad_"):
        return None
    if any("sparql-update" in r.headers.get("content-type", "") or b"update=" in (r.body or b"") for r in requests):
        return "the test sends a SPARQL update: rcpgraph serves a read-only endpoint"
    if any("graph-uri" in request.path for request in requests):
        return "the test names a protocol dataset (default-graph-uri, named-graph-uri): queries run over the release"
    return None


def _tests() -> list[tuple[str, str, list[Request]]]:
    """Every test of the manifest: its IRI, its name and its requests."""
    manifest = rdfio.parse_file(SUITE / "manifest.ttl", base_iri=BASE)
    entries = Collection(manifest, manifest.value(URIRef(BASE), MF.entries))
    return [(str(test), str(test).rsplit("#", 1)[-1], _requests(manifest, test)) for test in entries]


ALL = _tests()
TESTS = [(name, requests) for _, name, requests in ALL if inapplicable(name, requests) is None]


def test_the_harness_finds_every_negative_test() -> None:
    names = [name for name, _ in TESTS]
    assert sum(name.startswith("bad_") for name in names) == 14
    assert "query_post_direct" in names
    assert (len(ALL), len(TESTS)) == (34, 15)


@pytest.mark.parametrize(("test", "name", "requests"), ALL, ids=[name for _, name, _ in ALL])
def test_protocol(
    client: TestClient, test: str, name: str, requests: list[Request], w3c_test: Callable[[str, str], None]
) -> None:
    w3c_test("sparql11-protocol", test)
    reason = inapplicable(name, requests)
    if reason is not None:
        pytest.skip(reason)
    for request in requests:
        response = client.request(request.method, request.path, headers=request.headers, content=request.body)
        assert f"{response.status_code // 100}xx" in request.statuses, (name, response.status_code, response.text)
        if request.boolean is not None:
            assert json.loads(response.text)["boolean"] is request.boolean
