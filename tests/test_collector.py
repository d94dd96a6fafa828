"""The build's collector thresholds: raised for the length of a build, restored after it, even when it fails."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from rcpgraph.pipeline import build, collector, graph


def test_the_young_threshold_is_raised_in_the_block_and_restored_after() -> None:
    before = gc.get_threshold()
    with collector.fewer_collections():
        assert gc.get_threshold() == (100_000, *before[1:])
    assert gc.get_threshold() == before


def test_the_thresholds_are_restored_when_the_block_raises() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="stop"), collector.fewer_collections(5_000):
        assert gc.get_threshold()[0] == 5_000
        raise ValueError("stop")
    assert gc.get_threshold() == before


def test_a_build_runs_with_the_raised_threshold(layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def load_inputs(_layout: object) -> graph.Inputs:
        seen.append(gc.get_threshold()[0])
        raise ValueError("stop after the first stage")

    before = gc.get_threshold()
    monkeypatch.setattr(graph, "load_inputs", load_inputs)
    with pytest.raises(ValueError, match="stop after the first stage"):
        build.run(layout, tmp_path / "release")
    assert seen == [collector.YOUNG]
    assert gc.get_threshold() == before
