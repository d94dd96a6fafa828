"""A guard that keeps a block of code off the network, whatever the libraries it calls try.

Inside `guard()`, in the thread that entered it, Python's audit events for opening a URL, looking a
host name up and connecting or sending on a socket raise `NetworkRefused` before anything leaves
the process; other threads (a server answering requests, say) are not affected. The audit hook is
added on first use and stays, as audit hooks do, idle outside a guarded block.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_EVENTS = frozenset({"urllib.Request", "socket.getaddrinfo", "socket.gethostbyname", "socket.connect", "socket.sendto"})
_local = threading.local()
_installing = threading.Lock()
_installed = False


class NetworkRefused(Exception):
    """A guarded block tried to reach the network; `target` is the URL or the address it named."""

    def __init__(self, target: str) -> None:
        super().__init__(f"network access refused: {target}")
        self.target = target


@contextmanager
def guard() -> Iterator[None]:
    """Refuse network access in the block; if any was tried, NetworkRefused leaves it, even if it was caught inside."""
    _install()
    attempts: list[str] = []
    _local.attempts = attempts
    try:
        yield
    finally:
        del _local.attempts
        if attempts:
            raise NetworkRefused(attempts[0])


def _install() -> None:
    """Add the audit hook, once per process."""
    global _installed
    with _installing:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


def _hook(event: str, args: tuple[object, ...]) -> None:
    """Record and refuse a network event raised inside a guarded block of this thread."""
    if event not in _EVENTS:
        return
    attempts: list[str] | None = getattr(_local, "attempts", None)
    if attempts is not None:
        target = _target(event, args)
        attempts.append(target)
        raise NetworkRefused(target)


def _target(event: str, args: tuple[object, ...]) -> str:
    """The URL (without its query string), host or address an audit event names, e.g. "127.0.0.1:8080"."""
    if event == "urllib.Request":
        return str(args[0]).partition("?")[0]
    if event in ("socket.getaddrinfo", "socket.gethostbyname"):
        return ":".join(str(part) for part in args[:2] if part is not None)
    address = args[1]
    return ":".join(map(str, address[:2])) if isinstance(address, tuple) else str(address)
