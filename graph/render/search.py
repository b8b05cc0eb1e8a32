"""Finding nodes by name: the one ranking used by a page's --focus over a whole graph and over an
archive's store."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from graph.render.view import name_pinyin


@dataclass(frozen=True)
class Named:
    """Something a search can find: a node's key, its name (a headline for an article) and aliases."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    article: bool = False
    readings: tuple[str, str] | None = field(default=None, compare=False)
    """Pinyin and initials when already known; otherwise read from the name on first use."""

    @functools.cached_property
    def pinyin(self) -> tuple[str, str]:
        if self.readings is not None:
            return self.readings
        # headlines are searched by their Chinese text (the pinyin of long text is slow and useless)
        return ("", "") if self.article else name_pinyin(self.label)


def find(candidates: Iterable[Named], name: str) -> list[Named]:
    """The candidates `name` finds: exact names first, then aliases, then partial names, then pinyin
    or initials; articles are matched by headline only when nothing else matches. Within a rank the
    candidates are in the order of their keys."""
    query = name.strip()
    if not query:
        return []
    lowered = query.lower().replace(" ", "")
    tests: Sequence[Callable[[Named], bool]] = (
        lambda c: c.label == query,
        lambda c: query in c.aliases,
        lambda c: query in c.label,
        lambda c: bool(lowered) and lowered in (c.pinyin[0].replace(" ", ""), c.pinyin[1]),
    )
    every = list(candidates)
    for articles in (False, True):
        pool = [c for c in every if c.article == articles]
        for test in tests:
            found = [c for c in pool if test(c)]
            if found:
                return sorted(found, key=lambda c: c.key)
    return []
