"""Competency questions 1, 2, 3, 4, 11 and 15, answered by the stored queries over the real release.

Each runs `rcpgraph query ... --format json` in-process on both engines and asserts the answer
read off IOM's Annex B table.
"""

from __future__ import annotations

import pytest
from competency import ENGINES, ID, ask, processes


@pytest.mark.parametrize("engine", ENGINES)
def test_cq1_thematic_priority_groups(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    rows = ask(capsys, engine, "groups")
    groups: dict[str, list[str]] = {}
    for row, slug in zip(rows, processes(rows), strict=True):
        groups.setdefault(row["priority"].removeprefix(f"{ID}priority/"), []).append(slug)
    assert groups == {
        "thematic": ["midsa", "midwa", "colombo-process", "puebla-process", "sacm", "5plus5-dialogue"],
        "ad-hoc": ["soderkoping-process", "igc", "mtm-dialogue"],
        "without-development": ["bali-process", "budapest-process", "apc"],
    }
    assert [row["group"] for row in rows] == ["1"] * 6 + ["2"] * 3 + ["3"] * 3


@pytest.mark.parametrize("engine", ENGINES)
def test_cq2_primary_sources(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    assert processes(ask(capsys, engine, "by-information-basis")) == [
        "midwa",
        "puebla-process",
        "5plus5-dialogue",
        "apc",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_cq3_no_response_given_for_the_gfmd_link(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    rows = ask(
        capsys, engine, "status-by-dimension", "--param", "dimension=gfmd-link", "--param", "status=no-response-given"
    )
    assert processes(rows) == ["midwa", "puebla-process", "sacm", "5plus5-dialogue", "mtm-dialogue"]


@pytest.mark.parametrize("engine", ENGINES)
def test_cq4_no_example_provided_for_research(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    rows = ask(
        capsys, engine, "status-by-dimension", "--param", "dimension=research", "--param", "status=no-example-provided"
    )
    assert processes(rows) == [
        "midwa",
        "sacm",
        "soderkoping-process",
        "igc",
        "mtm-dialogue",
        "bali-process",
        "budapest-process",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_cq11_sacm_founding_documents(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    rows = ask(capsys, engine, "cell", "--param", "process=sacm", "--param", "dimension=founding-documents")
    assert rows
    assert {row["response"] for row in rows} == {f"{ID}response/sacm/founding-documents"}
    assert all("remitlances" in row["sourceText"] for row in rows)
    assert all("remittances" in row["text"] and "remitlances" not in row["text"] for row in rows)
    assert {(row["line"], row["field"]) for row in rows} == {("14", "3")}


@pytest.mark.parametrize("engine", ENGINES)
def test_cq15_cells_per_status(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    counts = {
        row["status"].removeprefix(f"{ID}status/"): int(row["cells"]) for row in ask(capsys, engine, "status-counts")
    }
    assert counts["no-response-given"] == 16
    assert counts["no-example-provided"] == 12
    assert sum(counts.values()) == 96
