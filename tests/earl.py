"""W3C EARL reports of the conformance suites: each W3C test's outcome, written as Turtle into reports/.

A test of a suite names the W3C test it runs with the `earl` fixture (conftest.py), which records
"SUITE TEST-IRI" among the pytest item's user properties; `collect` reads them back from each
report (on the xdist controller too) and turns the pytest outcome into an EARL one: passed is
earl:passed, failed or a known deviation (an xfail, its reason kept as earl:info) earl:failed, a
skip earl:inapplicable (its reason kept). When RCPGRAPH_EARL names a folder, `write` puts one
report per suite there at the end of the session. `python tests/earl.py` runs the suites and
rewrites reports/.

A report is deterministic: no date, assertions sorted by test IRI, one blank node per result.
The subject is rcpgraph at its version (https://w3id.org/rcpgraph/software, an IRI minted here
for the software, beside the project's data IRIs); the assertor is this test suite.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
VARIABLE = "RCPGRAPH_EARL"
PROPERTY = "earl"
SUBJECT = "https://w3id.org/rcpgraph/software"
ASSERTOR = "https://w3id.org/rcpgraph/software#test-suite"
TEST_FILES = (
    "test_w3c_turtle.py",
    "test_w3c_ntriples.py",
    "test_w3c_sparql_syntax.py",
    "test_serve_w3c_protocol.py",
    "test_w3c_shacl_core.py",
)
# Each suite: its report file, its title, and how rcpgraph ran it.
SUITES = {
    "turtle": ("RDF 1.1 Turtle", "parsed by rcpgraph.rdfio.parse_file (pyoxigraph), with `rcpgraph validate`"),
    "ntriples": ("RDF 1.1 N-Triples", "parsed by rcpgraph.rdfio.parse_file (pyoxigraph)"),
    "sparql11-syntax-oxigraph": ("SPARQL 1.1 query syntax", "`rcpgraph query FILE.rq` (engine oxigraph)"),
    "sparql11-syntax-rdflib": ("SPARQL 1.1 query syntax", "`rcpgraph query FILE.rq --engine rdflib`"),
    "sparql11-protocol": ("SPARQL 1.1 Protocol", "the `rcpgraph serve` application, in process"),
    "shacl-core": ("SHACL core", "rcpgraph.pipeline.validation.validate (pySHACL)"),
}
OUTCOMES = ("passed", "failed", "inapplicable")


@dataclass(frozen=True, order=True)
class Assertion:
    """One W3C test's outcome in one suite, and why where it did not pass."""

    suite: str
    test: str
    outcome: str
    info: str | None = None


def mark(node: pytest.Item, suite: str, test: str) -> None:
    """Record that the pytest item `node` runs the W3C test `test` of `suite`."""
    if suite not in SUITES:
        raise ValueError(f"unknown EARL suite {suite}")
    node.user_properties.append((PROPERTY, f"{suite} {test}"))


def collect(report: pytest.TestReport) -> Assertion | None:
    """The EARL assertion of a finished test phase that ran a W3C test, else None."""
    named = [value for key, value in report.user_properties if key == PROPERTY]
    if not named or report.when == "teardown" or (report.when == "setup" and report.passed):
        return None
    suite, test = named[0].split(" ", 1)
    if hasattr(report, "wasxfail"):
        return Assertion(suite, test, "failed", f"known deviation: {report.wasxfail}")
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return Assertion(suite, test, "inapplicable", reason.removeprefix("Skipped: "))
    return Assertion(suite, test, "passed" if report.passed else "failed")


def write(folder: Path, assertions: list[Assertion]) -> list[Path]:
    """Write one report per suite that has assertions into `folder`; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suite in sorted({assertion.suite for assertion in assertions}):
        path = folder / f"{suite}.ttl"
        path.write_text(turtle(suite, [a for a in assertions if a.suite == suite]), encoding="utf-8")
        written.append(path)
    return written


def turtle(suite: str, assertions: list[Assertion]) -> str:
    """The EARL report of one suite as Turtle, the same text for the same outcomes."""
    title, how = SUITES[suite]
    lines = [
        "@prefix dc: <http://purl.org/dc/terms/> .",
        "@prefix doap: <http://usefulinc.com/ns/doap#> .",
        "@prefix earl: <http://www.w3.org/ns/earl#> .",
        "",
        f"<{SUBJECT}> a earl:TestSubject, earl:Software, doap:Project ;",
        '    doap:name "rcpgraph" ;',
        f"    doap:release [ doap:revision {_string(version('rcpgraph'))} ] ;",
        f"    dc:description {_string(f'{title}: {how}')} .",
        "",
        f"<{ASSERTOR}> a earl:Assertor, earl:Software ;",
        f"    dc:title {_string('the rcpgraph test suite (pytest, tests/earl.py)')} .",
    ]
    for assertion in sorted(set(assertions)):
        info = "" if assertion.info is None else f" ;\n        earl:info {_string(assertion.info)}"
        lines += [
            "",
            "[] a earl:Assertion ;",
            f"    earl:assertedBy <{ASSERTOR}> ;",
            f"    earl:subject <{SUBJECT}> ;",
            f"    earl:test <{assertion.test}> ;",
            "    earl:mode earl:automatic ;",
            f"    earl:result [ a earl:TestResult ;\n        earl:outcome earl:{assertion.outcome}{info} ] .",
        ]
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    """`text` as a Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def main() -> int:
    """Run the W3C suites and rewrite the reports in reports/; pytest's exit code."""
    os.environ[VARIABLE] = str(REPORTS)
    for stale in REPORTS.glob("*.ttl"):
        stale.unlink()
    files = [str(ROOT / "tests" / name) for name in TEST_FILES]
    return int(pytest.main(["-q", "-p", "no:cacheprovider", *files]))


if __name__ == "__main__":
    sys.exit(main())
