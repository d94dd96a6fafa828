"""Running stored queries in-process, as the competency-question tests do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rcpgraph.cli import main
from rcpgraph.sparql.catalogue import named, whole

ID = "https://w3id.org/rcpgraph/id/"
QUERIES = Path(__file__).resolve().parents[1] / "queries"
ENGINES = ("oxigraph", "rdflib")
# The table's eight dimensions (its columns), in its order: the expected answer of every test that lists them.
DIMENSIONS = (
    "research",
    "capacity-building",
    "pilot-projects",
    "founding-documents",
    "intra-governmental-consultation",
    "stakeholder-cooperation",
    "cross-fertilization",
    "gfmd-link",
)


def ask(capsys: pytest.CaptureFixture[str], engine: str, *argv: str) -> list[dict[str, str]]:
    """The solutions of one stored query as {variable: value}, in order: every row of a paged one (`limit=all`)."""
    everything = [f"--param={name}={value}" for name, value in whole(named(QUERIES, argv[0])).items()]
    code = main(["query", *argv, *everything, "--format", "json", "--engine", engine])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return [{name: term["value"] for name, term in row.items()} for row in json.loads(out)["results"]["bindings"]]


def processes(rows: list[dict[str, str]]) -> list[str]:
    """The process slugs of the rows, in order."""
    return [row["process"].removeprefix(f"{ID}process/") for row in rows]
