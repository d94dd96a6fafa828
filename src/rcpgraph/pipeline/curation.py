"""Load the editors' curation files (data/curation/*.yaml) and check them against the source.

This is stage 2 of the pipeline and the single place where editorial judgement lives: which
fields make which cell, how merged fields split, which fragments are noise, which OCR errors are
corrected, and how each process is named and grouped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rcpgraph import yamlfile
from rcpgraph.errors import InputError
from rcpgraph.pipeline import schemas
from rcpgraph.pipeline.source import Field, LineKind, Source
from rcpgraph.vocabulary import Vocabulary

_REF = re.compile(r"^L(?P<line>[1-9]\d*)F(?P<field>\d+)(?:#(?P<part>[1-9]\d*))?$")
EVERYWHERE = "everywhere"


@dataclass(frozen=True)
class Where:
    """A place in a curation file."""

    file: Path
    line: int

    def error(self, message: str) -> InputError:
        """An InputError at this place."""
        return InputError(message, file=self.file, line=self.line)

    def at(self, entry: yamlfile.LineMap, key: str) -> Where:
        """The place of `key` in `entry` (read at this place); this place when the entry lacks the key."""
        return Where(self.file, entry.key_lines.get(key, self.line))


@dataclass(frozen=True)
class Ref:
    """A reference to a source field, or to one part of a split field ("L14F1#2")."""

    line: int
    field: int
    part: int | None
    where: Where

    @property
    def key(self) -> tuple[int, int]:
        return (self.line, self.field)

    def __str__(self) -> str:
        return f"L{self.line}F{self.field}" + (f"#{self.part}" if self.part else "")


@dataclass(frozen=True)
class Split:
    """A field that holds the words of several cells."""

    ref: Ref
    parts: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Noise:
    """A fragment that belongs to no cell, with the reason."""

    ref: Ref
    reason: str


@dataclass(frozen=True)
class Correction:
    """An OCR correction: `wrong` becomes `right` in one cell or everywhere."""

    number: int
    wrong: str
    right: str
    scope: tuple[str, str] | None
    reason: str
    where: Where


@dataclass(frozen=True)
class CellPlan:
    """The editors' plan for one cell: its fields, status and reasons."""

    process: str
    dimension: str
    status: str
    refs: tuple[Ref, ...]
    reason: str | None
    note: str | None
    where: Where


@dataclass(frozen=True)
class ProcessPlan:
    """How one process is named, grouped and read from its row labels."""

    slug: str
    order: int
    label: str
    alt_labels: tuple[str, ...]
    acronym: str | None
    aliases: tuple[str, ...]
    printed: tuple[Ref, ...]
    group: str | None
    basis: str | None
    regional: bool
    note: str | None
    where: Where


@dataclass(frozen=True)
class TableLayout:
    """Where the table's title, headings and footnotes are printed."""

    title: tuple[Ref, ...]
    row_label_heading: tuple[Ref, ...]
    columns: dict[str, tuple[Ref, ...]]
    column_groups: dict[str, tuple[Ref, ...]]
    groups: dict[str, tuple[Ref, ...]]
    bases: dict[str, tuple[Ref, ...]]

    def column_of(self, dimension: str) -> int:
        """The tab field a dimension's column is printed in."""
        return self.columns[dimension][0].field

    def label_refs(self) -> list[Ref]:
        """Every label reference of the layout."""
        found = [*self.title, *self.row_label_heading]
        for table in (self.columns, self.column_groups, self.groups, self.bases):
            for refs in table.values():
                found.extend(refs)
        return found


@dataclass
class Curation:
    """Everything the editors decided, checked against the source."""

    folder: Path
    layout: TableLayout
    processes: dict[str, ProcessPlan]
    cells: dict[tuple[str, str], CellPlan]
    splits: dict[tuple[int, int], Split]
    noise: dict[tuple[int, int], Noise]
    corrections: list[Correction] = field(default_factory=list)

    def regional_processes(self) -> list[ProcessPlan]:
        """The RCPs with a row in the table, in table order."""
        return [plan for plan in self.processes.values() if plan.regional]


def load(folder: Path, source: Source, terms: Vocabulary) -> Curation:
    """Load every curation file in `folder` and check it against `source` and the ontology's `terms`."""
    layout = _layout(folder / "layout.yaml", source, terms)
    processes = _processes(folder / "processes.yaml", source, layout, terms)
    splits = _splits(folder / "splits.yaml", source)
    noise = _noise(folder / "noise.yaml", source)
    cells = _cells(folder / "cells.yaml", source, processes, splits, terms)
    corrections = _corrections(folder / "corrections.yaml", processes, terms)
    curation = Curation(folder, layout, processes, cells, splits, noise, corrections)
    _check_coverage(curation, source)
    return curation


# ---------------------------------------------------------------- small readers


def _mapping(data: Any, where: Where, what: str) -> yamlfile.LineMap:
    if not isinstance(data, yamlfile.LineMap):
        raise where.error(f"expected a mapping of {what}")
    return data


def _text(data: yamlfile.LineMap, key: str, where: Where) -> str:
    value = _optional_text(data, key, where)
    if value is None:
        raise where.error(f"missing '{key}'")
    return value


def _optional_text(data: yamlfile.LineMap, key: str, where: Where) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not value.strip():
        raise Where(where.file, data.key_lines[key]).error(f"'{key}' must be a non-empty string")
    return value


def _strings(data: yamlfile.LineMap, key: str, where: Where) -> tuple[str, ...]:
    value = tuple(data.get(key, ()))
    if not all(item.strip() for item in value):
        raise Where(where.file, data.key_lines[key]).error(f"'{key}' must be a list of non-empty strings")
    return value


def _ref(text: Any, where: Where, source: Source, allow_empty: bool = False) -> Ref:
    match = _REF.match(text) if isinstance(text, str) else None
    if not match:
        raise where.error(f"bad field reference {text!r} (expected e.g. 'L6F1' or 'L14F1#2')")
    part = int(match["part"]) if match["part"] else None
    ref = Ref(int(match["line"]), int(match["field"]), part, where)
    if not 1 <= ref.line <= len(source.lines):
        raise where.error(f"{text}: the source has no line {ref.line} (it has {len(source.lines)})")
    fields = source.lines[ref.line - 1].split("\t")
    if ref.field >= len(fields):
        raise where.error(f"{text}: line {ref.line} of the source has no field {ref.field} (it has {len(fields)})")
    if not allow_empty and not fields[ref.field].strip():
        raise where.error(f"{text}: field {ref.field} of line {ref.line} is empty")
    return ref


def _field(source: Source, ref: Ref) -> Field:
    """The field a checked reference names (a non-empty one)."""
    found = source.field(ref.line, ref.field)
    if found is None:
        raise ref.where.error(f"{ref}: field {ref.field} of line {ref.line} is empty")
    return found


def _refs(data: Any, where: Where, source: Source, allow_empty: bool = False) -> tuple[Ref, ...]:
    if not isinstance(data, yamlfile.LineList) or not data:
        raise where.error("expected a non-empty list of field references")
    pairs = zip(data, data.item_lines, strict=True)
    return tuple(_ref(item, Where(where.file, line), source, allow_empty) for item, line in pairs)


def _choice(value: Any, allowed: tuple[str, ...], what: str, where: Where) -> str:
    if value not in allowed:
        raise where.error(f"unknown {what} {value!r} (expected one of: {', '.join(allowed)})")
    return value


# ---------------------------------------------------------------- layout and processes


def _layout(path: Path, source: Source, terms: Vocabulary) -> TableLayout:
    data = yamlfile.read_mapping(path, schemas.LAYOUT)

    def table(key: str, names: tuple[str, ...]) -> dict[str, tuple[Ref, ...]]:
        entries = _mapping(data.get(key), Where(path, data.key_lines.get(key, 1)), key)
        found = {}
        for name, refs in entries.items():
            at = Where(path, entries.key_lines[name])
            found[_choice(name, names, key.rstrip("s"), at)] = _refs(refs, at, source)
        missing = [name for name in names if name not in found]
        if missing:
            raise Where(path, entries.line).error(f"{key}: missing {', '.join(missing)}")
        if list(found) != list(names):
            raise Where(path, data.key_lines[key]).error(f"{key} must be listed in printed order")
        return found

    def refs(key: str) -> tuple[Ref, ...]:
        return _refs(data.get(key), Where(path, data.key_lines.get(key, 1)), source)

    return TableLayout(
        title=refs("title"),
        row_label_heading=refs("row-label-heading"),
        columns=table("columns", terms.keys("dimension")),
        column_groups=table("column-groups", terms.broader_keys("dimension")),
        groups=table("groups", terms.keys("priority")),
        bases=table("bases", terms.keys("basis")),
    )


def _processes(path: Path, source: Source, layout: TableLayout, terms: Vocabulary) -> dict[str, ProcessPlan]:
    data = yamlfile.read_mapping(path, schemas.PROCESSES)
    plans: dict[str, ProcessPlan] = {}
    for order, (slug, entry) in enumerate(data.items(), start=1):
        where = Where(path, data.key_lines[slug])
        regional = entry.get("regional", True)
        printed: tuple[Ref, ...] = ()
        if regional or "printed" in entry:
            printed = _refs(entry.get("printed"), where.at(entry, "printed"), source)
        group: str | None = None
        basis: str | None = None
        if regional:
            group = _choice(entry.get("group"), terms.keys("priority"), "group", where.at(entry, "group"))
            basis = _choice(entry.get("basis"), terms.keys("basis"), "basis", where.at(entry, "basis"))
        plan = ProcessPlan(
            slug=slug,
            order=order,
            label=_text(entry, "label", where),
            alt_labels=_strings(entry, "alt-labels", where),
            acronym=_optional_text(entry, "acronym", where),
            aliases=_strings(entry, "aliases", where),
            printed=printed,
            group=group,
            basis=basis,
            regional=regional,
            note=_optional_text(entry, "note", where),
            where=where,
        )
        if regional:
            _check_process(plan, source, layout, where.at(entry, "basis"), where.at(entry, "group"))
        plans[slug] = plan
    return plans


def _check_process(plan: ProcessPlan, source: Source, layout: TableLayout, basis: Where, group: Where) -> None:
    """The basis must match the row label's marker, the group the heading above the row (errors at those keys)."""
    printed = _field(source, plan.printed[-1])
    marker = "**" if re.search(r"\*\*\s*$", printed.text) else "*" if printed.text.rstrip().endswith("*") else ""
    expected = {"*": "iom-questionnaire", "**": "primary-sources"}.get(marker)
    if plan.basis != expected:
        raise basis.error(
            f"process {plan.slug}: basis {plan.basis!r} does not match the marker {marker!r} of its row label"
        )
    row = plan.printed[-1].line
    above = [name for name, refs in layout.groups.items() if refs[0].line < row]
    if not above or above[-1] != plan.group:
        raise group.error(
            f"process {plan.slug}: group {plan.group!r}, but its row (line {row}) is printed under "
            f"{above[-1] if above else 'no group heading'!r}"
        )


# ---------------------------------------------------------------- splits and noise


def _splits(path: Path, source: Source) -> dict[tuple[int, int], Split]:
    data = yamlfile.read_mapping(path, schemas.SPLITS)
    splits = {}
    for key, entry in data.items():
        where = Where(path, data.key_lines[key])
        ref = _ref(key, where, source)
        parts = entry.get("parts", [])
        if len(parts) < 2:
            raise where.error(f"{key}: 'parts' must list at least two parts")
        split = Split(ref, tuple(parts), _text(entry, "reason", where))
        spans(split, _field(source, ref).text)
        splits[ref.key] = split
    return splits


def spans(split: Split, text: str) -> list[tuple[int, int]]:
    """The (start, end) of each part in the field's text; parts must cover it up to white space."""
    found, position = [], 0
    for part in split.parts:
        start = text.find(part, position)
        if start < 0 or text[position:start].strip():
            raise split.ref.where.error(f"{split.ref}: part {part!r} does not follow in the field's text")
        found.append((start, start + len(part)))
        position = start + len(part)
    if text[position:].strip():
        raise split.ref.where.error(f"{split.ref}: the parts leave {text[position:].strip()!r} unassigned")
    return found


def _noise(path: Path, source: Source) -> dict[tuple[int, int], Noise]:
    data = yamlfile.read_mapping(path, schemas.NOISE)
    noise = {}
    for key, entry in data.items():
        where = Where(path, data.key_lines[key])
        ref = _ref(key, where, source)
        noise[ref.key] = Noise(ref, _text(entry, "reason", where))
    return noise


# ---------------------------------------------------------------- cells


def _cells(
    path: Path,
    source: Source,
    processes: dict[str, ProcessPlan],
    splits: dict[tuple[int, int], Split],
    terms: Vocabulary,
) -> dict[tuple[str, str], CellPlan]:
    data = yamlfile.read_mapping(path, schemas.CELLS)
    cells = {}
    for slug, row in data.items():
        where = Where(path, data.key_lines[slug])
        if slug not in processes or not processes[slug].regional:
            raise where.error(f"unknown process {slug!r} (expected one of: {', '.join(_regional(processes))})")
        for dimension, entry in row.items():
            at = Where(path, row.key_lines[dimension])
            _choice(dimension, terms.keys("dimension"), "dimension", at)
            cells[(slug, dimension)] = _cell(slug, dimension, entry, at, source, splits, terms)
        missing = [d for d in terms.keys("dimension") if (slug, d) not in cells]
        if missing:
            raise where.error(f"process {slug}: no cell for {', '.join(missing)}")
    absent = [slug for slug in _regional(processes) if slug not in data]
    if absent:
        raise Where(path, 1).error(f"no cells for process {', '.join(absent)}")
    return cells


def _regional(processes: dict[str, ProcessPlan]) -> list[str]:
    return [slug for slug, plan in processes.items() if plan.regional]


def _cell(
    slug: str,
    dimension: str,
    entry: Any,
    where: Where,
    source: Source,
    splits: dict[tuple[int, int], Split],
    terms: Vocabulary,
) -> CellPlan:
    status = _choice(entry.get("status"), terms.keys("status"), "status", where.at(entry, "status"))
    refs: tuple[Ref, ...] = ()
    if "from" in entry:
        refs = _refs(entry["from"], where.at(entry, "from"), source, allow_empty=True)
    for ref in refs:
        split = splits.get(ref.key)
        fits = ref.part is not None and ref.part <= len(split.parts) if split else ref.part is None
        if not fits:
            expected = f"a part #1..#{len(split.parts)}" if split else "no part (the field is not split)"
            raise ref.where.error(f"{ref}: expected {expected}")
    return CellPlan(
        slug,
        dimension,
        status,
        refs,
        _optional_text(entry, "reason", where),
        _optional_text(entry, "note", where),
        where,
    )


# ---------------------------------------------------------------- corrections


def _corrections(path: Path, processes: dict[str, ProcessPlan], terms: Vocabulary) -> list[Correction]:
    data = yamlfile.read_list(path, schemas.CORRECTIONS)
    corrections = []
    for number, (entry, line) in enumerate(zip(data, data.item_lines, strict=True), start=1):
        where = Where(path, line)
        right = entry.get("right")
        if right is None:
            raise where.error("missing 'right' (a string; it may be empty)")
        scope = _scope(_text(entry, "in", where), where, processes, terms)
        corrections.append(
            Correction(number, _text(entry, "wrong", where), right, scope, _text(entry, "reason", where), where)
        )
    return corrections


def _scope(text: str, where: Where, processes: dict[str, ProcessPlan], terms: Vocabulary) -> tuple[str, str] | None:
    if text == EVERYWHERE:
        return None
    slug, _, dimension = text.partition("/")
    if slug not in processes or not processes[slug].regional:
        raise where.error(f"unknown process {slug!r} in 'in: {text}'")
    _choice(dimension, terms.keys("dimension"), "dimension", where)
    return (slug, dimension)


# ---------------------------------------------------------------- coverage


def _check_coverage(curation: Curation, source: Source) -> None:
    """Every fragment lands in exactly one cell (each part of a split field once), or is noise."""
    used: dict[tuple[int, int, int | None], CellPlan] = {}
    for cell in curation.cells.values():
        for ref in cell.refs:
            key = (ref.line, ref.field, ref.part)
            if key in used:
                other = used[key]
                raise ref.where.error(f"{ref} is already used by {other.process}/{other.dimension}")
            used[key] = cell
            if ref.key in curation.noise:
                raise ref.where.error(f"{ref} is declared noise in noise.yaml")
    for fragment in source.fragments():
        line, index = fragment.key
        split = curation.splits.get(fragment.key)
        parts: list[int | None] = [None] if split is None else list(range(1, len(split.parts) + 1))
        for part in parts:
            if (line, index, part) not in used and fragment.key not in curation.noise:
                name = f"L{line}F{index}" + (f"#{part}" if part else "")
                raise InputError(
                    f"fragment {name} ({fragment.text[:40]!r}) is in no cell of cells.yaml and not declared noise"
                    " in noise.yaml",
                    file=source.path,
                    line=line,
                )
    labels = [*curation.layout.label_refs(), *(r for p in curation.processes.values() for r in p.printed)]
    for ref in labels:
        if _field(source, ref).is_cell:
            raise ref.where.error(f"{ref} is a table cell, not a label")
    named = {ref.key for ref in labels}
    for label in label_fields(source):
        if label.key not in named:
            raise InputError(
                f"label L{label.line}F{label.field} ({label.text[:40]!r}) is named by no entry of layout.yaml"
                " or processes.yaml",
                file=source.path,
                line=label.line,
            )
    for cell in curation.cells.values():
        for ref in cell.refs:
            field_ = source.field(ref.line, ref.field)
            if field_ is not None and not field_.is_cell:
                raise ref.where.error(f"{ref} is a label ({field_.kind.value} line), not a table cell")


def label_fields(source: Source) -> list[Field]:
    """The non-empty fields outside the table's data cells (title, headings, row labels, footnotes)."""
    return [f for f in source.fields() if not f.is_cell and f.kind is not LineKind.EMPTY]
