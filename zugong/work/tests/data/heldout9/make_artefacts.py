"""Build each heldout9 ``<name>.txt`` from ``reference/<name>.cleaned`` by fixed rules.

Deterministic, standard library only. The rules are listed in README.md ("Artefacts inserted").
Run: ``python make_artefacts.py`` (overwrites the three ``.txt`` files).
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def doubled(s: str) -> str:
    """Every character written twice, as bold text comes out of some PDF converters."""
    return "".join(c + c for c in s)


def wrap(line: str, width: int) -> list[str]:
    """Hard-wrap a line every ``width`` characters, anywhere (inside words and numbers)."""
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def speech_web(lines: list[str]) -> str:
    """(a) news web page: menu block, repeated phrase, blank line after each paragraph, page tail."""
    head = [
        "首页 | 组工要闻 | 基层党建 | 干部工作 | 人才工作 | 自身建设 | 党员教育",
        "当前位置：首页 > 组工要闻 > 领导讲话",
        "【广告】栎川先锋网络学院 2027年春季课程上线 立即报名>>",
        "来源：栎川组工网  发布时间：2027-02-26 10:15  浏览次数：3,482  【字号：大 中 小】【打印本页】【关闭窗口】",
        "",
    ]
    body = []
    for line in lines:
        line = line.replace("做到可比较、可检验、可考核", "做到可比较、可检验、可检验、可考核")
        body += [line, ""]
    tail = [
        "（责任编辑：栎川组工网编辑部）",
        "上一篇：全市组织部长会议召开",
        "下一篇：市委组织部召开2027年度部务会民主生活会",
        "分享到：微信 微博 QQ空间",
    ]
    return "\n".join(head + body + tail) + "\n"


HEADING = re.compile(r"^[一二三四五六七八九十]+、")
RUN_IN = re.compile(r"^([一二三四]要在[^。]{2,8}。)")


def speech_pdf(lines: list[str]) -> str:
    """(b) PDF: title, 一、 headings and the 一要…。 run-in heads bold-doubled; other text wrapped at 33;
    a page marker ``- N -`` after every 20 output lines (anywhere, also mid-sentence) and at the end."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if i == 0 or HEADING.match(line):
            out.append(doubled(line))
            continue
        m = RUN_IN.match(line)
        if m:
            line = doubled(m.group(1)) + line[m.end():]
        out += wrap(line, 33)
    paged: list[str] = []
    page = 1
    for n, line in enumerate(out, start=1):
        paged.append(line)
        if n % 20 == 0:
            paged.append(f"- {page} -")
            page += 1
    paged.append(f"- {page} -")
    return "\n".join(paged) + "\n"


def plan_pdf(lines: list[str]) -> str:
    """(c) PDF: title bold-doubled; every other line wrapped at 35; a watermark line after every
    15th output line (anywhere, also mid-sentence)."""
    out: list[str] = []
    for i, line in enumerate(lines):
        out += [doubled(line)] if i == 0 else wrap(line, 35)
    marked: list[str] = []
    for n, line in enumerate(out, start=1):
        marked.append(line)
        if n % 15 == 0:
            marked.append("栎川市委组织部  内部资料  注意保存")
    return "\n".join(marked) + "\n"


RULES = {
    "city-2027-org-ministers-meeting-speech": speech_web,
    "county-2027-talent-work-meeting-speech": speech_pdf,
    "city-2027-head-goose-training-plan": plan_pdf,
}


def main() -> None:
    """Write the three artefact texts."""
    for name, rule in RULES.items():
        lines = (HERE / "reference" / f"{name}.cleaned").read_text(encoding="utf-8").splitlines()
        (HERE / f"{name}.txt").write_text(rule(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
