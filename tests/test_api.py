"""The Python API: `rcpgraph.open()`, stored and ad-hoc queries, plain values, the same limits as the command line."""

from __future__ import annotations

import datetime
import doctest
import os
import subprocess
import sys
import types
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import rcpgraph
from rcpgraph import api, rdfio
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.pipeline import release, validation

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini-release"
ID = "https://w3id.org/rcpgraph/id/"
RCP = "https://w3id.org/rcpgraph/ontology#"
ENGINES = ("oxigraph", "rdflib")
GROUPS = [
    (1, "thematic", "midsa", "Migration Dialogue for Southern Africa", "MIDSA"),
    (1, "thematic", "midwa", "Migration Dialogue for West Africa", "MIDWA"),
    (
        1,
        "thematic",
        "colombo-process",
        "Ministerial Consultations on Overseas Employment and Contractual Labour for Countries of Origin in Asia",
        None,
    ),
    (2, "ad-hoc", "igc", "Intergovernmental Consultations on Migration, Asylum and Refugees", "IGC"),
    (3, "without-development", "apc", "Asia-Pacific Consultations on Refugees, Displaced Persons and Migrants", "APC"),
]


@pytest.fixture(params=ENGINES)
def kg(request: pytest.FixtureRequest) -> rcpgraph.KnowledgeGraph:
    """The miniature release, on each engine."""
    return rcpgraph.open(MINI, engine=request.param)


def test_the_doctests_run() -> None:
    failed, attempted = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert (failed, attempted >= 15) == (0, True)


def test_import_is_cheap() -> None:
    heavy = {"rdflib", "pyoxigraph", "pyshacl", "yaml", "pandas", "multiprocessing"}
    code = f"import sys, rcpgraph; print(sorted({{name.split('.')[0] for name in sys.modules}} & {heavy!r}))"
    env = {**os.environ, "PYTHONPATH": str(Path(rcpgraph.__file__).resolve().parents[1])}
    loaded = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert loaded == "[]\n"


def test_open_finds_the_checkout_release() -> None:
    kg = rcpgraph.open()
    assert kg.release == ROOT / "data" / "release"
    assert (kg.engine, kg.timeout, kg.max_rows) == ("oxigraph", 30.0, 10000)


def test_rows_hold_plain_python_values(kg: rcpgraph.KnowledgeGraph) -> None:
    rows = kg.query("groups")
    assert isinstance(rows, rcpgraph.Rows)
    assert rows.variables == ["group", "priority", "process", "label", "acronym"]
    assert (len(rows), rows.truncated, rows.total) == (5, False, 5)
    expected = [
        {
            "group": group,
            "priority": f"{ID}priority/{priority}",
            "process": f"{ID}process/{process}",
            "label": label,
            "acronym": acronym,
        }
        for group, priority, process, label, acronym in GROUPS
    ]
    assert rows.to_dicts() == expected
    assert [row.to_dict() for row in rows] == expected
    first = rows[0]
    assert isinstance(first, rcpgraph.Row)
    assert (list(first), len(first), first["group"], first.get("acronym")) == (rows.variables, 5, 1, "MIDSA")
    assert rows[2]["acronym"] is None
    assert [row["process"] for row in rows[3:]] == [f"{ID}process/igc", f"{ID}process/apc"]


def test_csv_is_what_the_command_line_writes(capsys: pytest.CaptureFixture[str], kg: rcpgraph.KnowledgeGraph) -> None:
    main(["query", "groups", "--format", "csv", "--release", str(MINI)])
    assert kg.query("groups").to_csv() == capsys.readouterr().out


def test_stored_query_with_parameters(kg: rcpgraph.KnowledgeGraph) -> None:
    rows = kg.query("cell", process="apc", dimension="gfmd-link")
    assert [(row["status"], row["line"], row["field"]) for row in rows] == [
        (f"{ID}status/answered", 20, 8),
        (f"{ID}status/answered", 21, 0),
    ]


def test_ad_hoc_queries(kg: rcpgraph.KnowledgeGraph) -> None:
    sparql = f"SELECT ?p WHERE {{ ?p <{RCP}acronym> ?a ; <{RCP}order> ?o FILTER(?o > ?_above_integer) }} ORDER BY ?o"
    above = kg.sparql(sparql, above=3)
    assert [row["p"] for row in above] == [f"{ID}process/igc", f"{ID}process/apc"]
    assert kg.sparql(f"ASK {{ ?p <{RCP}acronym> 'APC' }}") is True
    assert kg.sparql(f"ASK {{ ?p <{RCP}acronym> 'XYZ' }}") is False
    graph = kg.sparql(f"CONSTRUCT {{ ?p <{RCP}acronym> ?a }} WHERE {{ ?p <{RCP}acronym> ?a }}")
    assert isinstance(graph, Graph)
    assert len(graph) == 5
    assert dict(graph.namespaces())["rcp"] == URIRef(RCP)


def test_parameter_values_and_literals_round_trip(kg: rcpgraph.KnowledgeGraph) -> None:
    sparql = (
        "SELECT (?_day_date AS ?day) (?_flag_boolean AS ?flag) (?_share_decimal AS ?share) (?_name AS ?name) "
        "(<urn:x> AS ?iri) (BNODE() AS ?node) WHERE {}"
    )
    row = kg.sparql(sparql, day=datetime.date(2006, 5, 1), flag=False, share="2.5", name="Quito")[0]
    assert {name: row[name] for name in ("day", "flag", "share", "name", "iri")} == {
        "day": datetime.date(2006, 5, 1),
        "flag": False,
        "share": Decimal("2.5"),
        "name": "Quito",
        "iri": "urn:x",
    }
    assert str(row["node"]).startswith("_:")


def test_a_slug_resolves_only_within_its_kind(kg: rcpgraph.KnowledgeGraph) -> None:
    with pytest.raises(InputError) as wrong:
        kg.query("process-report", process="research")
    assert str(wrong.value) == 'parameter process: no process is named "research" (dimension/research is a dimension)'
    with pytest.raises(InputError) as near:
        kg.query("process-report", process="colombo")
    assert str(near.value) == 'parameter process: no process is named "colombo" (did you mean colombo-process?)'
    assert (
        len(kg.query("rows-mentioning", organisation="colombo-process")) == 0
    )  # a process is taken, and named by none


def test_errors_are_the_command_lines(kg: rcpgraph.KnowledgeGraph) -> None:
    with pytest.raises(InputError, match=r'^unknown query "grups"; did you mean groups\?$'):
        kg.query("grups")
    with pytest.raises(InputError, match=r"^missing required parameter dimension \(iri\) for query cell$"):
        kg.query("cell", process="sacm")
    with pytest.raises(InputError, match=r'^parameter above: "two" is not an integer$'):
        kg.sparql("SELECT * WHERE { ?s ?p ?o FILTER(?o > ?_above_integer) }", above="two")
    with pytest.raises(InputError) as caught:
        kg.sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert str(caught.value) == "<sparql>:1:18: SERVICE is not allowed: queries run over the release only"
    with pytest.raises(InputError) as caught:
        kg.sparql("DROP ALL")
    assert str(caught.value) == "<sparql>:1:1: updates are not allowed (DROP): the release is read-only"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_timeout_stops_the_query(engine: str) -> None:
    kg = rcpgraph.open(MINI, engine=engine, timeout=0.5)
    with pytest.raises(rcpgraph.QueryTimeout) as caught:
        kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }")
    assert str(caught.value) == "query timed out after 0.5 s"
    assert kg.sparql("ASK { ?s ?p ?o }") is True  # the worker killed at the deadline was replaced


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cut_result_says_so_and_warns(engine: str) -> None:
    kg = rcpgraph.open(MINI, engine=engine, max_rows=2)
    with pytest.warns(rcpgraph.TruncatedResult, match=r"^result truncated to 2 of 5 rows$"):
        rows = kg.query("groups")
    assert (len(rows), rows.truncated, rows.total) == (2, True, 5)
    assert repr(rows) == "<Rows: 2 rows of group, priority, process, label, acronym, truncated from 5>"
    with pytest.warns(rcpgraph.TruncatedResult, match=r"^result truncated to 2 of 5 triples$"):
        graph = kg.sparql(f"CONSTRUCT {{ ?p <{RCP}acronym> ?a }} WHERE {{ ?p <{RCP}acronym> ?a }}")
    assert len(graph) == 2


def test_no_limits(recwarn: pytest.WarningsRecorder) -> None:
    kg = rcpgraph.open(MINI, timeout=None, max_rows=None)
    statistics = rdfio.parse_file(MINI / "void.ttl")
    assert len(kg.sparql("SELECT * WHERE { ?s ?p ?o }")) == len(release.load(MINI) + statistics)
    assert not recwarn.list


def test_dataframe_needs_pandas(monkeypatch: pytest.MonkeyPatch, kg: rcpgraph.KnowledgeGraph) -> None:
    rows = kg.query("groups")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as caught:
        rows.to_dataframe()
    assert str(caught.value) == "Rows.to_dataframe() needs pandas, which rcpgraph does not install: pip install pandas"


def test_dataframe_has_a_column_per_variable(monkeypatch: pytest.MonkeyPatch, kg: rcpgraph.KnowledgeGraph) -> None:
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda data, columns: ("DataFrame", data, columns)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pandas", fake)
    rows = kg.query("groups")
    assert rows.to_dataframe() == ("DataFrame", rows.to_dicts(), rows.variables)


def test_dataframe_with_pandas(kg: rcpgraph.KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    frame = kg.query("groups").to_dataframe()
    assert list(frame.columns) == ["group", "priority", "process", "label", "acronym"]
    assert frame["acronym"].tolist()[:2] == ["MIDSA", "MIDWA"]


def test_graph_is_the_release_loaded_once(kg: rcpgraph.KnowledgeGraph) -> None:
    graph = kg.graph
    assert graph is kg.graph
    assert set(graph) == set(release.load(MINI))


def test_validate_gives_the_report_of_the_command_line(
    capsys: pytest.CaptureFixture[str], kg: rcpgraph.KnowledgeGraph
) -> None:
    report = kg.validate()
    assert isinstance(report, validation.Report)
    code = main(["validate", str(MINI / "rcpgraph.ttl"), str(MINI / "rcpgraph-inferred.ttl")])
    assert (validation.format_report(report), 0 if report.conforms else 1) == (capsys.readouterr().out, code)


def test_queries_is_the_catalogue(kg: rcpgraph.KnowledgeGraph) -> None:
    assert kg.queries["groups"].summary == "Regional consultative processes by thematic-priority group (CQ1)"
    assert list(kg.queries) == sorted(path.stem for path in (ROOT / "queries").glob("*.rq"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"timeout": 0}, "timeout must be a number of seconds above 0, or None, not 0"),
        ({"timeout": float("inf")}, "timeout must be a number of seconds above 0, or None, not inf"),
        ({"max_rows": 0}, "max_rows must be at least 1, or None, not 0"),
    ],
)
def test_bad_limits(arguments: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        rcpgraph.open(MINI, **arguments)
    assert str(caught.value) == message


def test_bad_engine_and_missing_release(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^unknown engine virtuoso \(use oxigraph or rdflib\)$"):
        rcpgraph.open(MINI, engine="virtuoso")
    with pytest.raises(InputError) as caught:
        rcpgraph.open(str(tmp_path))
    assert str(caught.value) == f"release not found: {tmp_path / 'rcpgraph.ttl'} (run `rcpgraph build`)"
