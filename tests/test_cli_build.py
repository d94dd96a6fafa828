"""`rcpgraph build` and `rcpgraph export`: atomic, deterministic, never overwriting a good release."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rcpgraph import rdfio
from rcpgraph.cli import main
from rcpgraph.paths import INFERRED_NAME, RELEASE_NAME, VOID_NAME

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_committed_release_is_not_stale(built) -> None:
    """The session's build gives the committed files byte for byte (run `rcpgraph build` after an edit)."""
    assert built.code == 0
    for name in (RELEASE_NAME, INFERRED_NAME, VOID_NAME):
        assert (built.out / name).read_bytes() == (ROOT / "data" / "release" / name).read_bytes(), name


def test_build_writes_the_release_and_says_so(built, asserted, inferred) -> None:
    assert sorted(p.name for p in built.out.iterdir()) == [INFERRED_NAME, RELEASE_NAME, VOID_NAME]
    assert built.stderr == (
        f"rcpgraph build: wrote {built.out / RELEASE_NAME} ({len(asserted)} triples) and "
        f"{built.out / INFERRED_NAME} ({len(inferred)} triples); SHACL: conforms\n"
    )


@pytest.mark.slow
def test_two_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        out = tmp_path / f"out{run}"
        env = {**os.environ, "PYTHONHASHSEED": str(run + 1), "RCPGRAPH_HOME": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "rcpgraph", "build", "--out", str(out)], check=True, env=env, capture_output=True
        )
        outputs.append(_snapshot(out))
    assert outputs[0] == outputs[1]


def test_a_curation_mistake_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tree / "data" / "release"
    before = _snapshot(release)
    cells = tree / "data" / "curation" / "cells.yaml"
    cells.write_text(cells.read_text().replace("\nigc:\n", "\nigcc:\n"))
    line = cells.read_text().splitlines().index("igcc:") + 1
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rcpgraph build: {cells}:{line}: unknown process 'igcc' (expected one of: midsa, ")
    assert err.count("\n") == 1
    assert _snapshot(release) == before


def test_a_yaml_syntax_error_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tree / "data" / "release"
    before = _snapshot(release)
    noise = tree / "data" / "curation" / "noise.yaml"
    noise.write_text(noise.read_text() + "L9F9: [unclosed\n")
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rcpgraph build: {noise}:")
    assert "invalid YAML" in err and "Traceback" not in err
    assert _snapshot(release) == before


def test_a_value_of_the_wrong_kind_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tree / "data" / "release"
    before = _snapshot(release)
    sacm = tree / "data" / "curation" / "statements" / "sacm.yaml"
    text = sacm.read_text()
    sacm.write_text(
        text.replace(
            "    involves: [inter-american-development-bank]", "    involves: {inter-american-development-bank}"
        )
    )
    line = text[: text.index("    involves: [inter-american-development-bank]")].count("\n") + 1
    assert main(["build"]) == 2
    assert capsys.readouterr().err == (
        f"rcpgraph build: {sacm}:{line}: involves: expected a list of keys, not a mapping\n"
    )
    assert _snapshot(release) == before


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        """A terminal, as far as the command can tell."""
        return True


@pytest.mark.slow
def test_a_build_on_a_terminal_shows_a_line_per_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCPGRAPH_HOME", str(ROOT))
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["build", "--out", str(tmp_path / "release")]) == 0
    shown = [line.strip() for line in terminal.getvalue().split("\r") if line.strip()]
    assert shown[:-1] == [
        "reading the source, the curation and the ontology",
        "building the asserted graph",
        "reasoning (OWL 2 RL)",
        "validating (SHACL)",
        "writing the release",
    ]
    assert shown[-1].startswith("rcpgraph build: wrote ")


@pytest.mark.slow
def test_a_build_that_fails_validation_exits_1_and_keeps_the_release(tree: Path, capsys) -> None:
    release = tree / "data" / "release"
    before = _snapshot(release)
    shapes = tree / "ontology" / "shapes.ttl"
    shapes.write_text(
        shapes.read_text() + "\n<urn:test:strict> a <http://www.w3.org/ns/shacl#NodeShape> ;\n"
        "    <http://www.w3.org/ns/shacl#targetNode> <https://w3id.org/rcpgraph/id/process/midsa> ;\n"
        "    <http://www.w3.org/ns/shacl#property> [ <http://www.w3.org/ns/shacl#path> <urn:test:missing> ;\n"
        "        <http://www.w3.org/ns/shacl#minCount> 1 ] .\n"
    )
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rcpgraph build: the graph does not conform to the shapes; the release was not written\n")
    assert "<https://w3id.org/rcpgraph/id/process/midsa>" in err
    assert _snapshot(release) == before


def test_outside_a_checkout_build_needs_out(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RCPGRAPH_HOME", raising=False)
    monkeypatch.setattr("rcpgraph.paths._is_checkout", lambda folder: False)
    assert main(["build"]) == 2
    assert capsys.readouterr().err == (
        "rcpgraph build: not inside an rcpgraph checkout: give the release folder with --out DIR\n"
    )


def test_export_inferred_ntriples_validates_and_a_missing_dimension_fails(tree: Path, capsys) -> None:
    exported = tree / "all.nt"
    assert main(["export", "--inferred", "--format", "ntriples", "-o", str(exported)]) == 0
    assert main(["validate", str(exported)]) == 0
    capsys.readouterr()
    response = "<https://w3id.org/rcpgraph/id/response/midwa/pilot-projects>"
    lines = exported.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{response} <https://w3id.org/rcpgraph/ontology#dimension>")]
    assert len(kept) == len(lines) - 1
    broken = tree / "broken.nt"
    broken.write_text("".join(kept))
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert response in out and "rcp:dimension" in out


def test_export_formats_round_trip(tree: Path, asserted) -> None:
    from rdflib.compare import isomorphic

    for fmt, suffix in (("turtle", "ttl"), ("ntriples", "nt"), ("jsonld", "jsonld"), ("trig", "trig")):
        path = tree / f"export.{suffix}"
        assert main(["export", "--format", fmt, "-o", str(path)]) == 0
        assert isomorphic(rdfio.parse_file(path), asserted), fmt
