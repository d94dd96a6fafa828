"""The README's quick start has exactly two commands, and CI runs the test command, then the gates."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_quick_start_has_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    main_job, tests = commands
    assert "pip install ." in main_job and "rcpgraph build" in main_job and "rcpgraph query" in main_job
    assert "rcpgraph stats" in main_job
    assert tests.endswith("pytest -n auto --cov")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_ci_runs_the_gates_after_the_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "set -euo pipefail"
    after = lines[lines.index(_quick_start_commands()[1]) + 1 :]
    assert after == [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"]


def test_the_gates_are_configured() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert tool["pytest"]["ini_options"]["timeout"] == 300
    assert tool["coverage"]["run"]["source"] == ["rcpgraph"]
    assert tool["coverage"]["report"]["fail_under"] == 96
    assert tool["ruff"]["line-length"] == 120
    assert {"E", "F", "W", "I", "B", "UP", "SIM", "RUF"} <= set(tool["ruff"]["lint"]["select"])
    assert tool["mypy"]["files"] == ["src/rcpgraph"]
