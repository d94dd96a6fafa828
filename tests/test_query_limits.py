"""The limits every query meets before any parser reads it: length, nesting and triple patterns in a group.

Past them rdflib's recursive grammar overflows the stack (about 24 nested parentheses, 36 braces or 100
triple patterns in a group) and pyoxigraph crashes (about 2,200 nested braces): each is refused with one
message naming the limit, on both engines, the command line, the Python API and the service.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import rcpgraph
from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
ENGINES = ("oxigraph", "rdflib")
DEEP = "brackets nested deeper than 16 levels (the limit for queries)"
WIDE = "more than 64 triple patterns in one group (the limit for queries)"
# "service" anywhere sends a query to rdflib's parser for the safety rules, on either engine
CASES = {
    "parentheses": ("SELECT ?service WHERE { ?s ?p ?o FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }", f"1:55: {DEEP}"),
    "braces": ("SELECT ?service WHERE " + "{" * 40 + " ?s ?p ?o " + "}" * 40, f"1:39: {DEEP}"),
    "deep braces, no rdflib": ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, f"1:32: {DEEP}"),
    "patterns": ("SELECT ?service WHERE { " + " ".join(f"?s ?p{i} ?o ." for i in range(120)) + " }", f"1:845: {WIDE}"),
    "length": (
        "SELECT * WHERE { ?s ?p ?o }" + " " * 70_000,
        "the query is 70,027 characters long; the limit is 65,536",
    ),
}
WITHIN = {
    "parentheses": "SELECT ?service WHERE { ?s ?p ?o FILTER(" + "(" * 14 + "1" + ")" * 14 + ") }",
    "braces": "SELECT ?service WHERE " + "{" * 16 + " ?s ?p ?o " + "}" * 16,
    "patterns": "SELECT ?service WHERE { " + " ".join(f"?s <urn:p{i}> ?o ." for i in range(63)) + " }",
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_the_command_line_refuses_with_exit_2(capsys: pytest.CaptureFixture[str], case: str, engine: str) -> None:
    text, message = CASES[case]
    code = main(["query", "--sparql", text, "--engine", engine, "--release", str(MINI)])
    where = "<sparql>:" if message[0].isdigit() else "<sparql>: "
    assert (code, capsys.readouterr()) == (2, ("", f"rcpgraph query: {where}{message}\n"))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_the_python_api_raises_an_input_error(case: str, engine: str) -> None:
    text, message = CASES[case]
    with pytest.raises(InputError) as caught:
        rcpgraph.open(MINI, engine=engine).sparql(text)
    assert str(caught.value).endswith(message)


@pytest.mark.parametrize("case", CASES)
def test_the_service_answers_400(case: str) -> None:
    layout = paths.Layout(ROOT, is_checkout=True)
    client = TestClient(create_app(Settings(release=MINI, max_request_bytes=1 << 20), layout))
    text, message = CASES[case]
    response = client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})
    if message[0].isdigit():
        line, column, rest = message.split(":", 2)
        message = f"{rest.strip()} (line {line}, column {column})"
    assert (response.status_code, response.text) == (400, f"{message}\n")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", WITHIN)
def test_queries_within_the_limits_run(case: str, engine: str) -> None:
    assert rcpgraph.open(MINI, engine=engine).sparql(WITHIN[case]) is not None
