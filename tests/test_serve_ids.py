"""Dereferenceable IRIs in process: /id/..., /ontology, the dataset description and the downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import OWL, Graph, URIRef

import rcpgraph
from rcpgraph import paths, rdfio
from rcpgraph.pipeline import validation, versioning
from rcpgraph.serve.app import create_app
from rcpgraph.serve.settings import Settings
from rcpgraph.vocabulary import RCP, RCPID

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = paths.Layout(ROOT, is_checkout=True)
MIDSA = "https://w3id.org/rcpgraph/id/process/midsa"


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = Settings(release=LAYOUT.release_dir, base_url="https://example.org/rcpgraph")
    return TestClient(create_app(settings, LAYOUT))


def parsed(text: str, suffix: str) -> Graph:
    """The graph in a response body, parsed strictly (as a file with that suffix)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("body" + suffix)
        path.write_text(text, encoding="utf-8")
        return rdfio.parse_file(path)


@pytest.mark.parametrize(
    ("accept", "content_type", "suffix"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", ".ttl"),
        ("application/ld+json", "application/ld+json", ".jsonld"),
        ("application/n-triples", "application/n-triples", ".nt"),
        (None, "text/turtle; charset=utf-8", ".ttl"),
    ],
)
def test_an_individual_in_each_rdf_format(
    client: TestClient, accept: str | None, content_type: str, suffix: str
) -> None:
    response = client.get("/id/process/midsa", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["vary"] == "Accept, Accept-Encoding"
    graph = parsed(response.text, suffix)
    assert str(graph.value(URIRef(MIDSA), RCP.acronym)) == "MIDSA"
    assert (RCPID["response/midsa/research"], RCP.respondent, URIRef(MIDSA)) in graph


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt"])
def test_a_suffix_or_format_names_the_format(client: TestClient, suffix: str) -> None:
    by_suffix = client.get("/id/process/midsa" + suffix, headers={"Accept": "text/html"})
    by_format = client.get("/id/process/midsa", params={"format": suffix[1:]}, headers={"Accept": "text/html"})
    assert by_suffix.status_code == by_format.status_code == 200
    assert by_suffix.content == by_format.content
    assert str(parsed(by_suffix.text, suffix).value(URIRef(MIDSA), RCP.acronym)) == "MIDSA"


def test_a_browser_gets_the_page(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/process/midsa", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Migration Dialogue for Southern Africa</h1>" in response.text


def test_a_response_brings_its_parts(client: TestClient) -> None:
    graph = parsed(client.get("/id/response/sacm/founding-documents.ttl").text, ".ttl")
    base = "https://w3id.org/rcpgraph/id/response/sacm/founding-documents"
    assert (URIRef(base + "/derivation/1/selector"), None, None) in graph
    assert (URIRef(base + "/annotation/1/target/quote"), None, None) in graph
    assert (URIRef("https://w3id.org/rcpgraph/id/process/sacm"), RCP.hasResponse, URIRef(base)) in graph


def test_unknown_iris_are_404(client: TestClient) -> None:
    response = client.get("/id/process/atlantis")
    assert (response.status_code, response.text) == (
        404,
        "no resource https://w3id.org/rcpgraph/id/process/atlantis in the release\n",
    )
    assert client.get("/id/process/atlantis.ttl").status_code == 404
    page = client.get("/id/process/atlantis", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "no resource" in page.text and "<html" in page.text


def test_an_unacceptable_type_is_406(client: TestClient) -> None:
    response = client.get("/id/process/midsa", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "available: text/turtle, text/html, application/ld+json, application/n-triples" in response.text


def test_the_ontology_and_its_terms(client: TestClient) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["vary"] == "Accept, Accept-Encoding"
    graph = parsed(turtle.text, ".ttl")
    assert (URIRef("https://w3id.org/rcpgraph/ontology"), None, None) in graph
    assert client.get("/ontology.nt").headers["content-type"] == "application/n-triples"
    assert client.get("/ontology.xml").status_code == 404
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert 'id="SurveyResponse"' in page.text and 'id="respondent"' in page.text


def test_the_ontology_states_its_version_and_answers_at_its_version_iri(client: TestClient) -> None:
    ontology = URIRef("https://w3id.org/rcpgraph/ontology")
    graph = parsed(client.get("/ontology", headers={"Accept": "text/turtle"}).text, ".ttl")
    assert str(graph.value(ontology, OWL.versionInfo)) == rcpgraph.__version__ == "0.1.0"
    assert graph.value(ontology, OWL.versionIRI) == URIRef("https://w3id.org/rcpgraph/ontology/0.1.0")
    versioned = client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"})
    assert versioned.status_code == 200 and versioned.headers["vary"] == "Accept, Accept-Encoding"
    assert versioned.text == client.get("/ontology", headers={"Accept": "text/turtle"}).text
    assert client.get("/ontology/0.1.0.nt").headers["content-type"] == "application/n-triples"
    assert client.get("/ontology/0.1.0", params={"format": "jsonld"}).headers["content-type"] == "application/ld+json"
    assert (
        '<article class="term" id="SurveyResponse">'
        in client.get("/ontology/0.1.0", headers={"Accept": "text/html"}).text
    )
    other = client.get("/ontology/0.0.9")
    assert (other.status_code, other.text) == (404, "no ontology version 0.0.9 (this service has version 0.1.0)\n")


def test_the_release_and_the_shapes_carry_the_version() -> None:
    release = rdfio.parse_file(LAYOUT.release_dir / "rcpgraph.ttl")
    ontology = URIRef("https://w3id.org/rcpgraph/ontology")
    assert (str(release.value(ontology, OWL.versionInfo)), release.value(ontology, OWL.versionIRI)) == (
        "0.1.0",
        URIRef("https://w3id.org/rcpgraph/ontology/0.1.0"),
    )
    assert (ontology, OWL.versionInfo, None) not in rdfio.parse_file(LAYOUT.ontology_file)
    shapes = validation.load_shapes(LAYOUT.shapes_file)
    assert (
        str(shapes.value(URIRef(versioning.SHAPES), OWL.versionInfo)),
        shapes.value(URIRef(versioning.SHAPES), OWL.versionIRI),
    ) == (
        "0.1.0",
        URIRef("https://w3id.org/rcpgraph/shapes/0.1.0"),
    )


def test_base_url_maps_w3id_iris_in_pages(client: TestClient) -> None:
    page = client.get("/id/process/midsa", headers={"Accept": "text/html"}).text
    assert 'href="https://example.org/rcpgraph/id/response/midsa/research"' in page
    assert 'href="https://example.org/rcpgraph/ontology#RegionalConsultativeProcess"' in page
    assert 'href="https://example.org/rcpgraph/static/style.css"' in page
    assert 'href="https://w3id.org/rcpgraph/id/' not in page


def test_the_dataset_description(client: TestClient) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = parsed(response.text, ".ttl")
    assert (RCPID["dataset"], URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), None) in graph
    assert client.get("/id/dataset.ttl").status_code == 200
    browser = client.get("/.well-known/void", headers={"Accept": "text/html"}, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"] == "https://example.org/rcpgraph/id/dataset"


def test_downloads(client: TestClient) -> None:
    turtle = client.get("/download/rcpgraph.ttl")
    assert turtle.content == (LAYOUT.release_dir / "rcpgraph.ttl").read_bytes()
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    missing = client.get("/download/secrets.txt")
    assert missing.status_code == 404 and missing.text.startswith("no download secrets.txt (downloads: rcpgraph.ttl")
