"""`rcpgraph check-ontology`: run the ontology's quality rules (`ontology/qc/*.rq`) on the ontology and the release."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `check-ontology` command to the `rcpgraph` parser."""
    parser = subparsers.add_parser(
        "check-ontology",
        help="run the ontology's quality rules (ontology/qc/*.rq)",
        description="Run each quality rule of ontology/qc/ (one SPARQL query per rule) on the ontology and the "
        "release, or on the Turtle files given, and list the violations. Exit 0 if there is none, 1 if there are "
        "some, 2 for bad input.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="Turtle file to check; default: ontology/rcp.ttl and the two release files",
    )
    parser.add_argument("--rules", type=Path, metavar="DIR", help="folder of the rules (default: ontology/qc)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Print one line per violation (rule, term, detail) and a summary; return 0 if there is none, else 1."""
    from rcpgraph.paths import locate
    from rcpgraph.pipeline import quality, release
    from rcpgraph.sparql.results import shorten, text_table

    layout = locate()
    folder = args.rules or layout.qc_dir
    files = args.files or [layout.ontology_file, *release.files(layout.release_dir)]
    rules = quality.rules(folder)
    violations = quality.check(files, rules)
    if violations:
        rows = [[found.rule, shorten(found.term), found.detail] for found in violations]
        sys.stdout.write(text_table(["rule", "term", "detail"], rows))
    broken = len({found.rule for found in violations})
    plural = "" if len(violations) == 1 else "s"
    sys.stderr.write(f"rcpgraph check-ontology: {len(violations)} violation{plural} ({broken} of {len(rules)} rules)\n")
    return 1 if violations else 0
