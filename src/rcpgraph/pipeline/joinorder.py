"""Triple patterns evaluated from what is bound: rdflib's evaluation of a group, inside `connected()`.

rdflib sorts the triple patterns of a group (a BGP) once, when it starts evaluating it: fewest
unbound terms first, then in the order of the prepared query. pySHACL binds `$this` to each focus
node in turn, so in `?target oa:hasSource $this . ?annotation oa:hasTarget ?target ; a oa:Annotation`
the typing (one unbound term) comes second, before the pattern that joins it to the target, and is
read for every annotation of the graph: for each focus node, a cost growing with the graph, the
square of it in all. Inside `connected()`, in the thread that entered it, each next pattern is the
one with fewest unbound terms given what the patterns before it bind, and of those the one sharing
most bound variables with them, then the first in rdflib's order: the same solutions, each group
walked from what is bound. The evaluator is registered with rdflib (`CUSTOM_EVALS`) when this
module is imported, and leaves every other part, and every group outside the block, to rdflib.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalBGP
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import FrozenBindings, QueryContext
from rdflib.term import BNode, Identifier, Variable

Pattern = tuple[Identifier, Identifier, Identifier]

_NAME = "rcpgraph-connected-patterns"
_local = threading.local()


@contextmanager
def connected() -> Iterator[None]:
    """Evaluate the groups of the SPARQL queries rdflib runs in this block, in this thread, from what is bound."""
    outer = getattr(_local, "active", False)
    _local.active = True
    try:
        yield
    finally:
        _local.active = outer


def _evaluate(ctx: QueryContext, part: CompValue) -> Iterator[FrozenBindings]:
    """A group's solutions, its patterns in `ordered` order; any other part, or outside the block, is rdflib's."""
    if part.name != "BGP" or not getattr(_local, "active", False):
        raise NotImplementedError
    patterns: Sequence[Pattern] = part.triples
    bound = {term for pattern in patterns for term in pattern if _variable(term) and ctx.get(term) is not None}
    return evalBGP(ctx, ordered(patterns, bound))


def ordered(patterns: Sequence[Pattern], bound: set[Identifier]) -> list[Pattern]:
    """`patterns`, each next the one with fewest variables unbound, then most bound (`bound` and the earlier ones'),
    then the first in rdflib's order (fewest unbound by `bound` alone, then as prepared)."""
    known = set(bound)
    left = sorted(patterns, key=lambda pattern: _cost(pattern, known)[0])
    result = []
    while left:
        best = min(left, key=lambda pattern: _cost(pattern, known))
        left.remove(best)
        result.append(best)
        known.update(term for term in best if _variable(term))
    return result


def _cost(pattern: Pattern, known: set[Identifier]) -> tuple[int, int]:
    """The number of the pattern's variables not in `known`, then minus the number in it."""
    variables = [term for term in pattern if _variable(term)]
    unbound = sum(term not in known for term in variables)
    return unbound, unbound - len(variables)


def _variable(term: Identifier) -> bool:
    """True for a variable of a pattern: a SPARQL variable, or a blank node (a variable in a query)."""
    return isinstance(term, (Variable, BNode))


CUSTOM_EVALS[_NAME] = _evaluate  # on import, before any query of this process runs in another thread
