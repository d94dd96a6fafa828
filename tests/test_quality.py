"""The ontology's quality rules (ontology/qc/*.rq): none fires on the release, each fires on a broken copy."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.pipeline import quality, release

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = paths.Layout(ROOT, is_checkout=True)
RCP = "https://w3id.org/rcpgraph/ontology#"
RCPID = "https://w3id.org/rcpgraph/id/"
PREFIXES = f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rcp: <{RCP}>
PREFIX rcpid: <{RCPID}>
"""
RULES = [
    "deprecated-term-in-use",
    "duplicate-label",
    "individual-without-label",
    "object-property-without-domain-or-range",
    "reused-term-not-declared",
    "term-without-label-or-definition",
    "undeclared-rcp-term",
]
UNDECLARED_PROPERTY = (
    "used as a property but not declared an owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty"
)


@pytest.fixture(scope="module")
def release_files() -> list[Path]:
    """The ontology and the two release files of the checkout."""
    return [LAYOUT.ontology_file, *release.files(LAYOUT.release_dir)]


@pytest.fixture(scope="module")
def whole(release_files: list[Path]) -> bytes:
    """The ontology and the release as one N-Quads document, to copy and break."""
    store = pyoxigraph.Store()
    for path in release_files:
        store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    return store.dump(format=pyoxigraph.RdfFormat.N_QUADS)


def broken_copy(whole: bytes, update: str, folder: Path) -> Path:
    """A Turtle file of the ontology and the release after the SPARQL `update`."""
    store = pyoxigraph.Store()
    store.load(whole, format=pyoxigraph.RdfFormat.N_QUADS)
    store.update(PREFIXES + update)
    path = folder / "broken.ttl"
    store.dump(output=path, format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph())
    return path


def test_every_rule_is_there() -> None:
    assert [rule.name for rule in quality.rules(LAYOUT.qc_dir)] == RULES


def test_no_rule_fires_on_the_release(release_files: list[Path]) -> None:
    assert quality.check(release_files, quality.rules(LAYOUT.qc_dir)) == []


CASES = [
    (
        "DELETE WHERE { rcp:Seminar rdfs:label ?label }",
        [("term-without-label-or-definition", RCP + "Seminar", "no English rdfs:label")],
    ),
    (
        "DELETE WHERE { rcp:location skos:definition ?text } ;"
        ' INSERT DATA { rcp:location skos:definition "Le lieu."@fr }',
        [("term-without-label-or-definition", RCP + "location", "no English skos:definition")],
    ),
    (
        r"DELETE WHERE { rcpid:status\/blank skos:definition ?text }",
        [("term-without-label-or-definition", RCPID + "status/blank", "no English skos:definition")],
    ),
    (
        'DELETE DATA { rcp:Report rdfs:label "report"@en } ; INSERT DATA { rcp:Report rdfs:label "Publication"@en }',
        [
            ("duplicate-label", RCP + "Publication", f'the label "publication" is also the label of <{RCP}Report>'),
            ("duplicate-label", RCP + "Report", f'the label "Publication" is also the label of <{RCP}Publication>'),
        ],
    ),
    (
        r'INSERT DATA { rcpid:status\/blank skos:prefLabel "Answered"@en }',
        [
            (
                "duplicate-label",
                RCPID + "status/answered",
                f'the label "answered" is also the label of <{RCPID}status/blank>',
            ),
            (
                "duplicate-label",
                RCPID + "status/blank",
                f'the label "Answered" is also the label of <{RCPID}status/answered>',
            ),
        ],
    ),
    (
        "DELETE WHERE { rcp:location rdfs:range ?class }",
        [("object-property-without-domain-or-range", RCP + "location", "no rdfs:range")],
    ),
    (
        "DELETE WHERE { rcp:inCountry rdfs:domain ?class }",
        [("object-property-without-domain-or-range", RCP + "inCountry", "no rdfs:domain")],
    ),
    (
        "DELETE DATA { org:role a owl:ObjectProperty }",
        [("reused-term-not-declared", "http://www.w3.org/ns/org#role", UNDECLARED_PROPERTY)],
    ),
    (
        "DELETE DATA { prov:Derivation a owl:Class }",
        [
            (
                "reused-term-not-declared",
                "http://www.w3.org/ns/prov#Derivation",
                "used as a class (the type of a resource) but not declared an owl:Class",
            )
        ],
    ),
    (
        "INSERT DATA { rcp:sha256 owl:deprecated true }",
        [("deprecated-term-in-use", RCP + "sha256", f"deprecated, yet used by <{RCPID}source>")],
    ),
    (
        "INSERT DATA { rcp:Region owl:deprecated true }",
        [
            (
                "deprecated-term-in-use",
                RCP + "Region",
                f"deprecated, yet used by <{RCPID}place/africa> and in 11 more triples",
            )
        ],
    ),
    (
        r"INSERT DATA { rcpid:event\/unnamed a rcp:Workshop }",
        [("individual-without-label", RCPID + "event/unnamed", f"no English skos:prefLabel; a <{RCP}Workshop>")],
    ),
    (
        r"DELETE WHERE { rcpid:process\/igc skos:prefLabel ?label }",
        [
            (
                "individual-without-label",
                RCPID + "process/igc",
                "no English skos:prefLabel; a <http://www.w3.org/ns/org#Organization> and of 2 more classes",
            )
        ],
    ),
    (
        r'INSERT DATA { rcpid:process\/igc rcp:acronymn "IGC" }',
        [("undeclared-rcp-term", RCP + "acronymn", "used as a property but not declared")],
    ),
    (
        r"INSERT DATA { rcpid:event\/unnamed a rcp:Workshp ; skos:prefLabel 'a workshop'@en }",
        [("undeclared-rcp-term", RCP + "Workshp", "used as a class but not declared")],
    ),
]


@pytest.mark.parametrize(("update", "expected"), CASES)
def test_each_rule_fires_on_a_broken_copy(
    whole: bytes, tmp_path: Path, update: str, expected: list[tuple[str, str, str]]
) -> None:
    violations = quality.check([broken_copy(whole, update, tmp_path)], quality.rules(LAYOUT.qc_dir))
    assert [(found.rule, found.term, found.detail) for found in violations] == expected


def test_every_rule_has_a_case() -> None:
    assert sorted({rule for _, expected in CASES for rule, _, _ in expected}) == RULES


def test_the_command_passes_the_release(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check-ontology"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "rcpgraph check-ontology: 0 violations (0 of 7 rules)\n")


def test_the_command_lists_violations(whole: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = broken_copy(whole, "DELETE WHERE { rcp:location rdfs:range ?class ; rdfs:label ?label }", tmp_path)
    assert main(["check-ontology", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "rule                                     term          detail\n"
        "---------------------------------------  ------------  ---------------------\n"
        "object-property-without-domain-or-range  rcp:location  no rdfs:range\n"
        "term-without-label-or-definition         rcp:location  no English rdfs:label\n"
    )
    assert captured.err == "rcpgraph check-ontology: 2 violations (2 of 7 rules)\n"


def write(folder: Path, name: str, text: str) -> Path:
    """Write `text` to `folder/name`."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "data.ttl",
            "<http://example.org/a> <http://example.org/b> .\n",
            "data.ttl:1:",
        ),
        (
            "rules/not-select.rq",
            "#+ summary: a rule that asks\nASK { ?s ?p ?o }\n",
            "not-select.rq: a quality rule is a SELECT of ?term and ?detail",
        ),
        (
            "rules/wrong-columns.rq",
            "#+ summary: a rule without a detail\nSELECT ?term WHERE { ?term ?p ?o }\n",
            "wrong-columns.rq: a quality rule is a SELECT of ?term and ?detail",
        ),
        (
            "rules/fetches.rq",
            "#+ summary: a rule that fetches\n"
            "SELECT ?term ?detail WHERE { SERVICE <http://example.org/> { ?term ?p ?detail } }\n",
            "fetches.rq:2:",
        ),
    ],
)
def test_bad_input_is_one_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    written = write(tmp_path, name, text)
    data = written if name.endswith(".ttl") else write(tmp_path, "data.ttl", "")
    rules = written.parent if name.endswith(".rq") else LAYOUT.qc_dir
    assert main(["check-ontology", str(data), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rcpgraph check-ontology: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_a_folder_without_rules_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path, "data.ttl", "")
    assert main(["check-ontology", str(data), "--rules", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"rcpgraph check-ontology: no quality rules (.rq files) in {tmp_path}\n"
