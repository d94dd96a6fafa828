"""Progress on a terminal: a bar per stage of a long command, on standard error, and nothing when it is not one."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def stage(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A bar for one stage (of `total` bytes, or a line that says what is awaited when None) while the block runs.

    The block gets a function to call with the position reached. The bar goes when the stage ends, so what
    the command writes stays as it is; unless standard error is a terminal, nothing at all is shown.
    """
    if not sys.stderr.isatty():
        yield _ignore
        return
    from tqdm import tqdm

    shape = "{desc}" if total is None else "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}]"
    with tqdm(
        total=total, desc=description, unit="B", unit_scale=True, leave=False, file=sys.stderr, bar_format=shape
    ) as bar:

        def advance(position: int) -> None:
            bar.update(position - bar.n)

        yield advance


def _ignore(_position: int) -> None:
    """No bar: nothing to advance."""
