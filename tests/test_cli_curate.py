"""`rcpgraph curate --suggest`: what no statement covers yet."""

from __future__ import annotations

from pathlib import Path

from rcpgraph.cli import main


def test_the_checkout_leaves_one_suggestion(capsys) -> None:
    assert main(["curate", "--suggest"]) == 0
    out, err = capsys.readouterr()
    assert out == "midsa/cross-fertilization:44-48  place  bali  'Bali'\n"
    assert err == "rcpgraph curate: 1 suggestion\n"


def test_an_uncovered_name_is_suggested(tree: Path, capsys) -> None:
    path = tree / "data" / "curation" / "statements" / "colombo-process.yaml"
    text = path.read_text()
    path.write_text(text.replace("  - mention: pakistan\n    quote: Islamabad Pakistan\n", ""))
    assert main(["curate", "--suggest", "--process", "colombo-process"]) == 0
    out, err = capsys.readouterr()
    assert out == "colombo-process/capacity-building:435-443  place  pakistan  'Pakistan'\n"
    assert err == "rcpgraph curate: 1 suggestion\n"


def test_without_suggest_it_checks_the_files(capsys) -> None:
    assert main(["curate"]) == 0
    assert capsys.readouterr().err == "rcpgraph curate: the curation files are consistent with the source\n"


def test_an_unknown_process(capsys) -> None:
    assert main(["curate", "--suggest", "--process", "midsaa"]) == 2
    assert capsys.readouterr().err == "rcpgraph curate: unknown process 'midsaa'\n"
