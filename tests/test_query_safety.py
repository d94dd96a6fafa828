"""Safe by default: no update, no SERVICE, no FROM, nothing fetched, a time limit that stops the query, a row cap."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from live import Canary

from rcpgraph.cli import main, parser
from rcpgraph.errors import InputError
from rcpgraph.sparql import safety
from rcpgraph.sparql.lexer import keywords, marks, marks_and_words
from rcpgraph.sparql.store import open_store

MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
FILES = [MINI / "rcpgraph.ttl", MINI / "rcpgraph-inferred.ttl"]
ENGINES = ("oxigraph", "rdflib")
RCP = "https://w3id.org/rcpgraph/ontology#"
SERVICE = "SERVICE is not allowed: queries run over the release only"
FROM = "{} <{}> is not allowed: queries run over the release only, which is their default graph"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def refusal(sparql: str) -> str:
    """The message (with line and column, when known) that `safety.check` refuses `sparql` with.

    `safety.screen`, pyoxigraph's way in, refuses it with the same message, and so do both engines.
    """
    with pytest.raises(InputError) as caught:
        safety.check(sparql, "q.rq")
    with pytest.raises(InputError) as screened:
        safety.screen(sparql, "q.rq")
    assert str(screened.value) == str(caught.value)
    assert engine_errors(sparql) == [str(caught.value)] * len(ENGINES)
    return str(caught.value)


def engine_errors(sparql: str) -> list[str]:
    """The message each engine refuses `sparql` with."""
    messages = []
    for engine in ENGINES:
        with pytest.raises(InputError) as caught:
            open_store([MINI / "rcpgraph.ttl"], engine).query(sparql, source="q.rq")
        messages.append(str(caught.value))
    return messages


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`rcpgraph query ARGV` over the miniature release: exit code, stdout, stderr."""
    code = main(["query", *argv, "--release", str(MINI)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o BIND(EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } AS ?b) }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "ASK { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } })",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o { SERVICE <http://example.org/sparql> { ?s ?p ?o } } UNION { } }",
    ],
)
def test_service_is_refused_anywhere_in_the_algebra(sparql: str) -> None:
    column = sparql.index("SERVICE") + 1
    assert refusal(sparql) == f"q.rq:1:{column}: {SERVICE}"


def test_codepoint_escapes_are_read_before_the_rules() -> None:
    assert refusal("SELECT * WHERE { SERVIC\\u0045 <http://example.org/s> { ?s ?p ?o } }") == f"q.rq:1:18: {SERVICE}"
    assert refusal("INS\\u0045RT DATA { <http://example.org/a> <http://example.org/b> 1 }") == (
        "q.rq:1:1: updates are not allowed (INSERT): the release is read-only"
    )
    checked = safety.check('ASK { ?s ?p "caf\\u00E9" }')
    assert checked.text == 'ASK { ?s ?p "café" }'
    assert refusal('ASK { ?s ?p "\\U00110000" }') == "q.rq:1:14: SPARQL syntax error: \\U00110000 is not a character"
    assert refusal('ASK { ?s ?p "\\uD800" }') == "q.rq:1:14: SPARQL syntax error: \\uD800 is not a character"


def test_a_word_containing_service_is_refused_even_where_rdflib_sees_a_comment() -> None:
    sparql = "SELECT * WHERE { ?s ?p ?o # a comment ends at a carriage return\r SERVICE <http://example.org/s> { } \n}"
    assert refusal(sparql) == f"q.rq:1:66: {SERVICE}"


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/sparql> { } FROM <http://example.org/g> INSERT" }',
        "SELECT * WHERE { ?s ?p <http://example.org/SERVICE/FROM/DELETE> }",
        "SELECT * WHERE {\n  # SERVICE <http://example.org/sparql> { ?s ?p ?o }\n  ?s ?p ?o }",
        "PREFIX service: <http://example.org/>\nSELECT ?service ?from WHERE { ?service service:from ?from }",
        "ASK { ?s ?p '''SERVICE\nFROM NAMED <x:y>''' }",
    ],
)
def test_keywords_in_strings_iris_comments_and_names_are_fine(sparql: str) -> None:
    assert safety.check(sparql).query.algebra.name in ("SelectQuery", "AskQuery")


def test_the_fast_scan_reads_the_marks_and_words_the_lexer_reads() -> None:
    text = 'SELECT * WHERE { ?s ex:from "INSERT" ; <x:DROP> ?o } # LOAD\n w\u0131th 1FROM _x s\u017felect'
    scanned, words = marks_and_words(text)
    assert (scanned, words) == (["{", ";", "}"], ["SELECT", "WHERE", "WITH", "FROM", "_X", "SSELECT"])
    assert (scanned, words) == (marks(text), [word for word, _ in keywords(text)])


def test_a_query_without_a_suspect_word_passes_the_screen_without_rdflib() -> None:
    script = (
        "import sys; from rcpgraph.sparql import safety\n"
        "text = safety.screen('PREFIX s: <http://e.org/> SELECT ?from WHERE { ?from s:p \"caf\\\\u00E9\" }')\n"
        "print(text); print(sorted(name for name in sys.modules if name.startswith(('rdflib', 'pyparsing'))))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == 'PREFIX s: <http://e.org/> SELECT ?from WHERE { ?from s:p "café" }\n[]\n'


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { ?s ?p ?o } # no service here",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o }",
        'SELECT * WHERE { ?s ?p "Insert, delete, load: the Service" }',
    ],
)
def test_a_query_with_a_suspect_word_is_checked_by_rdflib_and_may_pass(sparql: str) -> None:
    assert safety.screen(sparql) == sparql


def test_from_and_from_named_are_refused() -> None:
    assert refusal("SELECT *\nFROM <http://example.org/g> WHERE { ?s ?p ?o }") == (
        "q.rq:2:1: " + FROM.format("FROM", "http://example.org/g")
    )
    assert refusal("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }") == (
        "q.rq:1:10: " + FROM.format("FROM NAMED", "http://example.org/g")
    )
    assert refusal("DESCRIBE <http://example.org/x> FROM <https://w3id.org/rcpgraph/graph>") == (
        "q.rq:1:33: " + FROM.format("FROM", "https://w3id.org/rcpgraph/graph")
    )


@pytest.mark.parametrize(
    ("sparql", "keyword"),
    [
        ('PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b "DELETE" }', "INSERT"),
        ("DELETE DATA { <http://example.org/a> <http://example.org/b> 1 }", "DELETE"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT"),
        ("WITH <http://example.org/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("CREATE GRAPH <http://example.org/g>", "CREATE"),
        ("DROP ALL", "DROP"),
        ("ADD DEFAULT TO <http://example.org/g>", "ADD"),
        ("MOVE DEFAULT TO <http://example.org/g>", "MOVE"),
        ("COPY <http://example.org/g> TO DEFAULT", "COPY"),
        ("CLEAR ALL ; LOAD <http://example.org/data.ttl>", "CLEAR"),
    ],
)
def test_updates_are_refused(sparql: str, keyword: str) -> None:
    line = sparql.count("\n", 0, sparql.index(keyword)) + 1
    column = sparql.index(keyword) - sparql.rfind("\n", 0, sparql.index(keyword))
    assert refusal(sparql) == f"q.rq:{line}:{column}: updates are not allowed ({keyword}): the release is read-only"


def syntax_error(sparql: str) -> str:
    """The message `safety.check` refuses a malformed query with, which both engines give too."""
    with pytest.raises(InputError) as caught:
        safety.check(sparql, "q.rq")
    assert engine_errors(sparql) == [str(caught.value)] * len(ENGINES)
    return str(caught.value)


def test_syntax_errors_have_a_line_and_column() -> None:
    assert (
        syntax_error("SELECT ?s\nWHERE { ?s ?p }") == "q.rq:2:9: SPARQL syntax error: Expected SelectQuery, found '?'"
    )
    assert syntax_error("SELECT * WHERE { ?s ?p ?o } LIMIT x") == (
        "q.rq:1:29: SPARQL syntax error: Expected end of text, found 'LIMIT'"
    )
    assert syntax_error("") == (
        "q.rq:1:1: SPARQL syntax error: Expected {SelectQuery | ConstructQuery | DescribeQuery | AskQuery}"
    )
    assert (
        syntax_error("SELECT * WHERE {\n  ?s a rcp:Process }") == "q.rq:2:8: SPARQL syntax error: unknown prefix rcp:"
    )


def test_a_query_only_rdflib_parses_gets_pyoxigraphs_message_on_pyoxigraph() -> None:
    sparql = "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s"
    assert safety.check(sparql).text == sparql
    with pytest.raises(InputError) as caught:
        open_store([MINI / "rcpgraph.ttl"], "oxigraph").query(sparql, source="q.rq")
    message = str(caught.value)
    assert message.startswith("q.rq:1:40: SPARQL syntax error: expected one of ")
    assert "SELECT * is not authorized with GROUP BY" in message


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A listener on 127.0.0.1 that no query may reach."""
    listener = Canary()
    yield listener
    listener.close()


def test_the_canary_notices_a_connection(canary: Canary) -> None:
    socket.create_connection(("127.0.0.1", canary.port)).close()
    assert canary.close() == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_reaches_the_network(capsys: pytest.CaptureFixture[str], canary: Canary, engine: str) -> None:
    base = f"http://127.0.0.1:{canary.port}"
    cases = [
        (
            f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
            f"<sparql>:1:27: {SERVICE}",
        ),
        (
            f"SELECT * FROM <{base}/graph> WHERE {{ ?s ?p ?o }}",
            "<sparql>:1:10: " + FROM.format("FROM", f"{base}/graph"),
        ),
        (
            f"SELECT * FROM NAMED <{base}/graph> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            "<sparql>:1:10: " + FROM.format("FROM NAMED", f"{base}/graph"),
        ),
    ]
    for sparql, message in cases:
        assert run(capsys, "--sparql", sparql, "--engine", engine) == (2, "", f"rcpgraph query: {message}\n")
    assert canary.close() == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engines_read_what_the_rules_read(capsys: pytest.CaptureFixture[str], canary: Canary, engine: str) -> None:
    service = f"SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }}"
    # Escapes expanded first, SPARQL reads a long string """ ... """ here, with no SERVICE in the query.
    hidden = f'SELECT ?y WHERE {{ BIND("\\u0022" AS ?x) {service} BIND("\\u0022" AS ?y) }}'
    expected = f"y\r\n AS ?x) {service} BIND(\r\n"
    assert run(capsys, "--sparql", hidden, "--format", "csv", "--engine", engine) == (0, expected, "")
    # rdflib reads a comment up to the line feed, pyoxigraph up to the carriage return.
    after_comment = f"SELECT * WHERE {{ BIND(1 AS ?x) # a comment\r {service} \n}}"
    assert run(capsys, "--sparql", after_comment, "--engine", engine) == (
        2,
        "",
        f"rcpgraph query: <sparql>:1:45: {SERVICE}\n",
    )
    # An IRI escape that rdflib's parser refuses, behind which pyoxigraph would read a SERVICE.
    in_an_iri = f"SELECT * WHERE {{ ?s ?p <http://example.org/\\u005Cu0041#> {service} }}"
    code, out, err = run(capsys, "--sparql", in_an_iri, "--engine", engine)
    assert (code, out, err.startswith("rcpgraph query: <sparql>:1:")) == (2, "", True)
    assert canary.close() == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_past_the_check_neither_engine_fetches_a_from_graph(
    monkeypatch: pytest.MonkeyPatch, canary: Canary, engine: str
) -> None:
    from rdflib.plugins.sparql import prepareQuery

    monkeypatch.setattr(safety, "check", lambda sparql, source=None: safety.Checked(sparql, prepareQuery(sparql)))
    store = open_store(FILES, engine)
    base = f"http://127.0.0.1:{canary.port}"
    store.query(f"SELECT * FROM <{base}/graph> FROM NAMED <{base}/named> WHERE {{ ?s ?p ?o }}")
    assert canary.close() == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_the_timeout_stops_a_long_query(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "--sparql", CROSS_JOIN, "--engine", engine, "--timeout", "1")
    assert (code, out, err) == (2, "", "rcpgraph query: query timed out after 1 s\n")


def test_the_default_limits() -> None:
    args = parser().parse_args(["query", "groups"])
    assert (args.timeout, args.max_rows, args.memory_limit) == (30.0, 10000, 2048)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--timeout", "0", "argument --timeout: expected a number of seconds above 0, got '0'"),
        ("--timeout", "inf", "argument --timeout: expected a number of seconds above 0, got 'inf'"),
        ("--timeout", "soon", "argument --timeout: expected a number of seconds above 0, got 'soon'"),
        ("--max-rows", "0", "argument --max-rows: expected a whole number above 0, got '0'"),
        ("--max-rows", "2.5", "argument --max-rows: expected a whole number above 0, got '2.5'"),
    ],
)
def test_bad_limits_are_usage_errors(capsys: pytest.CaptureFixture[str], option: str, value: str, message: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["query", "groups", option, value])
    assert caught.value.code == 2
    assert capsys.readouterr().err == f"rcpgraph query: error: {message}\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_row_cap_is_reported(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "groups", "--format", "csv", "--max-rows", "2", "--engine", engine)
    assert (code, err) == (0, "rcpgraph query: result truncated to 2 of 5 rows\n")
    assert [line.split(",")[2] for line in out.splitlines()] == [
        "process",
        "https://w3id.org/rcpgraph/id/process/midsa",
        "https://w3id.org/rcpgraph/id/process/midwa",
    ]
    code, out, err = run(capsys, "groups", "--format", "json", "--max-rows", "2", "--engine", engine)
    assert (code, err) == (0, "rcpgraph query: result truncated to 2 of 5 rows\n")
    document = json.loads(out)
    assert set(document) == {"head", "results"}
    assert set(document["results"]) == {"bindings"}
    assert len(document["results"]["bindings"]) == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_result_that_fits_is_not_reported(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "groups", "--format", "csv", "--max-rows", "5", "--engine", engine)
    assert (code, err, len(out.splitlines())) == (0, "", 6)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cap_beyond_any_answer_is_no_cap(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "groups", "--format", "csv", "--max-rows", "9" * 20, "--engine", engine)
    assert (code, err, len(out.splitlines())) == (0, "", 6)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_row_cap_counts_distinct_triples(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    sparql = f"CONSTRUCT {{ ?p <{RCP}acronym> ?a }} WHERE {{ ?p <{RCP}acronym> ?a ; ?x ?y }}"
    code, out, err = run(capsys, "--sparql", sparql, "--format", "ntriples", "--max-rows", "1", "--engine", engine)
    assert (code, err) == (0, "rcpgraph query: result truncated to 1 of 5 triples\n")
    assert len(out.splitlines()) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_text_that_is_not_utf8_is_refused_at_its_place(engine: str) -> None:
    store = open_store([MINI / "rcpgraph.ttl"], engine)
    escaped = b'ASK {\n  ?s ?p "caf\xe9" }'.decode("utf-8", "surrogateescape")
    for sparql, message in [
        (escaped, "q.rq:2:13: the query is not UTF-8 text: byte 0xe9"),
        ('ASK { ?s ?p "\ud800" }', "q.rq: the query is not UTF-8 text: it holds a lone surrogate"),
    ]:
        with pytest.raises(InputError) as caught:
            store.query(sparql, source="q.rq")
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("sparql", "keyword", "line", "column"),
    [
        ("SELECT ?this WHERE { SERVICE <http://example.org/sparql> { ?this ?p ?o } }", "SERVICE", 1, 22),
        ("SELECT ?this WHERE {\n  ?this ?p ?o .service<http://example.org/s>{} }", "SERVICE", 2, 16),
        ("SELECT ?this WHERE { \\u0053ERVICE <http://example.org/s> { ?this ?p ?o } }", "SERVICE", 1, 22),
        ("SELECT ?this # a comment\r SERVICE <http://example.org/s> { ?this ?p ?o }", "SERVICE", 1, 27),
        ("SELECT ?this FROM <http://example.org/g> WHERE { ?this ?p ?o }", "FROM", 1, 14),
        ("LOAD <http://example.org/g>", "LOAD", 1, 1),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ; INSERT DATA { }", "INSERT", 1, 45),
    ],
)
def test_shapes_sparql_that_could_fetch_is_refused(sparql: str, keyword: str, line: int, column: int) -> None:
    with pytest.raises(InputError) as caught:
        safety.refuse_reaching(sparql)
    message = f"{keyword} is not allowed: validation reads the data graph only and fetches nothing"
    assert (caught.value.message, caught.value.line, caught.value.column) == (message, line, column)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?this ?service WHERE { ?this ex:service ?service }",
        'SELECT ?this WHERE { ?this ?p "SERVICE <http://example.org/s> { }" }',
        "SELECT ?this WHERE { ?this ?p <http://example.org/SERVICE> } # SERVICE <http://example.org/s> { }",
        "ASK { $this ex:from ?from }",
    ],
)
def test_shapes_sparql_with_the_words_elsewhere_passes(sparql: str) -> None:
    safety.refuse_reaching(sparql)
