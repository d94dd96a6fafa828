"""Reading the table: lines, fields, kinds, and the checksum of the verbatim copy."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rcpgraph.errors import InputError
from rcpgraph.pipeline import source
from rcpgraph.pipeline.source import LineKind

SHA256 = "e79cd0a666823b943744ecb209849f98f92505918a7e7bfa7bf52e64545bd218"


def test_the_copy_is_byte_identical_to_the_table_as_received(layout) -> None:
    assert hashlib.sha256(layout.source_file.read_bytes()).hexdigest() == SHA256
    assert layout.checksum_file.read_text() == f"{SHA256}  {layout.source_file.name}\n"


def test_lines_are_classified(layout) -> None:
    table = source.read(layout.source_file, layout.checksum_file)
    kinds = {kind: [n for n, k in enumerate(table.kinds, 1) if k is kind] for kind in LineKind}
    assert kinds[LineKind.TITLE] == [1]
    assert kinds[LineKind.HEADER] == [3, 4]
    assert kinds[LineKind.GROUP] == [5, 18, 23]
    assert kinds[LineKind.ROW] == [6, 7, 9, 10, 11, 13, 14, 15, 16, 20, 21, 22, 25, 26, 27]
    assert kinds[LineKind.FOOTNOTE] == [29, 30, 31]
    assert kinds[LineKind.EMPTY] == [2, 8, 12, 17, 19, 24, 28]


def test_92_fragments_in_the_data_columns_of_15_rows(layout) -> None:
    table = source.read(layout.source_file)
    fragments = table.fragments()
    assert len(table.row_lines()) == 15
    assert len(fragments) == 92
    assert all(f.field >= 1 and f.text.strip() for f in fragments)
    assert table.field(14, 3).text.startswith("2002 Quito Declaration")
    assert table.field(25, 6).text == "-"
    assert table.field(6, 3) is None


def test_a_cited_field_is_there(layout) -> None:
    table = source.read(layout.source_file)
    assert table.cited(14, 3) == table.field(14, 3)
    with pytest.raises(LookupError) as caught:
        table.cited(6, 3)
    assert str(caught.value) == f"{layout.source_file.name} has no field 3 on line 6"


def test_a_changed_source_is_refused(tmp_path: Path, layout) -> None:
    copy = tmp_path / layout.source_file.name
    copy.write_bytes(layout.source_file.read_bytes() + b"\n")
    with pytest.raises(InputError) as caught:
        source.read(copy, layout.checksum_file)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert str(caught.value) == (
        f"{layout.checksum_file}:1: SHA-256 of {copy.name} is {digest}, but {SHA256} is recorded: "
        "the source must stay byte-identical to the table as received"
    )


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_bytes(b"title\nok\tfine\n\xff\xfe broken\n")
    with pytest.raises(InputError) as caught:
        source.read(path)
    assert str(caught.value) == f"{path}:3: the source table is not valid UTF-8"
