"""Noise is what belongs to no cell: `rcpgraph curate` refuses a fragment both in a cell and declared noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph.cli import main


@pytest.mark.parametrize(("fragment", "cited"), [("L6F1", "L6F1"), ("L14F1", "L14F1#1")])
def test_a_fragment_in_a_cell_declared_noise_is_refused_where_the_cell_cites_it(
    tree: Path, capsys: pytest.CaptureFixture[str], fragment: str, cited: str
) -> None:
    curation = tree / "data" / "curation"
    with (curation / "noise.yaml").open("a", encoding="utf-8") as noise:
        noise.write(f"{fragment}:\n  reason: Declared noise by mistake.\n")
    cells = curation / "cells.yaml"
    lines = cells.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if cited in text and not text.startswith("#"))
    assert main(["curate"]) == 2
    assert capsys.readouterr() == ("", f"rcpgraph curate: {cells}:{line}: {cited} is declared noise in noise.yaml\n")
