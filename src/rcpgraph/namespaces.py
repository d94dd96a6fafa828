"""The project's prefixes and their namespaces, as plain strings (no rdflib import, for quick start-up)."""

from __future__ import annotations

RCP = "https://w3id.org/rcpgraph/ontology#"
RCPID = "https://w3id.org/rcpgraph/id/"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
VANN = "http://purl.org/vocab/vann/"

PREFIXES = {
    "rcp": RCP,
    "rcpid": RCPID,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": ORG,
    "oa": OA,
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vann": VANN,
}
