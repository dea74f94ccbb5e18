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
