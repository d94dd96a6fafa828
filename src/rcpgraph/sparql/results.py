"""Query results as text: an aligned table, the W3C SPARQL 1.1 result formats, or RDF for graphs.

CSV, TSV, JSON and XML follow the W3C "SPARQL 1.1 Query Results" CSV/TSV, JSON and XML formats;
CONSTRUCT and DESCRIBE results are written by `rdfio.serialize`. The same result always gives
the same text. The service's workers have pyoxigraph write SELECT solutions in TSV, JSON and XML
(`oxigraph_solutions`: compact, not indented, but the same variables, rows and terms, in the same order), and
CONSTRUCT and DESCRIBE triples without blank nodes in Turtle and N-Triples (`oxigraph_triples`: the same triples,
in pyoxigraph's layout).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from rcpgraph.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

    from rcpgraph.sparql.store import Result
    from rcpgraph.sparql.terms import Term

SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")
BOOLEAN_FORMATS = ("table", "json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
FORMATS = SOLUTION_FORMATS + GRAPH_FORMATS
# The formats pyoxigraph writes solutions in for the service; not CSV, where it writes a solution of one empty value
# as an empty line, which CSV readers skip.
OXIGRAPH_FORMATS = ("tsv", "json", "xml")
# The formats pyoxigraph writes graph answers in for the service, by its names.
OXIGRAPH_GRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES"}

_string = json.encoder.encode_basestring  # a JSON string, as json.dumps(..., ensure_ascii=False) writes it
_KINDS = {"select": "a SELECT", "ask": "an ASK", "graph": "a CONSTRUCT or DESCRIBE"}
_SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_TABLE_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})
_SHORT_NUMBERS = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def formats_for(kind: str) -> tuple[str, ...]:
    """The output formats that fit a result of this kind."""
    return {"select": SOLUTION_FORMATS, "ask": BOOLEAN_FORMATS}.get(kind, GRAPH_FORMATS)


def format_result(result: Result, fmt: str) -> str:
    """`result` written in `fmt`; an InputError if the format does not fit the kind of result."""
    fitting = formats_for(result.kind)
    if fmt not in fitting:
        raise InputError(f"format {fmt} does not fit {_KINDS[result.kind]} result (use {', '.join(fitting)})")
    if result.graph is not None:
        from rcpgraph import rdfio

        return rdfio.serialize(result.graph, fmt).decode("utf-8")
    writers = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}
    return writers[fmt](result)


def oxigraph_solutions(
    solutions: pyoxigraph.QuerySolutions, fmt: str, max_rows: int | None
) -> tuple[bytes, int | None]:
    """SELECT solutions written by pyoxigraph in `fmt` (one of OXIGRAPH_FORMATS), the first `max_rows` kept, and how
    many there were if that is more (else None).

    They are written as TSV first, one solution a line (line breaks in literals are escaped), which counts and cuts
    them; another format is written from that TSV read back, which gives the same terms.
    """
    import pyoxigraph

    tsv = solutions.serialize(format=pyoxigraph.QueryResultsFormat.TSV)
    assert tsv is not None  # with no output given, pyoxigraph returns the bytes
    rows, total = tsv.count(b"\n") - 1, None
    if max_rows is not None and rows > max_rows:
        cut, total = -1, rows
        for _ in range(max_rows + 1):
            cut = tsv.index(b"\n", cut + 1)
        tsv = tsv[: cut + 1]
    if fmt == "tsv":
        return tsv, total
    kept = pyoxigraph.parse_query_results(tsv, pyoxigraph.QueryResultsFormat.TSV)
    written = kept.serialize(format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    assert written is not None
    return written, total


def oxigraph_triples(triples: Sequence[pyoxigraph.Triple], fmt: str) -> bytes | None:
    """Graph `triples` written by pyoxigraph in `fmt` (one of OXIGRAPH_GRAPH_FORMATS), in the order of their
    N-Triples text, with the project's prefixes; None if a term is a blank node or a quoted triple, whose labels
    only `rdfio.serialize` makes the same from one run to the next."""
    import pyoxigraph

    from rcpgraph.namespaces import PREFIXES

    plain = (pyoxigraph.NamedNode, pyoxigraph.Literal)
    if not all(isinstance(term, plain) for triple in triples for term in triple):
        return None
    ordered = sorted(triples, key=str)
    written = pyoxigraph.serialize(
        ordered, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_GRAPH_FORMATS[fmt]), prefixes=dict(PREFIXES)
    )
    assert written is not None  # with no output given, pyoxigraph returns the bytes
    return written


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain-text columns aligned under their headers and a rule, two spaces apart."""
    widths = [max([len(header), *(len(row[index]) for row in rows)]) for index, header in enumerate(headers)]
    rule = ["-" * width for width in widths]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (headers, rule, *rows)
    ]
    return "\n".join(lines) + "\n"


def shorten(iri: str) -> str:
    """`iri` as prefix:rest with the longest matching project prefix, else in angle brackets."""
    from rcpgraph.namespaces import PREFIXES

    matches = [(len(namespace), prefix) for prefix, namespace in PREFIXES.items() if iri.startswith(namespace)]
    if not matches or len(iri) == max(matches)[0]:
        return f"<{iri}>"
    length, prefix = max(matches)
    return f"{prefix}:{iri[length:]}"


def _table(result: Result) -> str:
    """An aligned table, IRIs shortened and literals shown as their text."""
    if result.kind == "ask":
        return text_table(["boolean"], [[_boolean(result)]])
    return text_table(result.variables, [[_display(term) for term in row] for row in result.cells])


def _display(term: Term | None) -> str:
    """One cell of the table."""
    if term is None:
        return ""
    if term.kind == "uri":
        return shorten(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value.translate(_TABLE_ESCAPES)


def _csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends, quoted where needed."""

    def value(term: Term | None) -> str:
        if term is None:
            return ""
        return f"_:{term.value}" if term.kind == "bnode" else term.value

    if result.kind == "ask":  # no W3C form for ASK; Jena and Virtuoso answer so
        return f"_askResult\r\n{_boolean(result)}\r\n"
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([value(term) for term in row] for row in result.cells)
    return stream.getvalue()


def _tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: ?-prefixed header, terms in Turtle syntax, LF line ends."""
    if result.kind == "ask":
        return f"?_askResult\n{_boolean(result)}\n"
    lines = ["\t".join(f"?{variable}" for variable in result.variables)]
    lines += ["\t".join(_turtle(term) for term in row) for row in result.cells]
    return "\n".join(lines) + "\n"


def _turtle(term: Term | None) -> str:
    """One term in Turtle syntax, numbers and booleans in their short form."""
    if term is None:
        return ""
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "uri":
        return f"<{term.value}>"
    quoted = '"' + term.value.translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is None:
        return quoted
    short = _SHORT_NUMBERS.get(term.datatype)
    return term.value if short and short.fullmatch(term.value) else f"{quoted}^^<{term.datatype}>"


def _json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON, as `json.dumps(..., indent=2)` writes it; unbound variables are left out.

    The solutions are written here, each distinct term once, with json's C string encoder: `json.dumps` with an
    indent runs its pure-Python encoder, which cost the service most of a query's time.
    """
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2, ensure_ascii=False) + "\n"
    names = [_string(name) for name in result.variables]
    written: dict[Term, str] = {}
    rows = []
    for row in result.cells:
        pairs = [
            f"        {name}: {written.get(term) or written.setdefault(term, _json_term_text(term))}"
            for name, term in zip(names, row, strict=True)
            if term is not None
        ]
        rows.append("      {\n" + ",\n".join(pairs) + "\n      }" if pairs else "      {}")
    variables = "[\n" + ",\n".join(f"      {name}" for name in names) + "\n    ]" if names else "[]"
    bindings = "[\n" + ",\n".join(rows) + "\n    ]" if rows else "[]"
    head = '{\n  "head": {\n    "vars": ' + variables
    return head + '\n  },\n  "results": {\n    "bindings": ' + bindings + "\n  }\n}\n"


def _json_term_text(term: Term) -> str:
    """One RDF term in SPARQL JSON results, indented as the value of a binding."""
    fields = ",\n".join(f"          {_string(key)}: {_string(value)}" for key, value in _json_term(term).items())
    return "{\n" + fields + "\n        }"


def _json_term(term: Term) -> dict[str, str]:
    """One RDF term in SPARQL JSON results."""
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype is not None:
        return {"type": "literal", "value": term.value, "datatype": term.datatype}
    return {"type": term.kind, "value": term.value}


def _xml(result: Result) -> str:
    """SPARQL Query Results XML Format; unbound variables have no binding element, a carriage return is escaped."""
    root = ElementTree.Element("sparql", xmlns=_SPARQL_RESULTS)
    head = ElementTree.SubElement(root, "head")
    if result.kind == "ask":
        ElementTree.SubElement(root, "boolean").text = _boolean(result)
    else:
        for variable in result.variables:
            ElementTree.SubElement(head, "variable", name=variable)
        results = ElementTree.SubElement(root, "results")
        for row in result.cells:
            solution = ElementTree.SubElement(results, "result")
            for name, term in zip(result.variables, row, strict=True):
                if term is not None:
                    _xml_term(ElementTree.SubElement(solution, "binding", name=name), term)
    ElementTree.indent(root)
    text = ElementTree.tostring(root, encoding="unicode").replace("\r", "&#13;")  # a reader would make it a \n
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _xml_term(binding: ElementTree.Element, term: Term) -> None:
    """One RDF term as the child of a binding element."""
    if term.language:
        ElementTree.SubElement(binding, "literal", {_XML_LANG: term.language}).text = term.value
    elif term.datatype is not None:
        ElementTree.SubElement(binding, "literal", datatype=term.datatype).text = term.value
    else:
        ElementTree.SubElement(binding, term.kind).text = term.value


def _boolean(result: Result) -> str:
    """An ASK answer as "true" or "false"."""
    return "true" if result.boolean else "false"
