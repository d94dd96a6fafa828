"""Commands writing to a full device: one message and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
FULL = Path("/dev/full")


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "argv",
    [
        ["query", "groups", "--release", str(MINI)],
        ["query", "--list"],
        ["stats", "--release", str(MINI)],
        ["export", "--release", str(MINI)],
        ["validate", str(MINI / "rcpgraph.ttl"), str(MINI / "rcpgraph-inferred.ttl")],
    ],
    ids=["query", "query-list", "stats", "export", "validate"],
)
def test_a_full_output_is_one_message_and_exit_2(argv: list[str]) -> None:
    with FULL.open("w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "rcpgraph", *argv], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert (run.returncode, run.stderr) == (
        2,
        f"rcpgraph {argv[0]}: cannot write to standard output: No space left on device\n",
    )
