"""The stored-query API in process: the catalogue, running a query with parameters, the OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rcpgraph import paths
from rcpgraph.errors import InputError
from rcpgraph.sparql.catalogue import catalogue, find

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = paths.Layout(ROOT, is_checkout=True)
QUERIES = catalogue(LAYOUT.queries_dir)
_IRI = {"type": "string", "description": "an IRI, a path such as process/midsa, or a slug such as midsa"}


def test_the_catalogue_lists_every_stored_query(client: TestClient) -> None:
    listed = client.get("/api/queries").json()
    assert [entry["name"] for entry in listed] == list(QUERIES)
    cell = next(entry for entry in listed if entry["name"] == "cell")
    assert cell["url"] == "/api/queries/cell"
    assert [(p["name"], p["type"], p["required"]) for p in cell["parameters"]] == [
        ("process", "iri", True),
        ("dimension", "iri", True),
    ]


def test_a_stored_query_runs_with_slug_parameters(client: TestClient) -> None:
    response = client.get("/api/queries/cell", params={"process": "sacm", "dimension": "founding-documents"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.headers["vary"] == "Accept, Accept-Encoding"
    rows = response.json()["results"]["bindings"]
    assert rows[0]["status"]["value"] == "https://w3id.org/rcpgraph/id/status/answered"
    assert (rows[0]["line"]["value"], rows[0]["field"]["value"]) == ("14", "3")


@pytest.mark.parametrize(
    ("headers", "params", "content_type"),
    [
        ({"Accept": "text/csv"}, {}, "text/csv; charset=utf-8"),
        (
            {"Accept": "application/sparql-results+xml;q=0.5, text/tab-separated-values;q=0.8"},
            {},
            "text/tab-separated-values; charset=utf-8",
        ),
        ({"Accept": "text/csv"}, {"format": "xml"}, "application/sparql-results+xml; charset=utf-8"),
    ],
)
def test_stored_query_formats_are_negotiated(
    client: TestClient, headers: dict, params: dict, content_type: str
) -> None:
    response = client.get("/api/queries/groups", headers=headers, params=params)
    assert response.status_code == 200 and response.headers["content-type"] == content_type
    assert "midsa" in response.text


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/api/queries/nothing", {}, 404, 'unknown query "nothing"; stored queries: by-information-basis, cell, '),
        ("/api/queries/cell", {"process": "sacm"}, 400, "missing required parameter dimension (iri) for query cell"),
        (
            "/api/queries/groups",
            {"colour": "red"},
            400,
            "unknown parameter colour for query groups (parameters: limit, offset)",
        ),
        ("/api/queries/cell", [("process", "sacm"), ("process", "igc")], 400, "parameter process is given twice"),
        (
            "/api/queries/cell",
            {"process": "../../../etc/passwd", "dimension": "research"},
            400,
            'parameter process: "../../../etc/passwd" is not an IRI, a path such as process/midsa or a slug',
        ),
        (
            "/api/queries/process-report",
            {"process": "process/nope"},
            400,
            'parameter process: no individual is named "process/nope"',
        ),
        ("/api/queries/groups", {"format": "turtle"}, 406, "format turtle does not fit a SELECT result"),
        (
            "/api/queries/process-report",
            {"process": "remittances"},
            400,
            'parameter process: no process is named "remittances" (theme/remittances is a theme)\n',
        ),
        (
            "/api/queries/process-report",
            {"process": "colombo"},
            400,
            'parameter process: no process is named "colombo" (did you mean colombo-process?)\n',
        ),
        (
            "/api/queries/rows-mentioning",
            {"organisation": "remittances"},
            400,
            'parameter organisation: no organisation, process or place is named "remittances" '
            "(theme/remittances is a theme)\n",
        ),
    ],
)
def test_stored_query_errors(client: TestClient, path: str, params, status: int, message: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.text.startswith(message)
    assert str(ROOT) not in response.text and "root:" not in response.text


@pytest.mark.parametrize("path", ["/api/queries/cels", "/query?name=cels"])
def test_an_unknown_query_name_gets_the_closest_names_as_on_the_command_line(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.text) == (
        404,
        'unknown query "cels"; did you mean cell, places? (see /api/queries)\n',
    )
    with pytest.raises(InputError) as cli:
        find(QUERIES, "cels")
    assert response.text.startswith(cli.value.message)


def test_the_openapi_document_describes_every_stored_query(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    for name, query in QUERIES.items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        assert operation["summary"] == query.summary
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert list(parameters) == [p.name for p in query.parameters] + ["format"]
        for parameter in query.parameters:
            assert parameters[parameter.name]["required"] is (parameter.required and parameter.default is None)
            assert not (parameters[parameter.name]["required"] and "default" in parameters[parameter.name]["schema"])
    cell = document["paths"]["/api/queries/cell"]["get"]
    assert set(cell["responses"]["200"]["content"]) == {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    }
    assert json.dumps(document)  # plain JSON all through


def test_a_parameter_with_a_default_is_not_required(client: TestClient) -> None:
    operations = client.get("/openapi.json").json()["paths"]
    first = {
        name: operations[f"/api/queries/{name}"]["get"]["parameters"][0]
        for name in ("by-information-basis", "provenance", "cell")
    }
    assert first["by-information-basis"] == {
        "name": "basis",
        "in": "query",
        "required": False,
        "schema": {**_IRI, "default": "primary-sources"},
    }
    assert first["provenance"] == {
        "name": "individual",
        "in": "query",
        "required": False,
        "schema": {**_IRI, "default": "document/quito-declaration-2002"},
    }
    assert first["cell"] == {"name": "process", "in": "query", "required": True, "schema": _IRI}
    assert client.get("/api/queries/by-information-basis").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/queries/search-text?text=caf%E9", "/query?sparql=ASK%7B%7D%E9", "/sparql?query=%E9"]
)
def test_a_query_string_that_is_not_utf8_is_a_400_everywhere(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/plain"})
    assert (response.status_code, response.text) == (400, "the query string is not UTF-8\n")
