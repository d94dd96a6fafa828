"""`rcpgraph query`: run a stored query, a .rq file or ad-hoc SPARQL over the release, or list the stored queries.

Every query runs under the rules of `safety` (no update, SERVICE or FROM), in a query worker
(`workers.shared`, one per run) within --timeout seconds and --memory-limit megabytes (the query is
stopped then, exit 2), and with at most --max-rows rows written (the cut is reported on standard
error, exit 0).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.cli import credentials, endpoint, output
from rcpgraph.errors import InputError
from rcpgraph.sparql.results import FORMATS
from rcpgraph.sparql.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, ENGINES
from rcpgraph.sparql.workers import DEFAULT_MEMORY_LIMIT_MB

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rcpgraph.paths import Layout
    from rcpgraph.sparql.catalogue import Parameter, StoredQuery
    from rcpgraph.sparql.workers import Pool

LIST_FORMATS = ("table", "json")
STDIN = "-"


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `query` command."""
    parser = subparsers.add_parser(
        "query",
        help="run a stored or ad-hoc SPARQL query over the release",
        description="Run a stored query (by name), a SPARQL file, standard input or --sparql text over the release, "
        "or list the stored queries. Updates, SERVICE and FROM are refused; nothing is ever fetched.",
    )
    parser.add_argument(
        "query", nargs="?", metavar="NAME|FILE.rq|-", help="a stored query name, a .rq file, or - for standard input"
    )
    parser.add_argument("--sparql", metavar="TEXT", help="the text of an ad-hoc SPARQL query")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value; an IRI may be a full IRI, a path such as process/midsa, or a slug such as midsa",
    )
    parser.add_argument("--format", choices=FORMATS, help="output format (default: table, turtle for graphs)")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph", help="query engine (default: oxigraph)")
    parser.add_argument("--release", type=Path, metavar="DIR", help="the release folder (default: data/release)")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the query after this many seconds, exit 2 (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--memory-limit",
        type=_count,
        default=DEFAULT_MEMORY_LIMIT_MB,
        metavar="MB",
        help=f"stop the query if it needs more than MB megabytes, exit 2 (default: {DEFAULT_MEMORY_LIMIT_MB})",
    )
    parser.add_argument(
        "--max-rows",
        type=_count,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"write at most N rows (or triples), reporting a cut on standard error (default: {DEFAULT_MAX_ROWS})",
    )
    parser.add_argument("--list", action="store_true", help="list the stored queries and their parameters")
    endpoint.add_option(parser, "query this SPARQL endpoint (filled by `rcpgraph push`) instead of the release files")
    parser.add_argument(
        "--graph",
        action="append",
        metavar="IRI",
        help="with --endpoint, a graph of the release (repeatable; default: the asserted and inferred graphs "
        "`rcpgraph push` writes; 'default' for the store's default graph)",
    )
    credentials.add_options(parser)
    return parser


def _seconds(text: str) -> float:
    """The --timeout value: a finite number of seconds above 0."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return seconds


def _count(text: str) -> int:
    """The --max-rows value: a whole number above 0."""
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """List the stored queries, or run one and write its result to stdout."""
    from rcpgraph.paths import locate

    layout = locate()
    if args.list:
        if args.query or args.sparql is not None:
            raise InputError("give either a query or --list, not both")
        return _list(layout, args.format or "table")
    if args.query and args.sparql is not None:
        raise InputError("give either a query (NAME, FILE.rq or -) or --sparql TEXT, not both")
    if not args.query and args.sparql is None:
        raise InputError("give a query NAME, FILE.rq, - (standard input) or --sparql TEXT, or --list")
    return _run(layout, args)


def _list(layout: Layout, fmt: str) -> int:
    """Write the catalogue of stored queries as a table or as JSON."""
    from rcpgraph.sparql.catalogue import catalogue
    from rcpgraph.sparql.results import text_table

    if fmt not in LIST_FORMATS:
        raise InputError(f"--list takes --format {' or '.join(LIST_FORMATS)}")
    queries = catalogue(layout.queries_dir).values()
    if fmt == "json":
        output.write(json.dumps([_describe(query) for query in queries], indent=2, ensure_ascii=False) + "\n")
    else:
        rows = [[query.name, query.summary, "; ".join(map(_signature, query.parameters))] for query in queries]
        output.write(text_table(["name", "summary", "parameters"], rows))
    return 0


def _describe(query: StoredQuery) -> dict[str, object]:
    """One stored query as a JSON object."""
    parameters = [
        {"name": p.name, "type": p.type, "required": p.needed, "default": p.default} for p in query.parameters
    ]
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": query.tags,
        "parameters": parameters,
    }


def _signature(parameter: Parameter) -> str:
    """A parameter as `name (type)`, with `optional` or its default."""
    notes = [parameter.type]
    if parameter.default is not None:
        notes.append(f"default {parameter.default}")
    elif not parameter.required:
        notes.append("optional")
    return f"{parameter.name} ({', '.join(notes)})"


def _run(layout: Layout, args: argparse.Namespace) -> int:
    """Bind the parameters, run the query in a worker on the chosen engine, write the result and report a cut."""
    from rcpgraph.sparql.catalogue import bind, next_offset
    from rcpgraph.sparql.results import format_result

    query = _query(layout, args)
    values = _values(args.param)
    pool = _pool(layout, args)
    sparql = bind(query, values, _individuals(pool), cut_keys=pool.remote is None)
    result = pool.query(sparql, source=query.path, timeout=args.timeout, max_rows=args.max_rows)
    output.write(format_result(result, args.format or ("turtle" if result.kind == "graph" else "table")))
    truncation = result.truncation()
    if truncation is not None:
        sys.stderr.write(f"rcpgraph query: {truncation}\n")
    following = next_offset(query, values, len(result.cells)) if result.kind == "select" else None
    if following is not None:
        note = (
            f"a page of {len(result.cells)} rows; the next: --param offset={following} (every row: --param limit=all)"
        )
        sys.stderr.write(f"rcpgraph query: {note}\n")
    return 0


def _pool(layout: Layout, args: argparse.Namespace) -> Pool:
    """The worker to ask, started now so that it loads the release while this process reads the query: over the
    --endpoint's graphs, else over the release files on the chosen engine."""
    from rcpgraph.paths import query_files
    from rcpgraph.sparql.remote import RELEASE_GRAPHS, Remote
    from rcpgraph.sparql.workers import Pool, shared
    from rcpgraph.stores.http import check_url

    url = endpoint.chosen(args.endpoint)
    if url is not None:
        graphs = args.graph or RELEASE_GRAPHS
        remote = Remote(check_url(url, "--endpoint"), credentials.from_args(args), _graphs(graphs))
        pool = Pool([], memory_limit=args.memory_limit, remote=remote)
    else:
        if args.graph is not None or args.auth is not None or args.token_env is not None:
            raise InputError("--graph, --auth and --token-env go with --endpoint")
        files = query_files(args.release or layout.release_dir)
        pool = shared(files, engine=args.engine, memory_limit=args.memory_limit)
    pool.start()
    return pool


def _graphs(graphs: Sequence[str]) -> tuple[str, ...]:
    """The default-graph-uri values: none for `default` (the store's default graph), else the IRIs given."""
    return () if list(graphs) == ["default"] else tuple(graphs)


def _individuals(pool: Pool) -> Iterator[str]:
    """The release's subject IRIs, asked of the worker only if a parameter is a bare slug."""
    yield from pool.individuals()


def _query(layout: Layout, args: argparse.Namespace) -> StoredQuery:
    """The --sparql text, the query on standard input, in a file (a path, or ending in .rq), or a stored query."""
    from rcpgraph.sparql.catalogue import load, named, parse

    name = args.query
    if args.sparql is not None:
        return parse(args.sparql, Path("<sparql>"), require_summary=False)
    if name == STDIN:
        return parse(_stdin(), Path("<stdin>"), require_summary=False)
    if name.endswith(".rq") or "/" in name or "\\" in name:
        return load(Path(name), require_summary=False)
    return named(layout.queries_dir, name)


def _stdin() -> str:
    """Standard input as text, bytes that are not UTF-8 kept (as Python does for arguments) for the query's check."""
    stream = getattr(sys.stdin, "buffer", None)
    return sys.stdin.read() if stream is None else stream.read().decode("utf-8", "surrogateescape")


def _values(params: list[str]) -> dict[str, str]:
    """The --param NAME=VALUE options as a mapping; a name given twice is an error."""
    values: dict[str, str] = {}
    for param in params:
        name, equals, value = param.partition("=")
        if not equals or not name:
            raise InputError(f'--param takes NAME=VALUE, not "{param}"')
        if name in values:
            raise InputError(f"--param {name} is given twice")
        values[name] = value
    return values
