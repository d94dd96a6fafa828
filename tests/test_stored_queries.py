"""The stored-query library over the real release: its catalogue, both engines' agreement on every
query, and the answers of the analysts' queries, checked against values computed from the graph in Python."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from rcpgraph import vocabulary
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.paths import query_files
from rcpgraph.sparql.catalogue import StoredQuery, bind, catalogue
from rcpgraph.sparql.lexer import keywords
from rcpgraph.sparql.store import Result, Store, open_store
from rcpgraph.vocabulary import OA, ORG, RCP, RCPID

ROOT = Path(__file__).resolve().parents[1]
RELEASE = query_files(ROOT / "data" / "release")
GRAPHS = RELEASE[:2]  # the asserted and the inferred graph, without the statistics (void.ttl)
QUERIES = catalogue(ROOT / "queries")
ENGINES = ("oxigraph", "rdflib")
# Values for the required parameters that have no default.
REQUIRED = {
    "cell": {"process": "sacm", "dimension": "founding-documents"},
    "status-by-dimension": {"dimension": "gfmd-link", "status": "no-response-given"},
}
Row = dict[str, Node]
Ask = Callable[..., list[Row]]


@pytest.fixture(scope="module")
def stores() -> dict[str, Store]:
    """The release loaded once into each engine."""
    return {engine: open_store(RELEASE, engine) for engine in ENGINES}


@pytest.fixture(scope="module")
def individuals(stores: dict[str, Store]) -> list[str]:
    """The IRIs that resolve a slug parameter."""
    return list(stores["oxigraph"].individuals())


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The release as an rdflib Graph, to compute the expected answers in Python."""
    graph = Graph()
    for path in GRAPHS:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def run(stores: dict[str, Store], individuals: list[str]) -> Callable[..., Result]:
    """A function that runs one stored query on one engine with the given parameter values."""

    def run(engine: str, name: str, **values: str) -> Result:
        query = QUERIES[name]
        return stores[engine].query(bind(query, values, individuals), source=query.path)

    return run


@pytest.fixture(scope="module")
def ask(run: Callable[..., Result]) -> Ask:
    """A function that gives the rows of a SELECT query as {variable: term}, unbound variables left out."""

    def ask(engine: str, name: str, **values: str) -> list[Row]:
        result = run(engine, name, **values)
        return [{v: t for v, t in solution.items() if t is not None} for solution in result.solutions]

    return ask


def header(query: StoredQuery) -> dict[str, object]:
    """The YAML of a query file's `#+` lines, read without the catalogue's parser."""
    lines = [line[2:].removeprefix(" ") for line in query.sparql.splitlines() if line.startswith("#+")]
    return yaml.safe_load("\n".join(lines)) or {}


def names(entries: Iterable[object]) -> list[str]:
    """The parameter names of a grlc list (`- name: value` or `- name`)."""
    return [next(iter(entry)) if isinstance(entry, dict) else str(entry) for entry in entries]


def id_(path: str) -> URIRef:
    """The individual at `path` under the id namespace."""
    return RCPID[path]


def ordered(query: StoredQuery) -> bool:
    """Whether the query orders its answer."""
    return any(word == "ORDER" for word, _ in keywords(query.sparql))


# ---------------------------------------------------------------- the catalogue


def test_list_json_has_at_least_25_queries_with_summaries(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) >= 25
    assert all(entry["summary"].strip() for entry in listed)
    for entry in listed:
        parameters = {parameter["name"] for parameter in entry["parameters"]}
        declared = header(QUERIES[entry["name"]])
        assert set(names(declared.get("defaults") or [])) <= parameters, entry["name"]
        assert set(names(declared.get("enumerate") or [])) <= parameters, entry["name"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_describes_the_query(name: str, individuals: list[str]) -> None:
    query = QUERIES[name]
    declared = header(query)
    assert query.summary and query.description and query.tags
    assert isinstance(declared.get("tags"), list)
    for entry in declared.get("enumerate") or []:
        assert isinstance(entry, dict), f"{name}: enumerate lists each parameter with its values"
        ((parameter, choices),) = entry.items()
        for choice in choices:
            bind(query, {**REQUIRED.get(name, {}), parameter: str(choice)}, individuals)
    for parameter in query.parameters:
        assert parameter.default is not None or not parameter.required or parameter.name in REQUIRED.get(name, {})
    folders = {iri[len(str(RCPID)) :].split("/", 1)[0] for iri in individuals if iri.startswith(str(RCPID))}
    assert {kind for parameter in query.parameters for kind in parameter.kinds} <= folders, f"{name}: unknown kinds"


# ---------------------------------------------------------------- both engines, every query


@pytest.mark.parametrize("name", QUERIES)
def test_both_engines_give_the_same_answer(name: str, run: Callable[..., Result]) -> None:
    values = REQUIRED.get(name, {})
    oxigraph, rdflib = (run(engine, name, **values) for engine in ENGINES)
    assert oxigraph.kind == rdflib.kind
    if oxigraph.kind == "graph":
        assert oxigraph.graph is not None and rdflib.graph is not None
        assert len(oxigraph.graph) > 0
        assert isomorphic(oxigraph.graph, rdflib.graph)
        return
    assert oxigraph.variables == rdflib.variables
    assert oxigraph.rows, f"{name} has no answer on the release"
    if ordered(QUERIES[name]):
        assert oxigraph.rows == rdflib.rows
    else:
        assert Counter(oxigraph.rows) == Counter(rdflib.rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_solution_is_read_by_variable_name(stores: dict[str, Store], engine: str) -> None:
    result = stores[engine].query(
        "SELECT ?unbound ?n ?iri WHERE { BIND(2 AS ?n) BIND(<https://example.org/a> AS ?iri) }"
    )
    (solution,) = result.solutions
    assert len(solution) == 3
    assert dict(solution) == {"unbound": None, "n": Literal(2), "iri": URIRef("https://example.org/a")}
    assert solution.bound("iri") == URIRef("https://example.org/a")
    with pytest.raises(ValueError, match=r"^\?unbound is unbound in this solution$"):
        solution.bound("unbound")
    with pytest.raises(KeyError, match="missing"):
        solution["missing"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_blank_node_in_an_answer_is_a_bnode_term(stores: dict[str, Store], engine: str) -> None:
    ((term,),) = stores[engine].query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }").cells
    assert term is not None
    assert (term.kind, term.language, term.datatype) == ("bnode", None, None)
    assert term.value != ""


def test_a_triple_term_in_an_answer_is_refused(stores: dict[str, Store]) -> None:
    sparql = "SELECT ?t WHERE { BIND(TRIPLE(<https://a/s>, <https://a/p>, <https://a/o>) AS ?t) }"
    with pytest.raises(InputError) as caught:
        stores["oxigraph"].query(sparql)
    assert str(caught.value) == "RDF 1.2 triple terms are not supported in results"


# ---------------------------------------------------------------- the analysts' queries


@pytest.mark.parametrize("engine", ENGINES)
def test_process_report(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "process-report", process="sacm")
    expected: set[tuple[Node, Node | None]] = set()
    for cell in graph.subjects(RCP.respondent, vocabulary.process("sacm")):
        stated = set(graph.subjects(RCP.statedIn, cell))
        expected |= {(cell, individual) for individual in stated} or {(cell, None)}
    pairs = [(row["response"], row.get("individual")) for row in rows]
    assert len(pairs) == len(set(pairs)) and set(pairs) == expected
    assert len({cell for cell, _ in pairs}) == 8
    for row in rows:
        cell = row["response"]
        assert row["status"] == graph.value(cell, RCP.responseStatus)
        assert row["assignment"] == graph.value(cell, RCP.columnAssignment)
        assert row.get("text") == graph.value(cell, RCP.text)
    columns = [int(graph.value(row["dimension"], RCP.order)) for row in rows]
    assert columns == sorted(columns)
    kinds = {row["individual"]: row["kind"] for row in rows if "individual" in row}
    assert kinds[id_("document/quito-declaration-2002")] == RCP.Declaration
    assert kinds[id_("event/sacm-v-conference-montevideo-2003")] == RCP.Conference
    assert kinds[id_("place/montevideo")] == RCP.City
    assert kinds[id_("membership/sacm/unhcr")] == ORG.Membership


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "words", ["remittances", "REMITTANCES", "Labour Migration", '"as the political space', "xyzzy"]
)
def test_search_text(ask: Ask, graph: Graph, engine: str, words: str) -> None:
    rows = ask(engine, "search-text", words=words)
    expected = {cell for cell, text in graph.subject_objects(RCP.text) if words.lower() in str(text).lower()}
    assert len(rows) == len(expected) and {row["response"] for row in rows} == expected
    assert all(row["text"] == graph.value(row["response"], RCP.text) for row in rows)
    assert all(row["process"] == graph.value(row["response"], RCP.respondent) for row in rows)


def test_search_text_finds_twelve_cells_on_remittances(ask: Ask) -> None:
    rows = ask("oxigraph", "search-text")
    assert len(rows) == 12
    assert rows[0]["response"] == vocabulary.response("midwa", "capacity-building")
    assert vocabulary.response("sacm", "founding-documents") in {row["response"] for row in rows}


def _year(graph: Graph, individual: Node) -> int | None:
    """The stated year of an individual as a number."""
    year = graph.value(individual, RCP.year)
    return None if year is None else int(str(year))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("start", "end"), [(None, None), ("2005", "2006"), ("2006", None), (None, "2000")])
def test_events_by_year(ask: Ask, graph: Graph, engine: str, start: str | None, end: str | None) -> None:
    bounds = {name: bound for name, bound in (("from", start), ("to", end)) if bound is not None}
    rows = ask(engine, "events-by-year", **bounds)
    low, high = int(start or 0), int(end or 9999)
    expected = {
        event
        for event in graph.subjects(RDF.type, RCP.Event)
        if (year := _year(graph, event)) is not None and low <= year <= high
    }
    assert {row["event"] for row in rows} == expected
    years = [int(str(row["year"])) for row in rows]
    assert years == sorted(years)


def test_events_up_to_2000(ask: Ask) -> None:
    rows = ask("oxigraph", "events-by-year", to="2000")
    assert [(str(row["year"]), row["event"]) for row in rows] == [
        ("1998", id_("event/rcm-seminar-1998-international-migration-and-development")),
        ("1999", id_("event/rcm-conference-1999-el-salvador")),
        ("2000", id_("event/first-midsa-forum-2000")),
    ]
    assert str(rows[1]["countryCode"]) == "SV"


@pytest.mark.parametrize("engine", ENGINES)
def test_events_lists_every_event_with_its_process_if_any(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "events")
    assert [row["event"] for row in rows] == list(dict.fromkeys(row["event"] for row in rows))
    assert {row["event"] for row in rows} == set(graph.subjects(RDF.type, RCP.Event))
    assert all(row.get("process") == graph.value(row["event"], RCP.undertakenBy) for row in rows)
    workshop = id_("event/midsa-high-level-workshop-good-governance-and-development")
    unowned = {row["event"]: row for row in rows if "process" not in row}
    assert sorted(unowned) == [
        id_("event/midsa-high-level-workshop-good-governance-and-development"),
        id_("event/midwa-expert-meeting-benin"),
        id_("event/rcm-seminar-modernization-of-migration-management"),
    ]
    assert str(unowned[workshop]["planned"]) == "true"
    midsa = ask(engine, "events", process="midsa")
    assert midsa and all(row["process"] == vocabulary.process("midsa") for row in midsa)
    assert {row["event"] for row in midsa} == set(graph.subjects(RCP.undertakenBy, vocabulary.process("midsa"))) & {
        row["event"] for row in rows
    }
    assert workshop not in {row["event"] for row in midsa}


@pytest.mark.parametrize("engine", ENGINES)
def test_documents_by_theme_lists_documents_no_process_owns(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "documents-by-theme")
    remittances = vocabulary.concept("theme", "remittances")
    expected = {
        (document, graph.value(document, RCP.undertakenBy), graph.value(response, RCP.dimension))
        for document in graph.subjects(RCP.theme, remittances)
        if (document, RDF.type, RCP.Document) in graph
        for response in graph.objects(document, RCP.statedIn)
        if (response, RDF.type, RCP.SurveyResponse) in graph
    }
    assert {(row["document"], row.get("owner"), row["dimension"]) for row in rows} == expected
    unowned = {row["document"] for row in rows if "owner" not in row}
    assert unowned == {id_("document/all-in-the-family-2004"), id_("document/remittances-a-preliminary-research-2004")}
    assert all(graph.value(document, DCTERMS.creator) is not None for document in unowned)


@pytest.mark.parametrize("engine", ENGINES)
def test_timeline(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "timeline")
    expected = {
        (individual, _year(graph, individual), kind)
        for kind in (RCP.Event, RCP.Document, RCP.Initiative)
        for individual in graph.subjects(RDF.type, kind)
        if _year(graph, individual) is not None
    }
    assert {(row["individual"], int(str(row["year"])), row["kind"]) for row in rows} == expected
    years = [int(str(row["year"])) for row in rows]
    assert years == sorted(years) and years[0] == 1998
    undated = id_("document/rcm-plan-of-action")
    assert undated not in {row["individual"] for row in rows}
    owners = {row["individual"]: row.get("process") for row in rows}
    assert owners[id_("document/all-in-the-family-2004")] is None
    assert owners[id_("document/quito-declaration-2002")] == vocabulary.process("sacm")


@pytest.mark.parametrize("engine", ENGINES)
def test_organisations(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "organisations")
    expected: set[tuple[Node, Node | None, Node | None]] = set()
    for organisation in graph.subjects(RDF.type, RCP.Organisation):
        named = {
            graph.value(response, RCP.respondent)
            for annotation in graph.subjects(OA.hasBody, organisation)
            if (annotation, OA.motivatedBy, OA.identifying) in graph
            for target in graph.objects(annotation, OA.hasTarget)
            for response in graph.objects(target, OA.hasSource)
        }
        activities = set(graph.subjects(RCP.involves, organisation))
        found = {(organisation, process, None) for process in named} | {(organisation, None, a) for a in activities}
        expected |= found or {(organisation, None, None)}
    assert {(row["organisation"], row.get("process"), row.get("activity")) for row in rows} == expected
    iom = {(row.get("process"), row.get("activity")) for row in rows if row["organisation"] == id_("organisation/iom")}
    assert {process for process, _ in iom if process} == {
        vocabulary.process(slug) for slug in ("midsa", "soderkoping-process", "igc", "bali-process")
    }
    assert {activity for _, activity in iom if activity} == {
        id_("event/midsa-high-level-workshop-good-governance-and-development")
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("organisation", ["government-of-guatemala", "cida", "iom"])
def test_organisation_partners(ask: Ask, graph: Graph, engine: str, organisation: str) -> None:
    rows = ask(engine, "organisation-partners", organisation=organisation)
    node = id_(f"organisation/{organisation}")
    involved = (RCP.involves, DCTERMS.creator)
    activities = {activity for p in involved for activity in graph.subjects(p, node)}
    expected: set[tuple[Node, Node | None]] = set()
    for activity in activities:
        partners = {partner for p in involved for partner in graph.objects(activity, p)} - {node}
        expected |= {(activity, partner) for partner in partners} or {(activity, None)}
    assert {(row["activity"], row.get("partner")) for row in rows} == expected


def test_partners_of_guatemala_and_cida(ask: Ask) -> None:
    rows = ask("oxigraph", "organisation-partners")
    panama = id_("event/rcgm-meeting-2004-12-panama")
    assert {row["partner"] for row in rows if row["activity"] == panama} == {
        id_(f"organisation/{slug}")
        for slug in ("government-of-canada", "government-of-el-salvador", "government-of-the-united-states", "rcgm")
    }
    (cida,) = ask("oxigraph", "organisation-partners", organisation="cida")
    assert (cida["activity"], cida["kind"], cida["partner"]) == (
        id_("document/remittances-a-preliminary-research-2004"),
        RCP.Document,
        id_("organisation/cic"),
    )


def _network(graph: Graph, status: str | None) -> Graph:
    """The cross-fertilization network of the release, built in Python."""
    network = Graph()
    kinds = {RCP.ConsultativeProcess, RCP.RegionalConsultativeProcess, RCP.Organisation}
    for link in graph.subjects(RDF.type, RCP.CrossFertilizationLink):
        if status and graph.value(link, RCP.linkStatus) != vocabulary.concept("link-status", status):
            continue
        network.add((link, RDF.type, RCP.CrossFertilizationLink))
        for p in (SKOS.prefLabel, RCP.linkFrom, RCP.linkTo, RCP.linkStatus, RCP.evidence):
            network += [(link, p, o) for o in graph.objects(link, p)]
        for end in (graph.value(link, RCP.linkFrom), graph.value(link, RCP.linkTo)):
            network += [(end, RDF.type, kind) for kind in graph.objects(end, RDF.type) if kind in kinds]
            network += [(end, p, o) for p in (SKOS.prefLabel, RCP.acronym) for o in graph.objects(end, p)]
    for p, link_status in ((RCP.crossFertilizesWith, "existing"), (RCP.potentialCrossFertilizationWith, "potential")):
        if status in (None, link_status):
            network += graph.triples((None, p, None))
    return network


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("status", [None, "existing", "potential"])
def test_cross_fertilization_network(run: Callable[..., Result], graph: Graph, engine: str, status: str | None) -> None:
    result = run(engine, "cross-fertilization-network", **({"status": status} if status else {}))
    assert result.graph is not None
    expected = _network(graph, status)
    assert set(result.graph) == set(expected)
    nodes = {o for p in (RCP.linkFrom, RCP.linkTo) for o in expected.objects(None, p)}
    nodes |= {
        node
        for p in (RCP.crossFertilizesWith, RCP.potentialCrossFertilizationWith)
        for s, o in expected.subject_objects(p)
        for node in (s, o)
    }
    assert all(result.graph.value(node, SKOS.prefLabel) is not None for node in nodes)


def test_the_network_has_28_links_and_links_bali_to_midsa_both_ways(run: Callable[..., Result]) -> None:
    network = run("oxigraph", "cross-fertilization-network").graph
    assert len(set(network.subjects(RDF.type, RCP.CrossFertilizationLink))) == 28
    bali, midsa = vocabulary.process("bali-process"), vocabulary.process("midsa")
    assert {(bali, RCP.crossFertilizesWith, midsa), (midsa, RCP.crossFertilizesWith, bali)} <= set(network)


@pytest.mark.parametrize("engine", ENGINES)
def test_themes_per_process(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "themes-per-process")
    cells: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    individuals: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for cell in graph.subjects(RDF.type, RCP.SurveyResponse):
        for theme in graph.objects(cell, RCP.theme):
            cells[(graph.value(cell, RCP.respondent), theme)].add(cell)
        for individual in graph.subjects(RCP.statedIn, cell):
            for theme in graph.objects(individual, RCP.theme):
                individuals[(graph.value(cell, RCP.respondent), theme)].add(individual)
    expected = {key: (len(cells[key]), len(individuals[key])) for key in cells.keys() | individuals.keys()}
    answer = {(row["process"], row["theme"]): (int(row["cells"]), int(row["individuals"])) for row in rows}
    assert answer == expected and len(rows) == len(answer)
    assert answer[(vocabulary.process("sacm"), vocabulary.concept("theme", "remittances"))] == (1, 2)


@pytest.mark.parametrize("engine", ENGINES)
def test_places(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "places")
    expected: set[tuple[Node, Node | None, Node | None, Node | None]] = set()
    for kind in (RCP.Country, RCP.City, RCP.Region):
        for place in graph.subjects(RDF.type, kind):
            country = {RCP.Country: place, RCP.City: graph.value(place, RCP.inCountry)}.get(kind)
            code = None if country is None else graph.value(country, RCP.countryCode)
            events = set(graph.subjects(RCP.location, place)) or {None}
            expected |= {(place, country, code, event) for event in events}
    answer = {(row["place"], row.get("country"), row.get("countryCode"), row.get("event")) for row in rows}
    assert answer == expected and len(rows) == len(answer)
    copenhagen = (id_("place/copenhagen"), id_("place/denmark"))
    assert (*copenhagen, "DK", id_("event/mtm-conference-copenhagen")) in {
        (place, country, str(code), event) for place, country, code, event in answer
    }


def _provenance(graph: Graph, individual: URIRef) -> set[tuple[Node | None, int, int, int | None, str]]:
    """(cell, line, field, start, verbatim words) for each span of a fragment an individual is traced to, in
    Python: through the annotations that name it in a cell where there are some, else through the whole cell."""
    sources = set(graph.objects(individual, RCP.statedIn)) | set(graph.objects(individual, RCP.printedIn))
    sources |= set(graph.objects(individual, PROV.wasDerivedFrom))
    cells = {s for s in sources if (s, RDF.type, RCP.SurveyResponse) in graph}
    if (individual, RDF.type, RCP.SurveyResponse) in graph:
        cells.add(individual)
    targets = {graph.value(annotation, OA.hasTarget) for annotation in graph.subjects(OA.hasBody, individual)}
    traced: set[tuple[Node | None, int, int, int | None, str]] = set()
    for cell in cells:
        quoting = {target for target in targets if graph.value(target, OA.hasSource) == cell}
        for derivation in (d for node in quoting or {cell} for d in graph.objects(node, PROV.qualifiedDerivation)):
            fragment = graph.value(derivation, PROV.entity)
            selector = graph.value(derivation, OA.hasSelector)
            start, end = int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))
            words = str(graph.value(fragment, RCP.sourceText))[start:end]
            line, field = int(graph.value(fragment, RCP.sourceLine)), int(graph.value(fragment, RCP.sourceField))
            traced.add((cell, line, field, start, words))
    for label in sources - cells:
        if (label, RDF.type, RCP.SourceLabel) in graph:
            line, field = int(graph.value(label, RCP.sourceLine)), int(graph.value(label, RCP.sourceField))
            traced.add((None, line, field, None, str(graph.value(label, RCP.sourceText))))
    return traced


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "individual",
    [
        "document/quito-declaration-2002",
        "organisation/iom",
        "initiative/aeneas-project",
        "initiative/rcm-research-1998-seminar",
        "membership/sacm/government-of-canada",
        "process/sacm",
        "response/colombo-process/pilot-projects",
        "dimension/research",
    ],
)
def test_provenance(ask: Ask, graph: Graph, engine: str, individual: str) -> None:
    rows = ask(engine, "provenance", individual=individual)
    expected = _provenance(graph, id_(individual))
    assert expected
    starts = [int(row["start"]) if "start" in row else None for row in rows]
    answer = [
        (row.get("response"), int(row["line"]), int(row["field"]), start, str(row["words"]))
        for row, start in zip(rows, starts, strict=True)
    ]
    assert len(answer) == len(set(answer)) and set(answer) == expected


def test_provenance_is_the_fragment_that_prints_the_words(ask: Ask) -> None:
    """AENEAS is printed on line 10 only, though its cell starts on line 9; words across a page break
    trace to both fragments, each with the span of the words it prints; a membership, which no
    annotation names, to its whole cell."""
    rows = ask("oxigraph", "provenance", individual="initiative/aeneas-project")
    assert [(int(row["line"]), int(row["field"]), int(row["start"])) for row in rows] == [(10, 3, 0)]
    assert str(rows[0]["words"]).startswith("AENEAS Project: Facilitating migration to European Union")
    rows = ask("oxigraph", "provenance", individual="initiative/rcm-research-1998-seminar")
    assert [(int(row["line"]), int(row["field"]), str(row["words"])) for row in rows] == [
        (10, 1, "Research conducted for the"),
        (11, 1, "1998 Seminar on International Migration and Development in Central and North America"),
    ]
    rows = ask("oxigraph", "provenance", individual="membership/sacm/government-of-canada")
    assert [(int(row["line"]), int(row["field"]), int(row["start"]), int(row["end"])) for row in rows] == [
        (14, 4, 0, 128)
    ]


def test_provenance_of_the_quito_declaration_and_of_sacm(ask: Ask) -> None:
    (quito,) = ask("oxigraph", "provenance")
    assert (quito["response"], int(quito["line"]), int(quito["field"])) == (
        vocabulary.response("sacm", "founding-documents"),
        14,
        3,
    )
    assert str(quito["words"]).startswith("2002 Quito Declaration requested aid")
    assert "remitlances" in str(quito["words"])
    (sacm,) = ask("oxigraph", "provenance", individual="process/sacm")
    assert (int(sacm["line"]), int(sacm["field"]), str(sacm["words"])) == (
        14,
        0,
        "South American Conference on Migration (SACM)*",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_column_reassignments(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "column-reassignments")
    inferred = set(graph.subjects(RCP.columnAssignment, vocabulary.concept("assignment", "inferred")))
    expected = set()
    for cell in inferred:
        printed = {
            (int(graph.value(f, RCP.sourceLine)), int(graph.value(f, RCP.sourceField)))
            for f in graph.objects(cell, PROV.wasDerivedFrom)
        } or {(None, None)}
        notes = set(graph.objects(cell, RCP.editorialNote)) or {None}
        expected |= {(cell, line, field, note) for line, field in printed for note in notes}
    answer = {
        (row["response"], *(int(row[k]) if k in row else None for k in ("line", "field")), row.get("note"))
        for row in rows
    }
    assert answer == expected and len(rows) == len(answer)
    assert len({row["response"] for row in rows}) == 46
    quito = [row for row in rows if row["response"] == vocabulary.response("sacm", "founding-documents")]
    assert [(int(row["line"]), int(row["field"])) for row in quito] == [(14, 3)]
    assert str(quito[0]["note"]).startswith("Printed under Pilot Projects")


@pytest.mark.parametrize("engine", ENGINES)
def test_ocr_corrections(ask: Ask, graph: Graph, engine: str) -> None:
    rows = ask(engine, "ocr-corrections")
    expected = set()
    for correction in graph.subjects(RDF.type, RCP.TextCorrection):
        target = graph.value(correction, OA.hasTarget)
        fragment = graph.value(target, OA.hasSource)
        selectors = list(graph.objects(target, OA.hasSelector))
        (wrong,) = [o for s in selectors for o in graph.objects(s, OA.exact)]
        (start,) = [int(o) for s in selectors for o in graph.objects(s, OA.start)]
        right = graph.value(graph.value(correction, OA.hasBody), RDF.value)
        cell = graph.value(target, OA.hasScope)
        expected.add(
            (
                correction,
                str(wrong),
                str(right),
                str(graph.value(correction, RCP.editorialNote)),
                int(graph.value(fragment, RCP.sourceLine)),
                int(graph.value(fragment, RCP.sourceField)),
                start,
                graph.value(cell, RCP.respondent),
                graph.value(cell, RCP.dimension),
            )
        )
    answer = [
        (
            row["correction"],
            str(row["wrong"]),
            str(row["right"]),
            str(row["reason"]),
            int(row["line"]),
            int(row["field"]),
            int(row["start"]),
            row["process"],
            row["dimension"],
        )
        for row in rows
    ]
    assert len(answer) == len(expected) == 27 and set(answer) == expected
    places = [(line, field, start) for _, _, _, _, line, field, start, _, _ in answer]
    assert places == sorted(places)
    assert ("guaranted transfer of remitlances", "guaranteed transfer of remittances", 14, 3) in {
        (wrong, right, line, field) for _, wrong, right, _, line, field, _, _, _ in answer
    }
    sacm = ask(engine, "ocr-corrections", process="sacm")
    assert sacm and all(row["process"] == vocabulary.process("sacm") for row in sacm)
    assert len(sacm) == sum(1 for row in answer if row[7] == vocabulary.process("sacm"))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("status", [None, "fragment", "blank"])
def test_incomplete_cells(ask: Ask, graph: Graph, engine: str, status: str | None) -> None:
    rows = ask(engine, "incomplete-cells", **({"status": status} if status else {}))
    statuses = [status] if status else ["fragment", "blank"]
    expected = {
        (cell, vocabulary.concept("status", name))
        for name in statuses
        for cell in graph.subjects(RCP.responseStatus, vocabulary.concept("status", name))
    }
    assert {(row["response"], row["status"]) for row in rows} == expected
    assert len(expected) == {None: 24, "fragment": 8, "blank": 16}[status]
    notes = {(cell, note) for cell, _ in expected for note in set(graph.objects(cell, RCP.editorialNote)) or {None}}
    assert {(row["response"], row.get("note")) for row in rows} == notes


def test_midsa_gfmd_link_is_a_fragment(ask: Ask) -> None:
    rows = ask("oxigraph", "incomplete-cells", status="fragment")
    texts = {row["response"]: str(row["text"]) for row in rows}
    assert texts[vocabulary.response("midsa", "gfmd-link")] == "it."


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("role", [None, "participant", "observer", "invited"])
def test_memberships(ask: Ask, graph: Graph, engine: str, role: str | None) -> None:
    rows = ask(engine, "memberships", **({"role": role} if role else {}))
    expected = {
        (membership, graph.value(membership, ORG.organization), graph.value(membership, ORG.member))
        for membership in graph.subjects(RDF.type, ORG.Membership)
        if role is None or graph.value(membership, ORG.role) == vocabulary.concept("role", role)
    }
    assert {(row["membership"], row["process"], row["member"]) for row in rows} == expected
    if role == "invited":
        assert {row["member"] for row in rows} == {id_("organisation/au"), id_("organisation/sadc")}
