"""A time limit that really stops a query: neither engine can cancel one, so it runs in a child process.

The child is forked, so it inherits the loaded store without copying or pickling it; its answer, or
the RcpgraphError it raised, comes back pickled through a pipe. If it has not answered by the
deadline, it is killed with SIGKILL and the caller gets a QueryTimeout. Where there is no "fork"
start method (Windows), the function runs in this process, without a time limit.
"""

from __future__ import annotations

import signal
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rcpgraph.errors import InputError, RcpgraphError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

_T = TypeVar("_T")


class QueryTimeout(InputError):
    """A query stopped at its time limit (exit 2)."""


def run(function: Callable[[], _T], timeout: float) -> _T:
    """`function()`, run in a forked child process that is killed if it has not answered within `timeout` seconds."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return function()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(function, sender), daemon=True)
    with warnings.catch_warnings():
        # Python 3.12+ warns that a forked child of a threaded process may deadlock: this one is killed in time.
        warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
        child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"query timed out after {timeout:g} s")
        outcome = _receive(receiver)
    finally:
        child.kill()
        child.join()
        receiver.close()
    if outcome is None:
        raise RcpgraphError(f"the query stopped without an answer (exit code {child.exitcode})")
    succeeded, value = outcome
    if not succeeded:
        raise value
    return value


def _receive(receiver: Connection) -> tuple[bool, Any] | None:
    """The child's (succeeded, value), or None if it ended without sending one."""
    try:
        return receiver.recv()
    except EOFError:
        return None


def _answer(function: Callable[[], object], sender: Connection) -> None:
    """In the child: send (True, the value of `function()`) or (False, the RcpgraphError it raised)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C interrupts the parent, which kills this child
    try:
        outcome = (True, function())
    except RcpgraphError as error:
        outcome = (False, error)
    sender.send(outcome)
