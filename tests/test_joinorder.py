"""Triple patterns evaluated from what is bound (pipeline.joinorder): the order chosen, the same solutions, and
a bound query that reads only what is joined to its binding."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Variable

from rcpgraph.pipeline import joinorder

EX = Namespace("http://example.org/")
QUERY = """PREFIX ex: <http://example.org/>
SELECT ?annotation ?exact WHERE {
    ?target ex:source $this ; ex:selector ?quote .
    ?annotation ex:target ?target ; a ex:Annotation .
    ?quote ex:exact ?exact .
}"""


class _Counting(Graph):
    """A graph that counts the triple patterns it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def triples(self, pattern, **kwargs) -> Iterator:  # type: ignore[override]
        """Graph.triples, counted."""
        self.lookups += 1
        return super().triples(pattern, **kwargs)


def _annotations(count: int) -> _Counting:
    """`count` annotations, each with a target on its own response and one quote."""
    graph = _Counting()
    for number in range(count):
        annotation, target, quote = EX[f"a{number}"], EX[f"t{number}"], EX[f"q{number}"]
        graph.add((annotation, RDF.type, EX.Annotation))
        graph.add((annotation, EX.target, target))
        graph.add((target, EX.source, EX[f"r{number}"]))
        graph.add((target, EX.selector, quote))
        graph.add((quote, EX.exact, EX[f"w{number}"]))
    return graph


def _solutions(graph: Graph, response: URIRef) -> list[tuple[str, ...]]:
    """The sorted solutions of QUERY with $this bound to `response`."""
    return sorted(tuple(map(str, row)) for row in graph.query(QUERY, initBindings={"this": response}))  # type: ignore[arg-type]


def test_each_next_pattern_is_joined_to_those_before() -> None:
    """From $this: the target, then the annotation by its target before its typing, then the quote."""
    this, target, quote, annotation = (Variable(name) for name in ("this", "target", "quote", "annotation"))
    patterns = [
        (annotation, RDF.type, EX.Annotation),
        (quote, EX.exact, Variable("exact")),
        (annotation, EX.target, target),
        (target, EX.selector, quote),
        (target, EX.source, this),
    ]
    assert joinorder.ordered(patterns, {this}) == [patterns[4], patterns[2], patterns[0], patterns[3], patterns[1]]


def test_ties_keep_rdflibs_order() -> None:
    """With nothing bound, the patterns with fewest variables come first, then as given."""
    first, second = Variable("first"), Variable("second")
    patterns = [(first, EX.p, second), (first, RDF.type, EX.C), (second, RDF.type, EX.C)]
    assert joinorder.ordered(patterns, set()) == [patterns[1], patterns[0], patterns[2]]


def test_a_bound_query_reads_what_is_joined_to_its_binding() -> None:
    """Inside connected(), 5 lookups answer for one response of 200; rdflib alone reads every annotation (403)."""
    graph = _annotations(200)
    outside = _solutions(graph, EX.r7)
    lookups_outside, graph.lookups = graph.lookups, 0
    with joinorder.connected():
        inside = _solutions(graph, EX.r7)
    assert inside == outside == [(str(EX.a7), str(EX.w7))]
    assert (graph.lookups, lookups_outside) == (5, 403)


def test_other_threads_and_later_queries_are_rdflibs() -> None:
    """The order applies in the block's thread only, and not after it."""
    graph = _annotations(50)
    counts: list[int] = []

    def query() -> None:
        graph.lookups = 0
        _solutions(graph, EX.r3)
        counts.append(graph.lookups)

    with joinorder.connected():
        other = threading.Thread(target=query)
        other.start()
        other.join()
    query()
    assert counts == [103, 103]
