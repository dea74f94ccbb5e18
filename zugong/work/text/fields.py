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
    "工作任务": "task", "重点任务": "task", "任务内容": "task", "具体任务": "task", "工作内容": "task",
    "任务事项": "task", "主要任务": "task", "工作事项": "task",
}
_LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
#: One labelled field inside a bracket or on a line: "责任单位：……" up to the next ；/label/bracket end.
_FIELD = re.compile(rf"(?P<label>{_LABEL})\s*[:：]\s*(?P<value>.*?)\s*(?=[；;]|\s{{2,}}|\t|(?:{_LABEL})\s*[:：]|$)")
#: A bracket holding fields: "（牵头单位：……；完成时限：……）".
_FIELD_BRACKET = re.compile(rf"[（(]\s*(?:{_LABEL})\s*[:：][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]")
#: The name part of a bare responsibility bracket: "县委组织部", "县委组织部、县委党校", "县委组织部牵头，县人社局配合".
_NAMES = r"[^（）()。！？：:；;\d]{2,60}?"
_DUTY_WORDS = r"(?:牵头负责|牵头落实|负责落实|牵头|负责|主责|落实|配合|协助|参与|按职责分工负责|按职责负责)"
_BARE_BRACKET = re.compile(rf"[（(](?P<body>{_NAMES}{_DUTY_WORDS}(?:[，,、；;]{_NAMES}{_DUTY_WORDS})*)[）)]")
#: A line that is only fields ("责任单位：县委组织部  完成时限：6月底前").
_FIELD_LINE = re.compile(rf"^\s*(?:{_LABEL})\s*[:：]")
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
    for m in _FIELD.finditer(text):
        value = m.group("value").strip().rstrip("）)。")
        if not value:
            continue
        vs = m.start("value") + (len(m.group("value")) - len(m.group("value").lstrip()))
        out.append(Field(m.group("label"), LABELS[m.group("label")], value, base + vs, base + vs + len(value)))
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


def _names_only(value: str) -> bool:
    """True when the value, without its duty word, is a list of unit names (not an action)."""
    core = _ROLE_SUFFIX.sub("", value)
    names = [n for n in re.split(r"[、和及与，,]", core) if n]
    return bool(names) and all(normalize(n) or _looks_like_unit(n) for n in names)


_UNIT_END = re.compile(r"(?:部|办|局|委|室|校|中心|党委|党工委|党组|党组织|单位|部门|政府|办公室|工委|团委|法院|检察院|"
                       r"公司|工会|妇联|科协|所|站|领导干部|小组|班子|街道|乡镇|各村（社区）|社区)$")


def _looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= 20 and bool(_UNIT_END.search(name)) and not re.search(r"[的要将把对在]", name)


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
        if len(name) >= 2:
            out.append((name, start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), word))
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


def field_deadline(fields: list[Field], doc_date: date | None) -> tuple[Deadline | None, str]:
    """(deadline, standing) from the 完成时限 fields: a resolved :class:`Deadline` (2026年6月30日前,
    6月底前, 2026年三季度, 每季度末 …), or ``None`` with ``standing`` = the text as written when the
    work is ongoing (持续推进, 长期坚持: no single due date). ('', None) without a deadline field."""
    for f in fields:
        if f.role != "deadline":
            continue
        if STANDING.match(f.value):
            return None, f.value
        d = find_deadline(f.value, f.start, doc_date)
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


def table_header(line: str) -> list[str | None] | None:
    """Column roles of a 工作清单 header row ("序号  工作任务  责任单位  完成时限"), or None.

    A header has ≥ 3 cells, one of them a task column and one a unit or deadline column; 序号 and
    unknown columns (具体目标, 备注) get None.
    """
    cells = [line[a:b] for a, b in table_cells(line)]
    if len(cells) < 3:
        return None
    roles = [LABELS.get(c.strip()) for c in cells]
    if "task" in roles and any(r in ("lead", "responsible", "deadline") for r in roles):
        return roles
    return None
