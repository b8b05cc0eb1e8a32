"""Traditional Chinese: a simplified view of the text for the recognizers, with every offset unchanged."""

from __future__ import annotations

import functools
import re

CJK = re.compile(r"[\u4e00-\u9fff]")
# Share of CJK characters that OpenCC changes above which a text is taken to be written in traditional
# characters (simplified text has almost none: only variant forms).
TRADITIONAL_SHARE = 0.03


@functools.cache
def _converter() -> object | None:
    try:
        import opencc
    except ImportError:  # a declared dependency; without it traditional text is read as it is
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str | None:
    """The text in simplified characters, of the same length, if it is written in traditional ones."""
    converter = _converter()
    if converter is None:
        return None
    simplified = converter.convert(text)  # type: ignore[attr-defined]
    cjk = len(CJK.findall(text))
    changed = (
        sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
        if len(simplified) == len(text)
        else cjk
    )
    if not cjk or changed / cjk < TRADITIONAL_SHARE:
        return None
    if len(simplified) != len(text):
        # a phrase conversion changed a length: convert line by line, and character by character where needed
        simplified = "\n".join(_same_length(converter, line) for line in text.split("\n"))
    return simplified


def _same_length(converter: object, line: str) -> str:
    converted = converter.convert(line)  # type: ignore[attr-defined]
    if len(converted) == len(line):
        return converted
    chars = (converter.convert(c) for c in line)  # type: ignore[attr-defined]
    return "".join(c if len(c) == 1 else o for c, o in zip(chars, line, strict=True))


class Restorer:
    """Finds pieces of the simplified view in it and returns the original characters at that place."""

    def __init__(self, original: str, simplified: str) -> None:
        self.original = original
        self.simplified = simplified

    def __call__(self, piece: str) -> str:
        """The original of a piece of the view: a run of it, or runs of it joined (a rejoined paragraph)."""
        restored, rest = [], piece
        while rest:
            at = self.simplified.find(rest)
            if at >= 0:
                restored.append(self.original[at : at + len(rest)])
                break
            # the longest prefix that occurs as a run of the view
            low, high = 1, len(rest) - 1
            while low < high:
                middle = (low + high + 1) // 2
                if self.simplified.find(rest[:middle]) >= 0:
                    low = middle
                else:
                    high = middle - 1
            at = self.simplified.find(rest[:low])
            if at < 0:  # not from the text (a composed name): keep it as it is
                restored.append(rest)
                break
            restored.append(self.original[at : at + low])
            rest = rest[low:]
        return "".join(restored)
