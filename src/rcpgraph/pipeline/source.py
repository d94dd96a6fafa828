"""Read the Annex B table: lines, tab fields, and the role of each line (stage 1 of the pipeline)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rcpgraph.errors import InputError


class LineKind(Enum):
    """What a line of the source file is."""

    TITLE = "title"
    HEADER = "header"
    GROUP = "group"
    ROW = "row"
    FOOTNOTE = "footnote"
    EMPTY = "empty"


@dataclass(frozen=True)
class Field:
    """One non-empty tab field of one line, verbatim."""

    line: int
    field: int
    text: str
    kind: LineKind

    @property
    def is_cell(self) -> bool:
        """True for a field in the data columns of a table row (an `rcp:SourceFragment`)."""
        return self.kind is LineKind.ROW and self.field > 0

    @property
    def key(self) -> tuple[int, int]:
        return (self.line, self.field)


@dataclass(frozen=True)
class Source:
    """The whole source file, split into lines and fields."""

    path: Path
    sha256: str
    lines: tuple[str, ...]
    kinds: tuple[LineKind, ...]

    def fields(self) -> list[Field]:
        """Every non-empty field of the file, in reading order."""
        found = []
        for number, (line, kind) in enumerate(zip(self.lines, self.kinds, strict=True), start=1):
            for index, text in enumerate(line.split("\t")):
                if text.strip():
                    found.append(Field(number, index, text, kind))
        return found

    def fragments(self) -> list[Field]:
        """The non-empty fields of the data columns of the table rows."""
        return [field for field in self.fields() if field.is_cell]

    def field(self, line: int, index: int) -> Field | None:
        """The non-empty field at (line, index), or None."""
        if not 1 <= line <= len(self.lines):
            return None
        parts = self.lines[line - 1].split("\t")
        if index >= len(parts) or not parts[index].strip():
            return None
        return Field(line, index, parts[index], self.kinds[line - 1])

    def cited(self, line: int, index: int) -> Field:
        """The field at (line, index) that a checked curation cites (a LookupError if it is empty or absent)."""
        found = self.field(line, index)
        if found is None:
            raise LookupError(f"{self.path.name} has no field {index} on line {line}")
        return found

    def row_lines(self) -> list[int]:
        """Numbers of the table-row lines."""
        return [n for n, kind in enumerate(self.kinds, start=1) if kind is LineKind.ROW]


_GROUP = re.compile(r"^Group \d+:")
_FOOTNOTE = re.compile(r"^\S{0,5}\s*'?Please note|^but on primary sources")


def classify(number: int, line: str, header_seen: bool) -> LineKind:
    """The kind of one line, from its content and position."""
    first = line.split("\t")[0]
    if not line.strip():
        return LineKind.EMPTY
    if number == 1:
        return LineKind.TITLE
    if _GROUP.match(first):
        return LineKind.GROUP
    if _FOOTNOTE.match(first):
        return LineKind.FOOTNOTE
    if not header_seen:
        return LineKind.HEADER
    return LineKind.ROW


def _is_last_header(line: str) -> bool:
    return line.split("\t")[1:2] == ["Research"]


def read(path: Path, checksum_file: Path | None = None) -> Source:
    """Read and split the source file, checking its SHA-256 against `checksum_file` when given."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the source table: {error.strerror}", file=path) from None
    digest = hashlib.sha256(raw).hexdigest()
    if checksum_file is not None:
        _check(path, digest, checksum_file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        at = raw[: error.start].count(b"\n") + 1
        raise InputError("the source table is not valid UTF-8", file=path, line=at) from None
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    kinds, header_seen = [], False
    for number, line in enumerate(lines, start=1):
        kinds.append(classify(number, line, header_seen))
        header_seen = header_seen or _is_last_header(line)
    return Source(path, digest, lines, tuple(kinds))


def _check(path: Path, digest: str, checksum_file: Path) -> None:
    """Fail when the recorded SHA-256 of the source differs from the file's."""
    try:
        records = checksum_file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"cannot read the checksum file: {error.strerror}", file=checksum_file) from None
    for number, record in enumerate(records, start=1):
        recorded, _, name = record.partition("  ")
        if name.strip() == path.name:
            if recorded != digest:
                raise InputError(
                    f"SHA-256 of {path.name} is {digest}, but {recorded} is recorded: "
                    "the source must stay byte-identical to the table as received",
                    file=checksum_file,
                    line=number,
                )
            return
    raise InputError(f"no SHA-256 recorded for {path.name}", file=checksum_file)
