"""The shapes of the contract (ontology/validation.ttl): the real graph conforms, and every constraint
reports exactly what it protects.

The real graph is the committed release (data/release), which tests/test_cli_build.py keeps equal
to what the build makes: its asserted graph and its entailments, the union the build validates.

Each case takes one row of the real graph (the Puebla Process: its eight responses, their
derivations and fragments, the OCR corrections of one fragment, the noise fragments of its lines,
the labels, the source table, the concepts and the class hierarchy), plus the extracted individuals,
the membership and the statements' Web Annotations of tests/shapes/extracted.ttl, breaks one thing
in it, and names every result the validation must report: focus node, path and constraint
component, and for SHACL-SPARQL constraints the message. A last test checks that the cases exercise
every constraint the shapes declare.

Speed (a validation by pySHACL costs a fifth of a second even on a small graph, and there are
two hundred): the real graph is validated once; a case validates a base of under a thousand
triples, holding only what the shapes need; the shapes are parsed once, into a store without named
graphs (faster to read, and pySHACL reads the shapes at every step); the SPARQL queries of the
shapes, which rdflib would parse again for every focus node of every validation, are parsed once
(by validation itself); the long-lived graphs are kept out of the garbage collector's walks (still);
and the cases, independent of each other, are validated in one process per processor (check).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from rcpgraph import rdfio
from rcpgraph.pipeline import release, validation
from rcpgraph.vocabulary import OA, ORG, RCP, RCPID

SH = validation.SH
ID = str(RCPID)
ROW = "puebla-process"
EXTRACTED = Path(__file__).parent / "shapes" / "extracted.ttl"

PROLOGUE = f"""BASE <{ID}>
PREFIX rcp: <https://w3id.org/rcpgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dimension: <{ID}dimension/>
PREFIX status: <{ID}status/>
PREFIX assignment: <{ID}assignment/>
PREFIX priority: <{ID}priority/>
PREFIX basis: <{ID}basis/>
PREFIX link-status: <{ID}link-status/>
PREFIX gfmd-stance: <{ID}gfmd-stance/>
PREFIX role: <{ID}role/>
"""

# The constraint component of each constraint parameter of SHACL core.
PARAMETERS = {
    SH[parameter]: SH[f"{component}ConstraintComponent"]
    for parameter, component in {
        "class": "Class",
        "datatype": "Datatype",
        "nodeKind": "NodeKind",
        "minCount": "MinCount",
        "maxCount": "MaxCount",
        "minExclusive": "MinExclusive",
        "minInclusive": "MinInclusive",
        "maxExclusive": "MaxExclusive",
        "maxInclusive": "MaxInclusive",
        "minLength": "MinLength",
        "maxLength": "MaxLength",
        "pattern": "Pattern",
        "languageIn": "LanguageIn",
        "uniqueLang": "UniqueLang",
        "equals": "Equals",
        "disjoint": "Disjoint",
        "lessThan": "LessThan",
        "lessThanOrEquals": "LessThanOrEquals",
        "not": "Not",
        "and": "And",
        "or": "Or",
        "xone": "Xone",
        "node": "Node",
        "qualifiedMinCount": "QualifiedMinCount",
        "qualifiedMaxCount": "QualifiedMaxCount",
        "closed": "Closed",
        "hasValue": "HasValue",
        "in": "In",
    }.items()
}
# What else a shape may say: targets, its path, its message, and the parts of other constraints.
NOT_CONSTRAINTS = {
    RDF.type,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.path,
    SH.property,
    SH.message,
    SH.qualifiedValueShape,
    SH.sparql,
}


# ---------------------------------------------------------------- cases


# A result as a case names it: the focus node (an IRI under rcpid:, without the namespace), the
# path, the constraint component, and for a SHACL-SPARQL result its message.
Expected = tuple[str, str | None, str, str | None]


@dataclass(frozen=True)
class Case:
    """One thing broken in the base graph, and every result that must be reported."""

    delete: str  # triple patterns whose matches are removed (DELETE WHERE)
    insert: str  # triples added (INSERT DATA)
    rename: tuple[str, str] | None  # an IRI under rcpid: replaced by another wherever it occurs
    expected: tuple[Expected, ...]


def case(*expected: Expected, delete: str = "", insert: str = "", rename: tuple[str, str] | None = None) -> Case:
    """A case, its expected results in the order observed() lists results."""
    return Case(delete, insert, rename, tuple(sorted(expected, key=str)))


def hit(focus: str, path: str | None, component: str) -> Expected:
    """A core result: the focus node (an IRI under rcpid:), the path, the component (e.g. "MinCount")."""
    return (focus, path, f"{component}ConstraintComponent", None)


def sparql(focus: str, message: str) -> Expected:
    """A SHACL-SPARQL result and its message; "<x>" in the message stands for the IRI rcpid:x."""
    return (focus, None, "SPARQLConstraintComponent", re.sub(r"<([^>]*)>", lambda m: ID + m[1], message))


def misquoted(annotation: str, printed: str) -> Expected:
    """(j): one of the fixture's annotations (e.g. "research/annotation/1") does not quote its
    response's text, which at its position reads `printed`; the response reports it."""
    exact, start, end = QUOTES[annotation]
    response = annotation.split("/annotation/")[0]
    return sparql(
        f"response/puebla-process/{response}",
        f'<response/puebla-process/{annotation}> quotes "{exact}", but the text of '
        f'<response/puebla-process/{response}> at {start}..{end} is "{printed}".',
    )


# The quotes of the fixture's annotations: exact words, start, end.
QUOTES = {
    "research/annotation/1": (
        "1998 Seminar on International Migration and Development in Central and North America",
        27,
        111,
    ),
    "research/annotation/2": ("Remittances", 492, 503),
    "stakeholder-cooperation/annotation/1": ("Regional Network for Civil Organizations on Migration (RNCOM)", 0, 61),
    "gfmd-link/annotation/1": ("no response given", 0, 17),
}


P = "process/puebla-process"
RESEARCH = "response/puebla-process/research"
CAPACITY = "response/puebla-process/capacity-building"
D1 = "response/puebla-process/research/derivation/1"
D2 = "response/puebla-process/research/derivation/2"
SELECTOR = "response/puebla-process/research/derivation/1/selector"
CORRECTED = "source/line-11/field-1"  # the fragment whose corrections the base keeps
C157 = "source/line-11/field-1/correction/157"
TARGET = "source/line-11/field-1/correction/157/target"
BODY = "source/line-11/field-1/correction/157/body"
QUOTE = "source/line-11/field-1/correction/157/target/quote"
FRAGMENT = "source/line-10/field-1"
NOISE = "source/line-11/field-7"
LABEL = "source/line-10/field-0"
TABLE = "source"
RNCOM = "organisation/rncom"
SEMINAR = "event/puebla-process-seminar-1998"
CITY = "place/mexico-city"
MEXICO = "place/mexico"
LINK = "link/puebla-process/rncom"
DOCUMENT = "document/panama-plan-of-action"
GOVERNMENT = "organisation/government-of-mexico"
MEMBERSHIP = "membership/puebla-process/rncom"
IDENTIFYING = "response/puebla-process/research/annotation/1"
TAGGING = "response/puebla-process/research/annotation/2"
DESCRIBING = "response/puebla-process/stakeholder-cooperation/annotation/1"
STATED = "response/puebla-process/stakeholder-cooperation/annotation/1/target"
STATED_QUOTE = "response/puebla-process/stakeholder-cooperation/annotation/1/target/quote"

CASES: dict[str, Case] = {
    # Names: every named individual under rcpid: has exactly one English skos:prefLabel.
    "process without prefLabel": case(
        hit(P, "skos:prefLabel", "MinCount"), delete="<process/puebla-process> skos:prefLabel ?label"
    ),
    "organisation without prefLabel": case(
        hit(RNCOM, "skos:prefLabel", "MinCount"), delete="<organisation/rncom> skos:prefLabel ?label"
    ),
    "concept without prefLabel": case(
        hit("dimension/research", "skos:prefLabel", "MinCount"), delete="dimension:research skos:prefLabel ?label"
    ),
    "prefLabel in Spanish": case(
        hit(P, "skos:prefLabel", "LanguageIn"),
        delete="<process/puebla-process> skos:prefLabel ?label",
        insert='<process/puebla-process> skos:prefLabel "Conferencia Regional sobre Migración"@es',
    ),
    "two English prefLabels": case(
        hit(P, "skos:prefLabel", "UniqueLang"), insert='<process/puebla-process> skos:prefLabel "Puebla Process"@en'
    ),
    "response without prefLabel": case(
        hit(RESEARCH, "skos:prefLabel", "MinCount"),
        delete="<response/puebla-process/research> skos:prefLabel ?label",
    ),
    "fragment and label without prefLabel": case(
        hit(FRAGMENT, "skos:prefLabel", "MinCount"),
        hit(LABEL, "skos:prefLabel", "MinCount"),
        delete="<source/line-10/field-1> skos:prefLabel ?fragment . <source/line-10/field-0> skos:prefLabel ?label",
    ),
    "table named in Spanish": case(
        hit(TABLE, "skos:prefLabel", "LanguageIn"),
        delete="<source> skos:prefLabel ?label",
        insert='<source> skos:prefLabel "Tabla del anexo B"@es',
    ),
    "correction with two English prefLabels": case(
        hit(C157, "skos:prefLabel", "UniqueLang"),
        insert='<source/line-11/field-1/correction/157> skos:prefLabel "Symthetic corrected"@en',
    ),
    "membership without prefLabel": case(
        hit(MEMBERSHIP, "skos:prefLabel", "MinCount"),
        delete="<membership/puebla-process/rncom> skos:prefLabel ?label",
    ),
    # IRIs.
    "response IRI with an upper-case letter": case(
        hit("response/puebla-process/Research", None, "Pattern"),
        rename=(RESEARCH, "response/puebla-process/Research"),
    ),
    "fragment IRI not line-N/field-M": case(
        hit("source/line-10/cell-1", None, "Pattern"), rename=(FRAGMENT, "source/line-10/cell-1")
    ),
    # Editorial notes, wherever they are.
    "editorial note empty and in English": case(
        hit(P, "rcp:editorialNote", "Datatype"),
        hit(P, "rcp:editorialNote", "MinLength"),
        insert='<process/puebla-process> rcp:editorialNote ""@en',
    ),
    # Consultative processes.
    "altLabel without language": case(
        hit(P, "skos:altLabel", "LanguageIn"),
        delete="<process/puebla-process> skos:altLabel ?label",
        insert='<process/puebla-process> skos:altLabel "Puebla Process"',
    ),
    "a second acronym, in English": case(
        hit(P, "rcp:acronym", "MaxCount"),
        hit(P, "rcp:acronym", "Datatype"),
        insert='<process/puebla-process> rcp:acronym "CRM"@en',
    ),
    "acronym in lower case": case(
        hit(P, "rcp:acronym", "Pattern"),
        delete="<process/puebla-process> rcp:acronym ?acronym",
        insert='<process/puebla-process> rcp:acronym "Rcm"',
    ),
    "GFMD printed and stated nowhere": case(
        hit("process/gfmd", "(rcp:printedIn|rcp:statedIn)", "MinCount"), delete="<process/gfmd> rcp:printedIn ?label"
    ),
    "GFMD printed in the source table": case(
        hit("process/gfmd", "rcp:printedIn", "Class"), insert="<process/gfmd> rcp:printedIn <source>"
    ),
    "GFMD stated in a label": case(
        hit("process/gfmd", "rcp:statedIn", "Class"), insert="<process/gfmd> rcp:statedIn <source/line-4/field-8>"
    ),
    "secretariat hosted by a process": case(
        hit(P, "rcp:secretariatHostedBy", "Class"),
        insert="<process/puebla-process> rcp:secretariatHostedBy <process/gfmd>",
    ),
    "cross-fertilizes with an organisation": case(
        hit(P, "rcp:crossFertilizesWith", "Class"),
        insert="<process/puebla-process> rcp:crossFertilizesWith <organisation/rncom>",
    ),
    "potential cross-fertilization with an organisation": case(
        hit(P, "rcp:potentialCrossFertilizationWith", "Class"),
        insert="<process/puebla-process> rcp:potentialCrossFertilizationWith <organisation/rncom>",
    ),
    # Regional consultative processes: (a) and (b).
    "RCP without order": case(hit(P, "rcp:order", "MinCount"), delete="<process/puebla-process> rcp:order ?order"),
    "RCP with a second order, a decimal": case(
        hit(P, "rcp:order", "MaxCount"),
        hit(P, "rcp:order", "Datatype"),
        insert="<process/puebla-process> rcp:order 5.0",
    ),
    "RCP on row zero": case(
        hit(P, "rcp:order", "MinInclusive"),
        delete="<process/puebla-process> rcp:order ?order",
        insert="<process/puebla-process> rcp:order 0",
    ),
    "RCP without group": case(
        hit(P, "rcp:thematicPriority", "MinCount"), delete="<process/puebla-process> rcp:thematicPriority ?group"
    ),
    "RCP with a second group, a basis": case(
        hit(P, "rcp:thematicPriority", "MaxCount"),
        hit(P, "rcp:thematicPriority", "Node"),
        hit("basis/iom-questionnaire", "skos:inScheme", "HasValue"),
        insert="<process/puebla-process> rcp:thematicPriority basis:iom-questionnaire",
    ),
    "RCP without information basis": case(
        hit(P, "rcp:informationBasis", "MinCount"), delete="<process/puebla-process> rcp:informationBasis ?basis"
    ),
    "RCP with a second information basis, a group": case(
        hit(P, "rcp:informationBasis", "MaxCount"),
        hit(P, "rcp:informationBasis", "Node"),
        hit("priority/ad-hoc", "skos:inScheme", "HasValue"),
        insert="<process/puebla-process> rcp:informationBasis priority:ad-hoc",
    ),
    "RCP with seven responses": case(
        hit(P, "rcp:hasResponse", "MinCount"),
        sparql(P, "<process/puebla-process> has no response for dimension <dimension/research>."),
        sparql(
            P,
            "<process/puebla-process> and <response/puebla-process/research>: "
            "rcp:hasResponse and rcp:respondent must both be stated.",
        ),
        delete="<process/puebla-process> rcp:hasResponse <response/puebla-process/research>",
    ),
    "RCP with a ninth response, untyped and without respondent": case(
        hit(P, "rcp:hasResponse", "MaxCount"),
        hit(P, "rcp:hasResponse", "Class"),
        sparql(
            P,
            "<process/puebla-process> and <response/puebla-process/remittances>: "
            "rcp:hasResponse and rcp:respondent must both be stated.",
        ),
        insert="<process/puebla-process> rcp:hasResponse <response/puebla-process/remittances>",
    ),
    "RCP printed in a response": case(
        hit(P, "rcp:printedIn", "Class"),
        insert="<process/puebla-process> rcp:printedIn <response/puebla-process/research>",
    ),
    "RCP printed nowhere": case(
        hit(P, "rcp:printedIn", "MinCount"),
        hit(P, "(rcp:printedIn|rcp:statedIn)", "MinCount"),
        delete="<process/puebla-process> rcp:printedIn ?label",
    ),
    "RCP without GFMD stance": case(
        hit(P, "rcp:gfmdStance", "MinCount"), delete="<process/puebla-process> rcp:gfmdStance ?stance"
    ),
    "RCP with a second GFMD stance, a status": case(
        hit(P, "rcp:gfmdStance", "MaxCount"),
        hit(P, "rcp:gfmdStance", "Node"),
        hit("status/no-response-given", "skos:inScheme", "HasValue"),
        insert="<process/puebla-process> rcp:gfmdStance status:no-response-given",
    ),
    "(a) two responses for one dimension, (b) none for another": case(
        sparql(
            P,
            "<process/puebla-process> has two responses for dimension <dimension/capacity-building>: "
            "<response/puebla-process/capacity-building> and <response/puebla-process/research>.",
        ),
        sparql(P, "<process/puebla-process> has no response for dimension <dimension/research>."),
        delete="<response/puebla-process/research> rcp:dimension ?dimension",
        insert="<response/puebla-process/research> rcp:dimension dimension:capacity-building",
    ),
    # Survey responses.
    "response without respondent": case(
        hit(RESEARCH, "rcp:respondent", "MinCount"),
        sparql(
            P,
            "<process/puebla-process> and <response/puebla-process/research>: "
            "rcp:hasResponse and rcp:respondent must both be stated.",
        ),
        delete="<response/puebla-process/research> rcp:respondent ?process",
    ),
    "response with a second respondent, the GFMD": case(
        hit(RESEARCH, "rcp:respondent", "MaxCount"),
        hit(RESEARCH, "rcp:respondent", "Class"),
        insert="<response/puebla-process/research> rcp:respondent <process/gfmd>",
    ),
    "response without dimension": case(
        hit(RESEARCH, "rcp:dimension", "MinCount"), delete="<response/puebla-process/research> rcp:dimension ?dimension"
    ),
    "response with a second dimension, a column group": case(
        hit(RESEARCH, "rcp:dimension", "MaxCount"),
        hit(RESEARCH, "rcp:dimension", "Node"),
        hit("dimension/development-related-initiatives", "skos:topConceptOf", "MaxCount"),
        insert="<response/puebla-process/research> rcp:dimension dimension:development-related-initiatives",
    ),
    "response with a second dimension, a status": case(
        hit(RESEARCH, "rcp:dimension", "MaxCount"),
        hit(RESEARCH, "rcp:dimension", "Node"),
        hit("status/blank", "skos:inScheme", "HasValue"),
        hit("status/blank", "skos:topConceptOf", "MaxCount"),
        insert="<response/puebla-process/research> rcp:dimension status:blank",
    ),
    "response without status": case(
        hit(RESEARCH, "rcp:responseStatus", "MinCount"),
        delete="<response/puebla-process/research> rcp:responseStatus ?status",
    ),
    "response with a second status, an assignment": case(
        hit(RESEARCH, "rcp:responseStatus", "MaxCount"),
        hit(RESEARCH, "rcp:responseStatus", "Node"),
        hit("assignment/as-printed", "skos:inScheme", "HasValue"),
        insert="<response/puebla-process/research> rcp:responseStatus assignment:as-printed",
    ),
    "response without column assignment": case(
        hit(RESEARCH, "rcp:columnAssignment", "MinCount"),
        delete="<response/puebla-process/research> rcp:columnAssignment ?assignment",
    ),
    "response with a second column assignment, a status": case(
        hit(RESEARCH, "rcp:columnAssignment", "MaxCount"),
        hit(RESEARCH, "rcp:columnAssignment", "Node"),
        hit("status/answered", "skos:inScheme", "HasValue"),
        insert="<response/puebla-process/research> rcp:columnAssignment status:answered",
    ),
    "response with a second text, without language": case(
        hit(RESEARCH, "rcp:text", "MaxCount"),
        hit(RESEARCH, "rcp:text", "Datatype"),
        hit(RESEARCH, "rcp:text", "LanguageIn"),
        misquoted("research/annotation/1", "1998 Seminar."),
        misquoted("research/annotation/2", ""),
        insert='<response/puebla-process/research> rcp:text "Research conducted for the 1998 Seminar."',
    ),
    "response with a second source text, in English": case(
        hit(RESEARCH, "rcp:sourceText", "MaxCount"),
        hit(RESEARCH, "rcp:sourceText", "Datatype"),
        insert='<response/puebla-process/research> rcp:sourceText "Research conducted for the"@en',
    ),
    "response derived from a label": case(
        hit(RESEARCH, "prov:wasDerivedFrom", "Class"),
        sparql(
            P,
            "<response/puebla-process/research> and <source/line-10/field-0>: prov:wasDerivedFrom and the "
            "prov:entity of a qualified derivation must both be stated.",
        ),
        insert="<response/puebla-process/research> prov:wasDerivedFrom <source/line-10/field-0>",
    ),
    "qualified derivation not typed prov:Derivation": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Class"),
        delete="<response/puebla-process/research/derivation/1> a prov:Derivation",
    ),
    "theme an organisation": case(
        hit("response/puebla-process/pilot-projects", "rcp:theme", "Class"),
        hit("response/puebla-process/pilot-projects", "rcp:theme", "Pattern"),
        hit("response/puebla-process/pilot-projects", "rcp:theme", "Node"),
        hit(RNCOM, "skos:inScheme", "HasValue"),
        insert="<response/puebla-process/pilot-projects> rcp:theme <organisation/rncom>",
    ),
    # A response's derivations, checked through the response (sh:node): the response's result and
    # the derivation's.
    "derivation without its fragment": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "prov:entity", "MinCount"),
        sparql(
            P,
            "<response/puebla-process/research> and <source/line-10/field-1>: prov:wasDerivedFrom and the "
            "prov:entity of a qualified derivation must both be stated.",
        ),
        delete="<response/puebla-process/research/derivation/1> prov:entity ?fragment ; oa:hasSource ?fragment",
    ),
    "derivation of two fragments": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "prov:entity", "MaxCount"),
        insert="""<response/puebla-process/research/derivation/1>
            prov:entity <source/line-11/field-1> ; oa:hasSource <source/line-11/field-1>""",
    ),
    "derivation of a fragment no longer typed": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "prov:entity", "Class"),
        hit(RESEARCH, "prov:wasDerivedFrom", "Class"),
        delete="<source/line-10/field-1> a rcp:SourceFragment",
    ),
    "derivation whose oa:hasSource is another fragment": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "prov:entity", "Equals"),
        hit(D1, "prov:entity", "Equals"),
        delete="<response/puebla-process/research/derivation/1> oa:hasSource ?fragment",
        insert="<response/puebla-process/research/derivation/1> oa:hasSource <source/line-11/field-1>",
    ),
    "derivation without order": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D2, "rcp:order", "MinCount"),
        delete="<response/puebla-process/research/derivation/2> rcp:order ?order",
    ),
    "derivation with a second order, a decimal": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D2, "rcp:order", "MaxCount"),
        hit(D2, "rcp:order", "Datatype"),
        insert="<response/puebla-process/research/derivation/2> rcp:order 3.0",
    ),
    "derivation of order zero": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D2, "rcp:order", "MinInclusive"),
        delete="<response/puebla-process/research/derivation/2> rcp:order ?order",
        insert="<response/puebla-process/research/derivation/2> rcp:order 0",
    ),
    "derivation without selector": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "oa:hasSelector", "MinCount"),
        delete="<response/puebla-process/research/derivation/1> oa:hasSelector ?selector",
    ),
    "derivation with a second selector, a quote": case(
        hit(RESEARCH, "prov:qualifiedDerivation", "Node"),
        hit(D1, "oa:hasSelector", "MaxCount"),
        hit(D1, "oa:hasSelector", "Class"),
        insert="""<response/puebla-process/research/derivation/1>
            oa:hasSelector <source/line-11/field-1/correction/157/target/quote>""",
    ),
    # (c) Blank responses have no text, answered and fragmentary ones have one; (d) a re-assigned
    # cell is explained.
    "(c) blank response with text": case(
        hit(RESEARCH, "rcp:text", "MaxCount"),
        delete="<response/puebla-process/research> rcp:responseStatus ?status",
        insert="<response/puebla-process/research> rcp:responseStatus status:blank",
    ),
    "(c) no response with text: the five answered or fragmentary ones are reported": case(
        *(
            hit(f"response/puebla-process/{dimension}", "rcp:text", "MinCount")
            for dimension in (
                "capacity-building",
                "founding-documents",
                "pilot-projects",
                "research",
                "stakeholder-cooperation",
            )
        ),
        *(misquoted(annotation, "") for annotation in QUOTES),
        delete="?response rcp:text ?text",
    ),
    "(d) inferred column without editorial note": case(
        hit(CAPACITY, "rcp:editorialNote", "MinCount"),
        delete="<response/puebla-process/capacity-building> rcp:editorialNote ?note",
    ),
    # The row's responses, checked with the process: (e) inverse properties agree, (g) derivations
    # are numbered 1..n and agree with prov:wasDerivedFrom, corrections correct their responses'
    # fragments.
    "(e) respondent without hasResponse": case(
        sparql(
            P,
            "<process/puebla-process> and <response/midsa/research>: "
            "rcp:hasResponse and rcp:respondent must both be stated.",
        ),
        insert="<response/midsa/research> rcp:respondent <process/puebla-process>",
    ),
    "(g) derivation orders with a gap": case(
        sparql(P, "<response/puebla-process/research> has a derivation of order 3 but none of the order before it."),
        delete="<response/puebla-process/research/derivation/2> rcp:order ?order",
        insert="<response/puebla-process/research/derivation/2> rcp:order 3",
    ),
    "(g) derivation order repeated": case(
        sparql(
            P,
            "<response/puebla-process/research> has two derivations of order 1: "
            "<response/puebla-process/research/derivation/1> and <response/puebla-process/research/derivation/2>.",
        ),
        delete="<response/puebla-process/research/derivation/2> rcp:order ?order",
        insert="<response/puebla-process/research/derivation/2> rcp:order 1",
    ),
    "derived from a fragment without a qualified derivation": case(
        sparql(
            P,
            "<response/puebla-process/research> and <source/line-13/field-1>: prov:wasDerivedFrom and the "
            "prov:entity of a qualified derivation must both be stated.",
        ),
        insert="<response/puebla-process/research> prov:wasDerivedFrom <source/line-13/field-1>",
    ),
    "correction scoped to a response not derived from its fragment": case(
        sparql(
            P,
            "<source/line-11/field-1/correction/157> corrects <source/line-11/field-1>, "
            "which its scope <response/puebla-process/founding-documents> is not derived from.",
        ),
        delete=f"<{TARGET}> oa:hasScope ?response",
        insert=f"<{TARGET}> oa:hasScope <response/puebla-process/founding-documents>",
    ),
    # (f) Text position selectors.
    "selector without start": case(
        hit(SELECTOR, "oa:start", "MinCount"),
        delete="<response/puebla-process/research/derivation/1/selector> oa:start ?start",
    ),
    "selector with a second start, an xsd:integer": case(
        hit(SELECTOR, "oa:start", "MaxCount"),
        hit(SELECTOR, "oa:start", "Datatype"),
        insert="<response/puebla-process/research/derivation/1/selector> oa:start 1",
    ),
    "(f) selector start not before its end": case(
        hit(SELECTOR, "oa:start", "LessThan"),
        delete="<response/puebla-process/research/derivation/1/selector> oa:start ?start",
        insert='<response/puebla-process/research/derivation/1/selector> oa:start "26"^^xsd:nonNegativeInteger',
    ),
    "selector without end": case(
        hit(SELECTOR, "oa:end", "MinCount"),
        delete="<response/puebla-process/research/derivation/1/selector> oa:end ?end",
    ),
    "selector with a second end, an xsd:integer": case(
        hit(SELECTOR, "oa:end", "MaxCount"),
        hit(SELECTOR, "oa:end", "Datatype"),
        insert="<response/puebla-process/research/derivation/1/selector> oa:end 20",
    ),
    # Text quote selectors.
    "quote without words": case(
        hit(QUOTE, "oa:exact", "MinCount"),
        delete="<source/line-11/field-1/correction/157/target/quote> oa:exact ?exact",
    ),
    "quote with its words a second time, in English": case(
        hit(QUOTE, "oa:exact", "MaxCount"),
        hit(QUOTE, "oa:exact", "Datatype"),
        insert='<source/line-11/field-1/correction/157/target/quote> oa:exact "Symthetic"@en',
    ),
    "empty quote": case(
        hit(QUOTE, "oa:exact", "MinLength"),
        sparql(
            TABLE,
            '<source/line-11/field-1/correction/157> quotes "", but the text of '
            '<source/line-11/field-1> at 157..166 is "Symthetic".',
        ),
        delete="<source/line-11/field-1/correction/157/target/quote> oa:exact ?exact",
        insert='<source/line-11/field-1/correction/157/target/quote> oa:exact ""',
    ),
    # The source table, and the selections from its text.
    "table without checksum": case(hit(TABLE, "rcp:sha256", "MinCount"), delete="<source> rcp:sha256 ?sum"),
    "table with a second checksum, in English": case(
        hit(TABLE, "rcp:sha256", "MaxCount"),
        hit(TABLE, "rcp:sha256", "Datatype"),
        insert=f'<source> rcp:sha256 "{"0" * 64}"@en',
    ),
    "checksum in upper case": case(
        hit(TABLE, "rcp:sha256", "Pattern"),
        delete="<source> rcp:sha256 ?sum",
        insert=f'<source> rcp:sha256 "{"E7" * 32}"',
    ),
    "table without title": case(hit(TABLE, "dcterms:title", "MinCount"), delete="<source> dcterms:title ?title"),
    "table with a second title, in English": case(
        hit(TABLE, "dcterms:title", "MaxCount"),
        hit(TABLE, "dcterms:title", "Datatype"),
        insert='<source> dcterms:title "Annex B"@en',
    ),
    "table with a second format, an http IRI": case(
        hit(TABLE, "dcterms:format", "MaxCount"),
        hit(TABLE, "dcterms:format", "Pattern"),
        insert="<source> dcterms:format <http://www.iana.org/assignments/media-types/text/plain>",
    ),
    "table with a format as a string": case(
        hit(TABLE, "dcterms:format", "NodeKind"),
        hit(TABLE, "dcterms:format", "Pattern"),
        delete="<source> dcterms:format ?format",
        insert='<source> dcterms:format "text/plain"',
    ),
    "table derived from a response": case(
        hit(TABLE, "prov:wasDerivedFrom", "Class"),
        insert="<source> prov:wasDerivedFrom <response/puebla-process/research>",
    ),
    "selection ends beyond the fragment's text": case(
        sparql(
            TABLE,
            "<response/puebla-process/research/derivation/1/selector> ends at 27, "
            "beyond the end of the text of <source/line-10/field-1>.",
        ),
        delete="<response/puebla-process/research/derivation/1/selector> oa:end ?end",
        insert='<response/puebla-process/research/derivation/1/selector> oa:end "27"^^xsd:nonNegativeInteger',
    ),
    "correction quoting other words than those at its position": case(
        sparql(
            TABLE,
            '<source/line-11/field-1/correction/157> quotes "Synthetic", but the text of '
            '<source/line-11/field-1> at 157..166 is "Symthetic".',
        ),
        delete="<source/line-11/field-1/correction/157/target/quote> oa:exact ?exact",
        insert='<source/line-11/field-1/correction/157/target/quote> oa:exact "Synthetic"',
    ),
    # Source fragments and labels.
    "fragment without line": case(
        hit(FRAGMENT, "rcp:sourceLine", "MinCount"), delete="<source/line-10/field-1> rcp:sourceLine ?line"
    ),
    "label with a second line, a decimal": case(
        hit(LABEL, "rcp:sourceLine", "MaxCount"),
        hit(LABEL, "rcp:sourceLine", "Datatype"),
        insert="<source/line-10/field-0> rcp:sourceLine 11.0",
    ),
    "label on line zero": case(
        hit(LABEL, "rcp:sourceLine", "MinInclusive"),
        delete="<source/line-10/field-0> rcp:sourceLine ?line",
        insert="<source/line-10/field-0> rcp:sourceLine 0",
    ),
    "label without field": case(
        hit(LABEL, "rcp:sourceField", "MinCount"), delete="<source/line-10/field-0> rcp:sourceField ?field"
    ),
    "fragment with a second field, a decimal": case(
        hit(FRAGMENT, "rcp:sourceField", "MaxCount"),
        hit(FRAGMENT, "rcp:sourceField", "Datatype"),
        insert="<source/line-10/field-1> rcp:sourceField 2.0",
    ),
    "label in field minus one": case(
        hit(LABEL, "rcp:sourceField", "MinInclusive"),
        delete="<source/line-10/field-0> rcp:sourceField ?field",
        insert="<source/line-10/field-0> rcp:sourceField -1",
    ),
    "fragment in the row-label column": case(
        hit(FRAGMENT, "rcp:sourceField", "MinInclusive"),
        delete="<source/line-10/field-1> rcp:sourceField ?field",
        insert="<source/line-10/field-1> rcp:sourceField 0",
    ),
    "fragment without text": case(
        hit(FRAGMENT, "rcp:sourceText", "MinCount"), delete="<source/line-10/field-1> rcp:sourceText ?text"
    ),
    "label with a second text, empty and in English": case(
        hit(LABEL, "rcp:sourceText", "MaxCount"),
        hit(LABEL, "rcp:sourceText", "Datatype"),
        hit(LABEL, "rcp:sourceText", "MinLength"),
        insert='<source/line-10/field-0> rcp:sourceText ""@en',
    ),
    "fragment part of no table": case(
        hit(FRAGMENT, "dcterms:isPartOf", "MinCount"), delete="<source/line-10/field-1> dcterms:isPartOf ?table"
    ),
    "label part of a second table, untyped": case(
        hit(LABEL, "dcterms:isPartOf", "MaxCount"),
        hit(LABEL, "dcterms:isPartOf", "Class"),
        insert="<source/line-10/field-0> dcterms:isPartOf <source/copy>",
    ),
    "(i) fragment read by nothing": case(
        hit(NOISE, "^prov:wasDerivedFrom", "MinCount"), delete="<source/line-11/field-7> a rcp:NoiseFragment"
    ),
    "(i) fragment read by the source table": case(
        hit(TABLE, "prov:wasDerivedFrom", "Class"),
        hit(FRAGMENT, "^prov:wasDerivedFrom", "Class"),
        insert="<source> prov:wasDerivedFrom <source/line-10/field-1>",
    ),
    "noise fragment without editorial note": case(
        hit(NOISE, "rcp:editorialNote", "MinCount"), delete="<source/line-11/field-7> rcp:editorialNote ?note"
    ),
    "(h) response derived from noise": case(
        hit(NOISE, "^prov:wasDerivedFrom", "MaxCount"),
        sparql(
            P,
            "<response/puebla-process/research> and <source/line-11/field-7>: prov:wasDerivedFrom and the "
            "prov:entity of a qualified derivation must both be stated.",
        ),
        insert="<response/puebla-process/research> prov:wasDerivedFrom <source/line-11/field-7>",
    ),
    # OCR corrections.
    "correction commenting instead of editing": case(
        hit(C157, "oa:motivatedBy", "HasValue"),
        delete="<source/line-11/field-1/correction/157> oa:motivatedBy ?motivation",
        insert="<source/line-11/field-1/correction/157> oa:motivatedBy oa:commenting",
    ),
    "correction also commenting": case(
        hit(C157, "oa:motivatedBy", "MaxCount"),
        insert="<source/line-11/field-1/correction/157> oa:motivatedBy oa:commenting",
    ),
    "correction target without scope": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasScope", "MinCount"),
        delete="<source/line-11/field-1/correction/157/target> oa:hasScope ?response",
    ),
    "correction target with a second scope, the process": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasScope", "MaxCount"),
        hit(TARGET, "oa:hasScope", "Class"),
        insert="<source/line-11/field-1/correction/157/target> oa:hasScope <process/puebla-process>",
    ),
    "correction without target": case(
        hit(C157, "oa:hasTarget", "MinCount"), delete="<source/line-11/field-1/correction/157> oa:hasTarget ?target"
    ),
    "correction with a second target": case(
        hit(C157, "oa:hasTarget", "MaxCount"),
        insert="<source/line-11/field-1/correction/157> oa:hasTarget <source/line-11/field-1/correction/229/target>",
    ),
    "correction target not a specific resource": case(
        hit(C157, "oa:hasTarget", "Class"),
        delete="<source/line-11/field-1/correction/157/target> a oa:SpecificResource",
    ),
    "correction without body": case(
        hit(C157, "oa:hasBody", "MinCount"), delete="<source/line-11/field-1/correction/157> oa:hasBody ?body"
    ),
    "correction with a second body": case(
        hit(C157, "oa:hasBody", "MaxCount"),
        insert="<source/line-11/field-1/correction/157> oa:hasBody <source/line-11/field-1/correction/229/body>",
    ),
    "correction body not textual": case(
        hit(C157, "oa:hasBody", "Class"), delete="<source/line-11/field-1/correction/157/body> a oa:TextualBody"
    ),
    "correction without editorial note": case(
        hit(C157, "rcp:editorialNote", "MinCount"),
        delete="<source/line-11/field-1/correction/157> rcp:editorialNote ?note",
    ),
    # A correction's target and body, checked through the correction (sh:node).
    "correction target without source": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSource", "MinCount"),
        delete="<source/line-11/field-1/correction/157/target> oa:hasSource ?fragment",
    ),
    "correction target with a second source, the table": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSource", "MaxCount"),
        hit(TARGET, "oa:hasSource", "Class"),
        sparql(
            P,
            "<source/line-11/field-1/correction/157> corrects <source>, "
            "which its scope <response/puebla-process/research> is not derived from.",
        ),
        insert="<source/line-11/field-1/correction/157/target> oa:hasSource <source>",
    ),
    "correction target without quote": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSelector", "QualifiedMinCount"),
        delete="""<source/line-11/field-1/correction/157/target>
            oa:hasSelector <source/line-11/field-1/correction/157/target/quote>""",
    ),
    "correction target with a second quote": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSelector", "QualifiedMaxCount"),
        sparql(
            TABLE,
            '<source/line-11/field-1/correction/157> quotes "Development 30 Governance", but the text of '
            '<source/line-11/field-1> at 157..166 is "Symthetic".',
        ),
        insert="""<source/line-11/field-1/correction/157/target>
            oa:hasSelector <source/line-11/field-1/correction/229/target/quote>""",
    ),
    "correction target without position": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSelector", "QualifiedMinCount"),
        delete="""<source/line-11/field-1/correction/157/target>
            oa:hasSelector <source/line-11/field-1/correction/157/target/position>""",
    ),
    "correction target with a second position": case(
        hit(C157, "oa:hasTarget", "Node"),
        hit(TARGET, "oa:hasSelector", "QualifiedMaxCount"),
        sparql(
            TABLE,
            '<source/line-11/field-1/correction/157> quotes "Symthetic", but the text of '
            '<source/line-11/field-1> at 229..254 is "Development 30 Governance".',
        ),
        insert="""<source/line-11/field-1/correction/157/target>
            oa:hasSelector <source/line-11/field-1/correction/229/target/position>""",
    ),
    "correction body without value": case(
        hit(C157, "oa:hasBody", "Node"),
        hit(BODY, "rdf:value", "MinCount"),
        delete="<source/line-11/field-1/correction/157/body> rdf:value ?value",
    ),
    "correction body with a second value, in English": case(
        hit(C157, "oa:hasBody", "Node"),
        hit(BODY, "rdf:value", "MaxCount"),
        hit(BODY, "rdf:value", "Datatype"),
        insert='<source/line-11/field-1/correction/157/body> rdf:value "Synthetic"@en',
    ),
    # Concepts and concept schemes.
    "concept without definition": case(
        hit("dimension/research", "skos:definition", "MinCount"), delete="dimension:research skos:definition ?text"
    ),
    "scheme definition without language": case(
        hit("theme", "skos:definition", "LanguageIn"),
        delete="<theme> skos:definition ?text",
        insert='<theme> skos:definition "Topics."',
    ),
    "concept in no scheme": case(
        hit("status/blank", "skos:inScheme", "MinCount"), delete="status:blank skos:inScheme ?scheme"
    ),
    "concept in a second scheme, a concept": case(
        hit("status/answered", "skos:inScheme", "MaxCount"),
        hit("status/answered", "skos:inScheme", "Class"),
        insert="status:answered skos:inScheme status:fragment",
    ),
    "concept printed in a response": case(
        hit("dimension/research", "rcp:printedIn", "Class"),
        insert="dimension:research rcp:printedIn <response/puebla-process/research>",
    ),
    "dimension without order": case(
        hit("dimension/research", "rcp:order", "MinCount"), delete="dimension:research rcp:order ?order"
    ),
    "dimension with a second order, a decimal": case(
        hit("dimension/research", "rcp:order", "MaxCount"),
        hit("dimension/research", "rcp:order", "Datatype"),
        insert="dimension:research rcp:order 2.0",
    ),
    "dimension order before the first column": case(
        hit("dimension/research", "rcp:order", "MinInclusive"),
        delete="dimension:research rcp:order ?order",
        insert="dimension:research rcp:order 0",
    ),
    "dimension order beyond the eighth column": case(
        hit("dimension/research", "rcp:order", "MaxInclusive"),
        delete="dimension:research rcp:order ?order",
        insert="dimension:research rcp:order 9",
    ),
    "dimension without column group": case(
        hit("dimension/research", "skos:broader", "MinCount"), delete="dimension:research skos:broader ?group"
    ),
    "dimension under a second broader concept, a dimension": case(
        hit("dimension/research", "skos:broader", "MaxCount"),
        hit("dimension/research", "skos:broader", "Node"),
        hit("dimension/capacity-building", "skos:topConceptOf", "HasValue"),
        insert="dimension:research skos:broader dimension:capacity-building",
    ),
    "group without order": case(
        hit("priority/ad-hoc", "rcp:order", "MinCount"), delete="priority:ad-hoc rcp:order ?order"
    ),
    "group with a second order, a decimal": case(
        hit("priority/ad-hoc", "rcp:order", "MaxCount"),
        hit("priority/ad-hoc", "rcp:order", "Datatype"),
        insert="priority:ad-hoc rcp:order 3.0",
    ),
    "group order before the first group": case(
        hit("priority/ad-hoc", "rcp:order", "MinInclusive"),
        delete="priority:ad-hoc rcp:order ?order",
        insert="priority:ad-hoc rcp:order 0",
    ),
    "group order beyond the third group": case(
        hit("priority/ad-hoc", "rcp:order", "MaxInclusive"),
        delete="priority:ad-hoc rcp:order ?order",
        insert="priority:ad-hoc rcp:order 4",
    ),
    # Extracted individuals.
    "organisation stated in a label": case(
        hit(RNCOM, "rcp:statedIn", "Class"),
        insert="<organisation/rncom> rcp:statedIn <source/line-10/field-0>",
    ),
    "organisation with a second acronym, in English": case(
        hit(RNCOM, "rcp:acronym", "MaxCount"),
        hit(RNCOM, "rcp:acronym", "Datatype"),
        insert='<organisation/rncom> rcp:acronym "RROCM"@en',
    ),
    "organisation hosting the secretariat of an organisation": case(
        hit(RNCOM, "rcp:hostsSecretariatOf", "Class"),
        insert="<organisation/rncom> rcp:hostsSecretariatOf <organisation/cida>",
    ),
    "government of a second country, a city": case(
        hit(GOVERNMENT, "dcterms:spatial", "MaxCount"),
        hit(GOVERNMENT, "dcterms:spatial", "Class"),
        insert="<organisation/government-of-mexico> dcterms:spatial <place/mexico-city>",
    ),
    "initiative undertaken by an organisation": case(
        hit("initiative/siemmes", "rcp:undertakenBy", "Class"),
        insert="<initiative/siemmes> rcp:undertakenBy <organisation/rncom>",
    ),
    "event involving a place": case(
        hit(SEMINAR, "rcp:involves", "Class"), insert="<event/puebla-process-seminar-1998> rcp:involves <place/mexico>"
    ),
    "document with a second year, an xsd:integer": case(
        hit("document/panama-plan-of-action", "rcp:year", "MaxCount"),
        hit("document/panama-plan-of-action", "rcp:year", "Datatype"),
        insert="<document/panama-plan-of-action> rcp:year 2005",
    ),
    "document created by a place": case(
        hit(DOCUMENT, "dcterms:creator", "Class"),
        insert="<document/panama-plan-of-action> dcterms:creator <place/panama>",
    ),
    "event with a second month, an xsd:date": case(
        hit("event/puebla-process-rcgm-2004", "rcp:yearMonth", "MaxCount"),
        hit("event/puebla-process-rcgm-2004", "rcp:yearMonth", "Datatype"),
        insert='<event/puebla-process-rcgm-2004> rcp:yearMonth "2004-11-01"^^xsd:date',
    ),
    "event with two start dates, one an xsd:gYear": case(
        hit(SEMINAR, "rcp:startDate", "MaxCount"),
        hit(SEMINAR, "rcp:startDate", "Datatype"),
        insert="""<event/puebla-process-seminar-1998> rcp:startDate "1998-05-11"^^xsd:date , "1998"^^xsd:gYear""",
    ),
    "event ending before it starts": case(
        hit(SEMINAR, "rcp:startDate", "LessThanOrEquals"),
        insert="""<event/puebla-process-seminar-1998>
            rcp:startDate "1998-05-13"^^xsd:date ; rcp:endDate "1998-05-11"^^xsd:date""",
    ),
    "event with two end dates, one a string": case(
        hit(SEMINAR, "rcp:endDate", "MaxCount"),
        hit(SEMINAR, "rcp:endDate", "Datatype"),
        insert="""<event/puebla-process-seminar-1998> rcp:endDate "1998-05-13"^^xsd:date , "13 May 1998" """,
    ),
    "event on a theme of another scheme": case(
        hit(SEMINAR, "rcp:theme", "Pattern"),
        hit(SEMINAR, "rcp:theme", "Node"),
        hit("dimension/research", "skos:inScheme", "HasValue"),
        insert="<event/puebla-process-seminar-1998> rcp:theme dimension:research",
    ),
    "event planned twice, once as a string": case(
        hit(SEMINAR, "rcp:planned", "MaxCount"),
        hit(SEMINAR, "rcp:planned", "Datatype"),
        insert='<event/puebla-process-seminar-1998> rcp:planned true , "yes"',
    ),
    "event located in an organisation": case(
        hit(SEMINAR, "rcp:location", "Class"),
        insert="<event/puebla-process-seminar-1998> rcp:location <organisation/rncom>",
    ),
    "city in no country": case(
        hit(CITY, "rcp:inCountry", "MinCount"), delete="<place/mexico-city> rcp:inCountry ?country"
    ),
    "city in a second country, a city": case(
        hit(CITY, "rcp:inCountry", "MaxCount"),
        hit(CITY, "rcp:inCountry", "Class"),
        insert="<place/mexico-city> rcp:inCountry <place/mexico-city>",
    ),
    "country without code": case(
        hit(MEXICO, "rcp:countryCode", "MinCount"), delete="<place/mexico> rcp:countryCode ?code"
    ),
    "country with a second code, in English": case(
        hit(MEXICO, "rcp:countryCode", "MaxCount"),
        hit(MEXICO, "rcp:countryCode", "Datatype"),
        insert='<place/mexico> rcp:countryCode "ME"@en',
    ),
    "country code of three letters": case(
        hit(MEXICO, "rcp:countryCode", "Pattern"),
        delete="<place/mexico> rcp:countryCode ?code",
        insert='<place/mexico> rcp:countryCode "MEX"',
    ),
    "link without its reporting end": case(
        hit(LINK, "rcp:linkFrom", "MinCount"), delete="<link/puebla-process/rncom> rcp:linkFrom ?end"
    ),
    "link from a second end, a place": case(
        hit(LINK, "rcp:linkFrom", "MaxCount"),
        hit(LINK, "rcp:linkFrom", "Class"),
        insert="<link/puebla-process/rncom> rcp:linkFrom <place/mexico>",
    ),
    "link from an end to itself": case(
        hit(LINK, "rcp:linkFrom", "Disjoint"),
        delete="<link/puebla-process/rncom> rcp:linkTo ?end",
        insert="<link/puebla-process/rncom> rcp:linkTo <process/puebla-process>",
    ),
    "link without its other end": case(
        hit(LINK, "rcp:linkTo", "MinCount"), delete="<link/puebla-process/rncom> rcp:linkTo ?end"
    ),
    "link to a second end, a document": case(
        hit(LINK, "rcp:linkTo", "MaxCount"),
        hit(LINK, "rcp:linkTo", "Class"),
        insert="<link/puebla-process/rncom> rcp:linkTo <document/panama-plan-of-action>",
    ),
    "link without status": case(
        hit(LINK, "rcp:linkStatus", "MinCount"), delete="<link/puebla-process/rncom> rcp:linkStatus ?status"
    ),
    "link also with a GFMD stance as its status": case(
        hit(LINK, "rcp:linkStatus", "MaxCount"),
        hit(LINK, "rcp:linkStatus", "Node"),
        hit("gfmd-stance/willing", "skos:inScheme", "HasValue"),
        insert="<link/puebla-process/rncom> rcp:linkStatus gfmd-stance:willing",
    ),
    "link without evidence": case(
        hit(LINK, "rcp:evidence", "MinCount"), delete="<link/puebla-process/rncom> rcp:evidence ?words"
    ),
    "link with empty evidence in English": case(
        hit(LINK, "rcp:evidence", "Datatype"),
        hit(LINK, "rcp:evidence", "MinLength"),
        insert='<link/puebla-process/rncom> rcp:evidence ""@en',
    ),
    # Memberships.
    "membership without member": case(
        hit(MEMBERSHIP, "org:member", "MinCount"), delete="<membership/puebla-process/rncom> org:member ?member"
    ),
    "membership of a second member, a place": case(
        hit(MEMBERSHIP, "org:member", "MaxCount"),
        hit(MEMBERSHIP, "org:member", "Class"),
        insert="<membership/puebla-process/rncom> org:member <place/mexico>",
    ),
    "membership in no process": case(
        hit(MEMBERSHIP, "org:organization", "MinCount"),
        delete="<membership/puebla-process/rncom> org:organization ?process",
    ),
    "membership in a second organisation, no process": case(
        hit(MEMBERSHIP, "org:organization", "MaxCount"),
        hit(MEMBERSHIP, "org:organization", "Class"),
        insert="<membership/puebla-process/rncom> org:organization <organisation/cida>",
    ),
    "membership without role": case(
        hit(MEMBERSHIP, "org:role", "MinCount"), delete="<membership/puebla-process/rncom> org:role ?role"
    ),
    "membership with a second role, a status": case(
        hit(MEMBERSHIP, "org:role", "MaxCount"),
        hit(MEMBERSHIP, "org:role", "Node"),
        hit("status/answered", "skos:inScheme", "HasValue"),
        insert="<membership/puebla-process/rncom> org:role status:answered",
    ),
    "membership stated nowhere": case(
        hit(MEMBERSHIP, "rcp:statedIn", "MinCount"),
        delete="<membership/puebla-process/rncom> rcp:statedIn ?response",
    ),
    "membership stated in a label": case(
        hit(MEMBERSHIP, "rcp:statedIn", "Class"),
        insert="<membership/puebla-process/rncom> rcp:statedIn <source/line-10/field-0>",
    ),
    # The statements' Web Annotations.
    "annotation without motivation": case(
        hit(DESCRIBING, "oa:motivatedBy", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1> oa:motivatedBy ?motivation",
    ),
    "annotation also commenting": case(
        hit(DESCRIBING, "oa:motivatedBy", "MaxCount"),
        hit(DESCRIBING, "oa:motivatedBy", "In"),
        insert="<response/puebla-process/stakeholder-cooperation/annotation/1> oa:motivatedBy oa:commenting",
    ),
    "annotation without body": case(
        hit(DESCRIBING, "oa:hasBody", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1> oa:hasBody ?body",
    ),
    "annotation with a second body": case(
        hit(DESCRIBING, "oa:hasBody", "MaxCount"),
        insert="<response/puebla-process/stakeholder-cooperation/annotation/1> oa:hasBody <organisation/rncom>",
    ),
    "annotation without target": case(
        hit(DESCRIBING, "oa:hasTarget", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1> oa:hasTarget ?target",
    ),
    "annotation with a second target": case(
        hit(DESCRIBING, "oa:hasTarget", "MaxCount"),
        insert="""<response/puebla-process/stakeholder-cooperation/annotation/1>
            oa:hasTarget <response/puebla-process/gfmd-link/annotation/1/target>""",
    ),
    "annotation target not a specific resource": case(
        hit(DESCRIBING, "oa:hasTarget", "Class"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1/target> a oa:SpecificResource",
    ),
    # An annotation's target, checked through the annotation (sh:node).
    "annotation target without source": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSource", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1/target> oa:hasSource ?response",
    ),
    "annotation target with a second source, the process": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSource", "MaxCount"),
        hit(STATED, "oa:hasSource", "Class"),
        insert="""<response/puebla-process/stakeholder-cooperation/annotation/1/target>
            oa:hasSource <process/puebla-process>""",
    ),
    "annotation target without quote": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector", "QualifiedMinCount"),
        hit(STATED, "oa:hasSelector/oa:prefix", "MinCount"),
        hit(STATED, "oa:hasSelector/oa:suffix", "MinCount"),
        delete="""<response/puebla-process/stakeholder-cooperation/annotation/1/target>
            oa:hasSelector <response/puebla-process/stakeholder-cooperation/annotation/1/target/quote>""",
    ),
    "annotation target with a second quote": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector", "QualifiedMaxCount"),
        sparql(
            "response/puebla-process/stakeholder-cooperation",
            '<response/puebla-process/stakeholder-cooperation/annotation/1> quotes "no response given", but the text '
            "of <response/puebla-process/stakeholder-cooperation> at 0..61 is "
            '"Regional Network for Civil Organizations on Migration (RNCOM)".',
        ),
        insert="""<response/puebla-process/stakeholder-cooperation/annotation/1/target>
            oa:hasSelector <response/puebla-process/gfmd-link/annotation/1/target/quote>""",
    ),
    "annotation target without position": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector", "QualifiedMinCount"),
        delete="""<response/puebla-process/stakeholder-cooperation/annotation/1/target>
            oa:hasSelector <response/puebla-process/stakeholder-cooperation/annotation/1/target/position>""",
    ),
    "annotation target with a second position": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector", "QualifiedMaxCount"),
        sparql(
            "response/puebla-process/stakeholder-cooperation",
            "<response/puebla-process/stakeholder-cooperation/annotation/1> quotes "
            '"Regional Network for Civil Organizations on Migration (RNCOM)", but the text of '
            '<response/puebla-process/stakeholder-cooperation> at 0..17 is "Regional Network ".',
        ),
        insert="""<response/puebla-process/stakeholder-cooperation/annotation/1/target>
            oa:hasSelector <response/puebla-process/gfmd-link/annotation/1/target/position>""",
    ),
    "annotation quote without prefix": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector/oa:prefix", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1/target/quote> oa:prefix ?prefix",
    ),
    "annotation quote without suffix": case(
        hit(DESCRIBING, "oa:hasTarget", "Node"),
        hit(STATED, "oa:hasSelector/oa:suffix", "MinCount"),
        delete="<response/puebla-process/stakeholder-cooperation/annotation/1/target/quote> oa:suffix ?suffix",
    ),
    # Text quote selectors of annotations: the words around the quote.
    "quote with a second prefix, in English": case(
        hit(STATED_QUOTE, "oa:prefix", "MaxCount"),
        hit(STATED_QUOTE, "oa:prefix", "Datatype"),
        insert='<response/puebla-process/stakeholder-cooperation/annotation/1/target/quote> oa:prefix "Migration"@en',
    ),
    "quote with a second suffix, an IRI": case(
        hit(STATED_QUOTE, "oa:suffix", "MaxCount"),
        hit(STATED_QUOTE, "oa:suffix", "Datatype"),
        insert="""<response/puebla-process/stakeholder-cooperation/annotation/1/target/quote>
            oa:suffix <organisation/rncom>""",
    ),
    # (j) The quote is the response's text at the position; (k) the body follows the motivation.
    "(j) annotation quoting other words than those at its position": case(
        sparql(
            "response/puebla-process/research",
            '<response/puebla-process/research/annotation/2> quotes "remittances", '
            'but the text of <response/puebla-process/research> at 492..503 is "Remittances".',
        ),
        delete="<response/puebla-process/research/annotation/2/target/quote> oa:exact ?exact",
        insert='<response/puebla-process/research/annotation/2/target/quote> oa:exact "remittances"',
    ),
    "(j) annotation selecting beyond the end of the text": case(
        sparql(
            "response/puebla-process/gfmd-link",
            '<response/puebla-process/gfmd-link/annotation/1> quotes "no response given", '
            'but the text of <response/puebla-process/gfmd-link> at 0..18 is "no response given".',
        ),
        delete="<response/puebla-process/gfmd-link/annotation/1/target/position> oa:end ?end",
        insert='<response/puebla-process/gfmd-link/annotation/1/target/position> oa:end "18"^^xsd:nonNegativeInteger',
    ),
    "(k) tagging with an organisation": case(
        hit(TAGGING, "oa:hasBody", "Class"),
        hit(TAGGING, "oa:hasBody", "Node"),
        hit(RNCOM, "skos:inScheme", "HasValue"),
        delete="<response/puebla-process/research/annotation/2> oa:hasBody ?theme",
        insert="<response/puebla-process/research/annotation/2> oa:hasBody <organisation/rncom>",
    ),
    "(k) identifying something the graph does not hold": case(
        hit(IDENTIFYING, "oa:hasBody/rdf:type", "MinCount"),
        delete="<response/puebla-process/research/annotation/1> oa:hasBody ?event",
        insert="<response/puebla-process/research/annotation/1> oa:hasBody <event/puebla-process-seminar-1999>",
    ),
}


# ---------------------------------------------------------------- the graphs and the validation


def one_row(graph: Graph, slug: str, corrected: str | None = None, also: frozenset[Node] = frozenset()) -> Graph:
    """The row of one RCP in `graph`, with only what the shapes need to check it: the process, its
    responses with their derivations and corrections (only those of the fragment `corrected`, if
    given), the fragments they read and the noise fragments of the same lines, the source table,
    the labels the process and the table are derived from, the concept schemes, the concepts of the
    ontology (a value is checked by its scheme) and the themes the row points to, the nodes `also` (with
    what they point to of all these), and of the ontology its class hierarchy (which sh:class and
    sh:targetClass follow). Left out: the other rows, the extracted individuals, the statements' Web
    Annotations (so the themes they tag), the other concepts and labels, the rest of the ontology,
    and every triple pointing to something left out."""
    process, table = RCPID[f"process/{slug}"], RCPID["source"]
    responses = set(graph.objects(process, RCP.hasResponse))
    read = {fragment for response in responses for fragment in graph.objects(response, PROV.wasDerivedFrom)}
    lines = {graph.value(fragment, RCP.sourceLine) for fragment in read}
    noise = {node for node in graph.subjects(RDF.type, RCP.NoiseFragment) if graph.value(node, RCP.sourceLine) in lines}
    corrections = {
        correction
        for target, response in graph.subject_objects(OA.hasScope)
        if response in responses
        for correction in graph.subjects(OA.hasTarget, target)
        if corrected is None or str(correction).startswith(f"{ID}{corrected}/")
    }
    labels = set(graph.objects(process, RCP.printedIn)) | set(graph.objects(table, PROV.wasDerivedFrom))
    nodes = {process, table} | responses | read | noise | corrections | labels | also
    nodes |= {
        concept
        for concept in graph.subjects(RDF.type, SKOS.Concept)
        if not str(concept).startswith(f"{ID}theme/") or any((node, None, concept) in graph for node in nodes)
    }
    nodes |= set(graph.subjects(RDF.type, SKOS.ConceptScheme))

    def kept(node: Node) -> bool:
        text = str(node)
        if not isinstance(node, URIRef) or not text.startswith(ID) or node in nodes:
            return True
        if text.startswith(f"{ID}response/{slug}/"):
            return "/annotation/" not in text
        correction = re.match(r".*/correction/\d+", text)
        return correction is not None and URIRef(correction[0]) in corrections

    row = Graph()
    for subject, predicate, obj in graph:
        if not str(subject).startswith(ID):
            if predicate == RDFS.subClassOf and isinstance(obj, URIRef):
                row.add((subject, predicate, obj))
        elif kept(subject) and kept(obj):
            row.add((subject, predicate, obj))
    return row


@contextmanager
def broken(graph: Graph, change: Case) -> Iterator[Graph]:
    """`graph` with the case's change made, each part of it changing the graph; restored afterwards."""
    before = set(graph)
    try:
        if change.rename:
            old, new = (f"<{name}>" for name in change.rename)
            graph.update(
                PROLOGUE + f"DELETE {{ {old} ?p ?o . ?s ?q {old} }} INSERT {{ {new} ?p ?o . ?s ?q {new} }} "
                f"WHERE {{ {{ {old} ?p ?o }} UNION {{ ?s ?q {old} }} }}"
            )
            assert (URIRef(ID + change.rename[1]), None, None) in graph, change.rename
        if change.delete:
            size = len(graph)
            graph.update(PROLOGUE + f"DELETE WHERE {{ {change.delete} }}")
            assert len(graph) < size, f"nothing matches {change.delete}"
        if change.insert:
            size = len(graph)
            graph.update(PROLOGUE + f"INSERT DATA {{ {change.insert} }}")
            assert len(graph) > size, f"nothing new in {change.insert}"
        yield graph
    finally:
        after = set(graph)
        for triple in after - before:
            graph.remove(triple)
        for triple in before - after:
            graph.add(triple)


@pytest.fixture(scope="module")
def shapes_graph(layout) -> Graph:
    """The shapes, in a store without named graphs: pySHACL looks a shape's parameters up at every
    step of a validation, and such a store answers faster than rdflib's default one."""
    parsed = validation.load_shapes(layout.shapes_file)
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in parsed.namespaces():
        graph.bind(prefix, namespace)
    for triple in parsed:
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def union(layout) -> Graph:
    """What the build validates: the asserted graph (which includes the ontology) and its entailments,
    as the committed release holds them (tests/test_cli_build.py checks that the build makes them
    again, byte for byte)."""
    return release.load(layout.release_dir)


@pytest.fixture(scope="module")
def real_report(union: Graph, shapes_graph: Graph) -> validation.Report:
    """The build's validation. The build also passes the ontology as the ontology graph, which pySHACL
    mixes into a copy of the data: the union holds it already, so that copy would change nothing."""
    return validation.validate(union, shapes_graph)


@pytest.fixture(scope="module")
def base(union: Graph) -> Graph:
    """The Puebla Process's row of the real graph, with the individuals and annotations of the fixture
    and what they point to in the real graph (the GFMD's heading, the theme they tag, ...)."""
    extracted = rdfio.parse_file(EXTRACTED)
    graph = one_row(union, ROW, corrected=CORRECTED, also=frozenset(extracted.objects()) - set(extracted.subjects()))
    graph += extracted
    return graph


@pytest.fixture(scope="module")
def still(union: Graph, base: Graph, shapes_graph: Graph) -> Iterator[None]:
    """Python's cycle collector now and then walks every object it tracks: the terms of the real
    graph, alive for the whole module, would make each walk slow. They are frozen out of its view
    while the cases run, and handed back at the end."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


# The base and the shapes the cases are checked against (set by `check`, inherited by its workers).
CHECKED: dict[str, Graph] = {}


def outcome(name: str) -> validation.Report | Exception:
    """The report on the base graph with one case's change, or what went wrong (raised by the
    case's test). The base holds the class hierarchy of the ontology, so no ontology graph is mixed
    in."""
    try:
        with broken(CHECKED["base"], CASES[name]) as graph:
            return validation.validate(graph, CHECKED["shapes"])
    except Exception as error:
        return error


def selected_cases(session: pytest.Session) -> list[str]:
    """The cases the selected tests of this module look at: all of them if a test over every case
    is selected."""
    names = set()
    for item in session.items:
        if getattr(item, "module", None) is not sys.modules[__name__] or "check" not in item.fixturenames:
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is None or "name" not in callspec.params:
            return list(CASES)
        names.add(callspec.params["name"])
    return [name for name in CASES if name in names]


def processors() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@pytest.fixture(scope="module")
def check(
    request: pytest.FixtureRequest, base: Graph, shapes_graph: Graph, still: None
) -> Callable[[str], validation.Report]:
    """The report on the base graph with one case's change, computed once per case. The cases are
    independent: those the run selects are validated up front, spread over one process per
    processor (forked, so each starts with this one's base, shapes and prepared queries); where
    that cannot be done, or not safely (a thread of another test still running, which might hold a
    lock the forked copy would wait for), each case is validated when its test asks."""
    CHECKED.update(base=base, shapes=shapes_graph)
    reports: dict[str, validation.Report | Exception] = {}
    names = selected_cases(request.session)
    workers = min(processors(), len(names))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                reports.update(zip(names, pool.map(outcome, names), strict=True))
        except OSError:  # no semaphores or pipes here: one case at a time
            pass

    def run(name: str) -> validation.Report:
        if name not in reports:
            reports[name] = outcome(name)
        report = reports[name]
        if isinstance(report, Exception):
            raise report
        return report

    return run


def iri(term: str, shapes_graph: Graph) -> str:
    """A term of a result, as rendered ("<...>" or a prefixed name), as a full IRI."""
    if term.startswith("<"):
        return term[1:-1]
    return str(shapes_graph.namespace_manager.expand_curie(term))


def observed(report: validation.Report, shapes_graph: Graph) -> list[Expected]:
    """The results as (focus node under rcpid:, path, component, message of a SPARQL result)."""
    found = []
    for result in report.results:
        focus = iri(result.focus_node, shapes_graph)
        assert focus.startswith(ID), focus
        sparql_based = result.constraint_component == "SPARQLConstraintComponent"
        found.append(
            (focus[len(ID) :], result.path, result.constraint_component, result.message if sparql_based else None)
        )
    return sorted(found, key=str)


def sources(report: validation.Report) -> set[tuple[Node, Node, Node | None]]:
    """(source shape, constraint component, SPARQL constraint or None) of each result."""
    graph = report.graph
    return {
        (
            graph.value(result, SH.sourceShape),
            graph.value(result, SH.sourceConstraintComponent),
            graph.value(result, SH.sourceConstraint),
        )
        for result in graph.subjects(RDF.type, SH.ValidationResult)
    }


def declared(shapes_graph: Graph) -> set[tuple[Node, Node, Node | None]]:
    """(shape, constraint component, SPARQL constraint or None) of each constraint the shapes declare."""
    found = set()
    for shape in every_shape(shapes_graph):
        for parameter, value in shapes_graph.predicate_objects(shape):
            if parameter in PARAMETERS:
                found.add((shape, PARAMETERS[parameter], None))
            elif parameter == SH.sparql:
                found.add((shape, SH.SPARQLConstraintComponent, value))
    return found


def every_shape(shapes_graph: Graph) -> set[Node]:
    """The node shapes, the named property shapes and the property shapes of node shapes."""
    return (
        set(shapes_graph.subjects(RDF.type, SH.NodeShape))
        | set(shapes_graph.subjects(RDF.type, SH.PropertyShape))
        | set(shapes_graph.objects(None, SH.property))
    )


# ---------------------------------------------------------------- the real graph


def test_the_real_graph_conforms(real_report: validation.Report) -> None:
    assert real_report.results == []
    assert real_report.conforms
    assert validation.format_report(real_report) == "Conforms: yes\n"


def test_a_response_of_a_real_row_without_its_dimension_gives_one_result(
    union: Graph, shapes_graph: Graph, layout
) -> None:
    """A real row, whole (as the build validates it, with the ontology as the ontology graph), not
    the real graph, which is validated only once."""
    response = RCPID["response/midsa/research"]
    row = one_row(union, "midsa")
    with broken(row, case(delete="<response/midsa/research> rcp:dimension ?dimension")) as graph:
        report = validation.validate(graph, shapes_graph, rdfio.parse_file(layout.ontology_file))
    assert not report.conforms
    assert [(r.focus_node, r.path, r.constraint_component) for r in report.results] == [
        (f"<{response}>", "rcp:dimension", "MinCountConstraintComponent")
    ]
    assert report.results[0].message == (
        "A survey response has exactly one rcp:dimension, one of the eight columns of Annex B (rcpid:dimension/...)."
    )


# ---------------------------------------------------------------- the base and the cases


def test_the_base_is_one_row_and_conforms(base: Graph, shapes_graph: Graph) -> None:
    processes = set(base.subjects(RDF.type, RCP.RegionalConsultativeProcess))
    assert processes == {RCPID[f"process/{ROW}"]}
    assert len(set(base.subjects(RDF.type, RCP.SurveyResponse))) == 8
    assert len(set(base.subjects(RDF.type, RCP.TextCorrection))) == 2
    assert len(set(base.subjects(RDF.type, RCP.NoiseFragment))) == 3
    assert len(set(base.subjects(RDF.type, ORG.Membership))) == 1
    annotations = set(base.subjects(RDF.type, OA.Annotation)) - set(base.subjects(RDF.type, RCP.TextCorrection))
    assert {base.value(annotation, OA.motivatedBy) for annotation in annotations} == {
        OA.identifying,
        OA.tagging,
        OA.describing,
        OA.classifying,
    }
    assert len(base) < 1000
    report = validation.validate(base, shapes_graph)
    assert report.results == []
    assert report.conforms


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_reports_exactly_what_it_broke(name: str, check, shapes_graph: Graph) -> None:
    report = check(name)
    assert not report.conforms
    assert observed(report, shapes_graph) == list(CASES[name].expected)


def test_core_results_carry_the_message_of_their_shape(check, shapes_graph: Graph) -> None:
    for name in CASES:
        report = check(name)
        for result in report.graph.subjects(RDF.type, SH.ValidationResult):
            if report.graph.value(result, SH.sourceConstraint) is None:
                shape = report.graph.value(result, SH.sourceShape)
                assert report.graph.value(result, SH.resultMessage) == shapes_graph.value(shape, SH.message), name


def test_the_cases_exercise_every_constraint(check, shapes_graph: Graph) -> None:
    exercised = set().union(*(sources(check(name)) for name in CASES))
    missing = declared(shapes_graph) - exercised
    assert not missing, "\n".join(sorted(describe(shapes_graph, *constraint) for constraint in missing))


def describe(shapes_graph: Graph, shape: Node, component: Node, constraint: Node | None) -> str:
    """E.g. "rcpsh:SurveyResponseShape rcp:dimension MinCountConstraintComponent"."""
    names = shapes_graph.namespace_manager
    owner = next(shapes_graph.subjects(SH.property, shape), shape)
    path = shapes_graph.value(shape, SH.path)
    parts = [owner.n3(names), path.n3(names) if path is not None else "", str(component).split("#")[-1]]
    return " ".join(part for part in [*parts, constraint.n3(names) if constraint is not None else ""] if part)


# ---------------------------------------------------------------- the shapes themselves


def test_every_shape_says_only_what_is_known(shapes_graph: Graph) -> None:
    unknown = {
        (shape, parameter)
        for shape in every_shape(shapes_graph)
        for parameter in shapes_graph.predicates(shape)
        if parameter not in PARAMETERS and parameter not in NOT_CONSTRAINTS
    }
    assert unknown == set()


def test_every_constraint_has_a_message(shapes_graph: Graph) -> None:
    for shape, component, constraint in declared(shapes_graph):
        holder = constraint if constraint is not None else shape
        assert shapes_graph.value(holder, SH.message) is not None, describe(shapes_graph, shape, component, constraint)


def test_shapes_with_sparql_constraints_have_no_message_of_their_own(shapes_graph: Graph) -> None:
    holders = set(shapes_graph.subjects(SH.sparql, None))
    assert holders
    assert {shape for shape in holders if shapes_graph.value(shape, SH.message) is not None} == set()
