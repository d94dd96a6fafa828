"""The W3C SPARQL 1.1 query syntax suite (tests/w3c/sparql11-syntax-query, W3C licence) through `rcpgraph query`.

Each test runs on both engines over a one-triple release: a positive test must answer (exit 0), a
negative one must be refused in one line (exit 2), the rdflib engine with the very message the
default engine gives, since both pass the same syntax gate. The tests that do not pass are listed
in DEVIATIONS with the exact refusal and the reason; they are reported as failed or inapplicable in
the EARL reports (reports/sparql11-syntax-*.ttl), never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Namespace, URIRef
from rdflib.collection import Collection

from rcpgraph import rdfio
from rcpgraph.cli import main

SUITE = Path(__file__).parent / "w3c" / "sparql11-syntax-query"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/syntax-query/manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
ENGINES = ("oxigraph", "rdflib")
_RDFLIB_UNBOUND = "rdflib cannot run this query (try the oxigraph engine): Variable x is not bound"


@dataclass(frozen=True)
class Case:
    """One W3C syntax test: its IRI, its query file, and whether the query is valid."""

    iri: str
    action: Path
    positive: bool


@dataclass(frozen=True)
class Deviation:
    """A test an engine does not pass: the exact message it gives, its EARL outcome, and why."""

    engines: tuple[str, ...]
    message: str
    outcome: str
    reason: str


DEVIATIONS = {
    "syntax-oneof-03.rq": Deviation(
        ENGINES,
        ":2:1: SPARQL syntax error: expected one of COALESCE, CONTAINS, DATATYPE, STRAFTER, TIMEZONE, [_], isTriple, "
        "sameTerm",
        "failed",
        "the query holds a relative IRI (<x>) and `rcpgraph query` gives a query no base IRI, so pyoxigraph refuses "
        "it (with a misleading message); the suite assumes the file's location as the base",
    ),
    "syntax-construct-where-02.rq": Deviation(
        ENGINES,
        ":2:1: FROM <file> is not allowed: queries run over the release only, which is their default graph",
        "inapplicable",
        "rcpgraph refuses FROM by design: queries run over the release only, and nothing is fetched",
    ),
    "syntax-aggregate-06.rq": Deviation(("rdflib",), f": {_RDFLIB_UNBOUND}", "failed", "rdflib's evaluation fails"),
    "syntax-aggregate-12.rq": Deviation(("rdflib",), f": {_RDFLIB_UNBOUND}", "failed", "rdflib's evaluation fails"),
    "syntax-aggregate-14.rq": Deviation(("rdflib",), f": {_RDFLIB_UNBOUND}", "failed", "rdflib's evaluation fails"),
    "syntax-bindings-03a.rq": Deviation(
        ("rdflib",),
        ": rdflib cannot run this query (try the oxigraph engine): 'list' object has no attribute 'name'",
        "failed",
        "rdflib's evaluation fails on VALUES after the query's WHERE clause with several variables",
    ),
}


def _cases() -> dict[str, Case]:
    """The manifest's tests in its order, by query file name."""
    manifest = rdfio.parse_file(SUITE / "manifest.ttl", base_iri=BASE)
    found = {}
    for test in Collection(manifest, manifest.value(URIRef(BASE), MF.entries)):
        action = SUITE / str(manifest.value(test, MF.action)).rsplit("/", 1)[1]
        kind = manifest.value(test, RDF.type)
        found[action.name] = Case(str(test), action, kind == MF.PositiveSyntaxTest11)
    return found


CASES = _cases()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of one triple: the suite tests syntax, and a small release keeps each run short."""
    folder = tmp_path_factory.mktemp("release")
    (folder / "rcpgraph.ttl").write_text("<urn:s> <urn:p> <urn:o> .\n", encoding="utf-8")
    (folder / "rcpgraph-inferred.ttl").write_text("", encoding="utf-8")
    (folder / "void.ttl").write_text("", encoding="utf-8")
    return folder


def _run(case: Case, engine: str, release: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`rcpgraph query FILE --engine ENGINE` over `release`: the exit code and standard error."""
    code = main(["query", str(case.action), "--engine", engine, "--release", str(release)])
    return code, capsys.readouterr().err


def test_the_suite_is_complete() -> None:
    assert Counter(case.positive for case in CASES.values()) == {True: 63, False: 31}
    assert set(DEVIATIONS) <= {name for name, case in CASES.items() if case.positive}


def test_the_deviations_add_up_to_the_reported_totals() -> None:
    totals = {engine: Counter({"passed": len(CASES)}) for engine in ENGINES}
    for deviation in DEVIATIONS.values():
        for engine in deviation.engines:
            totals[engine].update({"passed": -1, deviation.outcome: 1})
    assert totals == {
        "oxigraph": Counter(passed=92, failed=1, inapplicable=1),
        "rdflib": Counter(passed=88, failed=5, inapplicable=1),
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", CASES)
def test_syntax(
    name: str, engine: str, release: Path, w3c_test: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    w3c_test(f"sparql11-syntax-{engine}", case.iri)
    code, err = _run(case, engine, release, capsys)
    deviation = DEVIATIONS.get(name)
    if deviation is not None and engine in deviation.engines:
        assert (code, err) == (2, f"rcpgraph query: {case.action}{deviation.message}\n")
        if deviation.outcome == "inapplicable":
            pytest.skip(deviation.reason)
        pytest.xfail(deviation.reason)
    if case.positive:
        assert (code, err) == (0, "")
        return
    assert code == 2
    assert re.fullmatch(
        rf"rcpgraph query: {re.escape(str(case.action))}(:\d+:\d+)?: SPARQL syntax error: [^\n]+\n", err
    )
    if engine == "rdflib":
        assert err == _run(case, "oxigraph", release, capsys)[1]


def test_a_valid_query_rdflib_cannot_parse_is_refused_naming_rdflib(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sparql = (
        "SELECT * WHERE { ?s ?p <<( <urn:a> <urn:b> <urn:c> )>> }"  # an RDF 1.2 triple term, which pyoxigraph reads
    )
    arguments = ["query", "--sparql", sparql, "--release", str(release)]
    assert (main(arguments), capsys.readouterr().err) == (0, "")
    assert (main([*arguments, "--engine", "rdflib"]), capsys.readouterr().err) == (
        2,
        "rcpgraph query: <sparql>:1:18: rdflib cannot parse this query, which the oxigraph engine accepts: "
        "SPARQL syntax error: Expected SelectQuery, found '?'\n",
    )
