import datetime as dt
import io

from openpyxl import load_workbook

from zugong.core.xlsx import rows_to_xlsx


def test_it_writes_formula_like_text_as_plain_text():
    data = rows_to_xlsx("名册", ["姓名", "备注"], [["=HYPERLINK(\"http://x\")", "@SUM(A1)"], ["张三", dt.date(2020, 1, 2)]])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == "'=HYPERLINK(\"http://x\")"
    assert ws["B2"].value == "'@SUM(A1)"
    assert ws["A1"].value == "姓名"
    assert ws["B3"].value.date() == dt.date(2020, 1, 2)


def test_it_writes_sheets_with_heading_frozen_header_and_typed_cells():
    from decimal import Decimal

    from zugong.core.xlsx import add_sheet, new_workbook, workbook_bytes

    wb = new_workbook()
    when = dt.datetime(2026, 11, 22, 1, 30, tzinfo=dt.UTC)  # 09:30 in 六安 (Asia/Shanghai)
    add_sheet(wb, "讲话数据", ["项目", "数值", "比例", "日期", "是否", "空"],
              [["市管干部", 12, Decimal("12.5"), when, True, ""], ["-1", 0.25, float("nan"), dt.date(2026, 1, 2), False, None]],
              heading="六安市讲话数据（2026.11.22）", widths=(30, 8, 8, 12, 6, 6))  # fmt: skip
    add_sheet(wb, "第二张", ["姓名"], [["张三"]])
    book = load_workbook(io.BytesIO(workbook_bytes(wb)))
    ws = book["讲话数据"]
    assert ws["A1"].value == "六安市讲话数据（2026.11.22）" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["项目", "数值", "比例", "日期", "是否", "空"] and ws["A2"].font.b
    assert ws.freeze_panes == "A3" and ws.column_dimensions["A"].width > 29
    assert [c.value for c in ws[3]] == ["市管干部", 12, 12.5, dt.datetime(2026, 11, 22, 9, 30), True, None]
    assert [c.value for c in ws[4]][:5] == ["'-1", 0.25, None, dt.datetime(2026, 1, 2), False]
    assert ws["D3"].number_format == ws["D4"].number_format == "yyyy.mm.dd"
    assert book["第二张"].freeze_panes == "A2" and book["第二张"]["A2"].value == "张三"


def test_it_refuses_a_sheet_past_excels_row_limit(monkeypatch):
    import pytest

    from zugong.core import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    assert xlsx.rows_to_xlsx("名册", ["姓名"], [["张三"], ["李四"]])  # header + 2 rows: rows 0–2
    with pytest.raises(xlsx.ExportTooLarge, match="超过Excel一张工作表的最大行数"):
        xlsx.rows_to_xlsx("名册", ["姓名"], [["张三"], ["李四"], ["王五"]])


def test_a_failing_row_source_leaves_no_plain_rows_in_the_temporary_folder(settings, tmp_path):
    import pytest

    from zugong.core.xlsx import rows_tmpdir

    settings.MEDIA_ROOT = tmp_path

    def rows():
        yield ["张三", "342401198001010011"]
        raise RuntimeError("query failed")

    with pytest.raises(RuntimeError):
        rows_to_xlsx("名册", ["姓名", "身份证号"], rows())
    assert rows_tmpdir().is_relative_to(tmp_path) and not list(rows_tmpdir().iterdir())
    assert oct(rows_tmpdir().stat().st_mode & 0o777) == "0o700"
