"""Who is who across articles and issues: one person per name and home city, with user corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from graph.errors import NewsgraphError
from graph.model import Article

CORRECTIONS_FILE = "entities.toml"


class CorrectionsError(NewsgraphError):
    """An entities.toml that cannot be read."""


@dataclass(frozen=True)
class PersonKey:
    """What mints a person's IRI: the name used and what keeps namesakes apart."""

    name: str
    scope: str  # the home city, "" for every city, or a user's distinction


@dataclass
class Corrections:
    """A user's corrections, applied at build (seeds/entities.toml)."""

    same: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    different: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    preferred: dict[str, str] = field(default_factory=dict)


def load_corrections(path: Path | None) -> Corrections:
    """Read entities.toml; a missing file is no corrections, a malformed one is an error."""
    if path is None or not path.exists():
        return Corrections()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        corrections = Corrections()
        for entry in data.get("same", []):
            names = tuple(str(n) for n in entry["names"])
            if len(names) < 2:
                raise ValueError("a [[same]] entry needs at least two names")
            corrections.same.append((names, entry.get("city")))
        for entry in data.get("different", []):
            corrections.different.append((str(entry["name"]), tuple(str(w) for w in entry["where"])))
        corrections.preferred = {str(k): str(v) for k, v in data.get("preferred", {}).items()}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as err:
        raise CorrectionsError(f"{path}: {err}") from err
    return corrections


def find_corrections(inputs: list[Path]) -> Path | None:
    """The entities.toml in the first input directory that has one."""
    for item in inputs:
        candidate = item / CORRECTIONS_FILE if item.is_dir() else item.parent / CORRECTIONS_FILE
        if candidate.exists():
            return candidate
    return None


class PersonResolver:
    """Maps a name as written in an article to the person it denotes, and says why mentions merge."""

    def __init__(self, corrections: Corrections | None = None) -> None:
        self.corrections = corrections or Corrections()
        self._same = {name: (names[0], city) for names, city in self.corrections.same for name in names}
        self.articles: dict[PersonKey, set[str]] = {}
        self.aliases: dict[PersonKey, set[str]] = {}
        self.reasons: dict[PersonKey, str] = {}

    def resolve(self, name: str, article: Article) -> PersonKey:
        written = name
        name = self.corrections.preferred.get(name, name)
        reason = f"same name in articles whose home city is {article.city}" if article.city else "same name"
        scope = article.city or ""
        if name in self._same:
            name, city = self._same[name]
            scope = city or ""
            reason = "entities.toml lists these names as one person"
        for other, where in self.corrections.different:
            if other == name and any(_matches(w, article) for w in where):
                scope = f"{scope}|{'+'.join(where)}"
                reason = "entities.toml keeps this person apart from a namesake"
        key = PersonKey(name, scope)
        self.articles.setdefault(key, set()).add(article.key)
        if written != name:
            self.aliases.setdefault(key, set()).add(written)
        self.reasons[key] = reason
        return key

    def merge_reason(self, key: PersonKey) -> str | None:
        """Why the mentions of more than one article are this one person; None if only one article."""
        if len(self.articles.get(key, ())) < 2:
            return None
        return f"{self.reasons[key]} ({len(self.articles[key])} articles)"


def _matches(where: str, article: Article) -> bool:
    return where in (article.city, article.source_path, article.newspaper) or article.key.startswith(where)
