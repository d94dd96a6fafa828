"""What one run of the service is configured with: the release it serves, where it is seen, its limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rcpgraph.errors import InputError
from rcpgraph.pipeline.dataset import W3ID
from rcpgraph.sparql.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from rcpgraph.sparql.workers import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_WORKERS

if TYPE_CHECKING:
    from rcpgraph.sparql.remote import Remote

MAX_REQUEST_BYTES = 65536  # a request's body, and its query string, may be at most this long
CACHE_BYTES = 64 << 20  # the answers kept, at most this many bytes (an estimate of the memory they hold)


@dataclass(frozen=True)
class Settings:
    """The service's settings; `base_url` is where the w3id IRIs are mapped (None: links are root-relative).

    A query runs in one of `workers` processes, within `timeout` seconds and `memory_limit` megabytes
    (None: no memory limit); answers are kept up to `cache_bytes`. With `remote`, the release is the one
    `rcpgraph push` wrote into that SPARQL store, and `release` is not read.
    """

    release: Path
    base_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_request_bytes: int = MAX_REQUEST_BYTES
    workers: int = DEFAULT_WORKERS
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT_MB
    cache_bytes: int = CACHE_BYTES
    remote: Remote | None = None

    def link(self, path: str) -> str:
        """The address of a service path such as `/id/process/midsa`, under `base_url`."""
        return (self.base_url or "") + path

    @property
    def endpoint(self) -> str:
        """The SPARQL endpoint's address: under `base_url`, else its permanent w3id IRI (never a request's Host)."""
        return self.link("/sparql") if self.base_url else W3ID + "/sparql"

    def local(self, iri: str) -> str | None:
        """The service address of a w3id IRI (its fragment kept), or None for an IRI outside it."""
        if iri == W3ID or iri.startswith(W3ID + "/") or iri.startswith(W3ID + "#"):
            return self.link(iri[len(W3ID) :] or "/")
        return None


def base_url(text: str) -> str:
    """A --base-url value checked: an absolute http(s) URL without query or fragment, trailing slash removed.

    Mapped IRIs are the base URL and a path, so a "?" or "#" even with nothing after it would end up inside them.
    """
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or "?" in text or "#" in text:
        raise InputError(f"--base-url must be an http or https URL without query or fragment, not {text!r}")
    return text.rstrip("/")
