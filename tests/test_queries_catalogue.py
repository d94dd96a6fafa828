"""The stored-query catalogue: `#+` headers, parameters, and binding values safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph.errors import InputError
from rcpgraph.sparql.catalogue import Parameter, StoredQuery, bind, catalogue, find, load, sparql_string
from rcpgraph.sparql.lexer import keywords
from rcpgraph.sparql.store import open_store

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini-release"
ID = "https://w3id.org/rcpgraph/id/"
INDIVIDUALS = [
    f"{ID}process/midsa",
    f"{ID}process/gfmd",
    f"{ID}dimension/research",
    f"{ID}dimension/gfmd-link",
    f"{ID}response/midsa/research",
    f"{ID}response/midsa/gfmd-link",
    f"{ID}status/no-response-given",
    f"{ID}theme/remittances",
    f"{ID}document/remittances",
]


def write(folder: Path, name: str, text: str) -> Path:
    """Write one query file and return its path."""
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def query(tmp_path: Path, body: str, header: str = "#+ summary: a test query\n") -> StoredQuery:
    """Load a query made of `header` and `body`."""
    return load(write(tmp_path, "test", header + body))


def test_header_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "by-basis",
        "#+ summary: Processes by basis\n"
        "#+ description: >\n"
        "#+   Two lines\n"
        "#+   of text.\n"
        "#+ tags:\n"
        "#+   - processes\n"
        "#+   - cq\n"
        "#+ defaults:\n"
        "#+   basis: primary-sources\n"
        "#+ enumerate:\n"
        "#+   - basis\n"
        "#+ endpoint_in_url: false\n"
        "SELECT ?p WHERE { ?p <https://w3id.org/rcpgraph/ontology#informationBasis> ?_basis_iri }\n",
    )
    stored = load(path)
    assert stored.name == "by-basis"
    assert stored.path == path
    assert stored.summary == "Processes by basis"
    assert stored.description == "Two lines of text."
    assert stored.tags == ["processes", "cq"]
    assert stored.parameters == [Parameter("basis", "iri", True, "primary-sources")]
    assert stored.sparql == path.read_text(encoding="utf-8")


def test_parameter_names_types_and_order(tmp_path: Path) -> None:
    stored = query(
        tmp_path,
        "# ?_in_comment\n"
        "SELECT * WHERE {\n"
        "  ?_process_iri ?p ?__year_integer , ?_words , $_flag_boolean .\n"
        '  ?s ?q ?_label_en , ?__first_name , ?_day_date , ?_share_decimal , "?_in_string" .\n'
        "  ?s <http://example.org/?_in_iri> ?_process_iri . ?s ?p ?plain , ?___odd , ?_9 .\n"
        "}\n",
    )
    assert stored.parameters == [
        Parameter("process", "iri", True),
        Parameter("year", "integer", False),
        Parameter("words", "literal", True),
        Parameter("flag", "boolean", True),
        Parameter("label", "en", True),
        Parameter("first_name", "literal", False),
        Parameter("day", "date", True),
        Parameter("share", "decimal", True),
    ]


def test_a_parameter_declared_twice_differently(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        query(tmp_path, "SELECT * WHERE {\n  ?s ?_x_iri ?_x_integer }\n")
    assert str(caught.value) == f"{tmp_path / 'test.rq'}:3:14: parameter x is declared twice, differently"


def test_a_default_for_an_unknown_parameter(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        query(tmp_path, "SELECT * WHERE { ?s ?p ?_x }\n", "#+ summary: s\n#+ defaults:\n#+   y: 1\n")
    assert str(caught.value) == f"{tmp_path / 'test.rq'}:2: default for unknown parameter y"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "#+ summary: ok\n#+ tags: [a, b\n#+ description: x\n",
            "3:15: invalid YAML in the #+ header: expected ',' or ']', but got ':'",
        ),
        (
            "#+ summary: ok\n#+ description: x: y\n",
            "2:18: invalid YAML in the #+ header: mapping values are not allowed here",
        ),
        (
            "#+ summary: s\n#+ defaults:\n#+   x: 1\n#+ summary: t\n",
            "4:4: invalid YAML in the #+ header: duplicate key 'summary'",
        ),
        ("#+ summary: s\n#+ defaults: {x: 1, x: 2}\n", "2:21: invalid YAML in the #+ header: duplicate key 'x'"),
        ("#+ summary: s\n#+ ? [tags]\n#+ : x\n", "2:6: invalid YAML in the #+ header: expected a key, not a list"),
        ("#+ summary: s\n#+ description: [x]\n", "2: the #+ header's description must be text"),
        ("#+ - a list\n", "1: the #+ header must be a YAML mapping"),
        ("#+ description: no summary\n", "1: the #+ header needs a summary"),
        ("#+ summary: s\n#+ tags: one\n", "2: the #+ header's tags must be a list of text"),
        ("#+ summary: s\n#+ defaults: [a]\n", "2: the #+ header's defaults must map parameter names to values"),
        ("#+ summary: s\n#+ kinds: [a]\n", "2: the #+ header's kinds must map parameter names to lists of folders"),
        (
            "#+ summary: s\n#+ kinds: {x: place}\n",
            "2: the #+ header's kinds must map parameter names to lists of folders",
        ),
        (
            "#+ summary: s\n#+ kinds: {x: [Place]}\n",
            "2: the #+ header's kinds must map parameter names to lists of folders",
        ),
        ("#+ summary: s\n#+ kinds:\n#+   o: [place]\n", "2: kinds for o, which is no IRI parameter"),
    ],
)
def test_bad_headers_name_the_file_and_line(tmp_path: Path, header: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        query(tmp_path, "SELECT * WHERE { ?s ?p ?o }\n", header)
    assert str(caught.value) == f"{tmp_path / 'test.rq'}:{message}"


def test_a_file_without_header_needs_no_summary_when_not_required(tmp_path: Path) -> None:
    stored = load(write(tmp_path, "adhoc", "SELECT * WHERE { ?s ?p ?o }\n"), require_summary=False)
    assert (stored.summary, stored.description, stored.tags, stored.parameters) == ("", "", [], [])


def test_the_stored_queries() -> None:
    queries = catalogue(ROOT / "queries")
    assert list(queries) == sorted(queries)
    assert {
        "by-information-basis",
        "cell",
        "completeness-matrix",
        "groups",
        "status-by-dimension",
        "status-counts",
    } <= set(queries)
    paging = [Parameter("limit", "page", False, "100"), Parameter("offset", "integer", False, "0")]
    assert queries["status-by-dimension"].parameters == [
        Parameter("dimension", "iri", True),
        Parameter("status", "iri", True),
        *paging,
    ]
    assert queries["cell"].parameters == [Parameter("process", "iri", True), Parameter("dimension", "iri", True)]
    assert queries["by-information-basis"].parameters == [Parameter("basis", "iri", True, "primary-sources"), *paging]
    assert queries["rows-mentioning"].parameters == [
        Parameter("organisation", "iri", True, "iom", ("organisation", "process", "place"))
    ]
    assert all(query.summary and query.description and query.tags for query in queries.values())


def test_catalogue_of_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        catalogue(tmp_path / "nowhere")
    assert str(caught.value) == f"query folder not found: {tmp_path / 'nowhere'}"


def test_unknown_query_names_the_closest(tmp_path: Path) -> None:
    for name in ("status-counts", "status-by-dimension", "groups", "cell"):
        write(tmp_path, name, "#+ summary: s\nASK {}\n")
    queries = catalogue(tmp_path)
    assert find(queries, "groups").name == "groups"
    with pytest.raises(InputError) as caught:
        find(queries, "status-count")
    assert str(caught.value) == 'unknown query "status-count"; did you mean status-counts, status-by-dimension?'
    with pytest.raises(InputError) as caught:
        find(queries, "xyzzy")
    assert (
        str(caught.value) == 'unknown query "xyzzy"; stored queries: cell, groups, status-by-dimension, status-counts'
    )
    with pytest.raises(InputError) as caught:
        find(queries, "status")  # a word of their names
    assert str(caught.value) == 'unknown query "status"; did you mean status-by-dimension, status-counts?'


def test_bind_writes_each_type_as_a_term(tmp_path: Path) -> None:
    stored = query(
        tmp_path,
        "SELECT * WHERE { ?s ?p ?_node_iri , ?_n_integer , ?_w , ?_t_en , ?_b_boolean , ?_d_date , ?_x_decimal }\n",
    )
    values = {
        "node": "process/midsa",
        "n": "+014",
        "w": "a b",
        "t": "text",
        "b": "true",
        "d": "2004-12-18",
        "x": "2.50",
    }
    assert bind(stored, values, INDIVIDUALS).splitlines()[1] == (
        'SELECT * WHERE { ?s ?p <https://w3id.org/rcpgraph/id/process/midsa> , 14 , "a b" , "text"@en , true , '
        '"2004-12-18"^^<http://www.w3.org/2001/XMLSchema#date> , "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal> }'
    )


def test_bind_uses_defaults_and_leaves_optional_parameters_unbound(tmp_path: Path) -> None:
    stored = query(
        tmp_path,
        "SELECT * WHERE { ?s ?p ?_basis_iri , ?__year_integer }\n",
        "#+ summary: s\n#+ defaults:\n#+   basis: x:y\n",
    )
    assert bind(stored, {}).splitlines()[-1] == "SELECT * WHERE { ?s ?p <x:y> , ?__year_integer }"
    assert (
        bind(stored, {"basis": "urn:z", "year": "2006"}).splitlines()[-1] == "SELECT * WHERE { ?s ?p <urn:z> , 2006 }"
    )


@pytest.mark.parametrize(
    ("parameter", "value", "iri"),
    [
        ("process", "midsa", "process/midsa"),
        ("dimension", "gfmd-link", "dimension/gfmd-link"),
        ("status", "no-response-given", "status/no-response-given"),
        ("column", "research", "dimension/research"),
        ("theme", "remittances", "theme/remittances"),
        ("process", "https://example.org/other", None),
        ("process", "process/midsa", "process/midsa"),
    ],
)
def test_iri_values_resolve(tmp_path: Path, parameter: str, value: str, iri: str | None) -> None:
    stored = query(tmp_path, f"SELECT * WHERE {{ ?s ?p ?_{parameter}_iri }}\n")
    expected = f"<{ID}{iri}>" if iri else f"<{value}>"
    assert bind(stored, {parameter: value}, INDIVIDUALS).splitlines()[-1] == f"SELECT * WHERE {{ ?s ?p {expected} }}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nosuch", 'parameter node: no individual is named "nosuch"'),
        (
            "remitances",
            'parameter node: no individual is named "remitances" (did you mean document/remittances, '
            "theme/remittances?)",
        ),
        ("process/nowhere", 'parameter node: no individual is named "process/nowhere"'),
        ("process/midsaa", 'parameter node: no individual is named "process/midsaa" (did you mean process/midsa?)'),
        ("remittances", 'parameter node: "remittances" is ambiguous: document/remittances, theme/remittances'),
        (
            "http://x> } ; DROP ALL ; <y:",
            'parameter node: "http://x> } ; DROP ALL ; <y:" is not an IRI, a path such as process/midsa or a slug',
        ),
        ("process/../x", 'parameter node: "process/../x" is not an IRI, a path such as process/midsa or a slug'),
        ("a b", 'parameter node: "a b" is not an IRI, a path such as process/midsa or a slug'),
    ],
)
def test_bad_iri_values(tmp_path: Path, value: str, message: str) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?p ?_node_iri }\n")
    with pytest.raises(InputError) as caught:
        bind(stored, {"node": value}, INDIVIDUALS)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "remittances",
            'parameter process: no process is named "remittances" '
            "(document/remittances is a document; theme/remittances is a theme)",
        ),
        ("mids", 'parameter process: no process is named "mids" (did you mean midsa?)'),
        ("research", 'parameter process: no process is named "research" (dimension/research is a dimension)'),
        ("theme/remittances", 'parameter process: "theme/remittances" is not a process'),
        ("process/midsaa", 'parameter process: no individual is named "process/midsaa" (did you mean process/midsa?)'),
    ],
)
def test_a_slug_resolves_only_within_its_kind(tmp_path: Path, value: str, message: str) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?p ?_process_iri }\n")
    with pytest.raises(InputError) as caught:
        bind(stored, {"process": value}, INDIVIDUALS)
    assert str(caught.value) == message


SEVERAL = "#+ summary: s\n#+ kinds: {node: [process, theme]}\n"


@pytest.mark.parametrize(
    ("value", "iri"),
    [("midsa", "process/midsa"), ("remittances", "theme/remittances"), ("theme/remittances", "theme/remittances")],
)
def test_a_parameter_of_several_kinds_takes_each(tmp_path: Path, value: str, iri: str) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?p ?_node_iri }\n", SEVERAL)
    assert bind(stored, {"node": value}, INDIVIDUALS).splitlines()[-1] == f"SELECT * WHERE {{ ?s ?p <{ID}{iri}> }}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("document/remittances", 'parameter node: "document/remittances" is not a process or theme'),
        ("research", 'parameter node: no process or theme is named "research" (dimension/research is a dimension)'),
        ("remitances", 'parameter node: no process or theme is named "remitances" (did you mean theme/remittances?)'),
    ],
)
def test_a_parameter_of_several_kinds_refuses_the_others(tmp_path: Path, value: str, message: str) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?p ?_node_iri }\n", SEVERAL)
    with pytest.raises(InputError) as caught:
        bind(stored, {"node": value}, INDIVIDUALS)
    assert str(caught.value) == message


def test_a_slug_in_two_kinds_takes_the_first_listed(tmp_path: Path) -> None:
    stored = query(
        tmp_path, "SELECT * WHERE { ?s ?p ?_node_iri }\n", "#+ summary: s\n#+ kinds: {node: [theme, document]}\n"
    )
    assert bind(stored, {"node": "remittances"}, INDIVIDUALS).splitlines()[-1] == (
        "SELECT * WHERE { ?s ?p <https://w3id.org/rcpgraph/id/theme/remittances> }"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("?_year_integer", "12a", 'parameter year: "12a" is not an integer'),
        ("?_year_integer", "1 } ; DROP ALL", 'parameter year: "1 } ; DROP ALL" is not an integer'),
        ("?_day_date", "2007-02-30", 'parameter day: "2007-02-30" is not a date'),
        ("?_on_boolean", "yes", 'parameter on: "yes" is not a boolean'),
        ("?_share_decimal", "1e3", 'parameter share: "1e3" is not a decimal'),
    ],
)
def test_values_that_do_not_fit_their_type(tmp_path: Path, variable: str, value: str, message: str) -> None:
    stored = query(tmp_path, f"SELECT * WHERE {{ ?s ?p {variable} }}\n")
    with pytest.raises(InputError) as caught:
        bind(stored, {variable.split("_")[1]: value})
    assert str(caught.value) == message


def test_missing_and_unknown_parameters(tmp_path: Path) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?_p_iri ?_o }\n")
    with pytest.raises(InputError) as caught:
        bind(stored, {"o": "x"})
    assert str(caught.value) == "missing required parameter p (iri) for query test"
    with pytest.raises(InputError) as caught:
        bind(stored, {"o": "x", "p": "urn:p", "colour": "red", "size": "1"})
    assert str(caught.value) == "unknown parameter colour, size for query test (parameters: p, o)"
    plain = query(tmp_path, "SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError) as caught:
        bind(plain, {"o": "x"})
    assert str(caught.value) == "unknown parameter o for query test (parameters: none)"


class Unreadable:
    """Individuals that must not be read."""

    def __iter__(self) -> None:
        raise AssertionError("individuals were read")


def test_individuals_are_not_read_for_a_full_iri(tmp_path: Path) -> None:
    stored = query(tmp_path, "SELECT * WHERE { ?s ?p ?_node_iri }\n")
    bound = bind(stored, {"node": f"{ID}process/nowhere"}, Unreadable())
    assert bound.splitlines()[-1] == f"SELECT * WHERE {{ ?s ?p <{ID}process/nowhere> }}"


def test_sparql_string_escapes() -> None:
    assert sparql_string('say "hi"\n\tback\\slash\r') == '"say \\"hi\\"\\n\\tback\\\\slash\\r"'
    assert sparql_string("\\u0022") == '"\\\\\\U00000075' + '0022"'


INJECTIONS = [
    '" } ; DROP ALL ; SELECT * { "',
    "\\u0022 } ; DROP ALL",
    "\\\\\\U00000022 } DROP",
    "''' } DROP '''",
    "line\nbreak\r\ttab # not a comment",
    "ü 😀 \\",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_literal_value_stays_one_literal(tmp_path: Path, value: str) -> None:
    stored = query(tmp_path, "SELECT ?x ?y WHERE { BIND(?_words AS ?x) BIND(?_text_en AS ?y) }\n")
    sparql = bind(stored, {"words": value, "text": value})
    assert "DROP" not in [word for word, _ in keywords(sparql)]
    for engine in ("oxigraph", "rdflib"):
        result = open_store([MINI / "rcpgraph.ttl"], engine).query(sparql)
        assert [(str(x), str(y), y.language) for x, y in result.rows] == [(value, value, "en")]
