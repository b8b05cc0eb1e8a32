"""Places: administrative divisions, settlements, development zones and foreign places an article names,
resolved against the division table and collected for the whole issue."""

from __future__ import annotations

import dataclasses
import re

from graph.model import (
    Article,
    EntityKind,
    Mention,
    Place,
    Span,
)
from graph.nlp import recognize as rec
from graph.nlp.divisions import Division, world_places
from graph.nlp.events import PlaceAt
from graph.nlp.reading import IssueReading, common_word, quality_or_slogan
from graph.nlp.recognize import find_world_places
from graph.nlp.resolve import ZONE_FORMS

HOME_WORDS = re.compile(r"(?:我|本)(?:市|县|区|旗)(?![\u4e00-\u9fff]{0,1}(?:委|政府|人大|政协|长))")


class PlaceFinder:
    """Places named in an issue's articles; `places` collects the ones resolved, by name."""

    def __init__(self, reading: IssueReading) -> None:
        self.reading = reading
        self.places: dict[str, Place] = {}

    def find(self, body: str, person_spans: list[tuple[int, int]]) -> list[PlaceAt]:
        masked = list(body)
        for s, e in person_spans:
            masked[s:e] = ["\0"] * (e - s)
        text = "".join(masked)
        places: list[PlaceAt] = []
        zones = rec.find_zones(text, self.reading.locale)
        zone_spans = [(f.start, f.end) for f, _ in zones]
        # 我市, 本县, 我区: the home city or county
        for m in HOME_WORDS.finditer(text):
            home = self.reading.locale.home_place(m.group())
            if home is not None:
                place = self.register_division(home)
                places.append(PlaceAt(place.name, m.start(), m.end(), home.level))
        bounds = self.reading.boundaries(body)
        for s, e, div in self.reading.locale.find_places(text):
            if any(zs <= s < ze for zs, ze in zone_spans):
                continue
            if not self.reading.stands_alone(text, s, e, bounds):
                continue
            place = self.register_division(div)
            surface = text[s:e]
            if surface not in (div.name, div.short) and surface not in place.aliases:
                # a former name (株洲县) names today's division (渌口区)
                place = self.places[div.name] = dataclasses.replace(place, aliases=(*place.aliases, surface))
            places.append(PlaceAt(place.name, s, e, div.level))
        for f, prefix in zones:
            place = self._register_zone(f.text, prefix)
            if place:
                places.append(PlaceAt(place.name, f.start, f.end, "zone"))
        for f in rec.find_venues(text):
            parent = None
            if f.text.startswith("市") and self.reading.locale.city:
                parent = self.reading.locale.city.name
            else:
                inner = self.reading.locale.find_places(f.text)
                if inner and inner[0][0] == 0:
                    parent = self.register_division(inner[0][2]).name
            self.places.setdefault(f.text, Place(f.text, "venue", parent=parent))
            places.append(PlaceAt(f.text, f.start, f.end, "venue"))
        places.sort(key=lambda p: p.start)
        places += self._settlements(body, text, places, bounds)
        places += self._world(body, text, places, bounds)
        places += self._tagged_places(body, text, places, bounds)
        unmasked = [t for t in self.reading.tokens(body) if "\0" not in text[t.start : t.end]]
        for f in rec.find_natural(text, unmasked):
            if any(p.start < f.end and f.start < p.end for p in places):
                continue
            self.places.setdefault(f.text, Place(f.text, "natural"))
            places.append(PlaceAt(f.text, f.start, f.end, "natural"))
        # a community named with its village (红旗村社区) is one place
        return sorted(self._merge_village_communities(body, places), key=lambda p: p.start)

    def dateline_mentions(self, article: Article, mentions: list[Mention]) -> list[Mention]:
        """北京 of 本报北京3月5日电: the place a dateline reports from."""
        where = article.dateline_place
        if not where:
            return []
        found = [p for p in self.find(where, []) if p.start == 0 and p.end == len(where)]
        if not found or any(m.name == found[0].name for m in mentions if m.kind is EntityKind.PLACE):
            return []
        return [
            Mention(
                EntityKind.PLACE,
                Span(0, len(where), where),
                found[0].name,
                level=found[0].level,
                in_byline=True,
            )
        ]

    def _world(self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]) -> list[PlaceAt]:
        """Continents, countries and their main cities (日本, 法国巴黎), where the text uses them as words."""
        found = []
        ns_words = [t for t in self.reading.all_tokens(body) if t.tag == "ns"]
        for s, e, place in find_world_places(text):
            if any(p.start < e and s < p.end for p in taken):
                continue
            # 法国巴黎 is one word to the segmenter, and two places
            within_place_word = any(t.start <= s and e <= t.end for t in ns_words)
            if quality_or_slogan(text, s, e) or not (
                within_place_word or self.reading.stands_alone(text, s, e, bounds)
            ):
                continue
            if place.name not in self.places:
                # a city abroad is in its country; a country is not drawn inside its continent
                parent = place.parent if place.level == "city" else None
                self.places[place.name] = Place(place.name, place.level, parent=parent, aliases=place.aliases)
                if parent and parent in world_places() and parent not in self.places:
                    up = world_places()[parent]
                    self.places[parent] = Place(up.name, up.level, aliases=up.aliases)
            found.append(PlaceAt(place.name, s, e, place.level))
        return found

    def _settlements(
        self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]
    ) -> list[PlaceAt]:
        """Towns, villages and communities named by their suffix (某某镇, 某某村, 某某社区), where the
        division table does not know them."""
        found = []
        for f, level in rec.find_settlements(text, self.reading.all_tokens(body)):
            if any(p.start < f.end and f.start < p.end for p in taken):
                continue
            if common_word(f.text, self.reading.backend):
                continue
            parent = next(
                (
                    p.name
                    for p in reversed(taken)
                    if p.end <= f.start
                    and f.start - p.end <= 12
                    and p.level in ("county", "township", "prefecture")
                ),
                None,
            )
            self.places.setdefault(f.text, Place(f.text, level, parent=parent))
            found.append(PlaceAt(f.text, f.start, f.end, level))
        return found

    def _tagged_places(
        self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]
    ) -> list[PlaceAt]:
        """Places the trained tagger finds that name a kind of place (某某园, 某某港, 某某街), in the
        texts it has read (a headline is not)."""
        found = []
        view = self.reading.views.get(body)
        if view is None:
            return found
        for t in view.labelled("LOC"):
            name = text[t.start : t.end]
            if "\0" in name or any(p.start < t.end and t.start < p.end for p in taken + found):
                continue
            if t.start not in bounds or t.end not in bounds or not rec.LANDMARK_END.search(name):
                continue
            if len(name) < 3 and not rec.NATURAL_END.search(name):
                continue
            self.places.setdefault(name, Place(name, "venue"))
            found.append(PlaceAt(name, t.start, t.end, "venue"))
        return found

    def _merge_village_communities(self, body: str, places: list[PlaceAt]) -> list[PlaceAt]:
        result = []
        for p in places:
            if body.startswith("社区", p.end) and p.level == "community" and p.name.endswith("村"):
                full = p.name + "社区"
                base = self.places[p.name]
                self.places[full] = Place(full, "community", base.code, base.parent, (p.name,))
                result.append(PlaceAt(full, p.start, p.end + 2, "community"))
            else:
                result.append(p)
        return result

    def register_division(self, div: Division) -> Place:
        for d in [div, *self.reading.locale.ancestors(div)]:
            if d.name not in self.places:
                self.places[d.name] = self.reading.locale.division_place(d)
        return self.places[div.name]

    def _register_zone(self, surface: str, prefix: str | None) -> Place | None:
        """株洲经开区: a zone of the place that prefixes it, also known by its full form and its bare
        kind (经开区), which later mentions use."""
        if prefix is None:
            known = [p for p in self.places.values() if p.level == "zone" and surface in p.aliases]
            return known[0] if known else None
        kind = next((short for short in ZONE_FORMS if surface.endswith(short)), None)
        if kind is None:
            return None
        full = surface[: -len(kind)] + ZONE_FORMS[kind]
        div = self.reading.locale.gazetteer.get(prefix)
        if div is not None:
            self.register_division(div)
        aliases = tuple(a for a in dict.fromkeys([full, kind]) if a != surface)
        self.places.setdefault(
            surface, Place(surface, "zone", parent=div.name if div else prefix, aliases=aliases)
        )
        return self.places[surface]
