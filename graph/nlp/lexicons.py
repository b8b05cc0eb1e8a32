"""General vocabularies of Chinese news text: surnames, posts, organization units, meetings and dates."""

from __future__ import annotations

import functools
import re
from importlib import resources

# Posts as they end a title (市委副书记 ends with 副书记). General knowledge of Chinese officialdom.
POSITIONS: tuple[str, ...] = (
    "总书记", "书记", "副书记", "第一书记", "党组书记", "党组副书记", "党组成员", "党委书记", "党委副书记",
    "党委委员", "党工委书记", "党工委副书记", "党工委委员", "纪检监察组组长", "常委", "委员", "成员",
    "主席", "副主席", "执行主席", "主任", "副主任", "常务副主任", "主任委员", "副主任委员",
    "省长", "副省长", "常务副省长", "市长", "副市长", "常务副市长", "代市长", "区长", "副区长", "常务副区长",
    "代区长", "县长", "副县长", "常务副县长", "代县长", "州长", "副州长", "镇长", "副镇长", "乡长", "副乡长",
    "村长", "总理", "副总理", "国务委员", "部长", "副部长", "常务副部长", "厅长", "副厅长", "局长", "副局长",
    "常务副局长", "处长", "副处长", "科长", "副科长", "秘书长", "副秘书长", "主任科员",
    "组长", "副组长", "队长", "副队长", "支队长", "大队长", "团长", "副团长", "站长", "所长", "副所长",
    "校长", "副校长", "院长", "副院长", "常务副院长", "馆长", "副馆长", "社长", "副社长", "总编辑",
    "副总编辑", "主编", "行长", "副行长", "会长", "副会长", "常务副会长", "理事长", "副理事长", "理事",
    "董事长", "副董事长", "总经理", "副总经理", "经理", "总裁", "副总裁", "总监", "总工程师", "总会计师",
    "检察长", "副检察长", "庭长", "副庭长", "审判长", "司令员", "政委", "政治委员", "参谋长",
    "指挥长", "副指挥长", "督察长", "巡视员", "副巡视员", "调研员", "督查专员", "一级巡视员", "二级巡视员",
    "主任医师", "教授", "研究员", "院士", "领导", "代表", "负责人", "主委", "副主委", "宣讲团成员",
)

# A post word never begins a person's given name; these words also end a name in running text.
NAME_ENDERS: tuple[str, ...] = (
    "同志", "主持", "出席", "参加", "列席", "陪同", "率队", "带队", "一行", "等", "作", "说", "讲",
    "在", "来", "到", "赴", "和", "与", "及", "的", "是", "为", "对", "向", "就", "将", "也", "还",
    "又", "都", "表示", "指出", "强调", "要求", "介绍", "认为", "希望", "代表", "看望", "慰问", "会见",
    "调研", "督查", "督导", "检查", "考察", "视察", "深入", "实地", "主讲", "宣讲", "讲话", "致辞", "发言",
    "分别", "共同", "一起", "先后", "随后", "围绕", "充分", "首先", "带领", "走进", "前往", "从", "用",
    "以", "于", "被", "把", "让", "给", "带", "拿", "告诉", "坦言", "笑", "回忆", "感慨", "称", "透露",
    "今年", "今天", "昨天", "现年", "家", "夫妻", "夫妇", "老人", "一家", "所", "（", "(", "，", "。", "、",
)

# Heads of local administrations name their level themselves (市长), so an earlier org in a chain
# (市委常委、副市长) never prefixes them.
SELF_SCOPED_POSITIONS = re.compile(r"^(?:常务)?[副代]?(?:省|市|区|县|州|镇|乡|村)长$")

# Organization heads: what an organization name ends with, longest first in the regex.
ORG_SUFFIXES: tuple[str, ...] = (
    "委员会", "常务委员会", "人民政府", "政府", "党委", "党组", "党工委", "工委", "管委会", "纪委", "监委",
    "政法委", "宣传部", "组织部", "统战部", "办公室", "办公厅", "委", "局", "厅", "办", "部", "署",
    "联合会", "总工会", "工会", "妇联", "团委", "残联", "科协", "侨联", "文联", "社科联", "工商联", "红十字会",
    "协会", "学会", "商会", "研究会", "促进会", "基金会", "联盟",
    "有限责任公司", "股份有限公司", "有限公司", "集团", "公司", "银行", "医院", "卫生院",
    "大学", "学院", "中学", "小学", "学校", "幼儿园", "研究院", "研究所", "中心", "法院", "检察院",
    "公安局", "分局", "派出所", "支队", "大队", "中队", "报社", "电视台", "出版社", "督查组", "巡察组",
    "工作组", "指导组", "宣讲团", "代表团", "政协", "人大常委会", "人大", "监察委员会",
)

# Abbreviated organization names and their full forms; 中共 is prefixed to party bodies.
ORG_EXPANSIONS: dict[str, str] = {
    "委": "委员会",
    "政府": "人民政府",
    "人大常委会": "人民代表大会常务委员会",
    "人大": "人民代表大会",
    "政协": "政协委员会",
    "纪委": "纪律检查委员会",
    "监委": "监察委员会",
    "政法委": "政法委员会",
    "妇联": "妇女联合会",
    "发改委": "发展和改革委员会",
    "残联": "残疾人联合会",
    "科协": "科学技术协会",
    "侨联": "归国华侨联合会",
    "文联": "文学艺术界联合会",
    "社科联": "社会科学界联合会",
    "工商联": "工商业联合会",
    "卫健委": "卫生健康委员会",
    "住建局": "住房和城乡建设局",
    "人社局": "人力资源和社会保障局",
    "经信局": "工业和信息化局",
    "工信局": "工业和信息化局",
    "网信办": "网络安全和信息化委员会办公室",
    "国资委": "国有资产监督管理委员会",
    "市监局": "市场监督管理局",
}

# Party bodies whose official names begin with 中共 (中共株洲市委宣传部).
PARTY_BODIES = re.compile(r"^(?:委|纪委|委宣传部|委组织部|委统战部|委政法委|委办公室|委巡察办|委编办|委党校)")

# Meeting and event nouns; a name ending with one of these is an event.
EVENT_NOUNS: tuple[str, ...] = (
    "常务会议", "全体会议", "专题会议", "工作会议", "推进会", "调度会", "座谈会", "报告会", "宣讲会",
    "发布会", "新闻发布会", "动员会", "部署会", "现场会", "交流会", "研讨会", "培训会", "表彰会", "追悼会",
    "追悼大会", "纪念大会", "大会", "年会", "论坛", "峰会", "博览会", "展览会", "交易会", "洽谈会", "推介会",
    "签约仪式", "开工仪式", "揭牌仪式", "启动仪式", "颁奖典礼", "典礼", "仪式", "会议", "全会", "例会",
    "联席会", "评审会", "听证会", "见面会", "恳谈会", "茶话会", "音乐会", "晚会", "运动会", "比赛", "大赛",
    "活动", "集体学习", "学习会", "报告会", "宣讲报告会",
)

# Verbs that make a person a participant of the nearest event, by role.
CHAIR_VERBS: tuple[str, ...] = ("主持召开", "主持", "召集")
SPEAKER_VERBS: tuple[str, ...] = (
    "作宣讲报告", "作报告", "作讲话", "作重要讲话", "讲话", "宣讲", "致辞", "讲授", "作动员", "发言", "授课",
    "作宣讲", "讲党课",
)
ATTENDEE_VERBS: tuple[str, ...] = ("出席", "参加", "列席", "陪同", "一同", "率队", "带队", "参会", "观摩", "收看")
LEADER_VERBS: tuple[str, ...] = ("率队", "带队", "一行")

# Inspection-like visits: 来/赴/深入 PLACE + verb.
VISIT_VERBS: tuple[str, ...] = ("调研", "督查", "督导", "检查", "考察", "视察", "暗访", "巡察", "指导")

SCHOOL_VERBS: tuple[str, ...] = ("返校复课", "复学复课", "复课", "复学", "开学", "返校")

PARTS_OF_DAY: tuple[str, ...] = ("凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "晚间", "晚", "夜间")

# Words that introduce a list of officials sharing one title (市领导甲、乙、丙).
LIST_TITLES = re.compile(r"(?:省|市|区|县|州|镇|乡)(?:领导|委领导|级领导)$")

# Roles in a byline: reporters are authors, correspondents contributors.
AUTHOR_ROLES: tuple[str, ...] = (
    "全媒体记者", "融媒体记者", "本报记者", "见习记者", "特约记者", "首席记者", "记者", "撰稿", "作者",
    "文/图", "图/文", "文图",
)
CONTRIBUTOR_ROLES: tuple[str, ...] = ("特约通讯员", "通讯员", "实习生", "见习生", "摄影")

# Characters that end a phrase that looks like a person's name but is a place or body (宋家桥, 宣传部).
NOT_NAME_ENDINGS = frozenset("山桥部办区园县市省镇村街路河江湖局委会院所站厂队组团社司馆校处科室场港湾州")


@functools.cache
def surnames() -> frozenset[str]:
    text = resources.files("graph.nlp").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation that prefers the longest word."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
