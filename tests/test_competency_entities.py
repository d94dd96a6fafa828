"""Competency questions 5-10 and 12-14, and further ones of their kinds: entities, links, stances and mentions,
on both engines."""

from __future__ import annotations

import pytest
from competency import ENGINES, ask, processes

CAPTURE = pytest.CaptureFixture[str]


def _tail(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("engine", ENGINES)
def test_cq5_links_in_midsa_cross_fertilization_cell(capsys: CAPTURE, engine: str) -> None:
    rows = ask(
        capsys,
        engine,
        "cross-fertilization-links",
        "--param",
        "process=midsa",
        "--param",
        "dimension=cross-fertilization",
        "--param",
        "target_type=https://w3id.org/rcpgraph/ontology#ConsultativeProcess",
    )
    assert {(_tail(row["target"]), _tail(row["status"])) for row in rows} == {
        ("5plus5-dialogue", "existing"),
        ("puebla-process", "existing"),
        ("bali-process", "existing"),
    }
    assert all(row["evidence"].startswith("Guest speakers invited from 5+5") for row in rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_cq6_host_of_the_budapest_and_mtm_secretariats(capsys: CAPTURE, engine: str) -> None:
    rows = ask(capsys, engine, "secretariats")
    hosts: dict[str, set[str]] = {}
    for row in rows:
        hosts.setdefault(row["hostAcronym"], set()).add(_tail(row["process"]))
    both = [host for host, served in hosts.items() if {"budapest-process", "mtm-dialogue"} <= served]
    assert both == ["ICMPD"]


@pytest.mark.parametrize("engine", ENGINES)
def test_cq7_mtm_mixed_migration_flows_project(capsys: CAPTURE, engine: str) -> None:
    rows = ask(capsys, engine, "initiatives", "--param", "process=mtm-dialogue")
    project = [r for r in rows if r["label"] == "Towards a Comprehensive Response to Mixed Migration Flows"]
    assert {row["partnerAcronym"] if "partnerAcronym" in row else row["partnerLabel"] for row in project} == {
        "ICMPD",
        "Europol",
        "Frontex",
    }
    assert {row["year"] for row in project} == {"2006"}


@pytest.mark.parametrize("engine", ENGINES)
def test_cq8_labour_attache_training_course(capsys: CAPTURE, engine: str) -> None:
    rows = ask(capsys, engine, "events", "--param", "process=colombo-process")
    (course,) = [row for row in rows if row["label"] == "Labour Attaché Training Course"]
    assert (course["startDate"], course["endDate"], course["year"]) == ("2004-12-18", "2004-12-20", "2004")
    assert (course["placeLabel"], course["countryLabel"], course["countryCode"]) == ("Kuwait City", "Kuwait", "KW")
    assert "yearMonth" not in course


@pytest.mark.parametrize("engine", ENGINES)
def test_cq9_gfmd_stances(capsys: CAPTURE, engine: str) -> None:
    rows = ask(capsys, engine, "gfmd-stances")
    stances = {slug: _tail(row["stance"]) for slug, row in zip(processes(rows), rows, strict=True)}
    assert stances == {
        "midsa": "undetermined",
        "midwa": "no-response",
        "colombo-process": "undetermined",
        "puebla-process": "no-response",
        "sacm": "no-response",
        "5plus5-dialogue": "no-response",
        "soderkoping-process": "willing",
        "igc": "no-link-envisaged",
        "mtm-dialogue": "no-response",
        "bali-process": "willing",
        "budapest-process": "willing",
        "apc": "planned-activity",
    }
    notes = {slug: row.get("note", "") for slug, row in zip(processes(rows), rows, strict=True)}
    assert '"it."' in notes["midsa"] and notes["colombo-process"].startswith("GFMD stance: ")
    assert all(not notes[slug] for slug in stances if stances[slug] != "undetermined")


@pytest.mark.parametrize("engine", ENGINES)
def test_cq10_founding_documents_on_remittances(capsys: CAPTURE, engine: str) -> None:
    rows = ask(
        capsys, engine, "documents-by-theme", "--param", "theme=remittances", "--param", "dimension=founding-documents"
    )
    assert {(_tail(row["document"]), _tail(row["owner"]), row.get("year")) for row in rows} == {
        ("dakar-declaration-2000", "midwa", "2000"),
        ("dakar-declaration-implementation-and-follow-up", "midwa", None),
        ("quito-declaration-2002", "sacm", "2002"),
        ("panama-plan-of-action-2004", "puebla-process", "2004"),
        ("5plus5-paris-action-plan-2005-2006", "5plus5-dialogue", "2005"),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_cq12_bali_cross_fertilizes_after_reasoning(capsys: CAPTURE, engine: str) -> None:
    rows = ask(
        capsys,
        engine,
        "cross-fertilization-neighbours",
        "--param",
        "process=bali-process",
        "--param",
        "status=existing",
    )
    assert {"midsa", "budapest-process"} <= {_tail(row["neighbour"]) for row in rows}


def test_cq12_neither_link_is_stated_from_balis_own_row(asserted) -> None:
    from rcpgraph import vocabulary
    from rcpgraph.vocabulary import RCP

    bali = vocabulary.process("bali-process")
    assert (bali, RCP.crossFertilizesWith, vocabulary.process("midsa")) not in asserted
    assert (bali, RCP.crossFertilizesWith, vocabulary.process("budapest-process")) not in asserted


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("organisation", "expected"),
    [("iom", {"midsa", "soderkoping-process", "igc", "bali-process"}), ("unhcr", {"sacm", "igc"})],
)
def test_cq13_cq14_rows_mentioning(capsys: CAPTURE, engine: str, organisation: str, expected: set[str]) -> None:
    rows = ask(capsys, engine, "rows-mentioning", "--param", f"organisation={organisation}")
    assert set(processes(rows)) == expected
    assert all(organisation.upper() in row["words"] for row in rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_cq13_rows_that_print_a_country_named_for_its_government(capsys: CAPTURE, engine: str) -> None:
    """Canada is named among the sending countries in Puebla's row and among the governments that participate
    in SACM's: both rows print the place."""
    rows = ask(capsys, engine, "rows-mentioning", "--param", "organisation=place/canada")
    assert [(_tail(row["process"]), _tail(row["dimension"]), row["words"]) for row in rows] == [
        ("puebla-process", "founding-documents", "Canada"),
        ("sacm", "stakeholder-cooperation", "Canada"),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_who_elaborated_the_mtm_map_and_assessment(capsys: CAPTURE, engine: str) -> None:
    rows = ask(capsys, engine, "organisation-partners", "--param", "organisation=europol")
    partners: dict[str, set[str]] = {}
    for row in rows:
        partners.setdefault(_tail(row["activity"]), set()).add(_tail(row["partner"]))
    assert partners == {
        "mixed-migration-flows-project": {"icmpd", "frontex"},
        "mtm-map-irregular-migration-routes": {"icmpd", "frontex"},
        "mtm-assessment-irregular-migration-flows": {"icmpd", "frontex"},
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("events", "Modernization of Migration Management and Cross-border Cooperation"),
        ("events", "Expert meeting held in Benin"),
        ("initiatives", "Studies on cost reduction and guaranteed transfer of remittances"),
    ],
)
def test_no_process_holds_what_the_table_does_not_say_it_holds(
    capsys: CAPTURE, engine: str, query: str, label: str
) -> None:
    rows = [row for row in ask(capsys, engine, query) if row["label"] == label]
    assert rows
    assert all("process" not in row for row in rows)
