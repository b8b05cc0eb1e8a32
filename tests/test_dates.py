"""Absolute and relative dates, and the publication date they imply."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.nlp.dates import find_dates, infer_publication_date, parse_date, year_for

PUBLISHED = dt.date(2022, 12, 7)


@pytest.mark.parametrize(
    ("text", "date", "part"),
    [
        ("12月5日下午,会议召开", dt.date(2022, 12, 5), "下午"),
        ("昨日,会议召开", dt.date(2022, 12, 6), None),
        ("昨晚,活动举行", dt.date(2022, 12, 6), "晚"),
        ("明日起恢复", dt.date(2022, 12, 8), None),
        ("2021年8月26日,平台启动", dt.date(2021, 8, 26), None),
        ("1月3日,会议召开", dt.date(2023, 1, 3), None),
    ],
)
def test_dates_resolve_against_the_publication_date(text: str, date: dt.date, part: str | None) -> None:
    first = find_dates(text, PUBLISHED)[0]
    assert first.date == date
    assert first.part_of_day == part


def test_same_day_refers_back_to_the_last_date() -> None:
    found = find_dates("12月3日,学校开学。当日,学生返校。", PUBLISHED)
    assert [d.date for d in found] == [dt.date(2022, 12, 3), dt.date(2022, 12, 3)]


def test_next_year_month_is_month_only() -> None:
    (found,) = find_dates("预计明年7月投产", PUBLISHED)
    assert found.month_only and found.date == dt.date(2023, 7, 1)


def test_without_publication_date_relative_words_stay_unresolved() -> None:
    assert find_dates("昨日,会议召开", None)[0].date is None


def test_publication_date_is_inferred_from_relative_and_absolute_dates() -> None:
    articles = [
        ("雨湖区小学明日开学", "记者获悉,2023年雨湖区小学生将于3月2日开学。"),
        ("岳塘区中学昨有序复课", "3月1日,岳塘区中学生有序复课。"),
    ]
    assert infer_publication_date(articles) == dt.date(2023, 3, 1) + dt.timedelta(days=0)


def test_no_inference_without_evidence() -> None:
    assert infer_publication_date([("会议召开", "会议强调,要抓好落实。")]) is None


def test_year_of_a_month_near_new_year() -> None:
    assert year_for(12, dt.date(2023, 1, 2)) == 2022
    assert year_for(1, dt.date(2022, 12, 30)) == 2023


def test_parse_date_forms() -> None:
    assert parse_date("2022-12-07") == dt.date(2022, 12, 7)
    assert parse_date("20221207") == dt.date(2022, 12, 7)
    assert parse_date("2022年12月7日") == dt.date(2022, 12, 7)
    assert parse_date("yesterday") is None


def test_a_day_without_its_month_takes_the_publication_month_or_the_one_before() -> None:
    assert find_dates("5日上午,会议开幕", dt.date(2023, 3, 6))[0].date == dt.date(2023, 3, 5)
    assert find_dates("30日下午,会议闭幕", dt.date(2023, 4, 2))[0].date == dt.date(2023, 3, 30)
    assert find_dates("本报北京3月5日电", dt.date(2023, 3, 6))[0].date == dt.date(2023, 3, 5)
