"""Blocking work for a request, run in a thread while the request's client is watched: a client that goes stops it.

`watched` runs `work(cancelled)` in Starlette's thread pool and, until it ends, asks every
POLL_SECONDS whether the client has disconnected (`Request.is_disconnected`); if it has, it sets
`cancelled`, which a query waiting in `workers.Pool` takes as the order to stop its worker.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

POLL_SECONDS = 0.25
_T = TypeVar("_T")


async def watched(request: Request, work: Callable[[threading.Event], _T]) -> _T:
    """`work(cancelled)` run in a thread; `cancelled` is set once the client of `request` has gone away."""
    cancelled = threading.Event()
    task = asyncio.ensure_future(run_in_threadpool(work, cancelled))
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=POLL_SECONDS)
            if not task.done() and await request.is_disconnected():
                cancelled.set()
        return task.result()
    finally:
        cancelled.set()
