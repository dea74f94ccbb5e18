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
