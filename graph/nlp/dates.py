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
_CN = "〇零一二两三四五六七八九十"
ABSOLUTE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d\d)年)?(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])[日号](?P<part>{_PART})?"
)
# 一九九八年一月十五日, 一月十八日, 十二月六日
CN_ABSOLUTE = re.compile(
    rf"(?:(?P<year>[一二][{_CN}]{{3}})年)?(?P<month>十[一二]?|[一二三四五六七八九])月"
    rf"(?P<day>三十[一]?|二?十[一二三四五六七八九]?|[一二三四五六七八九])日(?P<part>{_PART})?"
)
# a day without its month, as papers write it after a dateline or a dated headline: 5日上午, 14日,
DAY_ONLY = re.compile(
    rf"(?<![\d月第])(?P<day>3[01]|[12]\d|[1-9])日(?:(?P<part>{_PART})|(?=[,，在]))(?![\u4e00-\u9fff]{{0,2}}电)"
)
# a chronicle's entry (大事记): a day, or a range of days, opening a line, set off by a space
LINE_DAY = re.compile(
    r"(?:^|(?<=\n)|(?<=\n[ \t\u3000])|(?<=\n[ \t\u3000]{2}))(?P<day>3[01]|[12]\d|[1-9])"
    r"(?:日?[—\-－~至到](?:3[01]|[12]\d|[1-9]))?日(?=[ \t\u3000])"
)
# 昨(14)日, 今(5)日上午: a relative word with the day of the month it means
RELATIVE_NUMBERED = re.compile(rf"[昨今前明]\s*[(（](?P<day>3[01]|[12]\d|[1-9])[)）]\s*日(?P<part>{_PART})?")
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
    "同日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
RELATIVE = re.compile(rf"(?P<word>{alternation(list(RELATIVE_DAYS))})(?P<part>{_PART})?")
NEXT_YEAR_MONTH = re.compile(r"(?P<rel>明年|今年|去年)(?P<month>1[0-2]|[1-9])月")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")
BARE_PART = re.compile(rf"(?:^|(?<=[。\n，,；]))(?P<part>{_PART})(?=[,，])", re.MULTILINE)


@dataclass(frozen=True)
class DateMention:
    """A date stated at [start, end): `date` when its year is known, else only `month_day`."""

    start: int
    end: int
    date: dt.date | None
    part_of_day: str | None = None
    month_only: bool = False
    month_day: tuple[int, int] | None = None

    @property
    def known(self) -> bool:
        return self.date is not None or self.month_day is not None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_day(month: int, day: int) -> tuple[int, int] | None:
    """A day of a year not stated: valid in some year (29 February included)."""
    return (month, day) if _date(2000, month, day) else None


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十一 → 21, 一九九八 → 1998 (digit by digit)."""
    if "十" not in text:
        return int("".join(str(CN_DIGITS[c]) for c in text)) if text else 0
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def year_for(month: int, published: dt.date) -> int:
    """The year of a month named without one: news reports the recent past or the near future."""
    if month - published.month > 6:
        return published.year - 1
    if published.month - month > 9:
        return published.year + 1
    return published.year


def find_dates(
    text: str,
    published: dt.date | None,
    day_of_year: tuple[int, int] | None = None,
    dateline: bool = False,
) -> list[DateMention]:
    """Every date stated in text, resolved against the reference day where one is needed: the
    publication date, or the dateline's day. Without a year, a day and month (the text's, or
    `day_of_year`, a dateline's) are kept without one. After a dateline, a bare 上午, at a clause's
    start means that day."""
    if published is None and day_of_year is not None:
        return [_yearless(d) for d in find_dates(text, _date(2000, *day_of_year), None, dateline)]
    found: list[DateMention] = []
    taken: set[int] = set()
    last: DateMention | None = None
    events: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in (
        ("abs", ABSOLUTE),
        ("cn", CN_ABSOLUTE),
        ("iso", ISO),
        ("numbered", RELATIVE_NUMBERED),
        ("rel", RELATIVE),
        ("month", NEXT_YEAR_MONTH),
        ("day", DAY_ONLY),
        ("day", LINE_DAY),
        *((("part", BARE_PART),) if dateline else ()),
    ):
        for m in pattern.finditer(text):
            events.append((m.start(), m.end(), kind, m))
    for start, end, kind, m in sorted(events, key=lambda e: (e[0], -e[1])):
        if start in taken:
            continue
        if kind in ("day", "abs") and re.search(
            r"(?:\d日|\d)\s*(?:至|到|—|-|~|－)\s*$", text[max(0, start - 4) : start]
        ):
            taken.update(range(start, end))
            continue  # 26日至29日: a range is dated by its first day
        taken.update(range(start, end))
        part = m.groupdict().get("part")
        mention: DateMention
        if kind in ("abs", "iso", "cn"):
            if kind == "cn":
                month, day = cn_number(m.group("month")), cn_number(m.group("day"))
                year = cn_number(m.group("year")) if m.group("year") else 0
            else:
                month, day = int(m.group("month")), int(m.group("day"))
                year = int(m.group("year")) if m.group("year") else 0
            if not year and published:
                year = year_for(month, published)
            mention = DateMention(
                start, end, _date(year, month, day) if year else None, part, month_day=_month_day(month, day)
            )
        elif kind == "rel":
            word = m.group("word")
            date = None
            month_day = None
            if word in ("当天", "当日", "当晚", "同日"):
                date = last.date if last else published
                month_day = last.month_day if last else None
            elif published:
                date = published + dt.timedelta(days=RELATIVE_DAYS[word])
            part = part or {"昨晚": "晚", "今晚": "晚", "当晚": "晚", "昨夜": "晚", "今晨": "早上"}.get(word)
            mention = DateMention(start, end, date, part, month_day=month_day or _of(date))
        elif kind == "part":
            mention = DateMention(start, end, published, part, month_day=_of(published))
        elif kind in ("day", "numbered"):
            mention = _day_of_month(start, end, int(m.group("day")), part, published, last)
        else:
            date = None
            if published:
                offset = {"明年": 1, "今年": 0, "去年": -1}[m.group("rel")]
                date = _date(published.year + offset, int(m.group("month")), 1)
            mention = DateMention(start, end, date, None, month_only=True)
        found.append(mention)
        if mention.known and kind != "month":
            last = mention
    return found


def _yearless(mention: DateMention) -> DateMention:
    """A mention resolved against a stand-in year: its day stays, its year goes."""
    if mention.date is None or mention.date.year != 2000:
        return mention
    return DateMention(
        mention.start,
        mention.end,
        None,
        mention.part_of_day,
        mention.month_only,
        (mention.date.month, mention.date.day),
    )


def _of(date: dt.date | None) -> tuple[int, int] | None:
    return (date.month, date.day) if date else None


def _day_of_month(
    start: int, end: int, day: int, part: str | None, published: dt.date | None, last: DateMention | None
) -> DateMention:
    """5日上午 in a dateline (本报北京3月5日电 … 5日上午): the publication's month, or the month before;
    without a publication date, the month of the date the text last stated."""
    if published:
        month_start = published.replace(day=1)
        base = month_start if day <= published.day else (month_start - dt.timedelta(days=1)).replace(day=1)
        date = _date(base.year, base.month, day)
        return DateMention(start, end, date, part, month_day=_of(date))
    if last is not None and last.month_day is not None:
        month = last.month_day[0]
        year = last.date.year if last.date else 0
        date = _date(year, month, day) if year else None
        return DateMention(start, end, date, part, month_day=_month_day(month, day))
    return DateMention(start, end, None, part)


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
