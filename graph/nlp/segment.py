"""Word segmentation and part-of-speech tags behind one small interface (rjieba by default, jieba too)."""

from __future__ import annotations

import functools
import logging
from enum import Enum
from typing import NamedTuple, Protocol


class Token(NamedTuple):
    """A word with its part-of-speech tag and character offsets; a tuple, since issues have many."""

    word: str
    tag: str
    start: int
    end: int


class Backend(str, Enum):
    RJIEBA = "rjieba"
    JIEBA = "jieba"


class Tagger(Protocol):
    def tag(self, text: str) -> list[tuple[str, str]]: ...


class _JiebaTagger:
    """A private jieba POSTokenizer, never the module-level global."""

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        self._tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in self._tokenizer.cut(text)]


@functools.cache
def tagger(backend: Backend = Backend.RJIEBA) -> Tagger:
    if backend is Backend.JIEBA:
        return _JiebaTagger()
    import rjieba

    return rjieba.Jieba()


def tokenize(text: str, backend: Backend = Backend.RJIEBA, tags: frozenset[str] | None = None) -> list[Token]:
    """Tagged tokens with their character offsets in text; only those tagged `tags` when given."""
    tokens, pos = [], 0
    for word, tag in tagger(backend).tag(text):
        end = pos + len(word)
        if tags is None or tag in tags:
            tokens.append(Token(word, tag, pos, end))
        pos = end
    return tokens
