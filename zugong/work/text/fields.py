"""Responsibility fields of work-plan items: 牵头单位 / 责任单位 / 完成时限 and their variants.

The genre 实施方案 / 工作要点 / 任务清单 writes each numbered item as a sentence of action followed by
its fields, in one of these forms (all recognised here, offsets into the cleaned text):

- a field bracket after (or before) the item's 。: "（牵头单位：县委组织部；责任单位：各乡镇党委；完成时限：
  2026年6月30日前）", "（责任单位：县委组织部牵头，县人社局配合；完成时限：2026年9月底前）";
- a bare responsibility bracket: "（县委组织部负责）", "（县委组织部牵头，县人社局配合）";
- field lines directly after the item: "责任单位：……", "牵头领导：……", "完成时限：……", "时间节点：……",
  several on one line separated by ；or spaces;
- the columns of a 工作清单 table rendered as text (a header row naming the columns, then one row per
  item, columns separated by tabs or runs of spaces).

A field is (``label`` as written, ``role``, ``value`` span). Roles: ``lead`` (牵头单位/牵头部门/主责单位),
``responsible`` (责任单位/配合单位/协办单位/参与单位), ``leader`` (牵头领导/责任领导/分管领导: a post, not a
unit), ``deadline`` (完成时限/完成时间/时间节点/时限要求), ``task`` (工作任务/重点任务: the item itself, in
tables). :func:`field_parties` turns the unit fields into :class:`~.parties.Party` objects carrying
``role`` 'lead' or 'responsible' (the 牵头单位 and 责任单位 columns of the 任务分解表);
:func:`field_deadline` resolves 完成时限, where 持续推进/长期坚持/常态化推进 mean *no single due date*
(``standing``), and 每季度末 a recurring one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .deadlines import Deadline, find_deadline
from .parties import Party, normalize

LABELS: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主责部门": "lead", "牵头处室": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "配合单位": "responsible", "配合部门": "responsible",
    "协办单位": "responsible", "参与单位": "responsible", "协同单位": "responsible", "实施单位": "responsible",
    "责任主体": "responsible", "落实单位": "responsible", "责任处室": "responsible",
    "牵头领导": "leader", "责任领导": "leader", "分管领导": "leader", "包保领导": "leader", "联系领导": "leader",
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "时限要求": "deadline",
    "办结时限": "deadline", "时间安排": "deadline", "推进时限": "deadline", "进度安排": "deadline",
    "时间": "deadline", "时限": "deadline", "完成期限": "deadline",
    "工作任务": "task", "重点任务": "task", "任务内容": "task", "具体任务": "task", "工作内容": "task",
    "任务事项": "task", "主要任务": "task", "工作事项": "task",
    # round 6: the vocabulary of a field record (任务台账 / 任务清单 exported one field per line, or
    # "【牵头】X　【配合】Y　【时限】Z" lines)
    "牵头": "lead", "配合": "responsible", "责任科室": "responsible", "责任股室": "responsible",
    "配合科室": "responsible", "配合股室": "responsible",
    "任务名称": "task",
    "目标要求": "target", "具体目标": "target", "工作目标": "target", "工作标准": "target", "目标任务": "target",
    "主要措施": "measure", "工作措施": "measure", "具体措施": "measure",
    "进展情况": "note", "完成情况": "note", "推进情况": "note", "备注": "note",
    "序号": "seq", "说明": "meta", "填报单位": "meta", "报送日期": "meta", "统计截至": "meta", "填报日期": "meta",
}
#: Roles whose value is running text (the item, its goals, its progress): it runs to the next label,
#: never cut at ；or spaces. ``note``/``meta``/``seq`` fields are not part of the task (进展情况 is no target).
TEXT_ROLES = ("task", "target", "measure", "note", "meta")
_LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
#: A label as written: "责任单位：", "牵头单位:", "【牵头】", "[时限]" (full- or half-width).
_LABEL_AT = re.compile(rf"【\s*(?P<b1>{_LABEL})\s*】\s*[:：]?|\[\s*(?P<b2>{_LABEL})\s*\]\s*[:：]?|(?P<b3>{_LABEL})\s*[:：]")
#: Where the value of a unit/deadline field ends: ；, a tab or a run of spaces.
_VALUE_END = re.compile(r"[；;]|\s{2,}|\t")
#: A bracket holding fields: "（牵头单位：……；完成时限：……）".
_FIELD_BRACKET = re.compile(rf"[（(]\s*(?:{_LABEL})\s*[:：][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]")
#: The name part of a bare responsibility bracket: "县委组织部", "县委组织部、县委党校", "县委组织部牵头，县人社局配合".
_NAMES = r"[^（）()。！？：:；;\d]{2,60}?"
_DUTY_WORDS = r"(?:牵头负责|牵头落实|负责落实|牵头|负责|主责|落实|配合|协助|参与|按职责分工负责|按职责负责)"
_BARE_BRACKET = re.compile(rf"[（(](?P<body>{_NAMES}{_DUTY_WORDS}(?:[，,、；;]{_NAMES}{_DUTY_WORDS})*)[）)]")
#: A line that is only fields ("责任单位：县委组织部  完成时限：6月底前").
_FIELD_LINE = re.compile(rf"^\s*(?:(?:{_LABEL})\s*[:：]|【\s*(?:{_LABEL})\s*】|\[\s*(?:{_LABEL})\s*\])")
#: Standing work: no single due date (完成时限：持续推进 / 长期坚持 / 常态化推进 / 全年).
STANDING = re.compile(r"^(?:持续推进|长期坚持|长期推进|长期|持续|常态化(?:推进|开展)?|持续开展|贯穿全年|全年推进|动态调整|动态更新)$")
_ROLE_SUFFIX = re.compile(rf"{_DUTY_WORDS}$")


@dataclass
class Field:
    """One responsibility field: ``label`` as written (or the duty word of a bare bracket),
    ``role`` (lead/responsible/leader/deadline/task), ``value`` with its span [start, end) in the
    cleaned text."""

    label: str
    role: str
    value: str
    start: int
    end: int


def parse_fields(text: str, base: int = 0) -> list[Field]:
    """Labelled fields in ``text`` (a bracket's inside, a field line or table cells); spans + ``base``."""
    out = []
    marks = list(_LABEL_AT.finditer(text))
    for i, m in enumerate(marks):
        label = m.group("b1") or m.group("b2") or m.group("b3")
        role = LABELS[label]
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        raw = text[m.end() : end]
        if role not in TEXT_ROLES:
            cut = _VALUE_END.search(raw.strip())
            lead = len(raw) - len(raw.lstrip())
            if cut:
                raw = raw[: lead + cut.start()]
        value = raw.strip()
        if role not in TEXT_ROLES:
            value = value.rstrip("。；;").strip()
            while value and value[-1] in "）)" and value.count("（") + value.count("(") < value.count("）") + value.count(")"):
                value = value[:-1].rstrip()  # the bracket closing the field bracket, not part of a name
        if not value:
            continue
        vs = m.end() + (len(raw) - len(raw.lstrip()))
        out.append(Field(label, role, value, base + vs, base + vs + len(value)))
    return out


def bracket_fields(text: str, base: int = 0) -> list[tuple[int, int, list[Field]]]:
    """Field brackets in ``text``: [(start, end, fields)] with spans + ``base``.

    Labelled brackets ("（牵头单位：…；完成时限：…）") and bare responsibility brackets
    ("（县委组织部负责）", "（县委组织部牵头，县人社局配合）": lead for 牵头/负责, responsible for 配合/协助/参与).
    """
    out = []
    for m in _FIELD_BRACKET.finditer(text):
        fields = parse_fields(m.group(0)[1:-1], base + m.start() + 1)
        if fields:
            out.append((base + m.start(), base + m.end(), fields))
    for m in _BARE_BRACKET.finditer(text):
        if any(a <= base + m.start() < b for a, b, _ in out):
            continue
        fields = []
        pos = m.start("body")
        for part in re.split(r"([，,；;])", m.group("body")):
            if part and part not in "，,；;":
                duty = _ROLE_SUFFIX.search(part)
                role = "responsible" if duty and duty.group(0) in ("配合", "协助", "参与") else "lead"
                fields.append(Field(duty.group(0) if duty else "负责", role, part, base + pos, base + pos + len(part)))
            pos += len(part)
        if fields and all(_names_only(f.value) for f in fields):
            out.append((base + m.start(), base + m.end(), fields))
    return sorted(out)


#: The trailing bracket of a list item in a 工作要点: "（11月底前；协同：各乡镇党委）", "（全年）",
#: "（持续推进）", "（随时）": the time first, then the supporting units after 协同/配合/协办/参与.
_ITEM_BRACKET = re.compile(
    r"[（(](?P<when>[^（）()；;：:]{1,20}?)(?:[；;]\s*(?P<label>协同|配合|协办|协助|参与)(?:单位|部门)?[:：]"
    r"(?P<units>[^（）()]{2,80}?))?[）)][。；;]?\s*$"
)
_NO_TIME = re.compile(r"^(?:随时|及时|经常性|按需|视情)$")


def item_bracket(text: str, base: int = 0, doc_date: date | None = None) -> tuple[int, int, list[Field]] | None:
    """The trailing time/units bracket of a list item, as fields: (start, end, fields) + ``base``, or None.

    "◆ 开展……（11月底前；协同：各乡镇党委、县委党校）" → a ``deadline`` field 11月底前 and one
    ``responsible`` field 各乡镇党委、县委党校; "（持续推进）" is a standing deadline field (no due date);
    "（随时）" gives no deadline. A bracket whose first part is neither a time nor a standing phrase
    ("（含社区）") is not such a bracket (None). The lead is not in the bracket: it is the office of
    the group heading (see :func:`~.structure.office_of_heading`).
    """
    m = _ITEM_BRACKET.search(text)
    if not m:
        return None
    when = m.group("when").strip()
    fields: list[Field] = []
    if STANDING.match(when) or find_deadline(when, 0, doc_date) is not None:
        fields.append(Field("完成时限", "deadline", when, base + m.start("when"), base + m.start("when") + len(when)))
    elif not _NO_TIME.match(when):
        return None
    if m.group("units"):
        units = m.group("units").strip()
        fields.append(Field(m.group("label"), "responsible", units, base + m.start("units"), base + m.start("units") + len(units)))
    if not fields:
        # "（随时）": no time, no units; the bracket is still masked (it is no part of the action)
        return base + m.start(), base + m.end(), [Field("说明", "meta", when, base + m.start("when"), base + m.end("when"))]
    return base + m.start(), base + m.end(), fields


def _names_only(value: str) -> bool:
    """True when the value, without its duty word, is a list of unit names (not an action)."""
    core = _ROLE_SUFFIX.sub("", value)
    names = [_NAME_PREFIX.sub("", _ROLE_SUFFIX.sub("", n)) for n in re.split(r"[、和及与，,]", core) if n]
    return bool(names) and all(n and (normalize(n) or _looks_like_unit(n)) for n in names)


_UNIT_END = re.compile(r"(?:部|办|局|委|室|校|中心|党委|党工委|党组|党组织|单位|部门|政府|办公室|工委|团委|法院|检察院|"
                       r"公司|工会|妇联|科协|所|站|领导干部|小组|班子|街道|乡镇|各村（社区）|社区|科|股|处|队|院|集团|协会|"
                       r"联合会|（工）委|\(工\)委)$")
#: What may stand before a unit name in a responsibility bracket or field and is not part of it:
#: "（由县委组织部负责）", "（请各乡镇党委落实）".
_NAME_PREFIX = re.compile(r"^(?:由|请|要|均由|分别由)")


def _looks_like_unit(name: str) -> bool:
    name = _NAME_PREFIX.sub("", name)
    return (2 <= len(name) <= 20 and bool(_UNIT_END.search(name)) and not re.search(r"[的要将把对在\d%％]", name)
            and not re.search(r"[，。；：]", name))


def is_field_line(line: str) -> bool:
    """A line that holds only responsibility fields ("责任单位：……", "完成时限：……")."""
    return bool(_FIELD_LINE.match(line)) and not any(LABELS[f.label] == "task" for f in parse_fields(line)[:1])


def only_fields(text: str) -> bool:
    """True when ``text`` is nothing but field brackets (and whitespace/。)."""
    rest = text
    for a, b, _ in sorted(bracket_fields(text), reverse=True):
        rest = rest[:a] + rest[b:]
    return bool(text.strip()) and not rest.strip(" \u3000。；;")


def mask(text: str, spans: list[tuple[int, int]], base: int = 0) -> str:
    """``text`` with the given absolute spans blanked out (offsets kept)."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a - base), min(len(chars), b - base)):
            chars[i] = " "
    return "".join(chars)


def _split_names(value: str, start: int) -> list[tuple[str, int, str | None]]:
    """Names in a unit field, with their start and the duty word after each ("A牵头，B配合")."""
    out = []
    pos = 0
    for m in re.finditer(r"[^、，,；;和及]+", value):
        name = m.group(0).strip()
        duty = _ROLE_SUFFIX.search(name)
        word = None
        if duty:
            word = duty.group(0)
            name = name[: duty.start()].strip()
        name = re.sub(r"(?:等(?:单位|部门)?)$", "", name)
        at = start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        prefix = _NAME_PREFIX.match(name)
        if prefix:  # "由县委组织部负责": the party is 县委组织部
            name, at = name[prefix.end() :], at + prefix.end()
        if len(name) >= 2:
            out.append((name, at, word))
        pos = m.end()
    del pos
    return out


def field_parties(fields: list[Field]) -> list[Party]:
    """Parties of the unit fields, lead first: each with ``role`` 'lead' or 'responsible'.

    In "责任单位：县委组织部牵头，县人社局配合" the name before 牵头/负责 leads and the one before
    配合/协助/参与 is responsible. Names the lexicon does not know get the generic kind ``named``
    (looked up by text in the unit tree). Posts in 牵头领导 fields are parties with role ``leader``.
    """
    out: list[Party] = []
    seen: set[str] = set()
    for f in fields:
        if f.role not in ("lead", "responsible", "leader"):
            continue
        for name, start, word in _split_names(f.value, f.start):
            role = f.role
            if word in ("牵头", "牵头负责", "牵头落实", "主责"):
                role = "lead"
            elif word in ("配合", "协助", "参与"):
                role = "responsible"
            elif f.role == "responsible" and word in ("负责",) and f.label in ("负责",):
                role = "lead"
            if name in seen:
                continue
            seen.add(name)
            kind = normalize(name) or ("role" if role == "leader" else "named")
            out.append(Party(text=name, kind=kind, start=start, end=start + len(name), directed=True, role=role))
    order = {"lead": 0, "responsible": 1, "leader": 2}
    return sorted(out, key=lambda p: order.get(p.role or "", 3))


def field_deadline(fields: list[Field], doc_date: date | None, year: int | None = None) -> tuple[Deadline | None, str]:
    """(deadline, standing) from the 完成时限 fields: a resolved :class:`Deadline` (2026年6月30日前,
    6月底前, 2026年三季度, 每季度末 …), or ``None`` with ``standing`` = the text as written when the
    work is ongoing (持续推进, 长期坚持: no single due date). ('', None) without a deadline field.
    ``year``: the year the plan is for, when not the document date's (:func:`.deadlines.resolve`)."""
    for f in fields:
        if f.role != "deadline":
            continue
        if STANDING.match(f.value):
            return None, f.value
        several = _deadline_list(f.value)
        if several and len(several) > 1:
            # "2026年6月底前、11月底前": milestones; the text is kept whole, due is the last of them
            dues = [find_deadline(f.value[d.start :], 0, doc_date, year=year) for d in several]
            last = max((d.due for d in dues if d and d.due), default=None)
            return Deadline(text=f.value, start=f.start, end=f.end, due=last), ""
        d = find_deadline(f.value, f.start, doc_date, year=year)
        if d is not None:
            return d, ""
        return Deadline(text=f.value, start=f.start, end=f.end, due=None), ""
    return None, ""


# ----------------------------------------------------------------------------- tables as text

_CELL_SEP = re.compile(r"\t+|[ \u3000]{2,}")


def table_cells(line: str, base: int = 0) -> list[tuple[int, int]]:
    """Cell spans of a table row rendered as text (columns split by tabs or runs of ≥ 2 spaces)."""
    cells = []
    pos = 0
    for m in _CELL_SEP.finditer(line):
        if line[pos : m.start()].strip():
            cells.append((pos, m.start()))
        pos = m.end()
    if line[pos:].strip():
        cells.append((pos, len(line)))
    out = []
    for a, b in cells:
        seg = line[a:b]
        a += len(seg) - len(seg.lstrip())
        b -= len(seg) - len(seg.rstrip())
        out.append((base + a, base + b))
    return out


#: Column labels of a 任务分解表 / 工作清单 header: the field labels plus the columns that are not
#: fields of a work-plan item (序号, 具体目标/工作目标 → ``target``, 主要措施 → ``measure``, 备注).
COLUMNS: dict[str, str] = {
    **LABELS,
    "序号": "seq", "编号": "seq", "序": "seq",
    "具体目标": "target", "工作目标": "target", "目标任务": "target", "主要目标": "target", "目标要求": "target",
    "任务目标": "target", "预期目标": "target", "量化目标": "target", "考核指标": "target",
    "主要措施": "measure", "工作措施": "measure", "具体措施": "measure", "推进措施": "measure", "工作举措": "measure",
    "具体举措": "measure", "措施": "measure",
    "备注": "note", "进展情况": "note", "完成情况": "note", "推进情况": "note",
}
#: Columns whose text is the item itself (the task) or what it must achieve: run through target extraction.
TEXT_COLUMNS = ("task", "target", "measure")
_SEQ_CELL = re.compile(r"^\d{1,3}[.．、]?$")


def table_header(line: str) -> list[str | None] | None:
    """Column roles of a 任务分解表 / 工作清单 header row, or None.

    Any order and subset of 序号 / 重点任务 (工作任务 …) / 具体目标 (工作目标 …) / 主要措施 / 牵头单位 /
    责任单位 (配合单位 …) / 完成时限 (时间节点 …), split by tabs or runs of spaces (a header written
    with single spaces is split on them when every word is a column label). A header has ≥ 3
    columns, one of them a task or target column and one a unit or deadline column. Roles are those
    of :data:`COLUMNS` (``seq``, ``task``, ``target``, ``measure``, ``lead``, ``responsible``,
    ``leader``, ``deadline``, ``note``); unknown columns get None.
    """
    cells = [line[a:b].strip() for a, b in table_cells(line)]
    if len(cells) < 3 or sum(c in COLUMNS for c in cells) < 3:
        words = line.split()
        if len(words) >= 3 and all(w in COLUMNS for w in words):
            cells = words
    if len(cells) < 3:
        return None
    roles = [COLUMNS.get(c) for c in cells]
    if sum(r is not None for r in roles) < max(3, len(roles) - 1):
        return None
    if any(r in ("task", "target") for r in roles) and any(r in ("lead", "responsible", "deadline") for r in roles):
        return roles
    return None


def row_number(line: str) -> int | None:
    """The 序号 a table row opens with ("12\t推进……", "12.  推进……"), or None.

    The number must be followed by a tab, a space or 、/. and then text, so a wrapped cell that
    starts with a figure ("0个、30万元以上……") is not taken for a new row.
    """
    m = re.match(r"^(\d{1,3})(?:[.．、]\s*|[\t \u3000]+)(?=\S)", line)
    return int(m.group(1)) if m else None


def cell_kind(value: str) -> str:
    """What a table cell holds, by content: 'seq' (a row number), 'deadline' (a date, several dates,
    持续推进), 'units' (a list of unit names) or 'text'."""
    v = value.strip()
    if _SEQ_CELL.match(v):
        return "seq"
    if STANDING.match(v) or _deadline_list(v) is not None:
        return "deadline"
    if _names_only(v):
        return "units"
    return "text"


def _deadline_list(value: str) -> list[Deadline] | None:
    """The deadlines of a cell made only of deadlines ("2026年6月底前、11月底前"), else None."""
    out: list[Deadline] = []
    pos = 0
    v = value
    while pos < len(v):
        rest = v[pos:]
        skip = len(rest) - len(rest.lstrip(" 、，,；;和及与\u3000"))
        pos += skip
        if pos >= len(v):
            break
        d = find_deadline(v[pos:], pos, None)
        if d is None or d.start != pos:
            return None
        out.append(d)
        pos = d.end
    return out or None


def assign_cells(line: str, cells: list[tuple[int, int]], roles: list[str | None], base: int = 0) -> list[tuple[str, int, int]]:
    """(role, start, end) for the cells of one table row, against the header's column ``roles``.

    When the row splits into as many cells as the header has columns they are taken in order.
    Otherwise (a cell separated by a single space, a missing 序号, a cell holding a run of spaces)
    the cells are placed by content: a number in the 序号 column, dates (持续推进) in the 时限
    column and unit lists in the 牵头/责任 columns, counted from the right; the cells left over go to
    the text columns (重点任务, 具体目标, 主要措施) in order, extra ones merged into the last of them.
    ``cells`` are absolute spans (``base`` is the line's offset); unknown columns are left out.
    """
    spans = list(cells)
    kinds = [cell_kind(line[a - base : b - base]) for a, b in spans]
    if len(spans) == len(roles):
        return [(r, a, b) for (a, b), r in zip(spans, roles, strict=True) if r]
    # too few cells: split a cell at a single space when a date or a unit list stands after it
    changed = True
    while len(spans) < len(roles) and changed:
        changed = False
        for i in range(len(spans) - 1, -1, -1):
            a, b = spans[i]
            seg = line[a - base : b - base]
            for m in reversed(list(re.finditer(r"[ \u3000]+", seg))):
                left, right = seg[: m.start()].strip(), seg[m.end() :].strip()
                if not left or not right:
                    continue
                if cell_kind(right) in ("deadline", "units") or cell_kind(left) == "seq":
                    spans[i : i + 1] = [(a, a + m.start()), (a + m.end(), b)]
                    changed = True
                    break
            if changed:
                break
    kinds = [cell_kind(line[a - base : b - base]) for a, b in spans]
    if len(spans) == len(roles):
        return [(r, a, b) for (a, b), r in zip(spans, roles, strict=True) if r]
    out: list[tuple[str, int, int]] = []
    rs = list(roles)
    lo, hi = 0, len(spans)
    if rs and rs[0] == "seq":
        if kinds[0] == "seq":
            out.append(("seq", *spans[0]))
            lo = 1
        rs = rs[1:]
    # from the right: columns whose content is recognisable
    while rs and rs[-1] not in TEXT_COLUMNS and hi > lo:
        role = rs.pop()
        kind = kinds[hi - 1]
        fits = (role == "deadline" and kind == "deadline") or (role in ("lead", "responsible", "leader") and kind == "units")
        if fits or (role is None or role == "note") and kind not in ("deadline", "units") and hi - lo > len([r for r in rs if r in TEXT_COLUMNS]):
            if role:
                out.append((role, *spans[hi - 1]))
            hi -= 1
    text_roles = [r for r in rs if r in TEXT_COLUMNS]
    middle = spans[lo:hi]
    for i, role in enumerate(text_roles):
        if i >= len(middle):
            break
        if i == len(text_roles) - 1:
            out.append((role, middle[i][0], middle[-1][1]))  # extra cells belong to the last text column
        else:
            out.append((role, *middle[i]))
    return sorted(out, key=lambda c: c[1])


_BLOCK_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|附件|附表|备注[:：]|注[:：])")


def table_rows(lines: list[str], roles: list[str | None]) -> list[list[int]]:
    """Group the lines after a table header into rows: [[line index, …], …] (indices into ``lines``).

    With a 序号 column a line opening with the next number (:func:`row_number`) starts a row; any
    other line continues the open row (a cell wrapped onto the next line) while the row has fewer
    cells than the header or the line after it opens the next row. Without a 序号 column a line
    with ≥ 2 cells starts a row when the open one is complete. The table ends at the first line
    that fits neither (a blank line, a heading, 附件 …); lines after it are not returned.
    """
    ncols = len(roles)
    has_seq = bool(roles) and roles[0] == "seq"
    rows: list[list[int]] = []
    joined = ""
    expect: int | None = None
    for i, raw_line in enumerate(lines):
        line = raw_line.strip()
        if not line:
            break
        num = row_number(line) if has_seq else None
        complete = not rows or len(table_cells(joined)) >= ncols
        if num is not None and (expect is None or num == expect) or (
            num is None and complete and len(table_cells(line)) >= 2
        ):
            # the next 序号, or (no number: a table without 序号, or rows numbered otherwise) a line
            # of cells after a complete row
            rows.append([i])
            joined = line
            expect = num + 1 if num is not None else expect + 1 if expect is not None else None
            continue
        if not rows or _BLOCK_START.match(line):
            break
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        next_starts = has_seq and row_number(nxt) == expect
        if len(table_cells(joined)) < ncols or next_starts:
            rows[-1].append(i)
            joined += line
            continue
        break
    return rows
