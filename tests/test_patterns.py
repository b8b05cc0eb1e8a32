"""The patterns extraction generalizes from, each on sentences written for the tests (not from any paper)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model import ArticleFacts, EntityKind, SourceFile
from graph.nlp.dates import find_dates
from graph.nlp.layout import match_byline, photo_credits, split_articles
from graph.nlp.pipeline import Options, process
from graph.sources import date_from_metadata


def facts_of(text: str, name: str = "issue.txt", published: str | None = "2023-07-15") -> list[ArticleFacts]:
    options = Options(date=dt.date.fromisoformat(published)) if published else Options()
    return process(SourceFile(name, text, "utf-8"), options).articles


def names(facts: list[ArticleFacts], kind: EntityKind) -> set[str]:
    found = set()
    for f in facts:
        for m in f.mentions:
            if m.kind is kind:
                found |= {m.name, *m.aliases, m.span.text}
    return found


def titles(facts: list[ArticleFacts]) -> set[tuple[str, str]]:
    return {(m.person, m.title) for f in facts for m in f.memberships}


def events(facts: list[ArticleFacts]):  # type: ignore[no-untyped-def]
    return [e for f in facts for e in f.events]


def roles(facts: list[ArticleFacts]) -> set[tuple[str, str]]:
    return {(p.person, p.role.value) for e in events(facts) for p in e.participants}


# --- layout ---------------------------------------------------------------------------------------------


def test_a_dated_lead_on_the_first_line_is_no_headline() -> None:
    (article,) = split_articles(
        "5月6日上午,县委书记周建明主持召开县委常委会会议,研究部署防汛工作。\n会议要求压实责任。\n"
    )
    assert article.headline == ""
    assert article.body.startswith("5月6日上午,县委书记周建明")


def test_a_byline_opening_the_first_line_is_no_headline() -> None:
    (article,) = split_articles("本报讯(记者 林晓东 通讯员 何佳)近日,区政府召开专题会议。\n")
    assert (article.headline, article.byline.authors, article.byline.contributors) == (
        "",
        ["林晓东"],
        ["何佳"],
    )


def test_in_body_section_heads_do_not_start_articles() -> None:
    text = (
        "3月2日,市委常委会召开会议,研究有关工作。\n会议指出\n要坚持问题导向,抓好落实。\n"
        "会议要求\n各地要压实责任。\n"
    )
    (article,) = split_articles(text)
    assert "会议指出" in article.body and "各地要压实责任" in article.body


def test_a_page_of_datelined_articles() -> None:
    text = (
        "春耕生产有序推进\n本报北京3月5日电 记者程立新报道:各地春耕生产有序推进。\n"
        "新区建设提速\n新华社广州3月5日电(记者 孟佳)新区建设明显提速。\n"
    )
    first, second = split_articles(text)
    assert (first.headline, first.byline.authors, first.byline.dateline) == (
        "春耕生产有序推进",
        ["程立新"],
        (3, 5),
    )
    assert (second.headline, second.byline.authors, second.byline.newspaper) == (
        "新区建设提速",
        ["孟佳"],
        "新华社",
    )


def test_a_digest_of_marked_items_with_dates_and_a_column_title() -> None:
    text = (
        "一周要闻\n2024-05-20\n■ 市长走访企业 5月13日\n13日上午,市长周建华走访企业。\n"
        "■ 全市防汛工作会议召开\n5月15日\n15日下午,全市防汛工作会议召开。\n"
    )
    articles = split_articles(text)
    assert [a.headline for a in articles] == ["市长走访企业", "全市防汛工作会议召开"]


def test_tag_lines_close_search_result_items_and_name_their_reporters() -> None:
    text = (
        "2月8日下午,市人大会议闭幕。本报记者王一鸣摄本报讯(记者孙立新张国平通讯员赵新)2月8日,大会闭幕...\n"
        "[某某日报] 2023-02-09 要闻 A01版 孙立新 张国平 赵新\n"
        "岭南春来早,奋进启新程。我们对会议的圆满成功表示祝贺...\n[某某日报] 2023-02-09 要闻 A01版\n"
    )
    first, second = split_articles(text)
    assert (first.byline.authors, first.byline.contributors) == (["孙立新", "张国平"], ["赵新"])
    assert first.byline.photographers == ["王一鸣"]
    assert second.body.startswith("岭南春来早")


def test_kickers_and_section_titles_before_a_headline_are_dropped() -> None:
    text = (
        "第A3版:城事\n2019年09月07日 星期六\n安全隐患曝光\n\n某县\n广场消防通道成停车位\n"
        "9月3日,县消防大队开展检查。■通讯员 谢宁\n"
    )
    (article,) = split_articles(text)
    assert (article.headline, article.byline.contributors) == ("广场消防通道成停车位", ["谢宁"])


def test_a_subheadline_of_names_and_verbs_is_not_glued_to_the_body() -> None:
    text = (
        "市委常委会召开会议\n周建明主持 李卫东出席 何立平列席\n来源:某某日报 12-03 10:59:39\n"
        "12月2日,市委常委会召开会议。\n"
    )
    (article,) = split_articles(text)
    assert article.subheadline == "周建明主持 李卫东出席 何立平列席"
    assert article.body == "12月2日,市委常委会召开会议。"


def test_live_blog_entries_stay_apart_and_a_lone_day_opens_the_line_below() -> None:
    text = (
        "新区重点项目集中开工\n9:20\n区委副书记、区长韩立新宣布开工并致辞\n9:10\n"
        "区委常委、副区长罗友明主持仪式\n5月8日上午\n新区举行了春季重点项目集中开工仪式\n"
    )
    (article,) = split_articles(text)
    assert article.paragraphs == [
        "区委副书记、区长韩立新宣布开工并致辞",
        "区委常委、副区长罗友明主持仪式",
        "5月8日上午新区举行了春季重点项目集中开工仪式",
    ]


def test_a_hard_wrapped_text_is_rejoined_where_the_cut_falls_between_words() -> None:
    text = (
        "标题一则\n\n5月8日上午,区委召开常委会会议,传达学习有关会议精\n"
        "神,研究部署下一阶段的重点工作任务和安排要求意见\n建议,区委书记韩立新主持会议并讲话。\n"
    )
    (article,) = split_articles(text)
    assert article.paragraphs == [
        "5月8日上午,区委召开常委会会议,传达学习有关会议精神,研究部署下一阶段的重点工作任务和安排要求意见建议,"
        "区委书记韩立新主持会议并讲话。"
    ]
    (single,) = split_articles("标题一则\n\n5月8日,督查组来区督查园区建设和招商等重点\n工作。区长陪同。\n")
    assert single.paragraphs == ["5月8日,督查组来区督查园区建设和招商等重点工作。区长陪同。"]


@pytest.mark.parametrize(
    ("line", "authors", "contributors", "paper"),
    [
        ("某某晚报某某客户端3月6日讯(全媒体记者 陈立东 何晴)今天下午,", ["陈立东", "何晴"], [], "某某晚报"),
        (
            "某某日报全媒体讯(文字记者 李立恩 摄影记者 范东辉) 在会议期间,",
            ["李立恩", "范东辉"],
            [],
            "某某日报",
        ),
        ("本报讯(某某晚报融媒体记者/杨晓凌)1月12日,", ["杨晓凌"], [], None),
        ("某县站 据某某日报讯 8月以来,", [], [], "某某日报"),
        ("本报北京1月15日讯见习记者钱立、通讯员孙平报道:会议召开。", ["钱立"], ["孙平"], None),
        ("【全媒体记者 郭立成 通讯员 瞿明 孔丽雅】“如果没有", ["郭立成"], ["瞿明", "孔丽雅"], None),
        ("某某日报记者 况立勋 特约记者 王立顺 5月20日,省委书记", ["况立勋", "王立顺"], [], "某某日报"),
        ("石榴云/某某日报记者黑立伟报道:27日,博览会开幕。", ["黑立伟"], [], "某某日报"),
        ("本报讯(记者 张 武 通讯员 贾立芹)去冬以来,", ["张武"], ["贾立芹"], None),
        ("本报讯(记者隋立伟张立耿陈慧通讯员钟立)2月8日下午,", ["隋立伟", "张立耿", "陈慧"], ["钟立"], None),
    ],
)
def test_byline_forms(line: str, authors: list[str], contributors: list[str], paper: str | None) -> None:
    found = match_byline(line)
    assert found is not None
    byline, _ = found
    assert (byline.authors, byline.contributors, byline.newspaper) == (authors, contributors, paper)


def test_photo_credits_name_photographers_not_authors() -> None:
    assert photo_credits("▲社区送年货现场。 记者/杨晓凌 摄") == ["杨晓凌"]
    assert photo_credits("市民中心正式启用。(刘立震/摄)") == ["刘立震"]
    (article,) = split_articles(
        "社区送温暖\n▲送年货现场。 记者 林东 摄\n本报讯(记者 王芳)1月12日,社区送来年货。\n"
    )
    assert (article.byline.authors, article.byline.photographers) == (["王芳"], ["林东"])


def test_stacked_bylines_under_a_headline_and_an_author_line_under_a_commentary() -> None:
    text = "政协常委会议召开\n■通 讯 员 王立虎\n融媒体记者 张晓燕 杨盼\n本报讯 昨日下午,政协常委会议召开。\n"
    (article,) = split_articles(text)
    assert (article.byline.authors, article.byline.contributors) == (["张晓燕", "杨盼"], ["王立虎"])
    (comment,) = split_articles("值得肯定的重奖\n\n吕立喆\n\n为了落实改革精神,省里设立重奖。\n")
    assert (comment.headline, comment.byline.authors) == ("值得肯定的重奖", ["吕立喆"])


def test_web_metadata_names_editors_and_a_placeholder_is_no_name() -> None:
    (article,) = split_articles("2022-03-23 11:18:04 编辑: 刘立燕 审核人:叶玲\n3月21日,县政府召开会议。\n")
    assert article.byline.editors == ["刘立燕", "叶玲"]
    (other,) = split_articles(
        "县委常委会召开\n来源:某某宣传 | 作者:admin | 发布时间: 2021-01-06\n1月5日,县委召开会议。\n"
    )
    assert other.byline.authors == []
    (footed,) = split_articles("老党员的心愿\n5月3日,老党员张立在家中接受采访。\n\n编辑:陈立敏 审核:高立\n")
    assert footed.byline.editors == ["陈立敏", "高立"]


# --- dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "发布时间:2020-02-25 08:50",
        "发布日期：2020年2月25日",
        "时间:2020/2/25",
        "日期:25.02.2020",
        "来源:某某日报 作者:张立 发布时间:Tue Feb 25 08:50:37 CST 2020",
        "2020-02-25 08:50:37 编辑: 刘立",
        "某某日报 2020年2月25日 星期二",
        "某某晚报 2020-02-25 第A03版：要闻",
    ],
)
def test_metadata_dates_in_every_common_form(line: str) -> None:
    assert date_from_metadata(line) == dt.date(2020, 2, 25)


def test_an_event_of_a_file_without_a_year_keeps_its_day() -> None:
    (event,) = events(facts_of("12月15日,市委副书记、市长查立军主持召开市长碰头会。\n", published=None))
    assert (event.date, event.month_day) == (None, (12, 15))


def test_relative_days_with_the_day_given_and_chinese_numerals() -> None:
    (numbered,) = find_dates("昨(14)日上午,市委召开会议", dt.date(2020, 3, 15))
    assert numbered.date == dt.date(2020, 3, 14)
    (spelled,) = find_dates("一九九八年一月十五日,会议召开", None)
    assert spelled.date == dt.date(1998, 1, 15)
    (first,) = find_dates("8月16日至17日,考察组来我市考察", dt.date(2022, 8, 20))
    assert first.date == dt.date(2022, 8, 16)  # a range is dated by its first day


def test_a_dateline_anchors_today_even_without_a_year() -> None:
    text = "答谢活动举行\n本报某市11月24日讯(记者 王立)中午,某某晚报在某酒店举行答谢酒会,感谢读者。\n"
    (event,) = events(facts_of(text, published=None))
    assert event.month_day == (11, 24)


def test_a_chronicle_dates_each_entry_by_the_day_opening_its_line() -> None:
    text = (
        "区大事记\n3日 区委书记韩立新会见来访的考察团一行。\n"
        "  9—12日 区长罗友明率队赴外地考察。\n  同日 区政协召开常委会会议。\n"
    )
    found = {(d.start, d.date) for d in find_dates(text, dt.date(2023, 8, 1))}
    assert {d for _, d in found} == {dt.date(2023, 7, 3), dt.date(2023, 7, 9)}
    dated = {e.date for e in events(facts_of(text, published="2023-08-01"))}
    assert dt.date(2023, 7, 3) in dated and dt.date(2023, 7, 9) in dated


# --- events and roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("3月13日下午,区委书记赵立政主持召开书记专题会,研究项目。", "书记专题会"),
        ("1月5日,县委书记申立霞主持召开县委常委(扩大)会,研究工作。", "县委常委(扩大)会"),
        ("2月28日,县委书记陆立延主持召开县委十六届第43次常委会议。", "县委十六届第43次常委会议"),
        ("12月11日,市委理论学习中心组举行今年第11次集中学习。", "第11次集中学习"),
        ("1月20日,市委召开迎春团拜会。", "迎春团拜会"),
        ("8月31日,县委书记孔立主持召开党政联席会议。", "党政联席会议"),
    ],
)
def test_meeting_nouns_and_forms(sentence: str, name: str) -> None:
    assert name in {e.name for e in events(facts_of(sentence))}


def test_a_meeting_named_after_its_subject() -> None:
    (event,) = events(facts_of("12月2日,市委常委会召开会议,研究部署冬季工作。市委书记李立胜主持。\n"))
    assert event.name == "市委常委会会议" and ("李立胜", "chair") in roles(
        facts_of("12月2日,市委常委会召开会议。市委书记李立胜主持。")
    )


def test_events_only_referred_to_are_not_events() -> None:
    text = (
        "3月2日,市长陈立军主持召开市政府常务会议,传达学习全省招商引资大会精神和在全国会议上的重要讲话精神。"
    )
    assert [e.name for e in events(facts_of(text))] == ["市政府常务会议"]


@pytest.mark.parametrize(
    ("sentence", "part"),
    [
        ("6月11日下午,市政府与某某集团有限公司签订战略合作协议。", "签订战略合作协议"),
        ("9月3日,县消防大队对某某广场开展消防安全检查。", "某某广场消防安全检查"),
        ("在省人大会议期间,市长刘立生接受了某某日报专访。", "接受某某日报专访"),
        ("11月1日,市委副书记郭立强赴永安县就脱贫攻坚等进行专题调研。", "调研"),
        ("罗立泉等领导考察红星村。", "罗立泉考察红星村"),
    ],
)
def test_other_events(sentence: str, part: str) -> None:
    assert any(part in e.name for e in events(facts_of(sentence))), [
        e.name for e in events(facts_of(sentence))
    ]


def test_a_visit_with_its_leader_companions_and_attendees() -> None:
    text = (
        "9月8日,省农业农村厅副厅长陈立明率调研组来我市调研高标准农田建设。副市长赵立敏陪同。"
        "市领导孙立、钱多参加。"
    )
    found = roles(facts_of(text))
    assert {
        ("陈立明", "leader"),
        ("陈立明", "attendee"),
        ("赵立敏", "attendee"),
        ("孙立", "attendee"),
    } <= found


def test_a_host_meets_guests_led_by_another() -> None:
    text = "7月3日,区委书记韩立新会见由外县人大常委会主任罗友明带队的外县人大代表团一行。"
    (event,) = events(facts_of(text))
    assert event.name == "会见外县人大代表团一行"
    assert roles(facts_of(text)) == {("罗友明", "leader"), ("罗友明", "attendee"), ("韩立新", "attendee")}


def test_a_chair_who_also_speaks_is_the_chair() -> None:
    found = roles(facts_of("3月20日,市委书记余立祥主持会议并讲话。市长周立发言。"))
    assert (
        ("余立祥", "chair") in found and ("余立祥", "speaker") not in found and ("周立", "speaker") in found
    )


def test_a_statement_at_the_event_is_a_speech_and_a_studied_speech_is_no_part() -> None:
    text = "大会于14日下午召开,刘立杰在会上强调,要深入学习甲总书记重要讲话精神。"
    found = roles(facts_of("全市推进会召开\n" + text, published="2024-06-17"))
    assert ("刘立杰", "speaker") in found


# --- persons --------------------------------------------------------------------------------------------


def test_names_in_a_bare_list_and_names_that_are_words() -> None:
    text = "4月24日,市长姚立波主持召开市政府常务会议,周强、文华、赵麒参加。"
    assert {"周强", "文华", "赵麒"} <= names(facts_of(text), EntityKind.PERSON)


def test_given_names_with_function_characters_and_minority_names() -> None:
    text = "县委书记李和平、县长王才华出席。自治区人大常委会副主任买买提·艾力陪同。"
    assert {"李和平", "王才华", "买买提·艾力"} <= names(facts_of(text), EntityKind.PERSON)


def test_rare_surnames_after_a_title_and_a_name_that_is_also_a_place() -> None:
    text = "市委副书记、市长摆立阳出席。8月4日,旗委书记兴安主持召开全旗干部大会。"
    found = names(facts_of(text), EntityKind.PERSON)
    assert {"摆立阳", "兴安"} <= found


def test_a_given_name_that_is_a_word_with_a_function_character_after_a_title() -> None:
    text = "市委副书记、市长罗向阳,市委副书记刘和平出席。"
    assert {"罗向阳", "刘和平"} <= names(facts_of(text), EntityKind.PERSON)


def test_an_adverb_after_a_title_is_no_name() -> None:
    text = "12月3日上午,参加会议的人大代表陆续向大会报到,政协委员一同前往,市防汛办成员单位负责人参加。"
    assert not names(facts_of(text), EntityKind.PERSON)


def test_an_interview_speaker_label_gives_the_title() -> None:
    text = "两会特别报道\n记者:代表们带来了哪些建议?\n人大代表 沈立言:我带来的建议是关于乡村道路的。\n"
    assert ("沈立言", "人大代表") in titles(facts_of(text))


def test_an_election_gives_its_post_to_every_listed_name() -> None:
    text = (
        "会议选举李明、王强、赵刚3名同志补选为市人大常委会副主任;刘平补选为青河区副区长;"
        "张宁、孙立等59人当选为市第十三届人民代表大会代表。市长周平为获奖者颁奖。"
    )
    found = titles(facts_of(text))
    assert {(n, "市人大常委会副主任") for n in ("李明", "王强", "赵刚")} <= found
    assert {("刘平", "青河区副区长"), ("张宁", "市第十三届人民代表大会代表")} <= found
    assert ("孙立", "市第十三届人民代表大会代表") in found
    assert {t for n, t in found if n == "周平"} == {"市长"}


# --- organizations --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "body"),
    [
        ("会议研究市人大、政府、政协党组工作。", "市政协"),
        ("经国务院同意,外交部发布公告。", "外交部"),
        ("民盟中央调研组一行来我省调研。", "民盟中央"),
        ("青山电站和南方军区分别派员参加。", "南方军区"),
        ("政协江城市第十三届委员会常务委员会决定召开会议。", "政协江城市第十三届委员会常务委员会"),
        ("日本政府执意推行排海计划。", "日本政府"),
        ("县教育局、水利局负责同志参加。", "水利局"),
        ("青山矿业有限公司、江城发电有限公司签约入驻。", "江城发电有限公司"),
        ("市长王立接见江城发电有限公司客人。", "江城发电有限公司"),
        ("学习总书记在3月2日中共中央政治局常务委员会会议上的讲话。", "中共中央政治局常务委员会"),
        ("委员们紧扣市委、市政府中心工作建言。", "市政府"),
        ("会后,青石镇党委副书记王平说道。", "青石镇党委"),
        ("县委常委、白沙乡党委书记李强出席。", "白沙乡党委"),
        ("青河经济开发区党工委书记周平带队。", "青河经济开发区党工委"),
        ("各乡镇、县安委会成员单位参加。", "县安委会"),
        ("副县长王平、县法院代院长李强出席。", "县法院"),
    ],
)
def test_bodies(sentence: str, body: str) -> None:
    assert body in names(facts_of(sentence), EntityKind.ORGANIZATION)


@pytest.mark.parametrize(
    ("sentence", "wrong"),
    [
        ("他表示公司将加快发展。", "表示公司"),
        ("上市公司数量持续增长。", "上市公司"),
        ("要完整贯彻党中央决策部署。", "中央决策部署"),
        ("17家电视台参与报道。", "17家电视台"),
        ("各乡镇党委书记参加会议。", "各乡镇党委"),
    ],
)
def test_phrases_that_only_look_like_bodies(sentence: str, wrong: str) -> None:
    assert wrong not in names(facts_of(sentence), EntityKind.ORGANIZATION)


def test_a_paper_named_as_a_title_is_a_body() -> None:
    assert "江城日报" in names(facts_of("《江城日报》记者报道。"), EntityKind.ORGANIZATION)


# --- places ---------------------------------------------------------------------------------------------


def test_places_abroad_villages_and_landmarks() -> None:
    text = "副市长陈立德在法国巴黎会见客人。随后考察团来到钦南区沙坪镇上游村,参观某某港。"
    found = names(facts_of(text, name="2023-01-01.txt"), EntityKind.PLACE)
    assert {"法国", "巴黎", "沙坪镇", "上游村"} <= found


def test_townships_listed_as_items_are_places_and_generic_words_are_not() -> None:
    text = (
        "由县融媒体中心、青石镇、白沙镇工作人员组成执法队,到岭东乡、清河乡等地检查。"
        "街道、社区、乡镇人员参加。"
    )
    found = names(facts_of(text), EntityKind.PLACE)
    assert {"青石镇", "白沙镇", "岭东乡", "清河乡"} <= found
    assert not found & {"街道", "社区", "乡镇"}


def test_a_settlement_between_going_there_and_what_was_done_there_is_a_place() -> None:
    found = names(facts_of("书记王平深入哈达图镇调研。深入各乡镇检查。"), EntityKind.PLACE)
    assert "哈达图镇" in found
    assert "各乡镇" not in found


def test_words_that_only_hold_a_place_name_are_not_places() -> None:
    text = "要推动重大理论创新,建设新兴城市。市民中心位于黄河北路,落实在田间地头和田野上。"
    found = names(facts_of(text), EntityKind.PLACE)
    assert not found & {"大理", "兴城", "河北", "黄河", "和田"}


def test_a_place_as_a_quality_or_in_a_campaign_is_no_place() -> None:
    text = "坚持中国特色社会主义道路,参加数字中国建设峰会,推进平安江西建设。代表团赴日本访问。"
    found = names(facts_of(text), EntityKind.PLACE)
    assert "日本" in found and not found & {"中国", "中华人民共和国", "江西", "江西省"}


def test_the_home_county_from_the_file_name() -> None:
    facts = facts_of("县委书记周立主持召开会议,本县干部参加。", name="2022-01-13_baofeng.txt")
    assert "宝丰县" in names(facts, EntityKind.PLACE)
    assert any("宝丰县" in m.name for f in facts for m in f.mentions if m.kind is EntityKind.ORGANIZATION)


# --- projects and titles --------------------------------------------------------------------------------


def test_projects_without_the_word_and_in_lists() -> None:
    text = "区领导巡查了区幼儿园改扩建、第五小学、城西工业园等8个项目。市长考察了某某新材料产业基地。"
    found = names(facts_of(text), EntityKind.PROJECT)
    assert {"区幼儿园改扩建", "第五小学", "城西工业园", "某某新材料产业基地"} <= found


def test_a_verb_before_a_project_is_not_its_name() -> None:
    found = names(facts_of("要加大金桥项目建设力度,了解车联网项目进展。"), EntityKind.PROJECT)
    assert {"金桥项目", "车联网项目"} <= found and not found & {"加大金桥项目", "解车联网项目"}


@pytest.mark.parametrize(
    ("sentence", "person", "title"),
    [
        ("会议选举李立国为区人大常委会主任,王立政为区人民政府区长。", "王立政", "区人民政府区长"),
        ("当场聘任黎立林为某某村村委会主任。", "黎立林", "某某村村委会主任"),
        ("赵立栋、李立辉、周立华等市领导出席。", "周立华", "市领导"),
        ("县人大常委会副主任、教育局长李立帅出席。", "李立帅", "教育局长"),
        ("市委书记、大会主席团常务主席郭立海主持会议。", "郭立海", "大会主席团常务主席"),
        ("学习甲总书记重要讲话。习近远总书记关于改革的论述", "习近远", "总书记"),
        ("自治区党委常委、自治区常务副主席马立新出席。", "马立新", "自治区常务副主席"),
        ("“他很热心。”某某村村书记林立才说道。", "林立才", "村书记"),
        ("自治区党委常委、自治区常务副主席马立新出席。", "马立新", "自治区党委常委"),
    ],
)
def test_title_forms(sentence: str, person: str, title: str) -> None:
    assert (person, title) in titles(facts_of(sentence))
