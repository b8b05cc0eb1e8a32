"""Dates in text: absolute (12月5日), relative (昨日, 明年7月), and the publication date they imply."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from graph.nlp.lexicons import PARTS_OF_DAY, alternation

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_PART = alternation(PARTS_OF_DAY)
ABSOLUTE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d\d)年)?(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])[日号](?P<part>{_PART})?"
)
# a day without its month, as national papers write it after a dateline: 5日上午
DAY_ONLY = re.compile(
    rf"(?<![\d月])(?P<day>3[01]|[12]\d|[1-9])日(?P<part>{_PART})(?![\u4e00-\u9fff]{{0,2}}电)"
)
ISO = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>1[0-2]|0?[1-9])[-/.](?P<day>3[01]|[12]\d|0?[1-9])(?!\d)"
)
# Relative day words and their offset from the publication date; longer words first.
RELATIVE_DAYS: dict[str, int] = {
    "前天": -2,
    "前日": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "昨夜": -1,
    "昨": -1,
    "今天": 0,
    "今日": 0,
    "今晨": 0,
    "今晚": 0,
    "当天": 0,
    "当日": 0,
    "当晚": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
RELATIVE = re.compile(rf"(?P<word>{alternation(list(RELATIVE_DAYS))})(?P<part>{_PART})?")
NEXT_YEAR_MONTH = re.compile(r"(?P<rel>明年|今年|去年)(?P<month>1[0-2]|[1-9])月")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date | None
    part_of_day: str | None = None
    month_only: bool = False


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def year_for(month: int, published: dt.date) -> int:
    """The year of a month named without one: news reports the recent past or the near future."""
    if month - published.month > 6:
        return published.year - 1
    if published.month - month > 9:
        return published.year + 1
    return published.year


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every date stated in text, resolved against the publication date where one is needed."""
    found: list[DateMention] = []
    taken: set[int] = set()
    last: dt.date | None = None
    events: list[tuple[int, int, str, re.Match[str]]] = []
    for m in ABSOLUTE.finditer(text):
        events.append((m.start(), m.end(), "abs", m))
    for m in ISO.finditer(text):
        events.append((m.start(), m.end(), "iso", m))
    for m in RELATIVE.finditer(text):
        events.append((m.start(), m.end(), "rel", m))
    for m in NEXT_YEAR_MONTH.finditer(text):
        events.append((m.start(), m.end(), "month", m))
    for m in DAY_ONLY.finditer(text):
        events.append((m.start(), m.end(), "day", m))
    for start, end, kind, m in sorted(events, key=lambda e: (e[0], -e[1])):
        if start in taken:
            continue
        taken.update(range(start, end))
        part = m.groupdict().get("part")
        date: dt.date | None = None
        if kind in ("abs", "iso"):
            month, day = int(m.group("month")), int(m.group("day"))
            if m.group("year"):
                year = int(m.group("year"))
            elif published:
                year = year_for(month, published)
            else:
                year = 0
            date = _date(year, month, day) if year else None
            found.append(DateMention(start, end, date, part))
        elif kind == "rel":
            word = m.group("word")
            if word in ("当天", "当日", "当晚"):
                date = last or published
            elif published:
                date = published + dt.timedelta(days=RELATIVE_DAYS[word])
            part = part or {"昨晚": "晚", "今晚": "晚", "当晚": "晚", "昨夜": "晚", "今晨": "早上"}.get(word)
            found.append(DateMention(start, end, date, part))
        elif kind == "day":
            # 5日上午 in a dateline (本报北京3月5日电 … 5日上午): the publication's month, or the month before
            if published:
                day = int(m.group("day"))
                month_start = published.replace(day=1)
                base = (
                    month_start
                    if day <= published.day
                    else (month_start - dt.timedelta(days=1)).replace(day=1)
                )
                date = _date(base.year, base.month, day)
            found.append(DateMention(start, end, date, part))
        else:
            if published:
                offset = {"明年": 1, "今年": 0, "去年": -1}[m.group("rel")]
                date = _date(published.year + offset, int(m.group("month")), 1)
            found.append(DateMention(start, end, date, None, month_only=True))
        if date and kind != "month":
            last = date
    return found


def infer_publication_date(headlines_and_bodies: list[tuple[str, str]]) -> dt.date | None:
    """The date an issue was published, from a relative day word that an absolute date pins down.

    天元区初中明日复课 with 学生于12月8日返校复课 gives 12月7日: the verb after the relative word is
    found again after an absolute date in the body. The year is the one the text names most often.
    """
    votes: Counter[tuple[int, int]] = Counter()
    years: Counter[int] = Counter()
    for headline, body in headlines_and_bodies:
        years.update(int(y) for y in YEAR.findall(body))
        for text in (headline, body):
            for m in RELATIVE.finditer(text):
                word = m.group("word")
                if word in ("当天", "当日", "当晚"):
                    continue
                verb = re.match(r"[\u4e00-\u9fff]{1,6}", text[m.end() :])
                if not verb or len(verb.group()) < 2:
                    continue
                key = verb.group()[-2:]
                for pinned in _dates_before(body, key):
                    day = pinned - dt.timedelta(days=RELATIVE_DAYS[word])
                    votes[(day.month, day.day)] += 1
    if not votes or not years:
        return None
    (month, day), _ = votes.most_common(1)[0]
    year = years.most_common(1)[0][0]
    return _date(year, month, day)


def _dates_before(body: str, verb: str, reach: int = 80) -> list[dt.date]:
    """Absolute dates (with a placeholder year) that most closely precede each use of verb."""
    dates: list[dt.date] = []
    for v in re.finditer(re.escape(verb), body):
        window_start = max(0, v.start() - reach)
        nearest = None
        for m in ABSOLUTE.finditer(body, window_start, v.start()):
            nearest = m
        if nearest:
            d = _date(2000, int(nearest.group("month")), int(nearest.group("day")))
            if d:
                dates.append(d)
    return dates


def parse_date(value: str) -> dt.date | None:
    """A date given on the command line or in metadata: 2022-12-07, 2022年12月7日, 20221207."""
    m = ISO.search(value) or ABSOLUTE.search(value)
    if m and m.group("year"):
        return _date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    m = re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)", value.strip())
    return _date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
