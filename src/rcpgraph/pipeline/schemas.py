"""The schema of every curation file (data/curation/), declared once: how its entries nest, the keys
each may hold and the kind of each value. yamlfile reads a file against its schema, so the readers
(curation, gazetteer, statements) only interpret values already checked; which keys name a concept or
class of the ontology is the ontology's to say (vocabulary.py).
"""

from __future__ import annotations

from rcpgraph.yamlfile import Entry, Kind, Many, Tagged

LAYOUT = Entry(
    {
        "title": Kind.REFS,
        "row-label-heading": Kind.REFS,
        "columns": Kind.MAPPING,
        "column-groups": Kind.MAPPING,
        "groups": Kind.MAPPING,
        "bases": Kind.MAPPING,
    },
    "the table's layout (title, row-label-heading, columns, column-groups, groups, bases)",
)

PROCESSES = Many(
    Entry(
        {
            "label": Kind.TEXT,
            "alt-labels": Kind.TEXTS,
            "acronym": Kind.TEXT,
            "aliases": Kind.TEXTS,
            "printed": Kind.REFS,
            "group": Kind.KEY,
            "basis": Kind.KEY,
            "regional": Kind.FLAG,
            "note": Kind.TEXT,
        },
        "the properties of a process",
    ),
    "a mapping of processes to their properties",
)

CELLS = Many(
    Many(
        Entry(
            {"status": Kind.KEY, "from": Kind.REFS, "reason": Kind.TEXT, "note": Kind.TEXT},
            "a cell's status and fields",
        ),
        "a mapping of dimensions to cells",
    ),
    "a mapping of processes to their cells",
)

SPLITS = Many(
    Entry({"parts": Kind.TEXTS, "reason": Kind.TEXT}, "a split's parts and reason"),
    "a mapping of field references to splits",
)

NOISE = Many(Entry({"reason": Kind.TEXT}, "a reason"), "a mapping of field references to reasons")

CORRECTIONS = Many(
    Entry({"wrong": Kind.TEXT, "right": Kind.TEXT, "in": Kind.TEXT, "reason": Kind.TEXT}, "a correction"),
    "a list of corrections",
    keyed=False,
)

ORGANISATIONS = Many(
    Entry(
        {
            "label": Kind.TEXT,
            "expanded": Kind.FLAG,
            "acronym": Kind.TEXT,
            "kind": Kind.KEY,
            "aliases": Kind.TEXTS,
            "alt-labels": Kind.TEXTS,
            "country": Kind.KEY,
            "note": Kind.TEXT,
        },
        "the properties of an organisation",
    ),
    "a mapping of organisations",
)

PLACES = Many(
    Entry(
        {
            "kind": Kind.KEY,
            "label": Kind.TEXT,
            "iso-name": Kind.TEXT,
            "country": Kind.KEY,
            "country-not-printed": Kind.FLAG,
            "aliases": Kind.TEXTS,
        },
        "the properties of a place",
    ),
    "a mapping of places",
)

THEMES = Many(
    Entry({"keywords": Kind.TEXTS}, "a theme's keywords"),
    "a mapping of themes to their keywords",
)

# A statement: one key naming its kind and what it is about ("- event: KEY"), its own keys, and
# the keys every statement may have.
_COMMON = {"quote": Kind.TEXT, "occurrence": Kind.WHOLE, "note": Kind.TEXT}
_INDIVIDUAL = {
    "type": Kind.KEY,
    "label": Kind.TEXT,
    "alt-labels": Kind.TEXTS,
    "date": Kind.DATE,
    "undertaken-by": Kind.KEYS,
    "themes": Kind.KEYS,
}
_UNDERTAKING = {"location": Kind.KEY, "involves": Kind.KEYS, "planned": Kind.FLAG}
_STATEMENT_KEYS = {
    "event": _INDIVIDUAL | _UNDERTAKING,
    "document": _INDIVIDUAL | {"author": Kind.KEYS},
    "initiative": _INDIVIDUAL | _UNDERTAKING,
    "mention": {},
    "theme": {},
    "link": {"status": Kind.KEY, "from": Kind.KEY},
    "secretariat": {"of": Kind.KEYS},
    "membership": {"of": Kind.KEY, "role": Kind.KEY},
}
STATEMENT = Tagged(
    {
        kind: Entry(
            {kind: Kind.KEY} | keys | _COMMON,
            f"a {kind} statement",
            f" for {'an' if kind[0] in 'aeiou' else 'a'} {kind}",
        )
        for kind, keys in _STATEMENT_KEYS.items()
    },
    "a statement such as '- event: KEY' with its 'quote'",
    "statement",
)
STANCE = Entry({"stance": Kind.KEY} | _COMMON, "the row's GFMD stance, with its 'quote'")
STATEMENTS = Many(
    Many(STATEMENT, "a list of statements", keyed=False),
    "a mapping of dimensions to statements",
    fixed={"gfmd-stance": STANCE},
)

# The kinds of statement that define an individual, and the ontology class its `type` is at or below.
TYPE_BASES = {"event": "Event", "document": "Document", "initiative": "Initiative"}
