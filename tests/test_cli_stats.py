"""`rcpgraph stats`: counts per class and the process × dimension status table."""

from __future__ import annotations

from rcpgraph.cli import main


def test_stats_counts_and_matrix(capsys) -> None:
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Instances per class"
    assert "rcp:SurveyResponse               96" in lines
    assert "rcp:SourceFragment               92" in lines
    assert "rcp:RegionalConsultativeProcess  12" in lines
    assert "rcp:NoiseFragment                3" in lines
    assert (
        "Cell status (96 cells: 44 answered, 8 fragment, 12 no-example-provided, 16 no-response-given, 16 blank)"
        in lines
    )
    matrix = lines[
        lines.index(
            "Cell status (96 cells: 44 answered, 8 fragment, 12 no-example-provided, 16 no-response-given, 16 blank)"
        ) :
    ]
    matrix = matrix[: matrix.index("Individuals derived from each row")]
    rows = {line.split()[0]: line.split()[1:] for line in matrix if line.startswith(("midsa ", "sacm ", "apc "))}
    assert rows["midsa"] == ["answered", "answered", "-", "answered", "fragment", "answered", "answered", "fragment"]
    assert rows["sacm"] == [
        "no-example",
        "no-example",
        "no-example",
        "answered",
        "-",
        "fragment",
        "fragment",
        "no-response",
    ]
    assert rows["apc"] == ["no-response", "answered", "-", "-", "no-response", "no-response", "no-response", "answered"]


def test_stats_without_a_release(tmp_path, capsys) -> None:
    assert main(["stats", "--release", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"rcpgraph stats: release not found: {tmp_path / 'rcpgraph.ttl'} (run `rcpgraph build`)\n"
    )
