"""A mistake in a curation file is reported at the file and line that hold it: the key whose value is wrong,
not the entry it is in; a fragment or label no entry names, at its line of the source table."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcpgraph import paths
from rcpgraph.errors import InputError
from rcpgraph.pipeline import graph

SOURCE = "data/source/annex-b-rcp-development-policy-coherence.txt"
MIDSA = "  printed: [L6F0]\n  group: thematic\n  basis: iom-questionnaire\n"

# file, text, its replacement, a needle marking the line (in the file named, or the source table's line
# number), and what follows "FILE:LINE" in the message.
CASES: dict[str, tuple[str, str, str, str | int, str]] = {
    "an unknown group": (
        "data/curation/processes.yaml",
        MIDSA,
        MIDSA.replace("group: thematic", "group: thematik"),
        "group: thematik",
        ": unknown group 'thematik' (expected one of: thematic, ad-hoc, without-development)",
    ),
    "an unknown basis": (
        "data/curation/processes.yaml",
        MIDSA,
        MIDSA.replace("basis: iom-questionnaire", "basis: questionnaire"),
        "basis: questionnaire",
        ": unknown basis 'questionnaire' (expected one of: iom-questionnaire, primary-sources)",
    ),
    "a basis its row label's marker contradicts": (
        "data/curation/processes.yaml",
        MIDSA,
        MIDSA.replace("basis: iom-questionnaire", "basis: primary-sources"),
        "basis: primary-sources",
        ": process midsa: basis 'primary-sources' does not match the marker '*' of its row label",
    ),
    "a group its row's heading contradicts": (
        "data/curation/processes.yaml",
        MIDSA,
        MIDSA.replace("group: thematic", "group: ad-hoc"),
        "group: ad-hoc",
        ": process midsa: group 'ad-hoc', but its row (line 6) is printed under 'thematic'",
    ),
    "an unknown status in a block entry": (
        "data/curation/cells.yaml",
        "  stakeholder-cooperation:\n    status: blank\n    from: [L26F5]",
        "  stakeholder-cooperation:\n    status: empty\n    from: [L26F5]",
        "status: empty",
        ": unknown status 'empty' (expected one of: answered, fragment, no-example-provided, no-response-given, blank)",
    ),
    "a label no entry names": (
        "data/curation/layout.yaml",
        "  thematic: [L5F0, L5F1, L5F2]",
        "  thematic: [L5F0, L5F1]",
        5,
        ": label L5F2 ('tic Priority') is named by no entry of layout.yaml or processes.yaml",
    ),
    "an unknown type": (
        "data/curation/statements/apc.yaml",
        "    type: workshop\n    label: Workshop on the Implications",
        "    type: study-visit\n    label: Workshop on the Implications",
        "type: study-visit",
        ": event 'apc-workshop-2006-implications-of-gcim-report': unknown type 'study-visit' (expected one of: "
        "conference, meeting, ministerial-meeting, seminar, training-course, working-group-meeting, workshop)",
    ),
    "an unknown link status": (
        "data/curation/statements/bali-process.yaml",
        "  - link: iom\n    status: existing",
        "  - link: iom\n    status: planned",
        "status: planned",
        ": link: 'status' must be one of: existing, potential",
    ),
    "an unknown membership role": (
        "data/curation/statements/midsa.yaml",
        "  - membership: sadc\n    role: invited",
        "  - membership: sadc\n    role: chair",
        "role: chair",
        ": membership: 'role' must be one of: participant, observer, invited",
    ),
    "an unknown secretariat's process": (
        "data/curation/statements/mtm-dialogue.yaml",
        "    of: [budapest-process, mtm-dialogue]",
        "    of: [budapest, mtm-dialogue]",
        "of: [budapest,",
        ": unknown organisation or process 'budapest' (add it to entities/organisations.yaml)",
    ),
    "an unknown GFMD stance": (
        "data/curation/statements/midsa.yaml",
        "  stance: undetermined",
        "  stance: unknown",
        "stance: unknown",
        ": gfmd-stance: 'stance' must be one of: planned-activity, willing, no-link-envisaged, no-response, "
        "undetermined",
    ),
    "an empty list of keywords": (
        "data/curation/entities/themes.yaml",
        "trafficking:\n  keywords: [trafficking]",
        "trafficking:\n  keywords: []",
        "keywords: []",
        ": trafficking: 'keywords' is empty (leave the theme out to match its label)",
    ),
    "a theme without keywords": (
        "data/curation/entities/themes.yaml",
        "trafficking:\n  keywords: [trafficking]",
        "trafficking: {}",
        "trafficking: {}",
        ": trafficking: missing 'keywords'",
    ),
    "a number as a process's key": (
        "data/curation/processes.yaml",
        "\nmidsa:\n",
        "\n1951:\n",
        "1951:",
        ": expected a key, not the number 1951",
    ),
    "a flag as a place's key": (
        "data/curation/entities/places.yaml",
        "kuwait: {kind: country, label: Kuwait}",
        "true: {kind: country, label: Kuwait}",
        "true: {kind",
        ": expected a key, not true",
    ),
    "a date as a fragment's key": (
        "data/curation/noise.yaml",
        "L13F2:",
        "2004-01-01:",
        "2004-01-01:",
        ": expected a key, not the date 2004-01-01",
    ),
    "an unknown kind of organisation": (
        "data/curation/entities/organisations.yaml",
        "  kind: government\n  country: indonesia\n",
        "  kind: ministry\n  country: indonesia\n",
        "kind: ministry",
        ": indonesia-ministry-of-manpower-and-transmigration: unknown kind 'ministry' (expected one of: agency, "
        "government, international-organisation, network, organisation, regional-body, research-organisation)",
    ),
    "an unknown country of an organisation": (
        "data/curation/entities/organisations.yaml",
        "  kind: government\n  country: indonesia\n",
        "  kind: government\n  country: java\n",
        "country: java",
        ": indonesia-ministry-of-manpower-and-transmigration: unknown country 'java' (a country of places.yaml)",
    ),
    "a date with month 13": (
        "data/curation/statements/colombo-process.yaml",
        "    date: 2004-12-18/2004-12-20\n",
        "    date: 2004-13-18\n",
        "date: 2004-13-18",
        ":11: invalid YAML: '2004-13-18' is not a valid date (month must be in 1..12)",
    ),
    "a date with day 30 in February": (
        "data/curation/entities/places.yaml",
        "kuwait: {kind: country, label: Kuwait}",
        "kuwait: {kind: country, label: 2006-02-30}",
        "label: 2006-02-30",
        ":32: invalid YAML: '2006-02-30' is not a valid date (day is out of range for month)",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_mistake_is_reported_at_its_file_and_line(case: str, tree: Path) -> None:
    name, old, new, needle, message = CASES[case]
    path = tree / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    if isinstance(needle, int):
        path, line = tree / SOURCE, needle
    else:
        changed = path.read_text(encoding="utf-8")
        line = changed[: changed.index(needle)].count("\n") + 1
    with pytest.raises(InputError) as caught:
        graph.load_inputs(paths.Layout(tree, is_checkout=True))
    assert str(caught.value) == f"{path}:{line}{message}"
