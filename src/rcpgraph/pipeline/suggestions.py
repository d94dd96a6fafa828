"""Propose what the statements do not cover yet: names, dates and theme keywords in the cells' text."""

from __future__ import annotations

from dataclasses import dataclass

from rcpgraph.pipeline import dates
from rcpgraph.pipeline.gazetteer import keyword_span
from rcpgraph.pipeline.graph import Inputs
from rcpgraph.pipeline.statements import Mention


@dataclass(frozen=True)
class Suggestion:
    """Words of one cell that name something no statement covers."""

    process: str
    dimension: str
    start: int
    end: int
    kind: str
    key: str
    words: str

    def __str__(self) -> str:
        return f"{self.process}/{self.dimension}:{self.start}-{self.end}  {self.kind}  {self.key}  {self.words!r}"


def suggestions(inputs: Inputs) -> list[Suggestion]:
    """The first place each known name stands in a cell that no statement names it in, the printed
    dates outside every quote, and the keywords of themes a cell is not tagged with."""
    found: list[Suggestion] = []
    for (process, dimension), cell in inputs.cells.items():
        if cell.text is None or cell.plan.status not in ("answered", "fragment"):
            continue
        mentions = [m for m in inputs.extraction.mentions if (m.span.process, m.span.dimension) == (process, dimension)]
        found += _names(inputs, process, dimension, cell.text, mentions)
        found += _dates(process, dimension, cell.text, mentions)
        found += _themes(inputs, process, dimension, cell.text, mentions)
    return found


def _names(inputs: Inputs, process: str, dimension: str, text: str, mentions: list[Mention]) -> list[Suggestion]:
    found = []
    for entity in inputs.gazetteer.names():
        if entity.key == process:
            continue
        spans = inputs.gazetteer.find(entity, text)
        if spans and not any(m.body in _covering(inputs, entity) for m in mentions):
            start, end = spans[0]
            kind = "place" if entity.key in inputs.gazetteer.places else "name"
            found.append(Suggestion(process, dimension, start, end, kind, entity.key, text[start:end]))
    return found


def _covering(inputs: Inputs, entity) -> set[str]:
    """The bodies whose mention covers a name of `entity`: itself, and for a country its government."""
    governments = {agent.iri for agent in inputs.gazetteer.agents.values() if agent.country == entity.key}
    return {entity.iri} | governments


def _dates(process: str, dimension: str, text: str, mentions: list[Mention]) -> list[Suggestion]:
    """Printed dates that lie in no statement's quoted words (an event or document not annotated yet)."""
    return [
        Suggestion(process, dimension, item.start, item.end, "date", str(item.when), text[item.start : item.end])
        for item in dates.find(text)
        if not any(
            m.motivation == "identifying" and m.span.start <= item.start and item.end <= m.span.end for m in mentions
        )
    ]


def _themes(inputs: Inputs, process: str, dimension: str, text: str, mentions: list[Mention]) -> list[Suggestion]:
    """Theme keywords of themes the cell is not tagged with."""
    found = []
    tagged = {m.body for m in mentions if m.motivation == "tagging"}
    for theme in inputs.gazetteer.themes.values():
        span = keyword_span(theme, text)
        if span is not None and theme.iri not in tagged:
            found.append(Suggestion(process, dimension, *span, "theme", theme.key, text[span[0] : span[1]]))
    return found
