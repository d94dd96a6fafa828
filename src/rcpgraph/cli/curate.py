"""`rcpgraph curate --suggest`: what the statements files do not cover yet."""

from __future__ import annotations

import argparse
import sys

from rcpgraph.cli import output


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `curate` command."""
    command = subparsers.add_parser(
        "curate",
        help="help data stewards extend the curation files",
        description=(
            "Check the curation files against the source and, with --suggest, list the names of known "
            "organisations, processes and places, the printed dates and the theme keywords that stand in "
            "the cells' corrected text but that no statement in data/curation/statements/ covers yet."
        ),
    )
    command.add_argument("--suggest", action="store_true", help="list what no statement covers yet")
    command.add_argument("--process", metavar="SLUG", help="only the cells of this process")
    return command


def run(args: argparse.Namespace) -> int:
    """Load and check the curation; list the suggestions."""
    from rcpgraph import paths
    from rcpgraph.errors import InputError
    from rcpgraph.pipeline import graph, suggestions

    inputs = graph.load_inputs(paths.locate())
    if args.process and args.process not in inputs.curation.processes:
        raise InputError(f"unknown process {args.process!r}")
    if not args.suggest:
        sys.stderr.write("rcpgraph curate: the curation files are consistent with the source\n")
        return 0
    found = [s for s in suggestions.suggestions(inputs) if args.process in (None, s.process)]
    for item in found:
        output.write(f"{item}\n")
    sys.stderr.write(f"rcpgraph curate: {len(found)} suggestion{'s' if len(found) != 1 else ''}\n")
    return 0
