"""Turn the resolved statements into RDF: individuals, links, facts and their Web Annotations (stage 3b)."""

from __future__ import annotations

from collections import defaultdict

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from rcpgraph import vocabulary
from rcpgraph.pipeline import derivations
from rcpgraph.pipeline.cells import Cell
from rcpgraph.pipeline.gazetteer import Entity, Gazetteer
from rcpgraph.pipeline.statements import Extraction, Individual, Link, Mention
from rcpgraph.vocabulary import OA, ORG, RCP, RCPID


def add(graph: Graph, gazetteer: Gazetteer, extraction: Extraction, cells: dict[tuple[str, str], Cell]) -> None:
    """Add every individual, link, fact, stance and annotation the statements give."""
    bodies = _mentioned(extraction)
    _themes(graph, gazetteer, bodies)
    for entity in gazetteer.agents.values():
        if entity.iri in bodies:
            _agent(graph, entity, bodies[entity.iri], gazetteer)
    for entity in _places_used(gazetteer, bodies):
        _place(graph, entity, bodies.get(entity.iri, set()))
    for individual in extraction.individuals.values():
        _individual(graph, individual, gazetteer)
    for link in extraction.links.values():
        _link(graph, link, gazetteer)
    _facts(graph, extraction, gazetteer)
    for stance in extraction.stances.values():
        process = vocabulary.process(stance.process)
        graph.add((process, RCP.gfmdStance, vocabulary.concept("gfmd-stance", stance.stance)))
        if stance.note:
            graph.add((process, RCP.editorialNote, Literal(f"GFMD stance: {stance.note}")))
    for response, mentions in _by_response(extraction.mentions).items():
        _annotations(graph, response, mentions, cells)


def _response(process: str, dimension: str) -> URIRef:
    return vocabulary.response(process, dimension)


def _mentioned(extraction: Extraction) -> dict[str, set[URIRef]]:
    """For each body IRI, the responses whose words name or tag it."""
    bodies: dict[str, set[URIRef]] = defaultdict(set)
    for mention in extraction.mentions:
        bodies[mention.body].add(_response(mention.span.process, mention.span.dimension))
    return bodies


def _labels(graph: Graph, node: URIRef, label: str, alt_labels: tuple[str, ...], notes) -> None:
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    for alt in alt_labels:
        graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    for note in notes:
        graph.add((node, RCP.editorialNote, Literal(note)))


def _stated_in(graph: Graph, node: URIRef, responses) -> None:
    for response in responses:
        graph.add((node, RCP.statedIn, response))


def _agent(graph: Graph, entity: Entity, responses: set[URIRef], gazetteer: Gazetteer) -> None:
    node = URIRef(entity.iri)
    if entity.kind == "RegionalConsultativeProcess":
        return
    _stated_in(graph, node, responses)
    if entity.kind == "ConsultativeProcess":
        return
    graph.add((node, RDF.type, RCP[entity.kind]))
    _labels(graph, node, entity.label, entity.alt_labels, entity.notes)
    if entity.acronym:
        graph.add((node, RCP.acronym, Literal(entity.acronym)))
    if entity.country:
        graph.add((node, DCTERMS.spatial, URIRef(gazetteer.places[entity.country].iri)))


def _places_used(gazetteer: Gazetteer, bodies: dict[str, set[URIRef]]) -> list[Entity]:
    """The places some words name, the countries of those cities, and the countries of named governments."""
    keys = {key for key, place in gazetteer.places.items() if place.iri in bodies}
    keys |= {country for key in keys if (country := gazetteer.places[key].country)}
    keys |= {agent.country for agent in gazetteer.agents.values() if agent.country and agent.iri in bodies}
    return [gazetteer.places[key] for key in sorted(keys)]


def _place(graph: Graph, entity: Entity, responses: set[URIRef]) -> None:
    node = URIRef(entity.iri)
    graph.add((node, RDF.type, RCP[entity.kind]))
    notes = entity.notes
    if not responses:
        notes = (
            *notes,
            "The table does not print this place; the editors name it as the country of a place or government"
            " it prints.",
        )
    _labels(graph, node, entity.label, (), notes)
    _stated_in(graph, node, responses)
    if entity.country_code:
        graph.add((node, RCP.countryCode, Literal(entity.country_code)))
    if entity.country:
        graph.add((node, RCP.inCountry, RCPID[f"place/{entity.country}"]))


def _themes(graph: Graph, gazetteer: Gazetteer, bodies: dict[str, set[URIRef]]) -> None:
    """Each response's themes: those its words tag (the themes themselves are the ontology's)."""
    for theme in gazetteer.themes.values():
        for response in bodies.get(theme.iri, ()):
            graph.add((response, RCP.theme, URIRef(theme.iri)))


def _individual(graph: Graph, individual: Individual, gazetteer: Gazetteer) -> None:
    node = URIRef(individual.iri)
    graph.add((node, RDF.type, RCP[individual.type]))
    _labels(graph, node, individual.label, individual.alt_labels, individual.notes)
    _stated_in(graph, node, (_response(*key) for key in sorted(individual.responses)))
    _when(graph, node, individual)
    if individual.location:
        graph.add((node, RCP.location, URIRef(gazetteer.places[individual.location].iri)))
    for key in individual.undertaken_by:
        graph.add((node, RCP.undertakenBy, URIRef(gazetteer.agents[key].iri)))
    for key in individual.involves:
        graph.add((node, RCP.involves, URIRef(gazetteer.agents[key].iri)))
    for key in individual.authors:
        graph.add((node, DCTERMS.creator, URIRef(gazetteer.agents[key].iri)))
    if individual.planned:
        graph.add((node, RCP.planned, Literal(True)))
    for key in individual.themes:
        graph.add((node, RCP.theme, URIRef(gazetteer.themes[key].iri)))


def _when(graph: Graph, node: URIRef, individual: Individual) -> None:
    """The date at exactly the precision printed, and the year whenever it is stated."""
    when = individual.when
    if when is None:
        return
    graph.add((node, RCP.year, Literal(f"{when.year:04d}", datatype=XSD.gYear)))
    if when.precision == "month":
        graph.add((node, RCP.yearMonth, Literal(str(when), datatype=XSD.gYearMonth)))
    if when.start is not None and when.end is not None:
        graph.add((node, RCP.startDate, Literal(when.start.isoformat(), datatype=XSD.date)))
        graph.add((node, RCP.endDate, Literal(when.end.isoformat(), datatype=XSD.date)))


def _link(graph: Graph, link: Link, gazetteer: Gazetteer) -> None:
    node = URIRef(link.iri)
    source, target = URIRef(gazetteer.agents[link.source].iri), URIRef(gazetteer.agents[link.target].iri)
    graph.add((node, RDF.type, RCP.CrossFertilizationLink))
    name = f"{_short(gazetteer.agents[link.source])} – {_short(gazetteer.agents[link.target])} ({link.status})"
    graph.add((node, SKOS.prefLabel, Literal(name, lang="en")))
    graph.add((node, RCP.linkFrom, source))
    graph.add((node, RCP.linkTo, target))
    graph.add((node, RCP.linkStatus, vocabulary.concept("link-status", link.status)))
    for span in link.spans:
        graph.add((node, RCP.evidence, Literal(span.exact)))
        graph.add((node, RCP.statedIn, _response(span.process, span.dimension)))
    for note in link.notes:
        graph.add((node, RCP.editorialNote, Literal(note)))
    processes = {"RegionalConsultativeProcess", "ConsultativeProcess"}
    if {gazetteer.agents[link.source].kind, gazetteer.agents[link.target].kind} <= processes:
        relation = RCP.crossFertilizesWith if link.status == "existing" else RCP.potentialCrossFertilizationWith
        graph.add((source, relation, target))


def _facts(graph: Graph, extraction: Extraction, gazetteer: Gazetteer) -> None:
    """Secretariats as rcp:secretariatHostedBy, memberships as W3C ORG memberships with a role."""
    for fact in extraction.facts:
        process, agent = vocabulary.process(fact.process), URIRef(gazetteer.agents[fact.agent].iri)
        if fact.role is None:  # a secretariat: every membership has a role
            graph.add((process, RCP.secretariatHostedBy, agent))
            continue
        node = RCPID[f"membership/{fact.process}/{fact.agent}"]
        name = f"{_short(gazetteer.agents[fact.agent])} in {_short(gazetteer.agents[fact.process])} ({fact.role})"
        graph.add((node, RDF.type, ORG.Membership))
        graph.add((node, SKOS.prefLabel, Literal(name, lang="en")))
        graph.add((node, ORG.member, agent))
        graph.add((node, ORG.organization, process))
        graph.add((node, ORG.role, vocabulary.concept("role", fact.role)))
        if fact.note:
            graph.add((node, RCP.editorialNote, Literal(fact.note)))
        graph.add((node, RCP.statedIn, _response(fact.span.process, fact.span.dimension)))


def _short(entity: Entity) -> str:
    """The shortest well-known name: the acronym, else the first alternative label, else the label."""
    return entity.acronym or (entity.alt_labels[0] if entity.alt_labels else entity.label)


def _by_response(mentions: list[Mention]) -> dict[URIRef, list[Mention]]:
    grouped: dict[URIRef, set[Mention]] = defaultdict(set)
    for mention in mentions:
        grouped[_response(mention.span.process, mention.span.dimension)].add(mention)
    return {
        key: sorted(value, key=lambda m: (m.span.start, m.span.end, m.motivation, m.body, m.note or ""))
        for key, value in grouped.items()
    }


def _annotations(graph: Graph, response: URIRef, mentions: list[Mention], cells: dict[tuple[str, str], Cell]) -> None:
    """One Web Annotation a mention: its body, a quote and a position selector into the corrected text, and
    the spans of the fragments its words are read from."""
    for number, mention in enumerate(mentions, start=1):
        node = URIRef(f"{response}/annotation/{number}")
        target, quote, position = (URIRef(f"{node}/target{suffix}") for suffix in ("", "/quote", "/position"))
        graph.add((node, RDF.type, OA.Annotation))
        graph.add((node, OA.motivatedBy, OA[mention.motivation]))
        graph.add((node, OA.hasBody, URIRef(mention.body)))
        graph.add((node, OA.hasTarget, target))
        if mention.note:
            graph.add((node, RCP.editorialNote, Literal(mention.note)))
        graph.add((target, RDF.type, OA.SpecificResource))
        graph.add((target, RDF.type, PROV.Entity))  # it has a prov:qualifiedDerivation, whose domain is prov:Entity
        graph.add((target, OA.hasSource, response))
        graph.add((target, OA.hasSelector, quote))
        graph.add((target, OA.hasSelector, position))
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, OA.exact, Literal(mention.span.exact)))
        graph.add((quote, OA.prefix, Literal(mention.span.prefix)))
        graph.add((quote, OA.suffix, Literal(mention.span.suffix)))
        graph.add((position, RDF.type, OA.TextPositionSelector))
        graph.add((position, OA.start, Literal(mention.span.start, datatype=XSD.nonNegativeInteger)))
        graph.add((position, OA.end, Literal(mention.span.end, datatype=XSD.nonNegativeInteger)))
        cell = cells[(mention.span.process, mention.span.dimension)]
        for piece in cell.pieces(mention.span.start, mention.span.end):
            derivations.qualified(graph, target, piece)
