"""Build the heldout4 documents (``<name>.txt``) from the hand-cleaned references.

Input: ``reference/<name>.cleaned`` (UTF-8, one paragraph per line, as typed).
Output: ``<name>.txt`` with the copying artefacts described in README.md inserted.
Deterministic (fixed RNG seeds); run with ``python make_artefacts.py`` from any directory.
Not used by tests or the bench; kept so the artefacts are reproducible and auditable.
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"


def doubled(text: str) -> str:
    """Every character twice, as bold text copied out of some PDF/web renderers."""
    return "".join(c + c for c in text)


def replace_once(text: str, old: str, new: str) -> str:
    """Replace exactly one occurrence of ``old``; fail loudly otherwise."""
    if text.count(old) != 1:
        raise ValueError(f"expected one occurrence of {old!r}, found {text.count(old)}")
    return text.replace(old, new)


CLOSING = "，。、；：？！）》”’%"


def wrap(line: str, widths, *, layout: bool = False) -> list[str]:
    """Hard-wrap ``line`` at widths drawn from the iterator ``widths`` (in characters).

    Plain (``layout=False``): cut anywhere, even inside numbers, as a fixed-width web copy does.
    ``layout=True`` imitates a word processor's PDF: closing punctuation never starts a line (it
    hangs at the end of the previous one) and a run of ASCII digits is never split.
    """
    out = []
    while line:
        w = next(widths)
        if layout and w < len(line):
            while w < len(line) and line[w] in CLOSING:
                w += 1
            start = w
            while start > 0 and line[start - 1].isascii() and line[start - 1].isdigit() \
                    and line[start].isascii() and line[start].isdigit():
                start -= 1
            w = start if start > 0 else w
        out.append(line[:w])
        line = line[w:]
    return out


def build_city() -> str:
    """Web (WeChat) copy: advert block, bold-doubled title and level-1 headings, repeats."""
    s = (REF / "city-2026-org-work-meeting.cleaned").read_text(encoding="utf-8")
    s = replace_once(s, "招商引资、", "招商引资、招商引资、")
    s = replace_once(s, "心服口服，", "心服口服心服口服，")
    lines = s.split("\n")
    out = [
        "组工之声",
        "2026-01-12 08:30　发表于安徽",
        "点击上方蓝字“组工之声”关注我们",
        "▲长按识别二维码，获取更多组工资讯",
        "本文来源：市委组织部办公室　责任编辑：李悦　审核：王锋",
        "阅读 3265",
        "",
    ]
    for i, line in enumerate(lines):
        if i == 0 or line[:2] in ("一、", "二、", "三、", "四、"):
            line = doubled(line)
        out.append(line)
        if line and i > 2:
            out.append("")  # web copy: a blank line after every paragraph
    return "\n".join(out).rstrip("\n") + "\n"


def build_plan() -> str:
    """PDF copy: paragraphs wrapped at 28 characters (layout rules), 2-character indent, page footers."""
    s = (REF / "county-2026-org-work-task-plan.cleaned").read_text(encoding="utf-8")
    body = []
    for line in s.split("\n"):
        if "\t" in line:  # table rows: pdftotext -layout style, columns separated by spaces
            body.append("   ".join(line.split("\t")))
        elif not line:
            continue  # the PDF text has no blank lines
        else:
            body.extend(wrap("　　" + line, iter(lambda: 28, None), layout=True))
    out, page = [], 1
    for n, line in enumerate(body, start=1):
        out.append(line)
        if n % 24 == 0 and n < len(body):
            page += 1
            out.append(f"— {page} —")
    return "\n".join(out) + "\n"


def build_speech() -> str:
    """Web copy: run-in heads bold-doubled, three paragraphs hard-wrapped (width 24–34), one repeat."""
    s = (REF / "county-2026-grassroots-governance-speech.cleaned").read_text(encoding="utf-8")
    s = replace_once(s, "网格员、楼栋长", "网格员、楼栋长、楼栋长")
    heads = [
        "要把组织体系建强。",
        "要把骨干队伍建优。",
        "抓住“关键人”。",
        "要把服务阵地用活。",
        "要把治理机制理顺。",
        "要把多元力量聚起来。",
        "要把数字赋能用足。",
    ]
    rng = random.Random(20261123)
    out = []
    for line in s.split("\n"):
        head = next((h for h in heads if line.startswith(h)), None)
        if head in ("要把骨干队伍建优。", "要把治理机制理顺。", "要把多元力量聚起来。"):
            base = rng.randint(24, 34)  # one container width per paragraph, ±1 for punctuation
            widths = iter(lambda base=base: base + rng.randint(-1, 1), None)
            pieces = wrap(line, widths)
            pieces[0] = pieces[0].replace(head, doubled(head), 1)
            out.extend(pieces)
            continue
        if head:
            line = doubled(head) + line[len(head):]
        out.append(line)
    return "\n".join(out)


def main() -> None:
    """Write the three ``.txt`` files next to this script."""
    for name, build in (
        ("city-2026-org-work-meeting", build_city),
        ("county-2026-org-work-task-plan", build_plan),
        ("county-2026-grassroots-governance-speech", build_speech),
    ):
        (HERE / f"{name}.txt").write_text(build(), encoding="utf-8")


if __name__ == "__main__":
    main()
