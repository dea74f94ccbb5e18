"""季末评议 .docx: the chart is drawn with Chinese unit names, title and legend when a CJK font is
installed (fonts-noto-cjk on our machines and CI), with the numbered legend as the fallback."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from zugong.core.scope import scope_for
from zugong.work import review, selectors
from zugong.work.models import ProgressReport, Task
from zugong.work.selectors import UnitReviewRow


def has_cjk_font() -> bool:
    exe = shutil.which("fc-list")
    return bool(exe and subprocess.run([exe, ":lang=zh-cn", "family"], capture_output=True, text=True).stdout.strip())


needs_cjk = pytest.mark.skipif(not has_cjk_font(), reason="没有中文字体（apt install fonts-noto-cjk）")

ROWS = [
    UnitReviewRow(1, "金安区", "0001", 8, 5, 2, 1),
    UnitReviewRow(2, "裕安区", "0002", 6, 2, 1, 3),
    UnitReviewRow(3, "中共六安市委组织部", "0003", 3, 1, 1, 1),
]


@pytest.fixture
def quarter(city, plan):
    """2024 Q4: task 2 (金安区, 裕安区 responsible) due 2024-11-30, 金安区 done in time."""
    t = plan.tasks.get(seq=2)
    Task.objects.filter(pk=t.pk).update(due=dt.date(2024, 11, 30))
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=dt.date(2024, 11, 2), text="建成15个",
                                  completes=True)
    return scope_for(city.users["city_admin"])


def chart_image(d: Document) -> bytes:
    assert len(d.inline_shapes) == 1
    blob = d.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    return d.part.related_parts[blob].blob


def text_of(d: Document) -> str:
    return "\n".join(p.text for p in d.paragraphs)


@needs_cjk
def test_it_finds_a_cjk_font_through_fontconfig():
    font = review.cjk_font()
    assert font is not None and "CJK" in font.family and font.family in review.CJK_FAMILIES
    assert font.file.endswith((".ttc", ".otf", ".ttf"))


@needs_cjk
def test_it_draws_chinese_labels_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = review.review_chart(ROWS, title="2024年第四季度各单位重点任务完成情况")
    assert chart.cjk and chart.font == review.cjk_font()
    assert not [w for w in caught if "missing from font" in str(w.message)]
    img = Image.open(io.BytesIO(chart.png))
    assert img.format == "PNG" and img.width >= 1000 and img.height >= 600


def test_it_falls_back_to_numbers_when_asked_or_without_a_font(monkeypatch):
    chart = review.review_chart(ROWS, font=None)
    assert not chart.cjk and chart.png.startswith(b"\x89PNG")
    monkeypatch.setattr(review, "_fontconfig_cjk", lambda: [])
    review.cjk_font.cache_clear()
    try:
        assert review.cjk_font() is None
        assert not review.review_chart(ROWS).cjk
    finally:
        review.cjk_font.cache_clear()


@needs_cjk
def test_it_puts_the_chinese_chart_and_the_table_in_the_docx(quarter):
    d = Document(io.BytesIO(review.review_docx(quarter, 2024, 4, today=dt.date(2025, 1, 5))))
    png = chart_image(d)
    if dump := os.environ.get("ZUGONG_CHART_PNG"):  # to look at it
        Path(dump).write_bytes(png)
    assert png == review.review_chart(selectors.quarter_review(quarter, 2024, 4),
                                      title="2024年第四季度各单位重点任务完成情况").png
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成", "完成率"]
    assert {r[1]: r[2:6] for r in rows[1:]}["金安区"] == ["1", "1", "0", "0"]
    assert "横轴编号对应上表序号" not in text_of(d)  # names are in the chart itself


def test_it_keeps_the_numbered_legend_without_a_cjk_font(quarter, monkeypatch):
    monkeypatch.setattr(review, "cjk_font", lambda: None)
    d = Document(io.BytesIO(review.review_docx(quarter, 2024, 4)))
    assert chart_image(d).startswith(b"\x89PNG")
    legend = text_of(d)
    assert "横轴编号对应上表序号（1.金安区；2.裕安区；3.中共六安市委组织部）" in legend
    assert len(d.tables) == 2


def test_it_draws_an_empty_quarter(quarter):
    chart = review.review_chart([], title="无到期任务")
    assert chart.png.startswith(b"\x89PNG")
    d = Document(io.BytesIO(review.review_docx(quarter, 2023, 1)))
    assert len(d.inline_shapes) == 1 and len(d.tables[0].rows) == 1


@pytest.fixture
def running_quarter(city, plan):
    """2026 Q4 reviewed on 2026-12-07 (the reviewer's case): task 2 (金安区, 裕安区) due 2026-12-31,
    task 1 (市委组织部 leads) due 2026-11-15 and not done, task 3 (市委组织部) due 2026-12-20, done early."""
    due = {1: dt.date(2026, 11, 15), 2: dt.date(2026, 12, 31), 3: dt.date(2026, 12, 20)}
    for seq, d in due.items():
        Task.objects.filter(document=plan, seq=seq).update(due=d)
    ProgressReport.objects.create(task=plan.tasks.get(seq=3), unit=plan.tasks.get(seq=3).lead_unit,
                                  date=dt.date(2026, 12, 1), text="已完成", completes=True)
    ProgressReport.objects.create(task=plan.tasks.get(seq=2), unit=city.units["jinan"], date=dt.date(2026, 12, 5),
                                  text="已建成8个", completes=False)
    return scope_for(city.users["city_admin"])


def test_a_task_not_yet_due_is_pending_not_undone(running_quarter):
    on = dt.date(2026, 12, 7)
    rows = {r.unit_name: r for r in selectors.quarter_review(running_quarter, 2026, 4, today=on)}
    jinan = rows["金安区"]
    assert (jinan.due, jinan.done, jinan.done_late, jinan.undone, jinan.pending) == (0, 0, 0, 0, 1)
    assert jinan.rate_text == "—" and jinan.total == 1
    dept = rows["中共六安市委组织部"]  # task 1 overdue, task 3 done before its deadline
    assert (dept.due, dept.done, dept.undone, dept.pending, dept.rate_text) == (2, 1, 1, 0, "50.0%")
    # after the quarter nothing is pending: what was not done by 12-31 is 未完成
    after = {r.unit_name: r for r in selectors.quarter_review(running_quarter, 2026, 4, today=dt.date(2027, 1, 5))}
    assert (after["金安区"].due, after["金安区"].undone, after["金安区"].pending) == (1, 1, 0)
    # a task due today is not yet late (the status rule's 完成时限已过 is "due before today")
    on_the_day = {r.unit_name: r for r in selectors.quarter_review(running_quarter, 2026, 4, today=dt.date(2026, 12, 31))}
    assert on_the_day["金安区"].pending == 1 and on_the_day["金安区"].undone == 0


def test_the_report_of_a_running_quarter_says_as_of_when_and_writes_dates_officially(running_quarter):
    d = Document(io.BytesIO(review.review_docx(running_quarter, 2026, 4, today=dt.date(2026, 12, 7))))
    text = text_of(d)
    assert "2026年10月1日至2026年12月31日" in text and "2026年10月01日" not in text
    assert "截至2026年12月7日" in text and "2026年12月07日" not in text
    summary = next(p.text for p in d.paragraphs if p.text.startswith("截至"))
    assert "单位任务4项次" in summary and "已到期或已完成2项次" in summary and "未完成1项次" in summary
    assert "完成率50.0%" in summary and "未到期2项次" in summary
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成", "未到期", "完成率"]
    by_unit = {r[1]: r[2:] for r in rows[1:]}
    assert by_unit["金安区"] == ["0", "0", "0", "0", "1", "—"]
    tasks = [[c.text for c in r.cells] for r in d.tables[1].rows][1:]
    state = {r[3]: r[4] for r in tasks}
    assert state["2026年11月15日"] == "未完成"
    assert state["2026年12月31日"] in ("推进中（未到期）", "滞后（未到期）")
    assert state["2026年12月20日"] == "已完成"
    assert all(not r[1].startswith(" ") for r in tasks)
    assert "12月5日 金安区：已建成8个" in "\n".join(r[5] for r in tasks)
    assert d.paragraphs[-1].text.endswith("2026年12月7日")


def test_the_report_of_a_finished_quarter_has_no_pending_column(running_quarter):
    d = Document(io.BytesIO(review.review_docx(running_quarter, 2026, 4, today=dt.date(2027, 1, 5))))
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成", "完成率"]
    summary = next(p.text for p in d.paragraphs if p.text.startswith("本季度"))
    assert summary == ("本季度到期重点任务3项，涉及责任单位3个、单位任务4项次，其中按时完成1项次，逾期完成0项次，"
                       "未完成3项次，完成率25.0%。")
    state = {r.cells[3].text: r.cells[4].text for r in d.tables[1].rows[1:]}
    assert state["2026年12月31日"] == "未完成"  # due on the quarter's last day, not done by then


def test_a_quarter_with_nothing_due_yet_says_so(running_quarter):
    d = Document(io.BytesIO(review.review_docx(running_quarter, 2026, 4, today=dt.date(2026, 10, 8))))
    summary = next(p.text for p in d.paragraphs if p.text.startswith("截至"))
    assert "尚无到期任务" in summary and "未完成" not in summary
