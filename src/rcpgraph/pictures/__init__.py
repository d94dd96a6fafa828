"""Pictures drawn from the stored queries' answers: deterministic SVG with a table that says the same in words.

`draw(name, ask, href, process)` gives a `Picture`; `ask` answers a stored query by name (`asker` makes one
over a query store), `href` says where a link to an IRI points (the IRI itself on the command line, the
service's page in the service). Each picture is one module: `network`, `timeline`, `matrix`, `bars`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rcpgraph.errors import InputError
from rcpgraph.pictures.model import Ask, Href, Picture

if TYPE_CHECKING:
    from rcpgraph.sparql.catalogue import StoredQuery
    from rcpgraph.sparql.store import Result, Store

NAMES = ("network", "timeline", "matrix", "statuses", "individuals", "cells")
# The picture of each stored query's answer, for the query page.
OF_QUERY = {
    "cross-fertilization-network": "network",
    "timeline": "timeline",
    "completeness-matrix": "matrix",
    "statuses-per-dimension": "statuses",
    "individuals-per-process": "individuals",
    "status-counts": "cells",
}


def draw(name: str, ask: Ask, href: Href = str, process: str | None = None) -> Picture:
    """The picture `name`, of every process or of the process `process` (a slug)."""
    from rcpgraph.pictures import bars, matrix, network, timeline
    from rcpgraph.pictures.names import Names

    painters: dict[str, Callable[[Ask, Href, str | None], Picture]] = {
        "network": network.draw,
        "timeline": timeline.draw,
        "matrix": matrix.draw,
        "statuses": bars.statuses,
        "individuals": bars.individuals,
        "cells": bars.cells,
    }
    if name not in painters:
        raise InputError(f'no picture is named "{name}" (pictures: {", ".join(NAMES)})')
    iri = Names(ask).process(process) if process is not None else None
    return painters[name](ask, href, iri)


def asker(store: Store, queries: dict[str, StoredQuery]) -> Ask:
    """Answers of the stored queries `queries` from `store`, each run once."""
    from rcpgraph.sparql.catalogue import bind, whole

    answers: dict[str, Result] = {}

    def ask(name: str) -> Result:
        if name not in answers:
            answers[name] = store.query(bind(queries[name], whole(queries[name])), source=queries[name].path)
        return answers[name]

    return ask
