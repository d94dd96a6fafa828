"""The asserted graph: fixed IRIs, verbatim fragments, traceability of every cell and label."""

from __future__ import annotations

from competency import DIMENSIONS
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from rcpgraph import vocabulary
from rcpgraph.pipeline import source
from rcpgraph.pipeline.graph import field_iri
from rcpgraph.vocabulary import RCP, RCPID

PROCESSES = (
    "midsa",
    "midwa",
    "colombo-process",
    "puebla-process",
    "sacm",
    "5plus5-dialogue",
    "soderkoping-process",
    "igc",
    "mtm-dialogue",
    "bali-process",
    "budapest-process",
    "apc",
)


def test_all_96_responses_exist_at_their_fixed_iris(asserted) -> None:
    responses = set(asserted.subjects(RDF.type, RCP.SurveyResponse))
    expected = {URIRef(f"https://w3id.org/rcpgraph/id/response/{p}/{d}") for p in PROCESSES for d in DIMENSIONS}
    assert responses == expected
    for node in expected:
        process, dimension = str(node).split("/")[-2:]
        assert asserted.value(node, RCP.respondent) == vocabulary.process(process)
        assert asserted.value(node, RCP.dimension) == vocabulary.concept("dimension", dimension)
        assert (vocabulary.process(process), RCP.hasResponse, node) in asserted


def test_all_92_fragments_are_kept_verbatim_with_line_and_field(asserted, layout) -> None:
    table = source.read(layout.source_file)
    fragments = set(asserted.subjects(RDF.type, RCP.SourceFragment))
    assert len(fragments) == 92
    for found in table.fragments():
        node = field_iri(found.line, found.field)
        assert node in fragments
        assert asserted.value(node, RCP.sourceText) == Literal(found.text)
        assert asserted.value(node, RCP.sourceLine).toPython() == found.line
        assert asserted.value(node, RCP.sourceField).toPython() == found.field


def test_every_non_empty_field_of_the_file_is_in_the_graph_and_used(asserted, layout) -> None:
    table = source.read(layout.source_file)
    for found in table.fields():
        node = field_iri(found.line, found.field)
        assert asserted.value(node, RCP.sourceText) == Literal(found.text), node
        used = set(asserted.subjects(PROV.wasDerivedFrom, node)) | set(asserted.subjects(RCP.printedIn, node))
        noise = (node, RDF.type, RCP.NoiseFragment) in asserted
        if found.text != "RCP":
            assert used or noise, f"{node} is kept but nothing is read from it or printed in it"
    assert len(table.fields()) == 126


def test_processes(asserted) -> None:
    rcps = set(asserted.subjects(RDF.type, RCP.RegionalConsultativeProcess))
    assert rcps == {vocabulary.process(p) for p in PROCESSES}
    assert (vocabulary.process("gfmd"), RDF.type, RCP.ConsultativeProcess) in asserted
    assert (vocabulary.process("gfmd"), RDF.type, RCP.RegionalConsultativeProcess) not in asserted
    puebla = vocabulary.process("puebla-process")
    assert asserted.value(puebla, SKOS.prefLabel) == Literal("Regional Conference on Migration", lang="en")
    assert asserted.value(puebla, RCP.acronym) == Literal("RCM")
    assert set(asserted.objects(puebla, RCP.printedIn)) == {field_iri(10, 0), field_iri(11, 0)}
    orders = sorted((asserted.value(node, RCP.order).toPython(), str(node).rsplit("/", 1)[1]) for node in rcps)
    assert [slug for _, slug in orders] == list(PROCESSES)


def test_sacm_founding_documents_cq11(asserted) -> None:
    node = vocabulary.response("sacm", "founding-documents")
    assert "remitlances" in asserted.value(node, RCP.sourceText)
    text = asserted.value(node, RCP.text)
    assert text.language == "en" and "remittances" in text and "remitlances" not in text
    assert set(asserted.objects(node, PROV.wasDerivedFrom)) == {field_iri(14, 3)}
    assert asserted.value(node, RCP.columnAssignment) == vocabulary.concept("assignment", "inferred")


def test_corrections_are_web_annotations(asserted) -> None:
    oa = vocabulary.OA
    node = RCPID["source/line-14/field-3/correction/146"]
    assert (node, RDF.type, RCP.TextCorrection) in asserted
    assert asserted.value(node, oa.motivatedBy) == oa.editing
    target = asserted.value(node, oa.hasTarget)
    assert asserted.value(target, oa.hasScope) == vocabulary.response("sacm", "founding-documents")
    assert asserted.value(target, oa.hasSource) == field_iri(14, 3)
    selectors = {asserted.value(s, RDF.type): s for s in asserted.objects(target, oa.hasSelector)}
    assert asserted.value(selectors[oa.TextQuoteSelector], oa.exact) == Literal("guaranted transfer of remitlances")
    assert asserted.value(selectors[oa.TextPositionSelector], oa.start).toPython() == 146
    assert asserted.value(asserted.value(node, oa.hasBody), RDF.value) == Literal("guaranteed transfer of remittances")
    assert len(set(asserted.subjects(RDF.type, RCP.TextCorrection))) == 27


def test_split_field_parts_are_selected_by_position(asserted) -> None:
    oa = vocabulary.OA
    response = vocabulary.response("5plus5-dialogue", "capacity-building")
    derivation = asserted.value(response, PROV.qualifiedDerivation)
    assert asserted.value(derivation, PROV.entity) == field_iri(15, 1)
    selector = asserted.value(derivation, oa.hasSelector)
    assert (asserted.value(selector, oa.start).toPython(), asserted.value(selector, oa.end).toPython()) == (18, 35)


def test_each_statement_annotation_is_traced_to_the_fragments_that_print_its_words(asserted) -> None:
    oa = vocabulary.OA
    corrections = set(asserted.subjects(RDF.type, RCP.TextCorrection))
    traced: dict[int, int] = {}
    for annotation in set(asserted.subjects(RDF.type, oa.Annotation)) - corrections:
        target = asserted.value(annotation, oa.hasTarget)
        fragments = {asserted.value(d, PROV.entity) for d in asserted.objects(target, PROV.qualifiedDerivation)}
        cell = set(asserted.objects(asserted.value(target, oa.hasSource), PROV.wasDerivedFrom))
        assert fragments and fragments <= cell
        traced[len(fragments)] = traced.get(len(fragments), 0) + 1
    assert traced == {1: 444, 2: 5}
    (annotation,) = asserted.subjects(oa.hasBody, RCPID["initiative/aeneas-project"])
    aeneas = asserted.value(annotation, oa.hasTarget)
    assert {asserted.value(d, PROV.entity) for d in asserted.objects(aeneas, PROV.qualifiedDerivation)} == {
        field_iri(10, 3)
    }
