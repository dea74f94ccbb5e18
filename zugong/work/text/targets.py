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
    "万人次|人次|万人|亿元|万元|平方米|公里|课时|学时|小时|个|名|人|家|项|所|期|批|场|次|支|条|座|户|篇|门|元|天|套|件|处|间|本|堂"
)
TARGET_VERBS = (
    "选聘|选派|遴选|培育|评选|打造|建成|创建|拿出|引进|招聘|招录|组织|培训|轮训|联系|新增|达到|发展|选树|表彰|"
    "举办|开办|推出|储备|选拔|配备|覆盖|实现|完成|建立|培养|吸引|提供|增加|增长|提高|提升|保持|控制|减少|"
    "落实|安排|设立|认定|命名|扶持|资助|帮扶|走访|慰问|整顿|整改|排查|调整|交流|挂职|录用|招引|集聚|建设"
)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
_COUNT = re.compile(
    rf"(?P<pre>至少|不少于|不低于|超过|达到|近)?(?P<num>{_NUM})(?:\s*[—–\-~～至到]\s*(?P<max>{_NUM}))?\s*"
    rf"(?P<unit>{UNITS})(?P<post>左右|以上|以内|以下|余|多)?"
)
_RATIO = re.compile(
    r"(?P<pre>至少|不少于|不低于|超过)?(?:达到|提高到|提升到|保持在)?(?P<num>\d+(?:\.\d+)?)(?:\s*[—–\-~～至到]\s*(?P<max>\d+(?:\.\d+)?))?\s*[%％](?P<post>以上|左右|以内|以下)?"
)
_VERB = re.compile(TARGET_VERBS)
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

    def ok(m: re.Match, prefix: str) -> bool:
        before = masked[m.start() - 1] if m.start() > 0 else ""
        if before in "的第□" or before.isdigit():
            return False
        return bool(_VERB.search(prefix)) or bool(out and re.search(r"[、和及]\s*$", prefix[-2:]))

    for m in _RATIO.finditer(masked):
        prefix = clause_prefix(m.start())
        if masked[m.start() - 1 : m.start()] in ("的", "□"):
            continue
        obj = re.sub(r"^(力争|确保|全市|全县|要|使|让|推动|实现)+", "", prefix)
        obj = re.sub(r"(至少|不少于|不低于|超过)?(新增|达到|增长|提高到?|提升到?|保持在?)?$", "", obj)
        out.append(
            Target(
                value=float(m["num"]),
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
        if num in ("一", "两") and not m["max"] and m["unit"] not in ("万人", "万元", "亿元"):
            continue  # 一批 / 一支 / 两个: article, not a figure
        if re.fullmatch(r"[一二两三四五六七八九十]", num) and m["unit"] in ("个", "条", "项") and not m["pre"]:
            after = masked[m.end() : m.end() + 1]
            if after == "□" or not _VERB.search(clause_prefix(m.start())):
                continue  # "四个常态", "三个一" — names, not figures
        prefix = clause_prefix(m.start())
        if not ok(m, prefix):
            continue
        rest = masked[m.end() :]
        obj_m = re.match(r"[^，；。、：！？,;]{0,16}", rest)
        obj = (obj_m.group(0) if obj_m else "").replace("□", "")
        out.append(
            Target(
                value=cn_number(num),
                max=cn_number(m["max"]) if m["max"] else None,
                unit=m["unit"],
                qualifier=m["pre"] or m["post"],
                object=text[m.end() : m.end() + len(obj_m.group(0))] if obj_m else "",
                start=base + m.start(),
                end=base + m.end(),
                kind="count",
            )
        )
        taken.append((m.start(), m.end()))
    out.sort(key=lambda t: t.start)
    return out
