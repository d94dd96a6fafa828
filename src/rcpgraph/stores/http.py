"""HTTP to a SPARQL store, with the standard library: one request, its answer, or one clear InputError.

Only the commands that name a store (`rcpgraph push`, `rcpgraph query --endpoint`) call this: nothing
else in rcpgraph reaches the network. Credentials travel in the Authorization header (HTTP Basic, or
Digest when the store asks for it, or a bearer token) and never appear in a message: URLs are shown
without their user part.
"""

from __future__ import annotations

import functools
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rcpgraph.errors import InputError

_CHUNK = 1 << 16  # bytes of a body sent at a time when its progress is shown
TIMEOUT = 60.0  # seconds a store may take to accept a connection or send the next bytes


class Unanswered(InputError):
    """A request that got no answer: the store could not be reached, or stopped answering."""


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: a user and password (Basic, or Digest if the store asks), or a bearer token."""

    user: str | None = None
    password: str = field(default="", repr=False)
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Answer:
    """A store's answer: its media type (without parameters) and body."""

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
    timeout: float | None = TIMEOUT,
    absent_ok: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Answer:
    """Send one request, waiting at most `timeout` seconds (None: as long as it takes) for each answer's bytes.

    A refusal or an HTTP error (but 404 if `absent_ok`) is an InputError about `what`; a store that cannot
    be reached or stops answering is an Unanswered error. `progress` is told how many bytes of the body went.
    """
    headers = {"User-Agent": "rcpgraph"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if accept is not None:
        headers["Accept"] = accept
    if credentials.token is not None:
        headers["Authorization"] = f"Bearer {credentials.token}"
    data: bytes | _Chunks | None = body
    if body is not None and progress is not None:
        headers["Content-Length"] = str(len(body))
        data = _Chunks(body, progress)
    message = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with _opener(url, credentials).open(message, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            return Answer(media_type, response.read())
    except urllib.error.HTTPError as error:
        if absent_ok and error.code == 404:
            return Answer(error.headers.get_content_type(), b"")
        raise _refused(error, url, what) from None
    except urllib.error.URLError as error:
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise Unanswered(f"cannot reach {shown(url)} ({what}): {reason}") from None
    except (OSError, ValueError) as error:
        raise Unanswered(f"no answer from {shown(url)} ({what}): {error}") from None


class _Chunks:
    """A request body sent in chunks, telling `progress` how many bytes went (from 0 again if it is sent again)."""

    def __init__(self, body: bytes, progress: Callable[[int], None]) -> None:
        self._body = body
        self._progress = progress

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._body), _CHUNK):
            yield self._body[start : start + _CHUNK]
            self._progress(min(start + _CHUNK, len(self._body)))


def _opener(url: str, credentials: Credentials) -> urllib.request.OpenerDirector:
    """An opener that answers a Basic or Digest challenge with the credentials, and follows no proxy."""
    if credentials.user is None:
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    opener, passwords = _authenticating(credentials)
    passwords.add_password(None, url, credentials.user, credentials.password)
    return opener


@functools.cache
def _authenticating(
    credentials: Credentials,
) -> tuple[urllib.request.OpenerDirector, urllib.request.HTTPPasswordMgrWithDefaultRealm]:
    """One opener (and its passwords) per set of credentials, so that a Digest challenge, once met, authorises the
    next requests."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    handlers = (urllib.request.HTTPBasicAuthHandler(passwords), _Digest(passwords))
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers), passwords


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that, once challenged, authorises the next requests at once.

    A store may close the connection as soon as it refuses a request it has not authorised, before a large
    body is sent whole; answering its last challenge in advance sends each body once.
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self.challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        """Keep the challenge, then answer it."""
        self.challenge = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(auth.partition(" ")[2]) if item]
        )
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        """Authorise the request with the answer to the last challenge, if there was one."""
        if self.challenge is not None and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


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
