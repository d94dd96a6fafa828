"""`rcpgraph export`: the release in another RDF format."""

from __future__ import annotations

import argparse
from pathlib import Path

from rcpgraph.cli import output

FORMATS = ("turtle", "ntriples", "jsonld", "trig", "rdfxml")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `export` command."""
    command = subparsers.add_parser(
        "export",
        help="write the release as Turtle, N-Triples, JSON-LD, TriG or RDF/XML",
        description=(
            "Write the asserted graph of the release (with --inferred, also its entailments) in one RDF format."
        ),
    )
    command.add_argument("--format", choices=FORMATS, default="turtle", help="RDF format (default: turtle)")
    command.add_argument("--inferred", action="store_true", help="include the OWL 2 RL entailments")
    command.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    command.add_argument(
        "--release", type=Path, metavar="DIR", help="release folder (default: the checkout's or the packaged one)"
    )
    return command


def run(args: argparse.Namespace) -> int:
    """Serialise the release; write the file atomically."""
    from rcpgraph import paths, rdfio
    from rcpgraph.pipeline import release

    folder = args.release or paths.locate().release_dir
    data = rdfio.serialize(release.load(folder, inferred=args.inferred), args.format)
    if args.output is None:
        output.write(data)
    else:
        rdfio.write_atomic(args.output, data)
    return 0
