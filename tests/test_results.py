"""Result formats: the aligned table and the W3C SPARQL 1.1 CSV, TSV, JSON and XML result formats, and the solutions
pyoxigraph writes for the service (read back, the same as ours)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.etree import ElementTree

import pyoxigraph
import pytest
from rdflib import Graph

from rcpgraph import paths
from rcpgraph.errors import InputError
from rcpgraph.paths import query_files
from rcpgraph.sparql.catalogue import bind, catalogue, whole
from rcpgraph.sparql.results import OXIGRAPH_FORMATS, OXIGRAPH_GRAPH_FORMATS, format_result, shorten, text_table
from rcpgraph.sparql.store import OxigraphStore, Result, Written
from rcpgraph.sparql.terms import Term, iri, literal

ID = "https://w3id.org/rcpgraph/id/"
RCP = "https://w3id.org/rcpgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SELECT = Result(
    "select",
    variables=["process", "label", "count", "note", "node", "missing"],
    cells=[
        (
            iri(f"{ID}process/midsa"),
            literal('MIDSA, "Southern"', language="en"),
            literal("14", datatype=f"{XSD}integer"),
            literal("two\nlines\ttab"),
            Term("bnode", "b0"),
            None,
        ),
        (
            iri("http://example.org/x"),
            literal("2007-08", datatype=f"{XSD}gYearMonth"),
            literal("2.5", datatype=f"{XSD}decimal"),
            literal(""),
            iri(f"{RCP}order"),
            None,
        ),
    ],
)
ASK = Result("ask", boolean=True)


def test_table() -> None:
    assert format_result(SELECT, "table") == (
        "process                 label              count  note             node       missing\n"
        "----------------------  -----------------  -----  ---------------  ---------  -------\n"
        'rcpid:process/midsa     MIDSA, "Southern"  14     two\\nlines\\ttab  _:b0\n'
        "<http://example.org/x>  2007-08            2.5                     rcp:order\n"
    )
    assert format_result(ASK, "table") == "boolean\n-------\ntrue\n"
    assert format_result(Result("select", variables=["x"]), "table") == "x\n-\n"


def test_csv() -> None:
    assert format_result(SELECT, "csv") == (
        "process,label,count,note,node,missing\r\n"
        f'{ID}process/midsa,"MIDSA, ""Southern""",14,"two\nlines\ttab",_:b0,\r\n'
        f"http://example.org/x,2007-08,2.5,,{RCP}order,\r\n"
    )


def test_tsv() -> None:
    assert format_result(SELECT, "tsv") == (
        "?process\t?label\t?count\t?note\t?node\t?missing\n"
        f'<{ID}process/midsa>\t"MIDSA, \\"Southern\\""@en\t14\t"two\\nlines\\ttab"\t_:b0\t\n'
        f'<http://example.org/x>\t"2007-08"^^<{XSD}gYearMonth>\t2.5\t""\t<{RCP}order>\t\n'
    )


def test_tsv_writes_numbers_short_only_when_turtle_allows() -> None:
    values = [("-7", "integer"), ("1.5E3", "double"), ("false", "boolean"), ("NaN", "double"), ("5", "positiveInteger")]
    cells = [(literal(value, datatype=f"{XSD}{datatype}"),) for value, datatype in values]
    result = Result("select", variables=["v"], cells=cells)
    assert format_result(result, "tsv").splitlines()[1:] == [
        "-7",
        "1.5E3",
        "false",
        f'"NaN"^^<{XSD}double>',
        f'"5"^^<{XSD}positiveInteger>',
    ]


def test_json() -> None:
    assert json.loads(format_result(SELECT, "json")) == {
        "head": {"vars": ["process", "label", "count", "note", "node", "missing"]},
        "results": {
            "bindings": [
                {
                    "process": {"type": "uri", "value": f"{ID}process/midsa"},
                    "label": {"type": "literal", "value": 'MIDSA, "Southern"', "xml:lang": "en"},
                    "count": {"type": "literal", "value": "14", "datatype": f"{XSD}integer"},
                    "note": {"type": "literal", "value": "two\nlines\ttab"},
                    "node": {"type": "bnode", "value": "b0"},
                },
                {
                    "process": {"type": "uri", "value": "http://example.org/x"},
                    "label": {"type": "literal", "value": "2007-08", "datatype": f"{XSD}gYearMonth"},
                    "count": {"type": "literal", "value": "2.5", "datatype": f"{XSD}decimal"},
                    "note": {"type": "literal", "value": ""},
                    "node": {"type": "uri", "value": f"{RCP}order"},
                },
            ]
        },
    }
    assert json.loads(format_result(ASK, "json")) == {"head": {}, "boolean": True}


def test_json_is_stable_text() -> None:
    text = format_result(SELECT, "json")
    assert text == format_result(SELECT, "json")
    assert text.startswith('{\n  "head": {\n    "vars": [\n      "process",')
    assert text.endswith("}\n")


def test_xml() -> None:
    text = format_result(SELECT, "xml")
    assert text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    )
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == f"{RESULTS_NS}sparql"
    head, results = list(root)
    assert head.tag == f"{RESULTS_NS}head"
    assert [(child.tag, child.attrib) for child in head] == [
        (f"{RESULTS_NS}variable", {"name": name}) for name in SELECT.variables
    ]
    assert results.tag == f"{RESULTS_NS}results"
    solutions = [
        [
            (binding.tag, binding.attrib["name"], term.tag[len(RESULTS_NS) :], term.attrib, term.text or "")
            for binding in result
            for term in binding
        ]
        for result in results
    ]
    binding = f"{RESULTS_NS}binding"
    assert solutions == [
        [
            (binding, "process", "uri", {}, f"{ID}process/midsa"),
            (binding, "label", "literal", {XML_LANG: "en"}, 'MIDSA, "Southern"'),
            (binding, "count", "literal", {"datatype": f"{XSD}integer"}, "14"),
            (binding, "note", "literal", {}, "two\nlines\ttab"),
            (binding, "node", "bnode", {}, "b0"),
        ],
        [
            (binding, "process", "uri", {}, "http://example.org/x"),
            (binding, "label", "literal", {"datatype": f"{XSD}gYearMonth"}, "2007-08"),
            (binding, "count", "literal", {"datatype": f"{XSD}decimal"}, "2.5"),
            (binding, "note", "literal", {}, ""),
            (binding, "node", "uri", {}, f"{RCP}order"),
        ],
    ]
    assert all(result.tag == f"{RESULTS_NS}result" for result in results)


def test_xml_boolean() -> None:
    assert format_result(ASK, "xml") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        "  <head />\n"
        "  <boolean>true</boolean>\n"
        "</sparql>\n"
    )


def graph_result() -> Result:
    """A small CONSTRUCT result."""
    triples = [
        (iri(f"{ID}process/midsa"), iri(f"{RCP}acronym"), literal("MIDSA")),
        (iri(f"{ID}process/apc"), iri(f"{RCP}acronym"), literal("APC")),
    ]
    return Result("graph", triples=triples)


def test_graph_formats() -> None:
    result = graph_result()
    assert format_result(result, "ntriples") == (
        f'<{ID}process/apc> <{RCP}acronym> "APC" .\n<{ID}process/midsa> <{RCP}acronym> "MIDSA" .\n'
    )
    assert format_result(result, "turtle") == (
        f"@prefix rcp: <{RCP}> .\n\n"
        f'<{ID}process/apc> rcp:acronym "APC" .\n\n'
        f'<{ID}process/midsa> rcp:acronym "MIDSA" .\n\n'
    )
    assert json.loads(format_result(result, "jsonld")) == {
        "@context": {"rcp": RCP, "rcpid": ID},
        "@graph": [
            {"@id": f"{ID}process/apc", "rcp:acronym": "APC"},
            {"@id": f"{ID}process/midsa", "rcp:acronym": "MIDSA"},
        ],
    }


@pytest.mark.parametrize(
    ("result", "fmt", "message"),
    [
        (SELECT, "turtle", "format turtle does not fit a SELECT result (use table, csv, tsv, json, xml)"),
        (ASK, "turtle", "format turtle does not fit an ASK result (use table, json, xml, csv, tsv)"),
        (
            graph_result(),
            "table",
            "format table does not fit a CONSTRUCT or DESCRIBE result (use turtle, ntriples, jsonld, rdfxml)",
        ),
    ],
)
def test_formats_that_do_not_fit(result: Result, fmt: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        format_result(result, fmt)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        (f"{ID}process/midsa", "rcpid:process/midsa"),
        (f"{RCP}RegionalConsultativeProcess", "rcp:RegionalConsultativeProcess"),
        ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
        ("http://example.org/x", "<http://example.org/x>"),
        (ID, f"<{ID}>"),
    ],
)
def test_shorten(iri: str, short: str) -> None:
    assert shorten(iri) == short


def test_text_table() -> None:
    assert text_table(["a", "long name"], [["xyz", ""], ["", "v"]]) == "a    long name\n---  ---------\nxyz\n     v\n"


RELEASE = paths.locate().release_dir
NEEDED = {
    "cell": {"process": "midsa", "dimension": "capacity-building"},
    "status-by-dimension": {"dimension": "capacity-building", "status": "answered"},
}
EDGES = (
    "SELECT * WHERE {}",
    "SELECT ?x WHERE { FILTER(false) }",
    "SELECT ?a ?b WHERE { VALUES (?a ?b) { (UNDEF UNDEF) (1 UNDEF) (UNDEF '') ('' '') } }",
    'SELECT ?x WHERE { VALUES ?x { "a\\tb\\nc\\\\ \\"q\\" <&> \\u00e9\\r" "x"@en-GB "ü"@de "" } }',
    f'SELECT ?x WHERE {{ VALUES ?x {{ "01"^^<{XSD}integer> "+1"^^<{XSD}integer> -5 1.50 .5 1e3 "1E0"^^<{XSD}double> '
    f'"NaN"^^<{XSD}double> true "zz"^^<{XSD}integer> "2007-08"^^<{XSD}gYearMonth> "x"^^<http://example.org/t> }} }}',
    "SELECT ?b ?i WHERE { BIND(BNODE('k') AS ?b) BIND(<http://example.org/a%20b#c> AS ?i) }",
)


def _stored_texts(store: OxigraphStore) -> list[str]:
    """Every stored query with its defaults (every row of a paged one), the two that need values given some."""
    queries = catalogue(paths.locate().queries_dir)
    individuals = sorted(set(store.individuals()))
    return [bind(query, {**whole(query), **NEEDED.get(name, {})}, individuals) for name, query in queries.items()]


@pytest.fixture(scope="module")
def release_store() -> OxigraphStore:
    """The release in pyoxigraph, as a worker of the service holds it."""
    return OxigraphStore(query_files(RELEASE))


def _parsed(body: bytes, fmt: str) -> object:
    """SPARQL results read back: JSON as its objects, XML as variables and rows of (element, text, attributes) by
    variable, TSV by pyoxigraph's reader as variables and rows of terms."""
    if fmt == "json":
        return json.loads(body)
    if fmt == "xml":
        root = ElementTree.fromstring(body)
        variables = [element.get("name") for element in root.iter(f"{RESULTS_NS}variable")]
        rows = [
            {
                binding.get("name"): [(term.tag, term.text or "", sorted(term.attrib.items())) for term in binding]
                for binding in solution
            }
            for solution in root.iter(f"{RESULTS_NS}result")
        ]
        return variables, rows
    solutions = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.TSV)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return names, [tuple(solution[name] for name in names) for solution in solutions]


def _both_written(store: OxigraphStore, texts: Sequence[str], kind: str, fmt: str) -> list[tuple[str, Written, Result]]:
    """For each of `texts` answering `kind`, uncapped and capped at 3: what pyoxigraph writes in `fmt` (its kind,
    format and cut checked, the same when asked again), and the Result our writer writes from."""
    pairs = []
    for text in texts:
        for max_rows in (None, 3):
            result = store.query(text, max_rows=max_rows)
            if result.kind != kind:
                continue
            written = store.written(text, {kind: fmt}, max_rows=max_rows)
            assert isinstance(written, Written)
            assert (written.kind, written.fmt, written.truncation) == (kind, fmt, result.truncation())
            assert store.written(text, {kind: fmt}, max_rows=max_rows) == written
            pairs.append((text, written, result))
    return pairs


@pytest.mark.parametrize("fmt", OXIGRAPH_FORMATS)
def test_pyoxigraph_writes_every_stored_answer_as_our_writer_does(release_store: OxigraphStore, fmt: str) -> None:
    texts = _stored_texts(release_store)
    pairs = _both_written(release_store, (*texts, *EDGES), "select", fmt)
    for text, written, result in pairs:
        assert _parsed(written.body, fmt) == _parsed(format_result(result, fmt).encode("utf-8"), fmt), text
    assert (len(texts), len(pairs)) == (33, 2 * (32 + len(EDGES)))


def test_the_row_cap_cuts_what_pyoxigraph_writes(release_store: OxigraphStore) -> None:
    text = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    assert release_store.written(text, {"select": "tsv"}, max_rows=2) == Written(
        "select", "tsv", b"?n\n1\n2\n", "result truncated to 2 of 3 rows"
    )
    assert release_store.written(text, {"select": "json"}, max_rows=3) == Written(
        "select",
        "json",
        b'{"head":{"vars":["n"]},"results":{"bindings":['
        + b",".join(
            b'{"n":{"type":"literal","value":"%d","datatype":"%sinteger"}}' % (n, XSD.encode()) for n in (1, 2, 3)
        )
        + b"]}}",
        None,
    )


def test_csv_and_the_table_are_written_by_our_writer(release_store: OxigraphStore) -> None:
    text = "SELECT ?x WHERE { VALUES ?x { '' } }"
    for fmt, body in (("csv", b'x\r\n""\r\n'), ("table", b"x\n-\n\n")):
        assert release_store.written(text, {"select": fmt}) == Written("select", fmt, body, None)


RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt"}
GRAPH_EDGES = (
    'CONSTRUCT { <http://example.org/s> <http://example.org/p> ?x } WHERE { VALUES ?x { "a\\tb\\nc\\\\ \\"q\\" <&> '
    '\\u00e9\\r" "x"@en-GB "" 1.50 1e3 "x"^^<http://example.org/t> <http://example.org/a%20b#c> } }',
    "CONSTRUCT WHERE { ?s a ?type } ORDER BY ?s LIMIT 0",
)


@pytest.mark.parametrize("fmt", OXIGRAPH_GRAPH_FORMATS)
def test_pyoxigraph_writes_every_stored_graph_answer_as_our_writer_does(release_store: OxigraphStore, fmt: str) -> None:
    pairs = _both_written(release_store, (*_stored_texts(release_store), *GRAPH_EDGES), "graph", fmt)
    for text, written, result in pairs:
        ours = Graph().parse(data=format_result(result, fmt), format=RDFLIB_FORMATS[fmt])
        theirs = Graph().parse(data=written.body, format=RDFLIB_FORMATS[fmt])
        assert set(theirs) == set(ours), text
    assert len(pairs) == 2 * (1 + len(GRAPH_EDGES))


def test_the_triple_cap_and_the_order_of_what_pyoxigraph_writes(release_store: OxigraphStore) -> None:
    text = "CONSTRUCT { ?s <http://example.org/p> ?n } WHERE { VALUES (?s ?n) { (<http://example.org/b> 2) " + (
        "(<http://example.org/a> 1) (<http://example.org/c> 3) (<http://example.org/a> 1) } }"
    )
    assert release_store.written(text, {"graph": "ntriples"}, max_rows=2) == Written(
        "graph",
        "ntriples",
        b'<http://example.org/a> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        b'<http://example.org/b> <http://example.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
        "result truncated to 2 of 3 triples",
    )


def test_a_graph_answer_with_a_blank_node_is_written_by_our_writer(release_store: OxigraphStore) -> None:
    text = "CONSTRUCT { _:n <http://example.org/p> 1 } WHERE {}"
    assert release_store.written(text, {"graph": "ntriples"}) == Written(
        "graph", "ntriples", b'_:b0 <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n', None
    )
