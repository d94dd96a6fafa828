"""The `rcpgraph` entry point: no command, an interrupted command, a closed pipe."""

from __future__ import annotations

import argparse

import pytest

from rcpgraph.cli import main, stats


def test_no_command_prints_the_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: rcpgraph [-h] COMMAND ...\n")


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [(KeyboardInterrupt, 130, "rcpgraph: interrupted\n"), (BrokenPipeError, 0, "")],
)
def test_an_interrupted_command_and_a_closed_pipe(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    raised: type[BaseException],
    code: int,
    message: str,
) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise raised

    monkeypatch.setattr(stats, "run", interrupted)
    assert main(["stats"]) == code
    assert capsys.readouterr() == ("", message)
