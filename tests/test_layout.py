"""Articles, bylines, page breaks and moved tails."""

from __future__ import annotations

import pytest

from graph.nlp.layout import match_byline, parse_byline_inner, split_articles


@pytest.mark.parametrize(
    ("line", "authors", "contributors", "paper", "rest"),
    [
        (
            "湘潭日报(全媒体记者/王小明 通讯员/李强 赵敏) 12月1日,会议召开。",
            ["王小明"],
            ["李强", "赵敏"],
            "湘潭日报",
            "12月1日,会议召开。",
        ),
        (
            "本报讯(记者 周建国 通讯员 吴丽)近日,我市召开会议。",
            ["周建国"],
            ["吴丽"],
            None,
            "近日,我市召开会议。",
        ),
        (
            "新华社北京3月5日电(记者 孙立平)十四届全国人大一次会议开幕。",
            ["孙立平"],
            [],
            "新华社",
            "十四届全国人大一次会议开幕。",
        ),
        ("衡阳日报全媒体记者/刘洋通讯员/陈晨", ["刘洋"], ["陈晨"], "衡阳日报", ""),
        ("本报讯(记者王芳李明)昨日,", ["王芳", "李明"], [], None, "昨日,"),
        ("衡阳日报讯(全媒体记者 陈晓 通讯员 王兵)4月9日,", ["陈晓"], ["王兵"], "衡阳日报", "4月9日,"),
        ("本网讯(记者 周平 通讯员 彭丽)近日,", ["周平"], ["彭丽"], None, "近日,"),
        ("红网时刻讯(记者 刘洋)6月1日,", ["刘洋"], [], "红网", "6月1日,"),
    ],
)
def test_byline_forms(
    line: str, authors: list[str], contributors: list[str], paper: str | None, rest: str
) -> None:
    found = match_byline(line)
    assert found is not None
    byline, after = found
    assert byline.authors == authors
    assert byline.contributors == contributors
    assert byline.newspaper == paper
    assert after == rest


def test_prose_in_parentheses_is_not_a_byline() -> None:
    assert match_byline("人民日报(海外版)今日刊发评论文章。") is None


def test_byline_roles_split_run_together_names() -> None:
    byline = parse_byline_inner("全媒体记者/胡一刀 通讯员/张三丰 李四")
    assert byline.authors == ["胡一刀"]
    assert byline.contributors == ["张三丰", "李四"]


ISSUE = """
市委常委会召开会议 研究部署冬季工作

强化担当 抓好落实

湘潭日报(全媒体记者/王小明) 12月1日上午,市委书记张国华主持召开市委常委会会议。会议强调,要深入学习宣

传贯彻会议精神,确保各项工作落到实处。

雨湖区新建三所学校

湘潭日报(全媒体记者/李红 通讯员/赵敏) 今年以来,雨湖区加快推进教育项目建设,新建学校将于明年秋季投用,努力打造

城区交通项目进展顺利

湘潭日报(全媒体记者/刘洋) 近日,城区多个交通项目进展顺利。

项目建成后将大大缓解交通压力。

优质均衡的教育体系,让雨湖区更多孩子在新建学校就近入学。

同时,雨湖区还将推进教育项目建设,新增学位三千个。
"""


def test_issue_is_split_into_articles_with_headlines_and_bylines() -> None:
    articles = split_articles(ISSUE)
    assert [a.headline for a in articles] == [
        "市委常委会召开会议 研究部署冬季工作",
        "雨湖区新建三所学校",
        "城区交通项目进展顺利",
    ]
    assert articles[0].subheadline == "强化担当 抓好落实"
    assert articles[0].byline.authors == ["王小明"]
    assert articles[1].byline.contributors == ["赵敏"]


def test_text_broken_mid_word_is_rejoined() -> None:
    first = split_articles(ISSUE)[0]
    assert "深入学习宣传贯彻会议精神" in first.body
    assert first.body.startswith("12月1日上午,市委书记张国华")


def test_tail_printed_after_another_article_is_put_back() -> None:
    articles = split_articles(ISSUE)
    school, traffic = articles[1], articles[2]
    assert "努力打造优质均衡的教育体系" in school.body
    assert "新增学位三千个" in school.body
    assert "教育体系" not in traffic.body
    assert "缓解交通压力" in traffic.body


def test_section_subheads_inside_an_article_are_kept() -> None:
    text = (
        "文明城市创建纪实\n\n湘潭日报(全媒体记者/王小明) 创建工作全面展开。\n\n志愿之城 人人参与\n\n"
        "志愿者们走上街头。\n"
    )
    (article,) = split_articles(text)
    assert article.paragraphs == ["创建工作全面展开。", "志愿之城 人人参与", "志愿者们走上街头。"]


WEB = """市政府召开第十次常务会议
来源：湘潭日报　发布时间：2023-05-06 10:20
作者：王小明
编辑：李四
5月5日，市长刘建国主持召开市政府第十次常务会议。
会议研究了城市更新工作。(王小明 李红)
"""


def test_single_web_article_with_metadata_lines() -> None:
    (article,) = split_articles(WEB.replace("　", " "))
    assert article.headline == "市政府召开第十次常务会议"
    assert article.metadata["来源"] == "湘潭日报"
    assert article.byline.newspaper == "湘潭日报"
    assert article.byline.authors == ["王小明"]
    assert article.body.startswith("5月5日")
    assert "编辑" not in article.body


def test_web_article_drops_navigation_and_page_furniture() -> None:
    text = (
        "首页 > 新闻中心 > 本地要闻\n"
        "岳塘区召开防汛工作会议\n"
        "发布时间：2023-06-01 来源：岳塘区人民政府 作者：刘洋\n"
        "5月31日，岳塘区召开防汛工作会议。\n"
        "会议要求压实责任。\n"
        "责任编辑：周平\n"
        "【打印】【关闭】\n"
    )
    (article,) = split_articles(text)
    assert article.headline == "岳塘区召开防汛工作会议"
    assert article.byline.authors == ["刘洋"]
    assert article.body == "5月31日，岳塘区召开防汛工作会议。\n会议要求压实责任。"


def test_masthead_and_page_markers_are_not_headlines() -> None:
    text = (
        "衡阳日报 2023年4月10日 星期一\n第01版：要闻\n市委常委会召开会议\n研究部署经济工作\n"
        "衡阳日报讯（全媒体记者 陈晓）4月9日下午，市委常委会召开会议。\n"
    )
    (article,) = split_articles(text)
    assert article.headline == "市委常委会召开会议"
    assert article.subheadline == "研究部署经济工作"
