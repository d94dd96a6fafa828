"""`rcpgraph build --reasoner`: owlrl by default, or reasonable with prp-fp and prp-ifp applied by rcpgraph."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import reasonable
from rdflib import OWL, Graph, Literal, Namespace, URIRef

from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.paths import INFERRED_NAME, RELEASE_NAME, VOID_NAME
from rcpgraph.pipeline import reasoners, reasoning

ROOT = Path(__file__).resolve().parents[1]
EX = Namespace("http://example.org/")
PREFIXES = """
@prefix : <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def _by_reasonable(graph: Graph) -> set:
    return set(reasoning.entailments(graph, reasoners.load("reasonable")))


def test_both_reasoners_give_the_same_entailments_on_the_release(asserted, inferred) -> None:
    """The filtered entailments of reasonable (with prp-fp and prp-ifp done by rcpgraph) are owlrl's, exactly."""
    by_reasonable = _by_reasonable(asserted)
    assert by_reasonable == set(inferred)
    assert len(by_reasonable) == 935


def test_reasonable_alone_makes_subjects_of_an_inverse_functional_property_the_same() -> None:
    """The fault worked around: reasonable 0.4.4's prp-ifp fires without a shared value."""
    graph = _graph(":q a owl:InverseFunctionalProperty . :a :q :m . :b :q :n .")
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    assert (EX.a, OWL.sameAs, EX.b) in set(reasoner.reason())


def test_no_same_as_without_a_shared_value() -> None:
    """Neither an inverse-functional property with two values nor a functional one of two subjects equates terms."""
    assert _by_reasonable(_graph(":q a owl:InverseFunctionalProperty . :a :q :m . :b :q :n .")) == set()
    assert _by_reasonable(_graph(":q a owl:FunctionalProperty . :a :q :m . :b :q :n .")) == set()


def test_a_shared_value_of_an_inverse_functional_property_equates_its_subjects() -> None:
    """One value for two subjects: they are the same, and each takes the other's facts (as with owlrl)."""
    graph = _graph(':q a owl:InverseFunctionalProperty . :a :q "k" ; :note "words" . :b :q "k" .')
    expected = {(EX.a, OWL.sameAs, EX.b), (EX.b, OWL.sameAs, EX.a), (EX.b, EX.note, Literal("words"))}
    assert _by_reasonable(graph) == expected
    assert set(reasoning.entailments(graph)) == expected


def test_two_values_of_a_functional_property_are_the_same() -> None:
    """Two values for one subject, the second through a sub-property: the values are the same, with their facts."""
    graph = _graph(":q a owl:FunctionalProperty . :r rdfs:subPropertyOf :q . :a :r :m ; :q :n . :m :near :x .")
    expected = {
        (EX.a, EX.q, EX.m),
        (EX.a, EX.r, EX.n),
        (EX.m, OWL.sameAs, EX.n),
        (EX.n, OWL.sameAs, EX.m),
        (EX.n, EX.near, EX.x),
    }
    assert _by_reasonable(graph) == expected
    assert set(reasoning.entailments(graph)) == expected


RULES = {
    "prp-dom, prp-rng": (":q rdfs:domain :C ; rdfs:range :D . :a :q :b .", 2),
    "prp-inv, prp-symp": (":q owl:inverseOf :r . :s a owl:SymmetricProperty . :a :q :b ; :s :c .", 2),
    "prp-trp": (":q a owl:TransitiveProperty . :a :q :b . :b :q :c .", 1),
    "prp-eqp, scm-eqp": (":q owl:equivalentProperty :r . :a :q :b . :c :r :d .", 5),
    "scm-spo": (":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .", 1),
    "cax-sco, scm-sco": (":C rdfs:subClassOf :D . :D rdfs:subClassOf :E . :a a :C .", 3),
    "cax-eqc, scm-eqc": (":C owl:equivalentClass :D . :a a :C . :b a :D .", 5),
    "cls-int, scm-int": (":I owl:intersectionOf (:C :D) . :a a :C , :D . :b a :I .", 5),
    "cls-uni, scm-uni": (":U owl:unionOf (:C :D) . :a a :C .", 3),
    "cls-hv, scm-hv": (
        ":R owl:hasValue :v ; owl:onProperty :p . :S owl:hasValue :v ; owl:onProperty :q . "
        ":p rdfs:subPropertyOf :q . :a a :R .",
        4,
    ),
    "cls-svf, scm-svf": (
        ":R owl:someValuesFrom :C ; owl:onProperty :p . :S owl:someValuesFrom :D ; owl:onProperty :p . "
        ":C rdfs:subClassOf :D . :a :p :b . :b a :C .",
        4,
    ),
    "cls-avf": (":R owl:allValuesFrom :C ; owl:onProperty :p . :a a :R ; :p :b .", 1),
    "eq-sym, eq-trans, eq-rep": (":a owl:sameAs :b . :b owl:sameAs :c . :a :p :d .", 6),
    "plain literals": (':q rdfs:range :C . :a :q "x" , "y"@en , 1 .', 0),
}


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_gives_owlrls_entailments(rule: str) -> None:
    """On a small graph for each OWL 2 RL rule family, both reasoners entail the same (the schema rules by owlrl)."""
    turtle, count = RULES[rule]
    graph = _graph(turtle)
    by_owlrl = set(reasoning.entailments(graph))
    assert _by_reasonable(graph) == by_owlrl
    assert len(by_owlrl) == count


def test_two_literal_values_of_a_functional_property_stop_the_build() -> None:
    graph = _graph(':q a owl:FunctionalProperty . :a :q "one" , "two" .')
    with pytest.raises(InputError) as raised:
        _by_reasonable(graph)
    assert str(raised.value) == (
        "<http://example.org/a> has 2 values of the functional property <http://example.org/q>, literals among them "
        "('one', 'two'): the reasonable reasoner cannot make a literal the same as another term; fix the data or "
        "build with --reasoner owlrl"
    )


UNAPPLIED = {
    OWL.hasKey: ":C owl:hasKey (:p) .",
    OWL.maxCardinality: ":R owl:maxCardinality 1 ; owl:onProperty :p .",
    OWL.propertyChainAxiom: ":r owl:propertyChainAxiom (:p :p) .",
}


@pytest.mark.parametrize("term", UNAPPLIED)
def test_a_rule_reasonable_does_not_apply_is_refused(term: URIRef) -> None:
    graph = _graph(UNAPPLIED[term] + " :a a :C , :R ; :p :x .")
    with pytest.raises(InputError) as raised:
        _by_reasonable(graph)
    assert str(raised.value) == (
        f"the graph uses <{term}>, whose OWL 2 RL rules the reasonable reasoner does not apply: "
        "build with --reasoner owlrl"
    )


def test_an_unknown_reasoner_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["build", "--reasoner", "hermit", "--out", str(tmp_path / "release")])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("rcpgraph build: error: argument --reasoner: invalid choice: 'hermit' (choose from ")
    assert "owlrl" in err and "reasonable" in err and err.count("\n") == 1
    assert not (tmp_path / "release").exists()


def test_a_missing_reasoner_package_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the reasonable package, the build stops before any work, naming the pip extra (exit 2)."""
    monkeypatch.setitem(sys.modules, "reasonable", None)  # an import of it now fails as if it were not installed
    monkeypatch.delitem(sys.modules, "rcpgraph.pipeline.reasonable_closure", raising=False)
    monkeypatch.setenv("RCPGRAPH_HOME", str(ROOT))
    assert main(["build", "--reasoner", "reasonable", "--out", str(tmp_path / "release")]) == 2
    assert capsys.readouterr().err == (
        "rcpgraph build: the reasonable reasoner needs the Python package 'reasonable', which is not installed: "
        "pip install 'rcpgraph[reasonable]'\n"
    )
    assert not (tmp_path / "release").exists()


@pytest.mark.slow
def test_a_build_with_reasonable_gives_the_committed_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The release built with reasonable equals the committed one (built with owlrl) byte for byte."""
    monkeypatch.setenv("RCPGRAPH_HOME", str(ROOT))
    out = tmp_path / "release"
    assert main(["build", "--reasoner", "reasonable", "--out", str(out)]) == 0
    for name in (RELEASE_NAME, INFERRED_NAME, VOID_NAME):
        assert (out / name).read_bytes() == (ROOT / "data" / "release" / name).read_bytes(), name
