"""Build each heldout6 ``<name>.txt`` from its hand-cleaned ``reference/<name>.cleaned``.

Written from scratch for heldout6 (it does not reuse any other set's generator). Deterministic:
there is no randomness, every artefact is placed by a fixed rule or at a fixed line, so running
it again rewrites byte-identical files. The artefacts are described in ``README.md`` ("Artefacts
inserted"). Nothing imports this module. Run: ``python make_artefacts.py``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"

# Characters that a Chinese typesetter never puts at the start of a line: they hang.
NO_START = set("，。、；：）》」』”’%！？")
DIGITS = set("0123456789.")


def double(text: str) -> str:
    """Bold rendering copied out of a PDF/web page: every character twice (推动 → 推推动动)."""
    return "".join(c * 2 for c in text)


def wrap(text: str, width: int, *, keep_digits: bool) -> list[str]:
    """Hard-wrap ``text`` into lines of about ``width`` characters.

    Closing punctuation never starts a line (it hangs on the previous one). With
    ``keep_digits`` an ASCII number (digits and ``.``) is never cut, as Word does; without it
    the cut falls wherever the width says, inside numbers too (fixed-width export).
    """
    lines: list[str] = []
    rest = text
    while len(rest) > width:
        cut = width
        while cut < len(rest) and rest[cut] in NO_START:
            cut += 1
        if keep_digits:
            while 0 < cut < len(rest) and rest[cut] in DIGITS and rest[cut - 1] in DIGITS:
                cut -= 1
        if cut >= len(rest):
            break
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(rest)
    return lines


def paginate(lines: list[str], per_page: int, footer: str, header: str | None = None) -> list[str]:
    """Insert a page footer after every ``per_page`` lines and a header line after each break.

    ``footer`` is a format string with ``{n}`` (page) and ``{m}`` (pages in all).
    """
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        if header is not None and n > 1:
            out.append(header)
        out.extend(page)
        out.append(footer.format(n=n, m=len(pages)))
    return out


def task_list() -> str:
    """区委组织部 重点工作任务清单, extracted from a PDF of a Word file."""
    src = (REF / "district-2026-org-dept-key-task-list.cleaned").read_text(encoding="utf-8")
    lines: list[str] = []
    for line in src.splitlines():
        if line[:2] in {"一、", "二、", "三、", "四、", "五、"}:
            lines.append("　　" + double(line))  # bold section headings, doubled
        elif line.startswith("中共澜桥区委组织部2026年"):
            lines.append("　　　　" + line)  # centred title
        elif line.startswith(("【牵头】", "责任领导：")):
            lines.append("　　" + line)  # responsibility lines are short: never wrapped
        else:
            lines.extend(wrap("　　" + line, 34, keep_digits=True))
    # A repeated phrase: the typist pasted 统一配备 twice in measure (2) (outside its anchor).
    lines = [ln.replace("统一配备饮水", "统一配备统一配备饮水") for ln in lines]
    out = paginate(lines, 24, "第 {n} 页 共 {m} 页", header="澜桥区委组织部　内部资料　注意保存")
    return "\n".join(out) + "\n"


def speech() -> str:
    """市委副书记's speech, copied from a news web page with its banner and a sidebar ad."""
    src = (REF / "city-2024-org-ministers-meeting-deputy-secretary.cleaned").read_text(encoding="utf-8")
    banner = [
        "枫源组工网　　首页 | 工作动态 | 领导讲话 | 党建研究 | 人才工作",
        "当前位置：首页 > 领导讲话 > 正文",
        "【广告】智慧党建云平台　三会一课·党费收缴·积分管理　一站式解决　免费试用30天　立即咨询>>",
        "扫码关注“枫源组工”微信公众号，获取更多权威资讯",
        "来源：枫源日报　　作者：本报记者　　发布时间：2024-03-18 08:30　　阅读：2,316",
        "",
    ]
    # Run-in heads (bold in the page) are doubled, the body after them stays plain.
    heads = [
        "（一）在服务产业发展中体现组织担当。",
        "要把干部选派到招商一线。",
        "要把党组织建在产业链上。",
        "（二）在推进乡村振兴中夯实基层基础。",
        "要配强村级带头人。",
        "要壮大村级集体经济。",
        "（三）在基层治理中激发党建活力。",
        "要推动资源力量下沉。",
        "要把“红色物业”做实做细。",
        "（一）突出政治标准选干部。",
        "（二）大力培养选拔优秀年轻干部。",
        "要把年轻干部放到吃劲岗位上摔打。",
        "要把优秀年轻干部及时用起来。",
        "（三）从严从实管理监督干部。",
        "要用好考核“指挥棒”。",
        "（一）在引才聚才上打开新局面。",
        "要在引才规模上有新突破。",
        "要在平台建设上有新突破。",
        "（二）在服务保障上体现新温度。",
        "要把人才服务做到心坎上。",
    ]
    out = list(banner)
    wrapped = ("（二）在推进乡村振兴", "（一）在引才聚才", "（二）大力培养")
    for line in src.splitlines():
        body = line
        # Two phrases typed twice by mistake, both outside any anchor.
        body = body.replace("识才、爱才、敬才、用才", "识才、爱才、敬才、敬才、用才")
        body = body.replace("奋发有为、真抓实干", "奋发有为、真抓实干、真抓实干")
        for head in heads:
            if head in body:
                body = body.replace(head, double(head), 1)
        if line.startswith(wrapped):
            # These three paragraphs were copied from a fixed-width reader view: hard-wrapped
            # at 27 characters anywhere (doubled heads included), inside numbers too.
            body = "\n".join(wrap(body, 27, keep_digits=False))
        out.append(body)
        out.append("")  # web spacing: a blank line after every paragraph
    out += ["（责任编辑：林一苇）", "相关阅读：", "· 全市人才工作会议召开", "· 市委组织部召开部务会"]
    return "\n".join(out) + "\n"


def ledger() -> str:
    """县委组织部 任务台账, one field per line, exported from Excel and printed to PDF."""
    src = (REF / "county-2026-task-ledger-blocks.cleaned").read_text(encoding="utf-8")
    lines: list[str] = []
    for i, line in enumerate(src.splitlines()):
        if i == 0:
            lines.append(double(line))  # the bold sheet title, doubled
            continue
        # A phrase typed twice by mistake in row 5 (outside the anchor, which is the task name).
        line = line.replace("实行县级领导包联，", "实行县级领导包联，实行县级领导包联，")
        if line.startswith(("目标要求：", "进展情况：")):
            # Fixed column width of the export: long cells wrap at 27 characters, anywhere.
            lines.extend(wrap(line, 27, keep_digits=False))
        else:
            lines.append(line)
    out = paginate(lines, 48, "第 {n} 页 共 {m} 页", header="鹤湾县2026年度组织工作重点任务推进台账（续表）")
    return "\n".join(out) + "\n"


def main() -> None:
    """Write the three ``.txt`` files next to this script."""
    for name, build in (
        ("district-2026-org-dept-key-task-list", task_list),
        ("city-2024-org-ministers-meeting-deputy-secretary", speech),
        ("county-2026-task-ledger-blocks", ledger),
    ):
        (HERE / f"{name}.txt").write_text(build(), encoding="utf-8")


if __name__ == "__main__":
    main()
