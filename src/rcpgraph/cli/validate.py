"""`rcpgraph validate`: SHACL-validate RDF files, or the release, against the shapes."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

from rcpgraph.cli import output


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `validate` command to the `rcpgraph` parser."""
    parser = subparsers.add_parser(
        "validate",
        help="SHACL-validate RDF files (default: the release)",
        description="SHACL-validate RDF files, merged into one data graph, or the release when no file is "
        "given. Exit 0 if the data conforms, 1 if it does not, 2 for bad input.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF file (.ttl, .nt, .jsonld, .trig); default: the two release files",
    )
    parser.add_argument(
        "--shapes", type=Path, metavar="FILE", help="SHACL shapes file (default: ontology/validation.ttl)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "turtle"),
        default="text",
        help="print the report as readable text (default) or as the SHACL validation report graph in Turtle",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Validate, print the report on stdout, and return 0 if the data conforms, else 1."""
    from rcpgraph import progress, rdfio
    from rcpgraph.errors import InputError
    from rcpgraph.paths import locate
    from rcpgraph.pipeline import validation

    layout = locate()
    with progress.stage("reading the data"):
        data = _merge(rdfio.parse_file(path) for path in args.files or layout.release_files())
    shapes_file = args.shapes or layout.shapes_file
    shapes_graph = validation.load_shapes(shapes_file)
    if not layout.ontology_file.exists():
        raise InputError(f"ontology file not found: {layout.ontology_file}")
    with progress.stage("validating (SHACL)"):
        report = validation.validate(data, shapes_graph, rdfio.parse_file(layout.ontology_file), shapes_file)
    if args.format == "turtle":
        output.write(rdfio.serialize(report.graph, "turtle").decode("utf-8"))
    else:
        output.write(validation.format_report(report))
    return 0 if report.conforms else 1


def _merge(graphs: Iterable[Graph]) -> Graph:
    """One graph holding the triples and the prefixes of all `graphs`."""
    from rdflib import Graph

    merged = Graph(bind_namespaces="none")
    for graph in graphs:
        merged += graph
        for prefix, namespace in graph.namespaces():
            merged.bind(prefix, namespace, override=False)
    return merged
