"""Content negotiation: Accept parsing with q-values, precedence of specific ranges, overrides and suffixes."""

from __future__ import annotations

import pytest

from rcpgraph.serve import negotiation
from rcpgraph.serve.negotiation import (
    CSV,
    GRAPH,
    HTML,
    JSON,
    JSONLD,
    NTRIPLES,
    RDFXML,
    RESOURCE,
    SOLUTIONS,
    TSV,
    TURTLE,
    XML,
)


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, SOLUTIONS, JSON),
        ("", RESOURCE, TURTLE),
        ("*/*", RESOURCE, TURTLE),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", RESOURCE, HTML),
        ("application/ld+json", RESOURCE, JSONLD),
        ("application/n-triples;q=0.9, text/turtle;q=0.5", RESOURCE, NTRIPLES),
        ("text/*;q=0.3, text/html;q=0", RESOURCE, TURTLE),
        ("application/json", GRAPH, JSONLD),
        ("application/json", SOLUTIONS, JSON),
        ("text/tab-separated-values; charset=utf-8", SOLUTIONS, TSV),
        ("Application/SPARQL-Results+XML", SOLUTIONS, XML),
        ("garbage, text/turtle;q=nonsense, application/ld+json;q=0.5", RESOURCE, JSONLD),
        ("image/png", RESOURCE, None),
        ("text/html;q=0", (HTML,), None),
        # a wildcard covers the type a format is served as, never one of its aliases
        ("application/*, text/turtle;q=0.1", RESOURCE, JSONLD),
        ("text/*", SOLUTIONS, CSV),
        ("application/*", SOLUTIONS, JSON),
        # an alias named exactly still counts: N-Triples as text/plain, as rdflib's parse(url, format="nt") asks
        ("text/plain", RESOURCE, NTRIPLES),
        ("text/plain", GRAPH, NTRIPLES),
        ("text/xml", SOLUTIONS, XML),
    ],
)
def test_choose(accept: str | None, offers: tuple, chosen: negotiation.Format | None) -> None:
    assert negotiation.choose(accept, offers) is chosen


def test_the_most_specific_range_sets_the_q_value() -> None:
    ranges = negotiation.parse_accept("text/*;q=0.9, text/turtle;q=0.1, */*;q=0.5")
    assert negotiation.quality(ranges, TURTLE) == 0.1
    assert negotiation.quality(ranges, HTML) == 0.9
    assert negotiation.quality(ranges, JSONLD) == 0.5


@pytest.mark.parametrize(
    ("name", "chosen"),
    [
        ("ttl", TURTLE),
        ("turtle", TURTLE),
        ("JSON-LD", JSONLD),
        ("nt", NTRIPLES),
        ("xml", RDFXML),  # SPARQLWrapper's default for CONSTRUCT
        ("application/rdf+xml", RDFXML),
        ("csv", None),
    ],
)
def test_named(name: str, chosen: negotiation.Format | None) -> None:
    assert negotiation.named(name, GRAPH) is chosen


def test_by_suffix() -> None:
    assert negotiation.by_suffix("process/midsa.ttl", GRAPH) == ("process/midsa", TURTLE)
    assert negotiation.by_suffix("process/midsa.jsonld", GRAPH) == ("process/midsa", JSONLD)
    assert negotiation.by_suffix("process/midsa", GRAPH) is None


def test_content_types_name_the_charset_of_text() -> None:
    assert TURTLE.content_type == "text/turtle; charset=utf-8"
    assert JSON.content_type == "application/sparql-results+json"
    assert NTRIPLES.content_type == "application/n-triples"
