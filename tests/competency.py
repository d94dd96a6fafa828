"""Running stored queries in-process, as the competency-question tests do."""

from __future__ import annotations

import json

import pytest

from rcpgraph.cli import main

ID = "https://w3id.org/rcpgraph/id/"
ENGINES = ("oxigraph", "rdflib")


def ask(capsys: pytest.CaptureFixture[str], engine: str, *argv: str) -> list[dict[str, str]]:
    """The solutions of one stored query as {variable: value}, in order."""
    code = main(["query", *argv, "--format", "json", "--engine", engine])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return [{name: term["value"] for name, term in row.items()} for row in json.loads(out)["results"]["bindings"]]


def processes(rows: list[dict[str, str]]) -> list[str]:
    """The process slugs of the rows, in order."""
    return [row["process"].removeprefix(f"{ID}process/") for row in rows]
