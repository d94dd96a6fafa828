"""Cross-origin use: the service is public, read-only and takes no credentials, so a page on any origin may read it.

Every answer says `Access-Control-Allow-Origin: *` and lets a script read the headers it needs
(`ETag`, `Rcpgraph-Truncated`). A preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`)
is answered 204, allowing GET, HEAD and POST with the `Accept` and `Content-Type` headers, without
credentials. The answer is the same for every origin, so it does not vary by `Origin`.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOW_ORIGIN = {"Access-Control-Allow-Origin": "*"}
EXPOSED = {**ALLOW_ORIGIN, "Access-Control-Expose-Headers": "ETag, Rcpgraph-Truncated"}
PREFLIGHT = {
    **ALLOW_ORIGIN,
    "Access-Control-Allow-Methods": "GET, HEAD, POST",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


class Cors:
    """ASGI middleware answering preflights and marking every answer readable from any origin."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _preflight(scope):
            await Response(status_code=204, headers=PREFLIGHT)(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(EXPOSED)
            await send(message)

        await self.app(scope, receive, marked)


def _preflight(scope: Scope) -> bool:
    """Whether a request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method."""
    headers = Headers(scope=scope)
    return scope["method"] == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers
