"""Statements: every quote is found in its cell, names, dates and themes are in the quoted words."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.errors import InputError
from rcpgraph.pipeline import graph


def _error(tree: Path) -> str:
    with pytest.raises(InputError) as caught:
        graph.load_inputs(paths.Layout(tree, is_checkout=True))
    return str(caught.value)


def _replace(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must occur once) and return the 1-based line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture()
def colombo(tree: Path) -> Path:
    return tree / "data" / "curation" / "statements" / "colombo-process.yaml"


def test_deleting_a_quoted_word_from_a_correction_fails_the_build_and_keeps_the_release(
    tree: Path, colombo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tree / "data" / "release"
    before = {path.name: path.read_bytes() for path in release.iterdir()}
    corrections = tree / "data" / "curation" / "corrections.yaml"
    _replace(corrections, '  right: "took place"', '  right: "took"')
    text = colombo.read_text()
    line = text[: text.index("Labour Administrators Training Course took place")].count("\n")
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"rcpgraph build: {colombo}:{line}: the words 'Labour Administrators Training Course took place in "
        "Bangkok 2005 which included migration management and remittances within the program' are not in "
        "the corrected text of colombo-process/capacity-building\n"
    )
    assert {path.name: path.read_bytes() for path in release.iterdir()} == before


CASES = {
    "a date not printed at that precision": (
        "    date: 2004-12-18/2004-12-20\n",
        "    date: 2004-12\n",
        "    date: 2004-12",
        "the date 2004-12 is not printed in the quoted words at that precision (they state: 2004-12-18/2004-12-20)",
    ),
    "a date not printed at all": (
        "    date: 2005\n    location: bangkok",
        "    date: 2006\n    location: bangkok",
        "    date: 2006",
        "the date 2006 is not printed in the quoted words at that precision (they state: 2005)",
    ),
    "a place not named in the words": (
        "    location: kuwait-city\n",
        "    location: manila\n",
        "    location: manila",
        "location 'manila': none of its names (Manila) is in the quoted words",
    ),
    "a partner not named in the words": (
        "    location: kuwait-city\n",
        "    location: kuwait-city\n    involves: [iom]\n",
        "    involves: [iom]",
        "involves 'iom': none of its names (International Organization for Migration, IOM) is in the quoted words",
    ),
    "a theme without its keyword": (
        "    themes: [labour-migration, brain-drain]",
        "    themes: [labour-migration, trafficking]",
        "    themes: [labour-migration, trafficking]",
        "theme 'trafficking': none of its keywords (trafficking) is in the quoted words",
    ),
    "an unknown place": (
        "    location: kuwait-city\n",
        "    location: atlantis\n",
        "    location: atlantis",
        "unknown place 'atlantis' (add it to entities/places.yaml)",
    ),
    "an unknown type": (
        "    type: training-course\n    label: Labour Attaché",
        "    type: course\n    label: Labour Attaché",
        "    type: course",
        "event 'labour-attache-training-course-2004': unknown type 'course' (expected one of: conference, "
        "meeting, ministerial-meeting, seminar, training-course, working-group-meeting, workshop)",
    ),
    "an unknown key": (
        "    location: kuwait-city\n",
        "    venue: kuwait-city\n",
        "    venue: kuwait-city",
        "unknown key 'venue' for an event",
    ),
    "an undetermined stance without a note": (
        '  note: >-\n    The cell under "Link to GFMD" speaks of dialogue activities among RCPs and states'
        " no stance on\n"
        "    the GFMD; the editors cannot read one.\n",
        "",
        "gfmd-stance:\n  stance",
        "gfmd-stance: an undetermined stance needs a 'note' giving the editors' reading",
    ),
    "an unknown key under the gfmd-stance": (
        "  stance: undetermined\n",
        "  stance: undetermined\n  reading: none\n",
        "  reading: none",
        "unknown key 'reading' (expected one of: note, occurrence, quote, stance)",
    ),
    "a mapping where a list of keys is expected": (
        "    location: kuwait-city\n",
        "    location: kuwait-city\n    involves: {iom}\n",
        "    involves: {iom}",
        "involves: expected a list of keys, not a mapping",
    ),
    "a list where a key is expected": (
        "    location: kuwait-city\n",
        "    location: [kuwait-city]\n",
        "    location: [kuwait-city]",
        "location: expected a key, not a list",
    ),
    "a list as the statement's key": (
        "  - mention: kuwait\n",
        "  - mention: [kuwait]\n",
        "  - mention: [kuwait]",
        "mention: expected a key, not a list",
    ),
    "text where a list of keys is expected": (
        "    themes: [labour-migration, brain-drain]",
        "    themes: labour-migration",
        "    themes: labour-migration",
        "themes: expected a list of keys, not the text 'labour-migration'",
    ),
    "a list inside a list of keys": (
        "    themes: [labour-migration, brain-drain]",
        "    themes: [[labour-migration], brain-drain]",
        "    themes: [[labour-migration]",
        "themes, item 1: expected a key, not a list",
    ),
    "text where a list of texts is expected": (
        "    location: kuwait-city\n",
        "    location: kuwait-city\n    alt-labels: Labour Attaché Course\n",
        "    alt-labels:",
        "alt-labels: expected a list of texts, not the text 'Labour Attaché Course'",
    ),
    "a quoted occurrence": (
        "  - mention: kuwait\n",
        '  - mention: kuwait\n    occurrence: "1"\n',
        "    occurrence:",
        "occurrence: expected a whole number, not the text '1'",
    ),
    "a statement of two kinds": (
        "  - mention: kuwait\n",
        "  - mention: kuwait\n    theme: remittances\n",
        "  - mention: kuwait",
        "one statement is of one kind, not both 'mention' and 'theme'",
    ),
    "an unknown statement": (
        "  - mention: kuwait\n",
        "  - mentoin: kuwait\n",
        "  - mentoin: kuwait",
        "unknown statement 'mentoin' (expected one of: event, document, initiative, mention, theme, link, "
        "secretariat, membership)",
    ),
    "a statement of no kind": (
        "  - mention: kuwait\n",
        "  - note: Kuwait\n",
        "  - note: Kuwait",
        "expected a statement such as '- event: KEY' with its 'quote'",
    ),
    "text where a list of statements is expected": (
        "research:\n",
        "stakeholder-cooperation: none\nresearch:\n",
        "stakeholder-cooperation: none",
        "stakeholder-cooperation: expected a list of statements, not the text 'none'",
    ),
    "text where a statement is expected": (
        "  - mention: kuwait\n    quote: Kuwait City, Kuwait which\n",
        "  - Kuwait\n",
        "  - Kuwait",
        "capacity-building, item 2: expected a statement such as '- event: KEY' with its 'quote', "
        "not the text 'Kuwait'",
    ),
    "an occurrence below 1": (
        "  - mention: kuwait\n",
        "  - mention: kuwait\n    occurrence: 0\n",
        "    occurrence:",
        "occurrence: expected 1 or more, not 0",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_mistakes_name_the_file_and_line(case: str, tree: Path, colombo: Path) -> None:
    old, new, needle, message = CASES[case]
    _replace(colombo, old, new)
    text = colombo.read_text()
    line = text[: text.index(needle)].count("\n") + 1
    error = _error(tree)
    assert error.startswith(f"{colombo}:{line}: "), error
    assert message in error


ENTITY_CASES = {
    "a list where a kind is expected": (
        "organisations.yaml",
        "  acronym: IOM\n  kind: international-organisation",
        "  acronym: IOM\n  kind: [international-organisation]",
        "  kind: [",
        "kind: expected a key, not a list",
    ),
    "a number where an acronym is expected": (
        "organisations.yaml",
        "  acronym: IOM\n",
        "  acronym: 1951\n",
        "  acronym: 1951",
        "acronym: expected text, not the number 1951",
    ),
    "a list where a place's kind is expected": (
        "places.yaml",
        "kuwait: {kind: country, label: Kuwait}",
        "kuwait: {kind: [country], label: Kuwait}",
        "kuwait:",
        "kind: expected a key, not a list",
    ),
    "text where keywords are expected": (
        "themes.yaml",
        "  keywords: [trafficking]",
        "  keywords: trafficking",
        "  keywords: trafficking",
        "keywords: expected a list of texts, not the text 'trafficking'",
    ),
}


@pytest.mark.parametrize("case", ENTITY_CASES, ids=list(ENTITY_CASES))
def test_entity_mistakes_name_the_file_and_line(case: str, tree: Path) -> None:
    name, old, new, needle, message = ENTITY_CASES[case]
    path = tree / "data" / "curation" / "entities" / name
    _replace(path, old, new)
    text = path.read_text()
    line = text[: text.index(needle)].count("\n") + 1
    assert _error(tree) == f"{path}:{line}: {message}"


def test_a_statement_is_of_the_kind_it_declares_whatever_its_first_key(tree: Path, colombo: Path) -> None:
    before = graph.load_inputs(paths.Layout(tree, is_checkout=True)).extraction.mentions
    _replace(
        colombo,
        "  - mention: kuwait\n    quote: Kuwait City, Kuwait which\n",
        "  - quote: Kuwait City, Kuwait which\n    mention: kuwait\n",
    )
    assert graph.load_inputs(paths.Layout(tree, is_checkout=True)).extraction.mentions == before


def test_a_statements_file_named_yml_is_refused(tree: Path, colombo: Path) -> None:
    renamed = colombo.rename(colombo.with_suffix(".yml"))
    assert _error(tree) == f"{renamed}:1: a statements file ends in .yaml, not .yml: rename it colombo-process.yaml"


def test_a_second_definition_is_refused(tree: Path, colombo: Path) -> None:
    text = colombo.read_text()
    definition = text[
        text.index("  - event: labour-attache-training-course-2004") : text.index("  - mention: kuwait\n")
    ]
    colombo.write_text(
        text
        + "\nstakeholder-cooperation:\n"
        + definition.replace(
            "Labour Attaché Training Course, 18-20 December 2004, Kuwait City, Kuwait which included\n"
            "      migration management and remittances within the program",
            "Cooperation with other stakeholders",
        )
    )
    lines = colombo.read_text().splitlines()
    second = max(n for n, text in enumerate(lines, 1) if text == "  - event: labour-attache-training-course-2004")
    first = min(n for n, text in enumerate(lines, 1) if text == "  - event: labour-attache-training-course-2004")
    assert _error(tree) == (
        f"{colombo}:{second}: event 'labour-attache-training-course-2004' is already defined at {colombo}:{first}"
    )


def test_every_process_needs_a_stance(tree: Path) -> None:
    path = tree / "data" / "curation" / "statements" / "apc.yaml"
    path.unlink()
    assert _error(tree) == f"{path}:1: no gfmd-stance for process 'apc'"


def test_a_country_named_for_its_government_is_tagged_as_the_country_too(inputs: graph.Inputs) -> None:
    """One rule for every row: words that are a country's name and name its government are tagged as both."""
    gazetteer, mentions = inputs.gazetteer, inputs.extraction.mentions
    tagged = {(m.span.process, m.span.dimension, m.span.start, m.span.end, m.body) for m in mentions}
    governments = {entity.iri: entity for entity in gazetteer.agents.values() if entity.kind == "Government"}
    named = {
        (m.span.process, m.span.dimension, m.span.start, m.span.end, gazetteer.places[governments[m.body].country].iri)
        for m in mentions
        if m.body in governments
        and gazetteer.places[governments[m.body].country].find(m.span.exact) == [(0, len(m.span.exact))]
    }
    assert len(named) == 23
    assert named - tagged == set()
