"""Build the heldout8 evaluation inputs (``<name>.txt``) from the hand-typed references.

Deterministic: reads ``reference/<name>.cleaned`` (one paragraph per line, no artefacts) and writes
``<name>.txt`` with the copying artefacts listed in README.md ("Artefacts inserted"). Run from any
directory: ``python make_artefacts.py``. Standard library only; nothing else is read or written.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"


def double(text: str) -> str:
    """Bold-rendering artefact: every character twice (推动 → 推推动动)."""
    return "".join(c + c for c in text)


def wrap(line: str, width: int) -> list[str]:
    """Hard-wrap one paragraph every ``width`` characters, anywhere (inside words and numbers)."""
    return [line[i : i + width] for i in range(0, len(line), width)] or [""]


def notice() -> str:
    """(a) PDF of the 市委组织部 notice: doubled title and 一、…四、 headings, wraps at 32, page markers every 25 lines."""
    lines = REF.joinpath("city-2027-notice-grassroots-party-building.cleaned").read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if i == 0 or re.match(r"^[一二三四]、", line):
            out.append(double(line))
        else:
            out.extend(wrap(line, 32))
    paged: list[str] = []
    page = 1
    for j, line in enumerate(out, start=1):
        paged.append(line)
        if j % 25 == 0:
            paged.append(f"— {page} —")
            page += 1
    paged.append(f"— {page} —")
    return "\n".join(paged) + "\n"


def speech() -> str:
    """(b) News web page of the 乡镇党委书记 speech: web block, blank lines, one repeated phrase, tail."""
    text = REF.joinpath("township-2026-village-cadres-meeting-speech.cleaned").read_text(encoding="utf-8")
    text = text.replace("讲讲惠农政策、讲讲安全生产", "讲讲惠农政策、讲讲惠农政策、讲讲安全生产", 1)
    head = [
        "首页 | 政务公开 | 镇村动态 | 党建园地 | 便民服务 | 互动交流",
        "当前位置：首页 > 党建园地 > 工作部署",
        "【广告】岚溪冬枣节火热进行中 扫码领取优惠券 限时抢购>>",
        "来源：青石镇人民政府网  发布时间：2026-11-19 09:32  浏览次数：1,276  字号：大 中 小  【打印本页】",
        "",
    ]
    body = [p + "\n" for p in text.splitlines()]
    tail = [
        "（编辑：青石镇党政办  审核：镇党委宣传委员）",
        "上一篇：青石镇召开秋冬季森林防火工作部署会",
        "下一篇：青石镇开展“敬老月”走访慰问活动",
        "扫一扫在手机上查看当前页面",
    ]
    return "\n".join(head) + "\n" + "\n".join(body) + "\n" + "\n".join(tail) + "\n"


def work_points() -> str:
    """(c) PDF of the 工作要点: doubled 【…】 heads, wraps at 38, a watermark line after every 6th paragraph."""
    lines = REF.joinpath("county-2027-org-dept-work-points.cleaned").read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        if line.startswith("【"):
            out.append(double(line))
        else:
            out.extend(wrap(line, 38))
        if i % 6 == 0:
            out.append("岚溪县委组织部  内部资料  注意保存")
    return "\n".join(out) + "\n"


def main() -> None:
    """Write the three ``.txt`` files."""
    HERE.joinpath("city-2027-notice-grassroots-party-building.txt").write_text(notice(), encoding="utf-8")
    HERE.joinpath("township-2026-village-cadres-meeting-speech.txt").write_text(speech(), encoding="utf-8")
    HERE.joinpath("county-2027-org-dept-work-points.txt").write_text(work_points(), encoding="utf-8")


if __name__ == "__main__":
    main()
