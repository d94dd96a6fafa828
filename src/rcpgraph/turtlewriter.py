"""Turtle in the layout of rdflib's serializer, written straight from a sorted list of triples.

rdflib's `TurtleSerializer` reads its input back from an rdflib store for every subject, list node
and name, which took most of the time of writing the release. This writer follows the same steps
(the subjects that are `rdfs:Class` first, then by blank node and number of references; `a` and
`rdfs:label` first; blank nodes used once nested as `[ ... ]`, well-formed lists as `( ... )`) on
plain dictionaries, and uses rdflib's own rules for prefixed names and literals, so the bytes are
the same as those of rdflib's serializer given the triples in the same order. One difference: where
a predicate's namespace has no prefix, rdflib makes one up (`ns1:`) in the order its store returns
the triples, which varies from run to run; here it is the order of the triples given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Identifier, Node

Term = Identifier  # URIRef, BNode and Literal: the terms rdflib orders
Triple = tuple[Term, Term, Term]

SUBJECT, VERB, OBJECT = 0, 1, 2
_INDENT = "    "
# rdflib resolves RDF.type through a checked attribute lookup each time it is named: named once here.
_TYPE, _FIRST, _REST, _NIL, _CLASS = RDF.type, RDF.first, RDF.rest, RDF.nil, RDFS.Class
_PREDICATE_ORDER = (_TYPE, RDFS.label)
_FIRST_PREDICATES = frozenset(_PREDICATE_ORDER)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def turtle(triples: Iterable[tuple[Node, Node, Node]], names: Graph) -> bytes:
    """The Turtle text of `triples` (in their order, as rdflib's store would return them), prefixes bound in `names`."""
    return _Writer(cast("list[Triple]", list(triples)), names).text().encode("utf-8", "replace")


class _Writer:
    """One document: the triples indexed by subject, and what has been written of them."""

    def __init__(self, triples: list[Triple], names: Graph) -> None:
        self.names = names
        self.properties: dict[Term, dict[Term, list[Term]]] = {}
        self.references: defaultdict[Term, int] = defaultdict(int)
        self.namespaces: dict[str, URIRef] = {}
        self.rewrites: dict[str, str] = {}
        self.pnames: dict[URIRef, str] = {}
        self.unnamed: set[tuple[URIRef, bool]] = set()
        self.bound = self._bound_namespaces()
        self.labels: dict[tuple[Term, bool], str] = {}
        self.sorted_objects: dict[tuple[Term, Term], list[Term]] = {}
        self.serialized: set[Term] = set()
        self.depth = 0
        self.out: list[str] = []
        for triple in triples:
            self._preprocess(triple)

    def text(self) -> str:
        """The whole document: the prefixes used, then one statement per subject not nested in another."""
        subjects = self._ordered_subjects()
        for prefix, namespace in sorted(self.namespaces.items()):
            self.out.append(f"@prefix {prefix}: <{namespace}> .\n")
        for subject in subjects:
            if subject not in self.serialized:
                self._statement(subject)
                self.out.append("\n")
        self.out.append("\n")
        return "".join(self.out)

    def _preprocess(self, triple: Triple) -> None:
        """Index one triple, count its object's references, and name its terms (as rdflib's preprocessTriple)."""
        subject, predicate, obj = triple
        self.properties.setdefault(subject, {}).setdefault(predicate, []).append(obj)
        self.references[obj] += 1
        for position, node in enumerate(triple):
            if position == VERB and node == _TYPE:
                continue
            self._pname(node, generate=position == VERB)
            if isinstance(node, Literal) and node.datatype:
                self._pname(node.datatype, generate=False)
        if isinstance(predicate, BNode):
            self.references[predicate] += 1

    def _ordered_subjects(self) -> list[Term]:
        """The members of rdfs:Class, sorted, then the other subjects by (blank node, references, term)."""
        classes = sorted(s for s, properties in self.properties.items() if _CLASS in properties.get(_TYPE, ()))
        first = set(classes)
        others = sorted(
            (isinstance(subject, BNode), self.references[subject], subject)
            for subject in self.properties
            if subject not in first
        )
        return [*classes, *(subject for _, _, subject in others)]

    def _bound_namespaces(self) -> list[str]:
        """The namespaces that have a prefix in `names`."""
        return [str(namespace) for _, namespace in self.names.namespaces()]

    def _pname(self, node: Term, generate: bool) -> str | None:
        """The prefixed name of an IRI by rdflib's rules (None if it has none), its namespace then in use."""
        if not isinstance(node, URIRef):
            return None
        if node in self.pnames:
            return self.pnames[node]
        if (node, generate) in self.unnamed:
            return None
        pname = self._new_pname(node, generate)
        if pname is None:
            self.unnamed.add((node, generate))
        else:
            self.pnames[node] = pname
            if generate:  # a prefix may have been made up, which can name IRIs that had none
                self.unnamed.clear()
                self.bound = self._bound_namespaces()
        return pname

    def _new_pname(self, node: URIRef, generate: bool) -> str | None:
        """The prefixed name of an IRI not named before, as rdflib's serializer finds it."""
        if not generate and self._unprefixed(node):
            return None
        try:
            prefix, namespace, local = self.names.compute_qname(node, generate=generate)
        except Exception:  # rdflib's serializer treats any failure alike: the IRI may be a namespace itself
            own = self.names.store.prefix(node)
            if own is None:
                return None
            prefix, namespace, local = own, node, ""
        local = _LONE_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):
            return None
        return f"{self._use_namespace(prefix, URIRef(namespace))}:{local}"

    def _unprefixed(self, node: URIRef) -> bool:
        """True if rdflib finds no prefixed name for `node` without making up a prefix: neither its namespace (split
        as rdflib splits it), nor a longer bound namespace it starts with, nor `node` itself has a prefix. Decided here,
        as rdflib would file the namespace of each such IRI in a table it searches end to end (a cost growing with the
        square of their number); no other IRI's namespace can name it, as none reaches into its local name."""
        try:
            namespace, _ = split_uri(node)
        except ValueError:
            return False
        store = self.names.store
        if store.prefix(URIRef(namespace)) is not None or store.prefix(node) is not None:
            return False
        return not any(len(bound) > len(namespace) and str.startswith(node, bound) for bound in self.bound)

    def _use_namespace(self, prefix: str, namespace: URIRef) -> str:
        """Declare `prefix`, renamed as rdflib does when it starts with "_" or names another namespace."""
        if prefix.startswith("_") or self.namespaces.get(prefix, namespace) != namespace:
            if prefix not in self.rewrites:
                renamed = "p" + prefix
                while renamed in self.namespaces:
                    renamed = "p" + renamed
                self.rewrites[prefix] = renamed
            prefix = self.rewrites[prefix]
        self.namespaces[prefix] = namespace
        return prefix

    def _statement(self, subject: Term) -> None:
        """One top-level statement: `[] ...` for a blank node no triple names, else the subject and its properties."""
        self.serialized.add(subject)
        if isinstance(subject, BNode) and self.references[subject] == 0:
            self.out.append("\n" + self._indent() + "[]")
        else:
            self.out.append("\n" + self._indent())
            self._path(subject, SUBJECT)
        self._predicate_list(subject)
        self.out.append(" .")

    def _path(self, node: Term, position: int, newline: bool = False) -> None:
        """A term where it stands: a nested blank node or list, or its label."""
        if self._squared(node, position, newline):
            return
        if position != SUBJECT and not newline:
            self.out.append(" ")
        self.out.append(self._label(node, position))

    def _label(self, node: Term, position: int) -> str:
        """A term's text: `()`, `a`, a literal, a prefixed name, or the term in N-Triples form."""
        key = (node, position == VERB)
        if key not in self.labels:
            self.labels[key] = self._new_label(node, position)
        return self.labels[key]

    def _new_label(self, node: Term, position: int) -> str:
        """The text of a term not written before in this position."""
        if node == _NIL:
            return "()"
        if position == VERB and node == _TYPE:
            return "a"
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=lambda datatype: self._pname(datatype, False))
        return self._pname(node, position == VERB) or node.n3()

    def _squared(self, node: Term, position: int, newline: bool) -> bool:
        """Write a blank node named once in place, as a list or as `[ ... ]`; False if it is not written so."""
        if not isinstance(node, BNode) or node in self.serialized or self.references[node] > 1 or position == SUBJECT:
            return False
        if not newline:
            self.out.append(" ")
        if self._is_list(node):
            self.out.append("(")
            self.depth += 1
            self._list(node)
            self.depth -= 1
            self.out.append(" )")
        else:
            self.serialized.add(node)
            self.depth += 2
            self.out.append("[")
            self.depth -= 1
            self._predicate_list(node)
            self.out.append(" ]")
            self.depth -= 1
        return True

    def _value(self, node: Term, predicate: Term) -> Term | None:
        """The first object of `node` and `predicate`, if any."""
        objects = self.properties.get(node, {}).get(predicate)
        return objects[0] if objects else None

    def _is_list(self, node: Term) -> bool:
        """True if `node` starts a list whose nodes have an rdf:first and an rdf:rest and nothing else."""
        if self._value(node, _FIRST) is None:
            return False
        seen: set[Term] = set()
        current: Term | None = node
        while current:
            if current in seen:
                return False
            seen.add(current)
            if current != _NIL and sum(map(len, self.properties.get(current, {}).values())) != 2:
                return False
            current = self._value(current, _REST)
        return True

    def _list(self, node: Term) -> None:
        """The items of the list starting at `node`."""
        current: Term | None = node
        while current:
            item = self._value(current, _FIRST)
            if item is not None:
                self._path(item, OBJECT)
                self.serialized.add(current)
            current = self._value(current, _REST)

    def _predicate_list(self, subject: Term) -> None:
        """The predicates of `subject` (rdf:type and rdfs:label first, then sorted), each with its objects."""
        properties = self.properties.get(subject, {})
        predicates: list[Term] = [p for p in _PREDICATE_ORDER if p in properties]
        predicates += sorted(p for p in properties if p not in _FIRST_PREDICATES)
        for number, predicate in enumerate(predicates):
            if number:
                self.out.append(" ;\n" + self._indent(1))
            self._path(predicate, VERB, newline=number > 0)
            self._object_list(self._objects(subject, predicate))

    def _objects(self, subject: Term, predicate: Term) -> list[Term]:
        """The objects of `subject` and `predicate`, sorted as rdflib sorts them, from the order they were given in."""
        key = (subject, predicate)
        if key not in self.sorted_objects:
            self.sorted_objects[key] = sorted(self.properties[subject][predicate])
        return self.sorted_objects[key]

    def _object_list(self, objects: list[Term]) -> None:
        """Objects separated by commas, one a line after the first, one level deeper (rdflib's `(count == 1) and 0 or 1`
        is 1 for any count)."""
        self.depth += 1
        self._path(objects[0], OBJECT)
        for obj in objects[1:]:
            self.out.append(",\n" + self._indent(1))
            self._path(obj, OBJECT, newline=True)
        self.depth -= 1

    def _indent(self, modifier: int = 0) -> str:
        """The indentation at the current depth."""
        return (self.depth + modifier) * _INDENT
