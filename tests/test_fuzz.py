"""Fuzzing (hypothesis): random and mutated SPARQL, Turtle, JSON-LD, curation YAML and HTTP requests get an
answer or a clear refusal, never a traceback, an exit code other than 0, 1 or 2, a 5xx or a change to the release.

The settings are fixed (derandomized, no example database), so every run, local or CI, tries the same examples;
`max_examples` keeps the module to about half a minute on 2 cores. The deadline, ten times the query time limit
these tests set, fails only a runaway example, not a slow machine. A query stopped at that limit is a clear
refusal (exit 2, HTTP 503 "query timed out"), not a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rcpgraph
from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import RcpgraphError
from rcpgraph.pipeline import graph
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 3
FUZZ = settings(
    max_examples=15,
    deadline=timedelta(seconds=10 * TIMEOUT),
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

PUNCTUATION = "{}()[]<>?$.;,:\"'#\\^*+/|!=&-_@ \n\t"
_WORDS = (
    "SELECT * WHERE { ?s ?p ?o } ASK CONSTRUCT DESCRIBE FILTER OPTIONAL UNION MINUS GRAPH SERVICE BIND VALUES "
    "FROM NAMED INSERT DATA DELETE LOAD CLEAR GROUP BY HAVING ORDER LIMIT OFFSET COUNT REGEX STR LANG "
    "EXISTS NOT IN a rdf:type rcp:acronym <urn:fn> <https://w3id.org/rcpgraph/id/process/midsa> "
    '"text"@en 1 2.5 1e9 true ?_process_iri'
)
SPARQL_WORDS = tuple(_WORDS.split(" "))
TURTLE_SEEDS = (
    '@prefix ex: <http://example.org/> .\nex:a ex:b "c"@en , "d"^^ex:t ; ex:e ( 1 2.5 -3e4 ) , [ ex:f true ] .\n',
    '@base <http://example.org/> .\n<a> <b> """long\nliteral""" .\n_:x <c> <d#e> .\n',
    "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\n"
    "<https://w3id.org/rcpgraph/id/process/midsa> a rcp:RegionalConsultativeProcess ; rcp:acronym 'MIDSA' .\n",
)
JSONLD_SEEDS = (
    '{"@context": {"@vocab": "http://example.org/"}, "@id": "http://example.org/a", "b": [1, "c", {"@id": "d"}]}',
    '{"@context": {"ex": "http://example.org/"}, "@graph": [{"@id": "ex:a", "ex:b": {"@value": "c", "@language": '
    '"en"}}]}',
    '[{"@id": "http://example.org/a", "http://example.org/b": [{"@list": [1, 2]}]}]',
)
HTTP_PATHS = (
    "/",
    "/sparql",
    "/query",
    "/api/queries",
    "/api/queries/cell",
    "/api/queries/search-text",
    "/id/process/midsa",
    "/id/process/midsa.ttl",
    "/id/theme/remittances",
    "/ontology",
    "/ontology/0.1.0",
    "/openapi.json",
    "/.well-known/void",
    "/download/rcpgraph.ttl",
    "/static/style.css",
)
HTTP_PARAMETERS = ("query", "format", "output", "default-graph-uri", "named-graph-uri", "process", "dimension", "q")
MEDIA_TYPES = (
    "*/*",
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/sparql-results+json",
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "text/*;q=0.1",
    "application/*",
    "",
)


def _edit(text: str, edits: list[tuple[int, int, int, str]]) -> str:
    """`text` with each edit applied: (0) delete, (1) insert, (2) duplicate or (3) replace a slice."""
    for operation, position, length, insert in edits:
        start = position % (len(text) + 1)
        end = min(len(text), start + length)
        if operation == 0:
            text = text[:start] + text[end:]
        elif operation == 1:
            text = text[:start] + insert + text[start:]
        elif operation == 2:
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + insert + text[end:]
    return text


def mutated(seeds: tuple[str, ...], alphabet: str) -> st.SearchStrategy[str]:
    """A seed with one to four random edits."""
    edit = st.tuples(st.integers(0, 3), st.integers(0, 1 << 16), st.integers(0, 40), st.text(alphabet, max_size=12))
    return st.builds(_edit, st.sampled_from(seeds), st.lists(edit, min_size=1, max_size=4))


def _stored_queries() -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8") for path in sorted((ROOT / "queries").glob("*.rq")))


ALPHABET = PUNCTUATION + "abcdefxyzSELECTWHERE019é\x00\u2028"
SPARQL = st.one_of(
    mutated(_stored_queries(), ALPHABET),
    st.lists(st.sampled_from(SPARQL_WORDS + tuple(PUNCTUATION)), max_size=40).map(" ".join),
    st.text(ALPHABET, max_size=200),
)


def _run(args: list[str]) -> tuple[int, str]:
    """Run the CLI in this process: its exit code (argparse's too) and standard error."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(args)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, err.getvalue()


def _digest(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module", autouse=True)
def _release_unchanged():
    """Nothing the fuzzer sends changes the committed release."""
    before = _digest(ROOT / "data" / "release")
    yield
    assert _digest(ROOT / "data" / "release") == before


@pytest.fixture(scope="module")
def kg() -> rcpgraph.KnowledgeGraph:
    return rcpgraph.open(ROOT / "data" / "release", timeout=TIMEOUT, max_rows=50)


@pytest.fixture(scope="module")
def client() -> TestClient:
    layout = paths.Layout(ROOT, is_checkout=True)
    return TestClient(create_app(Settings(release=layout.release_dir, timeout=TIMEOUT, max_rows=50), layout))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's data, ontology and queries, whose curation files the YAML fuzzer edits."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "ontology", "data", "queries"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name)
        else:
            shutil.copy2(source, tree / name)
    return tree


@FUZZ
@given(text=SPARQL)
def test_sparql_through_the_api_answers_or_refuses(kg: rcpgraph.KnowledgeGraph, text: str) -> None:
    with contextlib.suppress(RcpgraphError):
        kg.sparql(text)


def test_a_nul_in_a_query_header_is_refused_at_its_line_and_column(kg: rcpgraph.KnowledgeGraph) -> None:
    """Found by this module: PyYAML's ReaderError, raised for a control character, escaped as a traceback."""
    text = "#+ summary: a\x00b\nSELECT * WHERE { ?s ?p ?o }\n"
    with pytest.raises(RcpgraphError) as caught:
        kg.sparql(text)
    assert (
        str(caught.value) == "<sparql>:1:14: invalid YAML in the #+ header: the character #x0000 is not allowed in YAML"
    )
    assert _run(["query", f"--sparql={text}"]) == (
        2,
        "rcpgraph query: <sparql>:1:14: invalid YAML in the #+ header: the character #x0000 is not allowed in YAML\n",
    )


@FUZZ
@given(text=SPARQL)
def test_sparql_through_the_cli_exits_0_1_or_2(text: str) -> None:
    code, err = _run(["query", f"--sparql={text}", "--timeout", str(TIMEOUT), "--max-rows", "50"])
    assert code in (0, 1, 2), err
    assert "Traceback" not in err


@FUZZ
@given(text=mutated(TURTLE_SEEDS, PUNCTUATION + "abc019_:é\x00"))
def test_turtle_through_validate_exits_0_1_or_2(scratch: Path, text: str) -> None:
    path = scratch / "fuzz.ttl"
    path.write_text(text, encoding="utf-8")
    code, err = _run(["validate", str(path)])
    assert code in (0, 1, 2), err
    assert "Traceback" not in err


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.sampled_from(("@id", "@list", "x")),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(("@id", "@type", "@value", "@list", "@context", "@graph", "ex:b")), inner)
    ),
    max_leaves=12,
)


@settings(FUZZ, max_examples=10)
@given(text=mutated(JSONLD_SEEDS, PUNCTUATION + '@abc019"') | JSON_VALUES.map(json.dumps))
def test_jsonld_through_validate_exits_0_1_or_2(scratch: Path, text: str) -> None:
    path = scratch / "fuzz.jsonld"
    path.write_text(text, encoding="utf-8")
    code, err = _run(["validate", str(path)])
    assert code in (0, 1, 2), err
    assert "Traceback" not in err


CURATION = tuple(
    str(path.relative_to(ROOT)) for path in sorted((ROOT / "data" / "curation").rglob("*.yaml")) if path.is_file()
)


@settings(FUZZ, max_examples=8)
@given(
    name=st.sampled_from(CURATION),
    edits=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 1 << 16),
            st.integers(0, 60),
            st.text(PUNCTUATION + "abkey019-", max_size=12),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_curation_yaml_loads_or_is_refused(copied: Path, name: str, edits: list[tuple[int, int, int, str]]) -> None:
    path = copied / name
    original = path.read_text(encoding="utf-8")
    path.write_text(_edit(original, edits), encoding="utf-8")
    try:
        with contextlib.suppress(RcpgraphError):
            graph.load_inputs(paths.Layout(copied, is_checkout=True))
    finally:
        path.write_text(original, encoding="utf-8")


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@settings(FUZZ, max_examples=40)
@given(
    method=st.sampled_from(("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE")),
    path=st.sampled_from(HTTP_PATHS) | mutated(HTTP_PATHS, "/.%?#&=~é ab1"),
    parameters=st.dictionaries(st.sampled_from(HTTP_PARAMETERS), SPARQL | HEADER_TEXT, max_size=3),
    accept=st.sampled_from(MEDIA_TYPES) | HEADER_TEXT,
    content_type=st.sampled_from(MEDIA_TYPES) | HEADER_TEXT,
    body=st.binary(max_size=64) | SPARQL.map(lambda text: text.encode("utf-8")),
)
def test_http_requests_get_no_5xx(
    client: TestClient, method: str, path: str, parameters: dict[str, str], accept: str, content_type: str, body: bytes
) -> None:
    headers = {"Accept": accept, "Content-Type": content_type}
    content = body if method in ("POST", "PUT") else None
    response = client.request(method, path, params=parameters, headers=headers, content=content)
    timed_out = response.status_code == 503 and "timed out" in response.text
    assert response.status_code < 500 or timed_out, (response.status_code, response.text[:200])
