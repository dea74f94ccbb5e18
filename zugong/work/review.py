"""季末评议 report: a printable .docx with a table per unit and a bar chart.

The chart is drawn with matplotlib (Agg, no pyplot state): one group of three bars per unit
(按时完成 green, 逾期完成 amber, 未完成 red, and 未到期 grey while some task is not yet due) with the
counts on the bars, unit names under the groups, a Chinese title and legend. The Chinese text needs a CJK font: :func:`cjk_font` asks
fontconfig at run time (``fc-list :lang=zh-cn``; fonts-noto-cjk on our machines and CI, Noto Sans
CJK SC preferred). Without one the chart falls back to numbers under the bars and no text, and
the report explains the colours and numbers in a legend paragraph matching the table's 序号.

Rule of the figures (:func:`zugong.work.selectors.unit_outcomes`): a report is as of a day; a task
whose deadline has not passed on that day and that is not completed is 未到期 (being worked on),
never 未完成, and the 完成率 is computed over the tasks already due (or already completed). While the
quarter runs the report says so ("截至2026年12月7日") and shows a 未到期 column; once it is over,
nothing is 未到期. Dates are written as official documents write them: 2026年10月1日.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zugong.core.scope import Scope
from zugong.work import selectors
from zugong.work.models import Status

COLORS = {"done": "#2e8b57", "late": "#e6a01e", "undone": "#c83232", "pending": "#9e9e9e"}
SERIES = (("done", "按时完成"), ("late", "逾期完成"), ("undone", "未完成"))
#: The fourth bar, drawn only while some task of the period is not yet due (:attr:`UnitReviewRow.pending`).
PENDING = ("pending", "未到期")
#: CJK families in order of preference (simplified-Chinese faces first).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Noto Serif CJK SC", "AR PL UMing CN")


@dataclass(frozen=True)
class CjkFont:
    """A font with simplified-Chinese glyphs: its family name and file (a .ttc holds several faces)."""

    family: str
    file: str


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes and the CJK font used (None: numbered fallback without Chinese text)."""

    png: bytes
    font: CjkFont | None

    @property
    def cjk(self) -> bool:
        """True when the chart was drawn with a CJK font (Chinese labels), False for the numbered fallback."""
        return self.font is not None


def _fontconfig_cjk() -> list[CjkFont]:
    """(family, file) of the fonts fontconfig knows for simplified Chinese, [] without fontconfig."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh-cn", "family", "file"], capture_output=True, text=True, timeout=20,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        path, _, families = line.partition(":")
        for family in families.strip().split(","):
            if family.strip():
                fonts.append(CjkFont(family.strip(), path.strip()))
    return fonts


@functools.cache
def cjk_font() -> CjkFont | None:
    """The CJK font for chart text, or None when the machine has none (cached for the process).

    Found through fontconfig (``fc-list :lang=zh-cn``), preferring :data:`CJK_FAMILIES` in order,
    then any family fontconfig lists; the file is registered with matplotlib's font manager when
    matplotlib's cache does not know it yet (a font installed after the cache was built).
    """
    from matplotlib import font_manager

    found = _fontconfig_cjk()
    if not found:
        return None
    rank = {f: i for i, f in enumerate(CJK_FAMILIES)}
    found.sort(key=lambda f: (rank.get(f.family, len(rank)), "Mono" in f.family, f.family))
    for font in found:
        known = {e.name for e in font_manager.fontManager.ttflist}
        if font.family not in known:
            try:
                font_manager.fontManager.addfont(font.file)
            except (OSError, RuntimeError, ValueError):
                continue
            if font.family not in {e.name for e in font_manager.fontManager.ttflist}:
                continue
        # the file matplotlib will actually draw with for this family (regular weight)
        try:
            used = font_manager.findfont(font_manager.FontProperties(family=font.family), fallback_to_default=False)
        except ValueError:  # matplotlib cannot draw this family after all: try the next one
            continue
        return CjkFont(font.family, str(used))
    return None


def _wrap(name: str, width: int = 6) -> str:
    """Break a long unit name into lines of ``width`` characters for the axis."""
    return "\n".join(name[i : i + width] for i in range(0, len(name), width)) or name


def review_chart(rows: list[selectors.UnitReviewRow], *, title: str = "",
                 font: CjkFont | None | Literal["auto"] = "auto") -> Chart:
    """Grouped bar chart of the review rows (按时完成 / 逾期完成 / 未完成 per unit, and 未到期 in grey
    when some task is not yet due) as a 150 dpi PNG.

    ``font``: "auto" uses :func:`cjk_font`; None forces the fallback (bars numbered 1…n as the
    table's 序号, no title and no legend text). The returned :class:`Chart` says which was used.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = cjk_font() if font == "auto" else font
    fp = FontProperties(family=font.family, size=10) if font else FontProperties(size=10)
    n = len(rows)
    fig = Figure(figsize=(max(7.5, min(16.0, 1.1 * n + 2)), 4.4), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    series = SERIES + ((PENDING,) if any(r.pending for r in rows) else ())
    width = 0.78 / len(series)
    for j, (key, label) in enumerate(series):
        values = [getattr(r, {"done": "done", "late": "done_late", "undone": "undone", "pending": "pending"}[key]) for r in rows]
        bars = ax.bar([i + (j - (len(series) - 1) / 2) * width for i in range(n)], values, width, color=COLORS[key],
                      label=label if font else None)
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontproperties=fp)
    ax.set_xticks(range(n))
    if font:
        names = [_wrap(r.unit_name) for r in rows]
        ax.set_xticklabels(names, fontproperties=fp, rotation=30 if n > 8 else 0, ha="right" if n > 8 else "center")
        ax.set_ylabel("任务数（项次）", fontproperties=fp)
        if title:
            ax.set_title(title, fontproperties=FontProperties(family=font.family, size=13))
        ax.legend(prop=fp, loc="upper right", frameon=False, ncols=len(series))
    else:
        ax.set_xticklabels([str(i) for i in range(1, n + 1)])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    peak = max([max(r.done, r.done_late, r.undone, r.pending) for r in rows] + [1])
    ax.set_ylim(0, peak * 1.25 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    if n == 0:
        ax.set_xticks([])
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return Chart(buf.getvalue(), font)


def _set_cjk_font(run, name: str = "仿宋", size: float = 14) -> None:
    run.font.size = Pt(size)
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def cn_date(d: dt.date) -> str:
    """A date as official documents write it: 2026年10月1日 (no leading zeros; GB/T 9704-2012 §7.3.5.3)."""
    return f"{d.year}年{d.month}月{d.day}日"


def summary_text(rows: list[selectors.UnitReviewRow], n_tasks: int, year: int, quarter: int, today: dt.date) -> str:
    """The summary paragraph of the 季末评议 report (Chinese), by the rule of :func:`selectors.unit_outcomes`.

    ``rows`` the units' lines, ``n_tasks`` the tasks whose deadline lies in the quarter. After the
    quarter: "本季度到期重点任务N项……未完成N项次，完成率x%". While it runs (``today`` ≤ its last day)
    the figures are stated "截至<today>": tasks not yet due are 未到期 (推进中), never 未完成, and the
    完成率 is over the tasks already due only ("—" when none is due yet).
    """
    q_start, q_end = selectors.quarter_bounds(year, quarter)
    due = sum(r.due for r in rows)
    done = sum(r.done for r in rows)
    late = sum(r.done_late for r in rows)
    undone = sum(r.undone for r in rows)
    pending = sum(r.pending for r in rows)
    rate = f"{round(100 * (done + late) / due, 1)}%" if due else "—"
    if today > q_end:
        return (f"本季度到期重点任务{n_tasks}项，涉及责任单位{len(rows)}个、单位任务{due}项次，"
                f"其中按时完成{done}项次，逾期完成{late}项次，未完成{undone}项次，完成率{rate}。")
    head = (f"截至{cn_date(today)}，本季度（{cn_date(q_start)}至{cn_date(q_end)}）完成时限内的重点任务{n_tasks}项，"
            f"涉及责任单位{len(rows)}个、单位任务{due + pending}项次。")
    if not due:
        return head + f"尚无到期任务，{pending}项次未到期、正在推进；完成率待到期后统计。"
    return (head + f"其中已到期或已完成{due}项次：按时完成{done}项次，逾期完成{late}项次，未完成{undone}项次，"
            f"完成率{rate}（按已到期或已完成的任务计算）；未到期{pending}项次，正在推进。")


def review_docx(scope: Scope, year: int, quarter: int, *, today: dt.date | None = None) -> bytes:
    """The quarter's 季末评议 report as .docx bytes: title, summary, table per unit, chart, task list with evidence.

    Figures are as of ``today`` (default the machine's date) by the rule of
    :func:`selectors.unit_outcomes`: a task whose deadline has not passed is 未到期, not 未完成, and
    the 完成率 counts due tasks only; while the quarter runs the report says "截至<today>" and the
    table has a 未到期 column. Dates are written 2026年10月1日 (:func:`cn_date`).
    """
    today = today or dt.date.today()
    rows = selectors.quarter_review(scope, year, quarter, today=today)
    q_start, q_end = selectors.quarter_bounds(year, quarter)
    running = today <= q_end
    tasks = list(selectors.quarter_tasks(scope, year, quarter, today=today))
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.6)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_cjk_font(title.add_run(f"{year}年第{'一二三四'[quarter - 1]}季度重点任务季末评议报告"), "方正小标宋简体", 22)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = f"{cn_date(q_start)}至{cn_date(q_end)}" + (f"，截至{cn_date(today)}" if running else "")
    _set_cjk_font(sub.add_run(f"（{scope.unit_name}　{period}）"), "楷体", 14)
    p = doc.add_paragraph()
    _set_cjk_font(p.add_run(summary_text(rows, len(tasks), year, quarter, today)))
    h = doc.add_paragraph()
    _set_cjk_font(h.add_run("一、各单位完成情况"), "黑体", 16)
    labels = ("序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成") + (("未到期",) if running else ()) + ("完成率",)
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = label
    for i, r in enumerate(rows, start=1):
        cells = table.add_row().cells
        values = (i, r.unit_name, r.due, r.done, r.done_late, r.undone) + ((r.pending,) if running else ()) + (r.rate_text,)
        for cell, v in zip(cells, values, strict=True):
            cell.text = str(v)
    h = doc.add_paragraph()
    _set_cjk_font(h.add_run("二、完成情况图"), "黑体", 16)
    chart = review_chart(rows, title=f"{year}年第{'一二三四'[quarter - 1]}季度各单位重点任务完成情况")
    doc.add_picture(io.BytesIO(chart.png), width=Cm(15.5))
    if not chart.cjk:  # the chart has numbers only: say what they and the colours mean
        legend = doc.add_paragraph()
        colours = "绿色为按时完成，橙色为逾期完成，红色为未完成" + ("，灰色为未到期" if any(r.pending for r in rows) else "")
        _set_cjk_font(legend.add_run(
            f"图例：{colours}；横轴编号对应上表序号（"
            + "；".join(f"{i}.{r.unit_name}" for i, r in enumerate(rows, start=1)) + "）。"
        ), size=10.5)
    h = doc.add_paragraph()
    _set_cjk_font(h.add_run("三、任务清单及佐证材料"), "黑体", 16)
    tt = doc.add_table(rows=1, cols=6)
    tt.style = "Table Grid"
    for cell, label in zip(tt.rows[0].cells, ("序号", "重点任务", "责任单位", "完成时限", "状态", "进展及佐证材料"), strict=True):
        cell.text = label
    for i, t in enumerate(tasks, start=1):
        progress = []
        for rep in t.visible_reports:  # the scope's reports only (selectors.quarter_tasks)
            files = "、".join(e.name for e in rep.evidence.all())
            progress.append(f"{rep.date.month}月{rep.date.day}日 {rep.unit.name}：{rep.text}" + (f"（佐证：{files}）" if files else ""))
        units = [t.lead_unit.name] if t.lead_unit_id else []
        units += [u.name for u in t.responsible_units.all() if u.name not in units]
        state = selectors.STATUS_LABELS[t.status]
        if t.status != Status.DONE and t.due >= today:
            state += "（未到期）"
        cells = tt.add_row().cells
        for cell, v in zip(cells, (i, t.action.strip(), "、".join(units), cn_date(t.due), state,
                                   "\n".join(progress) or "未报告"), strict=True):
            cell.text = str(v)
    foot = doc.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_cjk_font(foot.add_run(f"{scope.unit_name}\n{cn_date(today)}"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
