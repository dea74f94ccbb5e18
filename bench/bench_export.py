"""Benchmark: writing a member list to .xlsx (``zugong.core.xlsx``), against openpyxl's write-only mode.

    uv run python bench/bench_export.py [--rows 100000] [--memory-rows 20000]

Generates ``--rows`` rows shaped like the member export (15 columns: 11 texts, 3 dates, one empty
cell; Chinese names and branch names, 18-character 身份证号) and times:

1. ``zugong.core.xlsx.rows_to_xlsx`` — XlsxWriter in constant-memory mode, what every list export uses;
2. the baseline, in the same process: openpyxl's write-only workbook with a ``WriteOnlyCell`` per
   cell (string type forced, dates formatted yyyy.mm.dd) — the way ``zugong.core.xlsx`` wrote
   until 2026-12 (decision 0008);

prints rows/s, cells/s and the ratio, checks that both files read back (openpyxl) to the same
values, then measures the peak of Python allocations (tracemalloc) of each on ``--memory-rows`` rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")

COLUMNS = ["姓名", "性别", "民族", "出生年月", "身份证号", "学历", "学位", "籍贯", "参加工作时间", "所在党支部",
           "入党时间", "转正时间", "人员类别", "党员类别", "联系电话"]  # fmt: skip


def member_rows(n: int, seed: int = 1) -> list[list]:
    """``n`` rows like the member export's (values only; not valid 身份证号 check digits)."""
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    towns = [f"{a}{b}" for a in "东西南北中上下大小新" for b in "河山湖桥岗圩店集庄畈"]
    rows = []
    for i in range(n):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
        joined = birth + dt.timedelta(days=rng.randrange(18 * 366, 40 * 365))
        rows.append([
            rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice((1, 2)))), rng.choice("男女"), "汉族", birth,
            f"341502{birth:%Y%m%d}{i % 1000:03d}{rng.choice('0123456789X')}", rng.choice(("大学本科", "高中", "初中")),
            "无学位", "341502", None, f"{rng.choice(towns)}村党支部", joined, joined + dt.timedelta(days=370),
            rng.choice(("农牧渔民", "离退休人员", "企业管理人员")), "正式党员", f"138****{i % 10000:04d}",
        ])  # fmt: skip
    return rows


def openpyxl_baseline(title: str, columns: list[str], rows: list[list]) -> bytes:
    """The former ``zugong.core.xlsx`` writer: openpyxl write-only, one WriteOnlyCell per cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from zugong.core.xlsx import safe_text

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title)
    ws.freeze_panes = "A2"
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, str):
                cell = WriteOnlyCell(ws, value=safe_text(v))
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(ws, value=v)
                if isinstance(v, dt.date):
                    cell.number_format = "yyyy.mm.dd"
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_back(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(None if v == "" else v for v in row) for row in ws.iter_rows(values_only=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=20_000)
    args = parser.parse_args()
    import django

    django.setup()
    from zugong.core.xlsx import rows_to_xlsx

    rows = member_rows(args.rows)
    cells = args.rows * len(COLUMNS)
    print(f"{args.rows:,} rows × {len(COLUMNS)} columns = {cells:,} cells")
    writers = (("zugong.core.xlsx (XlsxWriter, constant memory)", rows_to_xlsx),
               ("baseline: openpyxl write-only, WriteOnlyCell per cell", openpyxl_baseline))  # fmt: skip
    times, outputs = [], []
    for label, write in writers:
        t = time.perf_counter()
        data = write("党员名册", COLUMNS, rows)
        elapsed = time.perf_counter() - t
        times.append(elapsed)
        outputs.append(data)
        print(f"  {label:56s} {elapsed:6.2f}s  {args.rows / elapsed:9,.0f} rows/s  {cells / elapsed:10,.0f} cells/s  {len(data) / 1e6:5.1f} MB")
    print(f"RESULT export: {args.rows / times[0]:,.0f} rows/s = {times[1] / times[0]:.1f}× the openpyxl baseline ({args.rows / times[1]:,.0f} rows/s)")
    same = read_back(outputs[0]) == read_back(outputs[1])
    print(f"both files read back to the same values: {'yes' if same else 'NO'}")
    small = rows[: args.memory_rows]
    for label, write in writers:
        tracemalloc.start()
        write("党员名册", COLUMNS, small)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  peak Python allocations, {len(small):,} rows: {label:56s} {peak / 1e6:6.1f} MB")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
