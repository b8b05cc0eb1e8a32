"""Projects: the construction and development projects an article names, and where they are."""

from __future__ import annotations

from collections import Counter

from graph.model import (
    Article,
    EntityKind,
    Mention,
)
from graph.nlp.events import PlaceAt
from graph.nlp.reading import IssueReading


class ProjectFinder:
    """Projects named in an article."""

    def __init__(self, reading: IssueReading) -> None:
        self.reading = reading

    def mentions(self, article: Article, places: list[PlaceAt]) -> list[Mention]:
        mentions = []
        body = article.text
        district_counts = Counter(p.name for p in places if p.level in ("county", "zone"))
        main = district_counts.most_common(1)[0][0] if district_counts else None
        for f, aliases in self.reading.find_projects(body):
            sentence_start = max(body.rfind(c, 0, f.start) for c in "。！？\n") + 1
            sentence_end = min(
                (i for i in (body.find(c, f.end) for c in "。！？\n") if i >= 0), default=len(body)
            )
            local = [
                p
                for p in places
                if sentence_start <= p.start < sentence_end and p.level in ("county", "zone")
            ]
            before = [p for p in local if p.start < f.start]
            location = before[-1].name if before else local[0].name if local else main
            mentions.append(
                Mention(
                    EntityKind.PROJECT,
                    article.span(f.start, f.end),
                    f.text,
                    location=location,
                    aliases=aliases,
                )
            )
        return mentions
