"""Deterministic synthetic archive of Chinese city-daily issues for benchmarks."""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

START = dt.date(2015, 1, 1)
TARGET_CHARS = 15_000

# Real prefecture-level cities of Hunan and some of their districts, counties and county-level cities.
CITIES: dict[str, list[str]] = {
    "长沙": ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市"],
    "湘潭": ["雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市"],
    "衡阳": ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "耒阳市", "常宁市"],
    "岳阳": ["岳阳楼区", "云溪区", "君山区", "岳阳县", "华容县", "湘阴县", "平江县", "汨罗市", "临湘市"],
    "常德": ["武陵区", "鼎城区", "安乡县", "汉寿县", "澧县", "临澧县", "桃源县", "石门县", "津市市"],
    "益阳": ["资阳区", "赫山区", "南县", "桃江县", "安化县", "沅江市"],
    "郴州": ["北湖区", "苏仙区", "桂阳县", "宜章县", "永兴县", "嘉禾县", "临武县", "资兴市"],
    "娄底": ["娄星区", "双峰县", "新化县", "冷水江市", "涟源市"],
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严覃武戴莫向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华建国志文辉红斌波宇鹏峰林海俊春云晓东玲荣新宏德庆正"
    "光永立亮成清卫兴健松柏雪梅兰琳颖婷琴慧智勤毅远航帆翔宁安和顺达利胜祥福瑞嘉欣怡佳蕾薇莉晶菁莹"
)
TOPICS = (
    "乡村振兴",
    "安全生产",
    "生态环境保护",
    "优化营商环境",
    "招商引资",
    "防汛抗旱",
    "森林防灭火",
    "疫情防控",
    "基层党建",
    "民生实事",
    "城市更新",
    "产业链建设",
    "科技创新",
    "文明创建",
    "信访维稳",
    "耕地保护",
    "河长制",
    "教育强市",
    "医疗卫生",
    "就业创业",
    "园区建设",
    "项目建设",
    "消防安全",
    "食品安全",
)
INDUSTRIES = (
    "智能制造",
    "新材料",
    "生物医药",
    "电子信息",
    "轨道交通装备",
    "新能源",
    "绿色食品",
    "现代物流",
    "数字经济",
    "装配式建筑",
    "先进储能",
    "文化创意",
    "汽车零部件",
    "精细化工",
)
MEETINGS = (
    "市委常委会会议",
    "市政府常务会议",
    "市委全面深化改革委员会会议",
    "市委财经委员会会议",
    "专题会议",
)
UNITS = ("街道", "镇", "乡")
UNIT_STEMS = "东城西湖南岭北山河桥塘坪江口冲湾田溪泉铺洲坝头"
VILLAGE_STEMS = "新和平安兴福光明红星同心长春幸福民主前进胜利青山白沙"
FILLER = (
    "要坚持问题导向和目标导向,统筹发展和安全,把各项工作抓实抓细抓到位。",
    "各级各部门要提高政治站位,压实工作责任,确保各项任务落地见效。",
    "要以更大力度推动高质量发展,切实增强人民群众的获得感、幸福感和安全感。",
    "会议强调,要聚焦重点领域和关键环节,加强统筹协调,形成工作合力。",
    "要建立健全长效机制,强化督查考核,以钉钉子精神抓好落实。",
    "要深化改革创新,优化服务供给,持续激发市场主体活力和社会创造力。",
    "要加强宣传引导,营造全社会共同参与、共同推动的良好氛围。",
    "要突出抓好招商引资和项目建设,以项目大突破带动经济大发展。",
    "要守牢安全底线,及时排查整治各类风险隐患,确保社会大局和谐稳定。",
    "现场,相关负责人详细介绍了工作进展、存在困难和下一步打算。",
    "据了解,该项目建成后预计年产值可达数十亿元,将带动就业岗位一千余个。",
    "今年以来,全市上下攻坚克难、奋勇争先,各项经济指标保持稳中有进的良好态势。",
)
SUBHEADS = (
    "奋力推动{topic}工作再上新台阶",
    "以实干实绩推动{topic}见实效",
    "凝心聚力 推动{topic}取得新突破",
    "压实责任 抓好{topic}各项工作",
    "全力以赴 确保{topic}任务落地",
)


@dataclass
class Cadre:
    """One city's leadership at a point in time."""

    secretary: str
    mayor: str
    deputy_secretary: str
    executive_vice_mayor: str
    vice_mayors: list[str]
    standing: list[str]
    congress: str
    cppcc: str
    used: set[str] = field(default_factory=set)


class Names:
    """Unique two- and three-character person names drawn from common surnames and given characters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        while True:
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name

    def ordinary(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(SURNAMES) + given


class City:
    """A city's leadership roster, reporters and places, evolving as issues go by."""

    def __init__(self, name: str, rng: random.Random, names: Names) -> None:
        self.name = name
        self.rng = rng
        self.names = names
        self.districts = CITIES[name]
        self.cadre = Cadre(
            secretary=names.person(),
            mayor=names.person(),
            deputy_secretary=names.person(),
            executive_vice_mayor=names.person(),
            vice_mayors=[names.person() for _ in range(4)],
            standing=[names.person() for _ in range(6)],
            congress=names.person(),
            cppcc=names.person(),
        )
        self.reporters = [names.person() for _ in range(8)]
        self.correspondents = [names.person() for _ in range(12)]
        self.heads = {d: names.person() for d in self.districts}

    def reshuffle(self) -> None:
        """Move careers on: secretary leaves, mayor rises, a vice mayor becomes mayor, newcomers join."""
        c, n, r = self.cadre, self.names, self.rng
        if r.random() < 0.5:
            c.secretary, c.mayor = c.mayor, c.executive_vice_mayor
            c.executive_vice_mayor = c.vice_mayors.pop(0)
        else:
            c.mayor = c.vice_mayors.pop(0)
        c.vice_mayors.append(n.person())
        while len(c.vice_mayors) < 4:
            c.vice_mayors.append(n.person())
        c.standing[r.randrange(len(c.standing))] = n.person()
        district = r.choice(self.districts)
        c.vice_mayors[-1], self.heads[district] = self.heads[district], n.person()
        if r.random() < 0.3:
            self.reporters[r.randrange(len(self.reporters))] = n.person()

    def leaders(self, k: int) -> list[str]:
        pool = [*self.cadre.standing, *self.cadre.vice_mayors, self.cadre.congress, self.cadre.cppcc]
        return self.rng.sample(pool, min(k, len(pool)))


class Writer:
    """Articles of one issue for one city."""

    def __init__(self, city: City, date: dt.date, rng: random.Random) -> None:
        self.city, self.date, self.rng = city, date, rng

    def when(self) -> str:
        r = self.rng
        choice = r.random()
        if choice < 0.2:
            return "昨日" + r.choice(("上午", "下午", ""))
        if choice < 0.3:
            return r.choice(("近日", "日前"))
        day = self.date - dt.timedelta(days=r.choice((1, 1, 2, 3)))
        return f"{day.month}月{day.day}日" + r.choice(("上午", "下午", "晚", ""))

    def byline(self) -> str:
        r, c = self.rng, self.city
        reporter = r.choice(c.reporters)
        helpers = r.sample(c.correspondents, r.choice((0, 1, 1, 2)))
        if r.random() < 0.7:
            inner = f"全媒体记者/{reporter}" + (f" 通讯员/{' '.join(helpers)}" if helpers else "")
            return f"{c.name}日报({inner}) "
        inner = f"记者 {reporter}" + (f" 通讯员 {' '.join(helpers)}" if helpers else "")
        return f"本报讯({inner})"

    def filler(self, k: int) -> str:
        return "".join(self.rng.sample(FILLER, k))

    def place(self) -> str:
        r = self.rng
        district = r.choice(self.city.districts)
        return district + r.choice(UNIT_STEMS) + r.choice(UNIT_STEMS) + r.choice(UNITS)

    def project(self) -> tuple[str, str]:
        r = self.rng
        district = r.choice(self.city.districts)
        name = r.choice(VILLAGE_STEMS) + r.choice(VILLAGE_STEMS) + r.choice(INDUSTRIES) + "产业园项目"
        return name, district

    def meeting(self) -> tuple[str, str | None, list[str]]:
        r, c = self.rng, self.city.cadre
        topic, kind = r.choice(TOPICS), r.choice(MEETINGS)
        by_party = kind.startswith("市委")
        chair, title = (c.secretary, "市委书记") if by_party else (c.mayor, "市委副书记、市长")
        head = f"{chair}主持召开{kind}"
        sub = r.choice(SUBHEADS).format(topic=topic) if r.random() < 0.5 else None
        leaders = self.city.leaders(r.randint(3, 7))
        paras = [
            f"{self.byline()}{self.when()},{title}{chair}主持召开{kind},传达学习上级有关会议精神,"
            f"研究部署{topic}等工作。{self.filler(1)}",
            f"{chair}指出,{topic}事关全市发展大局。{self.filler(2)}",
            f"市领导{'、'.join(leaders)}等参加{r.choice(('会议', '', '会议并讲话'))}。",
        ]
        return head, sub, paras

    def inspection(self) -> tuple[str, str | None, list[str]]:
        r, c = self.rng, self.city.cadre
        lead, title = r.choice(((c.secretary, "市委书记"), (c.mayor, "市委副书记、市长")))
        district = r.choice(self.city.districts)
        topic = r.choice(TOPICS)
        deputy = r.choice(c.vice_mayors)
        project, _ = self.project()
        head = f"{lead}率队来{district}调研{topic}工作"
        paras = [
            f"{self.byline()}{self.when()},{title}{lead}率队来{district}调研{topic}工作。"
            f"市委常委、副市长{deputy}{r.choice(('陪同', '参加调研', '一同调研'))}。",
            f"在{district}{project}建设现场,{lead}详细了解项目进展情况。{self.filler(2)}",
            f"{district}委书记{self.city.heads[district]}陪同调研。{lead}强调,{self.filler(1)}",
        ]
        return head, None, paras

    def project_start(self) -> tuple[str, str | None, list[str]]:
        r, c = self.rng, self.city.cadre
        project, district = self.project()
        amount = r.randint(3, 120)
        speaker = r.choice((c.executive_vice_mayor, *c.vice_mayors))
        head = f"{project}在{district}开工"
        sub = f"总投资{amount}亿元" if r.random() < 0.6 else None
        paras = [
            f"{self.byline()}{self.when()},总投资{amount}亿元的{project}在{district}正式开工建设。"
            f"市委常委、副市长{speaker}出席开工仪式并宣布项目开工。",
            f"该项目由{r.choice(VILLAGE_STEMS)}{r.choice(VILLAGE_STEMS)}{r.choice(INDUSTRIES)}有限公司投资建设,"
            f"{self.filler(2)}",
            f"{district}负责人{self.city.heads[district]}致辞。{self.filler(1)}",
        ]
        return head, sub, paras

    def conference(self) -> tuple[str, str | None, list[str]]:
        r, c = self.rng, self.city.cadre
        topic = r.choice(TOPICS)
        head = f"全市{topic}工作会议召开"
        sub = r.choice(SUBHEADS).format(topic=topic)
        leaders = self.city.leaders(r.randint(2, 5))
        paras = [
            f"{self.byline()}{self.when()},全市{topic}工作会议召开。市委书记{c.secretary}出席会议并讲话,"
            f"市委副书记、市长{c.mayor}作报告,市委副书记{c.deputy_secretary}主持会议。",
            f"{c.secretary}强调,{self.filler(3)}",
            f"{c.mayor}在报告中指出,{self.filler(2)}",
            f"市人大常委会主任{c.congress}、市政协主席{c.cppcc}出席。市领导{'、'.join(leaders)}参加。",
        ]
        return head, sub, paras

    def local(self) -> tuple[str, str | None, list[str]]:
        r = self.rng
        where = self.place()
        topic = r.choice(TOPICS)
        resident = self.city.names.ordinary()
        head = f"{where}扎实推进{topic}"
        paras = [
            f"{self.byline()}{self.when()},记者走进{where},看到{topic}工作正有序推进。",
            f"“以前办事要跑好几趟,现在一次就办好了。”居民{resident}告诉记者。{self.filler(2)}",
            f"据介绍,{where}{r.choice(VILLAGE_STEMS)}{r.choice(VILLAGE_STEMS)}村还将持续发力。{self.filler(1)}",
        ]
        return head, None, paras

    def article(self, budget: int) -> list[str]:
        r = self.rng
        kinds = (self.meeting, self.inspection, self.project_start, self.conference, self.local, self.local)
        head, sub, paras = r.choice(kinds)()
        while sum(map(len, paras)) < budget:
            paras.insert(-1, self.filler(r.randint(2, 4)))
        if r.random() < 0.12:
            paras = page_break(paras, r)
        return [head, *([sub] if sub else []), *paras]


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def page_break(paras: list[str], rng: random.Random) -> list[str]:
    """Cut the longest paragraph mid-word, as a page break does, continuing it in the next block."""
    i = max(range(len(paras)), key=lambda k: len(paras[k]))
    text = paras[i]
    cut = rng.randint(len(text) // 3, 2 * len(text) // 3)
    while cut < len(text) - 1 and not (_han(text[cut - 1]) and _han(text[cut])):
        cut += 1
    return [*paras[:i], text[:cut], text[cut:], *paras[i + 1 :]]


def issue_text(city: City, date: dt.date, rng: random.Random) -> str:
    """One issue: 20-40 articles totalling about TARGET_CHARS characters."""
    count = rng.randint(20, 40)
    writer = Writer(city, date, rng)
    blocks: list[str] = []
    for _ in range(count):
        blocks.extend(writer.article(TARGET_CHARS // count - 90))
    return "\n\n".join(blocks) + "\n"


def generate(issues: int, out: Path, seed: int = 0, cities: int = 1) -> list[Path]:
    """Write `issues` dated issue files under `out`, rotating over `cities` cities; return their paths."""
    rng = random.Random(seed)
    names = Names(rng)
    chosen = list(CITIES)[: max(1, min(cities, len(CITIES)))]
    roster = [City(name, rng, names) for name in chosen]
    paths: list[Path] = []
    for i in range(issues):
        date = START + dt.timedelta(days=i)
        city = roster[i % len(roster)]
        if i and rng.random() < 1 / 90:
            city.reshuffle()
        path = out / f"{date.year:04d}" / f"{date.month:02d}" / f"{date.isoformat()}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(issue_text(city, date, rng), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, required=True, help="number of daily issues")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--cities", type=int, default=1, help=f"cities, 1-{len(CITIES)} (default 1)")
    args = parser.parse_args(argv)
    paths = generate(args.issues, args.out, args.seed, args.cities)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"wrote {len(paths)} issue(s), {chars:,} characters under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
