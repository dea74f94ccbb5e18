"""Deadlines in a task sentence, resolved against the document's date.

Forms: explicit dates (2023年6月30日前, (今年)6月底前, 9月份, 2023年底前, 到2027年, 2027年前 = by the
end of 2026, 2026年上半年, 2026年第三季度), 今年/今年内/年内/年底前, 明年/今明两年, 明年上半年/明年下半年/
明年一季度 (the end of that half or quarter of the next year, not of the year), 上半年/下半年,
年中, 一季度…四季度, (本)月底前, 下月, 半年内, N个月内, N年内, N天内, 到2026年底, recurring 每季度末
(due: the end of the current period), holidays “七一”前/国庆前 (the next such day; 春节 stays
undated), and 全年 when no other time phrase is written; vague ones (近期, 尽快) are kept
as text with no date. The resolved date is the last day the task may be done.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .targets import cn_number

_N = r"(\d+|[一二两三四五六七八九十]+)"
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?"), "ymd"),
    (re.compile(r"(20\d{2})年(\d{1,2})月起"), "ym_from"),
    (re.compile(r"(20\d{2})年(\d{1,2})月(?:底|末)?(?:前|之前|以前)?"), "ym"),
    (re.compile(r"(20\d{2})年(上|下)半年"), "y_half"),
    (re.compile(r"(20\d{2})年(?:第)?([一二三四1-4])季度(?:末|底)?(?:前)?"), "y_quarter"),
    (re.compile(r"(?:到|至|截至)?(20\d{2})年(?:底|末)(?:前|之前|以前)?|(20\d{2})年内|到(20\d{2})年(?![\d底末前])"), "y"),
    (re.compile(r"(20\d{2})年(?:前|之前|以前)"), "before_year"),
    (re.compile(r"“?(十[一二三四五六七八九]|[二三四五六七八九])五”?(?:时期|期)?(?:末|期末)(?:前)?"), "plan_end"),
    (re.compile(r"(?<!\d)(?:今年|每年)?(\d{1,2})月(\d{1,2})日(?:前|之前|以前)"), "md"),
    (re.compile(
        r"(?<![\d一二三四五六七八九十个])(?<!\d年)(?:今年|每年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:底|末|份)(?:前|之前|以前)?(?!以来)"
    ), "m"),
    (re.compile(r"(?:本月|当月)(?:底|末|内)(?:前)?|(?<![\d年上下个])月底前"), "this_month"),
    (re.compile(r"下月(?:底|末|内)?(?:前)?"), "next_month"),
    (re.compile(r"年中(?:前|之前)?"), "mid_year"),
    (re.compile(r"今明两年"), "next_year"),
    (re.compile(r"半年内|半年之内|半年时间"), "half"),
    (re.compile(rf"{_N}个月(?:内|之内|时间)"), "months"),
    (re.compile(rf"{_N}年(?:内|之内|时间)"), "years"),
    (re.compile(rf"{_N}(?:天|日)(?:内|之内)"), "days"),
    (re.compile(r"(?:今年|本年度?)?(?:第?([一二三四1-4])季度)(?:末|底)?(?:前)?"), "quarter"),
    (re.compile(r"(?:今年)?上半年"), "h1"),
    (re.compile(r"(?:今年)?下半年"), "h2"),
    (re.compile(r"明年(上|下)半年(?:末|底)?(?:前)?"), "next_half"),
    (re.compile(r"明年(?:第)?([一二三四1-4])季度(?:末|底)?(?:前)?"), "next_quarter"),
    (re.compile(r"明年(?:年中|6月底)(?:前)?"), "next_mid_year"),
    (re.compile(r"明年(?:底|年底)?(?:前)?"), "next_year"),
    (re.compile(r"今年(?:底|年底)(?:前|之前)?|(?:今|本)年(?:内|之内|度内)|今年|年内|年底前|到年底|年底"), "this_year"),
    (re.compile(r"“?(七一|五一|十一|国庆(?:节)?|元旦|春节|五四|建党节)”?(?:前|之前|以前)"), "holiday"),
    (re.compile(r"每(季度|月|半年|年)(?:末|底)(?:前)?"), "recurring"),
    (re.compile(r"近期|尽快|及早|限期"), "vague"),
]
#: A year phrase followed in its clause by these words names the topic, not a deadline.
_TOPIC = re.compile(
    r"[^，。；：]{0,20}(?:总体要求|主要任务|指导思想|总体思路|工作思路|基本思路|总体考虑|总体安排|总体目标|目标任务是)|"
    r"[^，。；：]{0,16}的[^，。；：]{2,8}是[：:，,]"
)
#: "做好今年人才工作" / "部署今年重点任务": the year qualifies the work being talked about.
_TOPIC_BEFORE = re.compile(r"(?:做好|抓好|谋划|部署|安排部署|推进|完成好|落实好)$")
_TOPIC_AFTER = re.compile(r"^(?:全[县市区镇])?[^，。；：\d]{0,6}?(?:工作|任务)(?:各项任务)?(?:[，。；、]|$)")
#: Fixed dates of the holidays by which work is often due (月, 日); 春节 moves and stays undated.
_HOLIDAYS = {"七一": (7, 1), "建党节": (7, 1), "五一": (5, 1), "五四": (5, 4), "十一": (10, 1), "国庆": (10, 1),
             "国庆节": (10, 1), "元旦": (1, 1)}
#: "全年" (= within the document's year) is the deadline only when no other time phrase is
#: written: in "6月底前完成轮训，全年培训3000人次" the main action's deadline is 6月底前.
_WHOLE_YEAR = re.compile(r"全年")


@dataclass
class Deadline:
    """A deadline: the ``text`` as written, its span, and the resolved ``due`` date (or None)."""

    text: str
    start: int
    end: int
    due: date | None


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def resolve(kind: str, m: re.Match, doc_date: date | None) -> date | None:
    """The due date for a matched deadline pattern, relative to ``doc_date`` where needed."""
    if kind == "ymd":
        return date(int(m[1]), int(m[2]), int(m[3]))
    if kind == "ym_from":  # "2026年10月起": a start, written as is; due the first day of that month
        return date(int(m[1]), int(m[2]), 1)
    if kind == "ym":
        return _month_end(int(m[1]), int(m[2]))
    if kind == "y":
        return date(int(m[1] or m[2] or m[3]), 12, 31)
    if kind == "y_half":
        return date(int(m[1]), 6, 30) if m[2] == "上" else date(int(m[1]), 12, 31)
    if kind == "y_quarter":
        q = "一二三四".index(m[2]) + 1 if m[2] in "一二三四" else int(m[2])
        return _month_end(int(m[1]), 3 * q)
    if kind == "before_year":
        return date(int(m[1]) - 1, 12, 31)
    if kind == "plan_end":  # the N-th five-year plan ends in 1955 + 5N (“十四五” 2021–2025)
        return date(1955 + 5 * int(cn_number(m[1])), 12, 31)
    if doc_date is None:
        return None
    y = doc_date.year
    if kind == "md":
        return date(y, int(m[1]), int(m[2]))
    if kind == "m":
        due = _month_end(y, int(cn_number(m[1])))
        if m.group(0).startswith("每年") and due < doc_date:
            return _month_end(y + 1, int(cn_number(m[1])))  # recurring: the next one
        return due
    if kind == "this_month":
        return _month_end(y, doc_date.month)
    if kind == "next_month":
        nxt = _add_months(date(y, doc_date.month, 1), 1)
        return _month_end(nxt.year, nxt.month)
    if kind == "mid_year":
        return date(y, 6, 30)
    if kind == "half":
        return _add_months(doc_date, 6)
    if kind == "months":
        return _add_months(doc_date, int(cn_number(m[1])))
    if kind == "years":
        return _add_months(doc_date, 12 * int(cn_number(m[1])))
    if kind == "days":
        return doc_date + timedelta(days=int(cn_number(m[1])))
    if kind == "quarter":
        q = "一二三四".index(m[1]) + 1 if m[1] in "一二三四" else int(m[1])
        return _month_end(y, 3 * q)
    if kind == "h1":
        return date(y, 6, 30)
    if kind in ("h2", "this_year"):
        return date(y, 12, 31)
    if kind == "next_year":
        return date(y + 1, 12, 31)
    if kind == "next_half":
        return date(y + 1, 6, 30) if m[1] == "上" else date(y + 1, 12, 31)
    if kind == "next_quarter":
        q = "一二三四".index(m[1]) + 1 if m[1] in "一二三四" else int(m[1])
        return _month_end(y + 1, 3 * q)
    if kind == "next_mid_year":
        return date(y + 1, 6, 30)
    if kind == "holiday":
        if m[1] not in _HOLIDAYS:
            return None
        month, day = _HOLIDAYS[m[1]]
        due = date(y, month, day)
        return due if due >= doc_date else date(y + 1, month, day)
    if kind == "recurring":  # the end of the current period: the first report is due then
        months = {"月": 1, "季度": 3, "半年": 6, "年": 12}[m[1]]
        end_month = ((doc_date.month - 1) // months + 1) * months
        return _month_end(y, end_month)
    return None


def find_deadline(text: str, base: int = 0, doc_date: date | None = None) -> Deadline | None:
    """The first deadline expression in ``text`` (most explicit pattern wins at equal position)."""
    best = None
    for pat, kind in _PATTERNS:
        for m in pat.finditer(text):
            if kind == "this_year" and re.match(r"今年的|今年是", text[m.start() : m.start() + 3]):
                continue
            if kind == "this_year" and _TOPIC.match(text[m.end() :]):
                continue  # "今年全县党建工作的总体要求是": the year is the topic, not a deadline
            if kind == "this_year" and m.group(0) == "今年" and (
                _TOPIC_BEFORE.search(text[: m.start()]) or _TOPIC_AFTER.match(text[m.end() :])
            ):
                continue  # "做好今年人才工作", "今年重点任务": the work of the year, not a deadline
            cand = (m.start(), -len(m.group(0)), kind, m)
            if best is None or cand[:2] < best[:2]:
                best = cand
            break
    if best is None:
        m = _WHOLE_YEAR.search(text)
        if m is None:
            return None
        return Deadline(text=m.group(0), start=base + m.start(), end=base + m.end(), due=resolve("this_year", m, doc_date))
    _, _, kind, m = best
    return Deadline(text=m.group(0), start=base + m.start(), end=base + m.end(), due=resolve(kind, m, doc_date))
