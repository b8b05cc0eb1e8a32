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


class Prefixes:
    """Longest-name lookup at a position: names indexed by first character, then by length."""

    def __init__(self, names: list[str] | set[str] | dict[str, object]) -> None:
        by_char: dict[str, set[int]] = {}
        for name in names:
            if len(name) >= 2:
                by_char.setdefault(name[0], set()).add(len(name))
        self._names = frozenset(n for n in names if len(n) >= 2)
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in by_char.items()}
        self.heads = frozenset(n[:2] for n in self._names)

    def match(self, text: str, pos: int = 0) -> int:
        """Length of the longest name starting at pos, or 0."""
        for length in self._lengths.get(text[pos : pos + 1], ()):
            if pos + length <= len(text) and text[pos : pos + length] in self._names:
                return length
        return 0

    def __contains__(self, name: object) -> bool:
        return name in self._names


@dataclass
class Locale:
    """The home city and province that 市/省/我市 refer to, with a gazetteer of the places around them.
    A county's paper or site speaks from its county: 县委 and 我县 are the county's, 市委 its city's."""

    table: DivisionTable
    city: Division | None = None
    province: Division | None = None
    gazetteer: dict[str, Division] = field(default_factory=dict)
    namesakes: dict[str, tuple[Division, ...]] = field(default_factory=dict)
    max_len: int = 2
    county: Division | None = None

    @classmethod
    @functools.lru_cache(maxsize=32)
    def for_city(cls, table: DivisionTable, city_key: str) -> Locale:
        """The locale of a home city or county (by division key; "" for none), built once per process."""
        home = table.get(city_key) if city_key else None
        city, county, province = home, None, None
        if home is not None and home.level == "county":
            county = home
            prefecture = table.parent(home)
            # a county-level city (武穴市) is the 市 of 市委; a county's 市 is its prefecture's
            city = home if home.name.endswith("市") else prefecture
            province = table.parent(prefecture) if prefecture is not None else None
            if province is None:  # a municipality's district: the municipality is 市 and 省 alike
                province = prefecture
        elif home is not None:
            province = home if home.level == "province" else table.parent(home)
            province = province or home
        gazetteer_home = (table.parent(county) if county is not None else None) or home
        names = _gazetteer(table, gazetteer_home.key if gazetteer_home else "")
        return cls(
            table,
            city,
            province,
            {k: v[0] for k, v in names.items()},
            {k: v for k, v in names.items() if len(v) > 1},
            county=county,
        )

    def home_place(self, word: str) -> Division | None:
        """The division 我市, 本县 or 我区 means."""
        level = word[-1]
        if level == "市":
            return self.city
        if level in "县区旗":
            return self.county if self.county is not None and self.county.name.endswith(level) else None
        return None

    def __post_init__(self) -> None:
        self.max_len = max((len(k) for k in self.gazetteer), default=2)
        self.prefixes = Prefixes(self.gazetteer)

    def division_place(self, div: Division) -> Place:
        parent = self.table.parent(div)
        aliases = tuple(a for a in (div.short,) if a and a != div.name and len(a) >= 2)
        return Place(div.name, div.level, div.code, parent.name if parent else None, aliases)

    def ancestors(self, div: Division) -> list[Division]:
        return self.table.ancestors(div)

    def pick(self, name: str, context: list[Division]) -> Division:
        """One of several divisions sharing a name: the one inside a place named just before it."""
        candidates = self.namesakes.get(name)
        if not candidates:
            return self.gazetteer[name]
        for area in reversed(context):
            inside = [d for d in candidates if self.table.is_within(d, area)]
            if inside:
                return inside[0]
        return candidates[0]

    def find_places(self, text: str) -> list[tuple[int, int, Division]]:
        """Longest division names in text, left to right, without overlaps; namesakes resolved by what
        the same sentence named before them (荷塘区红旗村 is the 红旗村 of 荷塘区)."""
        found: list[tuple[int, int, Division]] = []
        i, n = 0, len(text)
        heads = self.prefixes.heads
        while i < n:
            if text[i : i + 2] not in heads:
                i += 1
                continue
            length = self.prefixes.match(text, i)
            if length:
                sentence = max(text.rfind(c, 0, i) for c in "。！？\n")
                context = [d for s, _, d in found if s > sentence]
                found.append((i, i + length, self.pick(text[i : i + length], context)))
                i += length
            else:
                i += 1
        return found

    # --- organizations -------------------------------------------------------------------------------
    def org_names(self, surface: str) -> tuple[str, tuple[str, ...]]:
        """The official name of a body and its other forms: 市委 → 中共株洲市委 (株洲市委, 市委).

        Only 省/市-led abbreviations are rewritten; a body named with its place (天元区教育局) keeps
        its name and gains the home city's prefix as an alias."""
        surface = surface.strip()
        if surface.startswith("团") and surface[1:2] in "省市" and len(surface) > 2:
            place = self.city if surface[1] == "市" else self.province
            if place is None:
                return surface, ()
            return "共青团" + place.name[:-1] + surface[1:], (surface,)
        lead = 3 if surface.startswith("自治区") else 1
        level = surface[:lead]
        area = self.city if level == "市" else self.province if level == "省" else None
        if level == "自治区" and self.province is not None and self.province.name.endswith("自治区"):
            area = self.province
        if level in "县区旗" and self.county is not None and self.county.name.endswith(level):
            area = self.county
        if (
            level == "州"
            and self.city is not None
            and self.city.name.endswith("州")
            and len(self.city.name) > 2
        ):
            area = self.city
        if area is not None and len(surface) > lead:
            rest = surface[lead:]
            place = area.name
            aliases = [surface, place + rest]
            if rest == "委":
                return "中共" + place + "委员会", (*aliases, "中共" + place + "委")
            if rest == "政协":
                return "政协" + place + "委员会", tuple(aliases)
            if rest.startswith("委") or rest.endswith("党工委"):
                return "中共" + place + _expand_tail(rest), tuple(aliases)
            name = place + _expand_tail(rest)
            return name, tuple(a for a in aliases if a != name)
        aliases = [surface]
        led_by = self._leading_place(surface)
        city = self.city
        if (
            led_by is not None
            and city is not None
            and led_by != city
            and self.table.is_within(led_by, city)
            and not surface.startswith(city.name)
        ):
            aliases.append(city.name + surface)
        name = surface
        rest = surface[len(led_by.name if led_by and surface.startswith(led_by.name) else "") :]
        if led_by is not None and rest in ORG_EXPANSIONS and rest != "委":
            name = led_by.name + _expand_tail(rest)  # 岳塘区政府 → 岳塘区人民政府
        party = rest.startswith("委") or surface.endswith(("党工委", "工委"))
        if led_by is not None and rest.startswith("委"):
            aliases.append(surface)
        if party and not surface.startswith("中共"):
            name = "中共" + surface
            if rest == "委" and led_by is not None:
                # the committee's official name spells 委员会 out: 中共宁乡市委员会
                aliases.append(name)
                name = "中共" + led_by.name + "委员会"
        return name, tuple(a for a in dict.fromkeys(aliases) if a != name)

    def jurisdiction(self, surface: str) -> str | None:
        """The place a body governs, from how it is named: 市委 → the home city, 天元区教育局 → 天元区."""
        level = surface[:1]
        if level in "县区旗" and self.county is not None and self.county.name.endswith(level):
            return self.county.name
        if level == "市" and self.city is not None and surface[1:2] not in ("场", "民"):
            return self.city.name
        if level == "省" and self.province is not None:
            return self.province.name
        if surface.startswith("团") and surface[1:2] == "市" and self.city is not None:
            return self.city.name
        led_by = self._leading_place(surface.removeprefix("中共"))
        return led_by.name if led_by is not None else None

    def _leading_place(self, surface: str) -> Division | None:
        length = self.prefixes.match(surface)
        return self.gazetteer[surface[:length]] if 0 < length < len(surface) else None


def _expand_tail(rest: str) -> str:
    for short in sorted(ORG_EXPANSIONS, key=len, reverse=True):
        if rest.endswith(short) and short != "委":
            return rest[: -len(short)] + ORG_EXPANSIONS[short]
    return rest


@functools.lru_cache(maxsize=64)
def _gazetteer(table: DivisionTable, city_key: str) -> dict[str, list[Division]]:
    """Province, prefecture and county names nationwide, and every named place inside the home city.

    Two-character county names are left out nationwide (城区, 矿区 are words); a name's divisions are
    ordered by level, so 吉林 is the province before the city."""
    names: dict[str, list[Division]] = {}
    levels = ("province", "prefecture", "county", "township", "community")
    for name, divs in table.national_names().items():
        divs = [d for d in divs if len(name) >= 3 or d.level != "county"]
        if divs:
            names[name] = sorted(divs, key=lambda d: (levels.index(d.level), d.key))
    if city_key:
        city = table.get(city_key)
        province = table.parent(city)
        for area in (province, city):
            if area is None:
                continue
            for child in table.children(area):
                names[child.name] = [child]
                # a county's short form never hides its city's (长沙县 is not 长沙)
                if child.short and len(child.short) >= 2 and child.short not in names:
                    names[child.short] = [child]
        # former names (株洲县 became 渌口区 in 2018) still appear in archives and reprints
        for old, current in table.former_names(city).items():
            if len(old) >= 3 and old not in names:
                names[old] = [current]
        for name, divs in table.names_within(city).items():
            full = sorted((d for d in divs if d.name == name), key=lambda d: (levels.index(d.level), d.key))
            if full and len(name) >= 3 and name not in names:
                names[name] = full
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
    if len(provinces) == 1:
        return provinces[0]
    # a site or paper named after its city: 湘潭市人民政府网, 长沙晚报网
    for length in range(min(len(stem), 8), 1, -1):
        city = table.city(stem[:length])
        if city is not None:
            return city
    return None


_PAPER_PINYIN = re.compile(
    r"(?:ribao|wanbao|chenbao|zaobao|dushibao|shibao|xinwen|bao|wang|news|gov|zhengfu)$"
)


def home_from_path(table: DivisionTable, path: str) -> Division | None:
    """A home city or county named by the file's path: a folder or file named after the paper or place,
    in characters (株洲日报/2022-12-07.txt) or in pinyin (2021-03-07_changshawanbao.txt). Only a name
    that denotes one division (or one city among counties of that name) counts."""
    from pathlib import PurePath

    parts = PurePath(path).parts
    words: list[str] = []
    for part in [*parts[-3:-1], PurePath(path).stem]:
        words += [w for w in re.split(r"[_\-.\s/]+", part) if w]
    for word in words:
        if re.search(r"[\u4e00-\u9fff]", word):
            found = city_from_newspaper(table, word) or _one(table.find(word))
            if found is not None:
                return found
    index = _pinyin_index(table)
    for word in words:
        word = word.lower()
        if not re.fullmatch(r"[a-z]{4,}", word):
            continue
        stem = _PAPER_PINYIN.sub("", word) if _PAPER_PINYIN.search(word) and len(word) > 6 else word
        found = _one(index.get(stem, []))
        if found is not None:
            return found
    return None


def _one(divisions: list[Division]) -> Division | None:
    """The one division a name denotes: the single one at the highest level it names (新疆 the region
    rather than 新绛 the county; 中山 the city rather than the district)."""
    for level in ("province", "prefecture", "county"):
        at_level = [d for d in divisions if d.level == level]
        if at_level:
            return at_level[0] if len(at_level) == 1 else None
    return None


@functools.lru_cache(maxsize=1)
def _pinyin_index(table: DivisionTable) -> dict[str, list[Division]]:
    """Prefectures and counties by the toneless pinyin of their short names (株洲 → zhuzhou), former
    names (户县) included."""
    from pypinyin import lazy_pinyin

    index: dict[str, list[Division]] = {}
    for div in table.prefectures_and_counties(with_provinces=True):
        for name in {div.short, div.name}:
            if name and len(name) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                key = "".join(lazy_pinyin(name))
                if div not in index.setdefault(key, []):
                    index[key].append(div)
    for old, current in table.all_former_names().items():
        if 2 <= len(old) <= 4:
            stem = re.sub(r"[县区市]$", "", old) if len(old) > 2 else old
            for name in {old, stem}:
                key = "".join(lazy_pinyin(name))
                if current not in index.setdefault(key, []):
                    index[key].append(current)
    return index
