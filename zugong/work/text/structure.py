"""Document structure of a cleaned speech / work plan: title, speaker, date, outline tree.

All offsets are into the *cleaned* text (:attr:`zugong.work.text.clean.Cleaned.text`).

Headings recognised:

- numbered headings, fixed rank: ``一、`` (1) ``（一）`` (2) ``1.``/``1、`` (3) ``（1）`` (4); when a
  numbered heading line continues with body text ("一、组织工作是……党的科学理论。事业在……"),
  the heading is its first sentence and the rest is content;
- standalone short lines (≤ 30 chars, no sentence punctuation inside) — levels come from their
  *style* (bold-doubled in the raw text or not) in order of first appearance, the usual way
  to recover levels from layout;
- run-in heads: a short sentence ending in 。 that opens a stretch of paragraph
  ("要选准用好干部。" "抓住“考点”。" "全面系统学习领会。"), and parallel comma heads
  ("抓选用，" "抓管理，" "抓激励，" — three or more sibling sentences opening with a short clause
  of the same shape).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from .clean import Cleaned

_NUMBERED = [
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    (1, re.compile(r"^第[一二三四五六七八九十]+(?:部分|章)")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (3, re.compile(r"^(?:任务|事项)\d{1,3}[\s\u3000、.．:：]+")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (5, re.compile(r"^[①-⑳]")),
]
_SENT_END = re.compile(r"[。！？!?]+[”’」』）)]*")
_QUOTED = re.compile(r"“[^”]{0,20}”|‘[^’]{0,20}’|《[^》]{0,30}》|「[^」]{0,20}」")
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_SPEAKER_IN_TITLE = re.compile(r"^(?P<who>.{1,20}?)(?:同志)?在.{2,40}(?:上|中)的(?:讲话|发言|报告|致辞)")


@dataclass
class Sentence:
    """A content sentence [start, end) of the cleaned text, within paragraph ``para``."""

    start: int
    end: int
    text: str
    para: int
    head: Node | None = None  # the deepest outline node it sits under
    #: responsibility fields of a work-plan item (:class:`~.fields.Field`: 牵头单位/责任单位/完成时限),
    #: from a field bracket, the field lines after it or its table row
    fields: list = field(default_factory=list)
    #: spans [start, end) inside the sentence that are field brackets, not part of the action
    masked: list = field(default_factory=list)
    #: a 任务分解表 row: its text cells as (role, start, end), role 'task' (重点任务), 'target' (具体目标)
    #: or 'measure' (主要措施); empty for prose
    cells: list = field(default_factory=list)
    #: True for a list item (a line opened by a bullet ◆ ● ■ …): an item of a 工作要点 / 清单
    item: bool = False


@dataclass
class Node:
    """An outline node: the document root, a heading, or a run-in head.

    ``kind`` is 'document' | 'heading' | 'run_in'; ``level`` 0 for the root; ``start``/``end``
    the span of the heading text (without its numbering marker kept separately in ``marker``).
    """

    kind: str
    level: int
    text: str
    start: int
    end: int
    marker: str = ""
    style: str = ""
    #: the office a group heading names (【组织股】, "组织股：", "一、干部股"): the lead of its items
    office: str = ""
    children: list[Node] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def path(self) -> list[str]:
        """Heading texts from the top level down to this node (root excluded)."""
        out = []
        node: Node | None = self
        while node is not None and node.kind != "document":
            out.append(node.text)
            node = node.parent
        return out[::-1]

    def walk(self):
        """Pre-order iteration over this node and all descendants."""
        yield self
        for c in self.children:
            yield from c.walk()

    def as_dict(self) -> dict:
        """JSON-ready outline (text, level, kind, span, children)."""
        return {
            "kind": self.kind,
            "level": self.level,
            "marker": self.marker,
            "text": self.text,
            "span": [self.start, self.end],
            "sentences": [[s.start, s.end] for s in self.sentences],
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class Document:
    """Structure of one cleaned document."""

    text: str
    root: Node
    sentences: list[Sentence]
    paragraphs: list[tuple[int, int]]
    title: str | None = None
    title_span: tuple[int, int] | None = None
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    date: date | None = None
    date_span: tuple[int, int] | None = None
    #: the year the document plans for when it is the year after its date (:func:`plan_year`), else None
    year: int | None = None


#: A title that reports or speaks rather than plans: its year is not the plan's.
_NOT_A_PLAN = re.compile(r"讲话|发言|致辞|总结|回顾|述职|报告|情况")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年度?(?![\d月])")
#: "2027年，全区组织工作坚持……": an opening paragraph that names the year it plans for.
_OPENING_YEAR = re.compile(r"^\s*(20\d{2})\s*年度?[，,]")


def plan_year(title: str | None, text: str, doc_date: date | None) -> int | None:
    """The year a plan is for when it is the year after the document's date, else None.

    A plan for year Y is written in the autumn or winter before Y: "2027年金安区组织工作要点" dated
    2026-12-01, "三岔河村党支部2027年工作计划", or a plan whose first paragraphs open with "2027年，全区……".
    Its 年底前 / 全年 / 6月底前 mean the end of 2027, not of 2026 (:func:`.deadlines.resolve` ``year``).
    Read from the title's first year (not from a speech's or a report's title: 讲话/总结/报告 …) or from a
    paragraph among the first three lines of ``text`` that opens with "Y年，"; only Y = the date's year + 1
    counts (a plan of the date's own year needs nothing, and an earlier year is a review). None without
    ``doc_date``.
    """
    if doc_date is None:
        return None
    nxt = doc_date.year + 1
    if title and not _NOT_A_PLAN.search(title):
        m = _TITLE_YEAR.search(title)
        if m:
            return nxt if int(m[1]) == nxt else None
    lines = [ln for ln in text.split("\n") if ln.strip()][:4]
    for ln in lines:
        m = _OPENING_YEAR.match(ln)
        if m and int(m[1]) == nxt:
            return nxt
    return None


def _strip_quotes(s: str) -> str:
    return _QUOTED.sub("Q", s)


def is_run_in_head(sentence: str) -> bool:
    """A short sentence ending in 。 that reads as a heading ("抓住“考点”。", "要选准用好干部。")."""
    s = sentence.strip()
    if not s or s[-1] not in "。" or len(s) > 22:
        return False
    core = _strip_quotes(s[:-1])
    if any(c in core for c in "，；：、,;:") or re.search(r"\d", core):
        return False
    if core.startswith(("同时", "同志们", "这是", "其中", "因此")):
        return False
    return 2 <= len(core) <= 14


def is_sentence_heading(level: int, body: str, next_line: str) -> bool:
    """A section heading written as one short sentence ("（二）以……为突破，扩大……覆盖。").

    Only for the top two ranks (一、 and （一）), whose items in this genre are sections, not
    single tasks: ≤ 30 characters outside quotes, no figure, and the next line is body text
    (not another item of the same or a higher rank).
    """
    if level > 2 or not body.endswith("。") or re.search(r"\d", body):
        return False
    if len(_strip_quotes(body[:-1])) > 30 or any(c in body[:-1] for c in "。；！？"):
        return False
    nxt = _numbered_level(next_line.strip())
    return bool(next_line.strip()) and (nxt is None or nxt[0] > level)


def is_heading_like_item(body: str) -> bool:
    """A numbered item's first sentence that reads as a title ("配强领导班子", "压实责任。"):
    at most 20 characters outside quotes (final 。 excluded) and no inner comma or semicolon.

    A longer one, or one with a comma ("开展……研判，对……调整配强。"), is a sentence of action:
    the numbered item is body text under the current heading (实施方案, 工作要点, 任务清单).
    """
    core = _strip_quotes(body.strip().rstrip("。；;"))
    return len(core) <= 20 and not any(c in core for c in "，；,;")


#: A bullet that opens a list item ("◆ 开展……（4月底前；协同：……）").
BULLET = re.compile(r"^[◆●■▲★○◇·•－◎□△☆]\s*")
#: The name of an office of the author's body, ending a heading: 组织股, 干部监督股, 组织一科, 办公室,
#: 电教中心, 人才办 … (optionally with an alias in brackets: 人才股（县委人才办）).
_OFFICE = r"[\u4e00-\u9fff]{0,8}(?:股|科|处|室|办|中心|站)"
_OFFICE_HEAD = re.compile(rf"^【(?P<b>{_OFFICE})(?:[（(][^）)]{{1,12}}[）)])?】|^(?P<c>{_OFFICE})(?:[（(][^）)]{{1,12}}[）)])?(?:[:：]|$)")


def office_of_heading(text: str) -> str:
    """The office a group heading names, as written without its bracketed alias, or ''.

    "【人才股（县委人才办）】人才引育留用" → "人才股"; "组织股：" → "组织股"; "干部股" → "干部股";
    "基层组织建设" → "". Work plans (工作要点) group their items under the office that leads them.
    """
    m = _OFFICE_HEAD.match(text.strip())
    if not m:
        return ""
    return m.group("b") or m.group("c") or ""


def _numbered_level(line: str) -> tuple[int, str] | None:
    for level, pat in _NUMBERED:
        m = pat.match(line)
        if m:
            return level, m.group(0)
    return None


def _split_sentences(text: str, start: int) -> list[tuple[int, int]]:
    """Spans (offsets + ``start``) of the sentences of a paragraph body, each ending after its 。！？；
    and starting at its first non-blank character (the space after "1. " or after a 。 is no part of
    the sentence, nor of the action taken from it)."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        spans.append((start + pos, start + m.end()))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        spans.append((start + pos, start + len(text)))
    out = []
    for a, b in spans:
        while a < b - 1 and text[a - start] in " \t\u3000":
            a += 1
        out.append((a, b))
    return out


def _comma_heads(sents: list[Sentence], text: str) -> dict[int, int]:
    """Parallel comma heads: {sentence index: head length} for groups of ≥ 3 of one shape."""
    groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for i, s in enumerate(sents):
        m = re.match(r"^([^，。；：]{2,10})，", s.text)
        if not m:
            continue
        clause = m.group(1)
        core = _strip_quotes(clause)
        if clause.startswith(("同时", "特别是", "其中", "此外", "另外", "因此", "对此", "目前", "当前", "今年", "同志们")):
            continue
        if len(core) > 8 or re.search(r"\d", core):
            continue
        parent = id(s.head)
        groups[(parent, "first", clause[0], len(core))].append((i, len(clause) + 1))
        if "Q" in core:
            groups[(parent, "shape", re.sub(r"[^Q]", "x", core))].append((i, len(clause) + 1))
        if len(core) >= 4:
            groups[(parent, "prefix", core[:3])].append((i, len(clause) + 1))
    out: dict[int, int] = {}
    for members in groups.values():
        if len(members) >= 3:
            for i, n in members:
                out[i] = n
    return out


def _table_row(doc: Document, text: str, spans: list[tuple[int, int, str]], roles: list, head: Node, para: int) -> None:
    """One row of a 任务分解表 / 工作清单 rendered as text (one or more lines): one task.

    ``spans`` are the row's lines (start, end, text). Cells are split per line by tabs or runs of
    spaces; a cell wrapped onto the next line is joined to the last cell of the line before. The
    cells are placed in the header's columns by :func:`~.fields.assign_cells`. The sentence spans
    the text cells (重点任务 … 具体目标/主要措施), its ``cells`` list them, and the unit and 时限
    cells become its fields. 序号 and unknown columns are ignored.
    """
    from .fields import Field, assign_cells, table_cells

    cells: list[tuple[int, int]] = []
    for i, (ls, _le, line) in enumerate(spans):
        here = table_cells(line, ls)
        if i and cells and here:
            cells[-1] = (cells[-1][0], here[0][1])  # the wrapped rest of the cell above
            here = here[1:]
        cells.extend(here)
    row_start = spans[0][0]
    row_text = text[row_start : spans[-1][1]]
    placed = assign_cells(row_text, cells, roles, row_start)
    texts = [(r, a, b) for r, a, b in placed if r in ("task", "target", "measure")]
    if not texts:
        return
    a0, b0 = texts[0][1], texts[-1][2]
    sent = Sentence(a0, b0, text[a0:b0], para, head=head, cells=texts)
    for r, a, b in placed:
        if r in ("lead", "responsible", "leader", "deadline"):
            sent.fields.append(Field(r, r, text[a:b], a, b))
    head.sentences.append(sent)
    doc.sentences.append(sent)
    doc.paragraphs.append((a0, b0))


def parse(cleaned: Cleaned | str, *, doc_date: date | None = None) -> Document:
    """Recognise title, speaker, date and the outline of a cleaned text.

    ``cleaned`` is a :class:`Cleaned` (preferred: bold-doubled lines in the raw text give
    heading styles) or a plain cleaned string. ``doc_date`` overrides the detected date.
    """
    if isinstance(cleaned, Cleaned):
        text = cleaned.text
        bold_raw = [(e.start, e.end) for e in cleaned.edits if e.kind == "doubled"]
    else:
        text = cleaned
        bold_raw = []

    def is_bold(start: int, end: int) -> bool:
        if not bold_raw or not isinstance(cleaned, Cleaned):
            return False
        rs, re_ = cleaned.raw_span(start, end)
        covered = sum(max(0, min(re_, b) - max(rs, a)) for a, b in bold_raw)
        return covered >= 0.8 * max(1, re_ - rs)

    root = Node(kind="document", level=0, text="", start=0, end=0)
    doc = Document(text=text, root=root, sentences=[], paragraphs=[])

    lines = []
    pos = 0
    for piece in text.split("\n"):
        if piece.strip():
            lines.append((pos, pos + len(piece), piece))
        pos += len(piece) + 1

    # title, speaker, date at the top
    idx = 0
    from .fields import table_header as _is_header

    if lines:
        s0, e0, l0 = lines[0]
        if (len(l0) <= 50 and l0[-1] not in "。；，：" and not _numbered_level(l0) and not l0.startswith("同志们")
                and not _is_header(l0)):
            doc.title, doc.title_span = l0, (s0, e0)
            idx = 1
            m = _SPEAKER_IN_TITLE.match(l0)
            if m:
                doc.speaker, doc.speaker_span = m.group("who"), (s0, s0 + len(m.group("who")))
            for k in range(1, min(4, len(lines))):
                sk, ek, lk = lines[k]
                if _is_header(lk):
                    break  # a 任务分解表 right under its title: the header row is no subtitle
                if _NAME_LINE.match(lk) and doc.speaker is None:
                    doc.speaker, doc.speaker_span = lk, (sk, ek)
                    idx = k + 1
                    break
                dm = _DATE.search(lk)
                if dm and len(lk) <= 20:
                    doc.date = date(int(dm[1]), int(dm[2]), int(dm[3]))
                    doc.date_span = (sk + dm.start(), sk + dm.end())
                    idx = k + 1
                elif k == 1 and len(lk) <= 40 and lk[-1] not in "。；，：" and not _numbered_level(lk):
                    idx = k + 1  # subtitle: belongs to the title block
    if doc_date is not None:
        doc.date = doc_date
    doc.year = plan_year(doc.title, text, doc.date)

    # headings and paragraphs
    style_stack: list[tuple[str, Node]] = []

    def push_heading(style: str, fixed_level: int | None, node: Node) -> None:
        nonlocal style_stack
        if fixed_level is not None:
            # numbered: pop everything at the same or deeper numbered rank, and all unnumbered
            while style_stack and (
                not style_stack[-1][0].startswith("num") or int(style_stack[-1][0][3:]) >= fixed_level
            ):
                style_stack.pop()
        else:
            styles = [s for s, _ in style_stack]
            if style in styles:
                style_stack = style_stack[: styles.index(style)]
        parent = style_stack[-1][1] if style_stack else root
        node.parent = parent
        node.level = parent.level + 1
        parent.children.append(node)
        style_stack.append((style, node))

    def current() -> Node:
        return style_stack[-1][1] if style_stack else root

    from .fields import (
        LABELS,
        bracket_fields,
        is_field_line,
        item_bracket,
        only_fields,
        parse_fields,
        table_header,
        table_rows,
    )

    def attach(fields: list, at: int) -> bool:
        """Give ``fields`` to the item before ``at``; False if there is none.

        A field record (:func:`~.fields.parse_fields`): goal fields (目标要求/具体目标/主要措施) become
        target cells of the last sentence (the 任务名称 or the paragraph they follow); unit, leader and
        deadline fields go to the last sentence and to every sentence before it under the same head
        that has no fields yet (a "【牵头】…【时限】…" line after a task's two paragraphs or after its
        （1）（2）（3） measures applies to all of them); 进展情况/序号/说明 fields are not part of the task.
        """
        if not doc.sentences or not fields:
            return False
        last = doc.sentences[-1]
        for f in fields:
            if f.role in ("target", "measure"):
                if not last.cells:
                    last.cells.append(("task", last.start, last.end))
                last.cells.append((f.role, f.start, f.end))
        duty = [f for f in fields if f.role in ("lead", "responsible", "leader", "deadline")]
        if not duty:
            return True
        had = bool(last.fields and any(f.role in ("lead", "responsible", "leader", "deadline") for f in last.fields))
        last.fields.extend(duty)
        if had:
            return True
        j = len(doc.sentences) - 2
        while j >= 0:
            prev = doc.sentences[j]
            if prev.head is not last.head or prev.fields or prev.cells:
                break
            if last.head is root:
                break  # no item structure: only the sentence the line follows
            prev.fields.extend(duty)
            j -= 1
        return True

    para_no = 0
    in_table: set[int] = set()  # line indices read as rows of a table
    for li, (ls, le, line) in enumerate(lines[idx:], start=idx):
        if line.startswith("同志们") and len(line) <= 6:
            continue
        if li in in_table:
            continue
        # a 任务分解表 / 工作清单 rendered as text: header row, then rows (a row may wrap onto more lines)
        roles = table_header(line)
        if roles:
            rows = table_rows([x[2] for x in lines[li + 1 :]], roles)
            for row in rows:
                row_lines = [lines[li + 1 + r] for r in row]
                in_table.update(li + 1 + r for r in row)
                _table_row(doc, text, row_lines, roles, current(), para_no)
                para_no += 1
            continue
        # field lines after an item ("责任单位：……", "完成时限：……") and a field bracket on its own line
        if is_field_line(line):
            fields = parse_fields(line, ls)
            if fields and all(f.role in ("seq", "note", "meta") for f in fields):
                continue  # 序号：3 / 进展情况：… / 说明：… / 填报单位：…: no task content
            if attach(fields, ls):
                continue
        elif only_fields(line):
            if attach([f for _, _, fs in bracket_fields(line, ls) for f in fs], ls):
                continue
        task_label = re.match(r"^\s*(?:【\s*(\S{4})\s*】\s*[:：]?|(\S{4})\s*[:：])\s*", line)
        task_word = task_label and (task_label.group(1) or task_label.group(2))
        if task_label and LABELS.get(task_word) == "task" and le - ls > task_label.end():
            # a field record: "任务名称：……" / "工作任务：……" opens an item; its field lines follow
            # (a goal field on the same line, "任务名称：X目标要求：Y", is split off as a target cell)
            a = ls + task_label.end()
            inline = [f for f in parse_fields(line, ls) if f.start > a]
            if inline:
                le = next(f.start for f in parse_fields(line, ls) if f.start > a)
                le = ls + line.rfind(next(f.label for f in parse_fields(line, ls) if f.start > a), 0, le - ls)
                while le > a and text[le - 1] in " \u3000【[":
                    le -= 1
            sent = Sentence(a, le, text[a:le], para_no, head=current())
            current().sentences.append(sent)
            doc.sentences.append(sent)
            doc.paragraphs.append((a, le))
            para_no += 1
            if inline:
                attach(inline, le)
            continue
        num = _numbered_level(line)
        has_fields = bool(num) and bool(bracket_fields(line))
        bullet = BULLET.match(line)
        short = (len(line) <= 30 and not any(c in line for c in "，。；！？") and not line.startswith("同志们")
                 and not bullet)
        if num and not has_fields and (short or len(line) <= 40 and line[-1] not in "。；"):
            level, marker = num
            node = Node("heading", 0, line[len(marker) :].strip(), ls + len(marker), le, marker=marker)
            node.office = office_of_heading(node.text)
            push_heading(f"num{level}", level, node)
            continue
        if num:
            level, marker = num
            first = _SENT_END.search(line)
            cut = first.end() if first else len(line)
            nxt = lines[li + 1][2] if li + 1 < len(lines) else ""
            body = line[len(marker) :].strip()
            first_body = line[len(marker) : cut].strip()
            if cut < len(line.rstrip()) and only_fields(line[cut:]):
                cut = len(line.rstrip())  # "1．开展……。（牵头单位：……）": one item with its fields
            if (
                (cut >= len(line.rstrip()) or level >= 3 and not is_heading_like_item(first_body))
                and (has_fields or not is_run_in_head(body))
                and (has_fields or not is_sentence_heading(level, body, nxt))
            ):
                # a numbered item that is a sentence (or more) of action (工作要点 / 实施方案:
                # "1.市委组织部要在6月底前选派……。", "1．开展……研判，对……调整配强。（牵头单位：……）")
                # is content under the current heading, not a heading with nothing below it
                body_start = ls + len(marker)
            else:
                node = Node("heading", 0, line[len(marker) : cut].strip(), ls + len(marker), ls + cut, marker=marker)
                push_heading(f"num{level}", level, node)
                body_start = ls + cut
                if body_start >= le:
                    continue
        elif short:
            style = "bold" if is_bold(ls, le) else "plain"
            node = Node("heading", 0, line, ls, le, style=style)
            node.office = office_of_heading(line)
            push_heading(style, None, node)
            continue
        elif bullet:
            body_start = ls + bullet.end()
        else:
            body_start = ls
        # paragraph: sentences, run-in heads
        doc.paragraphs.append((body_start, le))
        spans = _split_sentences(text[body_start:le], body_start)
        fields_only = [only_fields(text[a:b]) for a, b in spans]
        run_parent = current()
        while run_parent.kind == "run_in" and run_parent.parent is not None:
            run_parent = run_parent.parent
        # a paragraph opening with a run-in head closes the previous run-in head
        for k, (a, b) in enumerate(spans):
            stext = text[a:b]
            stripped = stext.strip()
            if fields_only[k]:
                # a field bracket after the item's 。 belongs to the item, never a sentence of its own
                if attach([f for _, _, fs in bracket_fields(stext, a) for f in fs], a):
                    continue
            if is_run_in_head(stripped) and k < len(spans) - 1 and not all(fields_only[k + 1 :]):
                base = current()
                while base.kind == "run_in":
                    base = base.parent
                node = Node("run_in", base.level + 1, stripped, a, b, parent=base)
                base.children.append(node)
                style_stack = [(s, n) for s, n in style_stack if n.kind != "run_in"]
                style_stack.append(("run_in", node))
                continue
            sent = Sentence(a, b, stext, para_no, head=current(), item=bool(bullet))
            for fa, fb, fs in bracket_fields(stext, a):  # "……调整配强（牵头单位：……）。"
                sent.fields.extend(fs)
                sent.masked.append((fa, fb))
            if bullet and k == len(spans) - 1 and not sent.fields:
                # "◆ ……（11月底前；协同：各乡镇党委）": the item's deadline and supporting units
                tail = item_bracket(stext, a, doc.date)
                if tail:
                    fa, fb, fs = tail
                    sent.fields.extend(fs)
                    sent.masked.append((fa, fb))
            current().sentences.append(sent)
            doc.sentences.append(sent)
        para_no += 1

    # parallel comma heads become run-in children of the sentence's head
    heads = _comma_heads(doc.sentences, text)
    for i, n in sorted(heads.items()):
        s = doc.sentences[i]
        parent = s.head
        node = Node("run_in", parent.level + 1, text[s.start : s.start + n - 1], s.start, s.start + n, parent=parent)
        parent.children.append(node)
        parent.sentences.remove(s)
        s.start += n
        s.text = text[s.start : s.end]
        s.head = node
        node.sentences.append(s)
        # following sentences of the same parent up to the next comma head belong to it too
        j = i + 1
        while j < len(doc.sentences) and j not in heads and doc.sentences[j].head is parent:
            nxt = doc.sentences[j]
            parent.sentences.remove(nxt)
            nxt.head = node
            node.sentences.append(nxt)
            j += 1
    for node in root.walk():
        node.children.sort(key=lambda c: c.start)
    return doc
