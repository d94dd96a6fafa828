"""The counting queries answer from the statistics the build writes (void.ttl), which equal counting the data."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from rcpgraph import rdfio
from rcpgraph.cli import main
from rcpgraph.paths import INFERRED_NAME, RELEASE_NAME
from rcpgraph.vocabulary import ORG, RCP

ROOT = Path(__file__).resolve().parents[1]
STATUS = "https://w3id.org/rcpgraph/id/status/"
KINDS = (RCP.Event, RCP.Document, RCP.Initiative, RCP.Organisation, RCP.ConsultativeProcess, RCP.Place)
KINDS += (RCP.CrossFertilizationLink, ORG.Membership)  # the kinds individuals-per-process counts


def ask(capsys: pytest.CaptureFixture[str], name: str, *argv: str) -> list[dict[str, str]]:
    """The solutions of one stored query as {variable: value}, in order."""
    assert main(["query", name, "--format", "json", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return [{key: term["value"] for key, term in row.items()} for row in json.loads(out)["results"]["bindings"]]


def release_graph(folder: Path) -> Graph:
    """The asserted and inferred graphs of the release in `folder`, without its statistics."""
    graph = Graph()
    for name in (RELEASE_NAME, INFERRED_NAME):
        graph += rdfio.parse_file(folder / name)
    return graph


def counted(folder: Path) -> tuple[Counter[str], Counter[str]]:
    """The instances of each class and the cells of each response status, counted in the release's graphs."""
    graph = release_graph(folder)
    classes = Counter(str(cls) for cls in graph.objects(None, RDF.type))
    cells = set(graph.subjects(RDF.type, RCP.SurveyResponse))
    statuses = Counter(str(status) for cell, status in graph.subject_objects(RCP.responseStatus) if cell in cells)
    return classes, statuses


def most_first(counts: Counter[str]) -> list[tuple[str, str]]:
    """The counts as the queries order them: most first, then by IRI."""
    return [(key, str(n)) for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def test_the_counts_of_the_release_equal_counting_its_graphs(capsys: pytest.CaptureFixture[str]) -> None:
    classes, statuses = counted(ROOT / "data" / "release")
    class_rows = ask(capsys, "class-counts")
    status_rows = ask(capsys, "status-counts")
    assert [(row["class"], row["instances"]) for row in class_rows] == most_first(classes)
    assert [(row["status"], row["cells"]) for row in status_rows] == most_first(statuses)
    assert (len(class_rows), sum(statuses.values()), statuses[STATUS + "answered"]) == (61, 96, 44)


def test_the_individuals_per_process_of_the_release_equal_counting_its_graphs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    graph = release_graph(ROOT / "data" / "release")
    stated: dict[tuple[str, str], set[str]] = {}
    for cell in graph.subjects(RDF.type, RCP.SurveyResponse):
        for individual in graph.subjects(RCP.statedIn, cell):
            for kind in set(graph.objects(individual, RDF.type)) & set(KINDS):
                stated.setdefault((str(graph.value(cell, RCP.respondent)), str(kind)), set()).add(str(individual))
    rows = ask(capsys, "individuals-per-process", "--param", "limit=all")
    answer = {(row["process"], row["kind"]): int(row["individuals"]) for row in rows}
    assert answer == {key: len(individuals) for key, individuals in stated.items()} and len(rows) == len(answer)
    assert (len(rows), answer[("https://w3id.org/rcpgraph/id/process/midsa", str(RCP.Event))]) == (64, 8)


@pytest.mark.slow
def test_a_build_after_a_data_change_updates_the_statistics(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cell's status changed in the curation: the committed statistics are stale, and the build rewrites them."""
    cells = tree / "data" / "curation" / "cells.yaml"
    text = cells.read_text(encoding="utf-8")
    answered = "  research: {status: answered, from: [L6F1]}"
    assert answered in text
    cells.write_text(text.replace(answered, answered.replace("answered", "fragment"), 1), encoding="utf-8")
    before = {row["status"]: row["cells"] for row in ask(capsys, "status-counts")}
    assert main(["build"]) == 0
    capsys.readouterr()
    after = {row["status"]: row["cells"] for row in ask(capsys, "status-counts")}
    classes, statuses = counted(tree / "data" / "release")
    assert [(row["class"], row["instances"]) for row in ask(capsys, "class-counts")] == most_first(classes)
    assert sorted(after.items()) == sorted((status, str(n)) for status, n in statuses.items())
    assert (before[STATUS + "answered"], before[STATUS + "fragment"]) == ("44", "8")
    assert (after[STATUS + "answered"], after[STATUS + "fragment"]) == ("43", "9")
