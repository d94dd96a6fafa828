"""rcpgraph from Python, for notebooks and scripts: open the release, ask it questions, get plain values.

>>> import rcpgraph
>>> kg = rcpgraph.open()
>>> rows = kg.query("groups")
>>> rows.variables
['group', 'priority', 'process', 'label', 'acronym']
>>> [row["label"] for row in rows][:2]
['Migration Dialogue for Southern Africa', 'Migration Dialogue for West Africa']
>>> rows[0].to_dict()["group"], rows[0].to_dict()["acronym"]
(1, 'MIDSA')

Queries follow the rules of the command line (`rcpgraph.sparql.safety`): no update, SERVICE or FROM. Each
runs in a query worker (`rcpgraph.sparql.workers`: one process, started at the first query, that loads
the release once) stopped after `timeout` seconds (raising `QueryTimeout`) or past `memory_limit`
megabytes (raising `MemoryLimit`), and keeps at most `max_rows` rows: a cut result says so
(`Rows.truncated`) and warns (`TruncatedResult`). `close()` stops the worker (so does leaving a `with`
block, or the end of the program). Errors are `rcpgraph.errors.RcpgraphError`s with the message the
command line prints.
"""

from __future__ import annotations

import datetime
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Union, overload

from rcpgraph.sparql.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from rcpgraph.sparql.workers import DEFAULT_MEMORY_LIMIT_MB

if TYPE_CHECKING:
    import pandas
    from rdflib import Graph
    from rdflib.term import Node

    from rcpgraph.paths import Layout
    from rcpgraph.pipeline.validation import Report
    from rcpgraph.sparql.catalogue import StoredQuery
    from rcpgraph.sparql.store import Result, Solution

Answer = Union["Rows", bool, "Graph"]


class TruncatedResult(UserWarning):
    """A result cut to `max_rows` rows (or triples)."""


def open(
    release: str | Path | None = None,
    *,
    engine: str = "oxigraph",
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    endpoint: str | None = None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT_MB,
) -> KnowledgeGraph:
    """The release in `release` (a folder), by default the checkout's, else the one shipped with rcpgraph.

    `engine` is "oxigraph" or "rdflib"; `timeout` (seconds), `max_rows` and `memory_limit` (megabytes) may be
    None for no limit. With `endpoint` (a SPARQL query endpoint that `rcpgraph push` filled), queries go to that
    store instead, under the same rules and limits; `graph` and `validate` still read the release files.

    >>> open(engine="rdflib", max_rows=1)  # doctest: +ELLIPSIS
    <KnowledgeGraph '.../data/release' engine='rdflib' timeout=30.0 max_rows=1 memory_limit=2048>
    """
    from rcpgraph.paths import locate

    if timeout is not None and not 0 < timeout < math.inf:
        raise ValueError(f"timeout must be a number of seconds above 0, or None, not {timeout!r}")
    if max_rows is not None and max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, or None, not {max_rows!r}")
    if memory_limit is not None and memory_limit < 1:
        raise ValueError(f"memory_limit must be at least 1 (megabytes), or None, not {memory_limit!r}")
    layout = locate()
    folder = Path(release) if release is not None else layout.release_dir
    return KnowledgeGraph(
        folder, layout, engine=engine, timeout=timeout, max_rows=max_rows, memory_limit=memory_limit, endpoint=endpoint
    )


class KnowledgeGraph:
    """The release loaded into a query engine: stored and ad-hoc queries, the rdflib graph, SHACL validation."""

    def __init__(
        self,
        release: Path,
        layout: Layout,
        *,
        engine: str,
        timeout: float | None,
        max_rows: int | None,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT_MB,
        endpoint: str | None = None,
    ) -> None:
        from rcpgraph.paths import query_files
        from rcpgraph.sparql.remote import Remote
        from rcpgraph.sparql.workers import Pool
        from rcpgraph.stores.http import Credentials, check_url

        self.release = release
        self.engine = engine
        self.timeout = timeout
        self.max_rows = max_rows
        self.memory_limit = memory_limit
        self.endpoint = endpoint
        self._layout = layout
        if endpoint is None:
            self._pool = Pool(query_files(release), engine=engine, memory_limit=memory_limit)
        else:
            remote = Remote(check_url(endpoint, "endpoint"), Credentials())
            self._pool = Pool([], memory_limit=memory_limit, remote=remote)

    def __repr__(self) -> str:
        limits = f"timeout={self.timeout!r} max_rows={self.max_rows!r} memory_limit={self.memory_limit!r}"
        where = str(self.release) if self.endpoint is None else self.endpoint
        return f"<KnowledgeGraph {where!r} engine={self.engine!r} {limits}>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the query worker; a later query starts another."""
        self._pool.close()

    @cached_property
    def queries(self) -> dict[str, StoredQuery]:
        """The stored queries by name.

        >>> kg = open()
        >>> [parameter.name for parameter in kg.queries["cell"].parameters]
        ['process', 'dimension']
        """
        from rcpgraph.sparql.catalogue import catalogue

        return catalogue(self._layout.queries_dir)

    def query(self, name: str, /, **parameters: object) -> Answer:
        """Run the stored query `name`: Rows for SELECT, a bool for ASK, an rdflib Graph for CONSTRUCT or DESCRIBE.

        A parameter value is text (an IRI may be a slug such as "midsa"), a number, a bool or a date.

        >>> kg = open()
        >>> cell = kg.query("cell", process="sacm", dimension="founding-documents")
        >>> cell[0]["status"], cell[0]["line"], cell[0]["field"]
        ('https://w3id.org/rcpgraph/id/status/answered', 14, 3)
        """
        from rcpgraph.sparql.catalogue import find

        return self._answer(find(self.queries, name), parameters)

    def sparql(self, text: str, /, **parameters: object) -> Answer:
        """Run an ad-hoc SPARQL query, parameters written `?_name_type` as in stored queries.

        >>> kg = open()
        >>> kg.sparql("ASK { ?process <https://w3id.org/rcpgraph/ontology#acronym> ?_acronym }", acronym="MIDSA")
        True
        >>> len(kg.sparql("CONSTRUCT { ?p a ?c } WHERE { ?p a ?c ; ?x ?y } LIMIT 1"))
        1
        """
        from rcpgraph.sparql.catalogue import parse

        return self._answer(parse(text, Path("<sparql>"), require_summary=False), parameters)

    @cached_property
    def graph(self) -> Graph:
        """The release, asserted and inferred triples, as an rdflib Graph (loaded at first use)."""
        from rcpgraph.pipeline import release as release_files

        return release_files.load(self.release)

    def validate(self) -> Report:
        """The SHACL validation of the release against the shapes and ontology of the rcpgraph tree.

        >>> open().validate().conforms
        True
        """
        from rcpgraph import rdfio
        from rcpgraph.pipeline import validation

        shapes_graph = validation.load_shapes(self._layout.shapes_file)
        ontology = rdfio.parse_file(self._layout.ontology_file)
        return validation.validate(self.graph, shapes_graph, ontology, self._layout.shapes_file)

    def _individuals(self) -> Iterator[str]:
        """The release's subject IRIs, asked of the worker only if a parameter is a bare slug."""
        yield from self._pool.individuals()

    def _answer(self, query: StoredQuery, parameters: Mapping[str, object]) -> Answer:
        """Bind `parameters`, run the query within the limits, and give its answer in Python terms."""
        from rcpgraph.sparql.catalogue import bind

        values = {name: _parameter_text(value) for name, value in parameters.items()}
        sparql = bind(query, values, self._individuals(), cut_keys=self._pool.remote is None)
        result = self._pool.query(sparql, source=query.path, timeout=self.timeout, max_rows=self.max_rows)
        truncation = result.truncation()
        if truncation is not None:
            warnings.warn(truncation, TruncatedResult, stacklevel=3)
        if result.kind == "ask":
            return bool(result.boolean)
        return result.graph if result.graph is not None else Rows(result)


class Row(Mapping[str, object]):
    """One solution: each variable of the query and its value in plain Python, None where unbound.

    IRIs and strings are str (language tags dropped), blank nodes "_:label", typed literals int,
    Decimal, float, bool, datetime.date or datetime.datetime; other typed literals their text.
    """

    def __init__(self, solution: Solution) -> None:
        self._values = {name: _python(term) for name, term in solution.items()}

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({self._values!r})"

    def to_dict(self) -> dict[str, object]:
        """The row as a plain dict."""
        return dict(self._values)


class Rows(Sequence[Row]):
    """The solutions of a SELECT query, in order, at most `max_rows` of them.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     rows = open(max_rows=2).query("groups")
    >>> len(rows), rows.truncated, rows.total > 2, str(caught[0].message).startswith("result truncated to 2 of ")
    (2, True, True, True)
    >>> rows.to_csv().splitlines()[0]
    'group,priority,process,label,acronym'
    >>> rows.to_dicts()[1]["process"]
    'https://w3id.org/rcpgraph/id/process/midwa'
    """

    def __init__(self, result: Result) -> None:
        self._result = result
        self._rows = [Row(solution) for solution in result.solutions]

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        cut = f", truncated from {self.total}" if self.truncated else ""
        return f"<Rows: {len(self)} rows of {', '.join(self.variables)}{cut}>"

    @property
    def variables(self) -> list[str]:
        """The query's variables, in the order of its SELECT clause."""
        return list(self._result.variables)

    @property
    def truncated(self) -> bool:
        """Whether the query gave more than `max_rows` rows, of which these are the first."""
        return self._result.truncated

    @property
    def total(self) -> int:
        """How many rows the query gave: more than len(self) when truncated."""
        return len(self) if self._result.total is None else self._result.total

    def to_dicts(self) -> list[dict[str, object]]:
        """The rows as plain dicts."""
        return [row.to_dict() for row in self._rows]

    def to_csv(self) -> str:
        """The rows in the W3C SPARQL 1.1 CSV results format."""
        from rcpgraph.sparql.results import format_result

        return format_result(self._result, "csv")

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per variable (pandas must be installed)."""
        try:
            import pandas
        except ImportError:
            message = "Rows.to_dataframe() needs pandas, which rcpgraph does not install: pip install pandas"
            raise ImportError(message) from None
        return pandas.DataFrame(self.to_dicts(), columns=self.variables)


def _parameter_text(value: object) -> str:
    """A parameter value as the text `queries.bind` reads: booleans as true/false, dates in ISO form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _python(term: Node | None) -> object:
    """An RDF term as a plain Python value."""
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        return None if term is None else str(term)
    value = term.toPython()
    return str(term) if isinstance(value, Literal) else value
