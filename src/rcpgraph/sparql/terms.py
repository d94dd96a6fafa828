"""RDF terms in answers, the same whichever engine gave them, and light enough to need no rdflib.

A `Term` is what the result writers (`results`) need of an IRI, a blank node or a literal. Both
engines' terms become Terms: a literal of type xsd:string is a plain literal (no datatype), and a
literal of a type derived from xsd:integer is an xsd:integer, as pyoxigraph stores it. `to_rdflib`
gives the rdflib term for the Python API and the service.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(
    XSD + name
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
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


class Term(NamedTuple):
    """An IRI (`kind` "uri"), a blank node ("bnode", `value` its label) or a literal ("literal").

    A literal has a `language` or a `datatype`, or neither when it is a plain string.
    """

    kind: str
    value: str
    language: str | None = None
    datatype: str | None = None


def iri(value: str) -> Term:
    """The Term of an IRI."""
    return Term("uri", value)


def literal(value: str, *, language: str | None = None, datatype: str | None = None) -> Term:
    """The Term of a literal; a string (xsd:string) has no datatype, nor has a literal with a language."""
    if language or datatype == XSD + "string":
        datatype = None
    return Term("literal", value, language or None, datatype)


def oxigraph_converter() -> Callable[[object], Term]:
    """A function from pyoxigraph terms to Terms that converts each term once."""
    import pyoxigraph

    known: dict[object, Term] = {}

    def convert(term: object) -> Term:
        try:
            return known[term]
        except KeyError:
            found = known[term] = _from_oxigraph(term, pyoxigraph)
            return found

    return convert


def _from_oxigraph(term: object, pyoxigraph: ModuleType) -> Term:
    """The Term of a pyoxigraph term."""
    if isinstance(term, pyoxigraph.NamedNode):
        return iri(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if not isinstance(term, pyoxigraph.Literal):
        from rcpgraph.errors import InputError

        raise InputError("RDF 1.2 triple terms are not supported in results")
    return literal(term.value, language=term.language, datatype=term.datatype.value)


def from_rdflib(node: Node) -> Term:
    """The Term of an rdflib term, integer subtypes written as xsd:integer (as pyoxigraph stores them)."""
    from rdflib import BNode, Literal

    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if not isinstance(node, Literal):
        return iri(str(node))
    datatype = None if node.datatype is None else str(node.datatype)
    return stored_literal(str(node), language=node.language, datatype=datatype)


def stored_literal(text: str, *, language: str | None = None, datatype: str | None = None) -> Term:
    """The Term of a literal as pyoxigraph stores it: a value of a type derived from xsd:integer as an xsd:integer."""
    if datatype in INTEGER_TYPES and _INTEGER.fullmatch(text):
        return Term("literal", str(int(text)), None, XSD + "integer")
    return literal(text, language=language, datatype=datatype)


def to_rdflib(term: Term) -> Node:
    """The rdflib term of a Term (a typed literal keeps its lexical form as written)."""
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.datatype is None:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype), normalize=False)
