"""The pages people read, in process: home, entity pages with their cells, the ontology, the query page."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from competency import DIMENSIONS
from fastapi.testclient import TestClient
from live import disconnecting
from rdflib import Graph, URIRef

from rcpgraph import paths
from rcpgraph.serve.app import create_app
from rcpgraph.serve.labels import Labels, Linker
from rcpgraph.serve.settings import Settings
from rcpgraph.serve.state import Release
from rcpgraph.serve.views import entity_view
from rcpgraph.sparql import workers
from rcpgraph.vocabulary import RCP, RCPID

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini-release"
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"  # minutes on MINI
HTML = {"Accept": "text/html"}


def main(html: str) -> str:
    """The <main> part of a page."""
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def test_home_shows_the_twelve_processes_by_group(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert len(re.findall(r'<th scope="row">', page)) == 12
    assert len(re.findall(r'<tr class="group">', page)) == 3
    assert '<a href="/id/process/midsa">Migration Dialogue for Southern Africa</a>' in page
    assert '<td class="status status-answered"><a href="/id/response/sacm/founding-documents"' in page
    for target in (
        "/query",
        "/sparql",
        "/api/queries",
        "/openapi.json",
        "/ontology",
        "/download/rcpgraph.ttl",
        "/download/rcpgraph.jsonld",
        "/.well-known/void",
    ):
        assert f'href="{target}"' in page


def test_pages_use_local_assets_only(client: TestClient) -> None:
    for path in ("/", "/query", "/ontology", "/id/process/midsa"):
        page = client.get(path, headers=HTML).text
        assert not re.search(r'<(?:script|img|iframe)\b[^>]*\bsrc="(?:https?:)?//', page), path
        assert not re.search(r'<link\b[^>]*\bhref="(?:https?:)?//', page), path
    assert client.get("/static/style.css").status_code == 200


def test_an_entity_page_shows_the_cited_words_and_the_verbatim_text(client: TestClient) -> None:
    page = main(client.get("/id/document/quito-declaration-2002", headers=HTML).text)
    assert "<h1>Quito Declaration</h1>" in page
    assert '<a href="/id/response/sacm/founding-documents">SACM: founding documents' in page
    assert "<mark>2002 Quito Declaration requested aid from the international community" in page
    corrected, verbatim = page.split("<h4>Corrected text</h4>", 1)[1].split("<h4>Verbatim OCR text</h4>", 1)
    assert "guaranteed transfer of remittances" in corrected
    assert "guaranted transfer of remitlances" in verbatim
    assert '<a href="/id/process/sacm" title="https://w3id.org/rcpgraph/id/process/sacm">' in page


def test_a_response_page_links_each_cited_word_to_what_it_names(client: TestClient) -> None:
    page = main(client.get("/id/response/sacm/founding-documents", headers=HTML).text)
    quito = '<a href="/id/document/quito-declaration-2002">2002 Quito Declaration </a>'
    assert f'<mark class="c0" title="Quito Declaration">{quito}</mark>' in page
    assert '<a href="/id/source/line-14/field-3">source line 14, field 3</a>' in page
    assert "<del>guaranted transfer of remitlances</del> → <ins>guaranteed transfer of remittances</ins>" in page


def test_an_entity_page_groups_facts_under_labels(client: TestClient) -> None:
    page = main(client.get("/id/process/midsa", headers=HTML).text)
    titles = re.findall(r"<h2>(.*?)</h2>", page)
    assert titles == [
        "What Migration Dialogue for Southern Africa said",
        "Its cross-fertilization links",
        "Its dated events, documents and initiatives",
        "About",
        "Related",
        "Provenance",
        "Referenced by",
    ]
    assert '<a href="/id/process/midsa">MIDSA</a></mark>' in page
    assert ">acronym</a></dt>" in page and '<span class="literal">MIDSA</span>' in page
    assert "rcpid:" not in page.split("<h2>About</h2>", 1)[1]


def test_links_to_an_entity_read_from_it(client: TestClient) -> None:
    page = main(client.get("/id/process/midsa", headers=HTML).text)
    related, inbound = page.split("<h2>Referenced by</h2>", 1)
    assert re.findall(r'title="[^"]+">([^<]*)</a></dt>', inbound) == [
        "… — organization — this",
        "… — involves — this",
        "… — link from — this",
        "… — partition value — this",  # the statistics' subset of its row's cells (void.ttl)
        "… — undertaken by — this",
    ]
    assert '<dt><a href="/ontology#undertakenBy" title="https://w3id.org/rcpgraph/ontology#undertakenBy">' in inbound
    own = related.split("<h2>About</h2>", 1)[0]
    assert ">has response</a></dt>" not in page and ">MIDSA: research</a>" in own  # its cells stand above, once
    assert ">cross-fertilizes with</a></dt>" in related  # symmetric: stated both ways
    assert " of</a></dt>" not in page
    theme = main(client.get("/id/theme/labour-migration", headers=HTML).text).split("<h2>Referenced by</h2>", 1)[1]
    assert re.findall(r'title="[^"]+">([^<]*)</a></dt>', theme) == [
        "… — has top concept — this",
        "… — partition value — this",  # the statistics' subsets of the cells on the theme (void.ttl)
        "… — theme — this",
    ]


def test_a_link_whose_inverse_is_not_stated_reads_under_the_inverse(client: TestClient) -> None:
    release = client.app.state.release
    graph = Graph()
    response, process = RCPID["response/midsa/research"], RCPID["process/midsa"]
    graph.add((response, RCP.respondent, process))
    graph.add((response, RCP.dimension, RCPID["dimension/research"]))
    graph.add((process, RCP.crossFertilizesWith, RCPID["process/sacm"]))
    links = Linker(release.settings, Labels(release.graph, release.ontology))

    def inbound(node: URIRef) -> list[tuple[str, str, list[str]]]:
        sections = entity_view(graph, str(node), links, release.ontology).sections
        facts = next(section.facts for section in sections if section.title == "Referenced by")
        return [(fact.property.label, fact.property.iri, [value.text for value in fact.values]) for fact in facts]

    assert inbound(process) == [("has response", str(RCP.hasResponse), ["MIDSA: research"])]
    assert inbound(RCPID["process/sacm"]) == [
        ("cross-fertilizes with", str(RCP.crossFertilizesWith), ["Migration Dialogue for Southern Africa"])
    ]
    assert inbound(RCPID["dimension/research"]) == [("… — dimension — this", str(RCP.dimension), ["MIDSA: research"])]


def test_the_ontology_page(client: TestClient) -> None:
    head = client.get("/ontology", headers=HTML).text.split("</head>", 1)[0]
    assert head.endswith(
        '<link rel="alternate" type="text/turtle" href="/ontology.ttl">\n'
        '<link rel="alternate" type="application/ld+json" href="/ontology.jsonld">\n'
        '<link rel="alternate" type="application/n-triples" href="/ontology.nt">\n\n'
    )
    page = main(client.get("/ontology", headers=HTML).text)
    assert "<h1>rcpgraph ontology</h1>" in page
    assert re.findall(r'<h2 id="[a-z-]+">(.*?)</h2>', page)[:2] == ["Classes", "Object properties"]
    assert '<article class="term" id="SurveyResponse">' in page


def test_the_ontology_page_shows_its_version_and_metadata(client: TestClient) -> None:
    page = main(client.get("/ontology", headers=HTML).text)
    metadata = page.split('<dl class="metadata">', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r"<dt>(.*?)</dt>", metadata) == [
        "version info",
        "version iri",
        "license",
        "creator",
        "preferred namespace prefix",
        "preferred namespace uri",
    ]
    assert '<dd><span class="literal">0.1.0</span></dd>' in metadata
    assert '<dd><a href="/ontology/0.1.0" title="https://w3id.org/rcpgraph/ontology/0.1.0">' in metadata


def test_the_ontology_page_shows_the_class_hierarchy_with_instance_counts(client: TestClient) -> None:
    page = main(client.get("/ontology", headers=HTML).text)
    hierarchy = page.split('<h2 id="class-hierarchy">', 1)[1].split("</section>", 1)[0]
    entries = re.findall(r'<li><a href="([^"]+)"[^>]*>[^<]*</a> <span class="note">(\d+) instances?</span>', hierarchy)
    assert [href for href, _ in entries[:3]] == [
        "http://www.w3.org/ns/oa#Annotation",
        "/ontology#TextCorrection",
        "http://www.w3.org/ns/org#Organization",
    ]
    counts = dict(entries)
    assert len(counts) == 44
    assert (counts["/ontology#SurveyResponse"], counts["/ontology#RegionalConsultativeProcess"]) == ("96", "12")
    assert (counts["/ontology#Event"], counts["/ontology#Workshop"], counts["/ontology#Region"]) == ("45", "10", "12")
    nested = (
        '<li><a href="/ontology#Event" title="https://w3id.org/rcpgraph/ontology#Event">event</a>'
        ' <span class="note">45 instances</span>\n  <ul class="tree">\n  <li><a href="/ontology#Conference"'
    )
    assert nested in hierarchy


def test_the_ontology_page_shows_the_concept_schemes(client: TestClient) -> None:
    page = main(client.get("/ontology", headers=HTML).text)
    schemes = page.split('<h2 id="concept-schemes">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<h3><a href="/id/([a-z-]+)"', schemes) == [
        "assignment",
        "gfmd-stance",
        "basis",
        "link-status",
        "role",
        "status",
        "dimension",
        "priority",
        "theme",
    ]
    dimensions = schemes.split('<a href="/id/dimension"', 1)[1].split("</article>", 1)[0]
    concepts = re.findall(r'<li><a href="/id/dimension/([a-z-]+)"', dimensions)
    assert concepts == [
        "development-related-initiatives",
        "research",
        "capacity-building",
        "pilot-projects",
        "founding-documents",
        "policy-coherence",
        "intra-governmental-consultation",
        "stakeholder-cooperation",
        "cross-fertilization",
        "gfmd-link",
    ]


def test_the_query_page_lists_the_stored_queries(client: TestClient) -> None:
    page = client.get("/query").text
    chooser = page.split('<select name="name" id="name">', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([a-z0-9-]+)"', chooser) == sorted(client.app.state.release.queries)
    examples = page.split('<select id="example">', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([a-z0-9-]+)"', examples) == sorted(client.app.state.release.queries)
    assert "<textarea" in page


def test_the_query_page_shows_a_stored_querys_parameters_and_answer(client: TestClient) -> None:
    form = client.get("/query", params={"name": "cell"}).text
    assert 'name="process" id="param-process"' in form and 'name="dimension" id="param-dimension"' in form
    answer = client.get(
        "/query", params={"name": "cell", "run": "1", "process": "sacm", "dimension": "founding-documents"}
    )
    assert answer.status_code == 200
    result = answer.text.split('<section id="result">', 1)[1]
    assert '<th scope="col">sourceText</th>' in result and "Quito Declaration" in result
    assert '<a href="/id/status/answered" title="https://w3id.org/rcpgraph/id/status/answered">answered</a>' in result


def test_the_query_page_reports_errors(client: TestClient) -> None:
    missing = client.get("/query", params={"name": "cell", "run": "1", "process": "sacm"})
    assert missing.status_code == 400
    assert '<p class="error" id="error" role="alert">missing required parameter dimension (iri) for query cell</p>' in (
        missing.text
    )
    update = client.get("/query", params={"sparql": "CLEAR ALL"})
    assert update.status_code == 400 and "updates are not allowed (CLEAR)" in update.text
    assert client.get("/query", params={"name": "nothing"}).status_code == 404


def test_the_query_page_resolves_a_slug_only_within_its_kind(client: TestClient) -> None:
    wrong = client.get("/query", params={"name": "process-report", "run": "1", "process": "remittances"})
    assert wrong.status_code == 400
    assert (
        '<p class="error" id="error" role="alert">parameter process: no process is named &#34;remittances&#34; '
        "(theme/remittances is a theme)</p>"
    ) in wrong.text
    text = "SELECT ?s WHERE { ?s ?p ?_process_iri }"
    near = client.get("/query", params={"sparql": text, "process": "colombo"})
    assert near.status_code == 400
    assert (
        '<p class="error" id="error" role="alert">parameter process: no process is named &#34;colombo&#34; '
        "(did you mean colombo-process?)</p>"
    ) in near.text


def test_the_query_page_runs_sparql_and_escapes_it(client: TestClient) -> None:
    text = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = client.get("/query", params={"sparql": text}).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_query_page_binds_the_parameters_of_its_sparql(client: TestClient) -> None:
    text = "SELECT ?p WHERE { ?p <https://w3id.org/rcpgraph/ontology#acronym> ?_acronym }"
    unbound = client.get("/query", params={"sparql": text})
    assert unbound.status_code == 400
    assert "missing required parameter acronym (literal) for query &lt;sparql&gt;" in unbound.text
    bound = client.get("/query", params={"sparql": text, "acronym": "MIDSA"})
    assert bound.status_code == 200 and "/id/process/midsa" in bound.text and "/id/process/sacm" not in bound.text


def test_an_editorial_note_is_shown_once(client: TestClient) -> None:
    """rcp:editorialNote is no sub-property of skos:editorialNote, so no inferred copy doubles it."""
    page = main(client.get("/id/response/sacm/capacity-building", headers=HTML).text)
    terms = re.findall(r'title="[^"]+">([^<]*)</a></dt>', page)
    assert terms.count("editorial note") == 1
    assert page.count("belongs to the next column: the row has 7 fields, its first two cells merged") == 1


def test_an_inferred_super_property_is_not_shown_beside_its_sub_property(client: TestClient) -> None:
    """rcp:statedIn is a sub-property of prov:wasInfluencedBy: the page shows the link once, as "stated in"."""
    page = main(client.get("/id/organisation/icmpd", headers=HTML).text)
    terms = re.findall(r'title="[^"]+">([^<]*)</a></dt>', page)
    assert "stated in" in terms and "was influenced by" not in terms
    response = main(client.get("/id/response/budapest-process/cross-fertilization", headers=HTML).text)
    assert "… — stated in — this" in response and "was influenced by" not in response


def test_the_home_legend_lists_the_statuses_in_their_order(client: TestClient) -> None:
    legend = client.get("/").text.split('<p class="legend">', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'class="status status-([a-z-]+)"', legend) == [
        "answered",
        "fragment",
        "no-example-provided",
        "no-response-given",
        "blank",
    ]


@pytest.mark.parametrize(
    ("slug", "label"), [("sacm", "SACM"), ("midwa", "MIDWA"), ("igc", "IGC"), ("puebla-process", "Puebla Process")]
)
def test_a_process_page_shows_its_own_eight_cells_first_in_the_tables_order(
    client: TestClient, slug: str, label: str
) -> None:
    page = main(client.get(f"/id/process/{slug}", headers=HTML).text)
    own = re.split(r"<h2>(?:About|Its )", page, maxsplit=1)[0]
    assert len(re.findall(r"<h2>What [^<]+ said</h2>", own)) == 1 and own.count("<h2>") == 1
    assert re.findall(r'<h3><a href="/id/response/([^"]+)">', own) == [f"{slug}/{d}" for d in DIMENSIONS]
    assert own.count("<h4>Corrected text</h4>") == 8 and own.count("<h4>Verbatim OCR text</h4>") == 8
    blank = own.count('<a class="status status-blank"')
    assert own.count('<p class="printed">Printed at:') == 8 - blank
    assert f">{label}: research</a>" in own


def test_sacm_shows_its_own_words_and_puebla_its_own_before_the_mentions(client: TestClient) -> None:
    sacm = main(client.get("/id/process/sacm", headers=HTML).text).split("<h2>About</h2>", 1)[0]
    assert "guaranteed transfer of remittances" in sacm and "guaranted transfer of remitlances" in sacm
    puebla = main(client.get("/id/process/puebla-process", headers=HTML).text)
    titles = re.findall(r"<h2>(.*?)</h2>", puebla)
    assert titles == [
        "What Puebla Process said",
        "Its cross-fertilization links",
        "Its dated events, documents and initiatives",
        "About",
        "Related",
        "Provenance",
        "Referenced by",
        "Mentioned by other processes",
    ]
    mentions = puebla.split("<h2>Mentioned by other processes</h2>", 1)[1]
    assert re.findall(r'<h3><a href="/id/response/([^"]+)">', mentions) == [
        "igc/cross-fertilization",
        "midsa/cross-fertilization",
        "sacm/cross-fertilization",
    ]


def test_a_process_page_does_not_list_its_own_cells_again_under_related(client: TestClient) -> None:
    puebla = main(client.get("/id/process/puebla-process", headers=HTML).text)
    related = puebla.split("<h2>Related</h2>", 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<dt><a href="[^"]+" title="[^"]+">([^<]+)</a></dt>', related) == [
        "cross-fertilizes with",
        "GFMD stance",
        "information basis",
        "thematic priority",
    ]
    assert puebla.count('href="/id/response/puebla-process/research"') == 1  # its cell's heading only


def test_the_query_page_stops_its_query_when_the_client_goes_away() -> None:
    app = create_app(Settings(release=MINI, timeout=120.0, workers=1), paths.Layout(ROOT, is_checkout=True))
    release: Release = app.state.release
    asyncio.run(disconnecting(app, release, "/query", f"sparql={quote(LONG)}", "text/html"))
    assert release.pool.health() == workers.Health(1, 1, 0, 1, 2048)  # its worker was stopped and replaced
    assert release.kept(LONG) is None


USUAL = {
    "colombo-process": (
        "Colombo Process",
        "Ministerial Consultation on Overseas Employment and Contractual Labour for Countries of Origin",
    ),
    "puebla-process": ("Puebla Process", "Regional Conference on Migration"),
    "soderkoping-process": ("Söderköping Process", "Cross Border Cooperation Process"),
    "5plus5-dialogue": ("5+5 Dialogue", "Regional Ministerial Conference on Migration in the Western Mediterranean"),
    "bali-process": (
        "Bali Process",
        "Bali Ministerial Conference on People Smuggling, Trafficking in Persons and Related Transnational Crime",
    ),
    "mtm-dialogue": ("MTM Dialogue", "Mediterranean Transit Migration Dialogue"),
}


def test_processes_go_by_their_usual_names_with_the_formal_name_beside(client: TestClient) -> None:
    home = main(client.get("/").text)
    formal = re.findall(r'<span class="formal">([^<]*)</span>', home)
    assert formal == [
        USUAL[slug][1]
        for slug in (
            "colombo-process",
            "puebla-process",
            "5plus5-dialogue",
            "soderkoping-process",
            "mtm-dialogue",
            "bali-process",
        )
    ]
    for slug, (usual, printed) in USUAL.items():
        assert f'<a href="/id/process/{slug}">{usual}</a>' in home
        page = main(client.get(f"/id/process/{slug}", headers=HTML).text)
        assert f'<h1>{usual} <span class="formal">{printed}</span></h1>' in page
        assert f'<h3><a href="/id/response/{slug}/research">{usual}: research</a>' in page
    assert "<h1>South American Conference on Migration</h1>" in main(client.get("/id/process/sacm", headers=HTML).text)


def hits(page: str) -> list[str]:
    """The addresses a search page lists, in its order."""
    return re.findall(r'<li><a href="([^"]+)">', page.split('<ol class="hits"', 1)[1])


def test_every_page_has_a_search_box(client: TestClient) -> None:
    for path in ("/", "/query", "/ontology", "/id/process/midsa", "/search", "/id/process/"):
        page = client.get(path, headers=HTML).text
        assert '<form class="site-search" method="get" action="/search" role="search">' in page, path
        assert '<input type="search" name="q" id="site-search"' in page, path


def test_search_ignores_accents_and_case_and_ranks_names_before_cell_text(client: TestClient) -> None:
    page = main(client.get("/search", params={"q": "SODERKOPING"}).text)
    assert '<p class="count" id="count">10 results for “SODERKOPING”</p>' in page
    found = hits(page)
    assert found[0] == "/id/process/soderkoping-process"
    assert found[-2:] == [
        "/id/response/budapest-process/cross-fertilization",
        "/id/response/soderkoping-process/pilot-projects",
    ]
    assert "the Soderkoping beneficiary countries" in page  # the cell's own words, unaccented as printed
    assert hits(main(client.get("/search", params={"q": "söderköping"}).text)) == found


def test_search_finds_organisations_events_documents_and_cells(client: TestClient) -> None:
    assert hits(main(client.get("/search", params={"q": "quito"}).text))[0] == "/id/document/quito-declaration-2002"
    assert hits(main(client.get("/search", params={"q": "icmpd"}).text))[0] == "/id/organisation/icmpd"
    colombo = hits(main(client.get("/search", params={"q": "colombo"}).text))
    assert colombo == [
        "/id/process/colombo-process",
        "/id/event/colombo-2nd-ministerial-consultation-manila-2004",
        "/id/event/colombo-3rd-ministerial-consultation-bali-2005",
        "/id/link/midsa/colombo-process",
        "/id/initiative/colombo-process-publications",
        "/id/response/colombo-process/research",
        "/id/response/midsa/capacity-building",
    ]
    nothing = main(client.get("/search", params={"q": "zzzz"}).text)
    assert '<p class="count" id="count">0 results for “zzzz”</p>' in nothing


def test_search_pages_and_refuses_a_page_out_of_range(client: TestClient) -> None:
    first = main(client.get("/search", params={"q": "migration"}).text)
    total = int(re.search(r'id="count">(\d+) results', first).group(1))
    assert total > 50 and len(hits(first)) == 50 and '<a rel="next" href="/search?q=migration&amp;page=2">' in first
    last = -(-total // 50)
    assert (
        len(hits(main(client.get("/search", params={"q": "migration", "page": last}).text))) == total - (last - 1) * 50
    )
    refused = client.get("/search", params={"q": "migration", "page": "0"})
    assert refused.status_code == 400 and refused.text == f"page must be a whole number from 1 to {last}, not '0'\n"


def test_each_folder_has_a_paged_listing(client: TestClient) -> None:
    folders = main(client.get("/id/").text)
    assert '<a href="/id/process/">process</a> <span class="note">16</span>' in folders
    assert '<a href="/id/organisation/">organisation</a> <span class="note">41</span>' in folders
    processes = main(client.get("/id/process/").text)
    assert len(re.findall(r'<li><a href="/id/process/', processes)) == 16 and 'class="pager"' not in processes
    assert '>Söderköping Process</a> <span class="note">Cross Border Cooperation Process</span>' in processes
    responses = main(client.get("/id/response/", params={"page": "2"}).text)
    assert len(re.findall(r'<li><a href="/id/response/', responses)) == 46
    assert "<span>Page 2 of 2</span>" in responses and '<a rel="prev" href="/id/response/?page=1">' in responses
    missing = client.get("/id/nope/")
    assert missing.status_code == 404 and missing.text.startswith("no folder /id/nope/ (folders: assignment, basis,")


def test_the_nav_api_link_opens_the_docs_served_from_the_package(client: TestClient) -> None:
    home = client.get("/").text
    assert "<nav>" in home and '<a href="/docs">API</a>' in home.split("<nav>", 1)[1].split("</nav>", 1)[0]
    docs = client.get("/docs").text
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>' in docs
    assert '<div id="swagger-ui" data-spec="/openapi.json"></div>' in docs
    assert len(re.findall(r'<li><a href="/api/queries/[a-z-]+">', docs)) == len(client.app.state.release.queries)
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "swagger-ui/LICENSE"):
        assert client.get(f"/static/vendor/{asset}").status_code == 200, asset
    assert "sourceMappingURL" not in client.get("/static/vendor/swagger-ui/swagger-ui.css").text


def test_the_catalogue_the_command_line_and_openapi_agree_on_required_parameters(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from rcpgraph.cli import main as cli

    assert cli(["query", "--list", "--format", "json"]) == 0
    listed = {
        q["name"]: {p["name"]: p["required"] for p in q["parameters"]} for q in json.loads(capsys.readouterr().out)
    }
    served = {q["name"]: {p["name"]: p["required"] for p in q["parameters"]} for q in client.get("/api/queries").json()}
    paths = client.get("/openapi.json").json()["paths"]
    documented = {
        name: {
            p["name"]: p["required"]
            for p in paths[f"/api/queries/{name}"]["get"]["parameters"]
            if p["name"] != "format"
        }
        for name in served
    }
    assert listed == served == documented
    assert served["cell"] == {"process": True, "dimension": True}
    # basis is required in the query, but it has a default; limit and offset page the listing
    assert served["by-information-basis"] == {"basis": False, "limit": False, "offset": False}


def test_the_query_page_loads_its_editor_from_the_package(client: TestClient) -> None:
    page = client.get("/query").text
    for asset in ("vendor/codemirror/codemirror.js", "vendor/codemirror/sparql.js", "query.js"):
        assert f'<script src="/static/{asset}" defer></script>' in page
        assert client.get(f"/static/{asset}").status_code == 200
    assert client.get("/static/vendor/codemirror/LICENSE").text.startswith("MIT License")
    data = json.loads(page.split('<script type="application/json" id="query-data">', 1)[1].split("</script>", 1)[0])
    queries = client.app.state.release.queries
    assert data["examples"] == {name: query.sparql for name, query in queries.items()}
    assert data["prefixes"]["rcp"] == "https://w3id.org/rcpgraph/ontology#"
    assert len(re.findall(r'<button type="button" class="prefix" data-prefix="[a-z]+">', page)) == len(data["prefixes"])


def test_closed_parameters_are_drop_downs_and_open_ones_suggest(client: TestClient) -> None:
    page = client.get("/query", params={"name": "status-by-dimension", "dimension": "research"}).text
    dimension = page.split('<select name="dimension" id="param-dimension" required>', 1)[1].split("</select>", 1)[0]
    assert len(re.findall(r"<option value=\"[a-z-]+\"", dimension)) == 10  # the eight columns and their two groups
    assert '<option value="research" selected>research</option>' in dimension
    status = page.split('<select name="status" id="param-status" required>', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([a-z-]+)"', status) == [
        "answered",
        "blank",
        "fragment",
        "no-example-provided",
        "no-response-given",
    ]
    process = client.get("/query", params={"name": "cell"}).text
    options = process.split('<select name="process" id="param-process" required>', 1)[1].split("</select>", 1)[0]
    assert '<option value="colombo-process">Colombo Process</option>' in options and options.count("<option") == 17
    partners = client.get("/query", params={"name": "organisation-partners"}).text
    assert 'list="options-organisation" autocomplete="off"' in partners
    suggestions = partners.split('<datalist id="options-organisation">', 1)[1].split("</datalist>", 1)[0]
    assert (
        suggestions.count("<option") == 41
        and '<option value="organisation/icmpd">International Centre for Migration Policy Development</option>'
        in suggestions
    )


def test_the_api_link_the_share_link_and_downloads_keep_the_values(client: TestClient) -> None:
    given = {"name": "status-by-dimension", "run": "1", "dimension": "research", "status": "answered"}
    page = client.get("/query", params=given).text
    api = "/api/queries/status-by-dimension?dimension=research&amp;status=answered"
    assert f'<a class="api" id="api" href="{api}">API</a>' in page
    assert (
        '<a id="share" href="/query?name=status-by-dimension&amp;run=1&amp;dimension=research&amp;status=answered">'
        in page
    )
    downloads = re.findall(r'<a class="download" href="([^"]+)" download="([^"]+)">([^<]+)</a>', page)
    assert downloads == [
        (f"{api}&amp;format=csv", "status-by-dimension.csv", "CSV"),
        (f"{api}&amp;format=tsv", "status-by-dimension.tsv", "TSV"),
        (f"{api}&amp;format=json", "status-by-dimension.json", "JSON"),
    ]
    csv = client.get(downloads[0][0].replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    network = client.get("/query", params={"name": "cross-fertilization-network", "run": "1"}).text
    assert re.findall(r'download="([^"]+)">', network) == [
        "cross-fertilization-network.ttl",
        "cross-fertilization-network.jsonld",
    ]
    adhoc = client.get("/query", params={"sparql": "ASK { ?s ?p ?o }"}).text
    assert '<a id="share" href="/query?sparql=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D">' in adhoc
    assert (
        '<a class="download" href="/sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D&amp;format=csv" download="result.csv">'
        in adhoc
    )
    assert client.get("/sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D&format=csv").text == "_askResult\r\ntrue\r\n"


def test_marks_never_split_a_word_and_a_legend_says_what_each_colour_names(client: TestClient) -> None:
    """The theme keyword "remittance" selects part of "remittances": the mark takes the whole word."""
    page = main(client.get("/id/response/apc/capacity-building", headers=HTML).text)
    assert re.findall(r'<a href="/id/theme/remittances">([^<]*)</a></mark>', page) == ["remittances"] * 2
    sacm = main(client.get("/id/response/sacm/founding-documents", headers=HTML).text)
    legend = sacm.split('<p class="names">Words that name:', 1)[1].split("</p>", 1)[0]
    swatches = re.findall(r'<a class="swatch c(\d)" href="([^"]+)">', legend)
    assert swatches[:3] == [
        ("0", "/id/document/quito-declaration-2002"),
        ("1", "/id/initiative/sacm-studies-remittance-cost-reduction"),
        ("2", "/id/organisation/inter-american-development-bank"),
    ]
    assert len(swatches) == 11 and [c for c, _ in swatches] == [str(i % 6) for i in range(11)]
    verbatim = sacm.split("<h4>Verbatim OCR text</h4>", 1)[1].split("</div>", 1)[0]
    marked = '<mark class="c2" title="Inter-American Development Bank; Studies on cost reduction and guaranteed '
    assert marked + 'transfer of remittances; Quito Declaration"><a href="/id/organisation/inter-american' in verbatim
    assert ") for studies on cost reduction and guaranted transfer of remitlances<mark" in verbatim  # OCR's own words


def test_values_show_without_datatype_or_language_suffixes(client: TestClient) -> None:
    page = main(client.get("/id/dataset", headers=HTML).text)
    assert (
        '<span class="literal" title="xsd:integer">61</span>' in page and '</span> <span class="note">xsd:' not in page
    )
    assert '<span class="literal" title="@en">rcpgraph: Regional Consultative Processes on migration</span>' in page


def test_parts_annotations_and_partitions_have_readable_titles(client: TestClient) -> None:
    def title(path: str) -> str:
        return re.search(r"<h1>(.*?)</h1>", client.get(path, headers=HTML).text).group(1)

    assert title("/id/response/sacm/founding-documents/annotation/1") == (
        "“2002 Quito Declaration requested aid from the international …” names Quito Declaration"
    )
    assert title("/id/response/sacm/founding-documents/derivation/1") == (
        "derivation 1 of SACM: founding documents, plans of action and other recommendations"
    )
    dataset = main(client.get("/id/dataset", headers=HTML).text)
    partitions = re.findall(r'<a href="/id/dataset/class/\d+" title="[^"]+">([^<]+)</a>', dataset)
    assert len(partitions) == 61 and "oa:Annotation: 476 instances" in partitions
    assert "regional consultative process: 12 instances" in partitions and "rcpid:" not in dataset


def test_a_near_miss_iri_suggests_the_closest(client: TestClient) -> None:
    missing = client.get("/id/process/midsaa")
    assert missing.status_code == 404 and missing.text == (
        "no resource https://w3id.org/rcpgraph/id/process/midsaa in the release "
        "(did you mean process/midsa, process/midwa?)\n"
    )
    assert (
        client.get("/id/process/atlantis").text
        == "no resource https://w3id.org/rcpgraph/id/process/atlantis in the release\n"
    )


def test_segments_widen_spans_to_words_and_merge_neighbours_marked_alike(client: TestClient) -> None:
    from rcpgraph.serve.cell_views import Highlight, in_verbatim, segments

    release = client.app.state.release
    links = Linker(release.settings, Labels(release.graph, release.ontology))
    midsa = RCPID["process/midsa"]
    text = "MIDSA and MIDSA: remittances"
    pieces = segments(text, [Highlight(0, 5, midsa), Highlight(5, 15, midsa), Highlight(17, 27, None)], links)
    assert [(p.text, p.marked, [n.label for n in p.names]) for p in pieces] == [
        ("MIDSA and MIDSA", True, ["Migration Dialogue for Southern Africa"]),
        (": ", False, []),
        ("remittances", True, []),
    ]
    verbatim = in_verbatim("MIDSA and MIDSA; remitances", pieces)
    assert [(p.text, p.marked) for p in verbatim] == [("MIDSA and MIDSA", True), ("; remitances", False)]
