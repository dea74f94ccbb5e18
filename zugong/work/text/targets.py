"""Quantified targets in a task sentence: counts with units, ratios, ranges, multi-part targets.

A number is a *target* only in a clause that directs an action (选聘/选派/遴选/评选/打造/拿出/
新增/达到/组织/联系 …); numbers inside quotes or book titles (“115”, “选4配1”, “25条”), years,
ordinals and numbers describing an existing thing ("……的20条举措") are not targets.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .structure import _QUOTED

UNITS = (
    "人次|平方米|公里|课时|学时|小时|个工作日|工作日|个月|个百分点|百分点|个|名|人|家|项|所|期|批|场次|场|次|支|条|座|户|篇|门|元|天|套|件|"
    "处|间|本|堂|倍|份|张|部(?![门署分委长队级])|年"
)
"""Units of counted things. A magnitude 万/亿 before the unit multiplies the value (3万名 → 30000
名, 10万元 → 100000 元), as the annotation guideline asks."""
TARGET_VERBS = (
    "选聘|选派|遴选|培育|评选|打造|建成|创建|拿出|引进|招聘|招录|组织|培训|轮训|联系|新增|达到|发展|选树|表彰|"
    "举办|开办|推出|储备|选拔|配备|覆盖|实现|完成|建立|培养|吸引|提供|增加|增长|提高|提升|保持|控制|减少|"
    "落实|安排|设立|认定|命名|扶持|资助|帮扶|走访|慰问|整顿|整改|排查|调整|交流|挂职|录用|招引|集聚|建设|"
    "新建|共建|组建|布局|发放|签约|签订|招募|招收|发布|筹集|宣传|推荐|开展|召开|开设|授予|投入|征集|"
    "轮岗|培树|推送|编印|刊发|拨付|领办|结对|给予|奖励|补贴|压减|压缩|精简|缩减|降低|降至|明确|带动|推动|认领|确定|"
    "指定|吸纳|入库|回引|培训|争取|筹措|统筹|抽调|选调|下派|派驻|充实|储备|推选|发展|创成|选择|选取|收集|"
    "签订|办理|化解|对接|服务|扩大|扩展|扩充|上线|制作|拍摄|摄制|编写|出版|兑现"
)
#: A figure after these words is a cap or a condition of support (每人最高100万元, 最长7天), not a target.
_CAP = re.compile(r"最高|最长|最多|上限|不超过|封顶")
#: "每季度召开1次" / "每半年至少走访一次": a frequency with an explicit count is a target.
_EVERY = re.compile(r"每(?:年|半年|季度|季|月|周|学期|两年|年度)")
_QUALIFIED = ("至少", "不少于", "不低于", "超过", "达到", "不超过", "不高于")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
#: A number: Arabic (1.5, 30) or Chinese, which starts with a digit or 十; a bare 百/千/万 only
#: right before a counted unit ("组织万名干部"), else it is the magnitude of the number before
#: it ("3000余万元").
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十百千万]*|(?<![\d余多])[百千万](?=[名人个家]))"
_COUNT = re.compile(
    rf"(?P<pre>至少|不少于|不低于|不超过|不高于|超过|达到|近)?(?P<num>{_NUM})(?:\s*[—–\-~～至到]\s*(?P<max>{_NUM}))?\s*"
    rf"(?P<approx>余|多)?(?P<mag>万|亿)?(?P<unit>{UNITS})(?P<post>左右|以上|以内|以下|余|多|内)?"
)
_RATIO = re.compile(
    r"(?P<pre>至少|不少于|不低于|不超过|不高于|超过)?(?:达到|提高到|提升到|保持在)?"
    r"(?:(?P<num>\d+(?:\.\d+)?)(?:\s*[—–\-~～至到]\s*(?P<max>\d+(?:\.\d+)?))?\s*[%％]|"
    r"百分之(?P<cn>[一二两三四五六七八九十百]+(?:点[零一二三四五六七八九]+)?))"
    r"(?P<post>以上|左右|以内|以下)?"
)
_VERB = re.compile(TARGET_VERBS)
#: A figure of duration: "时间为3至6个月", "为期两年", "连续发放三年".
_DURATION = re.compile(r"(?:时间为|为期|期限为?|时长为|周期为|连续[\u4e00-\u9fff]{0,2})$")
#: The number of batches work is split into: "分两批组织", "分三期实施".
_BATCHES = re.compile(r"(?<![部充划区评积得百十万千])分$")
_BATCH_UNITS = ("批", "期", "轮")
#: The size of an existing population, not a target: "全县23000余名党员", "辖区5家平台企业".
_POPULATION = re.compile(r"(?:全(?:县|市|区|镇|乡)|辖区内?)(?:现有|共有)?$")
#: "翻一番" doubles (2倍), "翻两番" quadruples (4倍): a multiple written as doublings.
_DOUBLING = re.compile(r"翻(?P<n>[一两二三])番")
_CLAUSE_SEP = re.compile(r"[，；：。！？,;]")


@dataclass
class Target:
    """One quantified target.

    ``value`` (and ``max`` for ranges like 2—3个) as numbers; ``unit`` ('名', '个', '%', …);
    ``qualifier`` 左右/以上/至少/以内/以下/余/多 or None; ``object`` what is counted (best effort);
    ``start``/``end`` the span of the figure in the cleaned text; ``kind`` 'count' | 'ratio'.
    """

    value: float
    unit: str
    qualifier: str | None
    object: str
    start: int
    end: int
    kind: str
    max: float | None = None

    def key(self) -> tuple:
        """(value, max, unit) — what the bench compares."""
        return (float(self.value), None if self.max is None else float(self.max), self.unit)

    def as_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self)


def cn_number(s: str) -> float:
    """Arabic or Chinese numeral to a number ("30" → 30, "十五" → 15, "万" → 10000, "两千" → 2000)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            mult = _CN_UNITS[ch]
            if mult == 10000:
                section = (section + digit) or 1
                total += section * 10000
                section = 0
            else:
                section += (digit or 1) * mult
            digit = 0
    return float(total + section + digit)


def cn_percent(s: str) -> float:
    """The N of a written-out 百分之N ("三十" → 30, "九十五" → 95, "二点五" → 2.5)."""
    whole, _, frac = s.partition("点")
    value = cn_number(whole)
    if frac:
        value += float("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    return value


def _frequency(prefix: str, unit: str) -> str | None:
    """The 每X of a frequency target ("每季度召开1次" → "每季度"), else None."""
    found = _EVERY.findall(prefix) if unit == "次" else []
    return found[-1] if found else None


def _split_requirement(prefix: str) -> str | None:
    """至少/不少于/不低于 written before the verb of the figure ("每人至少认领1个" → "至少")."""
    m = re.search(r"(至少|不少于|不低于)[\u4e00-\u9fff]{1,3}$", prefix)
    return m[1] if m else None


def _batches(masked: str, m: re.Match) -> bool:
    """"分两批组织优秀书记考察学习": the number of batches is the clause's figure. When the clause
    counts something else ("分两批组织200名……研修") the batches are only the manner and not a target."""
    if m["unit"] not in _BATCH_UNITS or not _BATCHES.search(masked[: m.start()]):
        return False
    rest = _CLAUSE_SEP.split(masked[m.end() :], maxsplit=1)[0]
    counted = [c for c in _COUNT.finditer(rest) if not _POPULATION.search(rest[: c.start()])]
    return not counted and not _RATIO.search(rest)  # (a population "对全县1380名干部" is no count)


def _masked(text: str) -> str:
    """Text with quoted/titled stretches replaced by placeholder chars of equal length."""
    return _QUOTED.sub(lambda m: "□" * len(m.group(0)), text)


def find_targets(text: str, base: int = 0) -> list[Target]:
    """Targets in ``text`` (a sentence); spans are ``base`` + offsets into ``text``."""
    masked = _masked(text)
    out: list[Target] = []
    taken: list[tuple[int, int]] = []
    clause_starts = [0] + [m.end() for m in _CLAUSE_SEP.finditer(masked)]

    def clause_prefix(pos: int) -> str:
        start = max(s for s in clause_starts if s <= pos)
        return masked[start:pos]

    def ok(m: re.Match, prefix: str, unit: str) -> bool:
        before = masked[m.start() - 1] if m.start() > 0 else ""
        if before.isdigit() or before == "第" or (before == "的" and unit != "倍" and not m["pre"]):
            return False  # 第三届, "……的20条举措" (but "不低于……的2倍" is a target)
        if _CAP.search(prefix[-8:]) or (_CAP.search(prefix) and re.search(r"[、和]\s*$", prefix)):
            return False  # a cap or a condition of support, and the caps listed after it
        after = masked[m.end() :]
        if re.search(r"(?:总规模|规模|总额|总量)(?:为|达)?$", prefix):
            return True  # a size: "设立总规模三亿元的人才发展基金"
        if re.match(r"(?:左右|以上|以下)?的标准", after):
            return True  # a sizing standard: "按照每个网格300至500户的标准"
        if re.match(r"(?:左右|以上|以下)?的", after) and (m["pre"] or "") not in _QUALIFIED[:3]:
            return False  # an object descriptor: 收入30万元以上的村 (but "不少于5000元的工作经费" is a requirement)
        if re.search(r"(?:^|[^所没])(?:有|具有|满)$", prefix) and re.match(r"[^，；。：□]{0,12}的", after):
            return False  # a relative clause: "有3名以上正式党员的企业", "任职满5年的"
        if _POPULATION.search(prefix) and not m["pre"]:
            return False  # the size of an existing population: "完成全县23000余名党员信息核查"
        if _split_requirement(prefix):
            return True  # "每人至少认领1个岗位": the requirement stands before the verb
        if _DURATION.search(prefix) and unit in ("年", "个月", "天", "小时", "周"):
            return True  # a duration: "时间为3至6个月", "连续发放三年"
        if _batches(masked, m):
            return True  # "分两批组织": the number of batches
        if re.search(r"每(?:期|批|班|轮)(?:学员|参训人员|人数)?$", prefix):
            return True  # the size of each batch: "分4期……，每期3天"
        if re.search(r"(?:^|[^反应面核])对$", prefix) and _VERB.search(masked[m.end() :].split("，")[0].split("。")[0]):
            return True  # the scope of the action that follows: "对5个乡镇和8个县直部门开展专项检查"
        if unit == "倍":
            return bool(re.search("|".join(_QUALIFIED), prefix))
        if _VERB.search(prefix + (m["pre"] or "")):
            return True
        if (m["pre"] or "") in _QUALIFIED[:3] or m["post"] in ("以上", "左右"):
            return True  # 不少于200名, 5家以上: a quantified requirement
        if unit in ("个工作日", "工作日") and m["post"] == "内":
            return True  # a service standard: 30个工作日内拨付到位
        if unit == "次" and _EVERY.search(prefix):
            return True  # a frequency: 每季度召开1次
        clause_start = m.start() - len(prefix)
        return any(clause_start <= t0 < m.start() for t0, _ in taken)  # a later part of a multi-part target

    for m in _RATIO.finditer(masked):
        prefix = clause_prefix(m.start())
        if masked[m.start() - 1 : m.start()] in ("的", "□") and not re.search(r"(?:总数|总量|总额|总人数)的$", prefix):
            continue  # (but "比例不低于新提拔干部总数的40%" is a share of a whole)
        if re.match(r"(?:以上|以下|以内)?的[，,]", masked[m.end() :]):
            continue  # a condition: "对认可度低于70%的，逐一分析原因"
        obj = re.sub(r"^(力争|确保|全市|全县|要|使|让|推动|实现)+", "", prefix)
        obj = re.sub(r"(至少|不少于|不低于|超过)?(新增|达到|增长|提高到?|提升到?|保持在?)?$", "", obj)
        out.append(
            Target(
                value=float(m["num"]) if m["num"] else cn_percent(m["cn"]),
                max=float(m["max"]) if m["max"] else None,
                unit="%",
                qualifier=m["pre"] or m["post"],
                object=obj[-12:],
                start=base + m.start(),
                end=base + m.end(),
                kind="ratio",
            )
        )
        taken.append((m.start(), m.end()))
    for m in _COUNT.finditer(masked):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        num = m["num"]
        if num in ("一", "两") and not m["max"] and not m["mag"]:
            frequency = m["unit"] == "次" and _EVERY.search(clause_prefix(m.start()))
            staffing = m["unit"] in ("名", "人", "期", "场") and re.search(rf"(?:{TARGET_VERBS})(?:至少|不少于)?$", masked[: m.start()])
            required = (m["pre"] or "") in _QUALIFIED[:3] or m["post"] in ("以上", "左右")  # 不少于两天, 两家以上
            batches = _batches(masked, m)  # 分两批组织
            if not (frequency or staffing or required or batches):
                continue  # 一批 / 一支 / 两个 / 开展一次: article, not a figure (but 选派两名, 配备一名)
        if re.fullmatch(r"[一二两三四五六七八九十]", num) and m["unit"] in ("个", "条", "项") and not m["pre"]:
            after = masked[m.end() : m.end() + 1]
            if after == "□" or not _VERB.search(clause_prefix(m.start())):
                continue  # "四个常态", "三个一" — names, not figures
        prefix = clause_prefix(m.start())
        if m["unit"] == "年" and not m["pre"] and not (_DURATION.search(prefix) and len(num) < 4):
            continue  # 2026年, 满5年: a year or a condition; "不少于1年", "连续发放三年" are duration targets
        if m["post"] == "内" and m["unit"] not in ("个工作日", "工作日"):
            continue  # "7天内" is a deadline, not a target
        if not ok(m, prefix, m["unit"]):
            continue
        mag = {"万": 10000, "亿": 100000000}.get(m["mag"] or "", 1)
        rest = masked[m.end() :]
        obj_m = re.match(r"[^，；。、：！？,;]{0,16}", rest)
        obj = (obj_m.group(0) if obj_m else "").replace("□", "")
        out.append(
            Target(
                value=cn_number(num) * mag,
                max=cn_number(m["max"]) * mag if m["max"] else None,
                unit=m["unit"],
                qualifier=(
                    m["pre"] or m["approx"] or m["post"] or _frequency(prefix, m["unit"]) or _split_requirement(prefix)
                ),
                object=text[m.end() : m.end() + len(obj_m.group(0))] if obj_m else "",
                start=base + m.start(),
                end=base + m.end(),
                kind="count",
            )
        )
        taken.append((m.start(), m.end()))
    for m in _DOUBLING.finditer(masked):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        n = {"一": 1, "两": 2, "二": 2, "三": 3}[m["n"]]
        out.append(
            Target(value=float(2**n), unit="倍", qualifier=None, object=clause_prefix(m.start())[-12:],
                   start=base + m.start(), end=base + m.end(), kind="count")
        )
    out.sort(key=lambda t: t.start)
    return out
