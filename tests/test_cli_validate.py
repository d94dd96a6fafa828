"""`rcpgraph validate`: exit codes, reports, bad input, no network, fast import."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from live import Canary

import rcpgraph
from rcpgraph.cli import main
from rcpgraph.paths import INFERRED_NAME, RELEASE_NAME
from rcpgraph.sparql import safety

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

ONTOLOGY = PREFIXES + "ex:PolicyResponse rdfs:subClassOf ex:Response .\n"

SHAPES = f"""{PREFIXES}ex:ResponseShape a sh:NodeShape ;
    sh:targetClass ex:Response ;
    sh:property [ sh:path ex:dimension ; sh:minCount 1 ; sh:message "A response needs a dimension" ] .
"""

CONFORMING = PREFIXES + "ex:r1 a ex:Response ; ex:dimension ex:d1 .\n"

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
VIOLATING_NT = (
    f"<http://example.org/r1> {TYPE} <http://example.org/Response> .\n"
    "<http://example.org/r1> <http://example.org/dimension> <http://example.org/d1> .\n"
    f"<http://example.org/r2> {TYPE} <http://example.org/PolicyResponse> .\n"
)

VIOLATION_REPORT = (
    "Conforms: no (1 result: 1 violation, 0 warnings)\n"
    "\n"
    "Focus node: ex:r2\n"
    "Path: ex:dimension\n"
    "Message: A response needs a dimension\n"
    "Severity: Violation\n"
    "Constraint: MinCountConstraintComponent\n"
    "Value: -\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An rcpgraph tree with a small ontology and shapes, selected through RCPGRAPH_HOME."""
    write(tmp_path, "ontology/rcp.ttl", ONTOLOGY)
    write(tmp_path, "ontology/shapes.ttl", SHAPES)
    monkeypatch.setenv("RCPGRAPH_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A listener on 127.0.0.1 that nothing may reach."""
    listener = Canary()
    yield listener
    listener.close()


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """A file `name` in `folder` holding `text`."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def validate(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `rcpgraph validate ARGS` in-process: exit code, stdout, stderr."""
    code = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_conforming_file(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = write(tmp_path, "own-shapes.ttl", SHAPES)
    data = write(tmp_path, "data.ttl", CONFORMING)
    assert validate(capsys, data, "--shapes", shapes) == (0, "Conforms: yes\n", "")


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        """A terminal, as far as the command can tell."""
        return True


def test_a_terminal_shows_a_line_per_stage(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shapes = write(tmp_path, "own-shapes.ttl", SHAPES)
    data = write(tmp_path, "data.ttl", CONFORMING)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["validate", str(data), "--shapes", str(shapes)]) == 0
    shown = terminal.getvalue()
    assert [line.strip() for line in shown.split("\r") if line.strip()] == ["reading the data", "validating (SHACL)"]


def test_violation_names_focus_node_and_path(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tree, "data.nt", VIOLATING_NT)
    assert validate(capsys, data, "--shapes", tree / "ontology" / "shapes.ttl") == (1, VIOLATION_REPORT, "")


def test_files_are_merged(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typed = write(tree, "typed.ttl", PREFIXES + "ex:r1 a ex:Response .\n")
    dimension = {"@id": "http://example.org/r1", "http://example.org/dimension": {"@id": "http://example.org/d1"}}
    described = write(tree, "described.jsonld", json.dumps(dimension))
    assert validate(capsys, typed)[0] == 1
    assert validate(capsys, typed, described) == (0, "Conforms: yes\n", "")


def test_default_is_the_release_with_the_default_shapes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, f"data/release/{RELEASE_NAME}", CONFORMING)
    write(tree, f"data/release/{INFERRED_NAME}", PREFIXES + "ex:r2 a ex:PolicyResponse .\n")
    code, out, _ = validate(capsys)
    assert code == 1
    assert "Focus node: ex:r2\n" in out


def test_missing_release_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tree / "data" / "release" / RELEASE_NAME
    assert validate(capsys) == (2, "", f"rcpgraph validate: {release}: file not found\n")


def test_turtle_format_prints_the_report_graph(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, write(tree, "data.nt", VIOLATING_NT), "--format", "turtle")
    assert (code, err) == (1, "")
    assert "sh:conforms false" in out
    assert "sh:focusNode ex:r2" in out
    assert validate(capsys, write(tree, "data.nt", VIOLATING_NT), "--format", "turtle")[1] == out


def test_malformed_data(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tree, "bad.ttl", "@prefix ex: <http://example.org/> .\n\nex:r1 a ex:Response ;\n    ex:dimension .\n")
    assert validate(capsys, data) == (2, "", f"rcpgraph validate: {data}:4:18: . is not a valid RDF object\n")


def test_unknown_extension(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tree, "data.xml", "<rdf:RDF/>")
    message = f"rcpgraph validate: {data}: unknown RDF format for extension '.xml' (use .ttl, .nt, .jsonld, .trig)\n"
    assert validate(capsys, data) == (2, "", message)


def test_missing_default_shapes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = tree / "ontology" / "shapes.ttl"
    shapes.unlink()
    data = write(tree, "data.ttl", CONFORMING)
    assert validate(capsys, data) == (2, "", f"rcpgraph validate: shapes file not found: {shapes}\n")


def test_malformed_shapes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = write(tree, "shapes.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y\n")
    code, out, err = validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes)
    assert (code, out) == (2, "")
    assert err.startswith(f"rcpgraph validate: {shapes}:")


def test_remote_jsonld_context_is_not_fetched(tree: Path, capsys: pytest.CaptureFixture[str], canary: Canary) -> None:
    context = f"{canary.url}/ctx"
    data = write(tree, "remote.jsonld", json.dumps({"@context": context, "@id": "http://example.org/r1", "name": "x"}))
    message = (
        f"rcpgraph validate: {data}: remote JSON-LD contexts are not fetched: '{context}' (use an inline @context)\n"
    )
    assert validate(capsys, data) == (2, "", message)
    assert canary.close() == 0


def test_owl_imports_in_shapes_are_not_fetched(tree: Path, capsys: pytest.CaptureFixture[str], canary: Canary) -> None:
    shapes = write(tree, "shapes.ttl", SHAPES + f"<http://example.org/shapes> owl:imports <{canary.url}/more.ttl> .\n")
    assert validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes) == (0, "Conforms: yes\n", "")
    assert canary.close() == 0


def test_import_does_not_load_rdf_libraries() -> None:
    package_parent = str(Path(rcpgraph.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": package_parent}
    command = [sys.executable, "-X", "importtime", "-c", "import rcpgraph.cli.validate"]
    imported = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stderr
    modules = {line.split("|")[-1].strip().split(".")[0] for line in imported.splitlines()}
    assert modules.isdisjoint({"rdflib", "pyshacl", "pyoxigraph", "owlrl"})


def test_unusable_shapes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = write(tree, "shapes.ttl", SHAPES.replace("sh:minCount 1", 'sh:minCount "1"'))
    message = (
        f"rcpgraph validate: {shapes}: SHACL validation could not run: "
        "MinCountConstraintComponent sh:minCount must be a literal with datatype xsd:integer.\n"
    )
    assert validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes) == (2, "", message)


REFUSED = "SERVICE is not allowed: validation reads the data graph only and fetches nothing"
INJECTED = "http://example.org/> SELECT ?this WHERE {{ SERVICE <{url}/n> {{ ?this ?p ?o }} }} #"
# SHACL-SPARQL that would reach the canary at {url}, and where the message places it after the file.
FETCHING = {
    "a SPARQL target": (
        PREFIXES
        + "ex:TargetShape a sh:NodeShape ;\n"
        + "    sh:target [\n"
        + "        a sh:SPARQLTarget ;\n"
        + '        sh:select "SELECT ?this WHERE {{ SERVICE <{url}/target> {{ ?this ?p ?o }} }}"\n'
        + "    ] ;\n"
        + "    sh:class ex:Response .\n",
        f":9:41: ex:TargetShape sh:target/sh:select: {REFUSED}",
    ),
    "a SPARQL rule, service in lower case": (
        PREFIXES
        + "ex:RuleShape a sh:NodeShape ;\n"
        + "    sh:targetClass ex:Response ;\n"
        + "    sh:rule [\n"
        + "        a sh:SPARQLRule ;\n"
        + "        sh:construct '''\n"
        + "            CONSTRUCT {{ $this ex:dimension ?d }}\n"
        + "            WHERE {{ service <{url}/rule> {{ $this ex:dimension ?d }} }}'''\n"
        + "    ] .\n",
        f":12:21: ex:RuleShape sh:rule/sh:construct: {REFUSED}",
    ),
    "a SPARQL constraint, in FILTER EXISTS": (
        SHAPES
        + "ex:Remote a sh:SPARQLConstraint ;\n"
        + '    sh:select "SELECT $this WHERE {{ $this ?p ?o FILTER EXISTS {{ SERVICE <{url}/c> {{ }} }} }}" .\n'
        + "ex:ResponseShape sh:sparql ex:Remote .\n",
        f":10:65: ex:Remote sh:select: {REFUSED}",
    ),
    "a query written with escapes, placed without a line": (
        SHAPES
        + "ex:ResponseShape sh:sparql [ sh:select\n"
        + '    "SELECT $this WHERE {{ \\\\u0053ERVICE <{url}/e> {{ $this ?p ?o }} }}" ] .\n',
        f": ex:ResponseShape sh:sparql/sh:select: {REFUSED}",
    ),
    "a prefix declaration carrying a query": (
        PREFIXES
        + f'ex:Prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "{INJECTED}" ] .\n'
        + "ex:S a sh:NodeShape ; sh:class ex:Response ;\n"
        + '    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:Prefixes ; sh:select "LIMIT 1" ] .\n',
        f': sh:namespace "{INJECTED}" is not an IRI',
    ),
}


@pytest.mark.parametrize("case", FETCHING)
def test_shacl_sparql_that_could_fetch_is_refused_before_it_runs(
    tree: Path, capsys: pytest.CaptureFixture[str], canary: Canary, case: str
) -> None:
    text, where = FETCHING[case]
    shapes = write(tree, "shapes.ttl", text.format(url=canary.url))
    message = f"rcpgraph validate: {shapes}{where.format(url=canary.url)}\n"
    assert validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes) == (2, "", message)
    assert canary.close() == 0


def test_the_word_service_elsewhere_is_no_service(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = (
        "SELECT ?this WHERE { ?this ex:dimension ?service . # no SERVICE here\n"
        '  FILTER(?service != svc:SERVICE && ?service != <http://example.org/SERVICE> && STR(?service) != "SERVICE") }'
    )
    shapes = write(
        tree,
        "shapes.ttl",
        PREFIXES
        + 'ex:Prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] ,\n'
        + '    [ sh:prefix "svc" ; sh:namespace "http://example.org/service/"^^xsd:anyURI ] .\n'
        + "ex:S a sh:NodeShape ; sh:class ex:Other ;\n"
        + f"    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:Prefixes ; sh:select '''{query}''' ] .\n",
    )
    code, out, err = validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes)
    assert (code, err) == (1, "")
    assert "Focus node: ex:r1\n" in out


def test_any_network_access_during_validation_is_stopped(
    tree: Path, capsys: pytest.CaptureFixture[str], canary: Canary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safety, "refuse_reaching", lambda text: None)
    shapes = write(
        tree,
        "shapes.ttl",
        SHAPES
        + "ex:ResponseShape sh:target [ a sh:SPARQLTarget ;\n"
        + f'    sh:select "SELECT ?this WHERE {{ SERVICE <{canary.url}/backstop> {{ ?this ?p ?o }} }}" ] .\n',
    )
    message = (
        f"rcpgraph validate: {shapes}: SHACL validation was stopped: it tried to reach {canary.url}/backstop, "
        "and validation fetches nothing\n"
    )
    assert validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes) == (2, "", message)
    assert canary.close() == 0


def test_the_network_guard_holds_only_during_validation(
    tree: Path, capsys: pytest.CaptureFixture[str], canary: Canary
) -> None:
    assert validate(capsys, write(tree, "data.ttl", CONFORMING))[0] == 0
    with socket.create_connection(("127.0.0.1", canary.port), timeout=5) as connection:
        connection.sendall(b"GET /after HTTP/1.1\r\n\r\n")
    assert canary.close() == 1


def test_a_sparql_constraint_pyshacl_will_not_run(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT $this WHERE { VALUES ?d { ex:d1 } $this ex:dimension ?d }"
    shapes = write(tree, "shapes.ttl", SHAPES + f'ex:ResponseShape sh:sparql [ sh:select "{query}" ] .\n')
    message = (
        f"rcpgraph validate: {shapes}: SHACL validation could not run: "
        "A SPARQL Constraint must not contain a VALUES clause.\n"
    )
    assert validate(capsys, write(tree, "data.ttl", CONFORMING), "--shapes", shapes) == (2, "", message)
