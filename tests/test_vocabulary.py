"""The ontology is the one list of what the curation files may name: the readers' keys come from it,
cannot drift from it, and follow an edit of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from competency import DIMENSIONS
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from rcpgraph import namespaces, paths, rdfio, vocabulary
from rcpgraph.errors import InputError
from rcpgraph.pipeline import graph
from rcpgraph.vocabulary import RCP, RCPID, VANN

# The classes whose subclasses (and themselves) are the kinds the curation files name.
BASES = ("Event", "Document", "Initiative", "Organisation", "Place")


@pytest.fixture(scope="module")
def ontology(layout):
    return rdfio.parse_file(layout.ontology_file)


@pytest.fixture(scope="module")
def terms(layout) -> vocabulary.Vocabulary:
    return vocabulary.read(layout.ontology_file)


def test_the_lists_in_table_and_vocabulary_order(terms) -> None:
    assert terms.keys("dimension") == DIMENSIONS
    assert terms.broader_keys("dimension") == ("development-related-initiatives", "policy-coherence")
    assert terms.keys("status") == ("answered", "fragment", "no-example-provided", "no-response-given", "blank")
    assert terms.keys("priority") == ("thematic", "ad-hoc", "without-development")
    assert terms.keys("basis") == ("iom-questionnaire", "primary-sources")
    assert terms.keys("gfmd-stance") == (
        "planned-activity",
        "willing",
        "no-link-envisaged",
        "no-response",
        "undetermined",
    )
    assert terms.keys("role") == ("participant", "observer", "invited")
    assert terms.keys("theme")[:3] == ("remittances", "brain-drain", "diaspora")
    assert len(terms.keys("theme")) == 16
    assert terms.label("theme", "trafficking") == "trafficking in persons"
    assert terms.kinds("Place") == {"city": "City", "country": "Country", "region": "Region"}
    assert terms.kinds("Event")["meeting"] == "Event"
    assert terms.kinds("Initiative")["network"] == "CooperationNetwork"
    assert terms.kinds("Organisation")["network"] == "Network"


def test_every_concept_of_the_ontology_is_a_key_and_every_key_a_concept(ontology, terms) -> None:
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    keyed = {
        vocabulary.concept(scheme, key)
        for scheme in terms.values
        for key in (*terms.keys(scheme), *terms.broader_keys(scheme))
    }
    assert keyed == concepts
    assert len(keyed) == sum(len(terms.keys(s)) + len(terms.broader_keys(s)) for s in terms.values) == 48
    for scheme in terms.values:
        for key in terms.keys(scheme):
            assert (vocabulary.concept(scheme, key), SKOS.inScheme, RCPID[scheme]) in ontology


def test_every_class_of_a_kind_has_a_key_and_every_key_is_such_a_class(ontology, terms) -> None:
    below = {
        cls
        for base in BASES
        for cls in ontology.transitive_subjects(RDFS.subClassOf, RCP[base])
        if (cls, RDF.type, OWL.Class) in ontology
    }
    keyed = {RCP[name] for base in BASES for name in terms.kinds(base).values()}
    assert keyed == below - {RCP.Place}
    assert set(ontology.subjects(RCP.curationKey, None)) == keyed
    assert sum(len(terms.kinds(base)) for base in BASES) == 30


def test_the_namespaces_are_the_ontologys(ontology) -> None:
    root = URIRef(vocabulary.ONTOLOGY)
    assert (root, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(root, VANN.preferredNamespaceUri)) == namespaces.RCP
    assert str(ontology.value(root, VANN.preferredNamespacePrefix)) == "rcp"
    assert dict(ontology.namespaces())["rcpid"] == URIRef(namespaces.RCPID)
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes and all(str(s).startswith(namespaces.RCPID) for s in schemes)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _membership_role(tree: Path, role: str) -> None:
    _edit(
        tree / "data" / "curation" / "statements" / "midsa.yaml",
        "  - membership: sadc\n    role: invited\n",
        f"  - membership: sadc\n    role: {role}\n",
    )


def test_a_role_added_to_the_ontology_is_accepted(tree: Path) -> None:
    _membership_role(tree, "chair")
    layout = paths.Layout(tree, is_checkout=True)
    with pytest.raises(InputError, match=r"membership: 'role' must be one of: participant, observer, invited$"):
        graph.load_inputs(layout)
    _edit(
        tree / "ontology" / "rcp.ttl",
        "rcpid:role\\/invited a skos:Concept ;",
        'rcpid:role\\/chair a skos:Concept ; skos:inScheme rcpid:role ; rcp:order "4"^^xsd:positiveInteger ;\n'
        '    skos:prefLabel "chair"@en ; skos:definition "Chairs the meetings."@en .\n\n'
        "rcpid:role\\/invited a skos:Concept ;",
    )
    facts = graph.load_inputs(layout).extraction.facts
    assert [(f.agent, f.process) for f in facts if f.role == "chair"] == [("sadc", "midsa")]


ALGECIRAS = "    themes: [circular-migration, co-development, labour-migration]\n"
SKILLS = (
    "rcpid:theme\\/skills-transfer a skos:Concept ; skos:inScheme rcpid:theme ; skos:topConceptOf rcpid:theme ;\n"
    '    rcp:order "17"^^xsd:integer ; skos:prefLabel "transfer of new skills"@en ;\n'
    '    skos:definition "The skills migrants bring back to their countries of origin."@en .\n'
)


def test_a_theme_added_to_the_ontology_only_is_accepted(tree: Path) -> None:
    path = tree / "data" / "curation" / "statements" / "5plus5-dialogue.yaml"
    _edit(path, ALGECIRAS, ALGECIRAS.replace("labour-migration]", "labour-migration, skills-transfer]"))
    line = path.read_text(encoding="utf-8").split("\n").index(ALGECIRAS.rstrip().replace("]", ", skills-transfer]")) + 1
    layout = paths.Layout(tree, is_checkout=True)
    with pytest.raises(InputError) as caught:
        graph.load_inputs(layout)
    assert str(caught.value) == (
        f"{path}:{line}: unknown theme 'skills-transfer' (a theme is a concept of rcpid:theme in the ontology)"
    )
    with (tree / "ontology" / "rcp.ttl").open("a", encoding="utf-8") as ontology:
        ontology.write("\n" + SKILLS)
    inputs = graph.load_inputs(layout)
    event = inputs.extraction.individuals[("event", "5plus5-5th-ministerial-conference-algeciras-2006")]
    assert event.themes == ("circular-migration", "co-development", "labour-migration", "skills-transfer")
    assert inputs.gazetteer.themes["skills-transfer"].aliases == ("transfer of new skills",)
    asserted = graph.asserted_graph(inputs)
    theme = RCPID["theme/skills-transfer"]
    assert (URIRef(event.iri), RCP.theme, theme) in asserted
    assert (theme, SKOS.inScheme, RCPID["theme"]) in asserted


def test_keywords_for_a_theme_the_ontology_lacks_are_refused(tree: Path) -> None:
    path = tree / "data" / "curation" / "entities" / "themes.yaml"
    with path.open("a", encoding="utf-8") as themes:
        themes.write("skills-transfer:\n  keywords: [new skills]\n")
    line = path.read_text(encoding="utf-8").split("\n").index("skills-transfer:") + 1
    with pytest.raises(InputError) as caught:
        graph.load_inputs(paths.Layout(tree, is_checkout=True))
    assert str(caught.value) == (
        f"{path}:{line}: unknown theme 'skills-transfer' (a theme is a concept of rcpid:theme in the ontology)"
    )


def test_a_kind_of_event_added_to_the_ontology_is_accepted(tree: Path) -> None:
    path = tree / "data" / "curation" / "statements" / "apc.yaml"
    _edit(
        path,
        "    type: workshop\n    label: Workshop on the Implications",
        "    type: study-visit\n    label: Workshop on the Implications",
    )
    layout = paths.Layout(tree, is_checkout=True)
    with pytest.raises(InputError, match=r"unknown type 'study-visit' \(expected one of: conference, meeting, "):
        graph.load_inputs(layout)
    _edit(
        tree / "ontology" / "rcp.ttl",
        "rcp:Declaration a owl:Class ;",
        'rcp:StudyVisit a owl:Class ; rdfs:subClassOf rcp:Event ; rdfs:label "study visit"@en ;\n'
        '    rcp:curationKey "study-visit" ; skos:definition "A study visit."@en .\n\n'
        "rcp:Declaration a owl:Class ;",
    )
    individuals = graph.load_inputs(layout).extraction.individuals
    assert individuals[("event", "apc-workshop-2006-implications-of-gcim-report")].type == "StudyVisit"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "rcpid:role\\/observer a skos:Concept ; skos:inScheme rcpid:role ; skos:topConceptOf rcpid:role ;\n"
            '    rcp:order "2"^^xsd:integer ;\n',
            "rcpid:role\\/observer a skos:Concept ; skos:inScheme rcpid:role ; skos:topConceptOf rcpid:role ;\n",
            "concept <https://w3id.org/rcpgraph/id/role/observer> has no rcp:order (its place in its scheme)",
        ),
        (
            "rcpid:role\\/observer a skos:Concept ; skos:inScheme rcpid:role ;",
            "rcpid:role\\/observer a skos:Concept ; skos:inScheme rcpid:status ;",
            "<https://w3id.org/rcpgraph/id/role/observer> is not named <https://w3id.org/rcpgraph/id/status/KEY>",
        ),
        (
            '    rcp:curationKey "seminar" ;',
            '    rcp:curationKey "workshop" ;',
            "rcp:Seminar and rcp:Workshop have one rcp:curationKey 'workshop'",
        ),
        (
            '    skos:prefLabel "observer"@en ;\n',
            '    skos:prefLabel "observer"@fr ;\n',
            "concept <https://w3id.org/rcpgraph/id/role/observer> needs exactly one English skos:prefLabel",
        ),
    ],
    ids=[
        "a concept without order",
        "a concept named under another scheme",
        "two kinds of event with one key",
        "a concept without an English label",
    ],
)
def test_an_ontology_that_breaks_the_naming_rules_is_refused(tree: Path, old: str, new: str, message: str) -> None:
    path = tree / "ontology" / "rcp.ttl"
    _edit(path, old, new)
    with pytest.raises(InputError) as caught:
        vocabulary.read(path)
    assert str(caught.value) == f"{path}: {message}"
