"""Identity: readable, deterministic ASCII IRIs minted from type, name and a disambiguator."""

from __future__ import annotations

import functools
import hashlib
import re

from pypinyin import lazy_pinyin


@functools.lru_cache(maxsize=1 << 14)
def slug(text: str, limit: int = 40) -> str:
    """An ASCII slug of Chinese text: 张国华 → zhang-guo-hua."""
    words = lazy_pinyin(text, errors=lambda chars: [chars])
    ascii_text = "-".join(w for w in words if w)
    ascii_text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return ascii_text[:limit].rstrip("-") or "x"


def digest(*parts: object, length: int = 8) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


def mint(base: str, kind: str, name: str, *disambiguators: object) -> str:
    """`{base}{kind}-{slug}-{hash}`: the hash covers name and disambiguators, so namesakes can differ."""
    return f"{base}{kind}-{slug(name)}-{digest(kind, name, *disambiguators, length=6)}"
