"""The EARL reports in reports/: what tests/earl.py writes, and the README's table of their totals."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import earl
import pytest
import test_serve_w3c_protocol
import test_w3c_shacl_core
import test_w3c_sparql_syntax
from rdflib import RDF, Graph, Namespace, URIRef

from rcpgraph import rdfio

EARL = Namespace("http://www.w3.org/ns/earl#")
README = earl.ROOT / "README.md"
_ROW = re.compile(r"^\| \[[^]]+\]\(reports/([\w-]+)\.ttl\)[^|]* \| (\d+) \| (\d+) \| (\d+) \|$", re.MULTILINE)


def _assertions(path: Path) -> list[earl.Assertion]:
    """The assertions of a report, read back from its Turtle."""
    graph = rdfio.parse_file(path)
    found = []
    for node in graph.subjects(RDF.type, EARL.Assertion):
        result = graph.value(node, EARL.result)
        outcome = str(graph.value(result, EARL.outcome)).removeprefix(str(EARL))
        info = graph.value(result, EARL.info)
        found.append(earl.Assertion(path.stem, str(graph.value(node, EARL.test)), outcome, info and str(info)))
    return found


def _report(phase: str, outcome: str, **fields: object) -> pytest.TestReport:
    """A pytest report of one phase of a test that named the W3C test urn:t of the Turtle suite."""
    report = SimpleNamespace(when=phase, outcome=outcome, user_properties=[("earl", "turtle urn:t")], **fields)
    report.passed, report.skipped = outcome == "passed", outcome == "skipped"
    return report  # type: ignore[return-value]


def test_every_suite_has_a_committed_report() -> None:
    assert sorted(path.stem for path in earl.REPORTS.glob("*.ttl")) == sorted(earl.SUITES)


@pytest.mark.parametrize("suite", sorted(earl.SUITES))
def test_a_report_is_what_the_writer_gives_for_its_assertions(suite: str) -> None:
    path = earl.REPORTS / f"{suite}.ttl"
    assertions = _assertions(path)
    assert len({assertion.test for assertion in assertions}) == len(assertions)
    assert path.read_text(encoding="utf-8") == earl.turtle(suite, assertions)
    graph = rdfio.parse_file(path)
    subject, assertor = URIRef(earl.SUBJECT), URIRef(earl.ASSERTOR)
    assert set(graph.objects(None, EARL.subject)) == {subject}
    assert set(graph.objects(None, EARL.assertedBy)) == {assertor}
    assert (subject, RDF.type, EARL.TestSubject) in graph
    assert (assertor, RDF.type, EARL.Assertor) in graph


def test_the_readme_gives_the_totals_of_the_reports() -> None:
    table = {name: tuple(map(int, counts)) for name, *counts in _ROW.findall(README.read_text(encoding="utf-8"))}
    totals = {}
    for suite in earl.SUITES:
        counted = Counter(assertion.outcome for assertion in _assertions(earl.REPORTS / f"{suite}.ttl"))
        totals[suite] = tuple(counted[outcome] for outcome in earl.OUTCOMES)
    assert table == totals


def _expected_deviations() -> dict[str, dict[str, str]]:
    """The outcome of each test that does not pass, by suite, as the test modules list them."""
    expected: dict[str, dict[str, str]] = {suite: {} for suite in earl.SUITES}
    for name, deviation in test_w3c_sparql_syntax.DEVIATIONS.items():
        for engine in deviation.engines:
            expected[f"sparql11-syntax-{engine}"][test_w3c_sparql_syntax.CASES[name].iri] = deviation.outcome
    for test, name, requests in test_serve_w3c_protocol.ALL:
        if test_serve_w3c_protocol.inapplicable(name, requests) is not None:
            expected["sparql11-protocol"][test] = "inapplicable"
    expected["shacl-core"] = dict.fromkeys(test_w3c_shacl_core.DEVIATIONS, "failed")
    return expected


def test_the_reports_hold_the_deviations_the_suites_list() -> None:
    found: dict[str, dict[str, str]] = {suite: {} for suite in earl.SUITES}
    for suite in earl.SUITES:
        for assertion in _assertions(earl.REPORTS / f"{suite}.ttl"):
            if assertion.outcome != "passed":
                found[suite][assertion.test] = assertion.outcome
    assert found == _expected_deviations()


def test_the_writer_is_deterministic_and_escapes_its_strings() -> None:
    assertions = [
        earl.Assertion("turtle", "urn:b", "failed", 'a "quoted"\\ reason\n'),
        earl.Assertion("turtle", "urn:a", "passed"),
    ]
    text = earl.turtle("turtle", assertions)
    assert text == earl.turtle("turtle", assertions[::-1])
    assert text.index("<urn:a>") < text.index("<urn:b>")
    assert 'earl:info "a \\"quoted\\"\\\\ reason\\n" ]' in text
    graph = Graph().parse(data=text, format="turtle")
    assert len(set(graph.subjects(RDF.type, EARL.Assertion))) == 2


def test_pytest_outcomes_become_earl_outcomes() -> None:
    skipped = ("test.py", 1, "Skipped: does not apply")
    assert earl.collect(_report("setup", "passed")) is None
    assert earl.collect(_report("teardown", "passed")) is None
    assert earl.collect(_report("call", "passed")) == earl.Assertion("turtle", "urn:t", "passed")
    assert earl.collect(_report("call", "failed")) == earl.Assertion("turtle", "urn:t", "failed")
    assert earl.collect(_report("call", "skipped", longrepr=skipped)) == earl.Assertion(
        "turtle", "urn:t", "inapplicable", "does not apply"
    )
    assert earl.collect(_report("call", "skipped", wasxfail="a known bug")) == earl.Assertion(
        "turtle", "urn:t", "failed", "known deviation: a known bug"
    )


def test_a_test_naming_no_w3c_test_gives_no_assertion() -> None:
    report = _report("call", "passed")
    report.user_properties = [("other", "value")]
    assert earl.collect(report) is None
