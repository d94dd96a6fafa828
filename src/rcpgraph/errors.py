"""The errors rcpgraph reports to people: one line, a file and line where known, an exit code."""

from __future__ import annotations

from pathlib import Path


class RcpgraphError(Exception):
    """An error the CLI reports as one message, without a traceback."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"


class InputError(RcpgraphError):
    """Bad input: a malformed file, an unknown name, a bad argument (exit 2)."""


class ValidationFailed(RcpgraphError):
    """The graph does not conform to the shapes (exit 1)."""

    exit_code = 1


def read_text(path: Path, what: str = "file") -> str:
    """The UTF-8 text of `path`; a missing or unreadable file becomes an InputError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=path) from None
    except UnicodeDecodeError as error:
        raise _not_utf8(error, path, what) from None
    except OSError as error:
        raise InputError(f"cannot read {what}: {error}", file=path) from None


def require_utf8(text: str, source: str | Path | None, what: str) -> None:
    """Refuse a text holding bytes that are not UTF-8 (which Python keeps as surrogates, its surrogateescape)."""
    try:
        text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"the {what} is not UTF-8 text: it holds a lone surrogate", source) from None
    except UnicodeDecodeError as error:
        raise _not_utf8(error, source, what) from None


def _not_utf8(error: UnicodeDecodeError, path: str | Path | None, what: str) -> InputError:
    """An InputError at the line and column (in characters) of the first byte that is not UTF-8."""
    data = error.object
    start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    column = len(data[start : error.start].decode("utf-8")) + 1
    return InputError(f"the {what} is not UTF-8 text: byte 0x{data[error.start]:02x}", path, line, column)
