"""The stored-query catalogue: `queries/NAME.rq` files with a grlc-style `#+` YAML header.

A parameter is a variable named after the BASIL convention that grlc follows: `?_name` is
required, `?__name` optional, and a last `_type` part gives its type: `iri`, `literal` (the
default), `integer`, `decimal`, `boolean`, `date`, or a two-letter language tag such as `en`.
`bind` writes each value into the query text in place of its variable, as one SPARQL term, so a
value can never be read as SPARQL syntax; an optional parameter without a value stays a variable.

An IRI parameter's value may be a bare slug (`midsa`), looked up only among the individuals of the
parameter's kinds: the folders under the identifier base that the header's `kinds` lists for it
(`kinds: {organisation: [organisation, process, place]}`), else the folder named like the parameter
(`process/`) where the release has one, else every folder.

A listing declares a default page in its header (`page: 100`): it then takes two more parameters,
`limit` (rows per page, or `all` for every row) and `offset` (rows skipped), which `bind` writes as
the query's LIMIT and OFFSET. A page that is full may have a next one (`next_offset`); a shorter page is
the last. Paged queries order their rows fully, so that pages are stable.

A listing may also cut its keys early: each comment line `#page-keys` at the end of a subquery (after its
ORDER BY) becomes `LIMIT offset+limit` there, so that the rest of the query is joined for the keys up to
the end of the page only (nothing is cut for `limit=all`). That gives the same rows when every key of the
subquery yields at least one row and the query's ORDER BY starts with the subquery's. The cut is for the
embedded store, whose engine answers an OPTIONAL or a subquery once for every binding; a remote store plans on
its own and gets the subqueries whole (`cut_keys=False`): Virtuoso 7 answers an OPTIONAL holding a subquery
cut by LIMIT wrongly (rows repeated, shifted or lost).
"""

from __future__ import annotations

import datetime
import decimal
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from rcpgraph import yamlfile
from rcpgraph.errors import InputError, read_text
from rcpgraph.sparql.lexer import keywords, position, tokens

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
_KIND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ALL = "all"
PAGING = ("limit", "offset")
PAGE_KEYS = "#page-keys"


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its name, its type, whether it must have a value, and its default."""

    name: str
    type: str
    required: bool
    default: str | None = None
    kinds: tuple[str, ...] = ()

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
    page: int | None = None


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
    close = _closest(name, known, cutoff=0.5)
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
    parameters = _kinded(_parameters(text, _defaults(header, path), path, _line(header, "defaults")), header, path)
    page = _page(header, text, parameters, path)
    _check_page_keys(text, page, path)
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=_text(header, "summary", path),
        description=_text(header, "description", path),
        tags=_tags(header, path),
        parameters=parameters + _paging_parameters(page),
        sparql=text,
        page=page,
    )


def _page(header: yamlfile.LineMap, text: str, parameters: list[Parameter], path: Path) -> int | None:
    """The header's default page (`page: 100`), a positive number of rows, for a query with no LIMIT or OFFSET."""
    page = header.get("page")
    if page is None:
        return None
    line = _line(header, "page")
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InputError("the #+ header's page must be a positive number of rows", file=path, line=line)
    clash = [parameter.name for parameter in parameters if parameter.name in PAGING]
    if clash:
        raise InputError(f"a paged query cannot have a parameter named {clash[0]}", file=path, line=line)
    if any(word in ("LIMIT", "OFFSET") for word, _ in keywords(text)):
        message = "a paged query takes its LIMIT and OFFSET from its parameters, not its text"
        raise InputError(message, file=path, line=line)
    return page


def _check_page_keys(text: str, page: int | None, path: Path) -> None:
    """Refuse a `#page-keys` marker in a query without a page."""
    markers = _page_keys(text)
    if markers and page is None:
        line, _ = position(text, markers[0])
        message = f"{PAGE_KEYS} marks where a page cuts its keys: the #+ header needs a page"
        raise InputError(message, file=path, line=line)


def _page_keys(text: str) -> list[int]:
    """The offsets of the `#page-keys` comments in `text`."""
    return [token.start() for token in tokens(text, "comment") if token.group().rstrip() == PAGE_KEYS]


def _paging_parameters(page: int | None) -> list[Parameter]:
    """The `limit` and `offset` parameters of a query with a default page (none without)."""
    if page is None:
        return []
    return [Parameter("limit", "page", False, str(page)), Parameter("offset", "integer", False, "0")]


def whole(query: StoredQuery) -> dict[str, str]:
    """The parameter values that ask a query for every row: `limit=all` for a paged query, none for another."""
    return {"limit": ALL} if query.page is not None else {}


def next_offset(query: StoredQuery, values: Mapping[str, str], rows: int) -> int | None:
    """The offset of the next page after a page of `rows` rows asked with `values`, or None when it was the last."""
    if query.page is None:
        return None
    limit = values.get("limit", str(query.page))
    if limit == ALL or rows < int(limit):
        return None
    return int(values.get("offset", "0")) + rows


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


def _kinded(parameters: list[Parameter], header: yamlfile.LineMap, path: Path) -> list[Parameter]:
    """The parameters with the kinds the header's `kinds` declares for them (a mapping of IRI parameters to folders)."""
    kinds = header.get("kinds") or {}
    line = _line(header, "kinds")
    if not isinstance(kinds, dict) or not all(
        isinstance(folders, list) and folders and all(isinstance(f, str) and _KIND.fullmatch(f) for f in folders)
        for folders in kinds.values()
    ):
        raise InputError("the #+ header's kinds must map parameter names to lists of folders", file=path, line=line)
    takes_iri = {parameter.name for parameter in parameters if parameter.type == "iri"}
    stray = sorted(set(map(str, kinds)) - takes_iri)
    if stray:
        raise InputError(f"kinds for {', '.join(stray)}, which is no IRI parameter", file=path, line=line)
    return [replace(parameter, kinds=tuple(kinds.get(parameter.name, ()))) for parameter in parameters]


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


def bind(
    query: StoredQuery, values: Mapping[str, str], individuals: Iterable[str] = (), *, cut_keys: bool = True
) -> str:
    """The query's SPARQL with each parameter's value (else its default) written in as a term.

    `individuals` (IRIs) resolve a bare slug such as `midsa`; it is read only when one is given. Without
    `cut_keys` (a remote store), each `#page-keys` marker stays a comment.
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
    paging = _paging(query, chosen)
    resolver = _SlugResolver(individuals)
    terms = {
        parameter.name: _term(parameter, value, resolver)
        for parameter in query.parameters
        if (value := chosen[parameter.name]) is not None and not (query.page is not None and parameter.name in PAGING)
    }
    return _substitute(_cut_keys(query.sparql, chosen) if cut_keys else query.sparql, terms) + paging


def _cut_keys(sparql: str, chosen: Mapping[str, str | None]) -> str:
    """`sparql` with each `#page-keys` marker replaced by the LIMIT of the keys up to the page's end."""
    limit = chosen.get("limit")
    if limit is None or limit == ALL:
        return sparql
    cut = f"LIMIT {int(limit) + int(chosen.get('offset') or 0)}"
    pieces, end = [], 0
    for start in _page_keys(sparql):
        pieces += [sparql[end:start], cut]
        end = start + len(PAGE_KEYS)
    return "".join(pieces) + sparql[end:]


def _paging(query: StoredQuery, chosen: Mapping[str, str | None]) -> str:
    """The LIMIT and OFFSET that a paged query's `limit` and `offset` ask for (nothing for a query not paged)."""
    if query.page is None:
        return ""
    limit, offset = chosen["limit"], chosen["offset"]
    if limit != ALL and not (limit and re.fullmatch(r"[0-9]+", limit) and int(limit) > 0):
        raise InputError(f'parameter limit: "{limit}" is not a positive number of rows, or {ALL}')
    if not (offset and re.fullmatch(r"[0-9]+", offset)):
        raise InputError(f'parameter offset: "{offset}" is not a number of rows (0 or more)')
    clauses = ([] if limit == ALL else [f"LIMIT {int(limit)}"]) + ([f"OFFSET {int(offset)}"] if int(offset) else [])
    return "".join(f"\n{clause}" for clause in clauses)


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
        return f"<{resolver.iri(parameter, value)}>"
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
    """Turns an IRI parameter's value (full IRI, slug path or bare slug) into a full IRI, within its kinds."""

    def __init__(self, individuals: Iterable[str]) -> None:
        self._individuals = individuals
        self._known: list[str] | None = None

    def iri(self, parameter: Parameter, value: str) -> str:
        """The full IRI for `value`; a path or a bare slug must name an individual of the parameter's kinds."""
        if _IRI.fullmatch(value):
            return value
        if not _SLUG_PATH.fullmatch(value) or any(part in (".", "..") for part in value.split("/")):
            message = f'"{value}" is not an IRI, a path such as process/midsa or a slug'
            raise InputError(f"parameter {parameter.name}: {message}")
        kinds = self._kinds(parameter)
        if "/" in value:
            return self._path(parameter.name, kinds, value)
        return self._lookup(parameter.name, kinds, value)

    def _kinds(self, parameter: Parameter) -> tuple[str, ...]:
        """The folders the parameter's values live in: declared, else the one named like it if any (else all)."""
        if parameter.kinds:
            return parameter.kinds
        named = f"{ID_BASE}{parameter.name}/"
        return (parameter.name,) if any(iri.startswith(named) for iri in self._ids()) else ()

    def _path(self, parameter: str, kinds: tuple[str, ...], path: str) -> str:
        """The IRI of a path such as process/midsa, which must name an individual of the release, of one of `kinds`."""
        iri = ID_BASE + path
        if iri not in self._ids():
            close = _closest(path, [known[len(ID_BASE) :] for known in self._within(kinds)], cutoff=0.8)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise InputError(f'parameter {parameter}: no individual is named "{path}"{hint}')
        if kinds and path.split("/", 1)[0] not in kinds:
            raise InputError(f'parameter {parameter}: "{path}" is not {_a(_kind_phrase(kinds))}')
        return iri

    def _ids(self) -> list[str]:
        """The IRIs of the individuals under the identifier base, sorted; read once."""
        if self._known is None:
            self._known = sorted({iri for iri in self._individuals if iri.startswith(ID_BASE)})
        return self._known

    def _within(self, kinds: tuple[str, ...]) -> list[str]:
        """The IRIs of the individuals in the folders `kinds` (every one when empty)."""
        if not kinds:
            return self._ids()
        return [iri for iri in self._ids() if iri[len(ID_BASE) :].split("/", 1)[0] in kinds]

    def _lookup(self, parameter: str, kinds: tuple[str, ...], slug: str) -> str:
        """The individual of `kinds` ending with `/slug`: of the first kind listed that has one, else the shallowest."""
        matches = [iri for iri in self._within(kinds) if iri.endswith("/" + slug)]
        if not matches:
            raise self._missing(parameter, kinds, slug)
        order = {kind: index for index, kind in enumerate(kinds)}
        rank = {iri: (order.get(iri[len(ID_BASE) :].split("/", 1)[0], 0), iri.count("/")) for iri in matches}
        best = [iri for iri in matches if rank[iri] == min(rank.values())]
        if len(best) > 1:
            names = ", ".join(iri[len(ID_BASE) :] for iri in best)
            raise InputError(f'parameter {parameter}: "{slug}" is ambiguous: {names}')
        return best[0]

    def _missing(self, parameter: str, kinds: tuple[str, ...], slug: str) -> InputError:
        """The error for a slug no individual of `kinds` ends with: what it names of other kinds, the closest slugs."""
        elsewhere = [iri[len(ID_BASE) :] for iri in self._ids() if iri.endswith("/" + slug)]
        shallowest = min((path.count("/") for path in elsewhere), default=0)
        notes = [f"{path} is {_a(path.split('/', 1)[0])}" for path in elsewhere if path.count("/") == shallowest]
        paths = [iri[len(ID_BASE) :] for iri in self._within(kinds)]
        slugs: dict[str, list[str]] = {}
        for path in paths:
            slugs.setdefault(path.rsplit("/", 1)[-1], []).append(path.split("/", 1)[-1] if len(kinds) == 1 else path)
        close = [shown for near in _closest(slug, sorted(slugs), cutoff=0.6) for shown in slugs[near]][:3]
        if close:
            notes.append(f"did you mean {', '.join(close)}?")
        hint = f" ({'; '.join(notes)})" if notes else ""
        return InputError(f'parameter {parameter}: no {_kind_phrase(kinds)} is named "{slug}"{hint}')


def _closest(word: str, candidates: list[str], cutoff: float) -> list[str]:
    """At most three candidates close to `word`: those it is a hyphen-separated part of first, then the most alike."""
    parts = [candidate for candidate in candidates if word in candidate.split("-") and candidate != word]
    alike = difflib.get_close_matches(word, candidates, n=3, cutoff=cutoff)
    return list(dict.fromkeys(parts + alike))[:3]


def _kind_phrase(kinds: tuple[str, ...]) -> str:
    """`process`, `organisation, process or place`, or `individual` for every kind."""
    words = list(kinds) or ["individual"]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _a(phrase: str) -> str:
    """`phrase` after its indefinite article."""
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase
