"""The curation files: every fragment lands once, statuses and column assignments, clear errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rcpgraph import vocabulary
from rcpgraph.errors import InputError
from rcpgraph.pipeline import cells, curation, source


@pytest.fixture(scope="module")
def table(layout):
    return source.read(layout.source_file, layout.checksum_file)


@pytest.fixture(scope="module")
def terms(layout):
    return vocabulary.read(layout.ontology_file)


@pytest.fixture(scope="module")
def plans(layout, table, terms):
    return curation.load(layout.curation_dir, table, terms)


@pytest.fixture(scope="module")
def read(table, plans):
    return cells.read_cells(table, plans)


def test_96_cells_of_12_processes(plans, terms) -> None:
    assert len(plans.cells) == 96
    assert [p.slug for p in plans.regional_processes()] == [
        "midsa",
        "midwa",
        "colombo-process",
        "puebla-process",
        "sacm",
        "5plus5-dialogue",
        "soderkoping-process",
        "igc",
        "mtm-dialogue",
        "bali-process",
        "budapest-process",
        "apc",
    ]
    assert {d for _, d in plans.cells} == set(terms.keys("dimension")) and len(terms.keys("dimension")) == 8


def test_every_fragment_lands_exactly_once_or_is_noise(table, plans) -> None:
    uses = Counter()
    for plan in plans.cells.values():
        for ref in plan.refs:
            if table.field(ref.line, ref.field) is not None:
                uses[(ref.line, ref.field, ref.part)] += 1
    expected = Counter()
    for fragment in table.fragments():
        if fragment.key in plans.noise:
            continue
        split = plans.splits.get(fragment.key)
        parts = range(1, len(split.parts) + 1) if split else [None]
        for part in parts:
            expected[(fragment.line, fragment.field, part)] = 1
    assert uses == expected
    assert sorted(plans.noise) == [(11, 7), (11, 8), (13, 2)]


def test_every_word_of_every_fragment_is_in_a_cell_or_noise(table, read, plans) -> None:
    """Concatenating the cells' verbatim parts gives back each fragment, up to split white space."""
    pieces: dict[tuple[int, int], list[str]] = {}
    for cell in read.values():
        for part in cell.parts:
            pieces.setdefault((part.line, part.field), []).append(part.verbatim)
    for fragment in table.fragments():
        if fragment.key in plans.noise:
            assert fragment.key not in pieces
            continue
        assert " ".join(pieces[fragment.key]).split() == fragment.text.split()


def test_status_counts(read) -> None:
    counts = Counter(cell.plan.status for cell in read.values())
    assert counts == {"answered": 44, "blank": 16, "no-response-given": 16, "no-example-provided": 12, "fragment": 8}


def test_column_assignments(read) -> None:
    inferred = sorted(f"{p}/{d}" for (p, d), cell in read.items() if cell.assignment == "inferred")
    assert len(inferred) == 46
    assert "puebla-process/capacity-building" in inferred
    assert "sacm/founding-documents" in inferred
    assert "sacm/research" not in inferred
    assert all(read[key].plan.reason for key in read if read[key].assignment == "inferred")


def test_joined_cells(read) -> None:
    colombo = read[("colombo-process", "pilot-projects")]
    assert [(p.line, p.field) for p in colombo.parts] == [(9, 3), (10, 3)]
    assert colombo.text.startswith("migrants access to information.")
    assert "AENEAS Project" in colombo.text
    puebla = read[("puebla-process", "research")]
    assert puebla.text.startswith("Research conducted for the 1998 Seminar on International Migration")
    assert read[("5plus5-dialogue", "founding-documents")].text.endswith(
        "Voluntary return and reintegration projects are also important."
    )


def test_corrections_keep_the_verbatim_text(read) -> None:
    sacm = read[("sacm", "founding-documents")]
    assert "remitlances" in sacm.source_text and "remitlances" not in sacm.text
    assert "guaranteed transfer of remittances" in sacm.text
    edit = sacm.parts[0].edits[0]
    assert (edit.line, edit.field) == (14, 3)
    assert sacm.source_text[edit.start : edit.end] == "guaranted transfer of remitlances"


def test_garble_is_replaced_by_an_ellipsis(read) -> None:
    cell = read[("puebla-process", "founding-documents")]
    assert "Bingingorican" in cell.source_text
    assert "Bingingorican" not in cell.text
    assert "impact of migration … migration variable is incorporated" in cell.text


def test_every_character_of_a_cell_is_traced_to_the_words_it_is_read_from(read, table) -> None:
    """A character kept as printed comes from its own place in its fragment; one a correction wrote, from
    the span of the words it corrects; white space from none."""
    kept = corrected = 0
    for cell in read.values():
        if cell.text is None:
            continue
        for char, origin in zip(cell.text, cell.origins, strict=True):
            if origin is None:
                assert char == " "
                continue
            part = cell.parts[origin[0] - 1]
            edits = [e for e in part.edits if (e.start, e.end) == origin[1:]]
            if edits:
                assert char in edits[0].correction.right
                corrected += 1
            else:
                assert table.field(part.line, part.field).text[origin[1] : origin[2]] == char
                kept += 1
    assert (kept, corrected) == (16041, 447)


def test_words_are_traced_to_the_fragments_that_print_them(read) -> None:
    colombo = read[("colombo-process", "pilot-projects")]
    start = colombo.text.index("AENEAS Project")
    (aeneas,) = colombo.pieces(start, start + len("AENEAS Project"))
    assert (aeneas.order, aeneas.line, aeneas.field, aeneas.start, aeneas.end) == (1, 10, 3, 0, 14)
    words = "The centres aim to provide migrants"
    start = colombo.text.index(words)
    (piece,) = colombo.pieces(start, start + len(words))
    assert start == 32  # one more than printed: "migrants access to information" is one character longer
    assert (piece.line, piece.field, piece.start, piece.end) == (9, 3, 31, 66)
    across = "the 1998 Seminar"
    puebla = read[("puebla-process", "research")]
    start = puebla.text.index(across)
    first, second = puebla.pieces(start, start + len(across))
    assert [(p.order, p.line, p.field, p.start, p.end) for p in (first, second)] == [
        (1, 10, 1, 23, 26),
        (2, 11, 1, 0, 12),
    ]
    garble = read[("puebla-process", "founding-documents")]
    start = garble.text.index("… migration variable")
    (piece,) = garble.pieces(start, start + 1)
    part = next(p for p in garble.parts if (p.line, p.field) == (piece.line, piece.field))
    edit = next(e for e in part.edits if e.correction.right == "… migration variable")
    assert (piece.line, piece.field, piece.start, piece.end) == (11, 4, edit.start, edit.end) == (11, 4, 0, 72)


def test_split_fields(read) -> None:
    first, second = read[("sacm", "research")], read[("sacm", "capacity-building")]
    assert (first.parts[0].start, first.parts[0].end) == (0, 19)
    assert (second.parts[0].start, second.parts[0].end) == (20, 39)
    assert first.text == second.text == "no example provided"


def test_blank_cells_have_no_text(read) -> None:
    bali = read[("bali-process", "cross-fertilization")]
    assert (bali.plan.status, bali.source_text, bali.text) == ("blank", "-", None)
    sacm = read[("sacm", "intra-governmental-consultation")]
    assert (sacm.parts, sacm.source_text, sacm.assignment) == ((), None, "inferred")


# ---------------------------------------------------------------- errors name the file and line


def _edit(folder: Path, name: str, old: str, new: str) -> Path:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    """The last line of `path` that contains `needle`."""
    return max(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.fixture()
def folder(tmp_path: Path, layout) -> Path:
    import shutil

    copy = tmp_path / "curation"
    shutil.copytree(layout.curation_dir, copy)
    return copy


def _load_error(folder: Path, table, terms) -> str:
    with pytest.raises(InputError) as caught:
        cells.read_cells(table, curation.load(folder, table, terms))
    return str(caught.value)


CASES = {
    "unknown process": (
        "cells.yaml",
        "\nmidwa:\n",
        "\nmidwaa:\n",
        "midwaa:",
        "unknown process 'midwaa' (expected one of: midsa, midwa, colombo-process, puebla-process, sacm, "
        "5plus5-dialogue, soderkoping-process, igc, mtm-dialogue, bali-process, budapest-process, apc)",
    ),
    "unknown dimension": (
        "cells.yaml",
        "  research: {status: answered, from: [L6F1]}",
        "  reserch: {status: answered, from: [L6F1]}",
        "reserch:",
        "unknown dimension 'reserch' (expected one of: research, capacity-building, pilot-projects, "
        "founding-documents, intra-governmental-consultation, stakeholder-cooperation, cross-fertilization, gfmd-link)",
    ),
    "line that does not exist": (
        "cells.yaml",
        "research: {status: answered, from: [L6F1]}",
        "research: {status: answered, from: [L66F1]}",
        "L66F1",
        "L66F1: the source has no line 66 (it has 31)",
    ),
    "field that does not exist": (
        "cells.yaml",
        "research: {status: answered, from: [L6F1]}",
        "research: {status: answered, from: [L6F12]}",
        "L6F12",
        "L6F12: line 6 of the source has no field 12 (it has 10)",
    ),
    "unknown status": (
        "cells.yaml",
        "research: {status: answered, from: [L6F1]}",
        "research: {status: answerd, from: [L6F1]}",
        "answerd",
        "unknown status 'answerd' (expected one of: answered, fragment, no-example-provided, no-response-given, blank)",
    ),
    "status that contradicts the text": (
        "cells.yaml",
        "research: {status: no-example-provided, from: [L7F1]}",
        "research: {status: answered, from: [L7F1]}",
        "status: answered, from: [L7F1]",
        "cell midwa/research: status answered but the text is 'no example provided'",
    ),
    "fragment used twice": (
        "cells.yaml",
        "capacity-building: {status: answered, from: [L6F2]}",
        "capacity-building: {status: answered, from: [L6F1]}",
        "from: [L6F1]}",
        "L6F1 is already used by midsa/research",
    ),
    "correction that does not apply": (
        "corrections.yaml",
        '- wrong: "proserve"',
        '- wrong: "preserv"',
        '- wrong: "preserv"',
        "correction 'preserv' does not apply: not found in bali-process/pilot-projects",
    ),
    "duplicate key": (
        "processes.yaml",
        "  acronym: MIDWA\n",
        "  acronym: MIDWA\n  acronym: MIDWA\n",
        "acronym: MIDWA",
        "invalid YAML: duplicate key 'acronym'",
    ),
    "a list as a key": (
        "cells.yaml",
        "  research: {status: answered, from: [L6F1]}",
        "  ? [research]\n  : {status: answered, from: [L6F1]}",
        "? [research]",
        "invalid YAML: expected a key, not a list",
    ),
    "a list where a key is expected": (
        "cells.yaml",
        "research: {status: answered, from: [L6F1]}",
        "research: {status: [answered], from: [L6F1]}",
        "status: [answered]",
        "status: expected a key, not a list",
    ),
    "a list inside a list of field references": (
        "cells.yaml",
        "research: {status: answered, from: [L6F1]}",
        "research: {status: answered, from: [[L6F1]]}",
        "from: [[L6F1]]",
        "from, item 1: expected a field reference, not a list",
    ),
    "text where a list of texts is expected": (
        "processes.yaml",
        "  alt-labels: [Colombo Process]",
        "  alt-labels: Colombo Process",
        "alt-labels: Colombo",
        "alt-labels: expected a list of texts, not the text 'Colombo Process'",
    ),
    "a number where text is expected": (
        "processes.yaml",
        "  acronym: MIDWA\n",
        "  acronym: 1951\n",
        "acronym: 1951",
        "acronym: expected text, not the number 1951",
    ),
    "an empty value where text is expected": (
        "splits.yaml",
        "  reason: Two adjacent cells of the 5+5 Dialogue row were printed as one field.",
        "  reason:",
        "reason:",
        "reason: expected text, not an empty value",
    ),
    "text where true or false is expected": (
        "processes.yaml",
        "  regional: false",
        '  regional: "no"',
        'regional: "no"',
        "regional: expected true or false, not the text 'no'",
    ),
    "a number where a list of texts is expected": (
        "splits.yaml",
        "  parts: [no example provided, no example provided]",
        "  parts: 2",
        "parts: 2",
        "parts: expected a list of texts, not the number 2",
    ),
    "text where a cell is expected": (
        "cells.yaml",
        "  research: {status: answered, from: [L6F1]}",
        "  research: answered",
        "research: answered",
        "research: expected a cell's status and fields, not the text 'answered'",
    ),
    "text where a correction is expected": (
        "corrections.yaml",
        '- wrong: "cross- "',
        '- cross-\n- wrong: "cross- "',
        "- cross-",
        "item 1: expected a correction, not the text 'cross-'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_mistakes_name_the_file_and_line(case: str, folder: Path, table, terms) -> None:
    name, old, new, needle, message = CASES[case]
    path = _edit(folder, name, old, new)
    line = _line_of(path, needle)
    assert _load_error(folder, table, terms).startswith(f"{path}:{line}")
    assert _load_error(folder, table, terms).endswith(message)


def test_yaml_syntax_error(folder: Path, table, terms) -> None:
    path = _edit(
        folder,
        "cells.yaml",
        "  research: {status: answered, from: [L6F1]}",
        "  research: {status: answered, from: [L6F1]",
    )
    line = _line_of(path, "from: [L6F1]")
    assert _load_error(folder, table, terms).startswith(f"{path}:{line + 1}:")
    assert "invalid YAML: " in _load_error(folder, table, terms)


def test_a_corrections_file_of_comments_only_has_no_corrections(folder: Path, table, terms) -> None:
    (folder / "corrections.yaml").write_text("# No corrections yet.\n", encoding="utf-8")
    assert curation.load(folder, table, terms).corrections == []


def test_bytes_that_are_not_utf8_name_line_and_column(folder: Path, table, terms) -> None:
    path = folder / "noise.yaml"
    text = path.read_bytes()
    path.write_bytes(text.replace(b'Garbled words ("or', b'Garbl\xe9 words ("or', 1))
    line = text[: text.index(b'Garbled words ("or')].count(b"\n") + 1
    assert _load_error(folder, table, terms) == f"{path}:{line}:10: the file is not UTF-8 text: byte 0xe9"


def test_a_lost_fragment_is_an_error(folder: Path, table, terms) -> None:
    path = folder / "noise.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("L13F2:")], encoding="utf-8")
    assert _load_error(folder, table, terms) == (
        f"{table.path}:13: fragment L13F2 ('ce') is in no cell of cells.yaml and not declared noise in noise.yaml"
    )
