"""Python's cyclic garbage collector while a build holds its graphs: fewer passes over long-lived terms.

A build makes hundreds of thousands of objects that live until it ends (rdflib's terms and the
entries of its indexes). With the default thresholds the collector looks at the young objects every
700 allocations and, ever more often as they pile up, at the whole heap, so its share of a build
grows with the data. Raising the young generation's threshold for the length of the build cut the
CPU time of a build at ten times the release from 59 s to 46 s (benchmarks/README.md); every
object is still collected, only later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000


@contextmanager
def fewer_collections(young: int = YOUNG) -> Iterator[None]:
    """Collect the young generation every `young` allocations in this block, then restore the thresholds."""
    thresholds = gc.get_threshold()
    gc.set_threshold(young, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
