"""A small SPARQL lexer: the tokens that matter for the safety rules, parameters and headers.

It skips comments, strings and IRIs, so a word inside them never counts as a keyword; it never
recurses, so no query can overflow it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
    | (?P<pname>[\w.-]*:(?:[\w.:%-]|\\.)*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<punctuation>[(){}\[\].;,])
    """,
    re.VERBOSE | re.DOTALL,
)


def _capturing(*kinds: str) -> re.Pattern[str]:
    """The same tokens, only those of `kinds` captured: `findall` then gives each, or "" for another token, from C
    (for several kinds, a tuple in the order of `_TOKENS`)."""
    return re.compile(
        re.sub(r"\(\?P<(\w+)>", lambda group: "(" if group[1] in kinds else "(?:", _TOKENS.pattern),
        re.VERBOSE | re.DOTALL,
    )


_MARKS = _capturing("punctuation")
_WORDS_AND_MARKS = _capturing("word", "punctuation")


def tokens(sparql: str, kind: str) -> Iterator[re.Match[str]]:
    """The tokens of one kind (var, word, pname, ...) in `sparql`, skipping comments, strings and IRIs."""
    return (match for match in _TOKENS.finditer(sparql) if match.lastgroup == kind)


def keywords(sparql: str) -> Iterator[tuple[str, int]]:
    """The bare words of `sparql` (keywords and function names), upper-cased, with their offsets."""
    return ((match.group().upper(), match.start()) for match in tokens(sparql, "word"))


def marks_and_words(sparql: str) -> tuple[list[str], list[str]]:
    """What `marks` gives, and the words `keywords` gives without their offsets, from one fast scan."""
    pairs = _WORDS_AND_MARKS.findall(sparql)
    return [mark for _, mark in pairs if mark], [word.upper() for word, _ in pairs if word]


def punctuation(sparql: str) -> Iterator[tuple[str, int]]:
    """The brackets and separators (`( ) { } [ ] . ; ,`) of `sparql` outside comments, strings and IRIs."""
    return ((match.group(), match.start()) for match in tokens(sparql, "punctuation"))


def marks(sparql: str) -> list[str]:
    """The marks `punctuation` gives, without their offsets (a fast scan: see `mark_offset` for where one is)."""
    return [mark for mark in _MARKS.findall(sparql) if mark]


def mark_offset(sparql: str, index: int) -> int:
    """The offset of the mark at `index` in `marks(sparql)`."""
    return next(islice(punctuation(sparql), index, None))[1]


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
