"""`rcpgraph serve`: the release over HTTP, read-only: SPARQL endpoint, dereferenceable IRIs, pages, stored-query API.

It listens on 127.0.0.1 unless told otherwise. Every query follows the rules of `rcpgraph query`
(no update, SERVICE or FROM), runs in one of --workers query workers, is stopped after --timeout
seconds (503) or past --memory-limit megabytes (400), and keeps --max-rows rows.
Slow clients are dropped (--header-timeout, --body-timeout, --idle-timeout) and connections are capped
(--max-connections).
No forwarded header (X-Forwarded-For, X-Forwarded-Proto, Forwarded) is read: links come from --base-url.
With --endpoint (or RCPGRAPH_ENDPOINT, or `endpoint` in ./rcpgraph.toml) it serves the release that
`rcpgraph push` wrote into that SPARQL store instead of the release files, under the same rules and limits.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.cli import credentials, endpoint
from rcpgraph.cli.query import _count, _seconds
from rcpgraph.errors import InputError
from rcpgraph.serve.connections import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    ConnectionLimits,
)
from rcpgraph.sparql.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from rcpgraph.sparql.workers import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_WORKERS

if TYPE_CHECKING:
    from rcpgraph.sparql.remote import Remote


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `serve` command."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the release over HTTP: SPARQL endpoint, IRIs, pages, stored-query API",
        description="Serve the release, read-only: the SPARQL 1.1 Protocol at /sparql, every IRI at /id/..., "
        "readable pages, the stored queries at /api/queries. Nothing is ever fetched.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query after this many seconds, answering 503 (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=_count,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"answer at most N rows (or triples) per query (default: {DEFAULT_MAX_ROWS})",
    )
    parser.add_argument(
        "--memory-limit",
        type=_count,
        default=DEFAULT_MEMORY_LIMIT_MB,
        metavar="MB",
        help=f"stop a query that needs more than MB megabytes, answering 400 (default: {DEFAULT_MEMORY_LIMIT_MB})",
    )
    parser.add_argument(
        "--workers",
        type=_count,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"run queries in N worker processes, each holding the release (default: {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="where the service is seen, e.g. https://example.org/rcpgraph: w3id IRIs link there in pages",
    )
    parser.add_argument("--release", type=Path, metavar="DIR", help="the release folder (default: data/release)")
    endpoint.add_option(parser, "serve the release `rcpgraph push` wrote into this SPARQL endpoint, not the files")
    credentials.add_options(parser)
    parser.add_argument(
        "--header-timeout",
        type=_seconds,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help="answer 408 and close a connection whose request line and headers take longer "
        f"(default: {DEFAULT_HEADER_TIMEOUT:g})",
    )
    parser.add_argument(
        "--body-timeout",
        type=_seconds,
        default=DEFAULT_BODY_TIMEOUT,
        metavar="SECONDS",
        help="answer 408 and close when a request's body takes longer than this after its head "
        f"(default: {DEFAULT_BODY_TIMEOUT:g})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"close a kept-alive connection with no request for this long (default: {DEFAULT_IDLE_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-connections",
        type=_count,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help=f"answer 503 to a connection opened while N are open (default: {DEFAULT_MAX_CONNECTIONS})",
    )
    return parser


def _port(text: str) -> int:
    """The --port value: a whole number from 1 to 65535."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Load the release, then serve it until interrupted."""
    import uvicorn

    from rcpgraph.paths import locate
    from rcpgraph.serve.app import create_app
    from rcpgraph.serve.protocol import protocol
    from rcpgraph.serve.settings import Settings, base_url

    layout = locate()
    settings = Settings(
        release=args.release or layout.release_dir,
        base_url=base_url(args.base_url) if args.base_url else None,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        memory_limit=args.memory_limit,
        remote=_remote(args),
    )
    listener = _listen(args.host, args.port)
    limits = ConnectionLimits(
        args.header_timeout,
        args.body_timeout,
        args.idle_timeout,
        args.max_connections,
        max_head_bytes=2 * settings.max_request_bytes,
    )
    app = create_app(settings, layout, limits)
    host = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(f"rcpgraph serve: http://{host}:{args.port}/ (Ctrl-C to stop)\n")
    config = uvicorn.Config(
        app,
        http=protocol(limits),
        loop="auto",  # uvloop where it is installed (a dependency, but for Windows), else asyncio's
        log_level="warning",
        access_log=False,  # its lines are at level info, never shown; uvicorn still builds them for each request
        proxy_headers=False,
        server_header=False,  # no "server: uvicorn" line in every answer: it tells clients nothing they need
    )
    uvicorn.Server(config).run(sockets=[listener])
    return 0


def _remote(args: argparse.Namespace) -> Remote | None:
    """The store named by --endpoint (or the environment, or the configuration file), with its credentials."""
    from rcpgraph.sparql.remote import Remote
    from rcpgraph.stores.http import check_url

    url = endpoint.chosen(args.endpoint)
    if url is None:
        if args.auth is not None or args.token_env is not None:
            raise InputError("--auth and --token-env go with --endpoint")
        return None
    if args.release is not None:
        raise InputError("give either --release or --endpoint, not both")
    return Remote(check_url(url, "--endpoint"), credentials.from_args(args))


def _listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host`:`port` for the server; a host or port it cannot have is an InputError."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listener = socket.socket(family, kind, protocol)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener
