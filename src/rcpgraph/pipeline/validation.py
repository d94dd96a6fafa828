"""SHACL validation with pySHACL: load the shapes, validate a data graph, report the results readably.

pySHACL runs the SHACL-SPARQL of the shapes (targets, constraints, validators, functions, rules)
through rdflib, which would run a SERVICE for real: before validating, every such text is screened by
`safety.refuse_reaching`, and the prefixes pySHACL writes in front of it must be a prefix name and an
IRI, so nothing can be slipped past the screen. As a backstop, pySHACL runs inside `offline.guard()`.

pySHACL runs on a copy of the data graph that it may change in place (so it makes no copy of its
own), or on the data graph itself where the caller allows it (the build's union of the asserted and
inferred graphs, made for validation). The SPARQL texts are parsed and translated once per process:
pySHACL asks the same query again for every focus node of every validation, and parsing it again
each time took a quarter of the build's validation. The queries run with the triple patterns of each
group evaluated from what pySHACL binds (`joinorder.connected`), so that a constraint's evaluation for
one focus node reads what belongs to that node rather than the whole graph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import NamespaceManager
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from rcpgraph import offline, rdfio
from rcpgraph.errors import InputError, read_text
from rcpgraph.pipeline import joinorder, versioning
from rcpgraph.sparql import safety
from rcpgraph.sparql.lexer import position

SH = Namespace("http://www.w3.org/ns/shacl#")

SEVERITIES = ("Violation", "Warning", "Info")

_PATH_SUFFIXES = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}

# The properties whose values pySHACL runs as SPARQL (it runs no sh:update), and the forms of a
# declaration it writes in front of them as "PREFIX prefix: <namespace>".
_SPARQL_TEXTS = (SH.select, SH.ask, SH.construct)
_DECLARATIONS = {
    SH.prefix: ("a prefix name", re.compile(r"(?:[^\W\d_][\w.-]*)?")),
    SH.namespace: ("an IRI", re.compile(r'[^<>"{}|^`\\\x00-\x20]*')),
}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result, its terms rendered as text (prefixed names where a prefix is bound)."""

    focus_node: str
    path: str | None
    message: str
    severity: str
    source_shape: str
    constraint_component: str
    value: str | None


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: whether the data conforms, its results, and the SHACL report graph."""

    conforms: bool
    results: list[ValidationResult]
    graph: Graph = field(default_factory=Graph, repr=False, compare=False)


class _FullIris(NamespaceManager):
    """The prefixes of a graph, whose IRIs are written out in full: pySHACL writes a text for every result it finds,
    even those a nested or qualified shape discards, and rdflib would file the namespace of each IRI so written in a
    table it searches end to end, a cost growing with the square of the data (the texts are not used)."""

    def normalizeUri(self, rdfTerm: str) -> str:
        """The IRI `rdfTerm` in angle brackets."""
        return f"<{rdfTerm}>"


class _PreparedQueries(Graph):
    """A data graph whose `query` runs each SPARQL text prepared once: a copy of `data`, as pySHACL makes its own,
    or `data` itself (its store shared) where the caller lets validation change it."""

    def __init__(self, data: Graph, inplace: bool) -> None:
        if inplace:
            super().__init__(store=data.store, identifier=data.identifier, bind_namespaces="none")
        else:
            super().__init__(bind_namespaces="core")
            for prefix, namespace in data.namespaces():
                self.bind(prefix, namespace, override=True, replace=True)
            self += data
        self.namespace_manager = _FullIris(self, bind_namespaces="none")

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Graph.query, with a query text replaced by its prepared query (namespaces and base taken in)."""
        if isinstance(query_object, str):
            namespaces = initNs or dict(self.namespaces())
            query_object = _prepared(query_object, frozenset(namespaces.items()), kwargs.get("base"))
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@functools.lru_cache(maxsize=256)
def _prepared(text: str, namespaces: frozenset[tuple[str, Any]], base: str | None) -> Query:
    """The SPARQL `text` parsed and translated, once per process: rdflib runs a prepared query with any bindings."""
    return prepareQuery(text, initNs=dict(namespaces), base=base)


def load_shapes(path: Path) -> Graph:
    """The shapes graph in `path`, parsed strictly, with its version (`versioning`)."""
    if not path.exists():
        raise InputError(f"shapes file not found: {path}")
    return versioning.stamp(rdfio.parse_file(path), versioning.SHAPES)


def validate(
    data: Graph, shapes: Graph, ontology: Graph | None = None, source: Path | None = None, inplace: bool = False
) -> Report:
    """Validate `data` against `shapes` (read from the file `source`), with the classes and properties of `ontology`.

    With `inplace`, pySHACL validates `data` itself rather than a copy, and the rules of the shapes may add to it.
    """
    namespaces = _namespaces(shapes, ontology, data)
    _refuse_declarations(shapes, source)
    _refuse_reaching_sparql(shapes, source, namespaces)
    conforms, report_graph = _run_pyshacl(_PreparedQueries(data, inplace), shapes, ontology, source)
    for prefix, namespace in namespaces.namespaces():
        report_graph.bind(prefix, namespace, override=False)
    nodes = report_graph.subjects(RDF.type, SH.ValidationResult)
    results = sorted((_result(report_graph, node, namespaces) for node in nodes), key=_sort_key)
    return Report(conforms, results, report_graph)


def _refuse_declarations(shapes: Graph, source: Path | None) -> None:
    """Raise an InputError naming the first sh:prefix that is no prefix name, or sh:namespace that is no IRI."""
    for predicate, (what, form) in _DECLARATIONS.items():
        for value in sorted(str(value) for value in shapes.objects(None, predicate)):
            if not form.fullmatch(value):
                raise InputError(f'sh:{_local_name(predicate)} "{value}" is not {what}', source)


def _refuse_reaching_sparql(shapes: Graph, source: Path | None, namespaces: NamespaceManager) -> None:
    """Raise an InputError at the first SHACL-SPARQL text of `shapes` that could fetch or write, naming where it is."""
    found = [
        (str(text), node, predicate) for predicate in _SPARQL_TEXTS for node, text in shapes.subject_objects(predicate)
    ]
    for text, node, predicate in sorted(found, key=lambda item: item[0]):
        try:
            safety.refuse_reaching(text)
        except InputError as error:
            where = _where(shapes, node, predicate, namespaces)
            line, column = _in_file(source, text, error.line, error.column)
            raise InputError(f"{where}: {error.message}", source, line, column) from None


def _where(shapes: Graph, node: Node, predicate: Node, namespaces: NamespaceManager) -> str:
    """Where a value of `node` sits, from the nearest named node, e.g. "ex:Shape sh:target/sh:select"."""
    steps = [predicate]
    seen = {node}
    while isinstance(node, BNode):
        parents = sorted(shapes.subject_predicates(node), key=lambda parent: (isinstance(parent[0], BNode), parent))
        if not parents or parents[0][0] in seen:
            break
        node, predicate = parents[0]
        steps.insert(0, predicate)
        seen.add(node)
    subject = "[]" if isinstance(node, BNode) else _text(node, namespaces)
    return f"{subject} {'/'.join(_text(step, namespaces) for step in steps)}"


def _in_file(source: Path | None, text: str, line: int | None, column: int | None) -> tuple[int | None, int | None]:
    """The line and column in the file `source` of `line`:`column` of `text`, if the file holds `text` as written."""
    whole = read_text(source, "shapes file") if source is not None else ""
    start = whole.find(text)
    if start < 0 or line is None or column is None:
        return None, None
    start_line, start_column = position(whole, start)
    return start_line + line - 1, start_column + column - 1 if line == 1 else column


def _run_pyshacl(
    data: _PreparedQueries, shapes: Graph, ontology: Graph | None, source: Path | None
) -> tuple[bool, Graph]:
    """Run pySHACL on `data` in place, without inference or network; shapes it cannot use become an InputError."""
    import pyshacl
    from pyparsing import ParseBaseException
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    try:
        with rdfio.silenced("pyshacl-validate"), offline.guard(), joinorder.connected():
            conforms, report_graph, _ = pyshacl.validate(
                data,
                shacl_graph=shapes,
                ont_graph=ontology,
                advanced=True,
                inference="none",
                allow_warnings=True,
                allow_infos=True,
                meta_shacl=False,
                do_owl_imports=False,
                inplace=True,
            )
    except offline.NetworkRefused as error:
        message = f"SHACL validation was stopped: it tried to reach {error.target}, and validation fetches nothing"
        raise InputError(message, source) from None
    except ReportableRuntimeError as error:
        raise InputError(f"SHACL validation could not run: {_one_line(error.message)}", source) from None
    except ParseBaseException as error:
        message = f"SHACL validation could not run: invalid SPARQL in the shapes: {_one_line(str(error))}"
        raise InputError(message, source) from None
    if isinstance(report_graph, ValidationFailure):  # pySHACL returns it in place of the report
        raise InputError(f"SHACL validation could not run: {_one_line(report_graph.message)}", source)
    return bool(conforms), report_graph


def _one_line(text: object) -> str:
    """`text` with its line breaks replaced by spaces."""
    return " ".join(str(text).split())


def _namespaces(*graphs: Graph | None) -> NamespaceManager:
    """The prefixes bound in `graphs`, the first graph binding a prefix or namespace winning."""
    manager = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for graph in graphs:
        if graph is not None:
            for prefix, namespace in graph.namespaces():
                manager.bind(prefix, namespace, override=False)
    return manager


def _result(report: Graph, node: Node, namespaces: NamespaceManager) -> ValidationResult:
    """The Result for one sh:ValidationResult node of the report graph."""
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = sorted(str(message) for message in report.objects(node, SH.resultMessage))
    return ValidationResult(
        focus_node=_text(report.value(node, SH.focusNode), namespaces),
        path=_path_text(report, path, namespaces) if path is not None else None,
        message="; ".join(messages),
        severity=_local_name(report.value(node, SH.resultSeverity)),
        source_shape=_text(report.value(node, SH.sourceShape), namespaces),
        constraint_component=_local_name(report.value(node, SH.sourceConstraintComponent)),
        value=_text(value, namespaces) if value is not None else None,
    )


def _text(term: Node | None, namespaces: NamespaceManager) -> str:
    """A term in Turtle syntax, with a prefixed name where a prefix is bound."""
    return term.n3(namespaces) if isinstance(term, (URIRef, Literal, BNode)) else ""


def _local_name(term: Node | None) -> str:
    """The part of an IRI after its last '#' or '/', e.g. "MinCountConstraintComponent"."""
    text = str(term or "")
    return text[max(text.rfind("#"), text.rfind("/")) + 1 :]


def _path_text(graph: Graph, path: Node, namespaces: NamespaceManager) -> str:
    """A SHACL property path in SPARQL property path syntax, e.g. "rcp:dimension" or "^ex:a/ex:b*"."""
    if isinstance(path, URIRef):
        return path.n3(namespaces)
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, step, namespaces) for step in Collection(graph, path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse, namespaces)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, step, namespaces) for step in Collection(graph, alternatives)) + ")"
    for predicate, suffix in _PATH_SUFFIXES.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            text = _path_text(graph, inner, namespaces)
            return f"{text}{suffix}" if isinstance(inner, URIRef) else f"({text}){suffix}"
    return _text(path, namespaces)


def _sort_key(result: ValidationResult) -> tuple[int, str, str, str, str, str, str]:
    """Order results by severity, focus node, path and message."""
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return (
        rank,
        result.focus_node,
        result.path or "",
        result.message,
        result.constraint_component,
        result.value or "",
        result.source_shape,
    )


def format_report(report: Report) -> str:
    """The report as text: a "Conforms:" line, then one block per result."""
    lines = [_summary(report)]
    for result in report.results:
        lines += [
            "",
            f"Focus node: {result.focus_node}",
            f"Path: {result.path or '-'}",
            f"Message: {result.message}",
            f"Severity: {result.severity}",
            f"Constraint: {result.constraint_component}",
            f"Value: {result.value or '-'}",
        ]
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> str:
    """The first line: "Conforms: yes", or "Conforms: no (N results: X violations, Y warnings)"."""
    verdict = "yes" if report.conforms else "no"
    if not report.results:
        return f"Conforms: {verdict}"
    parts = [_plural(_count(report, "Violation"), "violation"), _plural(_count(report, "Warning"), "warning")]
    if _count(report, "Info"):
        parts.append(_plural(_count(report, "Info"), "info"))
    return f"Conforms: {verdict} ({_plural(len(report.results), 'result')}: {', '.join(parts)})"


def _count(report: Report, severity: str) -> int:
    """The number of results of one severity."""
    return sum(1 for result in report.results if result.severity == severity)


def _plural(number: int, noun: str) -> str:
    """E.g. "1 result", "2 results"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
