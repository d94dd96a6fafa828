"""`rcpgraph serve` as a real process on a free loopback port, queried as real clients would (SPARQLWrapper, urllib).

A canary listener on loopback stands for the rest of the network: the server's proxy variables point at
it and the requests name it (SERVICE, FROM, LOAD, default-graph-uri, IRIs), and it must never be called.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from live import Canary, fetch, serving
from rdflib import OWL, RDF, Graph, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def server(canary: Canary) -> Iterator[str]:
    """The base URL of `rcpgraph serve --timeout 1` on a free port, its proxies pointing at the canary."""
    with serving(canary.url, "--timeout", "1") as base:
        yield base


def wrapper(server: str, query: str) -> SPARQLWrapper:
    """A SPARQLWrapper client for the server's endpoint."""
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    return client


def test_turtle_about_midsa_like_curl(server: str) -> None:
    status, headers, text = fetch(server + "/id/process/midsa", "text/turtle")
    assert status == 200 and headers["content-type"] == "text/turtle; charset=utf-8"
    assert 'rcp:acronym "MIDSA"' in text
    status, headers, page = fetch(server + "/id/process/midsa", "text/html,*/*;q=0.8")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Migration Dialogue for Southern Africa</h1>" in page


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_ask_construct(server: str, method: str) -> None:
    rcp = "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#> "
    select = wrapper(server, rcp + "SELECT ?a WHERE { ?p rcp:acronym ?a } ORDER BY ?a")
    select.setMethod(method)
    select.setReturnFormat(JSON)
    acronyms = [row["a"]["value"] for row in select.queryAndConvert()["results"]["bindings"]]
    assert "MIDSA" in acronyms and "SACM" in acronyms
    ask = wrapper(server, "ASK { <https://w3id.org/rcpgraph/id/process/midsa> ?p ?o }")
    ask.setMethod(method)
    ask.setReturnFormat(JSON)
    assert ask.queryAndConvert()["boolean"] is True
    construct = wrapper(server, "CONSTRUCT { ?p a ?c } WHERE { ?p a ?c } LIMIT 3")
    construct.setMethod(method)
    construct.setReturnFormat(TURTLE)
    typed = Graph().parse(data=construct.queryAndConvert(), format="turtle")
    assert len(typed) == 3 and set(typed.predicates()) == {RDF.type}


def test_sparqlwrapper_update_is_refused_and_graph_unchanged(server: str) -> None:
    count = wrapper(server, COUNT)
    count.setReturnFormat(JSON)
    before = count.queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    update = wrapper(server, "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    update.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        update.query()
    assert refused.value.code == 403
    assert count.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == before


def test_sparqlwrapper_service_is_refused(server: str, canary: Canary) -> None:
    federated = wrapper(server, f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}")
    federated.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="SERVICE is not allowed"):
        federated.query()


def test_a_query_past_the_timeout_is_stopped_with_503(server: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, text = fetch(server + "/sparql?query=" + quote(slow))  # a server that waited would pass fetch's 30 s
    assert (status, text) == (503, "query timed out after 1 s\n")
    assert fetch(server + "/sparql?query=" + quote("ASK {}"))[0] == 200  # the server goes on


def test_no_request_makes_an_outbound_request(server: str, canary: Canary) -> None:
    remote = canary.url
    requests = [
        f"/sparql?query={quote(f'SELECT * WHERE {{ SERVICE <{remote}/s> {{ ?s ?p ?o }} }}')}",
        f"/sparql?query={quote(f'SELECT * FROM <{remote}/g> WHERE {{ ?s ?p ?o }}')}",
        f"/sparql?query={quote(f'SELECT * FROM NAMED <{remote}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}')}",
        f"/sparql?query={quote(f'LOAD <{remote}/data.ttl>')}",
        f"/sparql?query={quote('ASK {}')}&default-graph-uri={quote(remote + '/g')}",
        f"/sparql?query={quote(f'DESCRIBE <{remote}/thing>')}",
        f"/api/queries/cell?process={quote(remote + '/p')}&dimension=research",
        "/id/process/midsa",
        "/ontology",
        "/.well-known/void",
        "/query?name=groups&run=1",
        "/",
    ]
    statuses = [fetch(server + path)[0] for path in requests]
    assert statuses == [400, 400, 400, 400, 400, 200, 200, 200, 200, 200, 200, 200]
    time.sleep(0.5)
    assert canary.requests == []


def test_stored_query_api_over_http(server: str) -> None:
    path = "/api/queries/status-by-dimension?dimension=gfmd-link&status=no-response-given"
    status, headers, text = fetch(server + path)
    assert status == 200 and headers["vary"] == "Accept, Accept-Encoding"
    labels = {row["acronym"]["value"] for row in json.loads(text)["results"]["bindings"] if "acronym" in row}
    assert labels


def test_head_sends_no_body_and_a_known_etag_gets_304_on_the_wire(server: str) -> None:
    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
    try:
        answers = []
        for method, path, headers in [
            ("HEAD", "/sparql?query=" + quote("ASK {}"), {}),
            ("HEAD", "/", {}),
            ("GET", "/api/queries", {}),
        ]:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            answers.append((response.status, response.getheader("ETag"), response.read()))
        (head_status, _, head_body), (_, home_tag, _), (status, tag, body) = answers
        assert (head_status, head_body, status) == (200, b"", 200) and body.startswith(b"[")
        connection.request("GET", "/api/queries", headers={"If-None-Match": tag})
        unchanged = connection.getresponse()
        assert (unchanged.status, unchanged.getheader("ETag"), unchanged.read()) == (304, tag, b"")
        connection.request("HEAD", "/", headers={"If-None-Match": home_tag})
        assert connection.getresponse().status == 304
    finally:
        connection.close()


SPARQLWRAPPER_QUERIES = {
    "SELECT": "SELECT ?a WHERE { ?p <https://w3id.org/rcpgraph/ontology#acronym> ?a } ORDER BY ?a",
    "ASK": "ASK { <https://w3id.org/rcpgraph/id/process/midsa> ?p ?o }",
    "CONSTRUCT": "CONSTRUCT { ?p a ?c } WHERE { ?p a ?c ; <https://w3id.org/rcpgraph/ontology#acronym> 'MIDSA' }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/rcpgraph/id/process/midsa>",
}
# What the Protocol allows for each form: the SPARQL result formats for SELECT and ASK, RDF for graphs
SPARQLWRAPPER_FORMATS = {
    "SELECT": ("xml", "json", "csv", "tsv"),
    "ASK": ("xml", "json", "csv", "tsv"),
    "CONSTRUCT": ("xml", "rdf+xml", "turtle", "n3", "json-ld"),
    "DESCRIBE": ("xml", "rdf+xml", "turtle", "n3", "json-ld"),
}


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize(
    ("form", "fmt"), [(form, fmt) for form, formats in SPARQLWRAPPER_FORMATS.items() for fmt in (None, *formats)]
)
def test_sparqlwrapper_with_its_defaults(server: str, form: str, fmt: str | None, method: str) -> None:
    # SPARQLWrapper names the format up to twice (format=tsv&format=text/tab-separated-values), in
    # format=, output= and results=, and asks for XML (RDF/XML for graphs) unless told otherwise
    client = wrapper(server, SPARQLWRAPPER_QUERIES[form])
    client.setMethod(method)
    if fmt is not None:
        client.setReturnFormat(fmt)
    converted = client.queryAndConvert()
    if form == "SELECT" and fmt in (None, "xml"):
        values = [node.firstChild.data for node in converted.getElementsByTagName("literal")]
        assert "MIDSA" in values and "SACM" in values
    elif form == "SELECT" and fmt == "json":
        assert "MIDSA" in [row["a"]["value"] for row in converted["results"]["bindings"]]
    elif form == "SELECT":
        assert b"MIDSA" in converted
    elif form == "ASK" and fmt in (None, "xml"):
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    elif form == "ASK" and fmt == "json":
        assert converted["boolean"] is True
    elif form == "ASK":
        assert converted.split()[-1] == b"true"
    elif isinstance(converted, bytes):  # Turtle and N3 come as text
        midsa = Graph().parse(data=converted, format="turtle")
        assert (URIRef("https://w3id.org/rcpgraph/id/process/midsa"), RDF.type, None) in midsa
    else:  # RDF/XML and JSON-LD come parsed
        assert (URIRef("https://w3id.org/rcpgraph/id/process/midsa"), RDF.type, None) in converted


@pytest.mark.parametrize("fmt", [None, "turtle", "xml", "json-ld", "nt"])
@pytest.mark.parametrize("path", ["/id/process/midsa", "/ontology", "/sparql"])
def test_rdflib_parses_each_rdf_answer_from_its_url(server: str, path: str, fmt: str | None) -> None:
    # rdflib's Graph.parse(url) with its default Accept for the format (all RDF types when none is named)
    graph = Graph().parse(server + path, format=fmt)
    expected = {
        "/id/process/midsa": (URIRef("https://w3id.org/rcpgraph/id/process/midsa"), RDF.type, None),
        "/ontology": (URIRef("https://w3id.org/rcpgraph/ontology"), RDF.type, OWL.Ontology),
        "/sparql": (None, RDF.type, URIRef("http://www.w3.org/ns/sparql-service-description#Service")),
    }[path]
    assert expected in graph
