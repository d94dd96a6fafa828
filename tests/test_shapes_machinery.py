"""SHACL validation machinery: small inline shapes, exact reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from rcpgraph.errors import InputError
from rcpgraph.pipeline.validation import Report, ValidationResult, format_report, load_shapes, validate
from rcpgraph.rdfio import parse_turtle_text

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
@prefix rcp: <http://example.org/rcp#> .
"""

SHAPES = """
ex:ResponseShape a sh:NodeShape ;
    sh:targetClass rcp:Response ;
    sh:property ex:ResponseDimension, ex:ResponseYear .
ex:ResponseDimension a sh:PropertyShape ;
    sh:path rcp:dimension ;
    sh:minCount 1 ;
    sh:class rcp:Dimension ;
    sh:message "A response needs a dimension" .
ex:ResponseYear a sh:PropertyShape ;
    sh:path rcp:year ;
    sh:datatype xsd:gYear ;
    sh:severity sh:Warning ;
    sh:message "The year should be an xsd:gYear" .
"""

ONTOLOGY = """
rcp:PolicyResponse rdfs:subClassOf rcp:Response .
rcp:Theme rdfs:subClassOf rcp:Dimension .
"""


def graph(text: str, name: str = "data.ttl") -> Graph:
    """A graph from Turtle with the common prefixes."""
    return parse_turtle_text(PREFIXES + text, name)


def check(data: str, shapes: str = SHAPES, ontology: str | None = ONTOLOGY) -> Report:
    """Validate inline Turtle data against inline shapes and ontology, all with the common prefixes."""
    return validate(graph(data), graph(shapes, "shapes.ttl"), graph(ontology, "rcp.ttl") if ontology else None)


def test_conforming_data() -> None:
    report = check("ex:r1 a rcp:Response ; rcp:dimension ex:d1 . ex:d1 a rcp:Dimension .")
    assert report == Report(conforms=True, results=[])
    assert format_report(report) == "Conforms: yes\n"


def test_missing_dimension_is_a_violation_with_the_shape_message() -> None:
    report = check("ex:r1 a rcp:Response .")
    assert not report.conforms
    assert report.results == [
        ValidationResult(
            focus_node="ex:r1",
            path="rcp:dimension",
            message="A response needs a dimension",
            severity="Violation",
            source_shape="ex:ResponseDimension",
            constraint_component="MinCountConstraintComponent",
            value=None,
        )
    ]


def test_unbound_namespaces_are_full_iris() -> None:
    shapes = """<http://example.org/S> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetNode> <http://other.example/r1> ;
    <http://www.w3.org/ns/shacl#property> [
        <http://www.w3.org/ns/shacl#path> <http://example.org/rcp#dimension> ;
        <http://www.w3.org/ns/shacl#minCount> 1 ] .
"""
    data = parse_turtle_text("<http://other.example/r1> a <http://example.org/rcp#Response> .", "data.ttl")
    report = validate(data, parse_turtle_text(shapes, "shapes.ttl"))
    assert [(result.focus_node, result.path) for result in report.results] == [
        ("<http://other.example/r1>", "<http://example.org/rcp#dimension>")
    ]


def test_ontology_subclasses_are_used_for_targets_and_sh_class() -> None:
    data = "ex:r1 a rcp:PolicyResponse ; rcp:dimension ex:t1 . ex:t1 a rcp:Theme . ex:r2 a rcp:PolicyResponse ."
    with_ontology = check(data)
    assert [(result.focus_node, result.constraint_component) for result in with_ontology.results] == [
        ("ex:r2", "MinCountConstraintComponent")
    ]
    assert check(data, ontology=None) == Report(conforms=True, results=[])


def test_sh_class_without_the_subclass_axiom_fails() -> None:
    report = check("ex:r1 a rcp:Response ; rcp:dimension ex:t1 . ex:t1 a rcp:Theme .", ontology=None)
    assert [(result.constraint_component, result.value) for result in report.results] == [
        ("ClassConstraintComponent", "ex:t1")
    ]


def test_no_inference_on_the_data() -> None:
    data = "ex:r1 a rcp:Response ; rcp:dimension ex:t1 . ex:t1 a rcp:Theme . rcp:Theme rdfs:domain rcp:Dimension ."
    report = check(data, ontology=None)
    assert [result.constraint_component for result in report.results] == ["ClassConstraintComponent"]


def test_warnings_do_not_break_conformance() -> None:
    report = check('ex:r1 a rcp:Response ; rcp:dimension ex:d1 ; rcp:year "2001" . ex:d1 a rcp:Dimension .')
    assert report.conforms
    assert report.results == [
        ValidationResult(
            focus_node="ex:r1",
            path="rcp:year",
            message="The year should be an xsd:gYear",
            severity="Warning",
            source_shape="ex:ResponseYear",
            constraint_component="DatatypeConstraintComponent",
            value='"2001"',
        )
    ]
    assert format_report(report).splitlines()[0] == "Conforms: yes (1 result: 0 violations, 1 warning)"


def test_results_are_sorted_and_formatted() -> None:
    data = 'ex:r2 a rcp:Response ; rcp:year "2002" . ex:r1 a rcp:Response ; rcp:year "2001" .'
    assert format_report(check(data)) == (
        "Conforms: no (4 results: 2 violations, 2 warnings)\n"
        "\n"
        "Focus node: ex:r1\nPath: rcp:dimension\nMessage: A response needs a dimension\n"
        "Severity: Violation\nConstraint: MinCountConstraintComponent\nValue: -\n"
        "\n"
        "Focus node: ex:r2\nPath: rcp:dimension\nMessage: A response needs a dimension\n"
        "Severity: Violation\nConstraint: MinCountConstraintComponent\nValue: -\n"
        "\n"
        "Focus node: ex:r1\nPath: rcp:year\nMessage: The year should be an xsd:gYear\n"
        'Severity: Warning\nConstraint: DatatypeConstraintComponent\nValue: "2001"\n'
        "\n"
        "Focus node: ex:r2\nPath: rcp:year\nMessage: The year should be an xsd:gYear\n"
        'Severity: Warning\nConstraint: DatatypeConstraintComponent\nValue: "2002"\n'
    )


def test_default_message_when_the_shape_has_none() -> None:
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:r1 ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ."
    (result,) = check("ex:r1 a ex:Thing .", shapes).results
    assert result.message
    assert result.source_shape.startswith("_:")


def test_sparql_constraints_are_honoured() -> None:
    shapes = """
ex:LabelShape a sh:NodeShape ;
    sh:targetClass rcp:Response ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:message "Label {?value} is a placeholder" ;
        sh:select '''SELECT $this ?value WHERE {
            $this <http://www.w3.org/2000/01/rdf-schema#label> ?value . FILTER(STR(?value) = "TODO") }'''
    ] .
"""
    report = check('ex:r1 a rcp:Response ; rdfs:label "TODO" . ex:r2 a rcp:Response ; rdfs:label "fine" .', shapes)
    assert report.results == [
        ValidationResult(
            focus_node="ex:r1",
            path=None,
            message="Label TODO is a placeholder",
            severity="Violation",
            source_shape="ex:LabelShape",
            constraint_component="SPARQLConstraintComponent",
            value='"TODO"',
        )
    ]


def test_info_results_are_counted() -> None:
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:r1 ; sh:severity sh:Info ; sh:class rcp:Response ."
    report = check("ex:r1 a ex:Thing .", shapes)
    assert report.conforms
    assert format_report(report).splitlines()[0] == "Conforms: yes (1 result: 0 violations, 0 warnings, 1 info)"


def test_complex_paths_are_rendered_as_sparql_paths() -> None:
    shapes = """
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
    sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] [ sh:alternativePath ( ex:r [ sh:zeroOrMorePath ex:s ] ) ] ) ;
                  sh:maxCount 0 ] .
"""
    (result,) = check("ex:a ex:p ex:b . ex:c ex:q ex:b . ex:c ex:r ex:d .", shapes).results
    assert result.path == "ex:p/^ex:q/(ex:r|ex:s*)"


def test_the_report_graph_is_kept() -> None:
    report = check("ex:r1 a rcp:Response .")
    sh = "http://www.w3.org/ns/shacl#"
    assert len(list(report.graph.subjects(RDF.type, URIRef(sh + "ValidationReport")))) == 1
    assert len(list(report.graph.subjects(RDF.type, URIRef(sh + "ValidationResult")))) == 1


def test_load_shapes(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + SHAPES, encoding="utf-8")
    assert len(load_shapes(path)) == len(graph(SHAPES))


def test_load_shapes_missing(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    with pytest.raises(InputError) as caught:
        load_shapes(path)
    assert str(caught.value) == f"shapes file not found: {path}"


def test_load_shapes_malformed(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + "ex:S a sh:NodeShape ;\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_shapes(path)
    assert str(caught.value) == f"{path}:7:1: Unexpected end"


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (
            'ex:S a sh:NodeShape ; sh:targetNode ex:r1 ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .',
            "SHACL validation could not run: "
            "MinCountConstraintComponent sh:minCount must be a literal with datatype xsd:integer.",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetNode ex:r1 ; sh:sparql [ sh:select "SELECT nonsense" ] .',
            "SHACL validation could not run: invalid SPARQL in the shapes: Expected SelectQuery, found 'nonsense'",
        ),
        (
            'ex:S sh:targetNode ex:r1 ; sh:sparql [ sh:select "SELECT $this { $this ?p ?o MINUS { } }" ] .',
            "SHACL validation could not run: A SPARQL Constraint must not contain a MINUS clause.",
        ),
        (
            'ex:S sh:targetNode ex:r1 ; sh:sparql [ sh:select "SELECT $this { SERVICE <x:y> { } }" ] .',
            "ex:S sh:sparql/sh:select: SERVICE is not allowed: "
            "validation reads the data graph only and fetches nothing",
        ),
        (  # rcpgraph's screen lets a variable named ?service pass; pySHACL's own pattern does not (README)
            'ex:S sh:targetNode ex:r1 ; sh:sparql [ sh:select "SELECT $this { $this ?p ?service . }" ] .',
            "SHACL validation could not run: A SPARQL Constraint must not contain a federated query (SERVICE).",
        ),
    ],
)
def test_unusable_shapes_are_input_errors(shapes: str, message: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as caught:
        check("ex:r1 a ex:Thing .", shapes)
    assert str(caught.value).startswith(message)
    assert capfd.readouterr().err == ""
