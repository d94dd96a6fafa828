"""The known names: organisations, processes, places and themes, with the words that name them.

Read from data/curation/entities/*.yaml and data/curation/processes.yaml; the themes are the concepts
of the ontology's scheme rcpid:theme, evidenced by their keywords in entities/themes.yaml (else by
their English label). Country codes come from pycountry, looked up by the country's name, never from
a hand-written table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rcpgraph import yamlfile
from rcpgraph.pipeline import schemas
from rcpgraph.pipeline.curation import Curation, Where
from rcpgraph.vocabulary import RCPID, Vocabulary
from rcpgraph.yamlfile import Many


@dataclass(frozen=True)
class Entity:
    """A named individual: an organisation, process, place or theme."""

    key: str
    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...]
    where: Where
    acronym: str | None = None
    alt_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    country: str | None = None
    country_code: str | None = None

    def find(self, text: str) -> list[tuple[int, int]]:
        """The spans of `text` where one of the entity's names stands as whole words."""
        return _spans(self.aliases, text)


@dataclass
class Gazetteer:
    """Every known name, by kind."""

    agents: dict[str, Entity] = field(default_factory=dict)
    places: dict[str, Entity] = field(default_factory=dict)
    themes: dict[str, Entity] = field(default_factory=dict)
    _named_in: dict[str, dict[str, list[tuple[int, int]]]] = field(default_factory=dict, repr=False)

    def names(self) -> list[Entity]:
        """The organisations, processes and places: everything named by proper names."""
        return [*self.agents.values(), *self.places.values()]

    def find(self, entity: Entity, text: str) -> list[tuple[int, int]]:
        """Where `entity` is named in `text`, leaving out words that are part of a longer name
        ("Kuwait" in "Kuwait City")."""
        found = self._named(text)
        longer = [span for key, spans in found.items() if key != entity.iri for span in spans]
        return [
            (start, end)
            for start, end in found.get(entity.iri, [])
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e in longer)
        ]

    def _named(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """The spans of every name in `text`, by entity IRI (computed once per text)."""
        if text not in self._named_in:
            self._named_in[text] = {entity.iri: spans for entity in self.names() if (spans := entity.find(text))}
        return self._named_in[text]


def load(folder: Path, curation: Curation, terms: Vocabulary) -> Gazetteer:
    """Read the gazetteer files of `folder` (data/curation/entities) and the processes of `curation`; the kinds
    of organisations and places, and the themes, are the ontology's `terms`."""
    gazetteer = Gazetteer()
    for plan in curation.processes.values():
        names = (plan.label, *plan.alt_labels, *((plan.acronym,) if plan.acronym else ()), *plan.aliases)
        kind = "RegionalConsultativeProcess" if plan.regional else "ConsultativeProcess"
        gazetteer.agents[plan.slug] = Entity(
            plan.slug,
            str(RCPID[f"process/{plan.slug}"]),
            kind,
            plan.label,
            names,
            plan.where,
            plan.acronym,
            alt_labels=plan.alt_labels,
        )
    gazetteer.places.update(_places(folder / "places.yaml", terms.kinds("Place")))
    organisations = _organisations(folder / "organisations.yaml", gazetteer.places, terms.kinds("Organisation"))
    for key, entity in organisations.items():
        if key in gazetteer.agents:
            raise entity.where.error(f"organisation {key!r} has the key of a process")
        gazetteer.agents[key] = entity
    gazetteer.themes.update(_themes(folder / "themes.yaml", terms))
    return gazetteer


@lru_cache(maxsize=4096)
def _pattern(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w+]){re.escape(alias)}(?![\w+])")


def _spans(aliases: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """Where any of `aliases` stands as whole words in `text`, longest names first, without overlaps."""
    spans: list[tuple[int, int]] = []
    for alias in sorted(aliases, key=len, reverse=True):
        if alias not in text:
            continue
        for match in _pattern(alias).finditer(text):
            if not any(s < match.end() and match.start() < e for s, e in spans):
                spans.append((match.start(), match.end()))
    return sorted(spans)


def _entries(path: Path, schema: Many, needs: str = "label") -> list[tuple[str, yamlfile.LineMap, Where]]:
    data = yamlfile.read_mapping(path, schema)
    found = []
    for key, entry in data.items():
        where = Where(path, data.key_lines[key])
        if needs not in entry:
            raise where.error(f"{key}: missing '{needs}'")
        found.append((key, entry, where))
    return found


def _organisations(path: Path, places: dict[str, Entity], kinds: dict[str, str]) -> dict[str, Entity]:
    found = {}
    for key, entry, where in _entries(path, schemas.ORGANISATIONS):
        kind = entry.get("kind")
        if kind not in kinds:
            raise where.at(entry, "kind").error(f"{key}: unknown kind {kind!r} (expected one of: {', '.join(kinds)})")
        country = entry.get("country")
        if country is not None and (country not in places or places[country].kind != "Country"):
            raise where.at(entry, "country").error(f"{key}: unknown country {country!r} (a country of places.yaml)")
        acronym = entry.get("acronym")
        alt = tuple(entry.get("alt-labels", ()))
        notes = []
        if entry.get("expanded"):
            printed = ", ".join(repr(name) for name in (acronym, *alt) if name)
            notes.append(f"The table prints only {printed}; the full name is the editors' expansion.")
        if entry.get("note"):
            notes.append(entry["note"])
        names = (entry["label"], *alt, *((acronym,) if acronym else ()), *entry.get("aliases", ()))
        found[key] = Entity(
            key,
            str(RCPID[f"organisation/{key}"]),
            kinds[kind],
            entry["label"],
            names,
            where,
            acronym=acronym,
            alt_labels=alt,
            notes=tuple(notes),
            country=country,
        )
    return found


def _places(path: Path, kinds: dict[str, str]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for key, entry, where in _entries(path, schemas.PLACES):
        kind = entry.get("kind")
        if kind not in kinds:
            raise where.at(entry, "kind").error(f"{key}: unknown kind {kind!r} (expected one of: {', '.join(kinds)})")
        notes: tuple[str, ...] = ()
        if entry.get("country-not-printed"):
            notes = ("The table does not print the country; the editors add it to identify the place.",)
        code = _country_code(entry.get("iso-name") or entry["label"], where) if kind == "country" else None
        names = (entry["label"], *entry.get("aliases", ()))
        found[key] = Entity(
            key,
            str(RCPID[f"place/{key}"]),
            kinds[kind],
            entry["label"],
            names,
            where,
            notes=notes,
            country=entry.get("country"),
            country_code=code,
        )
    for entity in found.values():
        if entity.country is not None and (entity.country not in found or found[entity.country].kind != "Country"):
            raise entity.where.error(f"{entity.key}: unknown country {entity.country!r}")
    return found


def _country_code(name: str, where: Where) -> str:
    """The ISO 3166-1 alpha-2 code of a country, from pycountry."""
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        raise where.error(f"pycountry knows no country named {name!r}; give its ISO name as 'iso-name'") from None


def _themes(path: Path, terms: Vocabulary) -> dict[str, Entity]:
    """The themes of the ontology, in its order, each with its keywords in `path`, else its English label."""
    keys = terms.keys("theme")
    keywords: dict[str, tuple[tuple[str, ...], Where]] = {}
    for key, entry, where in _entries(path, schemas.THEMES, needs="keywords"):
        if key not in keys:
            raise where.error(f"unknown theme {key!r} (a theme is a concept of rcpid:theme in the ontology)")
        if not entry["keywords"]:
            raise where.at(entry, "keywords").error(
                f"{key}: 'keywords' is empty (leave the theme out to match its label)"
            )
        keywords[key] = (tuple(entry["keywords"]), where)
    found = {}
    for key in keys:
        label = terms.label("theme", key)
        words, where = keywords.get(key, ((label,), Where(path, 1)))  # a theme the file does not list: its first line
        found[key] = Entity(key, str(RCPID[f"theme/{key}"]), "Concept", label, words, where)
    return found


def keyword_span(theme: Entity, text: str) -> tuple[int, int] | None:
    """The span of the first keyword of `theme` that starts a word of `text` (case-insensitive), if any."""
    found = [
        match.span()
        for word in theme.aliases
        for match in [re.search(rf"(?<!\w){re.escape(word)}", text, flags=re.I)]
        if match
    ]
    return min(found) if found else None
