"""Query engines over the release: pyoxigraph (the default) or rdflib, with the same answers.

Both load the release files into one default graph. Solutions come back as engine-neutral
`terms.Term`s (`Result.cells`), and as rdflib terms on demand, in the order of the variables
(`Result.rows`) or read by variable name (`Result.solutions`); graphs as rdflib Graphs. Every
query first passes the rules of `safety` on both engines through `safety.screen` (which parses with
rdflib only a query that may break them, or that pyoxigraph cannot parse, for rdflib's message); on
rdflib the query is then parsed past `safety.agreed`, the syntax gate of the default engine, so both
engines accept and refuse the same queries. With `max_rows` only that many rows (or triples) are kept,
the result recording how many there were. A store answers in the process that loaded it, without a time
limit: the queries people give run in a `workers.Pool`, whose workers each hold a store and stop a query
at its limits.
"""

from __future__ import annotations

import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rcpgraph.errors import InputError, require_utf8
from rcpgraph.sparql import terms

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node

    from rcpgraph.sparql.remote import Remote

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0  # seconds: the limit for the queries people give (command line, Python API)
DEFAULT_MAX_ROWS = 10000  # the cap for the queries people give
_T = TypeVar("_T")
_Prepared = TypeVar("_Prepared")
Cells = tuple[terms.Term | None, ...]

_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^<>]*)> is not supported")
_MAX_UNKNOWN_FUNCTIONS = 64


@dataclass
class Result:
    """The answer to a query: solutions (select), a boolean (ask) or triples (graph).

    A solution is a tuple of `terms.Term`s (None where a variable is unbound) in `cells`, of rdflib
    terms in `rows`, and a `Solution` read by variable name in `solutions`; a triple is a tuple of
    three Terms in `triples`, and the triples are an rdflib Graph in `graph`. `total` is the number
    of rows (or triples) there were when `max_rows` kept fewer, else None.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    cells: list[Cells] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[terms.Term, terms.Term, terms.Term]] = field(default_factory=list)
    total: int | None = None

    @cached_property
    def rows(self) -> list[tuple[Node | None, ...]]:
        """The solutions as rdflib terms."""
        return [tuple(None if term is None else terms.to_rdflib(term) for term in row) for row in self.cells]

    @cached_property
    def solutions(self) -> list[Solution]:
        """The solutions as rdflib terms, each read by variable name."""
        return [Solution(self.variables, row) for row in self.rows]

    @cached_property
    def graph(self) -> Graph | None:
        """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib Graph with the project's prefixes, else None."""
        if self.kind != "graph":
            return None
        rdflib = terms.to_rdflib
        return _graph((rdflib(subject), rdflib(predicate), rdflib(value)) for subject, predicate, value in self.triples)

    @property
    def truncated(self) -> bool:
        """Whether `max_rows` cut the result."""
        return self.total is not None

    def truncation(self) -> str | None:
        """The note "result truncated to N of M rows" (or triples) when `max_rows` cut the result, else None."""
        return truncation(self.kind, len(self.triples) if self.kind == "graph" else len(self.cells), self.total)


@dataclass(frozen=True)
class Written:
    """The answer to a query written in one format (`fmt`, a name of `results.FORMATS`): its kind (select, ask or
    graph), its UTF-8 bytes, and the note of a cut at the row cap (None if none). A worker sends only this back."""

    kind: str
    fmt: str
    body: bytes
    truncation: str | None


def truncation(kind: str, kept: int, total: int | None) -> str | None:
    """The note "result truncated to N of M rows" (or triples) when a cap kept `kept` of `total`, else None."""
    if total is None:
        return None
    return f"result truncated to {kept} of {total} {'triples' if kind == 'graph' else 'rows'}"


def written(result: Result, formats: Mapping[str, str]) -> Result | Written:
    """`result` written in the format `formats` names for its kind, or `result` itself if it names none."""
    from rcpgraph.sparql.results import format_result

    fmt = formats.get(result.kind)
    if fmt is None:
        return result
    return Written(result.kind, fmt, format_result(result, fmt).encode("utf-8"), result.truncation())


class Solution(Mapping[str, "Node | None"]):
    """One solution of a SELECT answer, read by variable name: an rdflib term, or None where the variable is unbound."""

    def __init__(self, variables: Sequence[str], row: Sequence[Node | None]) -> None:
        self._terms = dict(zip(variables, row, strict=True))

    def __getitem__(self, name: str) -> Node | None:
        return self._terms[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def bound(self, name: str) -> Node:
        """The term of `name`, a variable the query always binds (a ValueError if this solution leaves it unbound)."""
        term = self._terms[name]
        if term is None:
            raise ValueError(f"?{name} is unbound in this solution")
        return term


def open_store(files: Sequence[Path], engine: str = "oxigraph", remote: Remote | None = None) -> Store[Any]:
    """Load the Turtle `files` into one default graph of the chosen engine, or query the `remote` store instead."""
    if remote is not None:
        from rcpgraph.sparql.remote import RemoteStore

        return RemoteStore(remote)
    if known_engine(engine) == "oxigraph":
        return OxigraphStore(files)
    return RdflibStore(files)


def known_engine(engine: str) -> str:
    """`engine`, or an InputError if it is not one of ENGINES."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine} (use {' or '.join(ENGINES)})")
    return engine


class Store(ABC, Generic[_Prepared]):
    """A loaded release that answers SPARQL queries, on either engine.

    What both engines share is here: the safety rules and the row cap around `_evaluate`.
    """

    def query(self, sparql: str, *, source: str | Path | None = None, max_rows: int | None = None) -> Result:
        """Answer one SPARQL query that keeps to the rules of `safety`, keeping `max_rows`.

        `source` names the query in messages. A query that pyoxigraph cannot parse gets rdflib's message when
        rdflib cannot parse it either, so both engines report a syntax error alike.
        """
        answer = self.written(sparql, {}, source=source, max_rows=max_rows)
        assert isinstance(answer, Result)  # no format named: the result itself
        return answer

    def written(
        self, sparql: str, formats: Mapping[str, str], *, source: str | Path | None = None, max_rows: int | None = None
    ) -> Result | Written:
        """`query`, its answer written in the format `formats` names for its kind (select, ask or graph), if it names
        one (a worker's answer for the service: only the bytes go back)."""
        from rcpgraph.sparql import safety

        require_utf8(sparql, source, "query")
        prepared = self._prepare(sparql, source)
        try:
            return self._written(prepared, source, max_rows, formats)
        except safety.Unparsed:
            safety.check(sparql, source)
            raise

    @abstractmethod
    def _prepare(self, sparql: str, source: str | Path | None) -> _Prepared:
        """The query as this engine runs it, once it passed the rules of `safety` (else an InputError)."""

    @abstractmethod
    def _evaluate(self, prepared: _Prepared, source: str | Path | None, max_rows: int | None) -> Result:
        """Run a prepared query."""

    def _written(
        self, prepared: _Prepared, source: str | Path | None, max_rows: int | None, formats: Mapping[str, str]
    ) -> Result | Written:
        """Run a prepared query, its result `written` in the format `formats` names for its kind."""
        return written(self._evaluate(prepared, source, max_rows), formats)

    @abstractmethod
    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""


class OxigraphStore(Store[str]):
    """The release in an in-memory pyoxigraph store."""

    def __init__(self, files: Sequence[Path]) -> None:
        import pyoxigraph

        self._store = pyoxigraph.Store()
        for path in files:
            try:
                self._store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
            except OSError as error:
                raise InputError(f"cannot read: {error.strerror or error}", file=path) from None
            except SyntaxError as error:
                message = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", str(error.msg))
                raise InputError(message, path, error.lineno, error.offset) from None

    def _prepare(self, sparql: str, source: str | Path | None) -> str:
        """The text `safety.screen` passed, codepoint escapes expanded."""
        from rcpgraph.sparql import safety

        return safety.screen(sparql, source)

    def _evaluate(self, prepared: str, source: str | Path | None, max_rows: int | None) -> Result:
        """Run the screened text on pyoxigraph."""
        return self._result(self._answer(prepared, source), max_rows)

    def _written(
        self, prepared: str, source: str | Path | None, max_rows: int | None, formats: Mapping[str, str]
    ) -> Result | Written:
        """Run the screened text on pyoxigraph; solutions asked in a W3C results format are written by pyoxigraph,
        without a Result (`results.oxigraph_solutions`)."""
        import pyoxigraph

        from rcpgraph.sparql import results

        answer = self._answer(prepared, source)
        fmt = formats.get("select", "")
        if isinstance(answer, pyoxigraph.QuerySolutions) and fmt in results.OXIGRAPH_FORMATS:
            body, total = results.oxigraph_solutions(answer, fmt, max_rows)
            return Written("select", fmt, body, truncation("select", max_rows or 0, total))
        fmt = formats.get("graph", "")
        if isinstance(answer, pyoxigraph.QueryTriples) and fmt in results.OXIGRAPH_GRAPH_FORMATS:
            kept, total = _capped(dict.fromkeys(answer), max_rows)
            text = results.oxigraph_triples(kept, fmt)
            if text is not None:
                return Written("graph", fmt, text, truncation("graph", len(kept), total))
            return written(self._graph_result(kept, total), formats)
        return written(self._result(answer, max_rows), formats)

    def _result(self, answer: Any, max_rows: int | None) -> Result:
        """pyoxigraph's answer as a Result, keeping `max_rows`."""
        import pyoxigraph

        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        convert = terms.oxigraph_converter()
        if isinstance(answer, pyoxigraph.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            solutions, total = _capped(answer, max_rows)
            cells = [tuple(None if term is None else convert(term) for term in solution) for solution in solutions]
            return Result("select", variables=variables, cells=cells, total=total)
        return self._graph_result(*_capped(dict.fromkeys(answer), max_rows))

    @staticmethod
    def _graph_result(kept: Sequence[Any], total: int | None) -> Result:
        """pyoxigraph's graph answer, each triple once and the first of them kept, as a Result."""
        convert = terms.oxigraph_converter()
        triples = [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in kept]
        return Result("graph", triples=triples, total=total)

    def _answer(self, prepared: str, source: str | Path | None) -> Any:
        """pyoxigraph's answer; a function it does not know is an error in the expression that calls it, as SPARQL
        1.1 (17.3) says and rdflib does: the expression has no value, the query still runs."""
        import pyoxigraph

        from rcpgraph.sparql import safety

        Value = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple | None
        unknown: dict[pyoxigraph.NamedNode, Callable[..., Value]] = {}
        while True:
            try:
                return self._store.query(prepared, custom_functions=unknown)
            except SyntaxError as error:
                raise safety.unparsed(str(error), source) from None
            except RuntimeError as error:
                match = _UNKNOWN_FUNCTION.fullmatch(str(error))
                if match is None or len(unknown) >= _MAX_UNKNOWN_FUNCTIONS:
                    raise InputError(f"the query cannot be evaluated: {' '.join(str(error).split())}", source) from None
                unknown[pyoxigraph.NamedNode(match.group(1))] = _no_value

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        import pyoxigraph

        for quad in self._store.quads_for_pattern(None, None, None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                yield quad.subject.value


class RdflibStore(Store[str]):
    """The release in an rdflib Graph, parsed by rdflib's own Turtle parser.

    A plain Graph, not a Dataset: rdflib then ignores FROM and FROM NAMED, where a Dataset would fetch them.
    """

    def __init__(self, files: Sequence[Path]) -> None:
        from rdflib import Graph

        self._graph = Graph()
        for path in files:
            try:
                self._graph.parse(path, format="turtle")
            except OSError as error:
                raise InputError(f"cannot read: {error.strerror or error}", file=path) from None
            except SyntaxError as error:
                raise InputError(f"invalid Turtle: {' '.join(str(error).split())}", file=path) from None

    def _prepare(self, sparql: str, source: str | Path | None) -> str:
        """The query, once it passed the rules of `safety` as the oxigraph engine checks them (`safety.screen`)."""
        from rcpgraph.sparql import safety

        safety.screen(sparql, source)
        return sparql

    def _evaluate(self, prepared: str, source: str | Path | None, max_rows: int | None) -> Result:
        """Parse the query past the syntax gate both engines share (`safety.agreed`) and run it on rdflib; what
        rdflib cannot evaluate is an InputError."""
        from rcpgraph.sparql import safety

        parsed = safety.agreed(prepared, source)
        try:
            return self._answer(parsed, max_rows)
        except MemoryError:
            raise
        except Exception as error:  # rdflib reports what it cannot evaluate (GRAPH, over one graph) as Exception
            message = " ".join(str(error).split())
            raise InputError(f"rdflib cannot run this query (try the oxigraph engine): {message}", source) from None

    def _answer(self, parsed: Query, max_rows: int | None) -> Result:
        """The rdflib answer to the parsed query, as a Result."""
        answer = self._graph.query(parsed)
        if answer.type == "ASK":
            return Result("ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = answer.vars or []
            solutions, total = _capped(answer.bindings, max_rows)
            cells = [
                tuple(None if solution.get(name) is None else terms.from_rdflib(solution[name]) for name in names)
                for solution in solutions
            ]
            return Result("select", variables=[str(name) for name in names], cells=cells, total=total)
        kept, total = _capped(answer.graph or (), max_rows)
        triples = [(terms.from_rdflib(s), terms.from_rdflib(p), terms.from_rdflib(o)) for s, p, o in kept]
        return Result("graph", triples=triples, total=total)

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        from rdflib import URIRef

        return (str(subject) for subject in self._graph.subjects(unique=True) if isinstance(subject, URIRef))


def _capped(items: Iterable[_T], max_rows: int | None) -> tuple[list[_T], int | None]:
    """The first `max_rows` items, and how many there were if that is more (else None).

    A cap beyond `sys.maxsize`, more rows than any answer can have, is no cap.
    """
    iterator = iter(items)
    kept = list(islice(iterator, max_rows if max_rows is None or max_rows < sys.maxsize else None))
    rest = sum(1 for _ in iterator)
    return kept, len(kept) + rest if rest else None


def _no_value(*_arguments: object) -> None:
    """An unknown function: no value (an expression error), whatever its arguments."""
    return None


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """An rdflib Graph of `triples`, with the project's prefixes bound."""
    from rdflib import Graph

    from rcpgraph.namespaces import PREFIXES

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph
