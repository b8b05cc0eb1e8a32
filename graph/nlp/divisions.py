"""The table of Chinese administrative divisions (GB/T 2260 and below), read from jionlp's bundled data."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import logging
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import NewsgraphError

log = logging.getLogger(__name__)

LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "township", "community")

# Suffixes a township or community name may drop in running text; longest first is not needed because
# none of them is a suffix of another.
_STEM_SUFFIXES: tuple[str, ...] = ("街道", "社区", "镇", "乡", "村")
_MIN_STEM = 2
# Trailing characters naming a division's type (县, 区, 市, 旗...), ignorable when matching old paths.
_TYPE_CHARS = frozenset("县区市旗州盟")

_LOCATION_ZIP = "china_location.zip"
_LOCATION_TXT = "china_location.txt"
_CHANGE_TXT = "china_location_change.txt"
_WORLD_TXT = "world_location.txt"

# These files are jionlp's private data, not its API: their SHA-256 as jionlp 1.5.31 ships them
# (pyproject pins jionlp below 1.6). Other bytes are read only if their layout still parses.
JIONLP_DATA_SHA256 = {
    _LOCATION_TXT: "3428c3283a895f3014823f64bf514610a4b85f6b1ade9a29e73eafcbc6a19bf5",
    _CHANGE_TXT: "faa910d344c388f06e632bb4936b7216441c4ac4948675386f067f9e53f6bf6b",
    _WORLD_TXT: "d9a5aee8f5320f85210337391f036bf1d0f06ab7f6a19bb7ac0faad0e9277693",
}
# A division line: name, then its six-digit code (provinces, prefectures and counties).
_LAYOUT = {
    _LOCATION_TXT: (re.compile(r"^\t{0,2}[^\t\r\n]+\t\d{6}\b", re.MULTILINE), 3000),
    _CHANGE_TXT: (re.compile(r"=>"), 50),
    _WORLD_TXT: (re.compile(r"^[^\t\r\n:]+\t", re.MULTILINE), 150),
}

# Lines at depth 0-2 (province, prefecture, county); deeper lines start with three or more tabs.
_TOP_LINE = re.compile(r"^(\t{0,2})([^\t\r\n][^\r\n]*)", re.MULTILINE)
_CODE = re.compile(r"\d{6}")


@dataclass(frozen=True)
class Division:
    """One administrative division; `key` is its code, or parent key + "/" + name below county level."""

    name: str
    code: str | None
    level: str
    parent: str | None
    short: str | None
    key: str


@dataclass(frozen=True)
class _Change:
    """One line of the change file: the former name (and short form) and the current path of names."""

    old_name: str
    old_short: str | None
    new_path: tuple[str, ...]


def stem(name: str) -> str | None:
    """A township or community name minus its 街道/镇/乡/社区/村 suffix, if at least 2 chars remain."""
    for suffix in _STEM_SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if len(rest) >= _MIN_STEM else None
    return None


def _data_dir() -> Path:
    """jionlp's dictionary folder, found without importing jionlp (its import is slow and prints)."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise NewsgraphError(
            "the administrative-division table needs the 'jionlp' package; install it with pip install jionlp"
        )
    for location in spec.submodule_search_locations:
        folder = Path(location) / "dictionary"
        if (folder / _LOCATION_ZIP).is_file():
            return folder
    raise NewsgraphError(f"jionlp is installed but {_LOCATION_ZIP} is missing from its dictionary folder")


def checked_text(path: Path, name: str, data: bytes) -> str:
    """The text of jionlp's data file `name` (read from `path`), checked against the bytes newsgraph was
    made with. Other bytes are read when their layout still parses; otherwise a one-line error."""
    if hashlib.sha256(data).hexdigest() == JIONLP_DATA_SHA256[name]:
        return data.decode("utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NewsgraphError(f"{path}: {name} is not UTF-8 ({err.reason}); install jionlp 1.5.31") from err
    pattern, least = _LAYOUT[name]
    found = sum(1 for _ in itertools.islice(pattern.finditer(text), least))
    if found < least:
        raise NewsgraphError(
            f"{path}: {name} has a layout newsgraph cannot read ({found} of at least {least} expected "
            "lines); install jionlp 1.5.31"
        )
    log.warning("%s: %s differs from the jionlp 1.5.31 data newsgraph was tested with", path, name)
    return text


def _parse_changes(text: str) -> list[_Change]:
    """Parse the change file: date, approver, old (name, short) pairs, '=>', new names."""
    changes: list[_Change] = []
    seen: set[_Change] = set()
    for line in text.splitlines():
        if "=>" not in line:
            continue
        old_part, new_part = line.split("=>", 1)
        old_fields = old_part.split("\t")[2:]
        new_path = tuple(f.strip() for f in new_part.split("\t") if f.strip())
        if len(old_fields) < 2 or not new_path:
            continue
        # Old fields alternate full name and short form; the last pair is the division that changed.
        old_name, old_short = old_fields[-2].strip(), old_fields[-1].strip()
        change = _Change(old_name, old_short or None, new_path)
        if change not in seen:
            seen.add(change)
            changes.append(change)
    return changes


class DivisionTable:
    """Provinces, prefectures and counties parsed eagerly; townships and communities parsed per county."""

    def __init__(self, text: str, changes: list[_Change]) -> None:
        self._text = text
        self._changes = changes
        self._by_key: dict[str, Division] = {}
        self._children: dict[str, list[str]] = {}
        # County key -> (start, end) of the raw text holding its townships and communities.
        self._pending: dict[str, tuple[int, int]] = {}
        self._municipalities: set[str] = set()
        self._province_keys: list[str] = []
        self._national: dict[str, list[Division]] = {}
        self._within_cache: dict[str, dict[str, list[Division]]] = {}
        self._lock = threading.RLock()
        self._parse_top()
        self._index_national()

    # ----- loading

    @classmethod
    def load(cls) -> DivisionTable:
        """The process-wide table, parsed on first use."""
        return _load_cached()

    @classmethod
    def _read(cls) -> DivisionTable:
        started = time.perf_counter()
        folder = _data_dir()
        try:
            with zipfile.ZipFile(folder / _LOCATION_ZIP) as archive:
                data = archive.read(_LOCATION_TXT)
        except (OSError, KeyError, zipfile.BadZipFile) as err:
            raise NewsgraphError(f"{folder / _LOCATION_ZIP}: cannot read {_LOCATION_TXT}: {err}") from err
        text = checked_text(folder / _LOCATION_ZIP, _LOCATION_TXT, data)
        change_path = folder / _CHANGE_TXT
        changes = (
            _parse_changes(checked_text(change_path, _CHANGE_TXT, change_path.read_bytes()))
            if change_path.is_file()
            else []
        )
        table = cls(text, changes)
        log.debug(
            "loaded %d divisions down to county level in %.3f s",
            len(table._by_key),
            time.perf_counter() - started,
        )
        return table

    def _parse_top(self) -> None:
        text = self._text
        stack: list[str | None] = [None, None, None]
        last_county: str | None = None
        last_end = 0
        for match in _TOP_LINE.finditer(text):
            if last_county is not None:
                self._pending[last_county] = (last_end, match.start())
                last_county = None
            depth = len(match.group(1))
            fields = [f.strip() for f in match.group(2).split("\t")]
            name = fields[0]
            code = fields[1] if len(fields) > 1 and _CODE.fullmatch(fields[1]) else None
            short = fields[2] if len(fields) > 2 and fields[2] else None
            if depth == 0:
                stack = [self._add(name, code, "province", None, short), None, None]
                self._province_keys.append(stack[0])
                continue
            province = stack[0]
            if depth == 1:
                # Municipalities repeat themselves as their own prefecture, and "省直辖" groups are
                # bookkeeping rather than divisions; their counties hang directly off the province.
                if province is not None and (code == province or "直辖" in name):
                    if code == province:
                        self._municipalities.add(province)
                    stack[1] = province
                else:
                    stack[1] = self._add(name, code, "prefecture", province, short)
                continue
            parent = stack[1] if stack[1] is not None else province
            last_county = self._add(name, code, "county", parent, short)
            last_end = match.end()
        if last_county is not None:
            self._pending[last_county] = (last_end, len(text))

    def _add(self, name: str, code: str | None, level: str, parent: str | None, short: str | None) -> str:
        base = code if code is not None else f"{parent}/{name}" if parent else name
        key, n = base, 1
        # Duplicate village names under one township do occur; number the later ones.
        while key in self._by_key:
            n += 1
            key = f"{base}#{n}"
        self._by_key[key] = Division(name, code, level, parent, short, key)
        if parent is not None:
            self._children.setdefault(parent, []).append(key)
        return key

    def _expand(self, county_key: str) -> None:
        """Parse the townships and communities of one county, once."""
        if county_key not in self._pending:
            return
        with self._lock:
            span = self._pending.get(county_key)
            if span is None:
                return
            township: str | None = None
            for line in self._text[span[0] : span[1]].splitlines():
                name = line.strip()
                if not name:
                    continue
                depth = len(line) - len(line.lstrip("\t"))
                if depth == 3:
                    township = self._add(name, None, "township", county_key, None)
                elif depth >= 4 and township is not None:
                    self._add(name, None, "community", township, None)
            del self._pending[county_key]

    def _index_national(self) -> None:
        for div in self._by_key.values():
            for surface in {div.name, div.short}:
                if surface:
                    self._national.setdefault(surface, []).append(div)

    # ----- navigation

    def get(self, key: str) -> Division:
        """The division with this key; KeyError if there is none."""
        div = self._by_key.get(key)
        if div is not None:
            return div
        # A key below county level starts with its county's key; expand candidate prefixes.
        parts = key.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in self._pending:
                self._expand(prefix)
                break
        return self._by_key[key]

    def parent(self, div: Division) -> Division | None:
        """The division directly above div, or None for a province."""
        return self.get(div.parent) if div.parent is not None else None

    def ancestors(self, div: Division) -> list[Division]:
        """Every division above div, nearest first, ending at the province."""
        out: list[Division] = []
        current = self.parent(div)
        while current is not None:
            out.append(current)
            current = self.parent(current)
        return out

    def children(self, div: Division) -> list[Division]:
        """The divisions directly below div, in file order."""
        if div.level == "county":
            self._expand(div.key)
        return [self._by_key[k] for k in self._children.get(div.key, [])]

    def descendants(self, div: Division) -> Iterator[Division]:
        """Every division below div at any depth, parents before children."""
        for child in self.children(div):
            yield child
            yield from self.descendants(child)

    def is_within(self, div: Division, area: Division) -> bool:
        """Whether div is area itself or lies inside it."""
        return div.key == area.key or any(a.key == area.key for a in self.ancestors(div))

    # ----- lookup

    def find(self, name: str, within: Division | None = None) -> list[Division]:
        """Divisions called name (full or short form), nationally down to county level or inside within."""
        if within is None:
            found = {d.key: d for d in self._national.get(name, [])}
        else:
            found = {d.key: d for d in self.names_within(within).get(name, [])}
            for div in self.descendants(within):
                if div.short == name:
                    found[div.key] = div
        return [found[k] for k in sorted(found)]

    def city(self, name: str) -> Division | None:
        """The prefecture or municipality a name like 株洲 or 株洲市 denotes; None if unknown or ambiguous."""
        hits = [d for d in self.find(name) if self._is_city(d)]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            current = self.renamed(name)
            if current is not None and self._is_city(current):
                return current
        return None

    def _is_city(self, div: Division) -> bool:
        return div.level == "prefecture" or div.key in self._municipalities

    def former_names(self, within: Division) -> dict[str, Division]:
        """Names that divisions inside `within` had before a rename or merger (株洲县 → 渌口区)."""
        found: dict[str, Division] = {}
        for change in self._changes:
            for old in (change.old_name, change.old_short):
                if old and old not in found:
                    current = self.renamed(old, within)
                    if current is not None and current.name != old:
                        found[old] = current
        return found

    def prefectures_and_counties(self, with_provinces: bool = False) -> list[Division]:
        """Every division at prefecture or county level (and province level), in key order."""
        levels = ("province", "prefecture", "county") if with_provinces else ("prefecture", "county")
        return [d for k, d in sorted(self._by_key.items()) if d.level in levels]

    def all_former_names(self) -> dict[str, Division]:
        """Former names of counties and cities nationwide (户县 → 鄠邑区), where the change is unambiguous."""
        found: dict[str, Division] = {}
        for change in self._changes:
            for old in (change.old_name, change.old_short):
                if old and old not in found:
                    current = self.renamed(old)
                    if (
                        current is not None
                        and current.name != old
                        and current.level in ("prefecture", "county")
                    ):
                        found[old] = current
        return found

    def renamed(self, name: str, within: Division | None = None) -> Division | None:
        """The current division that a former name (e.g. an abolished county) became; None if unclear."""
        return self._renamed(name, within, depth=0)

    def _renamed(self, name: str, within: Division | None, depth: int) -> Division | None:
        results: dict[str, Division] = {}
        for change in self._changes:
            if name not in (change.old_name, change.old_short):
                continue
            current = self._resolve(change.new_path)
            # A later change may have renamed the target again; follow the chain a few steps.
            if current is None and depth < 3:
                current = self._renamed(change.new_path[-1], within, depth + 1)
            if current is not None and (within is None or self.is_within(current, within)):
                results[current.key] = current
        return next(iter(results.values())) if len(results) == 1 else None

    def _resolve(self, path: tuple[str, ...]) -> Division | None:
        """Walk a path of full names from the province down."""
        level: Division | None = None
        for name in path:
            pool = self.children(level) if level is not None else self._provinces()
            matches = [d for d in pool if d.name == name]
            # Municipal paths repeat the city name as a prefecture level that the table folds away.
            if not matches and level is not None and level.key in self._municipalities and name == level.name:
                continue
            if not matches and len(name) > _MIN_STEM and name[-1] in _TYPE_CHARS:
                # The change file often abbreviates (金秀县 for 金秀瑶族自治县) or predates a later
                # 县->市 upgrade; accept the one sibling sharing the name minus its type character.
                matches = [d for d in pool if d.name.startswith(name[:-1])]
            if len(matches) != 1:
                return None
            level = matches[0]
        return level

    def _provinces(self) -> list[Division]:
        return [self._by_key[k] for k in self._province_keys]

    # ----- gazetteers

    def names_within(self, div: Division) -> dict[str, list[Division]]:
        """Full names, and township/community stems, of every division below div."""
        cached = self._within_cache.get(div.key)
        if cached is not None:
            return cached
        names: dict[str, list[Division]] = {}
        for sub in self.descendants(div):
            surfaces = [sub.name]
            if sub.level in ("township", "community"):
                short = stem(sub.name)
                if short is not None and short != sub.name:
                    surfaces.append(short)
            for surface in surfaces:
                names.setdefault(surface, []).append(sub)
        self._within_cache[div.key] = names
        return names

    def national_names(self) -> dict[str, list[Division]]:
        """Full names of all provinces, prefectures and counties, plus short forms of the first two levels."""
        names: dict[str, list[Division]] = {}
        for div in sorted(self._by_key.values(), key=lambda d: d.key):
            if div.level not in ("province", "prefecture", "county"):
                continue
            surfaces = [div.name]
            if div.short and div.level != "county" and len(div.short) >= 2 and div.short != div.name:
                surfaces.append(div.short)
            for surface in surfaces:
                names.setdefault(surface, []).append(div)
        return names


@functools.lru_cache(maxsize=1)
def _load_cached() -> DivisionTable:
    return DivisionTable._read()


@dataclass(frozen=True)
class WorldPlace:
    """A continent, a country or one of its main cities, from jionlp's table of world places."""

    name: str
    level: str  # continent, country, city
    parent: str | None
    aliases: tuple[str, ...] = ()


@functools.cache
def world_places() -> dict[str, WorldPlace]:
    """Continents, countries (by short and full name) and their capitals and main cities, by name."""
    path = _data_dir() / _WORLD_TXT
    places: dict[str, WorldPlace] = {}
    if not path.is_file():
        return places
    continent = None
    for line in checked_text(path, _WORLD_TXT, path.read_bytes()).splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(":"):
            continent = line[:-1]
            places[continent] = WorldPlace(continent, "continent", None)
            continue
        fields = line.split("\t")
        country, full = fields[0], fields[1] if len(fields) > 1 else fields[0]
        if country == "中国":
            # China's own places come from the division table; the country itself does not
            places[country] = WorldPlace(country, "country", continent, (full,))
            places[full] = places[country]
            continue
        places.setdefault(
            country, WorldPlace(country, "country", continent, (full,) if full != country else ())
        )
        if full != country:
            places.setdefault(full, places[country])
        cities = [c for f in fields[2:] for c in f.split("/") if c]
        for city in cities:
            if len(city) >= 2:
                places.setdefault(city, WorldPlace(city, "city", country))
    return places
