"""Every YAML file read has limits (size, nesting depth, number size), refused at their file and line, never
with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph import yamlfile
from rcpgraph.cli import main
from rcpgraph.errors import InputError


def _error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        yamlfile.load(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "1:35: nested deeper than 32 levels (the limit for YAML files)"),
        ("a: " + "{b: " * 33 + "1" + "}" * 33 + "\n", "1:128: nested deeper than 32 levels (the limit for YAML files)"),
        (
            "".join("  " * depth + f"k{depth}:\n" for depth in range(40)),
            "33:65: nested deeper than 32 levels (the limit for YAML files)",
        ),
        ("a:\n  b: " + "9" * 5_001 + "\n", "2:6: a number of 5001 digits (the limit for YAML files is 20)"),
        ("- 0x" + "f" * 30 + "\n- " + "1_" * 21 + "1\n", "2:3: a number of 22 digits (the limit for YAML files is 20)"),
        ("? " + "1" * 21 + "\n: key\n", "1:3: a number of 21 digits (the limit for YAML files is 20)"),
        (("# " + "x" * 98 + "\n") * 11_000, "10382: larger than 1 MiB (the limit for YAML files)"),
    ],
    ids=[
        "flow lists",
        "flow mappings",
        "block mappings",
        "a long integer",
        "a long integer with _",
        "a long key",
        "a big file",
    ],
)
def test_a_yaml_file_past_a_limit_is_refused_where_it_passes_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "limits.yaml"
    path.write_text(text, encoding="utf-8")
    assert _error(path) == f"{path}:{message}"


def test_a_yaml_file_at_the_limits_is_read(tmp_path: Path) -> None:
    path = tmp_path / "limits.yaml"
    path.write_text("a: " + "[" * 31 + "9" * 20 + "]" * 31 + "\n", encoding="utf-8")
    value = yamlfile.load(path)["a"]
    for _ in range(31):
        value = value[0]
    assert value == int("9" * 20)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "noise.yaml",
            "L9F9: " + "[" * 100 + "]" * 100 + "\n",
            "38: nested deeper than 32 levels (the limit for YAML files)",
        ),
        ("noise.yaml", "L9F9: " + "7" * 5_001 + "\n", "7: a number of 5001 digits (the limit for YAML files is 20)"),
    ],
    ids=["deep", "long number"],
)
def test_build_refuses_a_curation_file_past_a_limit_and_keeps_the_release(
    tree: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    release = tree / "data" / "release"
    before = {path.name: path.read_bytes() for path in release.iterdir()}
    path = tree / "data" / "curation" / name
    lines = path.read_text(encoding="utf-8").count("\n")
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    assert main(["build"]) == 2
    assert capsys.readouterr().err == f"rcpgraph build: {path}:{lines + 1}:{message}\n"
    assert {path.name: path.read_bytes() for path in release.iterdir()} == before


def test_a_character_yaml_does_not_allow_is_refused_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "noise.yaml"
    path.write_text('L9F9:\n  reason: "a\x01b"\n', encoding="utf-8")
    assert _error(path) == f"{path}:2:13: invalid YAML: the character #x0001 is not allowed in YAML"
