"""Query engines over the release: pyoxigraph (the default) or rdflib, with the same answers.

Both load the release files into one default graph. Results come back as rdflib terms; a literal
of type xsd:string is a plain literal, and a literal of a type derived from xsd:integer comes back
as xsd:integer (pyoxigraph stores such literals as xsd:integer, rdflib is made to agree).
Every query first passes `safety.check` (no update, SERVICE or FROM); with a `timeout` it runs in a
child process that `worker.run` kills at the deadline, and with `max_rows` only that many rows (or
triples) are kept, the result recording how many there were.
"""

from __future__ import annotations

import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from rcpgraph.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node

    from rcpgraph.safety import Checked

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0  # seconds: the limit for the queries people give (command line, Python API)
DEFAULT_MAX_ROWS = 10000  # the cap for the queries people give
_T = TypeVar("_T")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(
    _XSD + name
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ", re.DOTALL)


@dataclass
class Result:
    """The answer to a query: solutions (select), a boolean (ask) or triples (graph).

    `total` is the number of rows (or triples) there were when `max_rows` kept fewer, else None.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    total: int | None = None

    @property
    def truncated(self) -> bool:
        """Whether `max_rows` cut the result."""
        return self.total is not None

    def truncation(self) -> str | None:
        """The note "result truncated to N of M rows" (or triples) when `max_rows` cut the result, else None."""
        if self.total is None:
            return None
        kept, unit = (len(self.graph), "triples") if self.graph is not None else (len(self.rows), "rows")
        return f"result truncated to {kept} of {self.total} {unit}"


class Store(Protocol):
    """A loaded release that answers SPARQL queries."""

    def query(
        self,
        sparql: str,
        *,
        source: str | Path | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> Result:
        """Answer one SPARQL query within `timeout` seconds, keeping `max_rows`; `source` names it in messages."""
        ...

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        ...


def open_store(files: Sequence[Path], engine: str = "oxigraph") -> Store:
    """Load the Turtle `files` into one default graph of the chosen engine."""
    if engine == "oxigraph":
        return OxigraphStore(files)
    if engine == "rdflib":
        return RdflibStore(files)
    raise InputError(f"unknown engine {engine} (use {' or '.join(ENGINES)})")


class _Engine(ABC):
    """What both engines share: the safety check, the time limit and the row cap around `_evaluate`."""

    def query(
        self,
        sparql: str,
        *,
        source: str | Path | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> Result:
        """Answer one SPARQL query that passes `safety.check`, within `timeout` seconds, keeping `max_rows`."""
        from rcpgraph import safety, worker

        checked = safety.check(sparql, source)
        if timeout is None:
            return self._evaluate(checked, source, max_rows)
        return _unpacked(worker.run(lambda: _packed(self._evaluate(checked, source, max_rows)), timeout))

    @abstractmethod
    def _evaluate(self, checked: Checked, source: str | Path | None, max_rows: int | None) -> Result:
        """Run a query that passed `safety.check`."""


class OxigraphStore(_Engine):
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

    def _evaluate(self, checked: Checked, source: str | Path | None, max_rows: int | None) -> Result:
        """Run the checked text on pyoxigraph."""
        import pyoxigraph

        try:
            answer = self._store.query(checked.text)
        except SyntaxError as error:
            raise _oxigraph_syntax_error(str(error), source) from None
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            solutions, total = _capped(answer, max_rows)
            rows = [tuple(_optional(_from_oxigraph, solution[name]) for name in variables) for solution in solutions]
            return Result("select", variables=variables, rows=rows, total=total)
        kept, total = _capped(dict.fromkeys(answer), max_rows)
        triples = ((_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object)) for t in kept)
        return Result("graph", graph=_graph(triples), total=total)

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        import pyoxigraph

        for quad in self._store.quads_for_pattern(None, None, None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                yield quad.subject.value


class RdflibStore(_Engine):
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

    def _evaluate(self, checked: Checked, source: str | Path | None, max_rows: int | None) -> Result:
        """Run the checked parse on rdflib; what rdflib cannot evaluate is an InputError."""
        try:
            return self._answer(checked.query, max_rows)
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
            rows = [tuple(_optional(_canonical, solution.get(name)) for name in names) for solution in solutions]
            return Result("select", variables=[str(name) for name in names], rows=rows, total=total)
        kept, total = _capped(answer.graph or (), max_rows)
        triples = ((_canonical(s), _canonical(p), _canonical(o)) for s, p, o in kept)
        return Result("graph", graph=_graph(triples), total=total)

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        from rdflib import URIRef

        return (str(subject) for subject in self._graph.subjects(unique=True) if isinstance(subject, URIRef))


def _capped(items: Iterable[_T], max_rows: int | None) -> tuple[list[_T], int | None]:
    """The first `max_rows` items, and how many there were if that is more (else None)."""
    iterator = iter(items)
    kept = list(islice(iterator, max_rows))
    rest = sum(1 for _ in iterator)
    return kept, len(kept) + rest if rest else None


def _packed(result: Result) -> tuple[Result, list[tuple[Node, Node, Node]] | None]:
    """`result` ready to cross a pipe: a Graph's prefixes do not survive pickling, so its triples travel alone."""
    triples = None if result.graph is None else list(result.graph)
    return dataclasses.replace(result, graph=None), triples


def _unpacked(packed: tuple[Result, list[tuple[Node, Node, Node]] | None]) -> Result:
    """The result `_packed` sent, its graph rebuilt with the project's prefixes."""
    result, triples = packed
    return result if triples is None else dataclasses.replace(result, graph=_graph(triples))


def _oxigraph_syntax_error(message: str, source: str | Path | None) -> InputError:
    """pyoxigraph's "error at LINE:COLUMN: ..." as an InputError at that line and column."""
    match = _OXIGRAPH_POSITION.match(message)
    text = " ".join(message[match.end() if match else 0 :].split())
    if match is None:
        return InputError(f"SPARQL syntax error: {text}", source)
    return InputError(f"SPARQL syntax error: {text}", source, int(match.group(1)), int(match.group(2)))


def _optional(convert: Callable[[_T], Node], term: _T | None) -> Node | None:
    """`convert(term)`, with None (an unbound variable) left as None."""
    return None if term is None else convert(term)


def _from_oxigraph(term: object) -> Node:
    """The rdflib term for a pyoxigraph term."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if not isinstance(term, pyoxigraph.Literal):
        raise InputError("RDF 1.2 triple terms are not supported in results")
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def _canonical(term: Node) -> Node:
    """An rdflib result term made to match pyoxigraph's: plain strings, integer subtypes as xsd:integer."""
    from rdflib import Literal, URIRef

    if not isinstance(term, Literal) or term.datatype is None:
        return term
    datatype = str(term.datatype)
    if datatype == _XSD + "string":
        return Literal(str(term))
    if datatype in _INTEGER_TYPES and re.fullmatch(r"\s*[+-]?[0-9]+\s*", str(term)):
        return Literal(str(int(str(term))), datatype=URIRef(_XSD + "integer"), normalize=False)
    return term


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """An rdflib Graph of `triples`, with the project's prefixes bound."""
    from rdflib import Graph

    from rcpgraph.vocab import PREFIXES

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph
