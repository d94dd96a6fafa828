"""Extracted individuals: each derives from a response, each mention's words are in its cell."""

from __future__ import annotations

import pycountry
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from rcpgraph.pipeline import dates
from rcpgraph.vocabulary import OA, ORG, RCP

EXTRACTED = (RCP.Event, RCP.Document, RCP.Initiative, RCP.CrossFertilizationLink, RCP.Organisation, ORG.Membership)


def _union(asserted: Graph, inferred: Graph) -> Graph:
    graph = Graph()
    graph += asserted
    graph += inferred
    return graph


def _instances(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.subjects(RDF.type, cls))


def test_every_extracted_individual_is_stated_in_a_response(asserted, inferred) -> None:
    graph = _union(asserted, inferred)
    responses = _instances(graph, RCP.SurveyResponse)
    for cls in EXTRACTED:
        for node in _instances(graph, cls):
            sources = set(graph.objects(node, RCP.statedIn))
            assert sources and sources <= responses, node
            assert len(list(graph.objects(node, SKOS.prefLabel))) == 1, node


def test_every_annotation_selects_words_of_its_cell(asserted) -> None:
    annotations = [a for a in _instances(asserted, OA.Annotation) if (a, RDF.type, RCP.TextCorrection) not in asserted]
    assert annotations
    for annotation in annotations:
        target = asserted.value(annotation, OA.hasTarget)
        text = str(asserted.value(asserted.value(target, OA.hasSource), RCP.text))
        selectors = {asserted.value(s, RDF.type): s for s in asserted.objects(target, OA.hasSelector)}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = (asserted.value(position, p).toPython() for p in (OA.start, OA.end))
        assert str(asserted.value(quote, OA.exact)) == text[start:end], annotation
        assert str(asserted.value(quote, OA.prefix)) == text[max(0, start - 32) : start]
        assert str(asserted.value(quote, OA.suffix)) == text[end : end + 32]


def test_link_evidence_is_words_of_its_cells(asserted) -> None:
    for link in _instances(asserted, RCP.CrossFertilizationLink):
        texts = [str(asserted.value(r, RCP.text)) for r in asserted.objects(link, RCP.statedIn)]
        for evidence in asserted.objects(link, RCP.evidence):
            assert any(str(evidence) in text for text in texts), (link, evidence)


def _quotes(graph: Graph, node: URIRef) -> list[str]:
    """The words that identify `node` in the cells."""
    found = []
    for annotation in graph.subjects(OA.hasBody, node):
        if graph.value(annotation, OA.motivatedBy) == OA.identifying:
            for selector in graph.objects(graph.value(annotation, OA.hasTarget), OA.hasSelector):
                if graph.value(selector, OA.exact) is not None:
                    found.append(str(graph.value(selector, OA.exact)))
    return found


def test_dates_carry_exactly_the_printed_precision(asserted) -> None:
    dated = 0
    for node in set(asserted.subjects(RCP.year, None)):
        printed = {str(found.when) for quote in _quotes(asserted, node) for found in dates.find(quote)}
        start, end = asserted.value(node, RCP.startDate), asserted.value(node, RCP.endDate)
        month = asserted.value(node, RCP.yearMonth)
        year = str(asserted.value(node, RCP.year))
        if start is not None:
            expected = str(start) if start == end else f"{start}/{end}"
            assert expected in printed, node
            dated += 1
        elif month is not None:
            assert str(month) in printed, node
        else:
            assert year in printed, node
    assert dated >= 4


def test_countries_have_their_iso_codes(asserted) -> None:
    countries = _instances(asserted, RCP.Country)
    assert countries
    for country in countries:
        code = str(asserted.value(country, RCP.countryCode))
        assert pycountry.countries.get(alpha_2=code) is not None, country
    for city in _instances(asserted, RCP.City):
        assert asserted.value(city, RCP.inCountry) in countries, city


def test_a_potential_link_is_never_stated_as_existing(asserted) -> None:
    existing = {
        (asserted.value(link, RCP.linkFrom), asserted.value(link, RCP.linkTo))
        for link in _instances(asserted, RCP.CrossFertilizationLink)
        if str(asserted.value(link, RCP.linkStatus)).endswith("/existing")
    }
    for source, target in asserted.subject_objects(RCP.crossFertilizesWith):
        assert (source, target) in existing
