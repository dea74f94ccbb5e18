"""The document page warns when many item lines gave few tasks (a layout the extractor does not know)."""

import datetime as dt

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.work.selectors import layout_warning
from zugong.work.services import document_upload

LIST = "\n".join(f"{i}. 第{i}项" for i in range(1, 7))


def test_it_warns_below_six_tenths_of_the_item_lines_and_not_at_or_above():
    assert "有6个编号、项目符号或表格条目，只提取到3项，" in layout_warning(LIST, 3)
    assert layout_warning(LIST, 4) == ""  # 4 ≥ 6 × 0.6
    assert layout_warning("\n".join(LIST.splitlines()[:4]), 0) == ""  # too few items to judge


def test_it_counts_bullets_and_table_rows_as_items():
    text = "◆ 甲\n● 乙\n（1）丙\n①丁\n任务5　戊\n序号\t任务\t时限\n"
    assert "有6个" in layout_warning(text, 0)


def test_it_shows_the_warning_on_the_document_page(city, login):
    user = city.users["city_admin"]
    doc = document_upload(actor=Actor(user=user), scope=scope_for(user), kind="plan", document_date=dt.date(2026, 3, 1),
                          title="名单", text="关于公布名单的通知\n" + LIST)
    page = login(user).get(f"/work/documents/{doc.pk}/").content.decode()
    assert 'id="layout-warning"' in page and "版式可能未被完全识别" in page
