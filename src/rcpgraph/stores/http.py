"""HTTP to a SPARQL store, with the standard library: one request, its answer, or one clear InputError.

Only the commands that name a store (`rcpgraph push`, `rcpgraph query --endpoint`) call this: nothing
else in rcpgraph reaches the network. Credentials travel in the Authorization header (HTTP Basic, or
Digest when the store asks for it, or a bearer token) and never appear in a message: URLs are shown
without their user part.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from rcpgraph.errors import InputError

TIMEOUT = 60.0  # seconds a store may take to accept a connection or send the next bytes


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: a user and password (Basic, or Digest if the store asks), or a bearer token."""

    user: str | None = None
    password: str = field(default="", repr=False)
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Answer:
    """A store's answer: its status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


def check_url(url: str, option: str) -> str:
    """`url` if it is an http or https URL with a host and no user part, else an InputError naming `option`."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{option}: not an http or https URL: {shown(url)}")
    if parts.username is not None:
        raise InputError(f"{option}: give credentials with --auth or --token-env, not in the URL")
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when it is read)
    except ValueError:
        raise InputError(f"{option}: not a valid port in {shown(url)}") from None
    return url


def shown(url: str) -> str:
    """`url` as messages show it: without a user part or query string."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def with_query(url: str, parameters: list[tuple[str, str]]) -> str:
    """`url` with `parameters` added to its query string."""
    if not parameters:
        return url
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode(parameters)


def request(
    method: str,
    url: str,
    credentials: Credentials,
    *,
    body: bytes | None = None,
    content_type: str | None = None,
    accept: str | None = None,
    what: str,
) -> Answer:
    """Send one request; a refusal, an HTTP error or an unreachable store is an InputError about `what`."""
    headers = {"User-Agent": "rcpgraph"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if accept is not None:
        headers["Accept"] = accept
    if credentials.token is not None:
        headers["Authorization"] = f"Bearer {credentials.token}"
    message = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _opener(url, credentials).open(message, timeout=TIMEOUT) as response:
            media_type = response.headers.get_content_type()
            return Answer(response.status, media_type, response.read())
    except urllib.error.HTTPError as error:
        raise _refused(error, url, what) from None
    except urllib.error.URLError as error:
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise InputError(f"cannot reach {shown(url)} ({what}): {reason}") from None
    except (OSError, ValueError) as error:
        raise InputError(f"cannot reach {shown(url)} ({what}): {error}") from None


def _opener(url: str, credentials: Credentials) -> urllib.request.OpenerDirector:
    """An opener that answers a Basic or Digest challenge with the credentials, and follows no proxy."""
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if credentials.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _refused(error: urllib.error.HTTPError, url: str, what: str) -> InputError:
    """An HTTP error as one line: what was refused, the status, and the first line of the store's words."""
    detail = _first_line(error.read())
    words = f": {detail}" if detail else ""
    status = f"HTTP {error.code}"
    if error.code == 401:
        return InputError(f"{shown(url)} refused {what} ({status}, check --auth or --token-env){words}")
    if error.code == 403:
        return InputError(f"{shown(url)} forbids {what} ({status}){words}")
    if error.code in (404, 405, 406, 415, 501):
        return InputError(f"{shown(url)} does not accept {what} ({status}){words}")
    return InputError(f"{shown(url)} failed {what} ({status}){words}")


def _first_line(body: bytes) -> str:
    """The first non-blank line of a store's error text, cut to 200 characters."""
    text = body.decode("utf-8", "replace")
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:200]
