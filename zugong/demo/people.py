"""Synthetic people for the demo city: names, 身份证号, ages, education, occupation, dates.

Everything is drawn from one ``random.Random`` so that a seed gives the same city. The shares
and their reasons are documented in zugong/demo/README.md.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from zugong.core.rules import add_years, make_id_number

#: The demo's "today": every age, joining date and term is computed against it.
REF_DATE = dt.date(2026, 11, 22)

# --- names -----------------------------------------------------------------------------------
# Approximate shares (per mille) of surnames in China (2020 census lists), with the Anhui /
# 皖西 surnames 储 汪 程 鲍 詹 操 桂 檀 raised, and a few compound surnames.
_SURNAMES = (
    "王71 李70 张67 刘51 陈46 杨32 黄24 赵22 吴20 周19 徐15 孙14 马13 朱13 胡12 郭11 何11 林10 "
    "高10 罗9 郑9 梁8 谢7 宋7 唐7 许7 韩6 冯6 邓6 曹6 彭6 曾5 肖5 田5 董5 潘5 袁5 蔡5 蒋5 余5 于5 "
    "杜5 叶4 程6 魏4 苏4 吕4 丁4 任4 卢4 姚4 沈4 钟3 姜3 崔3 谭3 陆3 范3 汪6 廖3 石3 金3 韦2 贾2 "
    "夏2 付2 方3 邹2 熊2 白2 孟2 秦2 邱2 侯2 江2 尹2 薛2 闫2 段2 雷2 龙1 黎1 史1 陶2 贺1 毛1 郝1 "
    "顾1 龚1 邵1 万1 钱1 戴2 严1 孔1 向1 常1 储3 鲍2 詹2 操1 桂1 檀1 查1 章1 汤1 葛1 单1 解1 仇1 "
    "欧阳1 诸葛1 司马1 上官1"
)
SURNAMES: tuple[str, ...] = tuple(s.rstrip("0123456789") for s in _SURNAMES.split())
SURNAME_WEIGHTS: tuple[int, ...] = tuple(int(s[len(s.rstrip("0123456789")):]) for s in _SURNAMES.split())

# Given-name characters by gender and generation (born before 1965, 1965–1989, 1990 and later).
_GIVEN = {
    ("1", 0): "国建华明德志永福军平成文林忠金生春海学发家传保清宏新长玉贵和义俊启正",
    ("1", 1): "伟勇强军杰涛斌波辉刚磊鹏峰超明亮俊飞华东健林晓宇龙兵松学文进荣",
    ("1", 2): "浩宇轩子晨博文泽睿然鑫俊航一天凯昊阳逸铭哲杰宁豪奕泓煜楷瑞辰",
    ("2", 0): "秀英兰珍芳玉凤桂华梅琴云翠霞春荣淑素爱美莲巧菊香琼",
    ("2", 1): "丽静敏燕娟艳红霞莉萍玲琳芳婷慧洁雪倩晶丹颖蕾璐薇",
    ("2", 2): "欣怡雨萱梓涵佳诗琪悦思可馨妍婧彤雅月晴蕊瑶若希语",
}


def person_name(rng: random.Random, gender: str, birth_year: int) -> str:
    """A plausible Chinese name for a person of ``gender`` ("1"/"2") born in ``birth_year``."""
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    era = 0 if birth_year < 1965 else 1 if birth_year < 1990 else 2
    pool = _GIVEN[(gender, era)]
    single = 0.30 if era == 1 else 0.18
    if len(surname) == 2 or rng.random() < single:
        return surname + rng.choice(pool)
    a, b = rng.sample(pool, 2)
    return surname + a + b


# --- 身份证号 ----------------------------------------------------------------------------------
#: Current county codes (GB/T 2260) → the 六安地区 code (3424xx) under which people born before
#: about 1985 were first registered. 金安/裕安 were the county-level 六安市 (342401); 叶集 was
#: part of 霍邱县 (342423 before 2000, 341522 until 叶集区 was set up in 2015).
OLD_AREA_CODE = {
    "341502": "342401", "341503": "342401", "341504": "342423", "341522": "342423",
    "341523": "342425", "341524": "342426", "341525": "342427",
}
OLD_CODE_BEFORE = 1985


def area_code_for(county: str, birth: dt.date) -> str:
    """The 6-digit address code of a person born in ``county`` on ``birth``."""
    if birth.year < OLD_CODE_BEFORE:
        return OLD_AREA_CODE[county]
    if county == "341504" and birth.year < 2016:
        return "341522"
    return county


class IdNumbers:
    """Makes unique valid 身份证号 (GB 11643-1999) for the demo; remembers the numbers used."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, county: str, birth: dt.date, gender: str) -> str:
        """A new number for a person born in ``county`` on ``birth``; odd sequence = male."""
        area = area_code_for(county, birth)
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if gender == "1" else 0)
            number = make_id_number(area, birth, seq)
            if number not in self.used:
                self.used.add(number)
                return number


# --- member profiles by segment ---------------------------------------------------------------
AGE_BANDS = ((18, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, 92))
EDUCATION_CODES = ("10", "20", "30", "40", "60", "70", "80", "90")
OCCUPATION_CODES = ("01", "02", "03", "04", "05", "06", "07", "08")


@dataclass(frozen=True)
class Segment:
    """Who the members of one kind of branch are: weights over age bands, education (by age
    group <40 / 40–59 / 60+), occupation, the share of women and of probationary joiners."""

    key: str
    share: float  # of all members at scale 1
    women: float
    ages: tuple[int, ...]
    education: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
    occupation: tuple[int, ...]
    farmers_keep_working: bool = False


_ORGAN_EDU = ((14, 72, 12, 1, 1, 0, 0, 0), (7, 60, 26, 4, 3, 0, 0, 0), (2, 30, 30, 12, 18, 8, 0, 0))
SEGMENTS: dict[str, Segment] = {s.key: s for s in (
    Segment("village", 0.45, 0.20, (6, 5, 5, 6, 8, 9, 10, 51),
            ((1, 22, 30, 8, 19, 20, 0, 0), (0, 5, 12, 7, 24, 44, 8, 0), (0, 1, 3, 4, 14, 46, 28, 4)),
            (8, 60, 2, 3, 0, 1, 14, 12), farmers_keep_working=True),
    Segment("community", 0.11, 0.40, (6, 5, 5, 6, 6, 8, 9, 55),
            ((3, 40, 32, 5, 12, 8, 0, 0), (1, 15, 22, 10, 26, 24, 2, 0), (0, 6, 14, 10, 26, 30, 12, 2)),
            (10, 2, 8, 10, 0, 1, 24, 45)),
    Segment("town_organ", 0.02, 0.25, (16, 14, 13, 14, 14, 14, 15, 0), _ORGAN_EDU, (0, 0, 0, 0, 1, 0, 0, 0)),
    Segment("county_organ", 0.045, 0.30, (14, 13, 13, 14, 15, 16, 15, 0), _ORGAN_EDU, (0, 0, 0, 0, 1, 0, 0, 0)),
    Segment("city_organ", 0.02, 0.32, (12, 13, 14, 15, 15, 16, 15, 0),
            ((24, 68, 7, 1, 0, 0, 0, 0), (12, 62, 22, 2, 2, 0, 0, 0), (4, 40, 30, 10, 12, 4, 0, 0)),
            (0, 0, 0, 0, 1, 0, 0, 0)),
    Segment("retired", 0.03, 0.25, (0, 0, 0, 0, 0, 0, 5, 95),
            ((2, 25, 22, 14, 20, 14, 3, 0),) * 3, (0, 0, 0, 0, 0, 0, 0, 1)),
    Segment("school", 0.08, 0.55, (18, 14, 14, 14, 13, 14, 13, 0),
            ((12, 76, 10, 2, 0, 0, 0, 0), (5, 70, 22, 3, 0, 0, 0, 0), (2, 50, 38, 10, 0, 0, 0, 0)),
            (3, 0, 85, 12, 0, 0, 0, 0)),
    Segment("student", 0.025, 0.55, (1, 0, 0, 0, 0, 0, 0, 0), ((4, 90, 6, 0, 0, 0, 0, 0),) * 3,
            (0, 0, 0, 0, 0, 1, 0, 0)),
    Segment("hospital", 0.06, 0.60, (20, 16, 15, 14, 12, 12, 11, 0),
            ((10, 60, 24, 6, 0, 0, 0, 0), (6, 52, 30, 12, 0, 0, 0, 0), (2, 40, 30, 28, 0, 0, 0, 0)),
            (8, 0, 80, 12, 0, 0, 0, 0)),
    Segment("soe", 0.075, 0.25, (14, 13, 13, 13, 14, 15, 13, 5),
            ((4, 45, 28, 10, 8, 5, 0, 0), (2, 30, 28, 14, 16, 10, 0, 0), (1, 15, 22, 16, 26, 20, 0, 0)),
            (32, 0, 25, 38, 0, 0, 0, 5)),
    Segment("nonpublic", 0.065, 0.30, (28, 20, 17, 13, 10, 7, 4, 1),
            ((2, 32, 28, 12, 16, 10, 0, 0), (1, 18, 22, 14, 25, 20, 0, 0), (0, 10, 15, 15, 30, 30, 0, 0)),
            (30, 0, 22, 33, 0, 0, 15, 0)),
    Segment("social", 0.02, 0.45, (20, 15, 14, 13, 12, 11, 9, 6),
            ((3, 40, 26, 10, 12, 9, 0, 0), (2, 25, 25, 14, 20, 14, 0, 0), (1, 20, 20, 15, 24, 20, 0, 0)),
            (0, 0, 35, 30, 0, 0, 35, 0)),
)}

#: Ethnic minorities among members (Anhui is over 99% Han; 回族 is the largest minority).
MINORITY_SHARE = 0.008
MINORITIES = (("03", 60), ("11", 10), ("08", 7), ("06", 6), ("15", 6), ("02", 4), ("07", 3), ("09", 2), ("12", 2))

_WORK_AGE = {"10": 25, "20": 22, "30": 21, "40": 18, "60": 18, "70": 16, "80": 16, "90": 16}


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A uniform date in [start, end] (start when end < start)."""
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, span)) if span > 0 else start


def birth_for_age(rng: random.Random, age: int) -> dt.date:
    """A birth date such that the person is ``age`` full years old on REF_DATE."""
    latest = add_years(REF_DATE, -age)
    return random_date(rng, add_years(REF_DATE, -age - 1) + dt.timedelta(days=1), latest)


@dataclass
class MemberDraft:
    """One synthetic member before it is written: person fields and membership facts."""

    name: str
    id_number: str
    gender: str
    ethnicity: str
    birth: dt.date
    native_place: str
    education: str
    degree: str
    work_start: dt.date | None
    occupation: str
    joined: dt.date
    confirmed: dt.date | None


def draw_age(rng: random.Random, seg: Segment) -> int:
    """An age on REF_DATE drawn from the segment's age-band weights."""
    if seg.key == "student":
        return rng.randint(19, 23)
    lo, hi = rng.choices(AGE_BANDS, seg.ages)[0]
    if hi > 80:  # 61+: fewer people at each higher age
        return min(lo + int(rng.expovariate(1 / 9)), 95)
    return rng.randint(lo, hi)


def draw_member(rng: random.Random, ids: IdNumbers, seg: Segment, county: str) -> MemberDraft:
    """Draw one member of segment ``seg`` registered in ``county`` (6-digit code).

    Guarantees: joining at 18 or later; confirmation about a year after joining and before
    REF_DATE (probationary members joined within the year before REF_DATE); work start at the
    schooling-dependent age and before REF_DATE; retirees 55+; students 19–23.
    """
    age = draw_age(rng, seg)
    gender = "2" if rng.random() < seg.women else "1"
    birth = birth_for_age(rng, age)
    group = 0 if age < 40 else 1 if age < 60 else 2
    education = rng.choices(EDUCATION_CODES, seg.education[group])[0]
    occupation = rng.choices(OCCUPATION_CODES, seg.occupation)[0]
    if occupation == "08" and age < 55:
        occupation = "07" if seg.key == "community" else "01"
    if occupation == "06" and age > 24:
        occupation = "07"
    if age >= 61 and occupation not in ("02", "07", "08"):
        occupation = "08"
    if occupation == "02" and age >= 70 and not seg.farmers_keep_working:
        occupation = "08"
    degree = "0"
    if education == "10":
        degree = "2" if rng.random() < 0.08 else "3"
    elif education == "20" and seg.key != "student" and rng.random() < 0.85:
        degree = "4"
    work_start = None
    if occupation not in ("02", "06"):
        work_start = add_years(birth, _WORK_AGE[education] + rng.randint(0, 2))
        work_start = random_date(rng, work_start, work_start + dt.timedelta(days=200))
        if work_start > REF_DATE:  # too young for the usual age of that education: not recorded (was a pile on REF_DATE)
            work_start = None
    # Joining: probationary members joined within the last year, mostly young.
    p_prob = 0.35 if seg.key == "student" else 0.17 if age <= 35 else 0.04 if age <= 45 else 0.0
    earliest = add_years(birth, 18)
    latest_full = REF_DATE - dt.timedelta(days=365 + 60)
    if earliest > latest_full or rng.random() < p_prob:
        joined = random_date(rng, max(earliest, REF_DATE - dt.timedelta(days=364)), REF_DATE - dt.timedelta(days=1))
        confirmed = None
    else:
        join_age = min(int(rng.triangular(18, 46, 24)), age)
        joined = random_date(rng, add_years(birth, join_age), add_years(birth, join_age + 1))
        joined = min(max(joined, earliest), latest_full)
        confirmed = add_years(joined, 1) + dt.timedelta(days=rng.randint(0, 45))  # a full year: 365 days may not be one
    ethnicity = "01"
    if rng.random() < MINORITY_SHARE:
        ethnicity = rng.choices([c for c, _ in MINORITIES], [w for _, w in MINORITIES])[0]
    return MemberDraft(
        name=person_name(rng, gender, birth.year), id_number=ids.make(county, birth, gender), gender=gender,
        ethnicity=ethnicity, birth=birth, native_place=county, education=education, degree=degree,
        work_start=work_start, occupation=occupation, joined=joined, confirmed=confirmed,
    )
