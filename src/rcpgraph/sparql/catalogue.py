"""The stored-query catalogue: `queries/NAME.rq` files with a grlc-style `#+` YAML header.

A parameter is a variable named after the BASIL convention that grlc follows: `?_name` is
required, `?__name` optional, and a last `_type` part gives its type: `iri`, `literal` (the
default), `integer`, `decimal`, `boolean`, `date`, or a two-letter language tag such as `en`.
`bind` writes each value into the query text in place of its variable, as one SPARQL term, so a
value can never be read as SPARQL syntax; an optional parameter without a value stays a variable.
"""

from __future__ import annotations

import datetime
import decimal
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from rcpgraph import yamlfile
from rcpgraph.errors import InputError, read_text
from rcpgraph.sparql.lexer import position, tokens

ID_BASE = "https://w3id.org/rcpgraph/id/"
TYPES = ("iri", "literal", "integer", "decimal", "boolean", "date")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = "#+"
_PARAMETER = re.compile(r"(__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
_LANGUAGE = re.compile(r"[a-z]{2}")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")
_SLUG_PATH = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_BACKSLASH_U = re.compile(r"(?<=\\)([uU])")


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its name, its type, whether it must have a value, and its default."""

    name: str
    type: str
    required: bool
    default: str | None = None

    @property
    def needed(self) -> bool:
        """Whether a caller must give it: required, and without a default to fall back on."""
        return self.required and self.default is None


@dataclass(frozen=True)
class StoredQuery:
    """A SPARQL query with the metadata of its `#+` header; `sparql` is the whole file text."""

    name: str
    path: Path
    summary: str
    description: str
    tags: list[str]
    parameters: list[Parameter]
    sparql: str


def catalogue(folder: Path) -> dict[str, StoredQuery]:
    """Every stored query in `folder` by name, sorted by name."""
    return {name: load(folder / f"{name}.rq") for name in names(folder)}


def names(folder: Path) -> list[str]:
    """The names of the stored queries in `folder` (its `.rq` files), sorted."""
    if not folder.is_dir():
        raise InputError(f"query folder not found: {folder}")
    return sorted(path.stem for path in folder.glob("*.rq"))


def find(queries: Mapping[str, StoredQuery], name: str) -> StoredQuery:
    """The stored query called `name`, or an InputError naming the closest names."""
    if name in queries:
        return queries[name]
    raise _unknown(name, list(queries))


def named(folder: Path, name: str) -> StoredQuery:
    """The stored query called `name` in `folder`, reading that file only; an InputError naming the closest names."""
    known = names(folder)
    if name not in known:
        raise _unknown(name, known)
    return load(folder / f"{name}.rq")


def _unknown(name: str, known: list[str]) -> InputError:
    """The error for an unknown query name, with the closest names (or all of them)."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else f"stored queries: {', '.join(known)}"
    return InputError(f'unknown query "{name}"; {hint}')


def load(path: Path, *, require_summary: bool = True) -> StoredQuery:
    """Read one query file: its `#+` header, its parameters and its SPARQL text."""
    return parse(read_text(path, "query file"), path, require_summary=require_summary)


def parse(text: str, path: Path, *, require_summary: bool = True) -> StoredQuery:
    """A query from its text (`#+` header, parameters, SPARQL); `path` names it, and its file in messages."""
    header = _header(text, path)
    summary = header.get("summary")
    if require_summary and not (isinstance(summary, str) and summary.strip()):
        raise InputError("the #+ header needs a summary", file=path, line=1)
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=_text(header, "summary", path),
        description=_text(header, "description", path),
        tags=_tags(header, path),
        parameters=_parameters(text, _defaults(header, path), path, _line(header, "defaults")),
        sparql=text,
    )


def _header(text: str, path: Path) -> yamlfile.LineMap:
    """The YAML mapping of the leading `#+` lines (empty when there are none)."""
    body: list[str] = []
    offsets: list[int] = []
    for text_line in text.splitlines():
        if not text_line.startswith(_HEADER):
            break
        offsets.append(len(_HEADER) + text_line.startswith(" ", len(_HEADER)))
        body.append(text_line[offsets[-1] :])
    try:
        header = yamlfile.parse("\n".join(body))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "syntax error"
        row = mark.line if mark else 0
        column = (mark.column if mark else 0) + (offsets[row] if row < len(offsets) else 0) + 1
        raise InputError(f"invalid YAML in the #+ header: {problem}", file=path, line=row + 1, column=column) from None
    if header is None:
        return yamlfile.parse("{}")  # an empty mapping, with its (no) key lines
    if not isinstance(header, yamlfile.LineMap):
        raise InputError("the #+ header must be a YAML mapping", file=path, line=1)
    return header


def _line(header: yamlfile.LineMap, key: str) -> int:
    """The line of `key` in the header (the header starts the file), or 1."""
    return header.key_lines.get(key, 1)


def _text(header: yamlfile.LineMap, key: str, path: Path) -> str:
    """An optional text field of the header, stripped."""
    value = header.get(key, "")
    if not isinstance(value, str):
        raise InputError(f"the #+ header's {key} must be text", file=path, line=_line(header, key))
    return value.strip()


def _tags(header: yamlfile.LineMap, path: Path) -> list[str]:
    """The header's tags, a list of text."""
    tags = header.get("tags") or []
    if not (isinstance(tags, list) and all(isinstance(tag, str) for tag in tags)):
        raise InputError("the #+ header's tags must be a list of text", file=path, line=_line(header, "tags"))
    return tags


def _defaults(header: yamlfile.LineMap, path: Path) -> dict[str, str]:
    """The header's defaults, parameter name to value as text: grlc's list of one-entry mappings
    (`- process: midsa`), or one mapping."""
    defaults = header.get("defaults") or {}
    if isinstance(defaults, list) and all(isinstance(item, dict) and len(item) == 1 for item in defaults):
        defaults = {name: value for item in defaults for name, value in item.items()}
    if not isinstance(defaults, dict) or any(isinstance(value, (dict, list)) for value in defaults.values()):
        message = "the #+ header's defaults must map parameter names to values"
        raise InputError(message, file=path, line=_line(header, "defaults"))
    return {str(name): _scalar(value) for name, value in defaults.items()}


def _scalar(value: object) -> str:
    """A YAML scalar as the text a user would give on the command line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parameters(sparql: str, defaults: Mapping[str, str], path: Path, defaults_line: int) -> list[Parameter]:
    """The parameters named by the query's variables, in order of first use; `defaults_line` places a stray default."""
    found: dict[str, Parameter] = {}
    for token in tokens(sparql, "var"):
        parsed = parse_variable(token.group()[1:])
        if parsed is None:
            continue
        name, kind, required = parsed
        parameter = Parameter(name, kind, required, defaults.get(name))
        if found.setdefault(name, parameter) != parameter:
            line, column = position(sparql, token.start())
            raise InputError(f"parameter {name} is declared twice, differently", file=path, line=line, column=column)
    unknown = sorted(set(defaults) - set(found))
    if unknown:
        raise InputError(f"default for unknown parameter {', '.join(unknown)}", file=path, line=defaults_line)
    return list(found.values())


def parse_variable(variable: str) -> tuple[str, str, bool] | None:
    """(name, type, required) of a parameter variable such as `_process_iri`, else None."""
    match = _PARAMETER.fullmatch(variable)
    if match is None:
        return None
    underscores, rest = match.groups()
    name, _, suffix = rest.rpartition("_")
    if name and (suffix in TYPES or _LANGUAGE.fullmatch(suffix)):
        return name, suffix, underscores == "_"
    return rest, "literal", underscores == "_"


def bind(query: StoredQuery, values: Mapping[str, str], individuals: Iterable[str] = ()) -> str:
    """The query's SPARQL with each parameter's value (else its default) written in as a term.

    `individuals` (IRIs) resolve a bare slug such as `midsa`; it is read only when one is given.
    """
    by_name = {parameter.name: parameter for parameter in query.parameters}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        takes = ", ".join(by_name) or "none"
        raise InputError(f"unknown parameter {', '.join(unknown)} for query {query.name} (parameters: {takes})")
    chosen = {parameter.name: values.get(parameter.name, parameter.default) for parameter in query.parameters}
    for parameter in query.parameters:
        if parameter.required and chosen[parameter.name] is None:
            raise InputError(f"missing required parameter {parameter.name} ({parameter.type}) for query {query.name}")
    resolver = _SlugResolver(individuals)
    terms = {
        parameter.name: _term(parameter, value, resolver)
        for parameter in query.parameters
        if (value := chosen[parameter.name]) is not None
    }
    return _substitute(query.sparql, terms)


def _substitute(sparql: str, terms: Mapping[str, str]) -> str:
    """`sparql` with every parameter variable that has a term replaced by it."""
    pieces = []
    end = 0
    for token in tokens(sparql, "var"):
        parsed = parse_variable(token.group()[1:])
        if parsed is not None and parsed[0] in terms:
            pieces += [sparql[end : token.start()], terms[parsed[0]]]
            end = token.end()
    return "".join(pieces) + sparql[end:]


def _term(parameter: Parameter, value: str, resolver: _SlugResolver) -> str:
    """`value` written as the SPARQL term of the parameter's type, or an InputError."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"parameter {parameter.name}: the value is not UTF-8 text") from None
    kind = parameter.type
    if kind == "iri":
        return f"<{resolver.iri(parameter.name, value)}>"
    if kind == "literal":
        return sparql_string(value)
    if _LANGUAGE.fullmatch(kind):
        return f"{sparql_string(value)}@{kind}"
    if kind == "integer" and re.fullmatch(r"[+-]?[0-9]+", value):
        return str(int(value))
    if kind == "decimal" and re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", value):
        return f'"{decimal.Decimal(value)}"^^<{_XSD}decimal>'
    if kind == "boolean" and value in ("true", "false"):
        return value
    if kind == "date" and _is_date(value):
        return f'"{value}"^^<{_XSD}date>'
    article = "an" if kind[0] in "aeiou" else "a"
    raise InputError(f'parameter {parameter.name}: "{value}" is not {article} {kind}')


def _is_date(value: str) -> bool:
    """Whether `value` is a date written YYYY-MM-DD."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def sparql_string(value: str) -> str:
    """`value` as a SPARQL string literal that every engine reads back exactly."""
    escaped = value.translate(_LITERAL_ESCAPES)
    # A `\u` after an escaped backslash would be read as a codepoint escape by engines that
    # expand those before parsing (rdflib): write the `u` itself as an 8-digit codepoint escape.
    return '"' + _BACKSLASH_U.sub(lambda match: f"\\U{ord(match.group()):08X}", escaped) + '"'


class _SlugResolver:
    """Turns a parameter's IRI value (full IRI, slug path or bare slug) into a full IRI."""

    def __init__(self, individuals: Iterable[str]) -> None:
        self._individuals = individuals
        self._known: list[str] | None = None

    def iri(self, parameter: str, value: str) -> str:
        """The full IRI for `value`; a bare slug must name exactly one individual."""
        if _IRI.fullmatch(value):
            return value
        if not _SLUG_PATH.fullmatch(value) or any(part in (".", "..") for part in value.split("/")):
            raise InputError(f'parameter {parameter}: "{value}" is not an IRI, a path such as process/midsa or a slug')
        if "/" in value:
            return self._path(parameter, value)
        return self._lookup(parameter, value)

    def _path(self, parameter: str, path: str) -> str:
        """The IRI of a path such as process/midsa, which must name an individual of the release."""
        iri = ID_BASE + path
        if iri not in self._ids():
            paths = [known[len(ID_BASE) :] for known in self._ids()]
            close = difflib.get_close_matches(path, paths, n=3, cutoff=0.8)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise InputError(f'parameter {parameter}: no individual is named "{path}"{hint}')
        return iri

    def _ids(self) -> list[str]:
        """The IRIs of the individuals under the identifier base, sorted; read once."""
        if self._known is None:
            self._known = sorted({iri for iri in self._individuals if iri.startswith(ID_BASE)})
        return self._known

    def _lookup(self, parameter: str, slug: str) -> str:
        """The individual ending with `/slug`: in the folder named like the parameter, else the shallowest."""
        matches = [iri for iri in self._ids() if iri.endswith("/" + slug)]
        if not matches:
            raise InputError(f'parameter {parameter}: no individual ends with "/{slug}"')
        preferred = f"{ID_BASE}{parameter}/{slug}"
        rank = {iri: (iri != preferred, iri.count("/")) for iri in matches}
        best = [iri for iri in matches if rank[iri] == min(rank.values())]
        if len(best) > 1:
            names = ", ".join(iri[len(ID_BASE) :] for iri in best)
            raise InputError(f'parameter {parameter}: "{slug}" is ambiguous: {names}')
        return best[0]
