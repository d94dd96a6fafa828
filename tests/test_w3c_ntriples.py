"""The W3C RDF 1.1 N-Triples test suite (tests/w3c/rdf-n-triples, W3C licence) against rdfio and `rcpgraph validate`.

A positive test must parse; a negative one must be refused, by `rcpgraph validate` in one line
naming file and line, exit 2. Each test reports its outcome to reports/ntriples.ttl (tests/earl.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Namespace, URIRef

from rcpgraph import rdfio
from rcpgraph.cli import main
from rcpgraph.errors import InputError

SUITE = Path(__file__).parent / "w3c" / "rdf-n-triples"
MANIFEST_IRI = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-triples/manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")

MANIFEST = rdfio.parse_file(SUITE / "manifest.ttl", base_iri=MANIFEST_IRI)


def cases(kind: URIRef) -> dict[str, Path]:
    """The tests of one kind, by test IRI: their input file."""
    found = {
        str(test): SUITE / str(MANIFEST.value(test, MF.action)).rsplit("/", 1)[1]
        for test in MANIFEST.subjects(RDF.type, kind)
    }
    return dict(sorted(found.items()))


POSITIVE = cases(RDFT.TestNTriplesPositiveSyntax)
NEGATIVE = cases(RDFT.TestNTriplesNegativeSyntax)


def test_the_suite_is_complete() -> None:
    assert (len(POSITIVE), len(NEGATIVE)) == (41, 29)
    assert all(path.is_file() for path in (*POSITIVE.values(), *NEGATIVE.values()))


@pytest.mark.parametrize(("test", "action"), POSITIVE.items(), ids=[path.name for path in POSITIVE.values()])
def test_positive_syntax_parses(test: str, action: Path, w3c_test: Callable[[str, str], None]) -> None:
    w3c_test("ntriples", test)
    rdfio.parse_file(action, base_iri=MANIFEST_IRI)


@pytest.mark.parametrize(("test", "action"), NEGATIVE.items(), ids=[path.name for path in NEGATIVE.values()])
def test_negative_syntax_is_one_line_exit_2(
    test: str, action: Path, w3c_test: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    w3c_test("ntriples", test)
    with pytest.raises(InputError):
        rdfio.parse_file(action, base_iri=MANIFEST_IRI)
    code = main(["validate", str(action)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert re.fullmatch(rf"rcpgraph validate: {re.escape(str(action))}:\d+(:\d+)?: [^\n]+\n", err)
