"""Build each heldout7 ``<name>.txt`` from ``reference/<name>.cleaned`` by fixed rules (no randomness).

Written from scratch for heldout7 (2026-11-22). Run: ``python make_artefacts.py``; a second run writes
byte-identical files. The rules are listed in README.md ("Artefacts inserted"). Nothing imports it.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
HANG = set("，。、；：）》」』”’%！？")


def wrap(line: str, width: int) -> list[str]:
    """Cut ``line`` every ``width`` characters anywhere; closing punctuation hangs on the line before."""
    out: list[str] = []
    cur = ""
    for ch in line:
        if len(cur) >= width and ch not in HANG:
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return out


def double(line: str) -> str:
    """Every character twice, as bold rendering copies out of a PDF."""
    return "".join(c + c for c in line)


def repeat(text: str, phrase: str, dup: str) -> str:
    """Type ``dup`` a second time right after its first occurrence inside ``phrase``."""
    assert text.count(phrase) == 1, phrase
    return text.replace(phrase, phrase.replace(dup, dup + dup, 1))


def paginate(lines: list[str], every: int, footer) -> list[str]:
    """Insert ``footer(n)`` after every ``every`` lines and at the end."""
    out: list[str] = []
    page = 1
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i % every == 0:
            out.append(footer(page))
            page += 1
    out.append(footer(page))
    return out


def county_speech(clean: str) -> str:
    """PDF of a Word file: doubled （一） heads, wrapped at 30, page markers, one repeated phrase."""
    clean = repeat(clean, "真抓实干、埋头苦干", "真抓实干、")
    lines: list[str] = []
    for line in clean.split("\n"):
        if line.startswith("（") and line[1] in "一二三四" and len(line) < 30:
            lines.append(double(line))
        elif len(line) > 30:
            lines.extend(wrap(line, 30))
        else:
            lines.append(line)
    return "\n".join(paginate(lines, 22, lambda n: f"— {n} —")) + "\n"


WEB_HEAD = [
    "汀川先锋网　　首页 | 要闻 | 领导讲话 | 人才工作 | 基层党建",
    "当前位置：首页 > 领导讲话 > 正文",
    "【推广】人才云服务平台　政策匹配·一键申报·进度查询　扫码立即体验>>",
    "来源：汀川日报　　发布时间：2026-04-20 09:15　　浏览次数：3,582",
    "",
]
WEB_TAIL = ["", "（责任编辑：周若川）", "", "相关推荐：", "· 我市召开人才工作领导小组会议", "· 汀川：人才公寓首批房源开放申请"]


def city_speech(clean: str) -> str:
    """Copy of a news web page: head block, blank line after each paragraph, doubled 一、 heads, one repeat."""
    clean = repeat(clean, "亲自研究、亲自部署、亲自推动", "亲自部署、")
    lines: list[str] = list(WEB_HEAD)
    for line in clean.split("\n"):
        if line[:2] in ("一、", "二、", "三、", "四、"):
            line = double(line)
        lines.extend([line, ""])
    lines.extend(WEB_TAIL)
    return "\n".join(lines) + "\n"


def county_measures(clean: str) -> str:
    """PDF of a 县委 document: every line wrapped at 28, header and page marker every 24 lines."""
    lines: list[str] = []
    for line in clean.split("\n"):
        lines.extend(wrap(line, 28))
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i % 24 == 0:
            out.extend([f"-{i // 24}-", "栖梧县委文件"])
    out.append(f"-{len(lines) // 24 + 1}-")
    return "\n".join(out) + "\n"


BUILD = {
    "county-2026-midyear-org-work-push-meeting": county_speech,
    "city-2026-talent-work-conference-secretary": city_speech,
    "county-2026-measures-cadre-initiative": county_measures,
}

if __name__ == "__main__":
    for name, fn in BUILD.items():
        clean = (HERE / "reference" / f"{name}.cleaned").read_text(encoding="utf-8")
        (HERE / f"{name}.txt").write_text(fn(clean.rstrip("\n")), encoding="utf-8")
