"""Standard output for the commands: a full, closed or failing output is bad input (exit 2), not a traceback."""

from __future__ import annotations

import sys

from rcpgraph.errors import InputError


def write(data: str | bytes) -> None:
    """Write `data` to standard output and flush it, so a write error is reported now, by the command."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise InputError(f"cannot write to standard output: {error.strerror or error}") from None
