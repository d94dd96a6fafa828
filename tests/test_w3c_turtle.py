"""The W3C RDF 1.1 Turtle test suite (tests/w3c/rdf-turtle, W3C licence) against rdfio and `rcpgraph validate`.

Each test reports its outcome to the EARL report reports/turtle.ttl (tests/earl.py).

The expected N-Triples are read by `read_ntriples` below, not by the parser under test, so a fault
that parser shares between Turtle and N-Triples (a language tag dropped, say) cannot hide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.rdfio import parse_file

SUITE = Path(__file__).parent / "w3c" / "rdf-turtle"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
DEFAULT_BASE = "http://www.w3.org/2013/TurtleTests/"


MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
BASE = str(next(MANIFEST.objects(None, MF.assumedTestBase), DEFAULT_BASE))
TESTS = BASE + "manifest.ttl#"  # the IRI of a test, before its fragment


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


@pytest.mark.parametrize(("name", "action"), [(name, action) for name, (action, _) in NEGATIVE.items()], ids=NEGATIVE)
def test_negative_syntax_is_one_line_exit_2(
    name: str, action: Path, w3c_test: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    w3c_test("turtle", TESTS + name)
    with pytest.raises(InputError):
        parse_file(action, base_iri=BASE + action.name)
    code = main(["validate", str(action)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert re.fullmatch(rf"rcpgraph validate: {re.escape(str(action))}:\d+(:\d+)?: [^\n]+\n", err)
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "action"), [(name, action) for name, (action, _) in POSITIVE.items()], ids=POSITIVE)
def test_positive_syntax_parses(name: str, action: Path, w3c_test: Callable[[str, str], None]) -> None:
    w3c_test("turtle", TESTS + name)
    parse_file(action, base_iri=BASE + action.name)


@pytest.mark.parametrize(
    ("name", "action", "expected"), [(name, *files) for name, files in EVALUATION.items()], ids=EVALUATION
)
def test_evaluation_matches_the_expected_ntriples(
    name: str, action: Path, expected: Path, w3c_test: Callable[[str, str], None]
) -> None:
    w3c_test("turtle", TESTS + name)
    graph = parse_file(action, base_iri=BASE + action.name)
    assert isomorphic(graph, read_ntriples(expected))


def test_the_reader_of_expected_results_keeps_every_part_of_a_term(tmp_path: Path) -> None:
    path = tmp_path / "terms.nt"
    path.write_text(
        "# a comment\n"
        '_:b.0 <http://a.example/p\\u0031> "chat"@en-US .\n'
        '_:b.0 <http://a.example/p2> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<http://a.example/s>\t<http://a.example/p3> "a\\tb\\"\\U0001F600"^^<' + _XSD_STRING + "> .\n",
        encoding="utf-8",
    )
    graph = read_ntriples(path)
    objects: dict[str, Node] = {str(p): o for _, p, o in graph}
    assert objects == {
        "http://a.example/p1": Literal("chat", lang="en-us"),
        "http://a.example/p2": Literal("01", datatype=URIRef(_XSD_INTEGER), normalize=False),
        "http://a.example/p3": Literal('a\tb"\U0001f600'),
    }
    assert (objects["http://a.example/p1"].n3(), objects["http://a.example/p2"].n3()) == (
        '"chat"@en-us',
        f'"01"^^<{_XSD_INTEGER}>',
    )
    assert len(set(graph.subjects())) == 2


def test_the_reader_of_expected_results_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_text('_:s <http://a.example/p> "x" .\n_:s <http://a.example/p> "x"@ .\n', encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}:2: not an N-Triples triple$"):
        read_ntriples(path)


# ---------------------------------------------------------------- a reader of the expected results

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = rf"<(?:[^\x00-\x20<>\"{{}}|^`\\]|{_UCHAR})*>"
_BLANK = r"_:[\w.-]*[\w-]"
_LITERAL = rf"\"(?:[^\"\\\n\r]|\\[tbnrf\"'\\]|{_UCHAR})*\"(?:\^\^{_IRI}|@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)?"
_TRIPLE = re.compile(rf"[ \t]*({_IRI}|{_BLANK})[ \t]*({_IRI})[ \t]*({_IRI}|{_BLANK}|{_LITERAL})[ \t]*\.[ \t]*(?:#.*)?")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def read_ntriples(path: Path) -> Graph:
    """The triples of an N-Triples file, each line matched whole against the grammar's patterns."""
    graph = Graph()
    blank_nodes: dict[str, BNode] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _TRIPLE.fullmatch(line)
        if match is None:
            raise ValueError(f"{path}:{number}: not an N-Triples triple")
        subject, predicate, object_ = (_term(text, blank_nodes) for text in match.groups())
        graph.add((subject, predicate, object_))
    return graph


def _term(text: str, blank_nodes: dict[str, BNode]) -> Node:
    """The RDF term written as `text`: an IRI, a blank node (one per label) or a literal."""
    if text.startswith("<"):
        return URIRef(_unescape(text[1:-1]))
    if text.startswith("_:"):
        return blank_nodes.setdefault(text, BNode())
    lexical, _, suffix = text[1:].rpartition('"')
    if suffix.startswith("@"):  # case does not matter in a language tag, but does to isomorphic(): pyoxigraph's
        return Literal(_unescape(lexical), lang=suffix[1:].lower())
    datatype = _unescape(suffix[3:-1])
    if datatype in ("", _XSD_STRING):
        return Literal(_unescape(lexical))
    return Literal(_unescape(lexical), datatype=URIRef(datatype), normalize=False)


def _unescape(text: str) -> str:
    """`text` with each escape (a backslash and u, U or one character) replaced by the character it stands for."""
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[3] is None else _ESCAPED[m[3]], text)
