"""季末评议 report: a printable .docx with a table per unit and a bar chart.

The chart is a PNG drawn in pure Python (zlib + struct, no plotting library): one group of three
bars per unit (按时完成 green, 逾期完成 amber, 未完成 red) with the counts in a 3×5 pixel digit
font; unit names are under the chart as a numbered legend matching the table's 序号, since no CJK
font rendering is available without a plotting library.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zugong.core.scope import Scope
from zugong.work import selectors

COLORS = {"done": (46, 139, 87), "late": (230, 160, 30), "undone": (200, 50, 50)}
_DIGITS = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
}


class Canvas:
    """An RGB pixel buffer that writes itself as PNG."""

    def __init__(self, width: int, height: int, bg=(255, 255, 255)):
        self.w, self.h = width, height
        self.px = [bytearray(bytes(bg) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color) -> None:
        """Fill [x0, x1) × [y0, y1), clipped."""
        x0, x1 = max(0, x0), min(self.w, x1)
        for y in range(max(0, y0), min(self.h, y1)):
            self.px[y][3 * x0 : 3 * x1] = bytes(color) * (x1 - x0)

    def number(self, x: int, y: int, n: int, scale: int = 3, color=(40, 40, 40)) -> None:
        """Draw the decimal ``n`` with its top-left corner at (x, y)."""
        for k, ch in enumerate(str(n)):
            for r, bits in enumerate(_DIGITS[ch]):
                for c, b in enumerate(bits):
                    if b == "1":
                        xx = x + k * 4 * scale + c * scale
                        self.rect(xx, y + r * scale, xx + scale, y + (r + 1) * scale, color)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)

        def chunk(tag: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def chart_png(rows: list[selectors.UnitReviewRow], *, width: int = 900, height: int = 360) -> bytes:
    """Grouped bar chart of the review rows (按时完成 / 逾期完成 / 未完成 per unit), PNG bytes."""
    c = Canvas(width, height)
    left, bottom, top = 50, height - 40, 20
    c.rect(left, top, left + 2, bottom, (90, 90, 90))
    c.rect(left, bottom, width - 10, bottom + 2, (90, 90, 90))
    peak = max([max(r.done, r.done_late, r.undone) for r in rows] + [1])
    for k in range(0, peak + 1, max(1, peak // 5)):
        y = bottom - int((bottom - top - 20) * k / peak)
        c.rect(left - 6, y, left, y + 1, (90, 90, 90))
        c.number(8, y - 7, k, scale=3)
    if not rows:
        return c.png()
    slot = (width - left - 20) / len(rows)
    bar = max(4, min(40, int(slot / 4)))
    for i, r in enumerate(rows):
        x = int(left + 10 + i * slot + (slot - 3 * bar) / 2)
        for j, (key, n) in enumerate((("done", r.done), ("late", r.done_late), ("undone", r.undone))):
            h = int((bottom - top - 20) * n / peak)
            c.rect(x + j * bar, bottom - h, x + (j + 1) * bar - 2, bottom, COLORS[key])
            if n:
                c.number(x + j * bar, bottom - h - 18, n, scale=3)
        c.number(x + bar, bottom + 10, i + 1, scale=4, color=(0, 0, 0))
    return c.png()


def _set_cjk_font(run, name: str = "仿宋", size: float = 14) -> None:
    run.font.size = Pt(size)
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def review_docx(scope: Scope, year: int, quarter: int, *, today: dt.date | None = None) -> bytes:
    """The quarter's 季末评议 report as .docx bytes: title, summary, table per unit, chart, task list with evidence."""
    rows = selectors.quarter_review(scope, year, quarter)
    q_start, q_end = selectors.quarter_bounds(year, quarter)
    tasks = list(selectors.quarter_tasks(scope, year, quarter))
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
    _set_cjk_font(sub.add_run(f"（{scope.unit_name}　{q_start:%Y年%m月%d日}至{q_end:%Y年%m月%d日}）"), "楷体", 14)
    due = sum(r.due for r in rows)
    done = sum(r.done for r in rows)
    late = sum(r.done_late for r in rows)
    undone = sum(r.undone for r in rows)
    p = doc.add_paragraph()
    _set_cjk_font(p.add_run(
        f"本季度到期重点任务{len(tasks)}项，涉及责任单位{len(rows)}个、单位任务{due}项次，"
        f"其中按时完成{done}项次，逾期完成{late}项次，未完成{undone}项次。"
    ))
    h = doc.add_paragraph()
    _set_cjk_font(h.add_run("一、各单位完成情况"), "黑体", 16)
    table = doc.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成", "完成率"), strict=True):
        cell.text = label
    for i, r in enumerate(rows, start=1):
        cells = table.add_row().cells
        for cell, v in zip(cells, (i, r.unit_name, r.due, r.done, r.done_late, r.undone, f"{r.rate}%"), strict=True):
            cell.text = str(v)
    h = doc.add_paragraph()
    _set_cjk_font(h.add_run("二、完成情况图"), "黑体", 16)
    doc.add_picture(io.BytesIO(chart_png(rows)), width=Cm(15.5))
    legend = doc.add_paragraph()
    _set_cjk_font(legend.add_run(
        "图例：绿色为按时完成，橙色为逾期完成，红色为未完成；横轴编号对应上表序号（"
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
        for rep in t.reports.all():
            files = "、".join(e.name for e in rep.evidence.all())
            progress.append(f"{rep.date:%m.%d} {rep.unit.name}：{rep.text}" + (f"（佐证：{files}）" if files else ""))
        units = [t.lead_unit.name] if t.lead_unit_id else []
        units += [u.name for u in t.responsible_units.all() if u.name not in units]
        cells = tt.add_row().cells
        for cell, v in zip(cells, (i, t.action, "、".join(units), f"{t.due:%Y.%m.%d}", selectors.STATUS_LABELS[t.status],
                                   "\n".join(progress) or "未报告"), strict=True):
            cell.text = str(v)
    foot = doc.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_cjk_font(foot.add_run(f"{scope.unit_name}\n{(today or dt.date.today()):%Y年%m月%d日}"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
