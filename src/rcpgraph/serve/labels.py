"""Names for people: the label of every IRI of the release, and links that point into the service.

A resource's label is its `skos:prefLabel` (English first), `rdfs:label` or `dcterms:title`; a regional
consultative process with a `skos:altLabel` (a name printed in the table, curated in
`data/curation/processes.yaml`) goes by it, the usual name ("Colombo Process"), its `skos:prefLabel` being
its formal name; a survey response is named by its process's short name (usual name, else acronym, else
label) and its dimension, a source fragment or label by its line and field; a Web Annotation that names
something by the words it selects and what they name; a VoID class partition by its class and count; a part
of a labelled resource by its path below it ("derivation 1 of MIDSA: research"); anything else by its
prefixed name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, VOID

from rcpgraph.sparql.catalogue import ID_BASE
from rcpgraph.sparql.results import shorten
from rcpgraph.vocabulary import OA, RCP

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from rcpgraph.serve.settings import Settings

_NAMING = (SKOS.prefLabel, RDFS.label, DCTERMS.title)


@dataclass(frozen=True)
class Hyperlink:
    """An IRI as a person sees it: where to click, what to read, and the IRI itself."""

    href: str
    label: str
    iri: str


class Labels:
    """The labels of a graph's resources, worked out once."""

    def __init__(self, graph: Graph, *more: Graph) -> None:
        self._labels: dict[Node, str] = {}
        self._formal: dict[Node, str] = {}
        for source in (graph, *more):
            for predicate in reversed(_NAMING):
                for subject, value in source.subject_objects(predicate):
                    if isinstance(value, Literal) and (value.language in (None, "en") or subject not in self._labels):
                        self._labels[subject] = str(value)
        for regional in graph.subjects(RDF.type, RCP.RegionalConsultativeProcess):
            usual = sorted(str(name) for name in graph.objects(regional, SKOS.altLabel))
            if usual and usual[0] != self.of(regional):
                self._formal[regional], self._labels[regional] = self.of(regional), usual[0]
        for response in graph.subjects(RDF.type, RCP.SurveyResponse):
            process, dimension = graph.value(response, RCP.respondent), graph.value(response, RCP.dimension)
            short = self.of(process) if process in self._formal else graph.value(process, RCP.acronym)
            self._labels[response] = f"{short or self.of(process)}: {self.of(dimension)}"
        for partition, cls in graph.subject_objects(VOID["class"]):
            count = graph.value(partition, VOID.entities)
            self._labels[partition] = f"{self.of(cls)}: {count} instance{'' if str(count) == '1' else 's'}"
        for annotation, body in graph.subject_objects(OA.hasBody):
            words = _selected(graph, annotation)
            if words and (annotation, RDF.type, RCP.TextCorrection) not in graph:
                self._labels[annotation] = f"“{_clipped(words)}” names {self.of(body)}"
        for fragment, line in graph.subject_objects(RCP.sourceLine):
            self._labels[fragment] = f"source line {line}, field {graph.value(fragment, RCP.sourceField)}"

    def of(self, node: Node | None) -> str:
        """The label of `node`: a name, or its prefixed IRI."""
        if node is None:
            return ""
        if node in self._labels:
            return self._labels[node]
        if isinstance(node, BNode):
            return "(blank node)"
        return self._part(str(node)) or shorten(str(node))

    def _part(self, iri: str) -> str:
        """A part's label from its nearest labelled ancestor ("derivation 1 of MIDSA: research"), else ""."""
        steps = iri[len(ID_BASE) :].split("/") if iri.startswith(ID_BASE) else []
        for cut in range(len(steps) - 1, 0, -1):
            above = URIRef(ID_BASE + "/".join(steps[:cut]))
            if above in self._labels:
                return f"{' '.join(steps[cut:])} of {self._labels[above]}"
        return ""

    def formal(self, node: Node) -> str:
        """The formal name of a process that goes by its usual name, else ""."""
        return self._formal.get(node, "")

    def property(self, predicate: Node) -> str:
        """The label of a property: its own, else its local name in words (`wasDerivedFrom` → was derived from)."""
        if predicate in self._labels:
            return self._labels[predicate]
        local = re.split(r"[#/]", str(predicate))[-1]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _selected(graph: Graph, annotation: Node) -> str:
    """The words an annotation's first text-position target selects in its response's corrected text, else ""."""
    for target in graph.objects(annotation, OA.hasTarget):
        text = graph.value(graph.value(target, OA.hasSource), RCP.text)
        for selector in graph.objects(target, OA.hasSelector):
            start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
            if isinstance(text, Literal) and isinstance(start, Literal) and isinstance(end, Literal):
                return str(text)[int(start) : int(end)].strip()
    return ""


def _clipped(words: str, limit: int = 60) -> str:
    """`words`, cut after the last whole word within `limit` characters (with "…") when longer."""
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + " …"


class Linker:
    """Links to resources: w3id IRIs become service addresses, other IRIs stay as they are."""

    def __init__(self, settings: Settings, labels: Labels) -> None:
        self.settings = settings
        self.labels = labels

    def href(self, iri: str) -> str:
        """Where a link to `iri` goes."""
        return self.settings.local(iri) or iri

    def link(self, node: Node) -> Hyperlink:
        """A link to `node`, with its label."""
        iri = str(node) if isinstance(node, URIRef) else ""
        return Hyperlink(self.href(iri) if iri else "", self.labels.of(node), iri)

    def property(self, predicate: Node) -> Hyperlink:
        """A link to a property, with its label."""
        return Hyperlink(self.href(str(predicate)), self.labels.property(predicate), str(predicate))
