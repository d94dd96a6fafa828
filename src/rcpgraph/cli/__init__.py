"""The `rcpgraph` command: one small module per subcommand, behind one registry.

Each module in `COMMANDS` defines `register(subparsers)` and `run(args) -> int`. Modules import
heavy libraries (rdflib, pyoxigraph) inside `run`, so `rcpgraph --help` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from rcpgraph.errors import RcpgraphError

COMMANDS = ("build", "validate", "check-ontology", "query", "export", "stats", "curate", "serve", "draw", "push")


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per registered command."""
    top = _Parser(
        prog="rcpgraph",
        description="Build, validate and query the rcpgraph knowledge graph of Regional Consultative Processes.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"rcpgraph.cli.{name.replace('-', '_')}")
        module.register(sub).set_defaults(run=module.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except RcpgraphError as error:
        sys.stderr.write(f"rcpgraph {args.command}: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("rcpgraph: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
