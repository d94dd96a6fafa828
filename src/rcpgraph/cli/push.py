"""`rcpgraph push`: load the release into a SPARQL store, atomically, and verify what the store holds."""

from __future__ import annotations

import argparse
from pathlib import Path

from rcpgraph.cli import credentials


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `push` command."""
    parser = subparsers.add_parser(
        "push",
        help="load the release into a SPARQL store (Graph Store Protocol), replacing the previous one in one step",
        description="Write the asserted, inferred, ontology and statistics graphs of the release to staging graphs "
        "of a store, "
        "then swap them in with one SPARQL update, so that a failed push leaves the previous data answering; "
        "with --endpoint, count what the store then holds. It reaches the network, as `query --endpoint` does; "
        "nothing else in rcpgraph does.",
    )
    parser.add_argument(
        "--store", required=True, metavar="URL", help="the Graph Store Protocol endpoint (Oxigraph: .../store)"
    )
    parser.add_argument(
        "--update", metavar="URL", help="the SPARQL Update endpoint (default: --endpoint, as Fuseki and Virtuoso have)"
    )
    parser.add_argument("--endpoint", metavar="URL", help="the SPARQL query endpoint, to verify the counts after")
    parser.add_argument(
        "--graph",
        metavar="IRI",
        help="put the whole release (asserted, inferred, statistics) in this graph, or 'default' for the default "
        "graph, instead of the four named graphs",
    )
    parser.add_argument("--release", type=Path, metavar="DIR", help="the release folder (default: data/release)")
    credentials.add_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Push the release, report each graph's triples, and verify them when --endpoint is given."""
    from rcpgraph.cli import output
    from rcpgraph.errors import InputError
    from rcpgraph.paths import locate
    from rcpgraph.stores import http, push

    store_url = http.check_url(args.store, "--store")
    update_url = args.update or args.endpoint
    if update_url is None:
        raise InputError("give --update URL (the store's SPARQL Update endpoint), or --endpoint if it takes updates")
    http.check_url(update_url, "--update" if args.update else "--endpoint")
    if args.endpoint is not None:
        http.check_url(args.endpoint, "--endpoint")
    secrets = credentials.from_args(args)
    layout = locate()
    parts = push.plan(*push.release_documents(args.release or layout.release_dir, layout.ontology_file), args.graph)

    def report(line: str) -> None:
        output.write(line + "\n")

    push.push(push.GraphStore(store_url, update_url, secrets), parts, report)
    if args.endpoint is None:
        report("not verified (no --endpoint)")
    else:
        push.verify(args.endpoint, secrets, parts, report)
    return 0
