"""`rcpgraph query`: run a stored query (or a .rq file) over the release, or list the stored queries."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.errors import InputError
from rcpgraph.results import FORMATS
from rcpgraph.store import ENGINES

if TYPE_CHECKING:
    from rcpgraph.paths import Layout
    from rcpgraph.queries import Parameter, StoredQuery

LIST_FORMATS = ("table", "json")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `query` command."""
    parser = subparsers.add_parser(
        "query",
        help="run a stored SPARQL query over the release",
        description="Run a stored query (by name) or a SPARQL file over the release, or list the stored queries.",
    )
    parser.add_argument("query", nargs="?", metavar="NAME|FILE.rq", help="a stored query name, or a .rq file")
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
    parser.add_argument("--list", action="store_true", help="list the stored queries and their parameters")
    return parser


def run(args: argparse.Namespace) -> int:
    """List the stored queries, or run one and write its result to stdout."""
    from rcpgraph.paths import locate

    layout = locate()
    if args.list:
        if args.query:
            raise InputError("give either a query or --list, not both")
        return _list(layout, args.format or "table")
    if not args.query:
        raise InputError("give a query NAME or FILE.rq, or --list")
    return _run(layout, args)


def _list(layout: Layout, fmt: str) -> int:
    """Write the catalogue of stored queries as a table or as JSON."""
    from rcpgraph.queries import catalogue
    from rcpgraph.results import text_table

    if fmt not in LIST_FORMATS:
        raise InputError(f"--list takes --format {' or '.join(LIST_FORMATS)}")
    queries = catalogue(layout.queries_dir).values()
    if fmt == "json":
        sys.stdout.write(json.dumps([_describe(query) for query in queries], indent=2, ensure_ascii=False) + "\n")
    else:
        rows = [[query.name, query.summary, "; ".join(map(_signature, query.parameters))] for query in queries]
        sys.stdout.write(text_table(["name", "summary", "parameters"], rows))
    return 0


def _describe(query: StoredQuery) -> dict[str, object]:
    """One stored query as a JSON object."""
    parameters = [
        {"name": p.name, "type": p.type, "required": p.required, "default": p.default} for p in query.parameters
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
    """Bind the parameters, run the query on the chosen engine and write the result."""
    from rcpgraph.queries import bind
    from rcpgraph.results import format_result
    from rcpgraph.store import open_store

    query = _query(layout, args.query)
    values = _values(args.param)
    files = layout.release_files(args.release)
    missing = next((path for path in files if not path.is_file()), None)
    if missing is not None:
        raise InputError(f"release not found: {missing} (run `rcpgraph build`)")
    store = open_store(list(files), args.engine)
    result = store.query(bind(query, values, store.individuals()), source=query.path)
    sys.stdout.write(format_result(result, args.format or ("turtle" if result.kind == "graph" else "table")))
    return 0


def _query(layout: Layout, name: str) -> StoredQuery:
    """The stored query called `name`, or the query in the file `name` (a path, or ending in .rq)."""
    from rcpgraph.queries import catalogue, find, load

    if name.endswith(".rq") or "/" in name or "\\" in name:
        return load(Path(name), require_summary=False)
    return find(catalogue(layout.queries_dir), name)


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
