"""Persons, title chains, list titles, organizations and places, on sentences written for the tests."""

from __future__ import annotations

import pytest

from graph.nlp.pipeline import recognize
from graph.nlp.recognize import Found, implied_titles, inside_document_title, title_chain, title_organization
from graph.nlp.resolve import Locale


@pytest.fixture(scope="module")
def locale() -> Locale:
    from graph.nlp.divisions import DivisionTable

    table = DivisionTable.load()
    return Locale.for_city(table, table.city("湘潭").key)


def titles_of(text: str, name: str, locale: Locale) -> list[str]:
    start = text.index(name)
    return [t for _, _, t in implied_titles(title_chain(text, start, locale.prefixes))]


@pytest.mark.parametrize(
    ("text", "name", "titles"),
    [
        ("12月1日,市委书记张国华主持会议。", "张国华", ["市委书记"]),
        ("市委副书记、市长刘建国出席。", "刘建国", ["市委副书记", "市长"]),
        (
            "市委常委、副市长、高新区党工委书记王立新陪同。",
            "王立新",
            ["市委常委", "副市长", "高新区党工委书记"],
        ),
        ("省总工会党组书记、主席陈海波作报告。", "陈海波", ["省总工会党组书记", "省总工会主席"]),
        ("会议由副市长赵明主持。", "赵明", ["副市长"]),
        (
            "党的二十大代表,省妇联党组成员、副主席林静讲话。",
            "林静",
            ["党的二十大代表", "省妇联党组成员", "省妇联副主席"],
        ),
        ("企业负责人周平介绍情况。", "周平", []),
        (
            "县委常委、统战部部长、青石镇党委书记李强出席。",
            "李强",
            ["县委常委", "统战部部长", "青石镇党委书记"],
        ),
        (
            "县委副书记、县长、青河经济开发区党工委书记周平带队。",
            "周平",
            ["县委副书记", "县长", "青河经济开发区党工委书记"],
        ),
    ],
)
def test_title_chains(text: str, name: str, titles: list[str], locale: Locale) -> None:
    assert titles_of(text, name, locale) == titles


@pytest.mark.parametrize(
    ("title", "org"),
    [
        ("市委政法委书记", "市委政法委"),
        ("副市长", "市政府"),
        ("市领导", None),
        ("党的二十大代表", None),
        ("省发改委副主任", "省发改委"),
        ("高新区党工委第一书记", "高新区党工委"),
    ],
)
def test_title_organization(title: str, org: str | None) -> None:
    assert title_organization(title) == org


@pytest.mark.parametrize(
    ("surface", "name", "alias"),
    [
        ("市委", "中共湘潭市委员会", "中共湘潭市委"),
        ("市委宣传部", "中共湘潭市委宣传部", "湘潭市委宣传部"),
        ("市政府", "湘潭市人民政府", "湘潭市政府"),
        ("省妇联", "湖南省妇女联合会", "湖南省妇联"),
        ("省发改委", "湖南省发展和改革委员会", "湖南省发改委"),
        ("团市委", "共青团湘潭市委", "团市委"),
        ("市政协", "政协湘潭市委员会", "湘潭市政协"),
        ("湘潭市委", "中共湘潭市委员会", "中共湘潭市委"),
        ("雨湖区教育局", "雨湖区教育局", "湘潭市雨湖区教育局"),
    ],
)
def test_abbreviations_expand_in_the_home_city(surface: str, name: str, alias: str, locale: Locale) -> None:
    full, aliases = locale.org_names(surface)
    assert full == name
    assert alias in aliases or alias == full


def labelled(text: str, city: str = "湘潭") -> set[tuple[str, str]]:
    return {(e.label, e.text) for e in recognize(text, city)}


def test_list_titles_name_every_person() -> None:
    found = labelled("市领导王立新、刘建国、陈海波等参加活动。")
    assert {("PER", "王立新"), ("PER", "刘建国"), ("PER", "陈海波")} <= found


def test_a_list_closed_by_a_shared_title_names_every_item() -> None:
    # 胜会 reads as a word; in such a list every bare item is a name
    found = labelled("大会开幕。王立新、吴胜会、刘建国、陈海波等市领导出席。")
    assert {("PER", n) for n in ("王立新", "吴胜会", "刘建国", "陈海波")} <= found
    titled = labelled("会议由市委书记李明、市长王强等市领导出席。")
    assert {n for label, n in titled if label == "PER"} == {"李明", "王强"}


def test_persons_by_context_without_titles() -> None:
    found = labelled("36岁的黄晓燕是一名社区志愿者。雨湖区城正街道的李秀英、王德明夫妻主动请缨。")
    assert ("PER", "黄晓燕") in found
    assert ("PER", "王德明") in found


def test_no_person_from_conjunction_after_title() -> None:
    found = labelled("市领导和老同志全体肃立。")
    assert not any(label == "PER" for label, _ in found)


def test_organizations_and_places() -> None:
    found = labelled("记者从雨湖区教育局获悉,湘潭高新区的华兴电子科技有限公司已投产。")
    assert ("ORG", "雨湖区教育局") in found
    assert ("ORG", "华兴电子科技有限公司") in found
    assert ("LOC", "雨湖区") in found


def test_org_words_inside_other_words_are_not_organizations() -> None:
    found = labelled("目前,全部学生已经返校,各部门相关负责人到场。")
    assert not any(label == "ORG" for label, _ in found)


def test_a_firm_named_with_its_legal_form_whatever_follows() -> None:
    found = labelled("湖南恒光科技股份有限公司、岳阳振兴中顺新材料有限公司成功获评国家高新技术企业。", "岳阳")
    assert ("ORG", "湖南恒光科技股份有限公司") in found
    assert ("ORG", "岳阳振兴中顺新材料有限公司") in found


def test_a_body_inside_a_document_s_title_is_the_document_s_not_the_text_s() -> None:
    text = "学习《青河市党支部工作条例(试行)》,《江城日报》报道。"
    assert inside_document_title(text, Found(3, 9, "青河市党支部"))
    assert not inside_document_title(text, Found(20, 24, "江城日报"))  # the whole title: the paper
    assert not inside_document_title("青河市党支部召开会议。", Found(0, 6, "青河市党支部"))


def test_a_dotted_pair_of_bodies_with_a_title_is_no_name() -> None:
    found = labelled("青河晚报·江城日报总经理王明表示,副主席买买提·艾力陪同。")
    assert {("PER", "王明"), ("PER", "买买提·艾力")} <= found
    assert not any(label == "PER" and "日报" in text for label, text in found)
