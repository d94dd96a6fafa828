"""The W3C RDF 1.1 Turtle test suite (tests/w3c/rdf-turtle, W3C licence) against rdfio and `rcpgraph validate`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.rdfio import parse_file

SUITE = Path(__file__).parent / "w3c" / "rdf-turtle"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
DEFAULT_BASE = "http://www.w3.org/2013/TurtleTests/"


MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
BASE = str(next(MANIFEST.objects(None, MF.assumedTestBase), DEFAULT_BASE))


def cases(*kinds: URIRef) -> dict[str, tuple[Path, Path | None]]:
    """The tests of the given kinds by IRI fragment (unique, unlike mf:name): input file and expected result."""
    found = {}
    for kind in kinds:
        for test in MANIFEST.subjects(RDF.type, kind):
            action = SUITE / str(MANIFEST.value(test, MF.action)).rsplit("/", 1)[1]
            result = MANIFEST.value(test, MF.result)
            expected = SUITE / str(result).rsplit("/", 1)[1] if result is not None else None
            found[str(test).rsplit("#", 1)[1]] = (action, expected)
    return dict(sorted(found.items()))


NEGATIVE = cases(RDFT.TestTurtleNegativeSyntax, RDFT.TestTurtleNegativeEval)
POSITIVE = cases(RDFT.TestTurtlePositiveSyntax)
EVALUATION = cases(RDFT.TestTurtleEval)


def test_the_suite_is_complete() -> None:
    assert (len(NEGATIVE), len(POSITIVE), len(EVALUATION)) == (94, 74, 145)


@pytest.mark.parametrize("action", [action for action, _ in NEGATIVE.values()], ids=NEGATIVE.keys())
def test_negative_syntax_is_one_line_exit_2(action: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError):
        parse_file(action, base_iri=BASE + action.name)
    code = main(["validate", str(action)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert re.fullmatch(rf"rcpgraph validate: {re.escape(str(action))}:\d+(:\d+)?: [^\n]+\n", err)
    assert "Traceback" not in err


@pytest.mark.parametrize("action", [action for action, _ in POSITIVE.values()], ids=POSITIVE.keys())
def test_positive_syntax_parses(action: Path) -> None:
    parse_file(action, base_iri=BASE + action.name)


@pytest.mark.parametrize(("action", "expected"), EVALUATION.values(), ids=EVALUATION.keys())
def test_evaluation_matches_the_expected_ntriples(action: Path, expected: Path) -> None:
    """The expected N-Triples are read by parse_file too: rdflib's own N-Triples parser rewrites "01" as "1"."""
    graph = parse_file(action, base_iri=BASE + action.name)
    assert isomorphic(graph, parse_file(expected))
