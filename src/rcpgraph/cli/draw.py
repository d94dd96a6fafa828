"""`rcpgraph draw`: a picture of the release (network, timeline, matrix, bar charts) as SVG."""

from __future__ import annotations

import argparse
from pathlib import Path

from rcpgraph.cli import output
from rcpgraph.errors import InputError

PICTURES = ("network", "timeline", "matrix", "statuses", "individuals", "cells")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `draw` command."""
    command = subparsers.add_parser(
        "draw",
        help="draw the network, the timeline, the status matrix or a bar chart as SVG",
        description=(
            "Draw a picture from the stored queries' answers on the release, as SVG: the cross-fertilization "
            "network, the timeline of dated events, the status matrix, or a bar chart (statuses per dimension, "
            "individuals per process, cells per status). The same release gives the same bytes."
        ),
    )
    command.add_argument("picture", choices=PICTURES, metavar="PICTURE", help=f"one of {', '.join(PICTURES)}")
    command.add_argument("--process", metavar="SLUG", help="only this process (network, timeline, matrix, individuals)")
    command.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE.svg (default: standard output)"
    )
    command.add_argument(
        "--release", type=Path, metavar="DIR", help="release folder (default: the checkout's or the packaged one)"
    )
    return command


def run(args: argparse.Namespace) -> int:
    """Draw the picture; write the file atomically."""
    from rcpgraph import paths, rdfio
    from rcpgraph.pictures import asker, draw
    from rcpgraph.sparql.catalogue import catalogue
    from rcpgraph.sparql.store import open_store

    if args.output is not None and args.output.suffix.lower() != ".svg":
        raise InputError(f"-o {args.output}: pictures are written as SVG; name a file ending in .svg")
    layout = paths.locate()
    store = open_store(paths.query_files(args.release or layout.release_dir))
    try:
        picture = draw(args.picture, asker(store, catalogue(layout.queries_dir)), process=args.process)
    except InputError as refused:
        raise InputError(f"--process: {refused.message}") from None
    if args.output is None:
        output.write(picture.svg)
    else:
        rdfio.write_atomic(args.output, picture.svg.encode("utf-8"))
    return 0
