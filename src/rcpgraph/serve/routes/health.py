"""`GET /api/health`: the service's state as JSON, never cached: its pool of query workers and its answer cache.

- `workers`: `size` (the pool's `--workers`), `alive` (processes running), `busy` (running a query),
  `restarts` (workers replaced after a query past its time or memory limit, or whose client went
  away) and `memory_limit_mb` (null: none);
- `cache`: `bytes` (the estimated size of the answers kept), `limit_bytes` and `entries`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

if TYPE_CHECKING:
    from rcpgraph.serve.state import Release

router = APIRouter()


@router.api_route("/api/health", methods=["GET", "HEAD"])
def health(request: Request) -> Response:
    """The pool and the cache, now."""
    release: Release = request.app.state.release
    cache = release.answers
    state = {
        "workers": asdict(release.pool.health()),
        "cache": {"bytes": cache.bytes, "limit_bytes": cache.limit, "entries": len(cache)},
    }
    return JSONResponse(state, headers={"Cache-Control": "no-store"})
