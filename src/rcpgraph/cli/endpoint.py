"""The --endpoint option of `query` and `serve`: a SPARQL store's query endpoint, named on the command line,
in the environment variable RCPGRAPH_ENDPOINT, or once in `rcpgraph.toml` in the working folder (in that order)."""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

from rcpgraph.errors import InputError

ENDPOINT_VARIABLE = "RCPGRAPH_ENDPOINT"
CONFIG_FILE = Path("rcpgraph.toml")


def add_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add --endpoint, saying what the command does with it."""
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help=f"{what} (default: ${ENDPOINT_VARIABLE}, else `endpoint` in ./{CONFIG_FILE}, if either is set)",
    )


def chosen(given: str | None) -> str | None:
    """The endpoint given, else the one the environment or the configuration file names, else None."""
    if given is not None:
        return given
    return os.environ.get(ENDPOINT_VARIABLE) or _configured(CONFIG_FILE)


def _configured(path: Path) -> str | None:
    """The `endpoint` of the configuration file at `path`, if the file exists and names one."""
    if not path.is_file():
        return None
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a TOML file: {error}") from None
    endpoint = settings.get("endpoint")
    if endpoint is not None and not isinstance(endpoint, str):
        raise InputError(f"{path}: `endpoint` must be a string (a URL), not {endpoint!r}")
    return endpoint or None
