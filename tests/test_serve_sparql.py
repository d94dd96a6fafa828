"""The SPARQL endpoint in process: the protocol, format negotiation, the service description, the safety rules."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from rcpgraph.serve.middleware.limits import RequestLimit
from rcpgraph.serve.routes.sparql import fitting
from rcpgraph.sparql.store import Written

ROOT = Path(__file__).resolve().parents[1]
RCP = "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\n"
ACRONYMS = RCP + "SELECT ?acronym WHERE { ?p rcp:acronym ?acronym ; rcp:order ?o } ORDER BY ?o LIMIT 2"
MIDSA = "<https://w3id.org/rcpgraph/id/process/midsa>"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
INSERTED = "ASK { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def get(client: TestClient, query: str, accept: str | None = None, **params: str):
    """GET /sparql with a query, an optional Accept header and other parameters."""
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def count(client: TestClient) -> int:
    """The number of triples the endpoint answers from."""
    return int(json.loads(get(client, COUNT, "application/json").text)["results"]["bindings"][0]["n"]["value"])


def test_get_answers_sparql_json_by_default(client: TestClient) -> None:
    response = get(client, ACRONYMS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.headers["vary"] == "Accept"
    bindings = json.loads(response.text)["results"]["bindings"]
    assert [b["acronym"]["value"] for b in bindings] == ["MIDSA", "MIDWA"]


@pytest.mark.parametrize(
    ("accept", "content_type", "start"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8", '<?xml version="1.0"'),
        ("text/csv", "text/csv; charset=utf-8", "acronym\r\nMIDSA\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", '?acronym\n"MIDSA"\n'),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml; charset=utf-8",
            "<?xml",
        ),
        ("text/csv;q=0.8, */*;q=0.1", "text/csv; charset=utf-8", "acronym"),
        ("application/json, text/csv;q=0", "application/sparql-results+json", "{"),
        ("*/*", "application/sparql-results+json", "{"),
    ],
)
def test_select_formats_follow_accept_and_q_values(
    client: TestClient, accept: str, content_type: str, start: str
) -> None:
    response = get(client, ACRONYMS, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.text.startswith(start)


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = get(client, ACRONYMS, "application/sparql-results+xml", format="tsv")
    assert response.headers["content-type"] == "text/tab-separated-values; charset=utf-8"


def test_an_unacceptable_format_is_406(client: TestClient) -> None:
    response = get(client, "ASK {}", "text/turtle")
    assert response.status_code == 406
    assert response.text == (
        "none of the accepted media types fits an ASK result (available: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values)\n"
    )
    assert get(client, "ASK {}", format="turtle").text == (
        "format turtle does not fit an ASK result (use json, xml, csv, tsv)\n"
    )


def test_post_form_and_post_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+xml"})
    assert form.status_code == 200 and "<boolean>true</boolean>" in form.text
    direct = client.post("/sparql", content=ACRONYMS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 200 and "MIDWA" in direct.text


@pytest.mark.parametrize(
    ("accept", "content_type", "marker"),
    [
        (None, "text/turtle; charset=utf-8", "@prefix"),
        ("application/ld+json", "application/ld+json", '"@context"'),
        ("application/n-triples", "application/n-triples", f"{MIDSA} <https://w3id.org/rcpgraph/ontology#acronym>"),
    ],
)
def test_construct_and_describe_as_rdf(client: TestClient, accept: str | None, content_type: str, marker: str) -> None:
    construct = RCP + f"CONSTRUCT {{ {MIDSA} rcp:acronym ?a }} WHERE {{ {MIDSA} rcp:acronym ?a }}"
    for query in (f"DESCRIBE {MIDSA}", construct):
        response = get(client, query, accept)
        assert response.status_code == 200
        assert response.headers["content-type"] == content_type
        assert marker in response.text and "MIDSA" in response.text


def test_service_description_on_get_without_query(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    text = response.text
    assert "<https://w3id.org/rcpgraph/sparql> a sd:Service" in text  # its permanent IRI, not the Host header
    foreign = client.get("/sparql", headers={"Host": "attacker.example"})
    assert "attacker.example" not in foreign.text and "<https://w3id.org/rcpgraph/sparql> a sd:Service" in foreign.text
    assert "sd:supportedLanguage sd:SPARQL11Query" in text
    assert "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>" in text
    browser = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"] == "/query"


def test_updates_are_refused_and_the_graph_is_unchanged(client: TestClient) -> None:
    before = count(client)
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
    form = client.post("/sparql", data={"update": update})
    assert (form.status_code, form.text) == (403, "updates are not allowed: this endpoint is read-only\n")
    direct = client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert direct.status_code == 403
    as_query = get(client, update)
    assert as_query.status_code == 400
    assert as_query.text == "updates are not allowed (INSERT): the release is read-only (line 1, column 1)\n"
    assert json.loads(get(client, INSERTED).text)["boolean"] is False
    assert count(client) == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed: queries run over the release only (line 1, column 18)",
        ),
        (
            "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            "FROM <file:///etc/passwd> is not allowed: queries run over the release only, which is their default graph"
            " (line 1, column 10)",
        ),
        ("LOAD <file:///etc/passwd>", "updates are not allowed (LOAD): the release is read-only (line 1, column 1)"),
    ],
)
def test_unsafe_queries_are_refused_without_echoing_files(client: TestClient, query: str, message: str) -> None:
    response = get(client, query)
    assert (response.status_code, response.text) == (400, message + "\n")
    assert "root:" not in response.text


def test_protocol_datasets_are_refused(client: TestClient) -> None:
    response = get(client, "ASK {}", **{"default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400
    assert response.text == "default-graph-uri is not supported: queries run over the release only, its default graph\n"


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "message"),
    [
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "give one query, not 2"),
        ("GET", {"params": {"query": "ASK {"}}, 400, "SPARQL syntax error"),
        (
            "POST",
            {"content": b"ASK {}"},
            415,
            "a POST must be application/x-www-form-urlencoded or application/sparql-query (none was given)",
        ),
        ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "(not text/plain)"),
        (
            "POST",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            "application/sparql-query must be UTF-8, not utf-16",
        ),
        (
            "POST",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "the query is not UTF-8",
        ),
        (
            "GET",
            {"params": {"query": "ASK {}", "format": ["json", "xml"]}},
            400,
            "the format is named as json and xml, which differ",
        ),
        ("PUT", {"params": {"query": "ASK {}"}}, 405, "method PUT is not allowed here"),
        ("POST", {"data": {"format": "json"}}, 400, "no query given"),
    ],
)
def test_bad_requests(client: TestClient, method: str, kwargs: dict, status: int, message: str) -> None:
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status
    assert message in response.text


def test_a_query_past_the_timeout_is_stopped_with_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    release = client.app.state.release
    monkeypatch.setattr(release, "settings", dataclasses.replace(release.settings, timeout=1.0))
    response = get(client, SLOW)
    assert (response.status_code, response.text) == (503, "query timed out after 1 s\n")
    assert response.headers["retry-after"] == "60"


def test_results_are_capped_and_the_cut_is_said(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    release = client.app.state.release
    monkeypatch.setattr(release, "settings", dataclasses.replace(release.settings, max_rows=5))
    response = get(client, "SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
    assert response.status_code == 200
    assert len(response.text.splitlines()) == 6
    total = count(client)
    assert response.headers["rcpgraph-truncated"] == f"result truncated to 5 of {total} rows"


def test_requests_over_the_size_cap_are_refused(client: TestClient) -> None:
    padding = "#" + "x" * 70000 + "\nASK {}"
    body = client.post("/sparql", content=padding.encode(), headers={"Content-Type": "application/sparql-query"})
    assert (body.status_code, body.text) == (413, "the request body is longer than 65536 bytes\n")


def test_the_size_cap_counts_query_strings_and_streamed_bodies() -> None:
    async def echo(scope, receive, send) -> None:
        body = (await receive())["body"]
        await PlainTextResponse(f"{len(body)} bytes")(scope, receive, send)

    limited = TestClient(RequestLimit(echo, limit=64, seconds=10))
    url = limited.get("/?query=" + quote("x" * 65))
    assert (url.status_code, url.text) == (414, "the query string is longer than 64 bytes\n")
    streamed = limited.post("/", content=iter([b"x" * 40, b"y" * 40]))
    assert (streamed.status_code, streamed.text) == (413, "the request body is longer than 64 bytes\n")
    fits = limited.post("/", content=iter([b"x" * 30, b"y" * 30]))
    assert (fits.status_code, fits.text) == (200, "60 bytes")


def test_answers_are_kept_and_given_again(client: TestClient) -> None:
    first = get(client, ACRONYMS, "text/csv").content
    assert get(client, ACRONYMS, "text/csv").content == first
    kept = client.app.state.release.sent(ACRONYMS, fitting("text/csv", []))
    assert kept == Written("select", "csv", first, None)
    assert first == b"acronym\r\nMIDSA\r\nMIDWA\r\n"


def test_an_answer_pyoxigraph_wrote_is_gzipped_validated_and_the_same_each_time(client: TestClient) -> None:
    acronyms = RCP + "SELECT ?acronym ?p ?o WHERE { ?p rcp:acronym ?acronym ; rcp:order ?o } ORDER BY ?o"
    headers = {"Accept": "application/sparql-results+json", "Accept-Encoding": "gzip"}
    first, second = (client.get("/sparql", params={"query": acronyms}, headers=headers) for _ in range(2))
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["vary"] == "Accept, Accept-Encoding"
    assert (second.headers["etag"], second.content) == (first.headers["etag"], first.content)
    assert first.content.startswith(b'{"head":{"vars":["acronym","p","o"]},"results":{"bindings":[{"acronym":{"type"')
    assert len(json.loads(first.content)["results"]["bindings"]) == 7
    validated = {**headers, "If-None-Match": first.headers["etag"]}
    again = client.get("/sparql", params={"query": acronyms}, headers=validated)
    assert (again.status_code, again.content) == (304, b"")


def test_rcp_integers_are_xsd_integer_in_every_answer(client: TestClient) -> None:
    """The README's note: rcp:order is an xsd:integer in the release, at /id and from pyoxigraph alike."""
    order = f"{MIDSA} rcp:order ?o"
    datatype = get(client, RCP + f"SELECT (DATATYPE(?o) AS ?d) WHERE {{ {order} }}", "text/csv")
    assert datatype.text == "d\r\nhttp://www.w3.org/2001/XMLSchema#integer\r\n"
    construct = get(client, RCP + f"CONSTRUCT WHERE {{ {order} }}", "application/n-triples")
    typed = '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert construct.text.strip().endswith(typed)
    released = [line for line in client.get("/id/process/midsa.nt").text.splitlines() if line.startswith(MIDSA + " <")]
    assert f"{MIDSA} <https://w3id.org/rcpgraph/ontology#order> {typed}" in released


def test_an_unknown_function_has_no_value(client: TestClient) -> None:
    response = get(client, "SELECT ?x WHERE { BIND(<urn:fn>(1) AS ?x) }", "text/csv")
    assert (response.status_code, response.text) == (200, 'x\r\n""\r\n')  # one empty field, quoted


def test_a_slug_parameter_resolves_only_within_its_kind(client: TestClient) -> None:
    text = "SELECT ?s WHERE { ?s ?p ?_process_iri }"
    wrong = get(client, text, "text/csv", process="remittances")
    assert (wrong.status_code, wrong.text) == (
        400,
        'parameter process: no process is named "remittances" (theme/remittances is a theme)\n',
    )
    near = get(client, text, "text/csv", process="colombo")
    assert (near.status_code, near.text) == (
        400,
        'parameter process: no process is named "colombo" (did you mean colombo-process?)\n',
    )


def test_parameters_are_bound_as_the_command_line_binds_them(client: TestClient) -> None:
    acronym = RCP + "SELECT ?p WHERE { ?p rcp:acronym ?_acronym }"
    assert (
        get(client, acronym, "text/csv", acronym="MIDSA").text == "p\r\nhttps://w3id.org/rcpgraph/id/process/midsa\r\n"
    )
    unbound = get(client, acronym, "text/csv")
    assert (unbound.status_code, unbound.text) == (
        400,
        "missing required parameter acronym (literal) for query <sparql>\n",
    )
    extra = get(client, acronym, "text/csv", acronym="MIDSA", process="midsa")
    assert (extra.status_code, extra.text) == (
        400,
        "unknown parameter process for query <sparql> (parameters: acronym)\n",
    )
    # a query with no parameter ignores the ones it does not know, as the Protocol allows
    assert get(client, ACRONYMS, "text/csv", callback="x").status_code == 200


def test_a_header_is_read_even_without_parameter_variables(client: TestClient) -> None:
    header = "#+ defaults:\n#+   acronym: MIDSA\n" + ACRONYMS
    refused = get(client, header, "text/csv")
    assert (refused.status_code, refused.text) == (400, "default for unknown parameter acronym (line 1)\n")
