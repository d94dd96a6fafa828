"""The IRIs of the public vocabulary: namespaces, and the concepts the curation files may name."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from rcpgraph import namespaces

RCP = Namespace(namespaces.RCP)
RCPID = Namespace(namespaces.RCPID)
ONTOLOGY = "https://w3id.org/rcpgraph/ontology"
ORG = Namespace(namespaces.ORG)
OA = Namespace(namespaces.OA)
VANN = Namespace(namespaces.VANN)
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

DIMENSIONS = (
    "research",
    "capacity-building",
    "pilot-projects",
    "founding-documents",
    "intra-governmental-consultation",
    "stakeholder-cooperation",
    "cross-fertilization",
    "gfmd-link",
)
COLUMN_GROUPS = ("development-related-initiatives", "policy-coherence")
STATUSES = ("answered", "fragment", "no-example-provided", "no-response-given", "blank")
PRIORITIES = ("thematic", "ad-hoc", "without-development")
BASES = ("iom-questionnaire", "primary-sources")
ASSIGNMENTS = ("as-printed", "inferred")
LINK_STATUSES = ("existing", "potential")
GFMD_STANCES = ("planned-activity", "willing", "no-link-envisaged", "no-response", "undetermined")

SCHEMES = {
    "dimension": DIMENSIONS + COLUMN_GROUPS,
    "status": STATUSES,
    "priority": PRIORITIES,
    "basis": BASES,
    "assignment": ASSIGNMENTS,
    "link-status": LINK_STATUSES,
    "gfmd-stance": GFMD_STANCES,
}


def concept(scheme: str, name: str):
    """The IRI of a concept, e.g. concept("status", "blank")."""
    return RCPID[f"{scheme}/{name}"]


def process(slug: str):
    """The IRI of a process."""
    return RCPID[f"process/{slug}"]


def response(process_slug: str, dimension: str):
    """The IRI of the response of one process for one dimension."""
    return RCPID[f"response/{process_slug}/{dimension}"]


def media_type(name: str) -> URIRef:
    """The IANA IRI of a media type (e.g. "text/turtle"), the resource dcterms:format and dcat:mediaType expect."""
    return URIRef(MEDIA_TYPES + name)
