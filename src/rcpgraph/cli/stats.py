"""`rcpgraph stats`: counts per class and the status of every cell as a process × dimension table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.cli import output

if TYPE_CHECKING:
    from rcpgraph import paths
    from rcpgraph.sparql.store import Store

STATUS_MARKS = {
    "answered": "answered",
    "fragment": "fragment",
    "no-example-provided": "no-example",
    "no-response-given": "no-response",
    "blank": "-",
}


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `stats` command."""
    command = subparsers.add_parser(
        "stats",
        help="counts per class and the process × dimension status table",
        description="Summarise the release: instances per class, cells per status, and the status of every cell.",
    )
    command.add_argument("--release", type=Path, metavar="DIR", help="the release folder (default: data/release)")
    return command


def run(args: argparse.Namespace) -> int:
    """Print the three tables."""
    from rcpgraph import paths
    from rcpgraph.sparql.store import open_store

    layout = paths.locate()
    store = open_store(paths.query_files(args.release or layout.release_dir))
    sections = (_classes(store, layout), _matrix(store, layout), _yields(store, layout), _silent(store, layout))
    output.write("\n".join(sections))
    return 0


def _select(store: Store, layout: paths.Layout, name: str) -> list[dict[str, str]]:
    """The solutions of a stored query without parameters, as text by variable name ("" where unbound)."""
    from rcpgraph.sparql.catalogue import catalogue

    query = catalogue(layout.queries_dir)[name]
    result = store.query(query.sparql, source=query.path)
    return [{name: "" if term is None else str(term) for name, term in row.items()} for row in result.solutions]


def _classes(store: Store, layout: paths.Layout) -> str:
    from rcpgraph.sparql.results import shorten, text_table

    rows = [[shorten(row["class"]), row["instances"]] for row in _select(store, layout, "class-counts")]
    return "Instances per class\n\n" + text_table(["class", "instances"], rows)


def _matrix(store: Store, layout: paths.Layout) -> str:
    """The status of every cell, one row per process, one column per dimension, then totals."""
    from collections import Counter

    from rcpgraph.sparql.results import text_table

    cells = _select(store, layout, "completeness-matrix")
    dimensions = list(dict.fromkeys(_tail(row["dimension"]) for row in cells))
    processes = list(dict.fromkeys(_tail(row["process"]) for row in cells))
    status = {(_tail(row["process"]), _tail(row["dimension"])): _tail(row["status"]) for row in cells}
    rows = [[p, *(STATUS_MARKS.get(status[(p, d)], "?") for d in dimensions)] for p in processes]
    headers = ["process", *(d.split("-")[0] for d in dimensions)]
    totals = Counter(status.values())
    summary = ", ".join(f"{totals[name]} {name}" for name in STATUS_MARKS)
    return (
        f"Cell status ({len(status)} cells: {summary})\n\n"
        + text_table(headers, rows)
        + "\nColumns: "
        + ", ".join(dimensions)
        + "\n"
    )


def _yields(store: Store, layout: paths.Layout) -> str:
    """Per process, how many individuals of each kind its row yields."""
    from rcpgraph.sparql.results import text_table

    counts = _select(store, layout, "individuals-per-process")
    kinds = sorted({_local(row["kind"]) for row in counts})
    processes = list(dict.fromkeys(_tail(row["process"]) for row in counts))
    table = {(_tail(row["process"]), _local(row["kind"])): row["individuals"] for row in counts}
    rows = [[p, *(table.get((p, kind), "0") for kind in kinds)] for p in processes]
    return "Individuals derived from each row\n\n" + text_table(["process", *kinds], rows)


def _silent(store: Store, layout: paths.Layout) -> str:
    """The answered cells that yield no individual."""
    rows = _select(store, layout, "cells-without-individuals")
    cells = [f"{_tail(row['process'])}/{_tail(row['dimension'])}" for row in rows]
    listing = "".join(f"  {cell}\n" for cell in cells) or "  none\n"
    return f"Answered cells that yield no individual ({len(cells)})\n\n{listing}"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _tail(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
