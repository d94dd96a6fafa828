"""The options that name a SPARQL store's credentials, shared by `push` and `query --endpoint`."""

from __future__ import annotations

import argparse
import os

from rcpgraph.errors import InputError
from rcpgraph.stores.http import Credentials


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add --auth and --token-env, of which a command takes one at most."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--auth", metavar="USER:PASSWORD", help="HTTP Basic (or Digest, if the store asks) credentials for the store"
    )
    group.add_argument(
        "--token-env", metavar="VAR", help="the environment variable that holds a bearer token for the store"
    )


def from_args(args: argparse.Namespace) -> Credentials:
    """The credentials the options give (none if neither is given); never echoed in a message."""
    if args.auth is not None:
        user, colon, password = args.auth.partition(":")
        if not colon or not user:
            raise InputError("--auth takes USER:PASSWORD")
        return Credentials(user=user, password=password)
    if args.token_env is not None:
        token = os.environ.get(args.token_env)
        if not token:
            raise InputError(f"--token-env: the environment variable {args.token_env} is not set")
        return Credentials(token=token)
    return Credentials()
