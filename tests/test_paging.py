"""Paged listings: the `page` header, `limit` and `offset`, stable pages, and the next-page signals."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.sparql.catalogue import ALL, Parameter, bind, catalogue, load, next_offset, whole
from rcpgraph.sparql.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = paths.Layout(ROOT, is_checkout=True)
QUERIES = catalogue(LAYOUT.queries_dir)
PAGED = sorted(name for name, query in QUERIES.items() if query.page is not None)
REQUIRED = {
    "by-information-basis": {"basis": "primary-sources"},
    "documents-by-theme": {"theme": "remittances"},
    "search-text": {"words": "migration"},
    "status-by-dimension": {"dimension": "gfmd-link", "status": "no-response-given"},
}
LISTING = "#+ summary: a listing\n#+ page: 2\nSELECT ?s WHERE { ?s ?p ?_o }\nORDER BY ?s\n"


def write(tmp_path: Path, text: str) -> Path:
    """Write one query file and return its path."""
    path = tmp_path / "listing.rq"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store() -> Store:
    return open_store(paths.query_files(LAYOUT.release_dir))


def test_a_page_header_adds_limit_and_offset(tmp_path: Path) -> None:
    query = load(write(tmp_path, LISTING))
    assert query.page == 2
    assert query.parameters[1:] == [Parameter("limit", "page", False, "2"), Parameter("offset", "integer", False, "0")]
    assert bind(query, {"o": "x"}).endswith("ORDER BY ?s\n\nLIMIT 2")
    assert bind(query, {"o": "x", "limit": "5", "offset": "10"}).endswith("ORDER BY ?s\n\nLIMIT 5\nOFFSET 10")
    assert bind(query, {"o": "x", "limit": ALL}).endswith("ORDER BY ?s\n")
    assert bind(query, {"o": "x", "limit": ALL, "offset": "3"}).endswith("ORDER BY ?s\n\nOFFSET 3")
    assert whole(query) == {"limit": "all"}


KEYED = (
    "#+ summary: a listing\n#+ page: 2\nSELECT ?s ?o WHERE {\n"
    "  { SELECT ?s WHERE { ?s ?p ?_o } ORDER BY ?s\n  #page-keys\n  }\n"
    "  OPTIONAL { { SELECT ?s WHERE { ?s ?p ?_o } ORDER BY ?s\n  #page-keys\n  } ?s ?q ?o }\n"
    "}\nORDER BY ?s ?o\n"
)


def test_page_keys_cut_each_marked_subquery_at_the_page_end(tmp_path: Path) -> None:
    query = load(write(tmp_path, KEYED))
    first = bind(query, {"o": "x"})
    assert first.count("ORDER BY ?s\n  LIMIT 2\n  }") == 2
    assert first.endswith("ORDER BY ?s ?o\n\nLIMIT 2")
    assert bind(query, {"o": "x", "limit": "5", "offset": "10"}).count("ORDER BY ?s\n  LIMIT 15\n  }") == 2
    assert bind(query, {"o": "x", "limit": ALL, "offset": "3"}).count("#page-keys") == 2
    assert bind(query, {"o": "#page-keys", "limit": "1"}).count('"#page-keys"') == 2


def test_a_remote_store_gets_the_keys_whole(tmp_path: Path) -> None:
    query = load(write(tmp_path, KEYED))
    remote = bind(query, {"o": "x", "limit": "5", "offset": "10"}, cut_keys=False)
    assert remote.count("ORDER BY ?s\n  #page-keys\n  }") == 2
    assert remote.endswith("ORDER BY ?s ?o\n\nLIMIT 5\nOFFSET 10")


def test_page_keys_need_a_page(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load(write(tmp_path, KEYED.replace("#+ page: 2\n", "")))
    assert (caught.value.message, caught.value.line) == (
        "#page-keys marks where a page cuts its keys: the #+ header needs a page",
        4,
    )


def test_a_query_without_a_page_takes_no_limit(tmp_path: Path) -> None:
    query = load(write(tmp_path, LISTING.replace("#+ page: 2\n", "")))
    assert (query.page, [p.name for p in query.parameters], whole(query)) == (None, ["o"], {})
    with pytest.raises(InputError, match=r"^unknown parameter limit for query listing \(parameters: o\)$"):
        bind(query, {"o": "x", "limit": "all"})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"limit": "0"}, 'parameter limit: "0" is not a positive number of rows, or all'),
        ({"limit": "-1"}, 'parameter limit: "-1" is not a positive number of rows, or all'),
        ({"limit": "ALL"}, 'parameter limit: "ALL" is not a positive number of rows, or all'),
        ({"offset": "-5"}, 'parameter offset: "-5" is not a number of rows (0 or more)'),
        ({"offset": "1.5"}, 'parameter offset: "1.5" is not a number of rows (0 or more)'),
    ],
)
def test_a_bad_limit_or_offset_is_refused(tmp_path: Path, values: dict[str, str], message: str) -> None:
    query = load(write(tmp_path, LISTING))
    with pytest.raises(InputError) as caught:
        bind(query, {"o": "x", **values})
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ("#+ page: 0\n", "SELECT ?s WHERE { ?s ?p ?o }", "the #+ header's page must be a positive number of rows"),
        ("#+ page: ten\n", "SELECT ?s WHERE { ?s ?p ?o }", "the #+ header's page must be a positive number of rows"),
        (
            "#+ page: 5\n",
            "SELECT ?s WHERE { ?s ?p ?__limit_integer }",
            "a paged query cannot have a parameter named limit",
        ),
        (
            "#+ page: 5\n",
            "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3",
            "a paged query takes its LIMIT and OFFSET from its parameters, not its text",
        ),
    ],
)
def test_a_bad_page_header_names_its_line(tmp_path: Path, header: str, body: str, message: str) -> None:
    path = write(tmp_path, "#+ summary: a listing\n" + header + body + "\n")
    with pytest.raises(InputError) as caught:
        load(path)
    assert (caught.value.message, caught.value.line) == (message, 2)


def test_a_full_page_has_a_next_one(tmp_path: Path) -> None:
    query = load(write(tmp_path, LISTING))
    assert next_offset(query, {}, 2) == 2
    assert next_offset(query, {"offset": "4"}, 2) == 6
    assert next_offset(query, {"limit": "3", "offset": "4"}, 2) is None
    assert next_offset(query, {"limit": ALL}, 50) is None
    assert next_offset(load(write(tmp_path, LISTING.replace("#+ page: 2\n", ""))), {}, 2) is None


def test_the_listings_are_paged_by_a_hundred() -> None:
    assert PAGED == [
        "by-information-basis",
        "cells-without-individuals",
        "column-reassignments",
        "completeness-matrix",
        "documents-by-theme",
        "events",
        "events-by-year",
        "gfmd-stances",
        "groups",
        "incomplete-cells",
        "individuals-per-process",
        "initiatives",
        "memberships",
        "ocr-corrections",
        "organisations",
        "places",
        "search-text",
        "secretariats",
        "status-by-dimension",
        "themes-per-process",
        "timeline",
        "usual-names",
    ]
    assert {QUERIES[name].page for name in PAGED} == {100}


@pytest.mark.parametrize("name", PAGED)
def test_pages_of_a_listing_make_the_whole_answer(name: str, store: Store) -> None:
    """Pages of 7 rows, one after the other until one is not full, give every row of `limit=all`, in its order."""
    query, individuals = QUERIES[name], list(store.individuals())
    everything = store.query(bind(query, {**REQUIRED.get(name, {}), **whole(query)}, individuals)).rows
    assert everything
    pages: list[list[object]] = []
    offset: int | None = 0
    while offset is not None:
        values = {**REQUIRED.get(name, {}), "limit": "7", "offset": str(offset)}
        pages.append(list(store.query(bind(query, values, individuals)).rows))
        offset = next_offset(query, values, len(pages[-1]))
    assert [row for page in pages for row in page] == everything
    assert len(pages) == len(everything) // 7 + 1


def test_the_command_line_notes_the_next_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "groups", "--param", "limit=5", "--param", "offset=5", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 6
    assert err == "rcpgraph query: a page of 5 rows; the next: --param offset=10 (every row: --param limit=all)\n"
    assert main(["query", "groups", "--param", "limit=5", "--param", "offset=10", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert (len(out.splitlines()), err) == (3, "")


def test_the_command_line_refuses_a_bad_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "groups", "--param", "limit=none"]) == 2
    assert capsys.readouterr().err == (
        'rcpgraph query: parameter limit: "none" is not a positive number of rows, or all\n'
    )


def test_the_api_links_the_next_page(client: TestClient) -> None:
    response = client.get("/api/queries/groups", params={"limit": "5", "format": "csv"})
    assert response.status_code == 200
    assert len(response.text.splitlines()) == 6
    assert response.headers["link"] == '</api/queries/groups?limit=5&format=csv&offset=5>; rel="next"'
    last = client.get("/api/queries/groups", params={"limit": "5", "offset": "10", "format": "csv"})
    assert len(last.text.splitlines()) == 3
    assert "link" not in last.headers
    everything = client.get("/api/queries/groups", params={"limit": "all", "format": "csv"})
    assert len(everything.text.splitlines()) == 13
    assert "link" not in everything.headers


def test_the_api_refuses_a_bad_offset(client: TestClient) -> None:
    response = client.get("/api/queries/groups", params={"offset": "first"})
    assert response.status_code == 400
    assert 'parameter offset: "first" is not a number of rows (0 or more)' in response.text


def test_openapi_describes_limit_and_offset(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/queries/groups"]["get"]["parameters"]
    assert parameters[:2] == [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {
                "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["all"]}],
                "description": "rows per page, or all for every row; a full page has a next one (Link: rel=next)",
                "default": 100,
            },
        },
        {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "default": 0}},
    ]
