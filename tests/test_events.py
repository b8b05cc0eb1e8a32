"""Events: names, dates, places and roles, on articles written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model import Event, Role, SourceFile
from graph.nlp.pipeline import Options, process


def events_of(text: str, published: str = "2023-07-15") -> list[Event]:
    source = SourceFile("issue.txt", text, "utf-8")
    result = process(source, Options(date=dt.date.fromisoformat(published)))
    return [e for facts in result.articles for e in facts.events]


def roles(event: Event) -> set[tuple[str, str]]:
    return {(p.person, p.role.value) for p in event.participants}


def test_chair_speaker_and_attendees_of_a_meeting() -> None:
    (event,) = events_of(
        "全市推进会召开\n\n岳阳日报讯(记者 李明)7月14日上午,全市优化营商环境工作推进会召开。"
        "市委副书记、市长李爱武出席并讲话,市委常委、常务副市长刘革安主持。市人大常委会副主任王勇出席。\n"
    )
    assert event.name == "优化营商环境工作推进会"
    assert (event.date, event.part_of_day) == (dt.date(2023, 7, 14), "上午")
    assert {
        ("李爱武", "speaker"),
        ("刘革安", "chair"),
        ("王勇", "attendee"),
        ("李爱武", "attendee"),
    } <= roles(event)


def test_a_directive_is_a_speech_and_a_county_meeting_is_in_its_county() -> None:
    (event,) = events_of(
        "华容县召开调度会\n\n岳阳日报讯(通讯员 周强)7月13日晚,华容县召开防汛工作调度会,县委书记汪涛主持会议,"
        "县委副书记、县长李锋作部署。\n"
    )
    assert event.place == "华容县" and event.date == dt.date(2023, 7, 13) and event.part_of_day == "晚"
    assert {("汪涛", "chair"), ("李锋", "speaker")} <= roles(event)


def test_a_meeting_with_guests_counts_both_sides() -> None:
    (event,) = events_of(
        "会见客人\n\n衡阳日报讯(记者 陈晓)8月1日,市委书记刘越高会见了中国建筑集团有限公司副总经理张明一行。"
        "市委常委、秘书长王斌参加会见。\n"
    )
    assert event.name.startswith("会见")
    assert {("刘越高", "attendee"), ("张明", "attendee"), ("王斌", "attendee")} <= roles(event)


def test_an_undated_meeting_has_no_date() -> None:
    (event,) = events_of("常务会议\n\n本报讯(记者 王芳)近日,市政府常务会议审议通过了《实施意见》。\n")
    assert event.name == "市政府常务会议" and event.date is None


@pytest.mark.parametrize(("word", "days"), [("昨日", -1), ("当日", 0)])
def test_relative_days_resolve_against_the_publication_date(word: str, days: int) -> None:
    (event,) = events_of(f"召开会议\n\n本报讯(记者 王芳){word},市委书记张国华主持召开市委常委会会议。\n")
    assert event.date == dt.date(2023, 7, 15) + dt.timedelta(days=days)
    assert ("张国华", Role.CHAIR.value) in roles(event)


def test_a_national_dateline_day_and_a_famous_venue() -> None:
    (event,) = events_of(
        "全国人大会议开幕\n\n本报北京3月5日电(记者 张三)"
        "第十四届全国人民代表大会第一次会议5日上午在人民大会堂开幕。"
        "大会执行主席赵乐际主持会议。国务院总理李克强作政府工作报告。\n",
        published="2023-03-06",
    )
    assert event.name == "第十四届全国人民代表大会第一次会议"
    assert (event.date, event.part_of_day, event.place) == (dt.date(2023, 3, 5), "上午", "人民大会堂")
    assert {("赵乐际", "chair"), ("李克强", "speaker")} <= roles(event)


def test_an_inspection_in_the_home_city_and_its_leader() -> None:
    (event,) = events_of(
        "调研组来我市调研\n\n湘潭日报讯(记者 周平)9月8日,"
        "省农业农村厅副厅长陈明率调研组来我市调研高标准农田建设。副市长赵敏陪同。\n"
    )
    assert (event.place, event.date) == ("湘潭市", dt.date(2023, 9, 8))
    assert {("陈明", "leader"), ("陈明", "attendee"), ("赵敏", "attendee")} <= roles(event)
