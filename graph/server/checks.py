"""What a query may do on this endpoint: read only, and never reach another server (SERVICE)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# SPARQL's lexical tokens, enough to tell keywords from the same letters inside strings, IRIs, comments,
# variables and prefixed names. Alternation order matters: an IRI is tried before `<` as an operator.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'
               |"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*)
    | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w\-.:%\u00b7]|\\.)*)
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def _unescape_codepoints(text: str) -> str:
    """Apply SPARQL's \\u and \\U escapes to the whole text, as the spec's pre-parse step does."""

    def one(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(one, text)


def _keywords(text: str) -> Iterable[str]:
    """The upper-cased keywords of ``text``, plus dot-separated parts of prefixed names' local parts."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            yield match.group().upper()
        elif kind == "pname":
            # A lexer that ends a prefixed name at a dot would see `ex:a.SERVICE` as a keyword; be as strict.
            for part in match.group().split(":", 1)[1].split(".")[1:]:
                yield part.upper()


def refusal(query: str) -> tuple[int, str] | None:
    """Why ``query`` may not run, as (HTTP status, message), or None when it may.

    Oxigraph reads \\u escapes only inside strings and IRIs while the SPARQL spec applies them first, so the
    text is checked both ways; a refusal in either reading refuses the query.
    """
    for text in (query, _unescape_codepoints(query)):
        words = list(_keywords(text))
        first = next((w for w in words if w not in ("BASE", "PREFIX")), "")
        if first in UPDATE_KEYWORDS:
            return 403, f"this endpoint is read-only: SPARQL Update ({first}) is refused"
        if "SERVICE" in words:
            return 400, "federated queries are refused: SERVICE is not allowed on this endpoint"
    return None
