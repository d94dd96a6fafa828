"""Content negotiation: the formats the service writes, `Accept` headers with q-values, and overrides.

A client picks a format by `Accept` (the offer with the highest q wins; the most specific media
range decides an offer's q; ties go to the server's order of preference), or by `format=NAME`
(a format name, an alias or a media type), or on entity IRIs by a suffix (`.ttl`, `.jsonld`, `.nt`).
An absent or empty `Accept` takes the first offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Format:
    """One output format: its name in `results`/`rdfio`, its media type, and the names it also answers to."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    suffix: str | None = None

    @property
    def content_type(self) -> str:
        """The Content-Type header value, with the charset for text types."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith("+xml")
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    def answers_to(self, name: str) -> bool:
        """Whether `name` (a format name, alias or media type, any case) names this format."""
        wanted = name.strip().lower()
        return wanted == self.name or wanted == self.media_type or wanted in self.aliases


JSON = Format("json", "application/sparql-results+json", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv")
TSV = Format("tsv", "text/tab-separated-values")
TURTLE = Format("turtle", "text/turtle", ("ttl", "application/x-turtle"), ".ttl")
JSONLD = Format("jsonld", "application/ld+json", ("json-ld", "json", "application/json"), ".jsonld")
NTRIPLES = Format("ntriples", "application/n-triples", ("nt", "n-triples", "text/plain"), ".nt")
RDFXML = Format("rdfxml", "application/rdf+xml", ("rdf", "rdf+xml", "xml", "application/xml", "text/xml"), ".rdf")
HTML = Format("html", "text/html", ("application/xhtml+xml",))

SOLUTIONS = (JSON, XML, CSV, TSV)
BOOLEAN = (JSON, XML, CSV, TSV)
GRAPH = (TURTLE, JSONLD, NTRIPLES, RDFXML)
RESOURCE = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML)
KNOWN = (*SOLUTIONS, *RESOURCE)
OFFERS = {"select": SOLUTIONS, "ask": BOOLEAN, "graph": GRAPH}


@dataclass(frozen=True)
class _Range:
    """One media range of an Accept header and its q-value."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */*."""
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        """Whether this range covers `media_type`."""
        kind, _, subtype = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", subtype)


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header; malformed ranges and q-values are skipped."""
    ranges = []
    for item in header.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        kind, slash, subtype = media.lower().partition("/")
        if not (slash and kind and subtype) or (kind == "*" and subtype != "*"):
            continue
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                q = _q_value(value.strip())
        if q >= 0:
            ranges.append(_Range(kind, subtype, q))
    return ranges


def _q_value(text: str) -> float:
    """A q-value between 0 and 1, or -1 when it is not one."""
    try:
        q = float(text)
    except ValueError:
        return -1.0
    return q if 0 <= q <= 1 else -1.0


def quality(ranges: Sequence[_Range], offer: Format) -> float:
    """The q the client gives `offer`: from the most specific range covering the media type it is served as.

    An alias counts only when a range names it exactly (`text/plain` for N-Triples): a wildcard such as `text/*`
    or `application/*` covers the type served, never an alias, so it cannot pick a format served under another type.
    """
    aliases = [alias for alias in offer.aliases if "/" in alias]
    best = (-1, 0.0)
    for accepted in ranges:
        exact_alias = accepted.specificity == 2 and any(accepted.matches(alias) for alias in aliases)
        if accepted.matches(offer.media_type) or exact_alias:
            best = max(best, (accepted.specificity, accepted.q))
    return best[1]


@lru_cache(maxsize=1024)
def choose(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the Accept header prefers (the first offer when there is no header), or None if none is acceptable
    (kept for the next request with the same header and offers, a tuple: clients send the same few headers)."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    scored = [(quality(ranges, offer), -index, offer) for index, offer in enumerate(offers)]
    q, _, offer = max(scored, key=lambda item: item[:2])
    return offer if q > 0 else None


def known(name: str) -> bool:
    """Whether `name` names any format the service writes, whatever the result."""
    return any(offer.answers_to(name) for offer in KNOWN)


def named(name: str, offers: Sequence[Format]) -> Format | None:
    """The offer that `name` (from `format=`) names, or None."""
    return next((offer for offer in offers if offer.answers_to(name)), None)


def by_suffix(path: str, offers: Sequence[Format]) -> tuple[str, Format] | None:
    """(path without its suffix, the format) if `path` ends with the suffix of one of the offers."""
    for offer in offers:
        if offer.suffix and path.endswith(offer.suffix):
            return path[: -len(offer.suffix)], offer
    return None


def listing(offers: Sequence[Format]) -> str:
    """The offers' media types, for a 406 message."""
    return ", ".join(offer.media_type for offer in offers)
