"""Organizations: the bodies an article names, with official names, aliases and parent bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import (
    Membership,
)
from graph.nlp import recognize as rec
from graph.nlp.reading import IssueReading


@dataclass(frozen=True)
class OrgAt:
    start: int
    end: int
    name: str
    aliases: tuple[str, ...]
    parent: str | None = None


# 市委 of 市委宣传部, 省政府 of 省政府督查组: the body a unit belongs to
PARENT_BODY = re.compile(r"^[省市县区](?:委|政府|人大常委会|政协)")


class OrganizationFinder:
    """Bodies named in an article, resolved in the issue's locale."""

    def __init__(self, reading: IssueReading) -> None:
        self.reading = reading

    def names(self, surface: str) -> tuple[str, tuple[str, ...]]:
        """Official name and aliases of a body; 县委/区委 are those of the article's county."""
        if surface[:1] in "县区" and self.reading.county and not surface.startswith(("区域", "县域")):
            name, aliases = self.reading.locale.org_names(self.reading.county + surface[1:])
            return name, tuple(dict.fromkeys((surface, *aliases)))
        return self.reading.locale.org_names(surface)

    def find(
        self, body: str, memberships: list[Membership], person_spans: list[tuple[int, int]]
    ) -> list[OrgAt]:
        projects = [f for f, _ in self.reading.find_projects(body)]
        surfaces = [
            (f.start, f.end, f.level + f.text)
            for f in self.reading.orgs_in(body)
            if not any(s < f.end and f.start < e for s, e in person_spans)
            and not any(p.start <= f.start and f.end <= p.end for p in projects)
        ]
        for m in memberships:
            if m.organization_surface:
                at = m.evidence.start + m.evidence.text.find(m.organization_surface)
                if at >= m.evidence.start and not any(s <= at < e for s, e, _ in surfaces):
                    surfaces.append((at, at + len(m.organization_surface), m.organization_surface))
        orgs: dict[tuple[int, int], OrgAt] = {}
        for start, end, surface in surfaces:
            parent = PARENT_BODY.match(surface) or rec.FIRM_PARENT.match(surface)
            parent_name = None
            if parent and parent.end() < len(surface) and end - start == len(surface):
                parent_name, parent_aliases = self.names(parent.group())
                key = (start, start + parent.end())
                orgs.setdefault(key, OrgAt(*key, parent_name, parent_aliases))
            name, aliases = self.names(surface)
            if surface != body[start:end]:
                aliases = tuple(dict.fromkeys((*aliases, body[start:end])))
            orgs[(start, end)] = OrgAt(start, end, name, aliases, parent_name)
        return sorted(orgs.values(), key=lambda o: (o.start, o.end))
