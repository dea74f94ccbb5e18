"""Build each heldout5 ``<name>.txt`` from its hand-typed ``reference/<name>.cleaned``.

The artefacts imitate what copying out of PDFs, Word tables and web pages does; README.md lists
exactly what each function inserts. Deterministic: fixed RNG seeds, no input besides the
references. Kept so the artefacts are reproducible; nothing imports it.
Run: ``python make_artefacts.py`` (rewrites the three ``.txt`` files).
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
HANG = set("，。、；：）”%！？")  # closing punctuation never starts a line (hangs at the end)
ASCII_RUN = set("0123456789.")


def _ref(name: str) -> list[str]:
    return (HERE / "reference" / f"{name}.cleaned").read_text(encoding="utf-8").splitlines()


def _double(s: str) -> str:
    """Bold rendering: every character twice (punctuation included)."""
    return "".join(c * 2 for c in s)


def _wrap_word(line: str, width: int) -> list[str]:
    """Word-processor wrapping: ASCII digit runs are kept whole, closing punctuation hangs."""
    out: list[str] = []
    cur = ""
    i = 0
    while i < len(line):
        c = line[i]
        if c in ASCII_RUN:
            j = i
            while j < len(line) and line[j] in ASCII_RUN:
                j += 1
            tok = line[i:j]
        else:
            tok = c
            j = i + 1
        if len(cur) + len(tok) > width and cur and tok[0] not in HANG:
            out.append(cur)
            cur = ""
        cur += tok
        i = j
    if cur:
        out.append(cur)
    return out


def make_city_work_points() -> str:
    """(a) 工作要点 as extracted from a PDF of a Word file: indent, hard wraps, page footers."""
    lines = _ref("city-2026-org-dept-work-points")
    out: list[str] = []
    for n, line in enumerate(lines):
        if n == 0:  # title, centred
            out.append("　　　　" + line)
        elif line.startswith(("中共岚川市委组织部", "2026年2月10日")) and n >= len(lines) - 2:
            out.append("　" * 16 + line)  # signature block, right-aligned
        elif line.startswith(("一、", "二、", "三、", "四、", "五、")):
            out.append("　　" + line)
        else:
            out.extend(_wrap_word("　　" + line, 30))
    # page footer after every 22nd output line
    paged: list[str] = []
    page = 1
    for k, line in enumerate(out, start=1):
        paged.append(line)
        if k % 22 == 0 and k != len(out):
            paged.append(f"— {page} —")
            page += 1
    paged.append(f"— {page} —")
    return "\n".join(paged) + "\n"


def make_county_task_table() -> str:
    """(b) notice + 任务分解表 pasted from a web page / Word: header block, doubled title, cells."""
    rng = random.Random(20261122)
    lines = _ref("county-2026-party-building-task-table")
    block = [
        "柏塘县人民政府门户网站",
        "首页 > 信息公开 > 通知公告",
        "发布时间：2026-03-09 10:26　来源：县委组织部　浏览次数：1386",
        "【字体：大 中 小】　【打印本页】　【关闭窗口】",
        "",
    ]
    out = list(block)
    wrap_goal = {"1", "4", "6", "11", "13", "17"}  # 具体目标 cell wrapped onto a second line
    wrap_task = {"4", "16"}  # 重点任务 cell wrapped too
    for n, line in enumerate(lines):
        if n == 0:
            out.append(_double(line))
            continue
        if "\t" not in line:
            if line.startswith("为推动全县组织工作会议"):
                line = line.replace("细化推进措施，", "细化推进措施，细化推进措施，", 1)
            out.append(line)
            if line == "附件":
                out.append("")
            continue
        cells = line.split("\t")
        no = cells[0]
        if no in wrap_task:
            cut = min(10, len(cells[1]) // 2)
            cells[1] = cells[1][:cut] + "\n" + cells[1][cut:]
        if no in wrap_goal:
            cut = 18
            cells[2] = cells[2][:cut] + "\n" + cells[2][cut:]
        if no.isdigit() and int(no) >= 11:
            row = ""
            for k, cell in enumerate(cells):
                row += cell if k == 0 else " " * rng.randint(2, 4) + cell
            out.append(row)
        else:
            out.append("\t".join(cells))
    return "\n".join(out) + "\n"


# (c) forced breaks inside numbers and words: (text, offset of the break inside it)
SPEECH_BREAKS = [
    ("30至50名", 3),
    ("1.2万人次", 2),
    ("2026年10月31日前", 7),
    ("2.4万元", 1),
    ("不少于3000人", 5),
]
SPEECH_WRAPPED = ("要把人才引进来。", "要把人才留下来。", "要把乡土人才育起来。")
SPEECH_HEADS = (
    "要把人才引进来。", "要把人才留下来。", "要把平台搭起来。", "要把人才用起来。",
    "要把乡土人才育起来。", "要压实工作责任。", "要加大人才投入。", "要优化人才服务。",
    "要涵养人才生态。",
)


def _wrap_naive(text: str, width: int, forced: list[int]) -> list[str]:
    """Every forced offset ends a line; each stretch between forced offsets is cut, anywhere,
    into the fewest nearly equal lines of at most ``width`` characters."""
    out: list[str] = []
    start = 0
    for f in sorted(set(forced)) + [len(text)]:
        seg = text[start:f]
        n = max(1, -(-len(seg) // width))
        step = -(-len(seg) // n)
        out.extend(seg[k:k + step] for k in range(0, len(seg), step))
        start = f
    return out


def make_county_talent_speech() -> str:
    """(c) speech copied from a web page: bold-doubled run-in heads, 3 hard-wrapped paragraphs,
    two repeated phrases, a blank line after every paragraph."""
    rng = random.Random(20261124)
    lines = _ref("county-2026-talent-work-speech")
    out: list[str] = []
    for line in lines:
        if line.startswith("要把人才引进来。"):
            line = line.replace("急需紧缺人才500名", "急需紧缺人才、急需紧缺人才500名", 1)
        if line.startswith("要压实工作责任。"):
            line = line.replace("亲自抓、负总责", "亲自抓、亲自抓、负总责", 1)
        head = next((h for h in SPEECH_HEADS if line.startswith(h)), None)
        if head and line.startswith(SPEECH_WRAPPED):
            body = line[len(head):]
            forced = []
            for s, off in SPEECH_BREAKS:
                i = body.find(s)
                if i >= 0:
                    forced.append(i + off)
            width = rng.randint(26, 34)
            parts = _wrap_naive(body, width, forced)
            parts[0] = _double(head) + parts[0]
            out.extend(parts)
        elif head:
            out.append(_double(head) + line[len(head):])
        else:
            out.append(line)
        out.append("")
    return "\n".join(out)


def main() -> None:
    """Write the three artefact files next to this script."""
    for name, fn in (
        ("city-2026-org-dept-work-points", make_city_work_points),
        ("county-2026-party-building-task-table", make_county_task_table),
        ("county-2026-talent-work-speech", make_county_talent_speech),
    ):
        (HERE / f"{name}.txt").write_text(fn(), encoding="utf-8")


if __name__ == "__main__":
    main()
