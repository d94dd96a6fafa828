"""Make the asserted graph: the ontology plus every fact read from the source and the curation (stage 3)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from rcpgraph import vocabulary
from rcpgraph.namespaces import PREFIXES
from rcpgraph.paths import Layout
from rcpgraph.pipeline import annotations as annotations_module
from rcpgraph.pipeline import cells as cells_module
from rcpgraph.pipeline import curation as curation_module
from rcpgraph.pipeline import derivations, statements, versioning
from rcpgraph.pipeline import gazetteer as gazetteer_module
from rcpgraph.pipeline import source as source_module
from rcpgraph.pipeline.cells import Cell, Edit, Part
from rcpgraph.pipeline.curation import Curation, ProcessPlan, Ref
from rcpgraph.pipeline.derivations import field_iri
from rcpgraph.pipeline.source import Field, Source
from rcpgraph.vocabulary import OA, RCP, RCPID


@dataclass
class Inputs:
    """Everything a build reads, loaded and checked."""

    source: Source
    curation: Curation
    cells: dict[tuple[str, str], Cell]
    gazetteer: gazetteer_module.Gazetteer
    extraction: statements.Extraction
    ontology: Graph


def load_inputs(layout: Layout) -> Inputs:
    """Read the source, the curation files and the ontology of one tree, checking each."""
    source = source_module.read(layout.source_file, layout.checksum_file)
    ontology = versioning.load_ontology(layout.ontology_file)
    terms = vocabulary.of(ontology, layout.ontology_file)
    curation = curation_module.load(layout.curation_dir, source, terms)
    cells = cells_module.read_cells(source, curation)
    names = gazetteer_module.load(layout.curation_dir / "entities", curation, terms)
    extraction = statements.load(layout.curation_dir / "statements", cells, names, terms)
    return Inputs(source, curation, cells, names, extraction, ontology)


def asserted_graph(inputs: Inputs) -> Graph:
    """The ontology and every asserted fact, in one graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    graph += inputs.ontology
    _source(graph, inputs.source, inputs.curation)
    _concepts(graph, inputs.curation)
    for plan in inputs.curation.processes.values():
        _process(graph, plan)
    for cell in inputs.cells.values():
        _response(graph, cell, _response_label(inputs, cell))
    annotations_module.add(graph, inputs.gazetteer, inputs.extraction, inputs.cells)
    return graph


def _response_label(inputs: Inputs, cell: Cell) -> str:
    """A response's label: the process's short name and the dimension, e.g. "MIDSA: research"."""
    plan = inputs.curation.processes[cell.plan.process]
    short = plan.acronym or (plan.alt_labels[0] if plan.alt_labels else plan.label)
    dimension = inputs.ontology.value(vocabulary.concept("dimension", cell.plan.dimension), SKOS.prefLabel)
    return f"{short}: {dimension}"


def _ref_iri(ref: Ref) -> URIRef:
    return field_iri(ref.line, ref.field)


# ---------------------------------------------------------------- the source


def _source(graph: Graph, source: Source, curation: Curation) -> None:
    table = RCPID["source"]
    title = source.cited(curation.layout.title[0].line, curation.layout.title[0].field)
    graph.add((table, RDF.type, RCP.SourceTable))
    graph.add((table, SKOS.prefLabel, Literal("Annex B source table", lang="en")))
    graph.add((table, DCTERMS.title, Literal(title.text)))
    graph.add((table, DCTERMS.format, vocabulary.media_type("text/plain")))
    graph.add((table, RCP.sha256, Literal(source.sha256)))
    graph.add((table, PROV.wasDerivedFrom, _ref_iri(curation.layout.title[0])))
    for found in source.fields():
        _field(graph, found, table, curation)


def _field(graph: Graph, found: Field, table: URIRef, curation: Curation) -> None:
    node = field_iri(found.line, found.field)
    graph.add((node, RDF.type, RCP.SourceFragment if found.is_cell else RCP.SourceLabel))
    graph.add((node, SKOS.prefLabel, Literal(f"line {found.line}, field {found.field}", lang="en")))
    graph.add((node, RCP.sourceLine, Literal(found.line, datatype=XSD.integer)))
    graph.add((node, RCP.sourceField, Literal(found.field, datatype=XSD.integer)))
    graph.add((node, RCP.sourceText, Literal(found.text)))
    graph.add((node, DCTERMS.isPartOf, table))
    noise = curation.noise.get(found.key)
    if noise is not None:
        graph.add((node, RDF.type, RCP.NoiseFragment))
        graph.add((node, RCP.editorialNote, Literal(noise.reason)))
    split = curation.splits.get(found.key)
    if split is not None:
        graph.add((node, RCP.editorialNote, Literal(split.reason)))


# ---------------------------------------------------------------- concepts and processes


def _concepts(graph: Graph, curation: Curation) -> None:
    """Link the concepts of the ontology to the headings and footnotes they are read from (their rcp:order is the
    ontology's, which the layout must follow)."""
    layout = curation.layout
    tables = {"dimension": {**layout.columns, **layout.column_groups}, "priority": layout.groups, "basis": layout.bases}
    for scheme, entries in tables.items():
        for name, refs in entries.items():
            for ref in refs:
                graph.add((vocabulary.concept(scheme, name), RCP.printedIn, _ref_iri(ref)))


def _process(graph: Graph, plan: ProcessPlan) -> None:
    node = vocabulary.process(plan.slug)
    graph.add((node, RDF.type, RCP.RegionalConsultativeProcess if plan.regional else RCP.ConsultativeProcess))
    graph.add((node, SKOS.prefLabel, Literal(plan.label, lang="en")))
    for alt in plan.alt_labels:
        graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    if plan.acronym:
        graph.add((node, RCP.acronym, Literal(plan.acronym)))
    if plan.note:
        graph.add((node, RCP.editorialNote, Literal(plan.note)))
    for ref in plan.printed:
        graph.add((node, RCP.printedIn, _ref_iri(ref)))
    if plan.regional and plan.group is not None and plan.basis is not None:
        graph.add((node, RCP.order, Literal(plan.order, datatype=XSD.integer)))
        graph.add((node, RCP.thematicPriority, vocabulary.concept("priority", plan.group)))
        graph.add((node, RCP.informationBasis, vocabulary.concept("basis", plan.basis)))


# ---------------------------------------------------------------- responses


def _response(graph: Graph, cell: Cell, label: str) -> None:
    plan = cell.plan
    node = vocabulary.response(plan.process, plan.dimension)
    process = vocabulary.process(plan.process)
    graph.add((node, RDF.type, RCP.SurveyResponse))
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((process, RCP.hasResponse, node))
    graph.add((node, RCP.respondent, process))
    graph.add((node, RCP.dimension, vocabulary.concept("dimension", plan.dimension)))
    graph.add((node, RCP.responseStatus, vocabulary.concept("status", plan.status)))
    graph.add((node, RCP.columnAssignment, vocabulary.concept("assignment", cell.assignment)))
    if cell.text is not None:
        graph.add((node, RCP.text, Literal(cell.text, lang="en")))
    if cell.source_text is not None:
        graph.add((node, RCP.sourceText, Literal(cell.source_text)))
    for note in cell.notes:
        graph.add((node, RCP.editorialNote, Literal(note)))
    for part in cell.parts:
        _derivation(graph, node, part)
        for edit in part.edits:
            _correction(graph, node, edit)


def _derivation(graph: Graph, response: URIRef, part: Part) -> None:
    """The response is derived from a span of a fragment, the `order`-th piece of its text."""
    graph.add((response, PROV.wasDerivedFrom, field_iri(part.line, part.field)))
    derivations.qualified(graph, response, part)


def _correction(graph: Graph, response: URIRef, edit: Edit) -> None:
    """An OCR correction, as a Web Annotation that edits a span of the fragment's words."""
    fragment = field_iri(edit.line, edit.field)
    node = URIRef(f"{fragment}/correction/{edit.start}")
    target, body = URIRef(f"{node}/target"), URIRef(f"{node}/body")
    graph.add((node, RDF.type, RCP.TextCorrection))
    graph.add((node, RDF.type, OA.Annotation))
    label = f"correction of “{edit.correction.wrong}” on line {edit.line}, field {edit.field}"
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((node, OA.motivatedBy, OA.editing))
    graph.add((node, OA.hasTarget, target))
    graph.add((node, OA.hasBody, body))
    graph.add((node, RCP.editorialNote, Literal(edit.correction.reason)))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, fragment))
    graph.add((target, OA.hasScope, response))
    quote, position = URIRef(f"{target}/quote"), URIRef(f"{target}/position")
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(edit.correction.wrong)))
    derivations.position(graph, position, edit.start, edit.end)
    graph.add((body, RDF.type, OA.TextualBody))
    graph.add((body, RDF.value, Literal(edit.correction.right)))
