"""Deadlines in a task sentence, resolved against the document's date.

Forms: explicit dates (2023年6月30日前, (今年)6月底前, 9月份, 2023年底前, 到2027年, 2027年前 = by the
end of 2026, 2026年上半年, 2026年第三季度), 今年/今年内/年内/年底前, 明年/今明两年, 明年上半年/明年下半年/
明年一季度 (the end of that half or quarter of the next year, not of the year), 上半年/下半年,
年中, 一季度…四季度, (本)月底前, 下月, 半年内, N个月内, N年内, N天内, 到2026年底, recurring 每季度末
(due: the end of the current period), holidays “七一”前/国庆前 (the next such day), and 全年 when no
other time phrase is written; vague ones (近期, 尽快) are kept as text with no date. The resolved date
is the last day the task may be done.

Round 9, the spoken forms of a 镇/村 speech: 月底前 (this month), 下个月/下月 (next month's end),
下个月10号前, 下个月中旬, 12月下旬, 12月1日起 (a start: due that day), 两周内/一周内/半个月内, 次年2月底前,
每季度末月25日前, and the lunar ones read from :data:`SPRING_FESTIVAL`: 年前/春节前 (the day before
春节), 腊月二十前, 春节期间 (the seven-day holiday). A start followed by a period ("12月上旬开始，一个月内
全部结束") gives the period counted from the start; 任职3个月内 (counted from an event) stays undated.

A plan for next year ("2027年金安区组织工作要点" dated 2026-12-01) reads its year-relative phrases in the
year it plans for (``year``, see :func:`~.structure.plan_year`): 年底前 is 2027-12-31 there, not 2026-12-31.
A month written without a year in a document that plans no other year (3月底前, 3月15日前, 3月下旬, 3月1日起)
is the one nearest the document date: next March for a notice of 10 December, not a March 8 months past.
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
    (re.compile(r"(?<!\d)(?:今年|每年)?(\d{1,2})月(\d{1,2})[日号](?:前|之前|以前)"), "md"),
    (re.compile(r"(?<!\d)(?:今年)?(\d{1,2})月(\d{1,2})[日号](?:起|开始)"), "md_from"),
    (re.compile(r"(?<![\d年])次年(\d{1,2})月(?:底|末|份)?(?:前|之前|以前)?"), "next_year_m"),
    (re.compile(r"(?<![\d年])(?:今年)?(\d{1,2})月(上旬|中旬|下旬)(?:前|之前|以前)?"), "m_part"),
    (re.compile(r"下个?月(\d{1,2})[日号](?:前|之前|以前)?"), "next_month_day"),
    (re.compile(r"下个?月(上旬|中旬|下旬|初)(?:前|之前|以前)?"), "next_month_part"),
    (re.compile(r"下个?月(?:起|开始)"), "next_month_from"),
    (re.compile(rf"{_N}(?:周|个星期|星期)(?:内|之内)"), "weeks"),
    (re.compile(r"半个月(?:内|之内)"), "half_month"),
    (re.compile(rf"(?:任职|到任|入职|上任|到岗|报到)(?:后)?{_N}个?(?:月|年|天|周)(?:内|之内)"), "after_event"),
    (re.compile(r"(?<![\d一二三四五六七八九十])腊月(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十[一二三四五六七八九]?|三十|二十)(?:前|之前|以前)"),
     "lunar_12"),
    (re.compile(r"春节(?:前|之前|以前)|(?<![\d一二三四五六七八九十百千万今明去上下新多几半])年前(?!后)"), "before_spring"),
    (re.compile(r"春节期间|春节假期|春节前后"), "spring_festival"),
    (re.compile(
        r"(?<![\d一二三四五六七八九十个])(?<!\d年)(?:今年|每年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:底|末|份)(?:前|之前|以前)?(?!以来)"
    ), "m"),
    (re.compile(r"(?:本月|当月)(?:底|末|内)(?:前)?|(?<![\d年上下个])月底前"), "this_month"),
    (re.compile(r"下个?月(?:底|末|内)?(?:前)?"), "next_month"),
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
    (re.compile(r"每(季度|月|半年|年)(?:末|底)(?:月(?:(\d{1,2})日)?)?(?:前)?"), "recurring"),
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
#: After 今年/年底, these make the year a time of speaking, not a due date: "年底了" / "年底这段时间"
#: (the season), a past event before the next comma ("今年镇纪委查了两起"), a prohibition ("今年不能走过场").
_NOT_DUE = re.compile(r"(?:了|这段|这个时候|期间|的时候)|[^，。；：要将]{1,10}了|(?:不能|不要|不得|不准|不可)")
#: Fixed dates of the holidays by which work is often due (月, 日); 春节 moves and stays undated.
_HOLIDAYS = {"七一": (7, 1), "建党节": (7, 1), "五一": (5, 1), "五四": (5, 4), "十一": (10, 1), "国庆": (10, 1),
             "国庆节": (10, 1), "元旦": (1, 1)}
#: 春节 (the first day of the lunar year), by Gregorian year: spoken deadlines 年前 / 春节前 / 腊月二十前
#: are counted back from it (source: the published lunar calendar, 2024–2036).
SPRING_FESTIVAL = {2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
                   2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
                   2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
                   2036: date(2036, 1, 28)}
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


def _part_end(y: int, mo: int, part: str) -> date:
    """The last day of 上旬/初 (10th), 中旬 (20th) or 下旬 (month end) of a month."""
    if part in ("上旬", "初"):
        return date(y, mo, 10)
    if part == "中旬":
        return date(y, mo, 20)
    return _month_end(y, mo)


def _nearest(due: date, doc_date: date, bare: bool, in_year) -> date:
    """``in_year(due.year)``: the written day in the year of ``due`` (a date of that month in the document's
    year) — or in the year after, when the month is written bare and ``due`` lies more than half a year
    before ``doc_date``: the next year's is then the nearer reading. Raises ValueError for a day the year
    has not (2月29日), as ``date`` does."""
    if bare and (doc_date - due).days > 183:
        return in_year(due.year + 1)
    return in_year(due.year)


def resolve(kind: str, m: re.Match, doc_date: date | None, year: int | None = None) -> date | None:
    """The due date for a matched deadline pattern, relative to ``doc_date`` where needed; None for a
    date that does not exist as written ("13月底前", "2026年2月30日前": a slip of the writer, kept as text
    with no date, instead of an error that stopped the whole document's reading).

    ``year``: the year the document plans for (:func:`~.structure.plan_year`: "2027年…工作要点" dated
    2026-12-01 plans 2027), when it differs from the document date's year. Phrases relative to the year
    (今年, 年底前, 全年, 6月底前, 上半年, 三季度, 明年, 每季度末 …) are then read in that year; periods counted
    from the document date (半年内, 3个月内, 下个月, 两周内 …) and the lunar ones are not.
    """
    try:
        return _resolve(kind, m, doc_date, year)
    except ValueError:  # also calendar.IllegalMonthError
        return None


def _resolve(kind: str, m: re.Match, doc_date: date | None, year: int | None) -> date | None:
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
    y = year if year is not None else doc_date.year
    if year is not None and year > doc_date.year:
        # the plan's year starts after the document: "每季度末" is first due at the end of its first quarter
        doc_date = max(doc_date, date(year, 1, 1)) if kind in ("recurring", "m", "holiday") else doc_date
    # a month written without its year ("3月底前", "3月15日前", "3月下旬") in a document that plans no other
    # year: the one nearest the document date — "3月底前" dated 10 December is next March, not a March 8
    # months past; "11月底前" dated 10 December stays last month (a task already overdue, or a review).
    # "今年3月底前" says the year.
    bare = year is None and not m.group(0).startswith(("今年", "每年"))
    if kind == "md":
        return _nearest(date(y, int(m[1]), 1), doc_date, bare, lambda yy: date(yy, int(m[1]), int(m[2])))
    if kind == "m":
        month = int(cn_number(m[1]))
        due = _month_end(y, month)
        if m.group(0).startswith("每年") and due < doc_date:
            return _month_end(y + 1, month)  # recurring: the next one
        return _nearest(due, doc_date, bare, lambda yy: _month_end(yy, month))
    if kind == "this_month":
        return _month_end(doc_date.year, doc_date.month)
    if kind == "next_month":
        nxt = _add_months(date(doc_date.year, doc_date.month, 1), 1)
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
    if kind == "md_from":  # "12月1日起": a start, written as is; due that day
        return _nearest(date(y, int(m[1]), 1), doc_date, bare, lambda yy: date(yy, int(m[1]), int(m[2])))
    if kind == "next_year_m":  # "次年2月底前": the year after the document's
        return _month_end(y + 1, int(m[1]))
    if kind == "m_part":  # "12月下旬": the end of that third of the month
        return _nearest(_part_end(y, int(m[1]), m[2]), doc_date, bare, lambda yy: _part_end(yy, int(m[1]), m[2]))
    if kind in ("next_month_day", "next_month_part"):
        nxt = _add_months(date(doc_date.year, doc_date.month, 1), 1)
        if kind == "next_month_day":
            return date(nxt.year, nxt.month, min(int(m[1]), calendar.monthrange(nxt.year, nxt.month)[1]))
        return _part_end(nxt.year, nxt.month, m[1])
    if kind == "next_month_from":  # "下个月起": a start, due the first day of next month
        return _add_months(date(doc_date.year, doc_date.month, 1), 1)
    if kind == "weeks":
        return doc_date + timedelta(weeks=int(cn_number(m[1])))
    if kind == "half_month":
        return doc_date + timedelta(days=15)
    if kind == "after_event":  # "任职3个月内": counted from an event whose date the text does not give
        return None
    if kind in ("before_spring", "lunar_12", "spring_festival"):
        sf = next((d for yy, d in sorted(SPRING_FESTIVAL.items()) if d > doc_date), None)
        if sf is None:
            return None
        if kind == "before_spring":  # 年前 (spoken) = before the Spring Festival
            return sf - timedelta(days=1)
        if kind == "spring_festival":  # the seven-day holiday
            return sf + timedelta(days=6)
        day = int(cn_number(m[1].replace("初", ""))) if m[1] != "三十" else 30
        return sf - timedelta(days=30 - day)  # 腊月 taken as 30 days (a day early when it has 29)
    if kind == "holiday":
        if m[1] not in _HOLIDAYS:
            return None
        month, day = _HOLIDAYS[m[1]]
        due = date(y, month, day)
        return due if due >= doc_date else date(y + 1, month, day)
    if kind == "recurring":  # the end of the current period: the first report is due then
        months = {"月": 1, "季度": 3, "半年": 6, "年": 12}[m[1]]
        end_month = ((doc_date.month - 1) // months + 1) * months
        y = doc_date.year
        if m[2]:  # "每季度末月25日前": that day of the period's last month
            return date(y, end_month, min(int(m[2]), calendar.monthrange(y, end_month)[1]))
        return _month_end(y, end_month)
    return None


def find_deadline(text: str, base: int = 0, doc_date: date | None = None, *, year: int | None = None) -> Deadline | None:
    """The first deadline expression in ``text`` (most explicit pattern wins at equal position).

    ``year``: the year the document plans for, when not the document date's (see :func:`resolve`)."""
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
            if kind == "this_year" and _NOT_DUE.match(text[m.end() :]):
                continue  # "年底了，……会多起来", "今年镇纪委查了两起……", "今年不能走过场": no due date
            if kind == "before_spring" and re.match(r"[\u4e00-\u9fff]{1,4}的", text[m.end() :]):
                continue  # "年前回来的都要通知到": which people, not when the work is due
            if kind in ("quarter", "h1", "h2") and text[m.end() : m.end() + 1] == "的":
                continue  # "第四季度的村务、财务要公开": the period qualifies a noun, it is no deadline
            cand = (m.start(), -len(m.group(0)), kind, m)
            if best is None or cand[:2] < best[:2]:
                best = cand
            break
    if best is not None and re.match(r"(?:开始|起)", text[best[3].end() :]) and best[2] not in ("md_from", "ym_from"):
        # "冬训从12月上旬开始，一个月内全部结束": the start is no due date; a later period is
        start_due = resolve(best[2], best[3], doc_date, year)
        later = find_deadline(text[best[3].end() :], 0, start_due or doc_date, year=year)  # a period counts from the start
        if later is not None:
            off = best[3].end()
            return Deadline(text=later.text, start=base + off + later.start, end=base + off + later.end, due=later.due)
    if best is None:
        m = _WHOLE_YEAR.search(text)
        if m is None:
            return None
        return Deadline(text=m.group(0), start=base + m.start(), end=base + m.end(), due=resolve("this_year", m, doc_date, year))
    _, _, kind, m = best
    return Deadline(text=m.group(0), start=base + m.start(), end=base + m.end(), due=resolve(kind, m, doc_date, year))
