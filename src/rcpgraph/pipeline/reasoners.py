"""The reasoners `rcpgraph build --reasoner` offers, by name: each names its closure function and its pip extra.

Like rdflib's plugin registry, an entry names a module and a function, imported only when the reasoner is chosen: a
build with owlrl never loads another reasoner's package, and `rcpgraph --help` loads none.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcpgraph.errors import InputError

if TYPE_CHECKING:
    from rcpgraph.pipeline.reasoning import Close


@dataclass(frozen=True)
class Reasoner:
    """Where a reasoner's closure function lives, and the pip extra that installs what it needs ("" for none)."""

    module: str
    function: str
    extra: str = ""


REASONERS = {
    "owlrl": Reasoner("rcpgraph.pipeline.reasoning", "owlrl_closure"),
    "reasonable": Reasoner("rcpgraph.pipeline.reasonable_closure", "closure", extra="reasonable"),
}
DEFAULT = "owlrl"


def load(name: str) -> Close:
    """The closure function of the reasoner `name`; an InputError naming the pip extra if its package is missing."""
    reasoner = REASONERS[name]
    try:
        module = importlib.import_module(reasoner.module)
    except ModuleNotFoundError as error:
        raise InputError(
            f"the {name} reasoner needs the Python package '{error.name}', which is not installed: "
            f"pip install 'rcpgraph[{reasoner.extra}]'"
        ) from None
    close: Close = getattr(module, reasoner.function)
    return close
