"""Where an issue speaks from (its home city), places in it, and the official names of abbreviated bodies."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from graph.model import Place
from graph.nlp.divisions import Division, DivisionTable
from graph.nlp.lexicons import ORG_EXPANSIONS

PAPER_SUFFIX = re.compile(r"(?:日报|晚报|晨报|早报|都市报|时报|商报|报)(?:社)?$")
ZONE_FORMS = {
    "经开区": "经济技术开发区",
    "高新区": "高新技术产业开发区",
    "经济开发区": "经济开发区",
    "经济技术开发区": "经济技术开发区",
    "高新技术产业开发区": "高新技术产业开发区",
    "新区": "新区",
}


@dataclass
class Locale:
    """The home city and province that 市/省/我市 refer to, with a gazetteer of the places around them."""

    table: DivisionTable
    city: Division | None = None
    province: Division | None = None
    gazetteer: dict[str, Division] = field(default_factory=dict)
    max_len: int = 2

    @classmethod
    def for_city(cls, table: DivisionTable, city: Division | None) -> Locale:
        province = None
        if city is not None:
            province = city if city.level == "province" else table.parent(city)
        return cls(table, city, province, _gazetteer(table, city.key if city else ""))

    def __post_init__(self) -> None:
        self.max_len = max((len(k) for k in self.gazetteer), default=2)

    def division_place(self, div: Division) -> Place:
        parent = self.table.parent(div)
        aliases = tuple(a for a in (div.short,) if a and a != div.name and len(a) >= 2)
        return Place(div.name, div.level, div.code, parent.name if parent else None, aliases)

    def ancestors(self, div: Division) -> list[Division]:
        return self.table.ancestors(div)

    def find_places(self, text: str) -> list[tuple[int, int, Division]]:
        """Longest division names in text, left to right, without overlaps."""
        found = []
        i, n = 0, len(text)
        gaz = self.gazetteer
        while i < n:
            for length in range(min(self.max_len, n - i), 1, -1):
                div = gaz.get(text[i : i + length])
                if div is not None:
                    found.append((i, i + length, div))
                    i += length
                    break
            else:
                i += 1
        return found

    # --- organizations -------------------------------------------------------------------------------
    def org_names(self, surface: str) -> tuple[str, tuple[str, ...]]:
        """The official name of a body and its other forms: 市委 → 中共株洲市委 (株洲市委, 市委)."""
        surface = surface.strip()
        aliases: list[str] = [surface]
        place, rest = self._split_place(surface)
        if place is None or not rest:
            return surface, ()
        party = rest.startswith("委") or surface.startswith("团") or rest.startswith("党工委")
        if surface.startswith("团") and surface[1:2] in "省市县区":
            name = "共青团" + place + rest
            return name, tuple(dict.fromkeys([surface]))
        expanded = _expand_tail(rest)
        if party and rest == "委":
            name = "中共" + place + "委"
            aliases.append("中共" + place + "委员会")
        elif party:
            name = "中共" + place + expanded
        else:
            name = place + expanded
        aliases += [place + rest, self._short(place) + rest]
        if self.city and place != self.city.name and self.city.short and not place.startswith(self.city.short):
            div = self.gazetteer.get(place)
            if div is not None and self.table.is_within(div, self.city):
                aliases.append(self.city.name + place + rest)
        return name, tuple(a for a in dict.fromkeys(aliases) if a and a != name)

    def _short(self, place: str) -> str:
        div = self.gazetteer.get(place)
        return div.short if div is not None and div.short else place

    def _split_place(self, surface: str) -> tuple[str | None, str]:
        if surface[:1] == "市" and self.city is not None:
            return self.city.name, surface[1:]
        if surface[:1] == "省" and self.province is not None:
            return self.province.name, surface[1:]
        if surface[:1] == "团" and surface[1:2] == "市" and self.city is not None:
            return self.city.name, surface[2:]
        for length in range(min(self.max_len, len(surface) - 1), 1, -1):
            div = self.gazetteer.get(surface[:length])
            if div is not None:
                rest = surface[length:]
                # 株洲市委 and 株洲委 are one body; name it after the full division name
                return div.name, rest
        return None, surface


def _expand_tail(rest: str) -> str:
    for short in sorted(ORG_EXPANSIONS, key=len, reverse=True):
        if rest.endswith(short) and short != "委":
            return rest[: -len(short)] + ORG_EXPANSIONS[short]
    return rest


@functools.lru_cache(maxsize=64)
def _gazetteer(table: DivisionTable, city_key: str) -> dict[str, Division]:
    """Province, prefecture and county names nationwide, and every named place inside the home city."""
    names: dict[str, Division] = {}
    for name, divs in table.national_names().items():
        if len(divs) == 1:
            names[name] = divs[0]
        else:
            divs = sorted(divs, key=lambda d: ("province", "prefecture", "county").index(d.level))
            names[name] = divs[0]
    if city_key:
        city = table.get(city_key)
        province = table.parent(city)
        for area in (province, city):
            if area is None:
                continue
            for child in table.children(area):
                if child.short and len(child.short) >= 2:
                    names[child.short] = child
                names[child.name] = child
        for name, divs in table.names_within(city).items():
            full = [d for d in divs if d.name == name]
            if full and len(name) >= 3:
                names[name] = full[0]
        for child in table.children(city):
            names[child.name] = child
            if child.short and len(child.short) >= 2:
                names[child.short] = child
    return names


def city_from_newspaper(table: DivisionTable, newspaper: str | None) -> Division | None:
    """The home city of a city paper: 株洲日报 → 株洲市; a provincial paper gives its province."""
    if not newspaper:
        return None
    stem = PAPER_SUFFIX.sub("", newspaper)
    if len(stem) < 2:
        return None
    city = table.city(stem)
    if city is not None:
        return city
    provinces = [d for d in table.find(stem) if d.level == "province"]
    return provinces[0] if len(provinces) == 1 else None
