"""工作落实 in a real browser: the city uploads a seed speech → reads the outline and highlighted
tasks → assigns a county and a due date in the 任务分解表 → the county reports progress with
evidence → the city opens the 季末评议 and downloads the quarter's .docx."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil

import pytest
from docx import Document

from zugong.web.tests_browser.conftest import REPO
from zugong.web.tests_browser.flows import login
from zugong.work.tests.conftest import LUAN


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def view_shot(page, name: str, tmp_path) -> None:
    """A viewport-only screenshot, for pages too long for a readable full-page image."""
    folder = REPO / "docs" / "screenshots" if os.environ.get("ZUGONG_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(folder / f"{name}.png"))


def test_it_runs_a_document_from_upload_to_the_quarter_review(live_server, city, media, page, shot, tmp_path):
    from zugong.core.audit import SYSTEM
    from zugong.orgs.models import UnitKind
    from zugong.orgs.services import unit_create
    from zugong.work.models import ProgressReport, Task, WorkDocument

    unit_create(actor=SYSTEM, parent=city.units["city"], name="中共六安市委组织部", kind=UnitKind.ORGAN)
    seed = tmp_path / "六安市组织部长会议讲话.txt"
    shutil.copy(LUAN, seed)
    base = live_server.url
    today = dt.date.today()

    # 1. The city uploads the seed speech (a copy of the file in the test data).
    login(page, base, "city_admin")
    page.goto(f"{base}/work/")
    page.select_option("select[name=kind]", "speech")
    page.fill("input[name=document_date]", "2023-03-01")
    page.set_input_files("input[name=file]", str(seed))
    shot(page, "work-1-upload")
    page.click("button:has-text('上传并提取任务')")
    page.wait_for_selector(".doc-text")
    doc = WorkDocument.objects.get()
    n = doc.tasks.filter(kind="task").count()
    assert n >= 40
    assert page.locator(".outline li").count() >= 5
    assert page.locator(".doc-text .hl-target").count() >= 5
    shot(page, "work-2-document")

    # 2. The cleaning diff: undo one edit with htmx, then restore it.
    page.click("nav.work-tabs >> text=清理对照")
    first = page.locator("table.edits tbody tr").first
    first.locator("button:has-text('撤销此修改')").click()
    page.wait_for_selector("table.edits tbody tr >> nth=0 >> text=恢复此修改")
    view_shot(page, "work-3-cleaning", tmp_path)
    page.locator("table.edits tbody tr").first.locator("button:has-text('恢复此修改')").click()
    page.wait_for_selector("table.edits tbody tr >> nth=0 >> text=撤销此修改")

    # 3. The 任务分解表: assign 金安区 to the first task with today as the deadline, inline.
    page.click("nav.work-tabs >> text=任务分解表")
    task = Task.objects.filter(document=doc, kind="task").order_by("seq").first()
    row = page.locator(f"#row-{task.pk}")
    row.locator("button:has-text('编辑')").click()
    page.wait_for_selector(f"#row-{task.pk} textarea[name=action]")
    page.locator(f"#row-{task.pk}").scroll_into_view_if_needed()
    page.select_option(f"#row-{task.pk} select[name=responsible_units]", str(city.units["jinan"].pk))
    page.fill(f"#row-{task.pk} input[name=due]", today.isoformat())
    view_shot(page, "work-4-table-edit", tmp_path)
    page.click(f"#row-{task.pk} button:has-text('保存')")
    page.wait_for_selector(f"#row-{task.pk} >> text=金安区")
    assert page.locator(f"#row-{task.pk} textarea").count() == 0
    view_shot(page, "work-5-table", tmp_path)
    with page.expect_download() as info:
        page.click("text=导出 Excel")
    assert info.value.suggested_filename.endswith("任务分解表.xlsx")
    page.click("button:has-text('退出')")

    # 4. 金安区 sees the task among its own, reports completion with evidence.
    login(page, base, "county_admin")
    page.goto(f"{base}/work/units/")
    assert task.action[:10] in page.inner_text("main")
    page.click(f"a[href='/work/tasks/{task.pk}/']")
    page.fill("textarea[name=text]", "已按要求完成，召开专题会议部署落实。")
    page.set_input_files("input[name=evidence]", files=[{"name": "会议纪要.txt", "mimeType": "text/plain",
                                                          "buffer": "会议纪要".encode()}])
    page.check("input[name=completes]")
    shot(page, "work-6-progress-form")
    page.click("button:has-text('提交进展')")
    page.wait_for_selector("text=进展已报告")
    assert "已完成" in page.inner_text("h1")
    assert ProgressReport.objects.get().evidence.get().name == "会议纪要.txt"
    page.click("button:has-text('退出')")

    # 5. The city opens the quarter review and downloads the printable report.
    login(page, base, "city_admin")
    q = (today.month - 1) // 3 + 1
    page.goto(f"{base}/work/review/?year={today.year}&quarter={q}")
    body = page.inner_text("main")
    assert "金安区" in body and "会议纪要.txt" in body
    shot(page, "work-7-review")
    with page.expect_download() as info:
        page.click("text=下载评议报告（Word）")
    d = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in d.tables[0].rows[1:]}
    assert rows["金安区"][2:6] == ["1", "1", "0", "0"]
    assert len(d.inline_shapes) == 1
