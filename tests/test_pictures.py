"""The pictures: each names every link, event or cell its stored query gives, the same release gives the same
bytes, `rcpgraph draw` works with the network blocked, and bad arguments get one clear message."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.namespaces import RCP, RCPID
from rcpgraph.pictures import NAMES, asker, draw
from rcpgraph.pictures.model import Ask
from rcpgraph.pictures.names import rows
from rcpgraph.sparql.catalogue import catalogue
from rcpgraph.sparql.store import open_store

LAYOUT = paths.locate()
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def new_ask() -> Ask:
    """The stored queries' answers on the committed release, from a store of their own."""
    return asker(open_store(paths.query_files(LAYOUT.release_dir)), catalogue(LAYOUT.queries_dir))


@pytest.fixture(scope="module")
def ask() -> Ask:
    return new_ask()


def hrefs(svg: str) -> Counter[str]:
    """How many links point at each address."""
    return Counter(re.findall(r'<a href="([^"]*)"', svg))


def links_of(ask: Ask) -> dict[str, str]:
    """The cross-fertilization links of the network query's answer, with their status."""
    triples = ask("cross-fertilization-network").triples
    links = {s.value for s, p, o in triples if p.value == RDF_TYPE and o.value == RCP + "CrossFertilizationLink"}
    return {s.value: o.value for s, p, o in triples if s.value in links and p.value == RCP + "linkStatus"}


def test_the_usual_names_are_the_names_people_use(ask: Ask) -> None:
    named = {row["item"].removeprefix(RCPID): row["name"] for row in rows(ask, "usual-names")}
    assert [named["process/" + slug] for slug in ("colombo-process", "puebla-process", "soderkoping-process")] == [
        "Colombo Process",
        "Puebla Process",
        "Söderköping Process",
    ]
    assert [named["process/" + slug] for slug in ("5plus5-dialogue", "bali-process", "midsa")] == [
        "5+5 Dialogue",
        "Bali Process",
        "MIDSA",
    ]
    assert (named["organisation/iom"], named["status/no-response-given"]) == ("IOM", "no response given")
    assert named["process/gfmd"] == "GFMD"  # printed three times; "the Global Forum" once, after "the GFMD"


def test_the_network_links_every_link_and_end_of_the_query(ask: Ask) -> None:
    picture = draw("network", ask)
    links = links_of(ask)
    assert len(links) == 28 and Counter(links.values())[RCPID + "link-status/potential"] == 4
    triples = ask("cross-fertilization-network").triples
    ends = {o.value for s, p, o in triples if p.value in (RCP + "linkFrom", RCP + "linkTo")}
    assert len(ends) == 24
    found = hrefs(picture.svg)
    assert set(found) == set(links) | ends and all(count == 1 for count in found.values())
    assert picture.svg.count('stroke-dasharray="6 4" marker-end') == 4 + 1  # the potential links and the legend's
    assert len(picture.table.rows) == 28


def test_the_network_shows_both_directions_of_a_link_and_the_groups(ask: Ask) -> None:
    picture = draw("network", ask)
    assert RCPID + "link/budapest-process/soderkoping-process" in picture.svg
    assert RCPID + "link/soderkoping-process/budapest-process" in picture.svg
    assert (
        "<title>Colombo Process (Ministerial Consultation on Overseas Employment and Contractual Labour" in picture.svg
    )
    midsa = picture.svg.split(f'<a href="{RCPID}process/midsa"', 1)[1]
    assert re.match(r'[^>]*><title>[^<]*</title><circle [^>]*fill="#1f77b4"', midsa)
    assert "Group 1: migration and development as a thematic priority" in picture.svg


def test_a_process_neighbourhood_has_the_links_it_reports_and_those_reported_to_it(ask: Ask) -> None:
    links = [link for link in links_of(ask) if "/bali-process" in link]
    picture = draw("network", ask, process="bali-process")
    assert sorted(link.removeprefix(RCPID + "link/") for link in links) == [
        "bali-process/iom",
        "budapest-process/bali-process",
        "midsa/bali-process",
    ]
    assert set(links) <= set(hrefs(picture.svg)) and len(picture.table.rows) == 3
    assert '<title id="network-bali-process-title">Cross-fertilization network of Bali Process</title>' in picture.svg


def test_the_timeline_links_every_dated_item_at_its_precision(ask: Ask) -> None:
    picture = draw("timeline", ask)
    answer = rows(ask, "timeline")
    assert len(answer) == 43
    assert set(hrefs(picture.svg)) - {row["process"] for row in answer} == {row["individual"] for row in answer}
    assert "<title>Labour Attaché Training Course (event, 2004-12-18 to 2004-12-20)</title>" in picture.svg
    day, month, year = (
        re.search(rf'{re.escape(RCPID + slug)}"[^>]*><title>[^<]*</title><rect [^>]* width="([0-9.]+)"', picture.svg)
        for slug in (
            "event/labour-attache-training-course-2004",
            "event/rcgm-meeting-2004-12-panama",
            "document/dakar-declaration-2000",
        )
    )
    assert day and month and year
    assert (day.group(1), month.group(1), year.group(1)) == ("4", "7.5", "90")
    lanes = re.findall(r'<rect x="0" y="[0-9.]+" width="192"', picture.svg)
    assert len(lanes) == 12  # eleven processes undertake dated items, and three documents name none
    assert "no process stated" in picture.svg


def test_a_process_timeline_has_its_own_items_only(ask: Ask) -> None:
    picture = draw("timeline", ask, process="midsa")
    own = {row["individual"] for row in rows(ask, "timeline") if row["process"] == RCPID + "process/midsa"}
    assert len(own) == 9
    assert set(hrefs(picture.svg)) == own | {RCPID + "process/midsa"}


def test_the_matrix_has_every_cell_with_its_status(ask: Ask) -> None:
    picture = draw("matrix", ask)
    answer = rows(ask, "completeness-matrix")
    assert len(answer) == 96
    responses = {row["response"] for row in answer}
    processes = {row["process"] for row in answer}
    dimensions = {row["dimension"] for row in answer}
    assert set(hrefs(picture.svg)) == responses | processes | dimensions
    assert len(picture.table.rows) == 12 and len(picture.table.header) == 9
    for label in ("answered", "fragment", "no example provided", "no response given", "blank"):
        assert f">{label}</text>" in picture.svg
    assert (
        picture.svg.count('fill="#cfe8d5"') == Counter(row["status"] for row in answer)[RCPID + "status/answered"] + 1
    )


def test_the_bar_charts_count_as_their_queries(ask: Ask) -> None:
    statuses = draw("statuses", ask)
    per_dimension = Counter()
    for row in rows(ask, "statuses-per-dimension"):
        per_dimension[row["dimension"]] += int(row["cells"])
    assert len(per_dimension) == 8 and set(per_dimension.values()) == {12}
    assert [row[-1].text for row in statuses.table.rows] == ["12"] * 8
    individuals = draw("individuals", ask)
    assert len(individuals.table.rows) == 12
    assert individuals.table.rows[0][0].text == "MIDSA" and individuals.table.rows[0][-1].text == "29"
    cells = draw("cells", ask)
    expected = [(row["label"], row["cells"]) for row in rows(ask, "status-counts")]
    assert [(row[0].text, row[1].text) for row in cells.table.rows] == expected
    assert expected[0] == ("answered", "44") and sum(int(count) for _, count in expected) == 96


@pytest.mark.parametrize("name", NAMES)
def test_two_draws_give_the_same_bytes(ask: Ask, name: str) -> None:
    first = draw(name, ask).svg
    assert draw(name, new_ask()).svg == first
    assert first.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and first.endswith("</svg>\n")
    assert f'<title id="{name}-title">' in first and f'<desc id="{name}-desc">' in first
    assert f'role="group" aria-labelledby="{name}-title {name}-desc"' in first  # its links stay reachable


def test_draw_writes_the_file_with_the_network_blocked(tmp_path: Path, ask: Ask) -> None:
    script = (
        "import sys\nfrom rcpgraph import offline\nfrom rcpgraph.cli import main\n"
        "with offline.guard():\n    code = main(sys.argv[1:])\nsys.exit(code)\n"
    )
    for output in ("net.svg", "again.svg"):
        command = [sys.executable, "-c", script, "draw", "network", "-o", str(tmp_path / output)]
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "net.svg").read_bytes() == (tmp_path / "again.svg").read_bytes()
    assert (tmp_path / "net.svg").read_text(encoding="utf-8") == draw("network", ask).svg


def test_draw_writes_to_standard_output_or_a_file(tmp_path: Path, ask: Ask, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", "matrix", "--process", "midsa"]) == 0
    assert capsys.readouterr().out == draw("matrix", ask, process="midsa").svg
    assert main(["draw", "individuals", "-o", str(tmp_path / "individuals.svg")]) == 0
    assert (tmp_path / "individuals.svg").read_text(encoding="utf-8") == draw("individuals", ask).svg


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["draw", "netwrk"],
            "rcpgraph draw: error: argument PICTURE: invalid choice: 'netwrk' (choose from 'network', 'timeline', "
            "'matrix', 'statuses', 'individuals', 'cells')\n",
        ),
        (
            ["draw", "network", "--process", "midsaa"],
            'rcpgraph draw: --process: no process is named "midsaa"; did you mean midsa, midwa?\n',
        ),
        (
            ["draw", "cells", "--process", "midsa"],
            "rcpgraph draw: --process: the cells picture counts the whole table; draw it without a process\n",
        ),
        (
            ["draw", "matrix", "--process", "gfmd"],
            "rcpgraph draw: --process: gfmd has no row in the table, and the matrix picture draws rows\n",
        ),
        (
            ["draw", "individuals", "--process", "marri"],
            "rcpgraph draw: --process: marri has no row in the table, and the individuals picture draws rows\n",
        ),
        (
            ["draw", "matrix", "-o", "matrix.png"],
            "rcpgraph draw: -o matrix.png: pictures are written as SVG; name a file ending in .svg\n",
        ),
    ],
)
def test_bad_arguments(arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(arguments) == 2
    assert capsys.readouterr().err == message


def test_an_unknown_picture_from_python(ask: Ask) -> None:
    with pytest.raises(InputError, match=r'^no picture is named "web" \(pictures: network, timeline, matrix, '):
        draw("web", ask)


def exit_code(arguments: list[str]) -> int:
    """The exit code of `rcpgraph ARGUMENTS`, whether it returns or exits (as argparse does)."""
    try:
        return main(arguments)
    except SystemExit as stopped:
        return int(stopped.code or 0)


# ---------------------------------------------------------------- in the service


def test_the_service_serves_each_picture_with_links_to_its_pages(client: TestClient, ask: Ask) -> None:
    answer = client.get("/pictures/network.svg")
    assert (answer.status_code, answer.headers["content-type"]) == (200, "image/svg+xml")
    local = {href.removeprefix("/id/") for href in hrefs(answer.text)}
    assert local == {href.removeprefix(RCPID) for href in hrefs(draw("network", ask).svg)}
    assert client.get("/pictures/network.svg").content == answer.content
    neighbourhood = client.get("/pictures/timeline.svg?process=midsa")
    assert '<title id="timeline-midsa-title">' in neighbourhood.text


def test_the_service_refuses_an_unknown_picture_or_process(client: TestClient) -> None:
    unknown = client.get("/pictures/web.svg")
    assert unknown.status_code == 404
    assert (
        unknown.text
        == 'no picture is named "web" (pictures: network, timeline, matrix, statuses, individuals, cells)\n'
    )
    bad = client.get("/pictures/network.svg?process=midsaa")
    assert (bad.status_code, bad.text) == (
        400,
        'parameter process: no process is named "midsaa"; did you mean midsa, midwa?\n',
    )


def test_pages_show_the_pictures_with_their_tables(client: TestClient) -> None:
    home = client.get("/", headers={"Accept": "text/html"}).text
    assert re.findall(r'<title id="([a-z-]+)-title">', home) == ["network"]  # the status table is the heat map
    assert home.count("(the picture as a table)</summary>") == 1 and '<a href="/pictures/matrix.svg">' in home
    midsa = client.get("/id/process/midsa", headers={"Accept": "text/html"}).text
    assert re.findall(r'<title id="([a-z-]+)-title">', midsa) == ["network-midsa", "timeline-midsa"]
    midwa = client.get("/id/process/midwa", headers={"Accept": "text/html"}).text
    assert re.findall(r'<title id="([a-z-]+)-title">', midwa) == ["timeline-midwa"]  # its row reports no link
    iom = client.get("/id/organisation/iom", headers={"Accept": "text/html"}).text
    assert "<svg" not in iom


@pytest.mark.parametrize(
    ("query", "picture"),
    [
        ("cross-fertilization-network", "network"),
        ("timeline", "timeline"),
        ("completeness-matrix", "matrix"),
        ("statuses-per-dimension", "statuses"),
        ("individuals-per-process", "individuals"),
        ("status-counts", "cells"),
        ("groups", None),
    ],
)
def test_the_query_page_draws_the_answer(client: TestClient, query: str, picture: str | None) -> None:
    page = client.get(f"/query?name={query}&run=1", headers={"Accept": "text/html"}).text
    assert re.findall(r'<title id="([a-z-]+)-title">', page) == ([picture] if picture else [])


def test_the_query_page_draws_no_answer_of_sparql_typed_in(client: TestClient) -> None:
    page = client.get(
        "/query?name=timeline&sparql=SELECT+%3Fx+%7B+BIND(1+AS+%3Fx)+%7D", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    assert "<svg" not in page.text and '<section id="result">' in page.text


def test_the_query_page_draws_the_answer_it_gives(client: TestClient) -> None:
    page = client.get("/query?name=cross-fertilization-network&status=potential&run=1", headers={"Accept": "text/html"})
    figure = page.text.split('<section id="result-picture">', 1)[1]
    assert "4 cross-fertilization links (potential: 4)" in figure


def test_the_query_page_draws_a_stored_query_loaded_as_an_example_and_run_unchanged(client: TestClient) -> None:
    text = LAYOUT.queries_dir.joinpath("status-counts.rq").read_text(encoding="utf-8").replace("\n", "\r\n")
    page = client.get("/query", params={"sparql": text}, headers={"Accept": "text/html"}).text
    assert re.findall(r'<title id="([a-z-]+)-title">', page) == ["cells"]
    changed = client.get("/query", params={"sparql": text + "LIMIT 2"}, headers={"Accept": "text/html"}).text
    assert "<svg" not in changed and '<p class="count">2 rows</p>' in changed
