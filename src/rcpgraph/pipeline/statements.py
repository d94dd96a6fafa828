"""Read what each cell states: the editors' statements (data/curation/statements/*.yaml), resolved
to the exact words of the cells' corrected text (stage 2c of the pipeline).

A statement names an individual (event, document, initiative), a mention of a known organisation,
process or place, a theme, a cross-fertilization link, a secretariat, a membership, or the GFMD
stance, always with `quote`: words of the cell that state it. The words are looked up in the
cell's corrected text; every name a statement refers to (partners, places, the linked process)
must stand in those words, dates must be printed there at the precision given, and themes must
have a keyword there. Anything else is an error naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rcpgraph import vocabulary, yamlfile
from rcpgraph.pipeline import dates, schemas
from rcpgraph.pipeline.cells import Cell
from rcpgraph.pipeline.curation import Where
from rcpgraph.pipeline.gazetteer import Entity, Gazetteer, keyword_span
from rcpgraph.vocabulary import Vocabulary


@dataclass(frozen=True)
class Span:
    """Words of one cell's corrected text: [start, end) of the text of response (process, dimension)."""

    process: str
    dimension: str
    start: int
    end: int
    text: str

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        return self.text[max(0, self.start - 32) : self.start]

    @property
    def suffix(self) -> str:
        return self.text[self.end : self.end + 32]

    def inner(self, start: int, end: int) -> Span:
        """The span of [start, end) counted within this span's words."""
        return Span(self.process, self.dimension, self.start + start, self.start + end, self.text)


@dataclass(frozen=True)
class Mention:
    """Words of a cell that name (identifying), tag (tagging) or state (describing) the body."""

    span: Span
    body: str
    motivation: str
    note: str | None = None


@dataclass
class Individual:
    """An event, document or initiative, with everything the statements say of it."""

    kind: str
    key: str
    type: str
    label: str
    where: Where
    alt_labels: tuple[str, ...] = ()
    when: dates.When | None = None
    location: str | None = None
    undertaken_by: tuple[str, ...] = ()
    involves: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    planned: bool = False
    themes: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    responses: set[tuple[str, str]] = field(default_factory=set)

    @property
    def iri(self) -> str:
        return str(vocabulary.RCPID[f"{self.kind}/{self.key}"])


@dataclass
class Link:
    """A cross-fertilization link as one process reports it, with the words that state it."""

    source: str
    target: str
    status: str
    spans: list[Span] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return str(vocabulary.RCPID[f"link/{self.source}/{self.target}"])


@dataclass(frozen=True)
class Fact:
    """A secretariat (host hosts the secretariat of process) or a membership (member of process, role)."""

    kind: str
    agent: str
    process: str
    role: str | None
    span: Span
    note: str | None = None


@dataclass(frozen=True)
class Stance:
    """A process's stance on a link to the GFMD, read from its gfmd-link cell."""

    process: str
    stance: str
    span: Span
    note: str | None


@dataclass
class Extraction:
    """Everything the statements add to the graph."""

    individuals: dict[tuple[str, str], Individual] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    stances: dict[str, Stance] = field(default_factory=dict)

    def covered(self, process: str, dimension: str) -> list[tuple[int, int]]:
        """The spans of one cell's text that some statement quotes."""
        return sorted(
            {
                (m.span.start, m.span.end)
                for m in self.mentions
                if (m.span.process, m.span.dimension) == (process, dimension)
            }
        )


def load(folder: Path, cells: dict[tuple[str, str], Cell], gazetteer: Gazetteer, terms: Vocabulary) -> Extraction:
    """Read every statements file of `folder` and resolve it against the cells and the ontology's `terms`."""
    extraction = Extraction()
    processes = {plan.process for plan in (cell.plan for cell in cells.values())}
    misnamed = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.suffix != ".yaml")
    if misnamed:
        path = misnamed[0]
        raise Where(path, 1).error(f"a statements file ends in .yaml, not {path.suffix}: rename it {path.stem}.yaml")
    for path in sorted(folder.glob("*.yaml")):
        if path.stem not in processes:
            raise Where(path, 1).error(f"no process {path.stem!r} (name the file after a process with a row)")
        _Reader(path, cells, gazetteer, terms, extraction).read()
    missing = sorted(processes - set(extraction.stances))
    if missing:
        raise Where(folder / f"{missing[0]}.yaml", 1).error(f"no gfmd-stance for process {missing[0]!r}")
    return extraction


class _Reader:
    """Reads one process's statements file."""

    def __init__(
        self, path: Path, cells: dict[tuple[str, str], Cell], gazetteer: Gazetteer, terms: Vocabulary, out: Extraction
    ) -> None:
        self.path, self.cells, self.gazetteer, self.terms, self.out = path, cells, gazetteer, terms, out
        self.process = path.stem

    def read(self) -> None:
        data = yamlfile.read_mapping(self.path, schemas.STATEMENTS)
        for key, value in data.items():
            where = Where(self.path, data.key_lines[key])
            if key == "gfmd-stance":
                self._stance(value, where)
            elif key in self.terms.keys("dimension"):
                self._cell(key, value, where)
            else:
                dimensions = ", ".join(self.terms.keys("dimension"))
                raise where.error(f"unknown dimension {key!r} (expected gfmd-stance or one of: {dimensions})")

    def _cell(self, dimension: str, entries: yamlfile.LineList, where: Where) -> None:
        for entry, line in zip(entries, entries.item_lines, strict=True):
            self._statement(dimension, entry, Where(self.path, line))

    def _statement(self, dimension: str, entry: yamlfile.LineMap, where: Where) -> None:
        kind = schemas.STATEMENT.kind(entry)
        span = self._quote(dimension, entry, where)
        handlers = {
            "event": self._event,
            "document": self._document,
            "initiative": self._initiative,
            "mention": self._mention_statement,
            "theme": self._theme,
            "link": self._link,
            "secretariat": self._secretariat,
            "membership": self._membership,
        }
        handlers[kind](entry[kind], entry, span, where)

    # ------------------------------------------------------------ resolving words

    def _quote(self, dimension: str, entry: yamlfile.LineMap, where: Where) -> Span:
        """The span of the statement's quoted words in the cell's corrected text."""
        quote, occurrence = entry.get("quote"), entry.get("occurrence", 1)
        if not isinstance(quote, str) or not quote.strip():
            raise where.error("missing 'quote': the words of the cell that state it")
        if occurrence < 1:
            at = Where(self.path, entry.key_lines["occurrence"])
            raise at.error(f"occurrence: expected 1 or more, not {occurrence}")
        text = self.cells[(self.process, dimension)].text or ""
        start = -1
        for _ in range(occurrence):
            start = text.find(quote, start + 1)
            if start < 0:
                raise Where(self.path, entry.key_lines["quote"]).error(
                    f"the words {quote!r} are not in the corrected text of {self.process}/{dimension}"
                    + (f" (occurrence {occurrence})" if occurrence != 1 else "")
                )
        return Span(self.process, dimension, start, start + len(quote), text)

    def _name(self, entity: Entity, span: Span, where: Where, role: str, note: str | None = None) -> Span:
        """The words within `span` that name `entity`, recorded as a mention."""
        found = self.gazetteer.find(entity, span.exact)
        if not found:
            raise where.error(
                f"{role} {entity.key!r}: none of its names ({', '.join(entity.aliases)}) is in the quoted words"
            )
        inner = span.inner(*found[0])
        self._mention(inner, entity.iri, "identifying", note)
        return inner

    def _mention(self, span: Span, body: str, motivation: str, note: str | None = None) -> None:
        self.out.mentions.append(Mention(span, body, motivation, note))

    def _agent(self, key: Any, where: Where) -> Entity:
        if key not in self.gazetteer.agents:
            raise where.error(f"unknown organisation or process {key!r} (add it to entities/organisations.yaml)")
        return self.gazetteer.agents[key]

    def _agents(self, entry: yamlfile.LineMap, name: str, span: Span, where: Where) -> tuple[str, ...]:
        keys = entry.get(name, [])
        at = where.at(entry, name)
        for key in keys:
            if key != self.process or name != "undertaken-by":
                self._name(self._agent(key, at), span, at, name)
        return tuple(keys)

    def _themes(self, keys: list[str], span: Span, where: Where, note: str | None = None) -> tuple[str, ...]:
        for key in keys:
            theme = self.gazetteer.themes.get(key)
            if theme is None:
                raise where.error(f"unknown theme {key!r} (a theme is a concept of rcpid:theme in the ontology)")
            found = keyword_span(theme, span.exact)
            if found is None:
                raise where.error(
                    f"theme {key!r}: none of its keywords ({', '.join(theme.aliases)}) is in the quoted words"
                )
            self._mention(span.inner(*found), theme.iri, "tagging", note)
        return tuple(keys)

    # ------------------------------------------------------------ statements

    def _individual(self, kind: str, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        if not key:
            raise where.error(f"{kind}: expected a key such as 'dakar-declaration-2000'")
        existing = self.out.individuals.get((kind, key))
        defines = "label" in entry
        if existing is not None and defines:
            raise where.error(f"{kind} {key!r} is already defined at {existing.where.file}:{existing.where.line}")
        if existing is None and not defines:
            raise where.error(f"{kind} {key!r} is not defined: give its 'type' and 'label' where it is first stated")
        individual = existing or self._define(kind, key, entry, span, where)
        individual.responses.add((span.process, span.dimension))
        if existing is not None and entry.get("note"):
            individual.notes.append(entry["note"])
        self._mention(span, individual.iri, "identifying")

    def _define(self, kind: str, key: str, entry: yamlfile.LineMap, span: Span, where: Where) -> Individual:
        types = self.terms.kinds(schemas.TYPE_BASES[kind])
        if entry.get("type") not in types:
            raise where.at(entry, "type").error(
                f"{kind} {key!r}: unknown type {entry.get('type')!r} (expected one of: {', '.join(types)})"
            )
        themes_at = where.at(entry, "themes")
        individual = Individual(
            kind,
            key,
            types[entry["type"]],
            entry["label"],
            where,
            alt_labels=tuple(entry.get("alt-labels", ())),
            when=self._when(entry, span, where),
            location=self._location(entry, span, where),
            undertaken_by=self._agents(entry, "undertaken-by", span, where)
            if "undertaken-by" in entry
            else (self.process,),
            involves=self._agents(entry, "involves", span, where),
            authors=self._agents(entry, "author", span, where),
            planned=entry.get("planned", False),
            themes=self._themes(entry.get("themes", []), span, themes_at),
            notes=[entry["note"]] if entry.get("note") else [],
        )
        self.out.individuals[(kind, key)] = individual
        return individual

    def _when(self, entry: yamlfile.LineMap, span: Span, where: Where) -> dates.When | None:
        if "date" not in entry:
            return None
        at = Where(self.path, entry.key_lines["date"])
        when = dates.parse(entry["date"])
        if when is None:
            raise at.error(f"bad date {entry['date']!r} (expected 2006, 2007-08, 2004-12-18 or 2004-12-18/2004-12-20)")
        printed = [found.when for found in dates.find(span.exact)]
        if when not in printed:
            stated = ", ".join(str(w) for w in printed) or "none"
            raise at.error(
                f"the date {when} is not printed in the quoted words at that precision (they state: {stated})"
            )
        return when

    def _location(self, entry: yamlfile.LineMap, span: Span, where: Where) -> str | None:
        key = entry.get("location")
        if key is None:
            return None
        at = Where(self.path, entry.key_lines["location"])
        if key not in self.gazetteer.places:
            raise at.error(f"unknown place {key!r} (add it to entities/places.yaml)")
        self._name(self.gazetteer.places[key], span, at, "location")
        return key

    def _event(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        self._individual("event", key, entry, span, where)

    def _document(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        self._individual("document", key, entry, span, where)

    def _initiative(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        self._individual("initiative", key, entry, span, where)

    def _mention_statement(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        entity = self.gazetteer.agents.get(key) or self.gazetteer.places.get(key)
        if entity is None:
            raise where.error(f"unknown organisation, process or place {key!r}")
        self._name(entity, span, where, "mention", entry.get("note"))

    def _theme(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        self._themes([key], span, where, entry.get("note"))

    def _link(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        status, statuses = entry.get("status"), self.terms.keys("link-status")
        if status not in statuses:
            raise where.at(entry, "status").error(f"link: 'status' must be one of: {', '.join(statuses)}")
        source = entry.get("from", self.process)
        source_at = where.at(entry, "from")
        self._agent(source, source_at)
        target = self._agent(key, where)
        if source != self.process:
            self._name(self._agent(source, source_at), span, source_at, "from")
        self._name(target, span, where, "link")
        link = self.out.links.setdefault((source, key), Link(source, key, status))
        if link.status != status:
            raise where.error(f"link {source} -> {key} is stated as {link.status} elsewhere; one link has one status")
        link.spans.append(span)
        if entry.get("note"):
            link.notes.append(entry["note"])
        self._mention(span, link.iri, "describing")

    def _secretariat(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        host = self._agent(key, where)
        self._name(host, span, where, "secretariat", entry.get("note"))
        of = where.at(entry, "of")
        for process in entry.get("of", [self.process]):
            if process != self.process:
                self._name(self._agent(process, of), span, of, "of")
            self.out.facts.append(Fact("secretariat", key, process, None, span, entry.get("note")))

    def _membership(self, key: Any, entry: yamlfile.LineMap, span: Span, where: Where) -> None:
        roles = self.terms.keys("role")
        if entry.get("role") not in roles:
            raise where.at(entry, "role").error(f"membership: 'role' must be one of: {', '.join(roles)}")
        self._name(self._agent(key, where), span, where, "membership")
        process = entry.get("of", self.process)
        if process != self.process:
            of = where.at(entry, "of")
            self._name(self._agent(process, of), span, of, "of")
        self.out.facts.append(Fact("membership", key, process, entry["role"], span, entry.get("note")))

    def _stance(self, value: yamlfile.LineMap, where: Where) -> None:
        stances = self.terms.keys("gfmd-stance")
        if value.get("stance") not in stances:
            raise where.at(value, "stance").error(f"gfmd-stance: 'stance' must be one of: {', '.join(stances)}")
        if value["stance"] == "undetermined" and not value.get("note"):
            raise where.error("gfmd-stance: an undetermined stance needs a 'note' giving the editors' reading")
        span = self._quote("gfmd-link", value, where)
        self.out.stances[self.process] = Stance(self.process, value["stance"], span, value.get("note"))
        self._mention(span, str(vocabulary.concept("gfmd-stance", value["stance"])), "classifying")
