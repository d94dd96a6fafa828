"""The names, orders and groups the pictures use, read from the `usual-names` stored query."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rcpgraph.errors import InputError
from rcpgraph.namespaces import RCP, RCPID
from rcpgraph.pictures.model import Ask
from rcpgraph.sparql.terms import Term

PROCESS = RCP + "ConsultativeProcess"
ORGANISATION = RCP + "Organisation"
PROCESS_BASE = RCPID + "process/"
DIMENSION = RCPID + "dimension"
STATUS = RCPID + "status"
LINK_STATUS = RCPID + "link-status"
PRIORITY = RCPID + "priority"


@dataclass(frozen=True)
class Named:
    """One process, organisation or concept: the name people use, its label, its order and group if it has them."""

    kind: str
    iri: str
    name: str
    label: str
    order: int | None
    group: int | None


class Names:
    """Every named item of the `usual-names` answer, by IRI, in the answer's order."""

    def __init__(self, ask: Ask) -> None:
        result = ask("usual-names")
        self.items: dict[str, Named] = {}
        for row in result.cells:
            cells = dict(zip(result.variables, row, strict=True))
            named = Named(
                value(cells["kind"]),
                value(cells["item"]),
                value(cells["name"]),
                value(cells["label"]),
                number(cells["order"]),
                number(cells["group"]),
            )
            self.items.setdefault(named.iri, named)

    def name(self, iri: str) -> str:
        """The name people use for `iri`, else the words of its last segment."""
        return self.items[iri].name if iri in self.items else words(iri)

    def of_kind(self, kind: str) -> list[Named]:
        """The items of one kind (a class or a concept scheme), in the answer's order."""
        return [named for named in self.items.values() if named.kind == kind]

    def rank(self, iri: str) -> tuple[int, int, str, str]:
        """Where a process comes: by group, then row of the table, then name; those outside the table last."""
        named = self.items.get(iri)
        group = named.group if named and named.group is not None else 9
        order = named.order if named and named.order is not None else 99
        return group, order, self.name(iri), iri

    def process(self, slug: str) -> str:
        """The IRI of the process `slug`; an InputError naming the closest slugs when there is none."""
        slugs = sorted(named.iri.removeprefix(PROCESS_BASE) for named in self.of_kind(PROCESS))
        if slug in slugs:
            return PROCESS_BASE + slug
        close = difflib.get_close_matches(slug, slugs, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else f"processes: {', '.join(slugs)}"
        raise InputError(f'no process is named "{slug}"; {hint}')


def no_row(process: str, picture: str) -> InputError:
    """The error for a picture of a row drawn for a process that has no row in the table."""
    slug = process.removeprefix(PROCESS_BASE)
    return InputError(f"{slug} has no row in the table, and the {picture} picture draws rows")


def value(term: Term | None) -> str:
    """The lexical value of a term, or "" for an unbound variable."""
    return "" if term is None else term.value


def number(term: Term | None) -> int | None:
    """The integer value of a term, or None for an unbound variable."""
    return None if term is None else int(term.value)


def rows(ask: Ask, name: str) -> list[dict[str, str]]:
    """The rows of a stored query's answer, each variable's lexical value by name ("" when unbound)."""
    result = ask(name)
    return [{var: value(term) for var, term in zip(result.variables, row, strict=True)} for row in result.cells]


def words(iri: str) -> str:
    """The last segment of an IRI in words: `…#CrossFertilizationLink` is "cross fertilization link"."""
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("-", " ").lower()
