"""Load YAML keeping the line of every key and item, and read a file against its declared schema
(how its entries nest, the keys each may hold and the kind of each value), so errors can name the
file, the line, the key and what was expected.

Every YAML text has limits, checked before they can exhaust the parser or Python: a file of at most
1 MiB, mappings and lists nested at most 32 deep, numbers of at most 20 digits. Past one, the text
is refused with a message naming the limit and the line (and column) where it is passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from rcpgraph.errors import InputError, read_text


class LineMap(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_DIGITS = 20


class LimitError(yaml.MarkedYAMLError):
    """A YAML text past one of the limits (depth, number size), at the mark where it is passed."""


class _Loader(yaml.SafeLoader):
    """A safe loader that builds LineMap and LineList, refuses duplicate keys and keeps to the limits."""

    _depth = 0

    def compose_sequence_node(self, anchor: Any) -> yaml.SequenceNode:
        """A list, counted in the nesting depth."""
        self._enter()
        try:
            return super().compose_sequence_node(anchor)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        """A mapping, counted in the nesting depth."""
        self._enter()
        try:
            return super().compose_mapping_node(anchor)
        finally:
            self._depth -= 1

    def _enter(self) -> None:
        """Go one level deeper; past MAX_DEPTH a LimitError at the bracket or key that opens the level."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise LimitError(None, None, f"nested deeper than {MAX_DEPTH} levels (the limit for YAML files)", mark)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    digits = sum(character.isdigit() for character in node.value)
    if digits > MAX_DIGITS:
        message = f"a number of {digits} digits (the limit for YAML files is {MAX_DIGITS})"
        raise LimitError(None, None, message, node.start_mark)
    return loader.construct_yaml_int(node)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a key, not {_describe(key)}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a valid date ({error})", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse(text: str) -> Any:
    """YAML text read with the lines of its keys and items; a malformed text raises yaml's own error, marked with
    its line and column (a character YAML does not allow too)."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position)
        column = error.position - (text.rfind("\n", 0, error.position) + 1)
        mark = yaml.Mark("<text>", error.position, line, column, None, 0)
        problem = f"the character #x{error.character:04x} is not allowed in YAML"
        raise yaml.MarkedYAMLError(problem=problem, problem_mark=mark) from None


def load(path: Path) -> Any:
    """Parse one YAML file; a syntax error or a limit passed becomes an InputError naming the file and line."""
    _check_size(path)
    text = read_text(path)
    try:
        return parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "syntax error"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        prefix = "" if isinstance(error, LimitError) else "invalid YAML: "
        raise InputError(f"{prefix}{problem}", file=path, line=line, column=column) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", file=path) from None


def _check_size(path: Path) -> None:
    """Refuse a file over MAX_BYTES at the line where it passes the limit (reading no more than that)."""
    try:
        with path.open("rb") as file:
            head = file.read(MAX_BYTES + 1)
    except OSError:
        return  # read_text names the missing or unreadable file
    if len(head) > MAX_BYTES:
        line = head.count(b"\n", 0, MAX_BYTES) + 1
        raise InputError(
            f"larger than {MAX_BYTES // 1024 // 1024} MiB (the limit for YAML files)", file=path, line=line
        )


class Kind(Enum):
    """What the key of a curation entry expects, named as the messages name it."""

    KEY = "a key"
    TEXT = "text"
    WHOLE = "a whole number"
    FLAG = "true or false"
    DATE = "a date"
    MAPPING = "a mapping"
    REF = "a field reference"
    KEYS = "a list of keys"
    TEXTS = "a list of texts"
    REFS = "a list of field references"


_ITEMS = {Kind.KEYS: Kind.KEY, Kind.TEXTS: Kind.TEXT, Kind.REFS: Kind.REF}


@dataclass(frozen=True)
class Entry:
    """An entry: the keys it may hold and the kind of each value; `what` names it in a message, `owner`
    says whose keys they are (" for an event")."""

    keys: Mapping[str, Kind]
    what: str
    owner: str = ""


@dataclass(frozen=True)
class Tagged:
    """An entry of one of several kinds, each named by the one key of its kind the entry holds ("- event: KEY")."""

    kinds: Mapping[str, Entry]
    what: str
    noun: str

    def kind(self, data: LineMap) -> str:
        """The kind of a checked entry: the one key of a kind it holds."""
        return next(key for key in data if key in self.kinds)


@dataclass(frozen=True)
class Many:
    """A mapping of parts by key (a list of them if not `keyed`), each read as `part`, or as `fixed[key]`."""

    part: Entry | Tagged | Many
    what: str
    keyed: bool = True
    fixed: Mapping[str, Entry | Tagged | Many] = field(default_factory=dict)


Part = Entry | Tagged | Many


def read_mapping(path: Path, schema: Entry | Many) -> LineMap:
    """A YAML file that is a mapping (an empty file is an empty one), checked against `schema`."""
    data = load(path)
    if data is None:
        data = parse("{}")
    _read(data, schema, path, 1, "")
    return data


def read_list(path: Path, schema: Many) -> LineList:
    """A YAML file that is a list (an empty file is an empty one), checked against `schema`."""
    data = load(path)
    if data is None:
        data = parse("[]")
    _read(data, schema, path, 1, "")
    return data


def _read(data: Any, part: Part, path: Path, line: int, name: str) -> None:
    """Check `data`, read at `line` under the key or item `name`, against `part`."""
    keyed = not isinstance(part, Many) or part.keyed
    if isinstance(part, Many) and not keyed and isinstance(data, LineList):
        for number, (value, item_line) in enumerate(zip(data, data.item_lines, strict=True), start=1):
            _read(value, part.part, path, item_line, f"{name}, item {number}" if name else f"item {number}")
    elif keyed and isinstance(data, LineMap) and (data or not isinstance(part, Tagged)):
        _read_mapping(data, part, path, line, name)
    else:
        prefix = f"{name}: " if name else ""
        raise InputError(f"{prefix}expected {part.what}, not {_describe(data)}", file=path, line=line)


def _read_mapping(data: LineMap, part: Part, path: Path, line: int, name: str) -> None:
    """Check a non-empty mapping against an entry, a tagged entry or a mapping of parts."""
    if isinstance(part, Entry):
        check(data, part.keys, path, part.owner)
    elif isinstance(part, Tagged):
        _read(data, part.kinds[_tag(data, part, path, line)], path, line, name)
    else:
        for key, value in data.items():
            if not isinstance(key, str):
                raise InputError(f"expected a key, not {_describe(key)}", file=path, line=data.key_lines[key])
            _read(value, part.fixed.get(key, part.part), path, data.key_lines[key], key)


def _tag(data: LineMap, part: Tagged, path: Path, line: int) -> str:
    """The one key of `data` that names its kind; else an InputError saying what is wrong."""
    tags = [key for key in data if key in part.kinds]
    if len(tags) > 1:
        raise InputError(f"one {part.noun} is of one kind, not both {tags[0]!r} and {tags[1]!r}", file=path, line=line)
    if not tags:
        known = {key for entry in part.kinds.values() for key in entry.keys}
        unknown = [key for key in data if key not in known]
        if not unknown:
            raise InputError(f"expected {part.what}", file=path, line=line)
        message = f"unknown {part.noun} {unknown[0]!r} (expected one of: {', '.join(part.kinds)})"
        raise InputError(message, file=path, line=data.key_lines[unknown[0]])
    return tags[0]


def check(data: LineMap, kinds: Mapping[str, Kind], path: Path, owner: str = "") -> None:
    """Every key of `data` is one of `kinds` and holds a value of its kind; else an InputError at its line.

    `owner` says whose keys they are in the message, e.g. " for an event".
    """
    for key in data:
        if key not in kinds:
            message = f"unknown key '{key}'{owner} (expected one of: {', '.join(sorted(kinds))})"
            raise InputError(message, file=path, line=data.key_lines[key])
    for key, value in data.items():
        _check(value, kinds[key], key, path, data.key_lines[key])


def _check(value: Any, kind: Kind, name: str, path: Path, line: int) -> None:
    if not _fits(value, kind):
        raise InputError(f"{name}: expected {kind.value}, not {_describe(value)}", file=path, line=line)
    if kind in _ITEMS:
        for number, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True), start=1):
            _check(item, _ITEMS[kind], f"{name}, item {number}", path, item_line)


def _fits(value: Any, kind: Kind) -> bool:
    if kind in _ITEMS:
        return isinstance(value, list)
    if kind is Kind.MAPPING:
        return isinstance(value, dict)
    if kind is Kind.FLAG:
        return isinstance(value, bool)
    if kind is Kind.WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is Kind.DATE:
        return isinstance(value, (str, int, date)) and not isinstance(value, bool)
    return isinstance(value, str)


def _describe(value: Any) -> str:
    """How a message names a value read from YAML: its kind, and a scalar's value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the {type(value).__name__} {value}"
