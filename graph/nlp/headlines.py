"""Headlines: the persons, organizations and places a headline names that its article's body does not."""

from __future__ import annotations

from graph.model import (
    EntityKind,
    Mention,
    Span,
)
from graph.nlp import recognize as rec
from graph.nlp.organizations import OrganizationFinder
from graph.nlp.places import PlaceFinder
from graph.nlp.reading import IssueReading


def _abbreviates(short: str, long: str) -> bool:
    """短 is an abbreviation of 长: same first and last characters, the rest in order, and shorter."""
    if len(short) >= len(long) or short[0] != long[0] or short[-2:] != long[-2:]:
        return False
    chars = iter(long)
    return all(c in chars for c in short)


class HeadlineFinder:
    """Entities of a headline, named as the body names them."""

    def __init__(self, reading: IssueReading, organizations: OrganizationFinder, places: PlaceFinder) -> None:
        self.reading = reading
        self.organizations = organizations
        self.places = places

    def mentions(self, headline: str, known: set[str], body_mentions: list[Mention]) -> list[Mention]:
        """Entities a headline names that the body does not (the body's own mentions carry evidence).

        A headline shortens names: 省政府第一督查组 for the body's 省政府2022年…督查组第一督查组 is the
        same body, and becomes its alias."""
        found: list[Mention] = []
        seen = {m.name for m in body_mentions}
        body_orgs = [m for m in body_mentions if m.kind is EntityKind.ORGANIZATION]

        def add(kind: EntityKind, start: int, end: int, name: str, **extra: object) -> None:
            if name not in seen:
                seen.add(name)
                found.append(
                    Mention(kind, Span(start, end, headline[start:end]), name, in_headline=True, **extra)
                )

        for name in sorted(known):
            at = headline.find(name)
            if at >= 0:
                add(EntityKind.PERSON, at, at + len(name), name)
        for f in rec.find_orgs(
            headline, self.reading.locale, self.reading.leads, tokens=self.reading.all_tokens(headline)
        ):
            name, aliases = self.organizations.names(f.text)
            longer = next((m for m in body_orgs if _abbreviates(f.text, m.span.text)), None)
            if longer is not None:
                found.append(
                    Mention(
                        EntityKind.ORGANIZATION,
                        Span(f.start, f.end, f.text),
                        longer.name,
                        aliases=(*longer.aliases, f.text),
                        in_headline=True,
                    )
                )
                continue
            add(EntityKind.ORGANIZATION, f.start, f.end, name, aliases=aliases)
        for p in self.places.find(headline, []):
            add(EntityKind.PLACE, p.start, p.end, p.name, level=p.level)
        return found
