"""What the service holds: the release loaded once, read-only, and the answers it has already given.

The release is loaded into the query store (`store.open_store`, for SPARQL) and into one rdflib graph
with the dataset description (for entity pages and descriptions). Queries go through `store.Store.query`,
so every rule and limit of the command line applies (`safety`, a child process killed at the
timeout, the row cap). The release never changes while the service runs, so an answer is kept, by the
exact query text, in a bounded cache, and each format of it is written once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from rcpgraph.serve.negotiation import Format

if TYPE_CHECKING:
    from rdflib import Graph

    from rcpgraph.serve.settings import Settings
    from rcpgraph.sparql.catalogue import StoredQuery
    from rcpgraph.sparql.store import Result, Store

CACHE_SIZE = 512  # answers kept
_K = TypeVar("_K")
_V = TypeVar("_V")
CACHE_MAX_BODY = 1 << 20  # a written answer longer than this (bytes) is not kept


@dataclass
class Answer:
    """The result of one query, and each format it has been written in."""

    result: Result
    bodies: dict[str, bytes] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """select, ask or graph."""
        return self.result.kind

    def body(self, fmt: Format) -> bytes:
        """The result written in `fmt` (written once, then kept if small enough)."""
        from rcpgraph.sparql.results import format_result

        if fmt.name not in self.bodies:
            text = format_result(self.result, fmt.name).encode("utf-8")
            if len(text) > CACHE_MAX_BODY:
                return text
            self.bodies[fmt.name] = text
        return self.bodies[fmt.name]


class Lru(Generic[_K, _V]):
    """A bounded, thread-safe cache, least recently used first out."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._values: OrderedDict[_K, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V | None:
        """The value kept for `key`, if any."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: _K, value: _V) -> None:
        """Keep `value`, dropping the least recently used one when full."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)


class Release:
    """The release a service answers from, with its settings."""

    def __init__(self, settings: Settings, queries_dir: Path, ontology_file: Path) -> None:
        from rcpgraph import rdfio
        from rcpgraph.paths import query_files
        from rcpgraph.pipeline import dataset, release, versioning
        from rcpgraph.serve import resources
        from rcpgraph.sparql.catalogue import catalogue
        from rcpgraph.sparql.store import open_store

        self.settings = settings
        self.files = release.files(settings.release)
        self.store: Store = open_store(query_files(settings.release), "oxigraph")
        asserted, inferred = (rdfio.parse_file(path) for path in self.files)
        self.asserted = asserted
        self.description = dataset.description(asserted, inferred, dataset.facts_from_release(asserted))
        self.graph: Graph = resources.new_graph()
        for part in (asserted, inferred, self.description):
            self.graph += part
        self.ontology: Graph = versioning.load_ontology(ontology_file)
        self.queries: dict[str, StoredQuery] = catalogue(queries_dir)
        self.answers: Lru[str, Answer] = Lru()
        self._bound: Lru[tuple[str, tuple[tuple[str, str], ...]], str] = Lru()
        self._downloads: dict[str, bytes] = {}

    def answer(self, sparql: str, source: str = "<sparql>") -> Answer:
        """The answer to a query, from the cache or run under the service's timeout and row cap."""
        kept = self.answers.get(sparql)
        if kept is not None:
            return kept
        result = self.store.query(sparql, source=source, timeout=self.settings.timeout, max_rows=self.settings.max_rows)
        answer = Answer(result)
        self.answers.put(sparql, answer)
        return answer

    def adhoc(self, text: str, values: Mapping[str, str]) -> str:
        """Ad-hoc SPARQL with its `?_name_type` parameters bound from `values`, as `rcpgraph query --sparql` binds them.

        A query that declares no parameter ignores `values` (the Protocol lets an endpoint ignore parameters it
        does not know); one that declares some refuses a missing required one or one it does not take.
        """
        from rcpgraph.sparql.catalogue import bind, parse

        query = parse(text, Path("<sparql>"), require_summary=False)
        if not query.parameters:
            return text
        return bind(query, values, self.individuals)

    def bound(self, name: str, values: dict[str, str]) -> str:
        """The SPARQL of stored query `name` with `values` bound (`queries.bind`), kept once made."""
        from rcpgraph.sparql.catalogue import bind

        key = (name, tuple(sorted(values.items())))
        sparql = self._bound.get(key)
        if sparql is None:
            sparql = bind(self.queries[name], values, self.individuals)
            self._bound.put(key, sparql)
        return sparql

    @cached_property
    def individuals(self) -> list[str]:
        """The IRIs of the release's subjects, for parameters given as a bare slug."""
        return sorted(set(self.store.individuals()))

    def trusted(self, name: str) -> Result:
        """The whole result (every page) of a stored query without parameters, run in this process (for the pages)."""
        from rcpgraph.sparql.catalogue import bind, whole

        return self.store.query(bind(self.queries[name], whole(self.queries[name])), source=name)

    def download(self, name: str) -> bytes:
        """The bytes of a download file: a release file as it is, or the asserted graph in another format."""
        from rcpgraph import rdfio

        if name not in self._downloads:
            by_name = {path.name: path for path in self.files}
            if name in by_name:
                self._downloads[name] = by_name[name].read_bytes()
            else:
                fmt = {".nt": "ntriples", ".jsonld": "jsonld"}[Path(name).suffix]
                self._downloads[name] = rdfio.serialize(self.asserted, fmt)
        return self._downloads[name]
