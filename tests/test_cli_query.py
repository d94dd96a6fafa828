"""`rcpgraph query` in-process, over the miniature release in tests/fixtures/mini-release."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rcpgraph.cli import main

MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
ID = "https://w3id.org/rcpgraph/id/"
ENGINES = ("oxigraph", "rdflib")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `rcpgraph query ARGV` over the miniature release: exit code, stdout, stderr."""
    code = main(["query", *argv, "--release", str(MINI)])
    out, err = capsys.readouterr()
    return code, out, err


PAGE = "limit (page, default 100); offset (integer, default 0)"


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert re.fullmatch(r"name +summary +parameters", lines[0])
    assert re.fullmatch(r"-+  -+  -+", lines[1])
    rows = {fields[0]: fields[1:] for fields in (re.split(r" {2,}", line) for line in lines[2:])}
    assert rows["status-by-dimension"] == [
        "Processes whose cell for a dimension has a given status (CQ3, CQ4)",
        "dimension (iri); status (iri); " + PAGE,
    ]
    assert (
        rows["by-information-basis"][1]
        == "basis (iri, default primary-sources); limit (page, default 100); offset (integer, default 0)"
    )
    assert rows["groups"] == [
        "Regional consultative processes by thematic-priority group (CQ1)",
        "limit (page, default 100); offset (integer, default 0)",
    ]
    assert rows["class-counts"] == ["How many instances each class has"]


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--list", "--format", "json")
    assert (code, err) == (0, "")
    listed = {entry["name"]: entry for entry in json.loads(out)}
    assert list(listed) == sorted(listed)
    assert listed["by-information-basis"] == {
        "name": "by-information-basis",
        "summary": "Processes whose Annex B entries rest on a given information basis (CQ2)",
        "description": (
            "The regional consultative processes whose row rests on the given basis, in the order of the table. "
            "By default primary sources (marked ** in the table) rather than IOM's questionnaire (*); "
            "give basis=iom-questionnaire for the others."
        ),
        "tags": ["processes", "competency-question"],
        "parameters": [
            {"name": "basis", "type": "iri", "required": False, "default": "primary-sources"},
            {"name": "limit", "type": "page", "required": False, "default": "100"},
            {"name": "offset", "type": "integer", "required": False, "default": "0"},
        ],
    }
    assert all(set(entry) == {"name", "summary", "description", "tags", "parameters"} for entry in listed.values())


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_in_table_order(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "groups", "--format", "csv", "--engine", engine)
    assert (code, err) == (0, "")
    assert out == (
        "group,priority,process,label,acronym\r\n"
        f"1,{ID}priority/thematic,{ID}process/midsa,Migration Dialogue for Southern Africa,MIDSA\r\n"
        f"1,{ID}priority/thematic,{ID}process/midwa,Migration Dialogue for West Africa,MIDWA\r\n"
        f"1,{ID}priority/thematic,{ID}process/colombo-process,Ministerial Consultations on Overseas Employment and "
        "Contractual Labour for Countries of Origin in Asia,\r\n"
        f'2,{ID}priority/ad-hoc,{ID}process/igc,"Intergovernmental Consultations on Migration, Asylum and '
        'Refugees",IGC\r\n'
        f'3,{ID}priority/without-development,{ID}process/apc,"Asia-Pacific Consultations on Refugees, Displaced '
        'Persons and Migrants",APC\r\n'
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_parameters_as_slugs(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(
        capsys,
        "status-by-dimension",
        "--param",
        "dimension=research",
        "--param",
        "status=no-example-provided",
        "--format",
        "tsv",
        "--engine",
        engine,
    )
    assert (code, err) == (0, "")
    assert out == (
        "?process\t?label\t?acronym\t?response\n"
        f'<{ID}process/midwa>\t"Migration Dialogue for West Africa"@en\t"MIDWA"\t<{ID}response/midwa/research>\n'
        f'<{ID}process/igc>\t"Intergovernmental Consultations on Migration, Asylum and Refugees"@en\t"IGC"\t'
        f"<{ID}response/igc/research>\n"
    )


def test_default_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status-counts")
    assert (code, err) == (0, "")
    assert out == (
        "status                            label                cells\n"
        "--------------------------------  -------------------  -----\n"
        "rcpid:status/answered             answered             8\n"
        "rcpid:status/no-example-provided  no example provided  3\n"
        "rcpid:status/blank                blank                1\n"
        "rcpid:status/fragment             fragment             1\n"
        "rcpid:status/no-response-given    no response given    1\n"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_cell_with_two_fragments(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(
        capsys,
        "cell",
        "--param",
        "process=apc",
        "--param",
        "dimension=gfmd-link",
        "--format",
        "json",
        "--engine",
        engine,
    )
    assert (code, err) == (0, "")
    rows = [{name: term["value"] for name, term in row.items()} for row in json.loads(out)["results"]["bindings"]]
    common = {
        "response": f"{ID}response/apc/gfmd-link",
        "status": f"{ID}status/answered",
        "assignment": f"{ID}assignment/inferred",
        "sourceText": "A workshop, August 2007",
        "text": "A workshop, August 2007",
        "note": "The cell runs over two lines of the source.",
    }
    assert rows == [{**common, "line": "20", "field": "8"}, {**common, "line": "21", "field": "0"}]


def test_matrix_shows_a_missing_cell(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "completeness-matrix", "--format", "csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1 + 5 * 3
    assert lines[9] == f"{ID}process/colombo-process,{ID}dimension/gfmd-link,,"


STORED_RUNS = [
    ["groups"],
    ["by-information-basis"],
    ["by-information-basis", "--param", "basis=iom-questionnaire"],
    ["status-by-dimension", "--param", "dimension=gfmd-link", "--param", "status=answered"],
    ["cell", "--param", "process=midwa", "--param", "dimension=founding-documents"],
    ["cell", "--param", "process=midsa", "--param", "dimension=gfmd-link"],
    ["status-counts"],
    ["completeness-matrix"],
]


@pytest.mark.parametrize("argv", STORED_RUNS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_both_engines_give_the_same_answer(capsys: pytest.CaptureFixture[str], argv: list[str], fmt: str) -> None:
    outputs = [run(capsys, *argv, "--format", fmt, "--engine", engine) for engine in ENGINES]
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 0


def test_a_query_file_with_construct_and_ask(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    construct = tmp_path / "acronyms.rq"
    construct.write_text(
        "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\n"
        "CONSTRUCT { ?p rcp:acronym ?a } WHERE { ?p rcp:acronym ?a ; rcp:order ?o FILTER(?o > ?__above_integer) }\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, str(construct), "--param", "above=2")
    assert (code, err) == (0, "")
    assert out == (
        "@prefix rcp: <https://w3id.org/rcpgraph/ontology#> .\n\n"
        f'<{ID}process/apc> rcp:acronym "APC" .\n\n'
        f'<{ID}process/igc> rcp:acronym "IGC" .\n\n'
    )
    code, out, err = run(capsys, str(construct), "--param", "above=1", "--format", "ntriples", "--engine", "rdflib")
    assert (code, err) == (0, "")
    assert out == (
        f'<{ID}process/apc> <https://w3id.org/rcpgraph/ontology#acronym> "APC" .\n'
        f'<{ID}process/igc> <https://w3id.org/rcpgraph/ontology#acronym> "IGC" .\n'
        f'<{ID}process/midwa> <https://w3id.org/rcpgraph/ontology#acronym> "MIDWA" .\n'
    )
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s a <https://w3id.org/rcpgraph/ontology#ConsultativeProcess> }\n", encoding="utf-8")
    assert run(capsys, str(ask)) == (0, "boolean\n-------\ntrue\n", "")


def error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one-line error of a run that must fail with exit code 2 and print nothing on stdout."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("rcpgraph query: ")
    assert err.count("\n") == 1
    assert err.endswith("\n")
    return err[len("rcpgraph query: ") : -1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["process-report", "--param", "process=research"],
            'parameter process: no process is named "research" (dimension/research is a dimension)',
        ),
        (
            ["process-report", "--param", "process=colombo"],
            'parameter process: no process is named "colombo" (did you mean colombo-process?)',
        ),
        (
            ["rows-mentioning", "--param", "organisation=research"],
            'parameter organisation: no organisation, process or place is named "research" '
            "(dimension/research is a dimension)",
        ),
        (
            ["--sparql", "SELECT * WHERE { ?s ?p ?_dimension_iri }", "--param", "dimension=reserch"],
            'parameter dimension: no dimension is named "reserch" (did you mean research?)',
        ),
    ],
)
def test_a_slug_resolves_only_within_its_kind(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert error(capsys, *argv) == message


def test_rows_mentioning_takes_a_process_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rows-mentioning", "--param", "organisation=colombo-process", "--format", "csv")
    assert (code, out, err) == (0, "process,label,dimension,words\r\n", "")


def test_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert error(capsys, "grups") == 'unknown query "grups"; did you mean groups?'
    assert (
        error(capsys, "cell", "--param", "process=sacm") == "missing required parameter dimension (iri) for query cell"
    )
    assert (
        error(capsys, "groups", "--param", "year=2006")
        == "unknown parameter year for query groups (parameters: limit, offset)"
    )
    assert error(capsys, "cell", "--param", "process") == '--param takes NAME=VALUE, not "process"'
    assert error(capsys, "cell", "--param", "process=a", "--param", "process=b") == "--param process is given twice"
    assert error(capsys, "cell", "--param", "process=nowhere", "--param", "dimension=research") == (
        'parameter process: no process is named "nowhere"'
    )
    assert error(capsys, "process-report", "--param", "process=process/midsaa") == (
        'parameter process: no individual is named "process/midsaa" (did you mean process/midsa, process/midwa?)'
    )
    assert error(capsys, "groups", "--format", "turtle") == (
        "format turtle does not fit a SELECT result (use table, csv, tsv, json, xml)"
    )
    assert error(capsys) == "give a query NAME, FILE.rq, - (standard input) or --sparql TEXT, or --list"
    assert error(capsys, "groups", "--list") == "give either a query or --list, not both"
    assert error(capsys, "--list", "--format", "csv") == "--list takes --format table or json"
    assert error(capsys, str(tmp_path / "missing.rq")) == f"{tmp_path / 'missing.rq'}: query file not found"
    (tmp_path / "folder.rq").mkdir()
    assert error(capsys, str(tmp_path / "folder.rq")) == (
        f"{tmp_path / 'folder.rq'}: cannot read query file: [Errno 21] Is a directory: '{tmp_path / 'folder.rq'}'"
    )


def test_release_not_found(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["query", "groups", "--release", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"rcpgraph query: release not found: {tmp_path / 'rcpgraph.ttl'} (run `rcpgraph build`)\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_names_file_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\nSELECT * WHERE {\n  ?s rcp:order }\n")
    message = f"{bad}:3:3: SPARQL syntax error: Expected SelectQuery, found '?'"
    assert error(capsys, str(bad), "--engine", engine) == message


@pytest.mark.parametrize("engine", ENGINES)
def test_service_and_updates_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str) -> None:
    service = tmp_path / "service.rq"
    service.write_text(
        "SELECT * WHERE {\n  # SERVICE in a comment is fine\n  service <http://example.org/sparql> { ?s ?p ?o } }\n"
    )
    assert error(capsys, str(service), "--engine", engine) == (
        f"{service}:3:3: SERVICE is not allowed: queries run over the release only"
    )
    update = tmp_path / "update.rq"
    update.write_text('PREFIX ex: <http://example.org/>\nINSERT DATA { ex:drop ex:p "DELETE" }\n')
    assert error(capsys, str(update), "--engine", engine) == (
        f"{update}:2:1: updates are not allowed (INSERT): the release is read-only"
    )


def test_bad_choices_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["query", "groups", "--engine", "virtuoso"])
    assert caught.value.code == 2
    assert "invalid choice: 'virtuoso'" in capsys.readouterr().err


ACRONYM = (
    "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?label WHERE { ?process rcp:acronym ?_acronym ; skos:prefLabel ?label }\n"
)


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Give `text` to the command on standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.parametrize("engine", ENGINES)
def test_ad_hoc_sparql(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    sparql = "SELECT DISTINCT ?a WHERE { ?p <https://w3id.org/rcpgraph/ontology#acronym> ?a } ORDER BY ?a"
    assert run(capsys, "--sparql", sparql, "--format", "csv", "--engine", engine) == (
        0,
        "a\r\nAPC\r\nGFMD\r\nIGC\r\nMIDSA\r\nMIDWA\r\n",
        "",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_ad_hoc_sparql_takes_parameters(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    assert run(capsys, "--sparql", ACRONYM, "--param", "acronym=IGC", "--format", "tsv", "--engine", engine) == (
        0,
        '?label\n"Intergovernmental Consultations on Migration, Asylum and Refugees"@en\n',
        "",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_query_on_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    stdin(monkeypatch, ACRONYM)
    assert run(capsys, "-", "--param", "acronym=APC", "--format", "csv", "--engine", engine) == (
        0,
        'label\r\n"Asia-Pacific Consultations on Refugees, Displaced Persons and Migrants"\r\n',
        "",
    )
    stdin(monkeypatch, "#+ summary: a forum?\nASK { ?s <https://w3id.org/rcpgraph/ontology#acronym> 'GFMD' }\n")
    expected = '{\n  "head": {},\n  "boolean": true\n}\n'
    assert run(capsys, "-", "--format", "json", "--engine", engine) == (0, expected, "")


@pytest.mark.parametrize("engine", ENGINES)
def test_bytes_that_are_not_utf8_name_line_and_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    text = b'SELECT * WHERE {\n  ?s ?p "caf\xe9" }\n'
    message = "2:13: the query is not UTF-8 text: byte 0xe9"
    argument = text.decode("utf-8", "surrogateescape")  # as Python hands such bytes of a command line to main
    assert error(capsys, "--sparql", argument, "--engine", engine) == f"<sparql>:{message}"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text), encoding="utf-8", errors="strict"))
    assert error(capsys, "-", "--engine", engine) == f"<stdin>:{message}"
    words = "words=caf\xe9".encode("latin-1").decode("utf-8", "surrogateescape")
    assert error(capsys, "search-text", "--param", words, "--engine", engine) == (
        "parameter words: the value is not UTF-8 text"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_malformed_sparql_names_line_and_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: str
) -> None:
    text = "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>\nSELECT ?s\nWHERE { ?s rcp:order ?o } LIMIT ten\n"
    message = "3:27: SPARQL syntax error: Expected end of text, found 'LIMIT'"
    assert error(capsys, "--sparql", text, "--engine", engine) == f"<sparql>:{message}"
    stdin(monkeypatch, text)
    assert error(capsys, "-", "--engine", engine) == f"<stdin>:{message}"
    bad = tmp_path / "bad.rq"
    bad.write_text(text, encoding="utf-8")
    assert error(capsys, str(bad), "--engine", engine) == f"{bad}:{message}"
    assert error(capsys, "--sparql", "SELECT * WHERE {\n  ?s skos:prefLabel ?o }", "--engine", engine) == (
        "<sparql>:2:6: SPARQL syntax error: unknown prefix skos:"
    )


def test_what_only_oxigraph_rejects_is_reported_with_its_place(capsys: pytest.CaptureFixture[str]) -> None:
    message = error(capsys, "--sparql", "SELECT ?s (1 AS ?s) WHERE { ?s ?p ?o }")
    assert message.startswith("<sparql>:1:39: SPARQL syntax error: ")
    assert "The SELECT overrides an existing variable using an expression" in message


def test_what_rdflib_cannot_evaluate_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert error(capsys, "--sparql", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "--engine", "rdflib") == (
        "<sparql>: rdflib cannot run this query (try the oxigraph engine): You performed a query operation "
        "requiring a dataset (i.e. ConjunctiveGraph), but operating currently on a single graph."
    )
    assert run(capsys, "--sparql", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv") == (0, "g\r\n", "")


def test_header_that_is_not_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad-header.rq"
    bad.write_text("#+ summary: Broken\n#+ tags: [a, b\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    message = "2:15: invalid YAML in the #+ header: expected ',' or ']', but got '<stream end>'"
    assert error(capsys, str(bad)) == f"{bad}:{message}"
    assert error(capsys, "--sparql", bad.read_text(encoding="utf-8")) == f"<sparql>:{message}"


def test_a_stored_query_with_a_header_that_is_not_yaml(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    broken = tree / "queries" / "broken.rq"
    broken.write_text("#+ summary: 'unclosed\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    message = "invalid YAML in the #+ header: found unexpected end of stream"
    assert error(capsys, "broken") == f"{broken}:1:22: {message}"
    assert error(capsys, "--list") == f"{broken}:1:22: {message}"
    code, out, _ = run(capsys, "groups", "--format", "csv")  # a query reads its own file only
    assert (code, out.splitlines()[0]) == (0, "group,priority,process,label,acronym")


def test_a_parameter_of_the_wrong_type(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    above = tmp_path / "above.rq"
    above.write_text(
        "SELECT ?p WHERE { ?p <https://w3id.org/rcpgraph/ontology#order> ?o FILTER(?o > ?_above_integer) }\n",
        encoding="utf-8",
    )
    assert error(capsys, str(above), "--param", "above=two") == 'parameter above: "two" is not an integer'
    assert error(capsys, "--sparql", above.read_text(encoding="utf-8")) == (
        "missing required parameter above (integer) for query <sparql>"
    )


def test_ad_hoc_sparql_and_another_query_or_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert error(capsys, "groups", "--sparql", "ASK {}") == (
        "give either a query (NAME, FILE.rq or -) or --sparql TEXT, not both"
    )
    assert error(capsys, "--list", "--sparql", "ASK {}") == "give either a query or --list, not both"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_a_stored_select_on_pyoxigraph_imports_no_rdflib(fmt: str) -> None:
    """The quick start of `rcpgraph query NAME`: neither rdflib nor its SPARQL parser is imported."""
    script = (
        "import sys; from rcpgraph.cli import main\n"
        f"code = main(['query', 'groups', '--release', {str(MINI)!r}, '--format', {fmt!r}])\n"
        "print(code, sorted(name for name in sys.modules if name.startswith(('rdflib', 'pyparsing'))), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (done.stderr, "process/midsa" in done.stdout) == ("0 []\n", True)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unknown_function_has_no_value_on_both_engines(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    # W3C syntax-select-expr-04 calls a function no engine knows: an expression error (SPARQL 1.1, 17.3), not a crash
    code, out, err = run(
        capsys,
        "--engine",
        engine,
        "--sparql",
        "SELECT ?x ?y WHERE { BIND(<urn:fn>(1) AS ?x) BIND(<urn:g>(?x, 2) AS ?y) }",
        "--format",
        "csv",
    )
    assert (code, out, err) == (0, "x,y\r\n,\r\n", "")
    code, out, err = run(
        capsys, "--engine", engine, "--sparql", "ASK { ?s ?p ?o FILTER(<urn:fn>(?o)) }", "--format", "json"
    )
    assert (code, json.loads(out)["boolean"], err) == (0, False, "")
