"""What a query may do: the rules that keep every query (stored or ad hoc) inside the read-only release.

A query is refused before any parser reads it if it passes a limit that keeps both parsers safe (rdflib's
recursive grammar overflows the stack at about 24 nested parentheses or 100 triple patterns in a group, and
deep nesting crashes pyoxigraph): more than MAX_QUERY_CHARACTERS characters, brackets nested deeper than
MAX_NESTING, or more than MAX_GROUP_PATTERNS triple patterns (separators `.`, `;`, `,`) in one `{ }` group.
`within_limits` checks them with a flat scan of the lexer's tokens, which cannot overflow; `gate` (escapes
expanded, then the limits) is what a caller checks itself before handing a query to a worker (`workers`).

A query is then refused before it runs if it

- is an update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ADD, MOVE, COPY): the release is read-only;
- has a SERVICE pattern anywhere, subqueries, EXISTS and NOT EXISTS included: it would call a remote
  endpoint;
- has a FROM or FROM NAMED clause, whatever it names: a query runs over the release, its default graph,
  and no other graph is local, so none would be found without fetching it.

`check` reads the query as parsed by rdflib, so "SERVICE" in a string, an IRI or a comment is no
SERVICE. The engines then read the very text it checked: its codepoint escapes (`\\u0022`) are
expanded first, as SPARQL says, since pyoxigraph would otherwise read them differently. As a second
guard against the two parsers disagreeing (pyoxigraph ends a comment at a carriage return, rdflib
does not), a word containing SERVICE outside strings, IRIs and comments is refused too.

`screen` is the fast way in for pyoxigraph, which parses the query itself: after the escapes are
expanded, a text without the letters "service" anywhere (in any case, strings and comments
included) cannot call a remote endpoint, so unless it has a word that may start a FROM clause or an
update, it passes without rdflib's parser (neither imported nor run); any other text goes through
`check`. Neither engine fetches anything for FROM even past these rules: pyoxigraph reads FROM graphs
from its own in-memory store only, and rdflib ignores FROM over a plain Graph, which is what the
rdflib engine queries; and pyoxigraph parses no update as a query.

`refuse_reaching` is the rule for the SHACL-SPARQL texts of a shapes file, which pySHACL runs
through rdflib (and rdflib runs SERVICE for real): without a parse, since their prefixes live in the
shapes graph, it refuses any word of the text (escapes expanded) containing SERVICE, and FROM or a
word that may start an update; variables (`?service`), prefixed names, strings, IRIs and comments
are no such words.

`agreed` is the syntax gate of the rdflib engine, so both engines accept and refuse the same queries:
pyoxigraph's parser (the default engine's) reads the query first, and a query it refuses gets the
message the default engine gives (rdflib's when rdflib refuses it too, else pyoxigraph's at its line
and column); a valid query that rdflib cannot parse is refused saying so. pyoxigraph has no call that
parses without evaluating, so the query runs on an empty store, its answer left unread: lazy for most
queries, it evaluates only what the query holds inline (VALUES, BIND) where it sorts or asks, and runs
where the rdflib engine evaluates, within the query's time limit.

rdflib's parser (pyparsing) is not thread-safe while it first meets each rule of the grammar (it
works out each parse action's arity by calling it), so `check` parses under a lock, and keeps its
verdict on the last texts it passed: a stored query is parsed once per process.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.errors import InputError
from rcpgraph.sparql.lexer import keywords, mark_offset, marks, marks_and_words, position, tokens

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

MAX_QUERY_CHARACTERS = 65536
MAX_NESTING = 16
MAX_GROUP_PATTERNS = 64
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ", re.DOTALL)
_OPERATIONS = {"InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE"}
# Words that may start a FROM clause or an update: a query with one of them goes through `check`.
_SUSPECT_WORDS = frozenset(
    {"FROM", "INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "USING"}
)
_PARSING = threading.Lock()


@dataclass(frozen=True)
class Checked:
    """A query that keeps to the rules: the text both engines read (codepoint escapes expanded), and its parse."""

    text: str
    query: Query


def within_limits(text: str, source: str | Path | None = None, scanned: list[str] | None = None) -> None:
    """Raise an InputError naming the limit, and where it is passed, if `text` is too long, deep or wide to parse
    (`scanned`: its `marks`, if the caller has them)."""
    if len(text) > MAX_QUERY_CHARACTERS:
        raise InputError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARACTERS:,}", source)
    depth, patterns = 0, [0]
    for index, mark in enumerate(marks(text) if scanned is None else scanned):
        if mark in "({[":
            depth += 1
            if mark == "{":
                patterns.append(0)
            if depth > MAX_NESTING:
                message = f"brackets nested deeper than {MAX_NESTING} levels (the limit for queries)"
                raise InputError(message, source, *position(text, mark_offset(text, index)))
        elif mark in ")}]":
            depth = max(depth - 1, 0)
            if mark == "}" and len(patterns) > 1:
                patterns.pop()
        else:
            patterns[-1] += 1
            if patterns[-1] >= MAX_GROUP_PATTERNS:
                message = f"more than {MAX_GROUP_PATTERNS} triple patterns in one group (the limit for queries)"
                raise InputError(message, source, *position(text, mark_offset(text, index)))


def gate(sparql: str, source: str | Path | None = None) -> str:
    """The text with its escapes expanded, once `within_limits` passed it: the cheap checks a caller makes itself."""
    text = _expanded(sparql, source)
    within_limits(text, source)
    return text


def screen(sparql: str, source: str | Path | None = None) -> str:
    """The text pyoxigraph may run (escapes expanded), or an InputError if `check` finds it breaks a rule: `gate`, and
    the words, from one scan of the text."""
    text = _expanded(sparql, source)
    scanned, words = marks_and_words(text)
    within_limits(text, source, scanned)
    if "service" in text.lower() or not _SUSPECT_WORDS.isdisjoint(words):
        return check(sparql, source).text
    return text


def check(sparql: str, source: str | Path | None = None) -> Checked:
    """The query ready to run, or an InputError if it is malformed, an update, or reaches beyond the release."""
    return _checked(sparql, None if source is None else str(source))


@lru_cache(maxsize=256)
def _checked(sparql: str, source: str | None) -> Checked:
    """`check`, its verdict kept for the texts that pass (an error is raised again each time)."""
    text = gate(sparql, source)
    with _PARSING:
        query = _parse(text, source)
    clauses = query.algebra.datasetClause or []
    if clauses:
        keyword, iri = ("FROM", clauses[0].default) if clauses[0].default else ("FROM NAMED", clauses[0].named)
        message = f"{keyword} <{iri}> is not allowed: queries run over the release only, which is their default graph"
        raise _refusal(message, text, "FROM", source)
    if next(_services(query.algebra), None) is not None or any("SERVICE" in word for word, _ in keywords(text)):
        raise _refusal("SERVICE is not allowed: queries run over the release only", text, "SERVICE", source)
    return Checked(text, query)


def agreed(sparql: str, source: str | Path | None = None) -> Query:
    """rdflib's parse of a query that pyoxigraph's parser accepts too, or the InputError the default engine gives."""
    import pyoxigraph

    text = _expanded(sparql, source)
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as error:
        check(sparql, source)
        raise unparsed(str(error), source) from None
    except Exception:  # parsed: what failed is evaluating it (an unknown function, say), which is rdflib's job
        pass
    try:
        return check(sparql, source).query
    except InputError as error:
        message = f"rdflib cannot parse this query, which the oxigraph engine accepts: {error.message}"
        raise InputError(message, source, error.line, error.column) from None


class Unparsed(InputError):
    """A query pyoxigraph cannot parse."""


def unparsed(message: str, source: str | Path | None) -> Unparsed:
    """pyoxigraph's "error at LINE:COLUMN: ..." as an error at that line and column."""
    match = _OXIGRAPH_POSITION.match(message)
    text = " ".join(message[match.end() if match else 0 :].split())
    if match is None:
        return Unparsed(f"SPARQL syntax error: {text}", source)
    return Unparsed(f"SPARQL syntax error: {text}", source, int(match.group(1)), int(match.group(2)))


def refuse_reaching(sparql: str) -> None:
    """Raise an InputError (line and column within `sparql`) at its first word that could fetch or write."""
    text = _expanded(sparql, None)
    for word, offset in keywords(text):
        if "SERVICE" in word or word in _SUSPECT_WORDS:
            keyword = "SERVICE" if "SERVICE" in word else word
            message = f"{keyword} is not allowed: validation reads the data graph only and fetches nothing"
            raise InputError(message, None, *position(text, offset))


def _expanded(sparql: str, source: str | Path | None) -> str:
    """`sparql` with each codepoint escape (\\uXXXX, \\UXXXXXXXX) replaced by its character, or an InputError."""
    for match in _ESCAPE.finditer(sparql):
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            line, column = position(sparql, match.start())
            raise InputError(f"SPARQL syntax error: {match.group()} is not a character", source, line, column)
    return _ESCAPE.sub(lambda match: chr(int(match.group(1) or match.group(2), 16)), sparql)


def _parse(text: str, source: str | Path | None) -> Query:
    """The query parsed (exactly `text`, escapes already expanded) and translated to algebra, or an InputError."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        tree = parser.Query.parse_string(text, parse_all=True)
    except ParseException as error:
        _refuse_update(text, source)
        found = f", found {error.found}" if error.found else ""
        raise InputError(f"SPARQL syntax error: {error.msg}{found}", source, error.lineno, error.col) from None
    _refuse_undeclared_prefix(tree, text, source)
    try:
        return translateQuery(tree)
    except Exception as error:  # rdflib reports the errors it finds after parsing as plain Exception
        raise InputError(f"SPARQL syntax error: {' '.join(str(error).split())}", source) from None


def _refuse_undeclared_prefix(tree: ParseResults, text: str, source: str | Path | None) -> None:
    """Raise an InputError at the first prefixed name whose prefix the query does not declare.

    rdflib would read the prefixes it knows (skos:, foaf:, ...) without a declaration, pyoxigraph would not.
    """
    declared = {declaration.prefix or "" for declaration in tree[0] if declaration.name == "PrefixDecl"}
    for token in tokens(text, "pname"):
        prefix = token.group().partition(":")[0]
        if prefix not in declared and prefix != "_":
            line, column = position(text, token.start())
            raise InputError(f"SPARQL syntax error: unknown prefix {prefix}:", source, line, column)


def _refuse_update(text: str, source: str | Path | None) -> None:
    """Raise an InputError naming the first operation if `text` parses as a SPARQL update."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        operations = parser.UpdateUnit.parse_string(text, parse_all=True)[0].request
    except ParseException:
        return
    if operations:
        keyword = _keyword(operations[0])
        raise _refusal(f"updates are not allowed ({keyword}): the release is read-only", text, keyword, source)


def _keyword(operation: CompValue) -> str:
    """The keyword an update operation starts with (after any WITH)."""
    if operation.name == "Modify":
        return "DELETE" if operation.delete else "INSERT"
    return _OPERATIONS.get(operation.name, operation.name.upper())


def _refusal(message: str, text: str, keyword: str, source: str | Path | None) -> InputError:
    """An InputError at the first word containing `keyword` outside strings, IRIs and comments."""
    offset = next((offset for word, offset in keywords(text) if keyword in word), None)
    line, column = position(text, offset) if offset is not None else (None, None)
    return InputError(message, source, line, column)


def _services(node: object) -> Iterator[CompValue]:
    """The SERVICE patterns anywhere in a parsed query or algebra tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node
        for child in node.values():
            yield from _services(child)
    elif isinstance(node, (list, tuple, ParseResults)):
        for child in node:
            yield from _services(child)
