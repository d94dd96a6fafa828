"""Read each cell: join its fragments, apply the OCR corrections, and check its status (stage 2b)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rcpgraph.pipeline.curation import CellPlan, Correction, Curation, Ref, spans
from rcpgraph.pipeline.source import Source

_STOCK = {"no-example-provided": "no example provided", "no-response-given": "no response given"}
_LETTER = re.compile(r"[^\W\d_]")

Origin = tuple[int, int, int]
"""Where a character of a corrected text is read from: the part's order and the span [start, end) of its field."""


@dataclass(frozen=True)
class Edit:
    """One application of a correction to one fragment: the span [start, end) of its verbatim text."""

    correction: Correction
    line: int
    field: int
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    """The `order`-th piece of what is read from the source: the span [start, end) of one field's text."""

    order: int
    line: int
    field: int
    start: int
    end: int


@dataclass(frozen=True)
class Part(Piece):
    """The piece of one fragment a cell is made of, verbatim and corrected, with each corrected character's origin."""

    verbatim: str
    corrected: str
    edits: tuple[Edit, ...]
    origins: tuple[Origin, ...]


@dataclass(frozen=True)
class Cell:
    """One cell, read: what the graph says of one process for one dimension."""

    plan: CellPlan
    parts: tuple[Part, ...]
    source_text: str | None
    text: str | None
    assignment: str
    origins: tuple[Origin | None, ...]

    @property
    def notes(self) -> list[str]:
        """The editorial notes: the reason for a re-assignment, then any other note."""
        return [note for note in (self.plan.reason, self.plan.note) if note]

    def pieces(self, start: int, end: int) -> tuple[Piece, ...]:
        """The spans of the fragments whose words make text[start:end], in reading order (white space aside)."""
        spans: dict[int, tuple[int, int]] = {}
        for origin in self.origins[start:end]:
            if origin is not None:
                order, first, last = origin
                low, high = spans.get(order, (first, last))
                spans[order] = (min(low, first), max(high, last))
        read = [part for part in self.parts if part.order in spans]
        return tuple(
            Piece(number, part.line, part.field, *spans[part.order]) for number, part in enumerate(read, start=1)
        )


def read_cells(source: Source, curation: Curation) -> dict[tuple[str, str], Cell]:
    """Every cell of the table, in curation order, with corrections applied and checked."""
    applied: dict[int, int] = {c.number: 0 for c in curation.corrections}
    cells = {}
    for key, plan in curation.cells.items():
        cell = _read(plan, source, curation)
        for part in cell.parts:
            for edit in part.edits:
                applied[edit.correction.number] += 1
        cells[key] = cell
    for correction in curation.corrections:
        if not applied[correction.number]:
            scope = "/".join(correction.scope) if correction.scope else "any cell"
            raise correction.where.error(f"correction {correction.wrong!r} does not apply: not found in {scope}")
    return cells


def _read(plan: CellPlan, source: Source, curation: Curation) -> Cell:
    corrections = [c for c in curation.corrections if c.scope in (None, (plan.process, plan.dimension))]
    parts = tuple(
        _part(order, ref, source, curation, corrections)
        for order, ref in enumerate((r for r in plan.refs if source.field(r.line, r.field)), start=1)
    )
    source_text = " ".join(part.verbatim for part in parts) or None
    traced = _join(parts)
    corrected = "".join(char for char, _ in traced)
    text = corrected if _LETTER.search(corrected) else None
    assignment = _assignment(plan, curation)
    _check(plan, text, assignment)
    return Cell(plan, parts, source_text, text, assignment, tuple(origin for _, origin in traced))


def _join(parts: tuple[Part, ...]) -> list[tuple[str, Origin | None]]:
    """The parts' corrected texts joined by a space, each run of white space one space, the ends stripped."""
    joined: list[tuple[str, Origin | None]] = []
    for index, part in enumerate(parts):
        separator: list[tuple[str, Origin | None]] = [(" ", None)] if index else []
        for char, origin in [*separator, *zip(part.corrected, part.origins, strict=True)]:
            if not char.isspace():
                joined.append((char, origin))
            elif joined and joined[-1][0] != " ":
                joined.append((" ", None))
    if joined and joined[-1][0] == " ":
        joined.pop()
    return joined


def _part(order: int, ref: Ref, source: Source, curation: Curation, corrections: list[Correction]) -> Part:
    text = source.cited(ref.line, ref.field).text
    start, end = 0, len(text)
    if ref.part is not None:
        start, end = spans(curation.splits[ref.key], text)[ref.part - 1]
    verbatim = text[start:end]
    edits = _edits(verbatim, start, ref, corrections)
    traced = _apply(verbatim, start, order, edits)
    corrected = "".join(char for char, _ in traced)
    origins = tuple(origin for _, origin in traced)
    return Part(order, ref.line, ref.field, start, end, verbatim, corrected, edits, origins)


def _edits(verbatim: str, offset: int, ref: Ref, corrections: list[Correction]) -> tuple[Edit, ...]:
    """Where each correction matches the verbatim text; overlapping matches are an error."""
    edits: list[Edit] = []
    for correction in corrections:
        for match in re.finditer(re.escape(correction.wrong), verbatim):
            edit = Edit(correction, ref.line, ref.field, offset + match.start(), offset + match.end())
            for other in edits:
                if edit.start < other.end and other.start < edit.end:
                    raise correction.where.error(
                        f"correction {correction.wrong!r} overlaps correction {other.correction.wrong!r} in {ref}"
                    )
            edits.append(edit)
    return tuple(sorted(edits, key=lambda e: e.start))


def _apply(verbatim: str, offset: int, order: int, edits: tuple[Edit, ...]) -> list[tuple[str, Origin]]:
    """The corrected characters, each with its origin: its own place, or the span of the words it corrects."""
    traced: list[tuple[str, Origin]] = []
    position = offset
    for edit in edits:
        traced += _verbatim(verbatim[position - offset : edit.start - offset], position, order)
        traced += [(char, (order, edit.start, edit.end)) for char in edit.correction.right]
        position = edit.end
    return traced + _verbatim(verbatim[position - offset :], position, order)


def _verbatim(words: str, offset: int, order: int) -> list[tuple[str, Origin]]:
    return [(char, (order, at, at + 1)) for at, char in enumerate(words, start=offset)]


def _assignment(plan: CellPlan, curation: Curation) -> str:
    column = curation.layout.column_of(plan.dimension)
    printed_here = bool(plan.refs) and all(ref.field == column for ref in plan.refs)
    assignment = "as-printed" if printed_here else "inferred"
    if assignment == "inferred" and not plan.reason:
        raise plan.where.error(
            f"cell {plan.process}/{plan.dimension} is not printed under its column (field {column}): give a 'reason'"
        )
    if assignment == "as-printed" and plan.reason:
        raise plan.where.error(
            f"cell {plan.process}/{plan.dimension} is printed under its column: "
            "'reason' is for re-assignments; use 'note'"
        )
    return assignment


def _check(plan: CellPlan, text: str | None, assignment: str) -> None:
    """The status must agree with the corrected text."""
    name = f"cell {plan.process}/{plan.dimension}"
    stock = _STOCK.get(plan.status)
    if stock is not None and (text or "").strip(" .").lower() != stock:
        raise plan.where.error(f"{name}: status {plan.status} but the text is {text!r}")
    if plan.status == "blank" and text is not None:
        raise plan.where.error(f"{name}: status blank but the text is legible: {text[:40]!r}")
    if plan.status in ("answered", "fragment"):
        if text is None:
            raise plan.where.error(f"{name}: status {plan.status} but the cell has no legible text")
        if text.strip(" .").lower() in _STOCK.values():
            raise plan.where.error(f"{name}: status {plan.status} but the text is {text!r}")
