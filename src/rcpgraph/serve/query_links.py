"""The query page's links and choices: a link that reproduces the query, the API call, the downloads, and
the values a parameter may take.

A parameter named like a folder of individuals with a closed list of values (process, dimension, status,
theme, basis, role) is a drop-down of that folder; an IRI parameter over an open set (an organisation, any
individual) suggests the names of the individuals it may name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from rcpgraph.serve.search import FOLDERS, fold
from rcpgraph.sparql.catalogue import ID_BASE

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from rdflib import URIRef

    from rcpgraph.serve.labels import Linker
    from rcpgraph.sparql.catalogue import Parameter

CLOSED = ("process", "dimension", "status", "theme", "basis", "role")
_SUGGESTED = {"organisation": ("organisation",), "individual": FOLDERS}
DOWNLOADS = {"select": ("csv", "tsv", "json"), "ask": ("csv", "tsv", "json"), "graph": ("turtle", "jsonld")}
_SUFFIX = {"turtle": "ttl"}


@dataclass(frozen=True)
class Choices:
    """The values a parameter may take: `closed` for a drop-down, else suggestions; each (value, label)."""

    closed: bool
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class Download:
    """One download of a result: its format's name, where it is, and the file name to save it as."""

    name: str
    href: str
    filename: str


def choices(parameter: Parameter, folders: Mapping[str, list[URIRef]], linker: Linker) -> Choices | None:
    """The values `parameter` may take, or None for free text."""
    if parameter.type != "iri":
        return None
    if parameter.name in CLOSED and parameter.name in folders:
        return Choices(True, _options(folders[parameter.name], parameter.name, linker))
    kinds = _SUGGESTED.get(parameter.name, ())
    options = [option for kind in kinds for option in _options(folders.get(kind, []), "", linker)]
    return Choices(False, options) if options else None


def _options(members: list[URIRef], folder: str, linker: Linker) -> list[tuple[str, str]]:
    """(value, label) of each individual, by label: the path after `folder` (a slug), or after the base."""
    start = len(ID_BASE) + (len(folder) + 1 if folder else 0)
    found = [(str(node)[start:], linker.labels.of(node)) for node in members]
    return sorted(found, key=lambda option: (fold(option[1]), option[0]))


def share(link: Callable[[str], str], name: str | None, sparql: str, values: Mapping[str, str]) -> str:
    """The query page's address that runs this query again with these values."""
    head = [("name", name), ("run", "1")] if name else [("sparql", sparql)]
    return link("/query") + "?" + urlencode([*head, *values.items()])


def api(link: Callable[[str], str], name: str | None, sparql: str, values: Mapping[str, str]) -> str:
    """The API address of this query with these values: the stored query's, else the SPARQL endpoint's."""
    if name:
        query = urlencode(list(values.items()))
        return link(f"/api/queries/{name}") + (f"?{query}" if query else "")
    return link("/sparql") + "?" + urlencode([("query", sparql), *values.items()])


def downloads(api_href: str, kind: str, stem: str) -> list[Download]:
    """The downloads of a result of `kind` (select, ask, graph), one a format, each through the API."""
    joiner = "&" if "?" in api_href else "?"
    return [
        Download(fmt, f"{api_href}{joiner}format={fmt}", f"{stem}.{_SUFFIX.get(fmt, fmt)}") for fmt in DOWNLOADS[kind]
    ]
