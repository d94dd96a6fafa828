"""Query engines over the release: pyoxigraph (the default) or rdflib, with the same answers.

Both load the release files into one default graph. Results come back as rdflib terms; a literal
of type xsd:string is a plain literal, and a literal of a type derived from xsd:integer comes back
as xsd:integer (pyoxigraph stores such literals as xsd:integer, rdflib is made to agree).
Queries that could reach beyond the release (SERVICE) or change it (updates) are refused by
`check_allowed`, the one place for such rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from rcpgraph.errors import InputError
from rcpgraph.queries import keywords, position

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node

ENGINES = ("oxigraph", "rdflib")
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
_UPDATES = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"))
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ", re.DOTALL)


@dataclass
class Result:
    """The answer to a query: solutions (select), a boolean (ask) or triples (graph)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Store(Protocol):
    """A loaded release that answers SPARQL queries."""

    def query(self, sparql: str, *, source: str | Path | None = None) -> Result:
        """Answer one SPARQL query; `source` names its file in error messages."""
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


def check_allowed(sparql: str, source: str | Path | None = None) -> None:
    """Refuse SERVICE (queries run over the release only) and updates (the release is read-only)."""
    for word, offset in keywords(sparql):
        if word == "SERVICE":
            line, column = position(sparql, offset)
            raise InputError("SERVICE is not allowed: queries run over the release only", source, line, column)
        if word in _UPDATES:
            line, column = position(sparql, offset)
            raise InputError(f"updates are not allowed ({word}): the release is read-only", source, line, column)


class OxigraphStore:
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

    def query(self, sparql: str, *, source: str | Path | None = None) -> Result:
        """Answer one SPARQL query."""
        import pyoxigraph

        check_allowed(sparql, source)
        try:
            answer = self._store.query(sparql)
        except SyntaxError as error:
            raise _oxigraph_syntax_error(str(error), source) from None
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            rows = [tuple(_optional(_from_oxigraph, solution[name]) for name in variables) for solution in answer]
            return Result("select", variables=variables, rows=rows)
        triples = ((_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object)) for t in answer)
        return Result("graph", graph=_graph(triples))

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        import pyoxigraph

        for quad in self._store.quads_for_pattern(None, None, None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                yield quad.subject.value


class RdflibStore:
    """The release in an rdflib Graph, parsed by rdflib's own Turtle parser."""

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

    def query(self, sparql: str, *, source: str | Path | None = None) -> Result:
        """Answer one SPARQL query."""
        check_allowed(sparql, source)
        answer = self._graph.query(_prepare(sparql, source))
        if answer.type == "ASK":
            return Result("ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = answer.vars or []
            rows = [tuple(_optional(_canonical, solution.get(name)) for name in names) for solution in answer.bindings]
            return Result("select", variables=[str(name) for name in names], rows=rows)
        triples = answer.graph or ()
        return Result("graph", graph=_graph((_canonical(s), _canonical(p), _canonical(o)) for s, p, o in triples))

    def individuals(self) -> Iterator[str]:
        """The IRIs of the subjects in the store, lazily."""
        from rdflib import URIRef

        return (str(subject) for subject in self._graph.subjects(unique=True) if isinstance(subject, URIRef))


def _prepare(sparql: str, source: str | Path | None) -> Query:
    """The query parsed by rdflib, or an InputError at the line and column of the syntax error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(sparql)
    except ParseException as error:
        found = f", found {error.found}" if error.found else ""
        raise InputError(f"SPARQL syntax error: {error.msg}{found}", source, error.lineno, error.col) from None
    except Exception as error:  # rdflib reports some errors, such as an unknown prefix, as plain Exception
        raise InputError(f"SPARQL syntax error: {error}", source) from None


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
