"""Benchmark of the legal-aid conflict-of-interest search (利益冲突检索基准测试).

Generates N parties (default 1,000,000: ~90 % people with realistic Chinese
names drawn from embedded surname / given-name frequency lists, ~10 %
organisations; valid GB 11643 resident IDs and GB 32100 credit codes) into a
SQLite file in a temporary directory, builds the ConflictIndex, then runs a
labelled query set of name variants and ID queries and prints latency and
recall, next to a naive in-memory full scan measured in the same run.

Prints figures only; asserts nothing about time.

    PYTHONPATH=. python bench/conflict_check.py --parties 100000
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import opencc
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Hamming
from sqlalchemy import Engine, MetaData, create_engine, event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.crypto import new_keyring

# ID-number keys go through the keyed blind index: a throwaway key, never a key file in the working folder
if not os.environ.get("VOLUNTEER_DATA_KEYS") and not os.environ.get("VOLUNTEER_DATA_KEY_FILE"):
    os.environ["VOLUNTEER_DATA_KEYS"] = new_keyring().text()

from plugins.legal_aid.conflict import ConflictIndex, PartyRecord
from plugins.legal_aid.conflict import pinyin as py
from plugins.legal_aid.conflict.ids import resident_id_check, uscc_check
from plugins.legal_aid.conflict.normalise import normalise_name, org_core

# --- embedded frequency lists -------------------------------------------------

# Surname shares in per cent (rounded, after the 2020 census ranking).
SURNAMES = (
    "王7.12 李7.00 张6.74 刘5.10 陈4.61 杨3.22 黄2.45 赵2.19 吴2.08 周2.06 徐1.71 孙1.61 马1.48 "
    "朱1.39 胡1.32 郭1.26 何1.21 林1.18 高1.17 罗1.15 郑1.10 梁1.03 谢0.87 宋0.83 唐0.82 许0.79 "
    "韩0.77 冯0.74 邓0.74 曹0.73 彭0.69 曾0.68 肖0.64 田0.63 董0.62 袁0.59 潘0.58 于0.57 蒋0.56 "
    "蔡0.55 余0.54 杜0.53 叶0.52 程0.51 苏0.50 魏0.48 吕0.47 丁0.46 任0.45 沈0.44 姚0.43 卢0.42 "
    "姜0.41 崔0.40 钟0.39 谭0.38 陆0.37 汪0.36 范0.35 金0.34 石0.33 廖0.32 贾0.31 夏0.30 韦0.29 "
    "付0.28 方0.27 白0.26 邹0.25 孟0.24 熊0.23 秦0.22 邱0.21 江0.20 尹0.19 薛0.18 闫0.17 段0.16 "
    "雷0.15 侯0.14 龙0.13 史0.12 陶0.11 黎0.10 贺0.10 顾0.09 毛0.09 郝0.09 龚0.08 邵0.08 万0.08 "
    "钱0.08 严0.07 覃0.07 武0.07 戴0.07 莫0.06 孔0.06 向0.06 汤0.06 欧阳0.03 司马0.01 诸葛0.01 "
    "上官0.01 令狐0.01 慕容0.01"
)
# Characters used in given names, most popular first (weights fall off as a power law).
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌辉建国文林浩宇波俊欣婷雪琳晶慧"
    "颖佳倩莉丹燕梅凤珍云海峰东亮成龙志新春晨阳子轩睿博思雨萱怡嘉梓涵诗晓小金德永立福生荣鑫宏家振"
    "天清利瑞凯健光毅宁安顺彬铭昊然一可欢婉琪璐蕾瑶露薇媛妍淑惠翠玲琴蓉月冰洁爽贝巧美娇彤馨钰璇楠"
    "畅蔚翔旭帆航奇宸泽昕锦程松柏川山岩江河伦斯远达中正和民保发富贵才武兵胜学祥炜威卫维巍玮鸣婧菁"
    "力煜羽方纳虹鸿婕捷韬心亭庭晖卉加茜彦锋丰风枫隆智治纯辰琛臣杨扬紫姿宣蕊丝宜仪依艺逸晗寒含世士"
    "仕瑾津得咏芙升晟容融楷恺剑坚广凝冉琦祺淇焕宛路鹿雷遥尧源元圆苑书舒萃霖麟灵凌铃勤芹悦越跃岳滨"
    "媚桐童同男南昌香湘煦凡航杭择诚承城嵩珊姗言忠政峥铮禾宝彩舞冬苹屏夏钢莹盈瑛桦岚澜朋菲斐霏果雯"
    "闻皓灏峻骏君芸韵田添青晴庆舜珂姣百时仑"
)
ORG_CHARS = (
    "华兴盛达鑫瑞恒嘉泰宏祥信安通金源联创新博远鼎丰利德昌隆润海天中宇星光明辉腾飞龙凯诚和佳美优益"
    "众晟景航汇泽东方正合平永元亿万百锦程思睿智捷迅讯云峰山川汉唐宋楚越鲁豫晋粤湘赣闽蜀黔滇陇秦吉"
    "辽京沪津渝锐卓尚品诺欧亚环宝富贵福禄康乐健寿喜悦谐蓝绿红青白紫银铜铁石木水火土晨曦朗逸轩宸睿"
    "恺豪杰俊雅颂钧衡铭鸿骏驰耀腾跃翔鹏凤麒麟虎豹鹰雁松柏竹梅兰菊荷桂樱枫桦杉榕棠芷芸蔚澜涛洋港湾"
    "岭岳峻崇巍坤乾艮震巽坎离兑甲乙丙丁戊己庚辛壬癸"
)
INDUSTRIES = [
    "科技",
    "贸易",
    "建设",
    "实业",
    "网络科技",
    "餐饮管理",
    "物流",
    "房地产开发",
    "文化传媒",
    "医药",
    "电子",
    "机械",
    "建筑工程",
    "信息技术",
    "咨询",
    "投资管理",
    "环保科技",
    "教育科技",
    "食品",
    "服装",
    "商贸",
    "装饰工程",
    "汽车销售",
    "农业开发",
    "生物科技",
]
LEGAL_FORMS = ["有限公司"] * 14 + ["有限责任公司"] * 3 + ["股份有限公司"] * 2 + ["集团有限公司"]
ORG_REGIONS = [
    "北京",
    "上海",
    "天津",
    "重庆",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "武汉",
    "西安",
    "苏州",
    "长沙",
    "郑州",
    "济南",
    "青岛",
    "厦门",
    "合肥",
]
ID_REGIONS = [
    "110101",
    "110105",
    "110108",
    "120101",
    "310101",
    "310104",
    "310115",
    "320102",
    "320106",
    "330102",
    "330106",
    "340102",
    "350102",
    "360102",
    "370102",
    "370202",
    "410102",
    "420102",
    "430102",
    "440103",
    "440106",
    "440304",
    "440305",
    "450102",
    "500101",
    "510104",
    "510107",
    "520102",
    "530102",
    "610102",
    "620102",
    "640104",
    "650102",
    "210102",
    "220102",
    "230102",
    "130102",
    "140105",
    "150102",
]

_S2T = opencc.OpenCC("s2t")


class Weighted:
    """Draw from a weighted list with one bisect (faster than random.choices per draw)."""

    def __init__(self, items: list[str], weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def surname_dist() -> Weighted:
    items, weights = [], []
    for tok in SURNAMES.split():
        i = next(i for i, c in enumerate(tok) if c.isdigit())
        items.append(tok[:i])
        weights.append(float(tok[i:]))
    return Weighted(items, weights)


GIVEN = list(dict.fromkeys(GIVEN_CHARS))
GIVEN_DIST = Weighted(GIVEN, [1 / (r + 1) ** 0.5 for r in range(len(GIVEN))])
ORG = list(dict.fromkeys(ORG_CHARS))

# --- parties -------------------------------------------------------------------


@dataclass
class Party:
    ref: str
    kind: str
    names: list[str]
    id_number: str
    core: str = ""


def person_name(rng: random.Random, surnames: Weighted) -> str:
    n_given = 1 if rng.random() < 0.25 else 2
    return surnames.draw(rng) + "".join(GIVEN_DIST.draw(rng) for _ in range(n_given))


def resident_id(rng: random.Random) -> str:
    birth = f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = rng.choice(ID_REGIONS) + birth + f"{rng.randint(0, 999):03d}"
    return first17 + resident_id_check(first17)


def credit_code(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "91" + rng.choice(ID_REGIONS) + "".join(rng.choice(chars) for _ in range(9))
    return first17 + uscc_check(first17)


def org_party(rng: random.Random, ref: str) -> Party:
    def brand() -> str:
        return "".join(rng.choice(ORG) for _ in range(2 if rng.random() < 0.7 else 3))

    core = brand() + rng.choice(INDUSTRIES)
    region = rng.choice(ORG_REGIONS)
    main = region + core + rng.choice(LEGAL_FORMS)
    if rng.random() < 0.25:
        main = core + f"（{region}）" + rng.choice(LEGAL_FORMS)
    names = [main]
    if rng.random() < 0.3:  # former name
        names.append(rng.choice(ORG_REGIONS) + brand() + rng.choice(INDUSTRIES) + "有限公司")
    if rng.random() < 0.2:  # registered short name
        names.append(core)
    return Party(ref, "org", names, credit_code(rng), core)


def generate(n: int, seed: int) -> list[Party]:
    rng = random.Random(seed)
    surnames = surname_dist()
    parties: list[Party] = []
    used: set[str] = set()
    for i in range(n):
        ref = f"party:{i}"
        if rng.random() < 0.1:
            p = org_party(rng, ref)
        else:
            name = person_name(rng, surnames)
            names = [name]
            if rng.random() < 0.02:  # some records were keyed in romanised
                names = [" ".join(w.capitalize() for w in roman_words(name))]
            elif rng.random() < 0.02:  # or in traditional characters (HK / TW documents)
                names = [_S2T.convert(name)]
            p = Party(ref, "person", names, resident_id(rng))
        while p.id_number in used:  # keep ID numbers unique, so ID recall is well defined
            p.id_number = resident_id(rng) if p.kind == "person" else credit_code(rng)
        used.add(p.id_number)
        parties.append(p)
    return parties


def roman_words(name: str) -> list[str]:
    """['zhang', 'xiaoming'] for 张小明 (surname, given name), as on a passport."""
    sylls = py.han_syllables(normalise_name(name), surname_readings=1)[0]
    cut = 2 if len(name) >= 4 and name[:2] in SURNAMES else 1
    return ["".join(sylls[:cut]), "".join(sylls[cut:])]


# --- query variants ----------------------------------------------------------------


def _by_sound() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Given-name characters grouped by toneless pinyin and by fuzzy pinyin."""
    same: dict[str, list[str]] = defaultdict(list)
    fuzzy: dict[str, list[str]] = defaultdict(list)
    for c in GIVEN:
        s = py.char_readings(c)[0]
        same[s].append(c)
        fuzzy[py.fuzzy_syllable(s)].append(c)
    return same, fuzzy


SAME_SOUND, FUZZY_SOUND = _by_sound()


def v_spaces(p: Party, rng: random.Random) -> str | None:
    name = p.names[0]
    if not normalise_name(name) or not py.is_han_char(name[0]):
        return None
    sep = rng.choice([" ", "\u3000", "  "])
    return sep.join(name) if rng.random() < 0.5 else name[0] + sep + name[1:]


def v_full_width(p: Party, rng: random.Random) -> str | None:
    words = roman_words(p.names[0]) if py.is_han_char(p.names[0][0]) else None
    if not words:
        return None
    text = " ".join(w.upper() for w in words)
    return "".join(chr(ord(c) + 0xFEE0) if c != " " else "\u3000" for c in text)


def v_traditional(p: Party, rng: random.Random) -> str | None:
    t = _S2T.convert(p.names[0])
    return t if t != p.names[0] else None


def v_pinyin(p: Party, rng: random.Random) -> str | None:
    if not py.is_han_char(p.names[0][0]):
        return None
    sur, given = roman_words(p.names[0])
    sylls = py.han_syllables(normalise_name(p.names[0]), surname_readings=1)[0]
    forms = [
        f"{sur.capitalize()} {given.capitalize()}",
        f"{given} {sur}",
        " ".join([sur.upper(), *(s.capitalize() for s in sylls[1:])]),
        sur + given,
        f"{given.capitalize()} {sur.upper()}",
    ]
    return rng.choice(forms)


def _swap_char(
    p: Party, rng: random.Random, table: dict[str, list[str]], key: Callable[[str], str]
) -> str | None:
    name = p.names[0]
    if len(name) < 3 or not all(py.is_han_char(c) for c in name):
        return None
    positions = list(range(1, len(name)))
    rng.shuffle(positions)
    for i in positions:
        alts = [c for c in table.get(key(name[i]), []) if c != name[i]]
        if alts:
            return name[:i] + rng.choice(alts) + name[i + 1 :]
    return None


def v_homophone(p: Party, rng: random.Random) -> str | None:
    return _swap_char(p, rng, SAME_SOUND, lambda c: py.char_readings(c)[0])


def v_fuzzy_sound(p: Party, rng: random.Random) -> str | None:
    name = p.names[0]
    if len(name) < 3 or not all(py.is_han_char(c) for c in name):
        return None
    for i in rng.sample(range(1, len(name)), len(name) - 1):
        s = py.char_readings(name[i])[0]
        alts = [c for c in FUZZY_SOUND.get(py.fuzzy_syllable(s), []) if py.char_readings(c)[0] != s]
        if alts:
            return name[:i] + rng.choice(alts) + name[i + 1 :]
    return None


def v_char_swap(p: Party, rng: random.Random) -> str | None:
    name = p.names[0]
    if len(name) != 3 or name[1] == name[2] or not py.is_han_char(name[0]):
        return None
    return name[0] + name[2] + name[1]


def v_latin_typo(p: Party, rng: random.Random) -> str | None:
    """One keyboard slip in the given name of the romanised form (swap, drop, double, replace)."""
    if not py.is_han_char(p.names[0][0]):
        return None
    sur, given = roman_words(p.names[0])
    if len(given) < 3:
        return None
    i = rng.randrange(len(given) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        typo = given[:i] + given[i + 1] + given[i] + given[i + 2 :]
    elif kind == "drop":
        typo = given[:i] + given[i + 1 :]
    elif kind == "double":
        typo = given[:i] + given[i] + given[i:]
    else:
        typo = given[:i] + rng.choice(string.ascii_lowercase) + given[i + 1 :]
    if typo == given:
        return None
    return f"{sur.capitalize()} {typo.capitalize()}"


def v_org_short(p: Party, rng: random.Random) -> str | None:
    return p.core if p.kind == "org" else None


def v_org_other_city(p: Party, rng: random.Random) -> str | None:
    return (rng.choice(ORG_REGIONS) + "市" + p.core + "有限公司") if p.kind == "org" else None


def v_org_former(p: Party, rng: random.Random) -> str | None:
    if p.kind != "org" or len(p.names) < 2 or p.names[1] == p.core:
        return None
    return p.names[1]


def v_org_typo(p: Party, rng: random.Random) -> str | None:
    if p.kind != "org":
        return None
    core = org_core(p.names[0])
    if len(core) < 4:
        return None
    i = rng.randrange(len(core))
    typo = core[:i] + rng.choice([c for c in ORG if c != core[i]]) + core[i + 1 :]
    return p.names[0].replace(core, typo) if core in p.names[0] else typo


NAME_VARIANTS: dict[str, tuple[str, Callable[[Party, random.Random], str | None]]] = {
    "spaces": ("person", v_spaces),
    "full_width": ("person", v_full_width),
    "traditional": ("person", v_traditional),
    "pinyin": ("person", v_pinyin),
    "homophone": ("person", v_homophone),
    "fuzzy_sound": ("person", v_fuzzy_sound),
    "char_swap": ("person", v_char_swap),
    "latin_typo": ("person", v_latin_typo),
    "org_short": ("org", v_org_short),
    "org_other_city": ("org", v_org_other_city),
    "org_former": ("org", v_org_former),
    "org_typo": ("org", v_org_typo),
}


def id_variant(p: Party, rng: random.Random) -> str:
    nid = p.id_number
    choice = rng.randrange(4)
    if choice == 1:
        return nid.lower()
    if choice == 2:
        return f"{nid[:6]} {nid[6:14]} {nid[14:]}"
    if choice == 3 and p.kind == "person" and nid[6:8] == "19":
        return nid[:6] + nid[8:17]  # old 15-digit form
    return nid


@dataclass
class Query:
    label: str
    kind: str
    names: list[str]
    id_number: str | None
    target: str


def make_queries(parties: list[Party], per_variant: int, n_ids: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    persons = [p for p in parties if p.kind == "person"]
    orgs = [p for p in parties if p.kind == "org"]
    queries: list[Query] = []
    for label, (kind, fn) in NAME_VARIANTS.items():
        pool = persons if kind == "person" else orgs
        made, tries = 0, 0
        while made < per_variant and tries < per_variant * 50:
            tries += 1
            p = rng.choice(pool)
            text = fn(p, rng)
            if text:
                queries.append(Query(label, kind, [text], None, p.ref))
                made += 1
    for _ in range(n_ids):
        p = rng.choice(parties)
        queries.append(Query("id_number", p.kind, [], id_variant(p, rng), p.ref))
    return queries


# --- database -----------------------------------------------------------------------


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "temp_store=MEMORY",
            "cache_size=-1000000",
            "mmap_size=4000000000",
        ):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    return engine


def records(parties: list[Party]) -> Iterator[PartyRecord]:
    for p in parties:
        yield PartyRecord(p.ref, p.kind, p.names, p.id_number, p.names[0])  # type: ignore[arg-type]


def build(engine: Engine, index: ConflictIndex, md: MetaData, parties: list[Party]) -> dict[str, float]:
    """Bulk load: create the table, drop its indexes, insert in batches, re-create the indexes."""
    md.create_all(engine)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for ix in index.table.indexes:
            ix.drop(conn)
        rows = index.add_many(conn, records(parties))
    t1 = time.perf_counter()
    with engine.begin() as conn:
        for ix in index.table.indexes:
            ix.create(conn)
        conn.exec_driver_sql("ANALYZE")
    t2 = time.perf_counter()
    return {"rows": rows, "insert_s": t1 - t0, "index_s": t2 - t1}


# --- naive full scan ------------------------------------------------------------------


class NaiveScan:
    """What one would write without an index: rapidfuzz over every stored name, linear ID compare."""

    def __init__(self, parties: list[Party]) -> None:
        self.refs: list[str] = []
        self.choices: list[str] = []
        for p in parties:
            for name in p.names:
                norm = normalise_name(name)
                self.refs.append(p.ref)
                self.choices.append(norm)
                if p.kind == "person" and all(py.is_han_char(c) for c in norm):
                    self.refs.append(p.ref)  # pinyin spelling too, for romanised queries
                    self.choices.append("".join(py.han_syllables(norm, 1)[0]))
        self.ids = [(p.id_number, p.ref) for p in parties]

    def search(self, q: Query) -> set[str]:
        """Cut-off 66 for Han names (one character of three), 80 for romanised ones."""
        from plugins.legal_aid.conflict.normalise import normalise_id

        found: set[str] = set()
        nid = normalise_id(q.id_number)
        if nid:
            found.update(ref for i, ref in self.ids if i == nid)
        for name in q.names:
            norm = normalise_name(name)
            cutoff = 66.0
            if all("a" <= c <= "z" for c in norm):
                norm, cutoff = py.latin_letters(name), 80.0
            for _, _, idx in process.extract(
                norm, self.choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                found.add(self.refs[idx])
        return found


# --- date of birth: precision as well as recall (WAVE2) ------------------------------------

STRONG = 93.0  # the identity tier (ID, same name, alias; a date-corroborated name is 96)
MIN_SCORE = 60.0  # the programme default (rules.conflict.min_score): below it only the review tier shows


def _birth_of(p: Party) -> str:
    n = p.id_number
    return f"{n[6:10]}-{n[10:12]}-{n[12:14]}"


def birth_date_figures(conn: object, index: ConflictIndex, parties: list[Party], n: int, seed: int) -> None:
    """Labelled queries on person parties, each run with and without the target's date of birth in
    the same run (the baseline), printing recall and precision.

    * ``variant``: a name variant of the target (homophone, fuzzy sound, romanised typo, pinyin), no ID.
    * ``renamed``: a name with no relation to the target's (a new name the index cannot know), with the
      target's date of birth: only the date can find it, in the review tier.
    * ``stranger``: a made-up person (not in the index) with a random date: every hit is false.

    reported = hits at or above min_score (what blocks or asks for a waiver); review = date-alone hits.
    precision = share of reported hits that are the target person; corroborated precision = share of
    the date-corroborated hits that are the target.
    """
    rng = random.Random(seed)
    persons = [p for p in parties if p.kind == "person" and len(p.names[0]) >= 2]
    variants = [NAME_VARIANTS[k][1] for k in ("homophone", "fuzzy_sound", "latin_typo", "pinyin")]
    surnames = surname_dist()
    rows: dict[tuple[str, bool], dict[str, float]] = {}

    def run(label: str, with_dob: bool, cases: list[tuple[str, str, str | None]]) -> None:
        tp = rep = hits_rev = found_rep = found_any = corr = corr_tp = strong = strong_tp = 0
        for name, target, dob in cases:
            hits = index.search(conn, "person", [name], None, limit=None,  # type: ignore[arg-type]
                                birth_date=dob if with_dob else None)
            reported = [h for h in hits if h.score >= MIN_SCORE]
            rep += len(reported)
            tp += sum(h.party_ref == target for h in reported)
            hits_rev += sum(h.rule == "birth_date" for h in hits)
            found_rep += any(h.party_ref == target for h in reported)
            found_any += any(h.party_ref == target for h in hits)
            corr += sum(h.corroborated for h in hits)
            corr_tp += sum(h.corroborated and h.party_ref == target for h in hits)
            strong += sum(h.score >= STRONG for h in hits)
            strong_tp += sum(h.score >= STRONG and h.party_ref == target for h in hits)
        k = max(1, len(cases))
        rows[(label, with_dob)] = {
            "n": len(cases), "recall": found_rep / k, "recall_review": found_any / k,
            "precision": tp / rep if rep else float("nan"), "reported": rep / k, "review": hits_rev / k,
            "corr_precision": corr_tp / corr if corr else float("nan"), "corr": corr / k,
            "strong_recall": strong_tp / k, "strong_precision": strong_tp / strong if strong else float("nan")}

    variant_cases: list[tuple[str, str, str | None]] = []
    while len(variant_cases) < n:
        p = rng.choice(persons)
        text = rng.choice(variants)(p, rng)
        if text:
            variant_cases.append((text, p.ref, _birth_of(p)))
    known = {p.names[0] for p in persons}
    renamed: list[tuple[str, str, str | None]] = []
    strangers: list[tuple[str, str, str | None]] = []
    while len(renamed) < n:
        name = person_name(rng, surnames) + rng.choice("琮璟瑄")  # rare third character: a name nobody has
        if name in known:
            continue
        p = rng.choice(persons)
        renamed.append((name, p.ref, _birth_of(p)))
        strangers.append((name, "none", f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    for label, cases in (("variant", variant_cases), ("renamed", renamed), ("stranger", strangers)):
        for with_dob in (False, True):
            run(label, with_dob, cases)
    print()
    print("date of birth in the search (person parties; baseline = the same queries without the date, same run):")
    print(f"{'queries':<10}{'dob':>5}{'n':>5}{'recall':>8}{'+review':>9}{'precision':>11}{'reported':>10}"
          f"{'review':>8}{'corr.':>7}{'corr.prec':>10}{'rec>=93':>9}{'prec>=93':>10}")
    for (label, with_dob), r in rows.items():
        print(f"{label:<10}{'yes' if with_dob else 'no':>5}{r['n']:>5.0f}{r['recall']:>8.3f}{r['recall_review']:>9.3f}"
              f"{r['precision']:>11.3f}{r['reported']:>10.2f}{r['review']:>8.1f}{r['corr']:>7.2f}"
              f"{r['corr_precision']:>10.3f}{r['strong_recall']:>9.3f}{r['strong_precision']:>10.3f}")
    print("  recall: target among reported hits (>= min_score); +review: also counting the date-alone review tier;")
    print("  precision: reported hits that are the target; reported/review/corr.: hits per query; rec/prec>=93: the")
    print("  identity tier (a date-corroborated name joins it at 96)")


# --- reporting -------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def neighbour_density(parties: list[Party], sample: int, seed: int) -> tuple[float, float, float]:
    """How many stored 3-char names are one *arbitrary* character away from a 3-char name.

    This is the number of near-spelling hits a plain "one character wrong"
    rule would report for a clean query, and why the index does not use it.
    Also returns how many are one *fuzzy-sound* character away (the rule used).
    """
    rng = random.Random(seed)
    names = [
        p.names[0]
        for p in parties
        if p.kind == "person" and len(p.names[0]) == 3 and all(py.is_han_char(c) for c in p.names[0])
    ]
    stored = Counter(names)
    uniq = list(stored)
    counts: list[int] = []
    for q in rng.sample(names, min(sample, len(names))):
        res = process.extract(q, uniq, scorer=Hamming.distance, score_cutoff=1, limit=None)
        counts.append(sum(stored[r[0]] for r in res if r[1] == 1))
    fuzzy_keys = Counter(py.fuzzy_key(py.han_syllables(n, 1)[0]) for n in names)
    fz = [
        fuzzy_keys[py.fuzzy_key(py.han_syllables(q, 1)[0])] - stored[q]
        for q in rng.sample(names, min(sample, len(names)))
    ]
    return statistics.mean(counts), pct([float(c) for c in counts], 99), statistics.mean(fz)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parties", type=int, default=1_000_000)
    ap.add_argument("--per-variant", type=int, default=100, help="queries per name-variant kind")
    ap.add_argument("--ids", type=int, default=300, help="ID-number queries")
    ap.add_argument("--naive-sample", type=int, default=100, help="queries also run through the naive scan")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file and print its path")
    ap.add_argument(
        "--db",
        type=Path,
        help="SQLite file to build and keep; if it already holds an index built with the same "
        "--parties and --seed (and unchanged key code), the build is skipped",
    )
    ap.add_argument("--show-misses", type=int, default=0, help="print up to N missed name variants")
    ap.add_argument("--dob", type=int, default=300, help="queries per date-of-birth set (precision and recall)")
    args = ap.parse_args(argv)

    # Millions of long-lived objects: the cyclic GC would re-scan them on every
    # generation-0 overflow and make generation quadratic.  Nothing here is cyclic.
    gc.disable()
    tmp = Path(tempfile.mkdtemp(prefix="conflict_bench_"))
    db = args.db or tmp / "conflict.sqlite"
    args.keep = args.keep or args.db is not None
    reuse = db.exists() and db.stat().st_size > 0
    print(
        f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock figures include contention)"
    )
    print(f"parties: {args.parties:,}  sqlite: {'kept at ' + str(db) if args.keep else 'temporary file'}")

    t0 = time.perf_counter()
    parties = generate(args.parties, args.seed)
    t_gen = time.perf_counter() - t0
    n_org = sum(p.kind == "org" for p in parties)
    print(f"generated in {t_gen:.1f} s ({n_org:,} organisations)")
    common = Counter(p.names[0] for p in parties if p.kind == "person").most_common(3)
    print(
        "commonest names: "
        + ", ".join(f"{n} x{c:,}" for n, c in common)
        + "  (for scale: 张伟, the commonest name in China, is borne by about 0.02 % of people)"
    )

    engine = sqlite_engine(db)
    md = MetaData()
    index = ConflictIndex(md, batch_size=20_000)
    if reuse:
        with engine.connect() as conn:
            n_rows = conn.execute(select(func.count()).select_from(index.table)).scalar_one()
        print(f"index: reusing {db.name} ({n_rows:,} key rows)")
    else:
        b = build(engine, index, md, parties)
        size = db.stat().st_size / 2**20
        print(
            f"index: {b['rows']:,} key rows ({b['rows'] / len(parties):.1f}/party), "
            f"insert {b['insert_s']:.1f} s, "
            f"create indexes {b['index_s']:.1f} s, file {size:,.0f} MiB"
        )
    with engine.connect() as conn:
        per_kind = dict(
            conn.execute(select(index.table.c.key_kind, func.count()).group_by(index.table.c.key_kind)).all()
        )
    print("rows per key kind: " + ", ".join(f"{k}={v:,}" for k, v in sorted(per_kind.items())))

    queries = make_queries(parties, args.per_variant, args.ids, args.seed + 1)
    warm = make_queries(parties, 10, 50, args.seed + 2)
    lat: dict[str, list[float]] = defaultdict(list)  # limit=None: full conflict report
    lat50: dict[str, list[float]] = defaultdict(list)  # limit=50: the API default
    cpu: list[float] = []  # CPU time of this thread (SQLite runs in-process): robust to a busy machine
    cpu50: list[float] = []
    found_all: dict[str, list[bool]] = defaultdict(list)
    found_50: dict[str, list[bool]] = defaultdict(list)
    found_50t: dict[str, list[bool]] = defaultdict(list)
    n_hits: dict[str, list[int]] = defaultdict(list)
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[Query] = []
    with engine.connect() as conn:
        for q in warm:
            index.search(conn, q.kind, q.names, q.id_number)  # type: ignore[arg-type]
        for q in queries:
            t, c = time.perf_counter(), time.thread_time()
            hits = index.search(conn, q.kind, q.names, q.id_number, limit=None)  # type: ignore[arg-type]
            lat[q.label].append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
            pos = next((i for i, h in enumerate(hits) if h.party_ref == q.target), None)
            found_all[q.label].append(pos is not None)
            if pos is None:
                misses.append(q)
            n_hits[q.label].append(len(hits))
            rules[q.label][hits[pos].rule if pos is not None else "MISS"] += 1
            t, c = time.perf_counter(), time.thread_time()
            top = index.search(conn, q.kind, q.names, q.id_number, limit=50)  # type: ignore[arg-type]
            lat50[q.label].append((time.perf_counter() - t) * 1000)
            cpu50.append((time.thread_time() - c) * 1000)
            in_top = any(h.party_ref == q.target for h in top)
            found_50[q.label].append(in_top)
            # Tie-aware: cut only by hits at least as strong (e.g. the 51st of 400 namesakes).
            tied = pos is not None and len(top) == 50 and top[-1].score >= hits[pos].score
            found_50t[q.label].append(in_top or tied)

    def mean(xs: list[bool]) -> float:
        return sum(xs) / max(1, len(xs))

    name_labels = [lbl for lbl in lat if lbl != "id_number"]
    print()
    print(
        "recall = target party among all hits; top50 = among the 50 returned with limit=50; "
        "top50* = same, counting a target cut only by equally strong hits (namesakes) as found."
    )
    print(
        f"{'query kind':<15}{'n':>5}{'recall':>7}{'top50':>7}{'top50*':>7}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'p99@50':>8}{'hits p50':>9}{'max':>6}  rules of the target's hit"
    )
    for label in [*name_labels, "id_number"]:
        print(
            f"{label:<15}{len(found_all[label]):>5}{mean(found_all[label]):>7.3f}{mean(found_50[label]):>7.3f}"
            f"{mean(found_50t[label]):>7.3f}{pct(lat[label], 50):>8.2f}{pct(lat[label], 99):>8.2f}"
            f"{pct(lat50[label], 99):>8.2f}{pct([float(x) for x in n_hits[label]], 50):>9.0f}"
            f"{max(n_hits[label]):>6}  {dict(rules[label].most_common(3))}"
        )
    all_lat = [x for v in lat.values() for x in v]
    all_lat50 = [x for v in lat50.values() for x in v]
    var = [x for lbl in name_labels for x in found_all[lbl]]
    var50 = [x for lbl in name_labels for x in found_50[lbl]]
    var50t = [x for lbl in name_labels for x in found_50t[lbl]]
    ids = found_all["id_number"]
    print()
    print(f"ALL {len(all_lat)} queries ({len(var)} name variants, {len(ids)} ID numbers):")
    print(
        f"  latency, full report (limit=None): p50 {pct(all_lat, 50):.2f} ms, p99 {pct(all_lat, 99):.2f} ms, "
        f"max {max(all_lat):.2f} ms"
    )
    print(
        f"  latency, default limit=50:         p50 {pct(all_lat50, 50):.2f} ms, "
        f"p99 {pct(all_lat50, 99):.2f} ms, "
        f"max {max(all_lat50):.2f} ms"
    )
    print(
        f"  CPU time, full report:             p50 {pct(cpu, 50):.2f} ms, p99 {pct(cpu, 99):.2f} ms; "
        f"limit=50: p50 {pct(cpu50, 50):.2f} ms, p99 {pct(cpu50, 99):.2f} ms"
    )
    print(f"  load average during queries: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"  recall on name variants: {mean(var):.3f} (all hits), {mean(var50):.3f} (top 50), "
        f"{mean(var50t):.3f} (top 50, tie-aware)"
    )
    print(f"  recall on ID numbers:    {mean(ids):.3f}")
    by_ref = {p.ref: p for p in parties} if args.show_misses else {}
    for q in misses[: args.show_misses]:
        print(f"  missed {q.label}: {q.names or q.id_number} -> {by_ref[q.target].names}")

    if args.dob > 0:
        with engine.connect() as conn:
            birth_date_figures(conn, index, parties, args.dob, args.seed + 5)

    # Naive full scan on a sample of the same queries (skipped with --naive-sample 0).
    if args.naive_sample > 0:
        rng = random.Random(args.seed + 3)
        sample = rng.sample(queries, min(args.naive_sample, len(queries)))
        t = time.perf_counter()
        naive = NaiveScan(parties)
        t_naive_build = time.perf_counter() - t
        n_lat: list[float] = []
        i_lat: list[float] = []
        n_cpu: list[float] = []
        i_cpu: list[float] = []
        found: dict[str, list[tuple[bool, bool]]] = {"names": [], "ids": []}
        with engine.connect() as conn:
            for q in sample:
                t, c = time.perf_counter(), time.thread_time()
                got = naive.search(q)
                n_lat.append((time.perf_counter() - t) * 1000)
                n_cpu.append((time.thread_time() - c) * 1000)
                t, c = time.perf_counter(), time.thread_time()
                hits = index.search(conn, q.kind, q.names, q.id_number, limit=None)  # type: ignore[arg-type]
                i_lat.append((time.perf_counter() - t) * 1000)
                i_cpu.append((time.thread_time() - c) * 1000)
                found["ids" if q.label == "id_number" else "names"].append(
                    (q.target in got, any(h.party_ref == q.target for h in hits))
                )

        def rec(which: str, col: int) -> float:
            rows = found[which]
            return sum(r[col] for r in rows) / max(1, len(rows))

        print()
        print(
            f"naive full scan (rapidfuzz.process.extract with fuzz.ratio over {len(naive.choices):,} normalised "
            f"names and pinyin strings in memory, built in {t_naive_build:.1f} s; linear ID compare) "
            f"vs index (limit=None) on the same {len(sample)} queries:"
        )
        print(
            f"{'':<8}{'p50 ms':>9}{'p99 ms':>9}{'CPU p50':>9}{'CPU p99':>9}{'recall names':>14}{'recall IDs':>12}"
        )
        for label, lat_, cpu_, col in (("naive", n_lat, n_cpu, 0), ("index", i_lat, i_cpu, 1)):
            print(
                f"{label:<8}{pct(lat_, 50):>9.2f}{pct(lat_, 99):>9.2f}{pct(cpu_, 50):>9.2f}{pct(cpu_, 99):>9.2f}"
                f"{rec('names', col):>14.3f}{rec('ids', col):>12.3f}"
            )
        print(
            f"index/naive speed-up: wall x{pct(n_lat, 50) / pct(i_lat, 50):.0f} at p50, "
            f"x{pct(n_lat, 99) / pct(i_lat, 99):.0f} at p99; "
            f"CPU x{pct(n_cpu, 50) / pct(i_cpu, 50):.0f} at p50, x{pct(n_cpu, 99) / pct(i_cpu, 99):.0f} at p99"
        )

    mean_n, p99_n, mean_f = neighbour_density(parties, 200, args.seed + 4)
    print()
    print("why arbitrary one-character substitutions are not near spellings for person names:")
    print(
        f"  a stored 3-char name has {mean_n:.0f} stored names one arbitrary character away "
        f"(p99 {p99_n:.0f}),"
    )
    print(f"  but {mean_f:.1f} one fuzzy-pinyin key away (the rule used).")

    engine.dispose()
    if not args.keep:
        db.unlink(missing_ok=True)
    if not any(tmp.iterdir()):
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
