"""What the service holds: the release loaded once, read-only, its pool of query workers, and the answers given.

The release is loaded into a query store (`store.open_store`, for the stored queries the pages show and
the slugs of parameters), and into one rdflib graph with the dataset description (for entity pages and
descriptions) once a page or a description first needs it: a service that only answers SPARQL and the API
does without (at 100 times the release, the rdflib graph takes minutes and gigabytes). Over a remote store
(`settings.remote`, `rcpgraph serve --endpoint`) the release files are not read at all: the query store is
the remote one, and the rdflib graph is its release graphs, fetched once (`_fetched`), so every
page and download shows what the store holds (restart the service after a push).
The queries clients send run in a `workers.Pool` of `settings.workers` processes, so
every rule and limit of the command line applies (`safety`, the time and memory limits, the row cap),
and a query whose client went away is stopped (`cancelled`). The release never changes while the
service runs, so an answer is kept, by the exact query text, in a cache bounded in bytes
(`settings.cache_bytes`, an estimate of the memory the answers hold), and each format of it is written once
and kept beside it. At /sparql a worker sends back only the answer written in the format the request
negotiated (`store.Written`), which is kept by that format alone.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, Union

from rcpgraph.serve.negotiation import Format
from rcpgraph.sparql.store import Written

if TYPE_CHECKING:
    from rdflib import Graph

    from rcpgraph.serve.settings import Settings
    from rcpgraph.sparql.catalogue import StoredQuery
    from rcpgraph.sparql.remote import Remote
    from rcpgraph.sparql.store import Result, Store
    from rcpgraph.sparql.workers import Pool

_K = TypeVar("_K")
_V = TypeVar("_V")
CACHE_MAX_BODY = 1 << 20  # a written answer longer than this (bytes) is not kept
BOUND_CACHE_BYTES = 1 << 20  # the texts of stored queries with their parameters bound
ADHOC_MARKS = ("?_", "$_", "\\u", "\\U")  # what a parameter variable starts with, or an escape could spell it
_RESULT = ""  # the format name under which a cache keeps the result itself
Kept = Union["Result", Written]


class Lru(Generic[_K, _V]):
    """A thread-safe cache bounded in bytes, each value's size given when it is kept; least recently used first out."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.bytes = 0
        self._values: OrderedDict[_K, tuple[_V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: _K) -> _V | None:
        """The value kept for `key`, if any."""
        with self._lock:
            kept = self._values.get(key)
            if kept is None:
                return None
            self._values.move_to_end(key)
            return kept[0]

    def put(self, key: _K, value: _V, size: int) -> None:
        """Keep `value` of `size` bytes (unless it is larger than the whole cache), dropping the least recently used."""
        if size > self.limit:
            return
        with self._lock:
            previous = self._values.pop(key, None)
            self.bytes += size - (previous[1] if previous else 0)
            self._values[key] = (value, size)
            while self.bytes > self.limit:
                _, (_, dropped) = self._values.popitem(last=False)
                self.bytes -= dropped


@dataclass
class Answer:
    """The result of one query; each format it is written in is kept in the cache beside it."""

    result: Result
    sparql: str
    cache: Lru[tuple[str, str], Kept]

    @property
    def kind(self) -> str:
        """select, ask or graph."""
        return self.result.kind

    def body(self, fmt: Format) -> bytes:
        """The result written in `fmt` (written once, then kept if small enough)."""
        from rcpgraph.sparql.results import format_result

        kept = self.cache.get((self.sparql, fmt.name))
        if isinstance(kept, Written):
            return kept.body
        text = format_result(self.result, fmt.name).encode("utf-8")
        if len(text) <= CACHE_MAX_BODY:
            written = Written(self.kind, fmt.name, text, self.result.truncation())
            self.cache.put((self.sparql, fmt.name), written, len(text))
        return text


def result_bytes(result: Result) -> int:
    """An estimate of the memory `result` holds: its rows and each distinct term, with their strings, as CPython
    lays them out (a term shared by several rows counts once)."""
    size, seen = sys.getsizeof(result), set()
    for row in (*result.cells, *result.triples):
        size += sys.getsizeof(row)
        for term in row:
            if term is not None and id(term) not in seen:
                seen.add(id(term))
                size += sys.getsizeof(term) + sum(sys.getsizeof(part) for part in term if part is not None)
    return size


class Release:
    """The release a service answers from, with its settings."""

    def __init__(self, settings: Settings, queries_dir: Path, ontology_file: Path) -> None:
        from rcpgraph.paths import query_files
        from rcpgraph.pipeline import release, versioning
        from rcpgraph.sparql.catalogue import catalogue
        from rcpgraph.sparql.store import open_store
        from rcpgraph.sparql.workers import Pool

        remote = settings.remote
        self.settings = settings
        self.files = [] if remote else release.files(settings.release)
        queried = [] if remote else query_files(settings.release)
        self.store: Store = open_store(queried, "oxigraph", remote=remote)
        self.pool: Pool = Pool(
            queried, size=settings.workers, memory_limit=settings.memory_limit, remote=remote, warm=True
        )
        self.ontology: Graph = versioning.load_ontology(ontology_file)
        self.queries: dict[str, StoredQuery] = catalogue(queries_dir)
        self.answers: Lru[tuple[str, str], Kept] = Lru(settings.cache_bytes)
        self._bound: Lru[tuple[str, tuple[tuple[str, str], ...]], str] = Lru(BOUND_CACHE_BYTES)
        self._downloads: dict[str, bytes] = {}
        self._loading = threading.Lock()
        self._graphs: Graphs | None = None

    @property
    def graphs(self) -> Graphs:
        """The release in rdflib, loaded (or fetched from the remote store) at first use, by one thread."""
        with self._loading:
            if self._graphs is None:
                self._graphs = _graphs(self.files, self.settings.remote)
            return self._graphs

    @property
    def asserted(self) -> Graph:
        """The asserted graph."""
        return self.graphs.asserted

    @property
    def inferred(self) -> Graph:
        """The inferred graph."""
        return self.graphs.inferred

    @property
    def description(self) -> Graph:
        """The dataset description (VoID, DCAT)."""
        return self.graphs.description

    @property
    def graph(self) -> Graph:
        """The asserted and inferred graphs and the dataset description, in one graph."""
        return self.graphs.graph

    def kept(self, sparql: str) -> Answer | None:
        """The answer to a query given before, if the cache still holds it."""
        result = self.answers.get((sparql, _RESULT))
        return None if result is None or isinstance(result, Written) else Answer(result, sparql, self.answers)

    def sent(self, sparql: str, formats: Mapping[str, Format]) -> Written | None:
        """The answer a worker wrote for /sparql to a query given before, in the format `formats` gives for its kind,
        if the cache still holds it."""
        for fmt in dict.fromkeys(formats.values()):
            kept = self.answers.get(_sent(sparql, fmt.name))
            if isinstance(kept, Written) and formats.get(kept.kind) == fmt:
                return kept
        return None

    def answer(self, sparql: str, source: str = "<sparql>", cancelled: threading.Event | None = None) -> Answer:
        """The answer to a query, from the cache or run in a worker under the service's limits (stopped if
        `cancelled` is set: its client went away)."""
        kept = self.kept(sparql)
        if kept is not None:
            return kept
        settings = self.settings
        result = self.pool.query(
            sparql, source=source, timeout=settings.timeout, max_rows=settings.max_rows, cancelled=cancelled
        )
        return self._found(sparql, result)

    async def awaited(self, sparql: str, gone: Callable[[], Awaitable[bool]], source: str = "<sparql>") -> Answer:
        """`answer` in the event loop, without a thread (`Pool.awaited`): stopped once `gone()` says the client went
        away."""
        kept = self.kept(sparql)
        if kept is not None:
            return kept
        result = await self._run(sparql, gone, {}, source)
        assert not isinstance(result, Written)  # no format named: the result itself
        return self._found(sparql, result)

    async def written(
        self, sparql: str, gone: Callable[[], Awaitable[bool]], formats: Mapping[str, Format], source: str = "<sparql>"
    ) -> Answer | Written:
        """`awaited` for /sparql: the answer written by the worker in the format `formats` gives for its kind, only
        those bytes sent back and kept (pyoxigraph writes solutions, so they are kept apart from the answers this
        process writes, and /sparql sends the same bytes for a query every time); an Answer if `formats` gives no
        format for its kind."""
        kept = self.sent(sparql, formats)
        if kept is not None:
            return kept
        found = await self._run(sparql, gone, {kind: fmt.name for kind, fmt in formats.items()}, source)
        if not isinstance(found, Written):
            return self._found(sparql, found)
        if len(found.body) <= CACHE_MAX_BODY:
            self.answers.put(_sent(sparql, found.fmt), found, len(found.body))
        return found

    async def _run(
        self, sparql: str, gone: Callable[[], Awaitable[bool]], names: Mapping[str, str], source: str
    ) -> Result | Written:
        """A query run in a worker under the service's limits, written in the format `names` names for its kind."""
        settings = self.settings
        return await self.pool.awaited(
            sparql, names, source=source, timeout=settings.timeout, max_rows=settings.max_rows, gone=gone
        )

    def _found(self, sparql: str, result: Result) -> Answer:
        """The answer of a query just run, kept in the cache."""
        self.answers.put((sparql, _RESULT), result, result_bytes(result))
        return Answer(result, sparql, self.answers)

    def adhoc(self, text: str, values: Mapping[str, str]) -> str:
        """Ad-hoc SPARQL with its `?_name_type` parameters bound from `values`, as `rcpgraph query --sparql` binds them.

        A query that declares no parameter ignores `values` (the Protocol lets an endpoint ignore parameters it
        does not know); one that declares some refuses a missing required one or one it does not take.
        """
        from rcpgraph.sparql.catalogue import bind, parse

        if not _may_declare(text):
            return text
        query = parse(text, Path("<sparql>"), require_summary=False)
        if not query.parameters:
            return text
        return bind(query, values, self.individuals, cut_keys=self.settings.remote is None)

    def bound(self, name: str, values: dict[str, str]) -> str:
        """The SPARQL of stored query `name` with `values` bound (`queries.bind`), kept once made."""
        from rcpgraph.sparql.catalogue import bind

        key = (name, tuple(sorted(values.items())))
        sparql = self._bound.get(key)
        if sparql is None:
            sparql = bind(self.queries[name], values, self.individuals, cut_keys=self.settings.remote is None)
            self._bound.put(key, sparql, sys.getsizeof(sparql))
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
        """The bytes of a download file: a release file as it is (written anew from a remote store's graph, as the
        build writes it), or the asserted graph in another format."""
        from rcpgraph import rdfio
        from rcpgraph.pipeline.release import INFERRED_NAME

        if name not in self._downloads:
            by_name = {path.name: path for path in self.files}
            if name in by_name:
                self._downloads[name] = by_name[name].read_bytes()
            else:
                graph = self.inferred if name == INFERRED_NAME else self.asserted
                fmt = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld"}[Path(name).suffix]
                self._downloads[name] = rdfio.serialize(graph, fmt)
        return self._downloads[name]


@dataclass(frozen=True)
class Graphs:
    """The release in rdflib: its asserted and inferred graphs, its dataset description, and the three in one graph."""

    asserted: Graph
    inferred: Graph
    description: Graph
    graph: Graph


def _graphs(files: list[Path], remote: Remote | None) -> Graphs:
    """The release `files` (or the release graphs of the `remote` store) in rdflib, with their dataset description."""
    from rcpgraph import rdfio
    from rcpgraph.pipeline import dataset
    from rcpgraph.serve import resources
    from rcpgraph.stores.push import ASSERTED, INFERRED

    if remote is None:
        asserted, inferred = (rdfio.parse_file(path) for path in files)
    else:
        asserted, inferred = (_fetched(remote, graph) for graph in (ASSERTED, INFERRED))
    description = dataset.description(asserted, inferred, dataset.facts_from_release(asserted))
    graph = resources.new_graph()
    for part in (asserted, inferred, description):
        graph += part
    return Graphs(asserted, inferred, description, graph)


def _sent(sparql: str, fmt: str) -> tuple[str, str]:
    """The cache's key for the answer to `sparql` that a worker wrote in `fmt` for /sparql."""
    return sparql, "/sparql " + fmt


def _may_declare(text: str) -> bool:
    """Whether ad-hoc SPARQL may declare a parameter (a `?_` or `$_` variable, or an escape that could spell one) or
    have a `#+` header; a text that cannot is sent as it is, without the cost of parsing it for parameters."""
    return text.startswith("#+") or any(mark in text for mark in ADHOC_MARKS)


def _fetched(remote: Remote, graph: str) -> Graph:
    """One release graph of a remote store, whole, as the store writes it, with the project's prefixes."""
    from rcpgraph import rdfio
    from rcpgraph.namespaces import PREFIXES
    from rcpgraph.sparql.remote import whole_graph

    fetched = rdfio.parse_turtle_text(whole_graph(remote, graph), graph)
    for prefix, namespace in PREFIXES.items():
        fetched.bind(prefix, namespace, replace=True)
    return fetched
