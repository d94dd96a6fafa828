"""What a picture is: its SVG and the table that says the same in words, and what it is drawn from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rcpgraph.sparql.store import Result

Ask = Callable[[str], Result]  # the answer of a stored query, by name, without parameters
Href = Callable[[str], str]  # where a link to an IRI points


@dataclass(frozen=True)
class Cell:
    """A value of the table: its words, and the page it links to when it names a resource."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """The text alternative of a picture: a caption, column headings and rows."""

    caption: str
    header: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Picture:
    """A picture drawn from the graph: the SVG document and its table."""

    name: str
    svg: str
    table: Table
