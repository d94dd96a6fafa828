"""HTTP behaviour every route shares, in process: CORS, HEAD, validators and caching, and what errors say."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from rcpgraph import paths
from rcpgraph.serve.app import create_app
from rcpgraph.serve.http import HttpError, url_parameters
from rcpgraph.serve.middleware import caching, compression
from rcpgraph.serve.routes import ids, pages, sparql, stored
from rcpgraph.serve.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = {"Origin": "https://yasgui.example"}
ASK = "ASK { ?s ?p ?o }"
CORS = {"access-control-allow-origin": "*", "access-control-expose-headers": "ETag, Rcpgraph-Truncated"}
IDENTITY = {"Accept-Encoding": "identity"}
CODINGS = ("identity", "gzip")
GETS = [
    "/",
    "/sparql",
    f"/sparql?query={ASK}",
    "/query",
    "/query?name=cell",
    "/api/queries",
    "/api/queries/groups",
    "/openapi.json",
    "/id/process/midsa",
    "/id/process/midsa.nt",
    "/ontology",
    "/ontology.ttl",
    "/.well-known/void",
    "/download/rcpgraph.ttl",
    "/download/rcpgraph.jsonld",
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    layout = paths.Layout(ROOT, is_checkout=True)
    return TestClient(create_app(Settings(release=layout.release_dir, timeout=10, max_rows=2), layout))


@pytest.mark.parametrize("path", GETS)
def test_every_answer_may_be_read_from_any_origin(client: TestClient, path: str) -> None:
    response = client.get(path, headers=ORIGIN)
    assert response.status_code == 200
    assert {name: response.headers[name] for name in CORS} == CORS
    assert "origin" not in response.headers.get("vary", "").lower()


def test_a_cross_origin_post_and_an_error_may_be_read_too(client: TestClient) -> None:
    posted = client.post("/sparql", content=ASK, headers={**ORIGIN, "Content-Type": "application/sparql-query"})
    assert posted.status_code == 200 and posted.headers["access-control-allow-origin"] == "*"
    cut = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=ORIGIN)
    assert cut.headers["rcpgraph-truncated"].startswith("result truncated to 2 of ")
    assert cut.headers["access-control-expose-headers"] == "ETag, Rcpgraph-Truncated"
    missing = client.get("/id/process/nope", headers=ORIGIN)
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/sparql", "/api/queries", "/api/queries/cell", "/id/process/midsa"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_preflight_is_answered(client: TestClient, path: str, method: str) -> None:
    headers = {**ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type"}
    response = client.options(path, headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers.multi_items() == [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET, HEAD, POST"),
        ("access-control-allow-headers", "Accept, Content-Type"),
        ("access-control-max-age", "86400"),
    ]


def test_options_without_a_preflight_is_not_allowed(client: TestClient) -> None:
    response = client.options("/sparql")
    assert (response.status_code, response.text) == (405, "method OPTIONS is not allowed here\n")
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_every_get_route_answers_head() -> None:
    routes = [route for module in (pages, sparql, stored, ids) for route in module.router.routes]
    assert all(isinstance(route, Route) for route in routes)  # FastAPI's APIRoute is one; /sparql is a plain one
    assert [route.path for route in routes if "GET" in route.methods and "HEAD" not in route.methods] == []


@pytest.mark.parametrize("path", [*GETS, "/static/style.css", "/id/process/nope", "/api/queries/cels"])
def test_head_gives_the_headers_of_get_without_the_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code
    assert head.headers.multi_items() == got.headers.multi_items()
    assert head.content == b""


@pytest.mark.parametrize("path", GETS)
def test_answers_carry_a_strong_etag_and_cache_control(client: TestClient, path: str) -> None:
    response = client.get(path, headers=IDENTITY)
    assert response.headers["etag"] == caching.etag(response.content)
    assert response.headers["etag"].startswith('"') and len(response.headers["etag"]) == 34
    assert response.headers["cache-control"] == "public, max-age=300"


def test_each_representation_has_its_own_etag(client: TestClient) -> None:
    tags = {
        client.get("/id/process/midsa", headers={"Accept": accept}).headers["etag"]
        for accept in ("text/turtle", "text/html", "application/ld+json", "application/n-triples")
    }
    assert len(tags) == 4
    assert client.get("/id/process/midsa.ttl").headers["etag"] == client.get("/id/process/midsa").headers["etag"]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("if_none_match", ['"{tag}"', 'W/"{tag}"', '"other", "{tag}"', "*"])
def test_if_none_match_gets_304(client: TestClient, method: str, if_none_match: str) -> None:
    fresh = client.get("/id/process/midsa", headers={"Accept": "text/turtle"})
    tag = fresh.headers["etag"].strip('"')
    headers = {"Accept": "text/turtle", "If-None-Match": if_none_match.format(tag=tag), **ORIGIN}
    response = client.request(method, "/id/process/midsa", headers=headers)
    assert (response.status_code, response.content) == (304, b"")
    assert response.headers.multi_items() == [
        ("vary", "Accept, Accept-Encoding"),
        ("etag", fresh.headers["etag"]),
        ("cache-control", "public, max-age=300"),
        *CORS.items(),
    ]


def test_another_tag_gets_the_answer(client: TestClient) -> None:
    response = client.get("/ontology.ttl", headers={"If-None-Match": '"0123", W/"4567"'})
    assert response.status_code == 200 and response.content


def test_errors_redirects_posts_and_static_files_get_no_validators_of_ours(client: TestClient) -> None:
    answers = [
        client.get("/id/process/nope"),
        client.get("/.well-known/void", headers={"Accept": "text/html"}, follow_redirects=False),
        client.post("/sparql", data={"query": ASK}),
    ]
    assert [response.status_code for response in answers] == [404, 303, 200]
    assert all("etag" not in r.headers and "cache-control" not in r.headers for r in answers)
    assert client.get("/static/style.css").headers.get("cache-control") is None


@pytest.mark.parametrize(
    ("accept", "content_type"), [("text/html", "text/html; charset=utf-8"), (None, "text/plain; charset=utf-8")]
)
def test_a_405_names_the_allowed_methods_in_every_representation(
    client: TestClient, accept: str | None, content_type: str
) -> None:
    response = client.put("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 405
    assert (response.headers["allow"], response.headers["vary"]) == ("GET, HEAD, POST", "Accept")
    assert response.headers["content-type"] == content_type
    assert "method PUT is not allowed here" in response.text
    assert client.delete("/id/process/midsa", headers={"Accept": accept or ""}).headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("accept", ["text/html", "text/plain", None])
@pytest.mark.parametrize(("path", "status"), [("/id/process/nope", 404), ("/id/process/midsa?format=csv", 406)])
def test_negotiated_errors_vary_by_accept(client: TestClient, accept: str | None, path: str, status: int) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert (response.status_code, response.headers["vary"]) == (status, "Accept")


@pytest.mark.parametrize("path", ["/api/queries/", "/sparql/", "/query/", "/static"])
def test_no_redirect_is_made_from_the_host_header(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "attacker.example"}, follow_redirects=False)
    assert (response.status_code, response.text) == (404, f"no page {path}\n")


@pytest.mark.parametrize("path", ["/download/rcpgraph.ttl", "/download/rcpgraph.nt", "/id/process/midsa", "/"])
def test_large_answers_are_gzipped_deterministically_with_an_etag_per_encoding(client: TestClient, path: str) -> None:
    plain = client.get(path, headers=IDENTITY)
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert (plain.headers.get("content-encoding"), zipped.headers["content-encoding"]) == (None, "gzip")
    vary = "Accept-Encoding" if path.startswith("/download/") else "Accept, Accept-Encoding"
    assert plain.headers["vary"] == zipped.headers["vary"] == vary
    assert zipped.content == plain.content  # httpx decodes: the same bytes once unzipped
    sent = gzip.compress(plain.content, compresslevel=compression.LEVEL, mtime=0)
    assert (zipped.headers["content-length"], zipped.headers["etag"]) == (str(len(sent)), caching.etag(sent))
    assert plain.headers["etag"] != zipped.headers["etag"]


def test_if_none_match_gets_304_for_the_encoding_it_names_only(client: TestClient) -> None:
    tags = {
        coding: client.get("/ontology.ttl", headers={"Accept-Encoding": coding}).headers["etag"] for coding in CODINGS
    }
    for held, asked in itertools.product(CODINGS, CODINGS):
        response = client.get("/ontology.ttl", headers={"Accept-Encoding": asked, "If-None-Match": tags[held]})
        assert response.status_code == (304 if held == asked else 200)
        assert "content-encoding" not in response.headers or response.status_code == 200


def test_small_answers_posts_and_errors(client: TestClient) -> None:
    small = client.get("/sparql", params={"query": ASK}, headers={"Accept": "text/csv"})
    assert (small.content, small.headers["vary"], small.headers.get("content-encoding")) == (
        b"_askResult\r\ntrue\r\n",
        "Accept",
        None,
    )
    long = 'SELECT ?x WHERE { BIND("' + "a" * 2000 + '" AS ?x) }'
    posted = client.post("/sparql", data={"query": long}, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    assert (posted.status_code, posted.headers["content-encoding"], posted.text) == (
        200,
        "gzip",
        "x\r\n" + "a" * 2000 + "\r\n",
    )
    missing = client.get("/id/" + "x" * 2000, headers={"Accept-Encoding": "gzip"})
    assert (missing.status_code, missing.headers.get("content-encoding")) == (404, None)


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        (None, False),
        ("", False),
        ("identity", False),
        ("gzip", True),
        ("GZIP;Q=1", True),
        ("x-gzip", True),
        ("br, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip;q=abc", False),
        ("gzip;q=2", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip, *;q=0", True),
        ("gzip;q=0, *", False),
    ],
)
def test_accept_encoding(header: str | None, gzip_ok: bool) -> None:
    assert compression.accepts_gzip(header) is gzip_ok


def test_compressed_bodies_are_kept_within_their_bound() -> None:
    bodies = [bytes([letter]) * 4000 for letter in b"abc"]
    one = len(gzip.compress(bodies[0], compresslevel=compression.LEVEL, mtime=0))
    kept = compression.Compressed(limit=2 * one)

    async def run() -> list[bytes]:
        return [await kept.gzip(body) for body in (*bodies, bodies[2], bodies[0])]

    zipped = anyio.run(run)
    assert [gzip.decompress(made) for made in zipped] == [*bodies, bodies[2], bodies[0]]
    assert zipped[4] == zipped[0] and len(kept) == 2  # "a" made again, the same bytes; "b" has gone
    assert anyio.run(kept.gzip, b"x" * 100_000) == gzip.compress(b"x" * 100_000, compresslevel=6, mtime=0)


# Pieces of URL-encoded text: escapes valid and not, an escape of a UTF-8 lead byte and of its continuation, raw bytes
PIECES = [
    b"%",
    b"+",
    b"=",
    b"&",
    b";",
    b"a",
    b"F",
    b"0",
    b"%2",
    b"%C3",
    b"%A9",
    b"%e9",
    b"%25",
    b"%zz",
    b"\xc3",
    b"\xa9",
]


@given(st.lists(st.sampled_from(PIECES)))
@settings(max_examples=1000, deadline=None)
def test_url_parameters_are_those_of_parse_qs(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    try:
        expected: object = parse_qs(data.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        expected = (400, "the form is not UTF-8")
    try:
        found: object = url_parameters(data, "the form")
    except HttpError as error:
        found = (error.status, error.message)
    assert found == expected


def test_url_parameters_decode_escapes_pluses_and_leave_a_lone_percent() -> None:
    data = b"query=SELECT+%3Fs%0A%7B%7D+100%25+%zz&format=json&flag&=x&query=%C3%A9"
    assert url_parameters(data, "the query string") == {
        "query": ["SELECT ?s\n{} 100% %zz", "é"],
        "format": ["json"],
        "flag": [""],
        "": ["x"],
    }
