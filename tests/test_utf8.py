"""Text that is not UTF-8: the first bad byte is placed by line and by column counted in characters, not bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph.cli import main
from rcpgraph.errors import InputError, read_text, require_utf8
from rcpgraph.rdfio import parse_file

# Line 2 holds 11 characters in 18 bytes (é and à take 2, € 3, 😀 4) before the bad byte: column 12, not 19.
BYTES = "# one\n# déjà € 😀 ".encode() + b"\xff\n"


def test_a_file_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "noise.yaml"
    path.write_bytes(BYTES)
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert str(caught.value) == f"{path}:2:12: the file is not UTF-8 text: byte 0xff"


def test_text_python_has_already_decoded() -> None:
    with pytest.raises(InputError) as caught:
        require_utf8(BYTES.decode("utf-8", "surrogateescape"), "q.rq", "query")
    assert str(caught.value) == "q.rq:2:12: the query is not UTF-8 text: byte 0xff"


def test_an_rdf_file(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_bytes(BYTES)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert str(caught.value) == f"{path}:2:12: invalid UTF-8 (byte 0xff)"


def test_a_query_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    sparql = ('ASK {\n  ?s ?p "déjà € 😀 '.encode() + b'\xff" }').decode("utf-8", "surrogateescape")
    assert main(["query", "--sparql", sparql]) == 2
    assert capsys.readouterr() == ("", "rcpgraph query: <sparql>:2:19: the query is not UTF-8 text: byte 0xff\n")
