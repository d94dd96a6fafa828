"""Quality checks of the ontology, as an ODK ontology has them: one SPARQL rule per file in `ontology/qc/`.

Each rule is a SELECT of `?term ?detail` whose rows are its violations, with a `#+` header like a
stored query's. The rules run on the ontology and the release together, through the query store, so
the rules of `sparql.safety` hold for them as for any query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rcpgraph.errors import InputError
from rcpgraph.sparql.catalogue import StoredQuery, catalogue
from rcpgraph.sparql.store import Store, open_store

COLUMNS = ["term", "detail"]


@dataclass(frozen=True)
class Violation:
    """One row of a rule: the term at fault and what is wrong with it."""

    rule: str
    term: str
    detail: str


def rules(folder: Path) -> list[StoredQuery]:
    """The quality rules in `folder`, by name; a folder without any is bad input."""
    found = list(catalogue(folder).values())
    if not found:
        raise InputError(f"no quality rules (.rq files) in {folder}")
    return found


def check(files: Sequence[Path], checks: Sequence[StoredQuery]) -> list[Violation]:
    """The violations of the rules `checks` on the graph the Turtle `files` make together, rule by rule."""
    store = open_store(files)
    return [violation for rule in checks for violation in _violations(store, rule)]


def _violations(store: Store, rule: StoredQuery) -> list[Violation]:
    """The rows of one rule, which must select ?term and ?detail."""
    result = store.query(rule.sparql, source=rule.path)
    if result.kind != "select" or result.variables != COLUMNS:
        raise InputError("a quality rule is a SELECT of ?term and ?detail", file=rule.path)
    return [Violation(rule.name, str(term), str(detail)) for term, detail in result.rows]
